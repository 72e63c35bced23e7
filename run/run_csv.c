/* run_csv.c — `stats --input`: the header, the choice between the
 * threaded chunk reader (run_par.c) and one pass of csv_read, and rejects.
 * Both readers take a record the same way, so they give the same tables. */
#include "run/run_int.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Rejected rows kept as warnings; the rest are only counted. */
#define REJECT_WARNINGS 20

void run_reject(run_state *st, rejects_sink *w, const char *path, long line, const char *raw,
                size_t raw_len, const char *field, const char *why)
{
    char where[REJECTS_WHERE_MAX], reason[REJECTS_REASON_MAX], msg[REJECTS_WHERE_MAX + REJECTS_REASON_MAX + 2];
    rejects_describe(path, line, field, why, where, sizeof where, reason, sizeof reason);
    if (st->out->quality.rejected < REJECT_WARNINGS) {
        snprintf(msg, sizeof msg, "%s: %s", where, reason);
        run_warn(st, msg);   /* out of memory only loses the message */
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
    if (run_feed(x->st, &r) != 0) { snprintf(x->err, x->errlen, "stats: out of memory"); return RUN_FAIL; }
    progress_tick(&x->pg, x->st->out->responses);
    return RUN_MORE;
}

/* Reads the header record into X->h.  0 ok, -1 with X->err. */
static int read_header(csv_run *x)
{
    char err[1024], why[256];
    csv_record rec;
    int rc = csv_read(x->rd, &rec, err, sizeof err);

    if (rc == 0) snprintf(err, sizeof err, "%s: empty file (no header row)", x->path);
    if (rc <= 0) { snprintf(x->err, x->errlen, "stats: %s", err); return -1; }
    if (resp_header_init(&x->h, &rec, why, sizeof why) != 0) {
        snprintf(x->err, x->errlen, "stats: %s:%ld: %s", x->path, rec.line, why);
        return -1;
    }
    return 0;
}

/* The records after the header: by chunks on threads when the input is a
 * regular file, else (or when threads cannot start) in one pass. */
static int read_body(csv_run *x)
{
    struct stat st;
    long line;
    long long data = csv_reader_tell(x->rd, &line);

    if (data >= 0 && fstat(csv_reader_fd(x->rd), &st) == 0 && S_ISREG(st.st_mode) &&
        (long long)st.st_size > data) {
        int rc = run_par(x, data, line, (long long)st.st_size);
        if (rc <= 0) return rc;
    }
    for (;;) {
        int rc = run_csv_next(x);
        if (rc == RUN_FAIL) return -1;
        if (rc != RUN_MORE) return 0;
    }
}

stats_result *run_csv(const char *path, const stats_opts *o, unsigned analyses,
                      rejects_sink *rejects, progress_fn show, void *ctx,
                      char *err, size_t errlen)
{
    char why[1024];
    run_state st;
    csv_run x;

    if (run_setup(&st, o) != 0 || run_start(&st, analyses) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        run_abort(&st);
        return NULL;
    }
    memset(&x, 0, sizeof x);
    x.st = &st;
    x.path = path;
    x.rejects = rejects;
    x.err = err;
    x.errlen = errlen;
    if (!(x.rd = csv_reader_open(path, why, sizeof why))) {
        snprintf(err, errlen, "stats: %s", why);
        run_abort(&st);
        return NULL;
    }
    int rc = read_header(&x);
    if (rc == 0) {
        progress_init_cb(&x.pg, path, 0, show, ctx);
        rc = read_body(&x);
        progress_done(&x.pg);
        resp_header_free(&x.h);
    }
    csv_reader_free(x.rd);
    if (rc != 0) { run_abort(&st); return NULL; }
    return run_finish(&st, err, errlen);
}
