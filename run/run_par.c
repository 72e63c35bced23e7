/* run_par.c — `stats --input` on one thread per CPU (docs/performance.md).
 *
 * The file after the header is cut into chunks of a few MB.  Workers take
 * chunks in order and scan them (run_chunk.c); at most WINDOW chunks are
 * out at a time, so memory does not grow with the file.  This thread takes
 * the finished chunks in file order: a chunk whose guessed start is where
 * the one before really ended is merged (NPS counts, rejects, and its rows
 * fed in order to the analyses that need order, each comment already read
 * by the worker: the note of run.c, its tokens for the verbatim thread); any text no chunk vouches
 * for — a record cut by a chunk end, a chunk whose guess fell inside a
 * quoted line break — is read with csv_read, record by record, until the
 * next guess is reached.  The tables are the same as one csv_read pass.
 * The verbatim analysis's thread is handed a taken chunk's rows where
 * they are (verb_pipe_push_batch), not copied: the chunk's slot is reused
 * only once that thread is done with it too.
 */
#include "run/run_par_rows.h"
#include "stats/text/verb_pipe.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 16
_Static_assert(MAX_THREADS <= VERB_ORIGINS, "a worker's number names its reader (verb_flag.toks_from)");
#define CHUNK_MAX ((long long)1 << 20)
#define CHUNK_MIN ((long long)16 << 10) /* small files still get several chunks */

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done; /* a slot was freed / a chunk is ready */
    size_t n_chunks, next, taken, window;
    int stop;
    chunk *slot; /* chunk k lives in slot k % window */
    int *ready;
    chunk_cfg cfg;
    long long data, chunk_len;
    struct worker *w;
    size_t n_workers;
    /* the verbatim analysis's thread (NULL: its rows go by its add) */
    verb_pipe *vp;
    const void *vacc;  /* its accumulator, left out of the row feed */
    int *vheld;        /* slot k's rows not yet read by that thread */
    struct vbatch *vb; /* slot k's rows as a batch for it */
} pool;

/* The rows of the chunk in slot SLOT, for the verbatim thread. */
typedef struct vbatch {
    pool *p;
    const chunk *c;
    size_t slot;
} vbatch;

typedef struct worker {
    pool *p;
    chunk_scratch s;
    pthread_t tid;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    pool *p = w->p;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->next < p->n_chunks &&
               (p->next >= p->taken + p->window || p->vheld[p->next % p->window]))
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop || p->next >= p->n_chunks) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        size_t k = p->next++;
        pthread_mutex_unlock(&p->mu);
        chunk *c = &p->slot[k % p->window];
        c->lo = p->data + (long long)k * p->chunk_len;
        c->hi = k + 1 == p->n_chunks ? p->cfg.size : c->lo + p->chunk_len;
        c->first = k == 0;
        c->from = (unsigned)(w - p->w) + 1;
        chunk_run(c, &p->cfg, &w->s);
        pthread_mutex_lock(&p->mu);
        p->ready[k % p->window] = 1;
        pthread_cond_signal(&p->done);
        pthread_mutex_unlock(&p->mu);
    }
}

static chunk *wait_chunk(pool *p, size_t k)
{
    pthread_mutex_lock(&p->mu);
    while (!p->ready[k % p->window]) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    return &p->slot[k % p->window];
}

static void release_chunk(pool *p, size_t k)
{
    pthread_mutex_lock(&p->mu);
    p->ready[k % p->window] = 0;
    p->taken++;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
}

/* On the verbatim thread: the batch's rows, as run_par_feed gives them to
 * the analyses fed row by row (the NPS ones that stay), with their notes. */
static int verb_each(void *arg, verb_pipe_fn fn, void *ctx)
{
    const vbatch *b = arg;
    const chunk *c = b->c;
    const chunk_cfg *g = &b->p->cfg;
    cx_response r;
    verb_flag note;
    const char *seg[STATS_MAX_BY];

    cx_response_clear(&r);
    for (size_t i = 0; i < c->n_rows; i++) {
        const chunk_row *w = &c->rows[i];
        if (w->pend == CHUNK_PEND_DROPPED || w->metric != CX_METRIC_NPS) continue;
        const uint32_t *t = c->text + w->text;
        r.source = chunk_text(c, t[RT_SOURCE]);
        if (!r.source[0]) r.source = "csv";
        r.response_id = chunk_text(c, t[RT_RESPONSE_ID]);
        r.comment = chunk_text(c, t[RT_COMMENT]);
        r.interaction_type = chunk_text(c, t[RT_INTERACTION_TYPE]);
        r.channel = chunk_text(c, t[RT_CHANNEL]);
        r.responded_at = w->responded_at;
        r.score = w->score;
        r.metric = w->metric;
        for (size_t d = 0; d < g->n_by; d++) {
            const char *v = g->dims[d].kind == DIM_SOURCE ? r.source
                            : g->dims[d].kind == DIM_TEXT ? chunk_text(c, t[g->dims[d].text])
                                                          : "";
            seg[d] = v[0] ? v : NULL;
        }
        r.note = chunk_note(c, i, &note);
        if (r.note) note.toks_from = c->from; /* its tokens' ids are that worker's reader's */
        if (fn(ctx, &r, w->month, seg) != 0) return -1;
    }
    return 0;
}

/* On the verbatim thread: the batch's slot may be reused. */
static void verb_done(void *arg)
{
    const vbatch *b = arg;
    pool *p = b->p;
    pthread_mutex_lock(&p->mu);
    p->vheld[b->slot] = 0;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
}

/* Chunk K's rows (taken) to the verbatim thread.  0 ok, -1 failed. */
static int hand_rows(pool *p, size_t k)
{
    size_t slot = k % p->window;
    pthread_mutex_lock(&p->mu);
    p->vheld[slot] = 1;
    pthread_mutex_unlock(&p->mu);
    p->vb[slot] = (vbatch){p, &p->slot[slot], slot};
    return verb_pipe_push_batch(p->vp, verb_each, verb_done, &p->vb[slot]);
}

/* Chunk C, whose start is a record boundary on line LINE + 1, into the run. */
static int take_chunk(csv_run *x, chunk *c, const chunk_cfg *g, long line)
{
    stats_result *res = x->st->out;
    if (nps_part_merge(run_nps_table(x->st), c->nps) != 0 || run_par_settle(x, c, g) != 0) return -1;
    res->responses += c->responses;
    for (size_t d = 0; d < g->n_by; d++) res->missing_segment[d] += c->missing[d];
    for (size_t i = 0; i < c->n_rej; i++) {
        const chunk_rej *j = &c->rej[i];
        char why[96];
        if (!j->why)
            snprintf(why, sizeof why, "unexpected character after closing quote in field %zu", j->bad_field);
        run_reject(x->st, x->rejects, x->path, line + j->line, c->raw + j->raw, j->raw_len, j->field,
                   j->why ? j->why : why);
    }
    if ((g->keep_rows || g->keep_metric_rows) && run_par_feed(x, c, g) != 0) return -1;
    cx_rows_tick(&x->pg, res->responses & ~1023LL);
    return 0;
}

/* Reads records with csv_read from *POS (on line *LINE + 1) until *POS
 * reaches TARGET; *SYNCED says the reader already stands at *POS.
 * RUN_MORE, RUN_EOF, RUN_FATAL, RUN_FAIL (with X->err). */
static int read_until(csv_run *x, long long *pos, long *line, long long target, int *synced)
{
    while (*pos < target) {
        if (!*synced && csv_reader_seek(x->rd, *pos, *line) != 0) goto io_error;
        *synced = 1;
        int rc = run_csv_next(x);
        if (rc != RUN_MORE) return rc;
        if ((*pos = csv_reader_tell(x->rd, line)) < 0) goto io_error;
    }
    return RUN_MORE;
io_error:
    snprintf(x->err, x->errlen, "stats: %s: %s", x->path, strerror(errno));
    return RUN_FAIL;
}

/* This thread's part: chunks in order, and what lies between them. */
static int consume(csv_run *x, pool *p, long long data, long line)
{
    long long pos = data;
    int synced = 0, rc = RUN_MORE;

    for (size_t k = 0; k < p->n_chunks && rc == RUN_MORE; k++) {
        chunk *c = wait_chunk(p, k);
        if (c->ok && c->start == pos) {
            x->st->skip = p->vacc; /* its rows go to the verbatim thread at once */
            int bad = take_chunk(x, c, &p->cfg, line) != 0;
            x->st->skip = NULL;
            if (bad || (p->vp && hand_rows(p, k) != 0)) {
                snprintf(x->err, x->errlen, "stats: out of memory");
                rc = RUN_FAIL;
            }
            pos = c->end;
            line += c->lines;
            synced = 0;
        }
        if (rc == RUN_MORE) rc = read_until(x, &pos, &line, c->ok ? c->stop : c->hi, &synced);
        release_chunk(p, k);
    }
    if (rc == RUN_MORE) rc = read_until(x, &pos, &line, (long long)1 << 62, &synced); /* to EOF */
    return rc == RUN_FAIL ? -1 : 0;
}

static size_t cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (size_t)n;
}

static void pool_free(pool *p)
{
    for (size_t i = 0; p->slot && i < p->window; i++) chunk_free(&p->slot[i]);
    for (size_t i = 0; p->w && i < p->n_workers; i++) chunk_scratch_free(&p->w[i].s);
    free(p->slot);
    free(p->ready);
    free(p->vheld);
    free(p->vb);
    free(p->w);
}

/* Workers, slots and the fixed part of the jobs.  0 ok, -1 OOM. */
static int pool_init(pool *p, csv_run *x, long long data, long long size, size_t n)
{
    const stats_opts *o = x->st->o;
    chunk_cfg *g = &p->cfg;

    p->chunk_len = (size - data) / (long long)(8 * n) + 1;
    if (p->chunk_len > CHUNK_MAX) p->chunk_len = CHUNK_MAX;
    if (p->chunk_len < CHUNK_MIN) p->chunk_len = CHUNK_MIN;
    p->data = data;
    p->n_chunks = (size_t)((size - data + p->chunk_len - 1) / p->chunk_len);
    p->window = 2 * n + 2 < p->n_chunks ? 2 * n + 2 : p->n_chunks;
    g->fd = csv_reader_fd(x->rd);
    g->size = size;
    g->h = &x->h;
    g->dd = x->dd;
    g->n_by = o->n_by;
    run_dims(&x->h, o, g->dims);
    g->moment_lo = o->cfg->moment_lo;
    g->moment_hi = o->cfg->moment_hi;
    g->keep_rows = run_has(x->st, 0);
    g->keep_metric_rows = run_has(x->st, ANALYSIS_ANY_METRIC);
    g->verbatims = run_has(x->st, ANALYSIS_RECENT);
    g->scope_month = o->month;
    g->o = o;
    g->notes = x->st->reader != NULL && g->keep_rows; /* the pre-step, on the workers */
    g->n_text = RT_ATTR0 + x->h.n_attrs;
    for (size_t k = 0; k < g->n_text; k++) g->text_col[k] = run_text_col(&x->h, k);
    p->slot = calloc(p->window, sizeof *p->slot);
    p->ready = calloc(p->window, sizeof *p->ready);
    p->vheld = calloc(p->window, sizeof *p->vheld);
    p->vb = calloc(p->window, sizeof *p->vb);
    p->w = calloc(n, sizeof *p->w);
    if (!p->slot || !p->ready || !p->vheld || !p->vb || !p->w) return -1;
    if (g->notes) p->vp = run_verb_pipe(x->st, &p->vacc); /* the notes carry the tokens it counts */
    p->n_workers = n;
    for (size_t i = 0; i < p->window; i++)
        if (chunk_init(&p->slot[i], o->n_by, (size_t)p->chunk_len + (64u << 10) + CSVS_PAD) != 0) return -1;
    for (size_t i = 0; i < n; i++) {
        p->w[i].p = p;
        if (chunk_scratch_init(&p->w[i].s, x->h.ncols, g->notes ? x->st : NULL) != 0) return -1;
    }
    return 0;
}

int run_par(csv_run *x, long long data, long line, long long size)
{
    pool p;
    pthread_attr_t attr;
    size_t started = 0, n = cpus();
    int rc = 1;

    memset(&p, 0, sizeof p);
    if (pool_init(&p, x, data, size, n) != 0) {
        pool_free(&p);
        return 1;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.done, NULL);
    if (pthread_attr_init(&attr) == 0) {
        pthread_attr_setstacksize(&attr, (size_t)1 << 20); /* workers use little stack */
        for (; started < n; started++)
            if (pthread_create(&p.w[started].tid, &attr, work, &p.w[started]) != 0) break;
        pthread_attr_destroy(&attr);
    }
    if (started > 0) rc = consume(x, &p, data, line);
    if (p.vp) verb_pipe_sync(p.vp); /* no batch reads a chunk past here */
    pthread_mutex_lock(&p.mu);
    p.stop = 1;
    pthread_cond_broadcast(&p.work);
    pthread_mutex_unlock(&p.mu);
    for (size_t i = 0; i < started; i++) pthread_join(p.w[i].tid, NULL);
    pthread_cond_destroy(&p.done);
    pthread_cond_destroy(&p.work);
    pthread_mutex_destroy(&p.mu);
    pool_free(&p);
    return rc;
}
