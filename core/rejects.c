/* rejects.c — see rejects.h. */
#include "core/rejects.h"

#include <stdlib.h>
#include <string.h>

static const char *const header[] = {"source", "where", "reason", "raw"};

void rejects_describe(const char *path, long line, const char *field, const char *why, char *where,
                      size_t where_len, char *reason, size_t reason_len)
{
    snprintf(where, where_len, "%s:%ld", path, line);
    if (field && *field) snprintf(reason, reason_len, "field '%s': %s", field, why);
    else snprintf(reason, reason_len, "%s", why);
}

/* Length of the valid UTF-8 sequence at S (N bytes left), 0 when none. */
static size_t utf8_seq(const char *s, size_t n)
{
    for (size_t k = 1; k <= 4 && k <= n; k++)
        if (utf8_valid(s, k)) return k;
    return 0;
}

/* Whether the sequence of K bytes at S is a control character a terminal
 * acts on: C0 but tab, line feed and carriage return (a raw row may hold
 * them in quoted fields), DEL, and C1 (U+0080..U+009F). */
static int is_control(const unsigned char *s, size_t k)
{
    if (k == 1) return (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r') || s[0] == 0x7f;
    return k == 2 && s[0] == 0xc2 && s[1] <= 0x9f;
}

/* Copies S (N bytes) to OUT (may be NULL) with U+FFFD for every byte that
 * starts no valid UTF-8 sequence and for every control character; returns
 * the output length, and in *CHANGED whether anything was replaced. */
static size_t utf8_repair(const char *s, size_t n, char *out, int *changed)
{
    size_t o = 0;
    *changed = 0;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(s + i, n - i);
        if (k && !is_control((const unsigned char *)s + i, k)) {
            if (out) memcpy(out + o, s + i, k);
            o += k;
            i += k;
        } else {
            if (out) memcpy(out + o, "\xEF\xBF\xBD", 3); /* U+FFFD REPLACEMENT CHARACTER */
            o += 3;
            i += k ? k : 1;
            *changed = 1;
        }
    }
    return o;
}

void csv_put_text_utf8(csv_writer *w, const char *s, size_t n)
{
    int changed;
    size_t len = n ? utf8_repair(s, n, NULL, &changed) : 0;
    if (n == 0 || !changed) {
        csv_put_text_len(w, s, n);
        return;
    }
    char *buf = malloc(len);
    if (!buf) { /* out of memory: as it is rather than nothing */
        csv_put_text_len(w, s, n);
        return;
    }
    utf8_repair(s, n, buf, &changed);
    csv_put_text_len(w, buf, len);
    free(buf);
}

static void put_header(csv_writer *w)
{
    for (size_t i = 0; i < sizeof header / sizeof *header; i++) csv_put_text(w, header[i]);
    csv_end_record(w);
}

int rejects_open(rejects_sink *k, const char *outdir, char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    char *path = path_join(outdir, "rejects.csv");
    if (!path) {
        snprintf(err, errlen, "%s: out of memory", outdir);
        return -1;
    }
    int rc = afile_open(&k->file, path, err, errlen);
    if (rc == 0 && !(k->w = csv_writer_new(k->file.f, 1))) {
        snprintf(err, errlen, "%s: out of memory", path);
        afile_abort(&k->file);
        rc = -1;
    }
    free(path);
    if (rc != 0) return -1;
    k->to_file = 1;
    put_header(k->w);
    return 0;
}

int rejects_open_stream(rejects_sink *k, FILE *f, int formula_escape)
{
    memset(k, 0, sizeof *k);
    if (!(k->w = csv_writer_new(f, formula_escape))) return -1;
    put_header(k->w);
    return 0;
}

void rejects_put(rejects_sink *k, const char *source, const char *where, const char *reason, const char *raw,
                 size_t raw_len)
{
    csv_put_text(k->w, source);
    csv_put_text(k->w, where);
    csv_put_text_utf8(k->w, reason, reason ? strlen(reason) : 0);
    csv_put_text_utf8(k->w, raw, raw_len);
    csv_end_record(k->w);
}

int rejects_commit(rejects_sink *k, char *err, size_t errlen)
{
    int failed = k->w && csv_writer_failed(k->w);
    csv_writer_free(k->w);
    k->w = NULL;
    if (!k->to_file) {
        if (failed) snprintf(err, errlen, "write failed");
        return failed ? -1 : 0;
    }
    k->to_file = 0;
    /* A failed write is reported by afile_commit with its reason. */
    if (failed && !ferror(k->file.f)) {
        snprintf(err, errlen, "%s: write failed", k->file.path);
        afile_abort(&k->file);
        return -1;
    }
    return afile_commit(&k->file, err, errlen);
}

afile *rejects_finish(rejects_sink *k, char *err, size_t errlen)
{
    int failed = csv_writer_failed(k->w);
    csv_writer_free(k->w);
    k->w = NULL;
    /* A failed write is reported by afile_finish with its reason. */
    if (failed && !ferror(k->file.f)) {
        snprintf(err, errlen, "%s: write failed", k->file.path);
        afile_abort(&k->file);
        k->to_file = 0;
        return NULL;
    }
    return &k->file;
}

void rejects_abort(rejects_sink *k)
{
    csv_writer_free(k->w);
    k->w = NULL;
    if (k->to_file) afile_abort(&k->file);
    k->to_file = 0;
}
