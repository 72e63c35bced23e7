/* csvout.c — see csvout.h. */
#include "report/csvout.h"
#include "core/afile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int csvout_write(const char *outdir, const char *name, const char *const *header,
                 csvout_rows_fn rows, const void *ctx, char *err, size_t errlen)
{
    char *path = path_join(outdir, name);
    if (!path) { snprintf(err, errlen, "%s: out of memory", outdir); return -1; }
    afile af;
    if (afile_open(&af, path, err, errlen) != 0) { free(path); return -1; }
    csv_writer *w = csv_writer_new(af.f, 1);
    int rc = -1;
    if (!w) {
        snprintf(err, errlen, "%s: out of memory", path);
    } else {
        for (size_t i = 0; header[i]; i++) csv_put_text(w, header[i]);
        csv_end_record(w);
        rc = rows(w, ctx, err, errlen);
        /* A failed write to the file is reported by afile_commit with its
         * reason ("File too large", "No space left on device"). */
        if (rc == 0 && csv_writer_failed(w) && !ferror(af.f)) {
            snprintf(err, errlen, "%s: write failed", path);
            rc = -1;
        }
        csv_writer_free(w);
    }
    if (rc == 0) rc = afile_commit(&af, err, errlen);
    else afile_abort(&af);
    free(path);
    return rc;
}

/* Length of the valid UTF-8 sequence at S (N bytes left), 0 when none. */
static size_t utf8_seq(const char *s, size_t n)
{
    for (size_t k = 1; k <= 4 && k <= n; k++)
        if (utf8_valid(s, k)) return k;
    return 0;
}

/* Copies S (N bytes) to OUT (may be NULL) with U+FFFD for every byte that
 * starts no valid UTF-8 sequence; returns the output length. */
static size_t utf8_repair(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(s + i, n - i);
        if (k) {
            if (out) memcpy(out + o, s + i, k);
            o += k;
            i += k;
        } else {
            if (out) memcpy(out + o, "\xEF\xBF\xBD", 3);   /* U+FFFD REPLACEMENT CHARACTER */
            o += 3;
            i++;
        }
    }
    return o;
}

void csvout_put_text_utf8(csv_writer *w, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || utf8_valid(s, n)) {
        csv_put_text_len(w, s, n);
        return;
    }
    size_t len = utf8_repair(s, n, NULL);
    char *buf = malloc(len);
    if (!buf) {                    /* out of memory: as it is rather than nothing */
        csv_put_text_len(w, s, n);
        return;
    }
    utf8_repair(s, n, buf);
    csv_put_text_len(w, buf, len);
    free(buf);
}
