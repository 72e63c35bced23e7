/* run_csv.c — `stats --input`: the header, the duplicate-id pass and the
 * choice between the threaded chunk reader (run_par.c) and one pass of
 * csv_read; a record is taken or rejected in run_record.c, the same way by
 * both readers, so they give the same tables. */
#include "run/run_int.h"
#include "core/afile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads the header record into X->h.  0 ok, -1 with X->err. */
static int read_header(csv_run *x)
{
    char err[1024], why[256];
    csv_record rec;
    int rc = csv_read(x->rd, &rec, err, sizeof err);

    if (rc == 0) snprintf(err, sizeof err, "%s: empty file (no header row)", x->path);
    if (rc <= 0) {
        snprintf(x->err, x->errlen, "stats: %s", err);
        return -1;
    }
    if (resp_header_init(&x->h, &rec, why, sizeof why) != 0) {
        snprintf(x->err, x->errlen, "stats: %s:%ld: %s", x->path, rec.line, why);
        return -1;
    }
    return 0;
}

/* The records after the header: by chunks on threads when the input is a
 * regular file, else (a pipe's copy, or when threads cannot start) in one
 * pass. */
static int read_body(csv_run *x)
{
    struct stat st;
    long line;
    long long data = csv_reader_tell(x->rd, &line);

    if (!x->spooled && data >= 0 && fstat(csv_reader_fd(x->rd), &st) == 0 && S_ISREG(st.st_mode) &&
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

/* Repeated response_ids of the regular file PATH (the input, or the copy
 * of a pipe): the store's rule (see core/respcsv_dedup.h).  0 ok, -1 with
 * X->err. */
static int run_dedup(csv_run *x, const char *path, resp_dedup **out)
{
    struct stat st;
    char why[512];
    *out = NULL;
    if (fstat(csv_reader_fd(x->rd), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    const cx_config *cfg = x->st->o->cfg;
    resp_dedup *d = resp_dedup_build(path, &x->h, "csv", cfg->moment_lo, cfg->moment_hi, why, sizeof why);
    if (!d) {
        snprintf(x->err, x->errlen, "stats: %s", why);
        return -1;
    }
    x->dd = d;
    *out = d;
    return 0;
}

/* The rows the reading replaced, said as a warning where the filter was
 * built (before the rejects of the reading).  -1 OOM. */
static int say_replaced(csv_run *x, const resp_dedup *d, size_t at)
{
    stats_result *r = x->st->out;
    long long n = resp_dedup_replaced(d);
    r->quality.replaced = n;
    if (n <= 0) return 0;
    char msg[256];
    /* the number-noun rule of the report's writers (report/noun.h): one row, N rows */
    snprintf(msg, sizeof msg,
             "%s: %lld %s replaced by a later row with the same response_id "
             "(the latest updated_at counts, then the later row, as import keeps)",
             x->path, n, n == 1 ? "row" : "rows");
    if (run_warn(x->st, msg) != 0) return -1;
    char *w = r->warnings[r->n_warnings - 1];
    memmove(&r->warnings[at + 1], &r->warnings[at], (r->n_warnings - 1 - at) * sizeof *r->warnings);
    r->warnings[at] = w;
    return 0;
}

/* What copying a pipe could not copy: a record over the size limit is
 * rejected at once; the error that ended the input is kept for the end,
 * where reading the copy reaches it (or, on the header, is the error). */
typedef struct spool_ctx {
    csv_run *x;
    long fatal_line; /* 0: none */
    char *fatal_raw;
    size_t fatal_len;
    char fatal_why[256];
} spool_ctx;

static void spool_bad(void *ctx, long line, const char *raw, size_t raw_len, const char *why, int fatal)
{
    spool_ctx *k = ctx;
    if (!fatal && line > 1) {
        run_reject(k->x->st, k->x->rejects, k->x->path, line, raw, raw_len, "", why);
        return;
    }
    k->fatal_line = line;
    snprintf(k->fatal_why, sizeof k->fatal_why, "%s", why);
    if ((k->fatal_raw = malloc(raw_len + 1)) != NULL) {
        memcpy(k->fatal_raw, raw, raw_len);
        k->fatal_len = raw_len;
    }
}

/* A pipe (anything but a regular file) is copied to a temporary file
 * first, so that repeated response_ids are found as in a file; X->rd then
 * reads the copy.  *SPOOL gets its name (unlink and free it).  0 ok, -1
 * with X->err. */
static int spool_pipe(csv_run *x, spool_ctx *k, char **spool)
{
    struct stat st;
    char why[1024];
    *spool = NULL;
    /* Standard input is copied even from a file: the passes over it need
     * a name to open again. */
    if (fstat(csv_reader_fd(x->rd), &st) != 0 || (S_ISREG(st.st_mode) && strcmp(x->path, "-") != 0)) return 0;
    char *name = NULL;
    int fd = temp_file("stdin", &name);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd < 0 && errno == ENOMEM) snprintf(x->err, x->errlen, "stats: out of memory");
        else
            snprintf(x->err, x->errlen, "stats: a temporary file for the input in %s: %s", temp_dir(),
                     strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(name);
        }
        free(name);
        return -1;
    }
    *spool = name;
    k->x = x;
    int rc = resp_spool(x->rd, f, spool_bad, k, why, sizeof why);
    if (fclose(f) != 0 && rc == 0)
        snprintf(why, sizeof why, "copying the input: %s", strerror(errno)), rc = -1;
    if (rc != 0) {
        snprintf(x->err, x->errlen, "stats: %s", why);
        return -1;
    }
    if (k->fatal_line == 1) { /* the header: the input is unusable */
        snprintf(x->err, x->errlen, "stats: %s:1: %s", csv_reader_name(x->rd), k->fatal_why);
        return -1;
    }
    csv_reader *copy = csv_reader_open(name, why, sizeof why);
    if (!copy) {
        snprintf(x->err, x->errlen, "stats: %s", why);
        return -1;
    }
    csv_reader_free(x->rd);
    x->rd = copy;
    x->spooled = 1; /* its memory stays what a pipe's was: no chunk threads */
    return 0;
}

stats_result *run_csv(const char *path, const stats_opts *o, unsigned analyses, rejects_sink *rejects,
                      const cx_progress *show, char *err, size_t errlen)
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
    char *spool = NULL;
    spool_ctx sk;
    memset(&sk, 0, sizeof sk);
    int rc = spool_pipe(&x, &sk, &spool);
    if (rc == 0) rc = read_header(&x);
    resp_dedup *dd = NULL;
    size_t warn_at = st.out->n_warnings;
    if (rc == 0 && run_dedup(&x, spool ? spool : path, &dd) != 0) rc = -1;
    if (rc == 0) {
        cx_rows_start(&x.pg, show, path);
        rc = read_body(&x);
        cx_rows_end(&x.pg);
    }
    if (rc == 0 && sk.fatal_line > 1) /* the error that ended the copied input */
        run_reject(&st, rejects, path, sk.fatal_line, sk.fatal_raw ? sk.fatal_raw : "", sk.fatal_len, "",
                   sk.fatal_why);
    free(sk.fatal_raw);
    if (rc == 0 && dd && say_replaced(&x, dd, warn_at) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        rc = -1;
    }
    resp_dedup_free(dd);
    resp_header_free(&x.h);
    csv_reader_free(x.rd);
    if (spool) unlink(spool);
    free(spool);
    if (rc != 0) {
        run_abort(&st);
        return NULL;
    }
    return run_finish(&st, err, errlen);
}
