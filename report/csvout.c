/* csvout.c — see csvout.h. */
#include "report/csvout.h"
#include "core/afile.h"
#include "core/timeparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int csvout_write_to(FILE *f, const char *path, const char *const *header, csvout_rows_fn rows,
                    const void *ctx, char *err, size_t errlen)
{
    csv_writer *w = csv_writer_new(f, 1);
    if (!w) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    for (size_t i = 0; header[i]; i++) csv_put_text(w, header[i]);
    csv_end_record(w);
    int rc = rows(w, ctx, err, errlen);
    /* A failed write to the file is reported by afile_commit (or
     * afile_finish) with its reason ("File too large", "No space left on
     * device"). */
    if (rc == 0 && csv_writer_failed(w) && !ferror(f)) {
        snprintf(err, errlen, "%s: write failed", path);
        rc = -1;
    }
    csv_writer_free(w);
    return rc;
}

int csvout_write(const char *outdir, const char *name, const char *const *header, csvout_rows_fn rows,
                 const void *ctx, char *err, size_t errlen)
{
    char *path = path_join(outdir, name);
    if (!path) {
        snprintf(err, errlen, "%s: out of memory", outdir);
        return -1;
    }
    afile af;
    if (afile_open(&af, path, err, errlen) != 0) {
        free(path);
        return -1;
    }
    int rc = csvout_write_to(af.f, path, header, rows, ctx, err, errlen);
    if (rc == 0) rc = afile_commit(&af, err, errlen);
    else afile_abort(&af);
    free(path);
    return rc;
}

void csvout_put_month(csv_writer *w, int month)
{
    char buf[16];
    if (month == 0) {
        csv_put_text(w, "all");
        return;
    }
    month_format(month, buf);
    csv_put_text(w, buf);
}

void csvout_put_significant(csv_writer *w, int significant)
{
    if (significant < 0) csv_put_empty(w);
    else csv_put_text(w, significant ? "true" : "false");
}

void csvout_put_lead(csv_writer *w, int month, const char *dim, const char *segment)
{
    csvout_put_month(w, month);
    csv_put_text(w, dim);
    csv_put_text(w, segment);
}

void csvout_put_change_lead(csv_writer *w, const char *dim, const char *segment, int month, int prev_month)
{
    csv_put_text(w, dim);
    csv_put_text(w, segment);
    csvout_put_month(w, month);
    csvout_put_month(w, prev_month);
}

void csvout_put_nps(csv_writer *w, const nps_est *e, const nps_counts *c)
{
    CSV_INTS(w, e->n, c->p, c->a, c->d);
    csv_put_double(w, e->nps);
}
