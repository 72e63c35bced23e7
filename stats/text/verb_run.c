/* verb_run.c — the verbatim themes and charged-word flags as a row of the
 * table of analyses (stats/analysis.h), and the spool of flags rows
 * (verbatims.h): the rows of verbatim_flags.csv, written as CSV as the
 * comments stream, in memory up to SPOOL_MEM bytes, then into a temporary
 * file written and read back past the page cache (core/dspool.h: in
 * $TMPDIR, else /tmp; unlinked at once, gone when closed), so memory stays
 * bounded whatever the number of comments and the rows are only copied at
 * the end.  The accumulator keeps owning what it
 * publishes: the themes and the spool live until the run's result is
 * freed. */
#include "stats/analysis.h"
#include "core/afile.h"
#include "stats/text/verbatims.h"
#include "stats/text/verb_pipe.h"
#include "core/dspool.h"
#include "core/csv.h"
#include "core/timeparse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPOOL_MEM (1u << 20) /* rows kept in memory before the temporary file */
#define SPOOL_CHECK 256      /* rows between two looks at the memory's size */
#define SPOOL_BUF (1u << 20) /* the temporary file's stdio buffer */

struct verb_spool {
    FILE *mem; /* the rows while they fit (open_memstream), NULL once in the pool */
    char *mem_buf;
    size_t mem_len;
    unsigned since_check;
    dspool pool;     /* the temporary file, once memory was full */
    int pooled;      /* pool opened (closed with the spool) */
    csv_writer *w;   /* writes the rows into mem, then into the pool */
    int failed, err; /* err: errno of the failure (0: out of memory) */
};

/* The temporary file's stream: NULL until memory was full, and once the
 * feed is over. */
static FILE *spool_file(const verb_spool *s) { return s->pooled ? dspool_file(&s->pool) : NULL; }

static void spool_fail(verb_spool *s, int err)
{
    s->failed = 1;
    s->err = err;
}

/* The rows so far into the temporary file, and the writer onto it. */
static void spool_spill(verb_spool *s)
{
    if (dspool_open(&s->pool, "flags", SPOOL_BUF) != 0) {
        spool_fail(s, errno);
        return;
    }
    s->pooled = 1;
    if (fwrite(s->mem_buf, 1, s->mem_len, spool_file(s)) != s->mem_len) {
        spool_fail(s, errno);
        return;
    }
    fclose(s->mem);
    s->mem = NULL;
    free(s->mem_buf);
    s->mem_buf = NULL;
    s->mem_len = 0;
    csv_writer_free(s->w);
    if (!(s->w = csv_writer_new(spool_file(s), 1))) spool_fail(s, 0);
}

typedef struct verb_row {
    verb_acc *acc;
    verb_spool spool;
    verb_pipe *pipe; /* the analysis's thread; NULL: runs on the feeder's */
} verb_row;

static int consume(void *ctx, const cx_response *r, int month, const char *const *seg);

static void *row_create(const analysis_env *env)
{
    verb_row *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    char err[256];
    verb_opts o;
    memset(&o, 0, sizeof o);
    o.so = env->o;
    v->acc = verb_new(&o, err, sizeof err);
    if (!v->acc) {
        free(v);
        return NULL;
    }
    /* its own thread (verb_pipe.h); without one it works inline */
    v->pipe = verb_pipe_new(env->o->n_by, consume, v);
    return v;
}

/* The row of comment R with flag F, in CSV, into the spool. */
static void spool_row(verb_spool *s, const cx_response *r, const verb_flag *f)
{
    if (s->failed) return;
    if (!s->w) {
        if (!(s->mem = open_memstream(&s->mem_buf, &s->mem_len))) {
            spool_fail(s, 0);
            return;
        }
        if (!(s->w = csv_writer_new(s->mem, 1))) {
            spool_fail(s, 0);
            return;
        }
    }
    char row[2048]; /* the usual row, built here and written in one go */
    size_t n = verb_flag_csv_text(row, sizeof row, r->source, r->response_id, r->interaction_type, f);
    if (n) csv_put_raw(s->w, row, n);
    else verb_flag_csv_row(s->w, r->source, r->response_id, r->interaction_type, f);
    if (++s->since_check < SPOOL_CHECK) return;
    s->since_check = 0; /* a failed write fails the next ones too: errno still says why */
    if (csv_writer_failed(s->w)) {
        spool_fail(s, s->pooled ? errno : 0);
        return;
    }
    if (s->mem) {
        if (fflush(s->mem) != 0) {
            spool_fail(s, 0);
            return;
        }
        if (s->mem_len > SPOOL_MEM) spool_spill(s);
    }
}

/* One response, on the analysis's thread (or inline). */
static int consume(void *ctx, const cx_response *r, int month, const char *const *seg)
{
    verb_row *v = ctx;
    verb_flag buf;
    const verb_flag *f = &buf;
    if (month == VERB_PIPE_NO_MONTH) month = time_month_key(r->responded_at);
    int rc = verb_add_seg_ref(v->acc, r, month, seg, &buf, &f);
    if (rc <= 0) return rc;
    spool_row(&v->spool, r, f);
    return 0;
}

static int row_add(void *acc, const cx_response *r, const char *const *seg)
{
    verb_row *v = acc;
    return v->pipe ? verb_pipe_push(v->pipe, r, seg) : consume(v, r, VERB_PIPE_NO_MONTH, seg);
}

verb_pipe *verb_row_pipe(void *acc) { return acc ? ((verb_row *)acc)->pipe : NULL; }

static int row_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    verb_row *v = acc;
    if (v->pipe && verb_pipe_end(v->pipe) != 0) {
        snprintf(err, errlen, "verbatims: out of memory");
        return -1;
    }
    const verb_result *res = verb_finish(v->acc);
    if (!res) {
        snprintf(err, errlen, "verbatims: out of memory");
        return -1;
    }
    verb_spool *sp = &v->spool;
    if (!sp->failed && sp->mem && fflush(sp->mem) != 0) spool_fail(sp, 0);
    FILE *f = spool_file(sp);
    if (!sp->failed && f && fflush(f) != 0) spool_fail(sp, errno);
    if (!sp->failed && sp->w && csv_writer_failed(sp->w)) spool_fail(sp, f ? EIO : 0);
    if (!sp->failed && f) { /* every row in the file, its stream closed */
        csv_writer_free(sp->w);
        sp->w = NULL;
        if (dspool_finish(&sp->pool) != 0) spool_fail(sp, errno);
    }
    if (sp->failed) {
        snprintf(err, errlen, "verbatims: the flags of %lld comments: %s%s%s%s",
                 (long long)(res->comments[0] + res->comments[1] + res->comments[2]),
                 sp->err ? "temporary file in " : "", sp->err ? temp_dir() : "", sp->err ? ": " : "",
                 sp->err ? strerror(sp->err) : "out of memory");
        return -1;
    }
    out->themes = res;
    out->verb_flags = &v->spool;
    return 0;
}

/* The feed is over: the thread works through what it was handed, and
 * the ring's memory goes (a failure is said by row_finish). */
static void row_rest(void *acc)
{
    verb_row *v = acc;
    if (v->pipe) (void)verb_pipe_end(v->pipe);
}

static void row_destroy(void *acc)
{
    verb_row *v = acc;
    if (!v) return;
    verb_pipe_free(v->pipe); /* first: its thread uses the rest */
    verb_free(v->acc);
    csv_writer_free(v->spool.w);
    if (v->spool.mem) fclose(v->spool.mem);
    free(v->spool.mem_buf);
    if (v->spool.pooled) dspool_close(&v->spool.pool);
    free(v);
}

static int copy_piece(void *ctx, const char *b, size_t n)
{
    csv_put_raw(ctx, b, n);
    return 0;
}

int verb_spool_copy(const verb_spool *s, csv_writer *w)
{
    if (s->failed) return -1;
    if (s->mem) { /* flushed by row_finish: mem_buf holds every row */
        csv_put_raw(w, s->mem_buf, s->mem_len);
        return 0;
    }
    return s->pooled ? dspool_each(&s->pool, copy_piece, w) : 0;
}

const analysis analysis_themes = {
    "verbatims", STATS_RUN_TEXT, 0, row_create, row_add, row_finish, row_destroy, row_rest,
};
