/* run_record.c — one record of `stats --input`: read, checked, fed to the
 * analyses or rejected (run_reject: the warning and the rejects.csv row).
 * The one-pass reader (run_csv.c) and the threaded one (run_par.c) both
 * take and reject records here, so they give the same tables. */
#include "run/run_int.h"

#include <stdio.h>
#include <string.h>

/* Rejected rows kept as warnings; the rest are only counted. */
#define REJECT_WARNINGS 20

void run_reject(run_state *st, rejects_sink *w, const char *path, long line, const char *raw, size_t raw_len,
                const char *field, const char *why)
{
    char where[REJECTS_WHERE_MAX], reason[REJECTS_REASON_MAX],
        msg[REJECTS_WHERE_MAX + REJECTS_REASON_MAX + 2];
    rejects_describe(path, line, field, why, where, sizeof where, reason, sizeof reason);
    if (st->out->quality.rejected < REJECT_WARNINGS) {
        snprintf(msg, sizeof msg, "%s: %s", where, reason);
        run_warn(st, msg); /* out of memory only loses the message */
    }
    st->out->quality.rejected++;
    if (w) rejects_put(w, "csv", where, reason, raw, raw_len);
}

int run_csv_next(csv_run *x)
{
    char err[1024];
    csv_record rec;
    cx_response r;
    const char *field, *msg;
    const cx_config *cfg = x->st->o->cfg;
    long long off = x->dd ? csv_reader_tell(x->rd, NULL) : -1; /* the row's name for resp_dedup */
    int rc = csv_read(x->rd, &rec, err, sizeof err);

    if (rc == 0) return RUN_EOF;
    if (rc < 0) {
        run_reject(x->st, x->rejects, x->path, rec.line, rec.raw, rec.raw_len, "",
                   csv_error_reason(x->rd, err));
        return rc == -1 ? RUN_FATAL : RUN_MORE;
    }
    if (rec.nfields == 1 && rec.lens[0] == 0) return RUN_MORE;
    if (resp_from_record(&x->h, &rec, "csv", 0, cfg->moment_lo, cfg->moment_hi, &r, &field, &msg) != 0) {
        run_reject(x->st, x->rejects, x->path, rec.line, rec.raw, rec.raw_len, field, msg);
        return RUN_MORE;
    }
    if (!resp_dedup_keep(x->dd, r.source, strlen(r.source), r.response_id, strlen(r.response_id), off,
                         r.updated_at))
        return RUN_MORE; /* a later or newer row of its id counts */
    if (run_feed(x->st, &r) != 0) {
        snprintf(x->err, x->errlen, "stats: out of memory");
        return RUN_FAIL;
    }
    cx_rows_tick(&x->pg, x->st->out->responses);
    return RUN_MORE;
}
