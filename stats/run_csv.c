/* run_csv.c — `stats --input`: the header, the choice between the
 * threaded chunk reader (run_par.c) and one pass of csv_read, and rejects.
 * Both readers take a record the same way, so they give the same tables. */
#include "stats/run_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void run_reject(stats_result *res, csv_writer *w, const char *path, long line, const char *raw,
                size_t raw_len, const char *field, const char *why, int quiet)
{
    char where[512], reason[256];
    snprintf(where, sizeof where, "%s:%ld", path, line);
    if (field && *field) snprintf(reason, sizeof reason, "field '%s': %s", field, why);
    else snprintf(reason, sizeof reason, "%s", why);
    if (!quiet && res->rejected < 20) cx_msg("%s: %s", where, reason);
    res->rejected++;
    if (!w) return;
    csv_put_text(w, "csv");
    csv_put_text(w, where);
    csv_put_text(w, reason);
    csv_put_text_len(w, raw, raw_len);
    csv_end_record(w);
}

int run_csv_next(csv_run *x)
{
    char err[1024];
    csv_record rec;
    cx_response r;
    const char *field, *msg;
    const cx_config *cfg = x->res->o->cfg;
    int rc = csv_read(x->rd, &rec, err, sizeof err);

    if (rc == 0) return RUN_EOF;
    if (rc < 0) {
        run_reject(x->res, x->rejects, x->path, rec.line, rec.raw, rec.raw_len, "",
                   csv_error_reason(x->rd, err), x->quiet);
        return rc == -1 ? RUN_FATAL : RUN_MORE;
    }
    if (rec.nfields == 1 && rec.lens[0] == 0) return RUN_MORE;
    if (resp_from_record(&x->h, &rec, "csv", 0, cfg->moment_lo, cfg->moment_hi, &r, &field, &msg) != 0) {
        run_reject(x->res, x->rejects, x->path, rec.line, rec.raw, rec.raw_len, field, msg, x->quiet);
        return RUN_MORE;
    }
    if (run_feed(x->res, &r) != 0) { cx_msg("stats: out of memory"); return RUN_FAIL; }
    progress_tick(&x->pg, x->res->responses);
    return RUN_MORE;
}

/* Reads the header record into X->h.  0 ok, -1 after a message. */
static int read_header(csv_run *x)
{
    char err[1024], why[256];
    csv_record rec;
    int rc = csv_read(x->rd, &rec, err, sizeof err);

    if (rc == 0) snprintf(err, sizeof err, "%s: empty file (no header row)", x->path);
    if (rc <= 0) { cx_msg("stats: %s", err); return -1; }
    if (resp_header_init(&x->h, &rec, why, sizeof why) != 0) {
        cx_msg("stats: %s:%ld: %s", x->path, rec.line, why);
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

int stats_run_csv_only(const char *path, const stats_opts *o, unsigned analyses,
                       stats_result *res, csv_writer *rejects, int quiet)
{
    char err[1024];
    csv_run x;

    if (run_setup(res, o) != 0 || run_start(res, analyses) != 0) { cx_msg("stats: out of memory"); return -1; }
    memset(&x, 0, sizeof x);
    x.res = res;
    x.path = path;
    x.rejects = rejects;
    x.quiet = quiet;
    if (!(x.rd = csv_reader_open(path, err, sizeof err))) { cx_msg("stats: %s", err); return -1; }
    if (read_header(&x) != 0) { csv_reader_free(x.rd); return -1; }
    progress_init(&x.pg, path, 0, quiet);
    int rc = read_body(&x);
    progress_done(&x.pg);
    resp_header_free(&x.h);
    csv_reader_free(x.rd);
    return rc == 0 ? run_finish(res) : -1;
}

int stats_run_csv(const char *path, const stats_opts *o, stats_result *res,
                  csv_writer *rejects, int quiet)
{
    return stats_run_csv_only(path, o, STATS_RUN_ALL, res, rejects, quiet);
}
