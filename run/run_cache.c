/* run_cache.c — the store runs through the analysis cache (run.h
 * run_store_cached, run_store_nps_cached; core/store/cache.h,
 * docs/cache.md).
 *
 * The store's generation is read first.  A cache built from it is read
 * block by block on a thread of its own, which reads and checks the next
 * block and, when every --by dimension is a text field of the response,
 * counts its NPS answers into a part (stats/npspart.h) as run_par.c's
 * chunk workers do, while this thread merges the parts and feeds the rows,
 * in order, to the analyses fed row by row (run_par.c's split); otherwise
 * every row goes through run_feed.  Customers and spend are still loaded
 * from the store.  Any
 * other cache is rebuilt while the store is scanned as before: each row
 * of the scan goes to the cache's writer too, and the new file replaces
 * the old only when the generation read after the scan is still the one
 * read before it (no write landed in between).  A damaged cache found
 * while reading is said in the caller's NOTE and the run starts again from
 * the store.
 * The NPS tables alone come from the cache's month, score, metric and
 * dimension columns, counted per (month, dictionary code) of each block.
 */
#include "run/run_int.h"
#include "core/afile.h"
#include "core/store/cache.h"
#include "core/store/store_check.h"
#include "core/timeparse.h"
#include "stats/npspart.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH_CAP 4096

typedef struct cache_key {
    char path[PATH_CAP], id[STORE_GEN_MAX], gen[STORE_GEN_MAX];
    long long mark;             /* store_row_mark, when has_mark */
    int has_mark;
} cache_key;

/* The cache's place and the store's generation: 0, or -1 when the cache
 * is not to be used (turned off, no place for it, no generation). */
static int cache_key_get(store *s, const char *target, cache_key *k)
{
    const char *off = getenv("CXPULSE_CACHE");
    if (off && strcmp(off, "off") == 0) return -1;
    if (!target || cache_path(target, k->path, sizeof k->path) != 0) return -1;
    if (store_generation(s, k->id, k->gen) != 0) return -1;
    int m = store_row_mark(s, &k->mark);     /* after the generation: see run_and_build */
    if (m < 0) return -1;
    k->has_mark = m == 0;
    return 0;
}

/* The cache column of a --by dimension that is a text field, or -1. */
static int dim_col(const char *name)
{
    switch (cx_dim_field(name)) {
    case CX_F_SOURCE: return CC_SOURCE;
    case CX_F_CUSTOMER_ID: return CC_CUSTOMER_ID;
    case CX_F_AGENT_ID: return CC_AGENT_ID;
    case CX_F_CHANNEL: return CC_CHANNEL;
    case CX_F_PRODUCT: return CC_PRODUCT;
    case CX_F_INTERACTION_TYPE: return CC_INTERACTION_TYPE;
    default: return -1;
    }
}

/* ---- reading: a reader thread, blocks handed over two at a time ---- */

#define SLOTS 2

enum { S_FREE, S_FULL, S_END, S_DAMAGED, S_OOM, S_STORE, S_WRITER };
enum { F_READ, F_BUILD, F_EXTEND };
typedef struct slot {
    cache_block b;
    int state;                  /* S_*: a store error or a writer that failed (building) too */
    /* counted on the reader thread when every --by dimension is a text
     * field (as run_par.c's chunks count): the block's NPS answers */
    nps_part *part;
    long long responses, missing[STATS_MAX_BY];
} slot;

typedef struct feeder {
    int mode;                   /* F_* */
    cache_reader *r;            /* F_READ: the blocks of this cache; F_EXTEND: the old cache */
    store *store;               /* F_BUILD, F_EXTEND: the store scanned */
    cache_writer *w;            /* F_BUILD, F_EXTEND: the new cache, whose blocks are handed over */
    size_t k;                   /* blocks handed over */
    /* F_EXTEND: the store's rows after MARK merged with the old cache's */
    long long mark, added;
    cache_block ob;             /* the old block being merged, when have_ob */
    size_t oi, ocur[2];         /* its next row; attributes and moments before it */
    int have_ob, old_end;
    cx_response row;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    slot s[SLOTS];
    int stop;
    int counts;                 /* the reader thread counts NPS (col below) */
    int col[STATS_MAX_BY];
    size_t n_by;
    char why[512];
} feeder;

/* The value of dimension D (a text column) for row I of B. */
static csv_span text_of(const cache_block *b, int col, size_t i)
{
    const cache_text *t = &b->text[col - CC_FIRST_TEXT];
    uint32_t code = t->code[i];
    csv_span v = {cache_str(t, code), t->off[code + 1] - t->off[code] - 1};
    return v;
}

/* The NPS answers of the block in S into its part.  0, -1 damaged (WHY),
 * -2 out of memory. */
static int count_slot(feeder *f, slot *s, char *why, size_t whylen)
{
    const cache_block *b = &s->b;
    nps_part_clear(s->part);
    s->responses = 0;
    memset(s->missing, 0, sizeof s->missing);
    for (size_t i = 0; i < b->rows; i++) {
        if (b->metric[i] != CX_METRIC_NPS) continue;
        int64_t score = b->score[i];
        if (store_check_group(b->month[i], &score, why, whylen) != 0) return -1;
        csv_span seg[STATS_MAX_BY];
        for (size_t d = 0; d < f->n_by; d++) {
            seg[d] = text_of(b, f->col[d], i);
            s->missing[d] += seg[d].len == 0;
        }
        s->responses++;
        if (nps_part_add(s->part, b->month[i], b->score[i], seg) != 0) return -2;
    }
    return 0;
}

/* Waits until slot S is free: 0, -1 when the run stopped. */
static int wait_free(feeder *f, slot *s)
{
    pthread_mutex_lock(&f->mu);
    while (s->state != S_FREE && !f->stop) pthread_cond_wait(&f->cv, &f->mu);
    int stop = f->stop;
    pthread_mutex_unlock(&f->mu);
    return stop ? -1 : 0;
}

static void set_state(feeder *f, slot *s, int state, const char *why)
{
    pthread_mutex_lock(&f->mu);
    if (why) snprintf(f->why, sizeof f->why, "%s", why);
    s->state = state;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

/* The next slot, once free, says STATE (and WHY): how the builder
 * thread ends.  -2 (to end a scan). */
static int fail_slot(feeder *f, int state, const char *why)
{
    slot *s = &f->s[f->k % SLOTS];
    if (wait_free(f, s) == 0) set_state(f, s, state, why);
    return -2;
}

/* The block the writer wrote last into the next slot (free, waited for),
 * its NPS answers counted.  0, or -2 (the slot says why). */
static int hand_over(feeder *f)
{
    slot *s = &f->s[f->k++ % SLOTS];
    char why[512];
    int rc = cache_view(f->w, &s->b) == 0 ? 0 : -1;
    if (rc == 0 && f->counts && (rc = count_slot(f, s, why, sizeof why)) == -2) {
        set_state(f, s, S_OOM, NULL);
        return -2;
    }
    if (rc != 0) snprintf(why, sizeof why, "cache: a block just written does not read back");
    set_state(f, s, rc == 0 ? S_FULL : S_DAMAGED, rc == 0 ? NULL : why);
    return rc == 0 ? 0 : -2;
}

/* One row into the writer; a block it ends handed over once its slot is
 * free.  0, or -2 (the slot says why, or the run stopped). */
static int put_row(feeder *f, const cx_response *r)
{
    char why[512];
    int ends = cache_block_ends(f->w);
    if (ends && wait_free(f, &f->s[f->k % SLOTS]) != 0) return -2;
    if (cache_add(f->w, r, time_month_key(r->responded_at), why, sizeof why) != 0)
        return fail_slot(f, S_WRITER, why);
    return ends ? hand_over(f) : 0;
}

static int scan_row(const cx_response *r, void *ctx) { return put_row(ctx, r); }

/* The rows gathered as a block of their own, handed over.  0 or -2. */
static int flush_pending(feeder *f)
{
    char why[512];
    if (!cache_pending(f->w)) return 0;
    if (wait_free(f, &f->s[f->k % SLOTS]) != 0) return -2;
    if (cache_flush(f->w, why, sizeof why) < 0) return fail_slot(f, S_WRITER, why);
    return hand_over(f);
}

/* The end of the blocks: the last rows, then the end in the next slot. */
static void finish(feeder *f)
{
    if (flush_pending(f) != 0) return;
    slot *s = &f->s[f->k % SLOTS];
    if (wait_free(f, s) == 0) set_state(f, s, S_END, NULL);
}

/* The builder thread (F_BUILD): the store's scan into the writer. */
static void *scan_blocks(void *arg)
{
    feeder *f = arg;
    int rc = store_scan_responses(f->store, NULL, scan_row, f);
    if (rc == -2) return NULL;                  /* said in its slot, or stopped */
    if (rc != 0) {
        fail_slot(f, S_STORE, rc == -1 && store_error(f->store)[0] ? store_error(f->store) : "out of memory");
        return NULL;
    }
    finish(f);
    return NULL;
}

/* ---- extending (F_EXTEND): the old cache's blocks, whole where no new
 * row falls among their keys, merged in key order with the new rows ---- */

/* Row I of the old block against R by key (source, response_id). */
static int old_cmp(const feeder *f, size_t i, const cx_response *r)
{
    const cache_text *src = &f->ob.text[CC_SOURCE - CC_FIRST_TEXT], *id = &f->ob.text[CC_RESPONSE_ID - CC_FIRST_TEXT];
    int c = strcmp(cache_str(src, src->code[i]), r->source);
    return c ? c : strcmp(cache_str(id, id->code[i]), r->response_id);
}

/* The next old block (have_ob), or old_end.  0, or -2. */
static int next_old(feeder *f)
{
    char why[512];
    int rc = cache_next(f->r, CACHE_ALL_COLS, &f->ob, why, sizeof why);
    if (rc < 0) return fail_slot(f, S_DAMAGED, why);
    f->have_ob = rc > 0;
    f->old_end = rc == 0;
    f->oi = f->ocur[0] = f->ocur[1] = 0;
    return 0;
}

/* The old block as it is (the rows gathered before it a block of their
 * own).  0, or -2. */
static int copy_old(feeder *f)
{
    char why[512];
    if (flush_pending(f) != 0 || wait_free(f, &f->s[f->k % SLOTS]) != 0) return -2;
    if (cache_copy_block(f->w, f->r, why, sizeof why) != 0) return fail_slot(f, S_WRITER, why);
    f->have_ob = 0;
    return hand_over(f);
}

/* The old block's next row into the writer.  0, or -2. */
static int old_row(feeder *f)
{
    char why[512];
    cx_response_clear(&f->row);
    if (cache_row(&f->ob, f->oi++, &f->row, f->ocur, why, sizeof why) != 0) return fail_slot(f, S_DAMAGED, why);
    if (f->oi == f->ob.rows) f->have_ob = 0;
    return put_row(f, &f->row);
}

/* A new row of the store: the old rows before it, then it. */
static int merge_row(const cx_response *r, void *ctx)
{
    feeder *f = ctx;
    for (;;) {
        if (!f->have_ob && (f->old_end || next_old(f) != 0 || f->old_end)) {
            if (!f->old_end) return -2;
            break;
        }
        if (f->oi == 0 && old_cmp(f, f->ob.rows - 1, r) < 0) {
            if (copy_old(f) != 0) return -2;
            continue;
        }
        while (f->have_ob && old_cmp(f, f->oi, r) < 0)
            if (old_row(f) != 0) return -2;
        if (!f->have_ob) continue;
        if (old_cmp(f, f->oi, r) == 0)
            return fail_slot(f, S_DAMAGED, "cache: a new response of the store is in it already");
        break;
    }
    f->added++;
    return put_row(f, r);
}

/* The builder thread (F_EXTEND). */
static void *extend_blocks(void *arg)
{
    feeder *f = arg;
    int rc = store_scan_appended(f->store, f->mark, merge_row, f);
    if (rc == -2) return NULL;
    if (rc != 0) {
        fail_slot(f, S_STORE, rc == -1 && store_error(f->store)[0] ? store_error(f->store) : "out of memory");
        return NULL;
    }
    while (f->have_ob && f->oi > 0)             /* the rest of a block begun */
        if (old_row(f) != 0) return NULL;
    for (;;) {
        if (!f->have_ob && (next_old(f) != 0 || f->old_end)) break;
        if (copy_old(f) != 0) return NULL;
    }
    if (!f->old_end) return NULL;
    finish(f);
    return NULL;
}

/* The reader thread: cache_next keeps two blocks of buffers, so a block is
 * read only once the one before it in that slot was taken. */
static void *read_blocks(void *arg)
{
    feeder *f = arg;
    for (size_t k = 0;; k++) {
        slot *s = &f->s[k % SLOTS];
        pthread_mutex_lock(&f->mu);
        while (s->state != 0 && !f->stop) pthread_cond_wait(&f->cv, &f->mu);
        int stop = f->stop;
        pthread_mutex_unlock(&f->mu);
        if (stop) return NULL;
        char why[512];
        int rc = cache_next(f->r, CACHE_ALL_COLS, &s->b, why, sizeof why);
        if (rc > 0 && f->counts && (rc = count_slot(f, s, why, sizeof why)) == 0) rc = 1;
        pthread_mutex_lock(&f->mu);
        if (rc == -1) memcpy(f->why, why, sizeof why);
        s->state = rc > 0 ? 1 : rc == 0 ? 2 : rc == -1 ? 3 : 4;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        if (rc <= 0) return NULL;
    }
}

/* Row I of block B, already a response R, into the run: with the NPS
 * counts taken from the reader thread, as run_par.c feeds a chunk's rows
 * (the analyses fed row by row; the verbatims offered the rows they may
 * keep); else every analysis through run_feed.  0, -1 OOM. */
static int feed_row(run_state *st, const feeder *f, const cache_block *b, size_t i, cx_response *r, int verbatims)
{
    if (!f->counts) return run_feed(st, r);
    const char *seg[STATS_MAX_BY];
    for (size_t d = 0; d < f->n_by; d++) {
        const cache_text *t = &b->text[f->col[d] - CC_FIRST_TEXT];
        const char *v = cache_str(t, t->code[i]);
        seg[d] = v[0] ? v : NULL;
    }
    if (r->metric != CX_METRIC_NPS) return run_feed_metric(st, r, seg);
    if (run_feed_rest(st, r, seg) != 0) return -1;
    if (verbatims && r->comment[0] && stats_month_in_scope(st->o->month, b->month[i])) return run_verbatim(st, r);
    return 0;
}

/* What feed_cache reads: MODE (F_*) and the feeder's fields it uses. */
typedef struct feed_from {
    int mode;
    cache_reader *r;
    store *store;
    cache_writer *w;
    long long mark;
    long long added;            /* F_EXTEND, out: the new rows merged */
} feed_from;

/* The blocks of FROM (a cache read on a thread of its own; or those its
 * writer writes there from the store's scan, or from the old cache merged
 * with the store's new rows), in order, through the run; TOTAL rows for
 * the progress.  0 done, -1 with ERR; *DAMAGED 1 when the cache read was
 * at fault, 2 when the writer failed (the run may start again without
 * it). */
static int feed_cache(run_state *st, feed_from *from, double total, const cx_progress *p, int *damaged, char *err,
                      size_t errlen)
{
    const stats_opts *o = st->o;
    feeder *f = calloc(1, sizeof *f);
    if (!f) { snprintf(err, errlen, "stats: out of memory"); return -1; }
    f->mode = from->mode;
    f->r = from->r;
    f->store = from->store;
    f->w = from->w;
    f->mark = from->mark;
    f->n_by = o->n_by;
    f->counts = 1;
    for (size_t d = 0; d < o->n_by; d++)
        if ((f->col[d] = dim_col(o->by[d])) < 0) f->counts = 0;   /* maybe a customer's attribute */
    for (size_t k = 0; f->counts && k < SLOTS; k++)
        if (!(f->s[k].part = nps_part_new(o->n_by))) f->counts = -1;
    int verbatims = run_has(st, ANALYSIS_RECENT);
    pthread_t tid;
    int started = f->counts >= 0;
    if (started) {
        pthread_mutex_init(&f->mu, NULL);
        pthread_cond_init(&f->cv, NULL);
        void *(*fn)(void *) = f->mode == F_READ ? read_blocks : f->mode == F_BUILD ? scan_blocks : extend_blocks;
        if (pthread_create(&tid, NULL, fn, f) != 0) {
            pthread_cond_destroy(&f->cv);
            pthread_mutex_destroy(&f->mu);
            started = 0;
        }
    }
    if (!started) {
        for (size_t k = 0; k < SLOTS; k++) nps_part_free(f->s[k].part);
        free(f);
        snprintf(err, errlen, "stats: out of memory, or cannot start a thread");
        return -1;
    }
    cx_response resp;
    long long done = 0;
    int rc = 0;
    cx_progress_say(p, "reading the store", 0, total, "0 responses");   /* its cache: the user's words */
    for (size_t k = 0; rc == 0; k++) {
        slot *s = &f->s[k % SLOTS];
        pthread_mutex_lock(&f->mu);
        while (s->state == 0) pthread_cond_wait(&f->cv, &f->mu);
        int state = s->state;
        pthread_mutex_unlock(&f->mu);
        if (state == S_END) break;
        if (state != S_FULL) {
            if (state == S_OOM) snprintf(err, errlen, "stats: out of memory");
            else if (state == S_STORE) snprintf(err, errlen, "stats: %s", f->why);
            else snprintf(err, errlen, "%s", f->why);
            if (state == S_DAMAGED || state == S_WRITER) *damaged = f->mode != F_BUILD && state == S_DAMAGED ? 1 : 2;
            rc = -1;
            break;
        }
        if (f->counts) {
            stats_result *res = st->out;
            if (nps_part_merge(run_nps_table(st), s->part) != 0) {
                snprintf(err, errlen, "stats: out of memory");
                rc = -1;
            }
            res->responses += s->responses;
            for (size_t d = 0; d < f->n_by; d++) res->missing_segment[d] += s->missing[d];
        }
        size_t cur[2] = {0, 0};
        for (size_t i = 0; i < s->b.rows && rc == 0; i++) {
            cx_response_clear(&resp);
            if (cache_row(&s->b, i, &resp, cur, err, errlen) != 0) {
                *damaged = f->mode == F_READ ? 1 : 2;
                rc = -1;
            } else if (feed_row(st, f, &s->b, i, &resp, verbatims) != 0) {
                snprintf(err, errlen, "stats: out of memory");
                rc = -1;
            }
        }
        done += (long long)s->b.rows;
        if (p) {
            char count[48];
            snprintf(count, sizeof count, "%lld responses", done);
            cx_progress_say(p, "reading the store", (double)done, total, count);
        }
        pthread_mutex_lock(&f->mu);
        s->state = 0;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
    }
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(tid, NULL);
    from->added = f->added;
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    for (size_t k = 0; k < SLOTS; k++) nps_part_free(f->s[k].part);
    free(f);
    return rc;
}

static stats_result *run_from_cache(store *s, cache_reader *r, const stats_opts *o, unsigned analyses,
                                    const cx_progress *p, int *damaged, char *err, size_t errlen)
{
    run_state st;
    if (run_setup(&st, o) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        run_abort(&st);
        return NULL;
    }
    if (run_store_load(&st, s, p, err, errlen) != 0) goto fail;
    if (run_start(&st, analyses) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        goto fail;
    }
    feed_from from = {F_READ, r, NULL, NULL, 0, 0};
    if (feed_cache(&st, &from, (double)cache_rows(r), p, damaged, err, errlen) != 0) goto fail;
    if (run_store_spend(&st, s, p, err, errlen) != 0) goto fail;
    cx_progress_say(p, "computing the statistics", 0, 0, NULL);
    stats_result *res = run_finish(&st, err, errlen);
    cx_progress_end(p);
    return res;
fail:
    cx_progress_end(p);
    run_abort(&st);
    return NULL;
}

/* ---- building ---- */

/* A writer for K's path (its folder made for a PostgreSQL store), or NULL
 * when it cannot be written there (a read-only folder: the run reads the
 * store and leaves no cache). */
static cache_writer *writer_for(const cache_key *k, const char *target)
{
    char err[512];
    if (store_target_is_pg(target)) {
        char dir[PATH_CAP];
        snprintf(dir, sizeof dir, "%s", k->path);
        char *slash = strrchr(dir, '/');
        if (!slash) return NULL;
        *slash = '\0';
        if (mkdir_p(dir, err, sizeof err) != 0) return NULL;
    }
    return cache_create(k->path, k->id, k->gen, err, sizeof err);
}

/* The run from the store, building the cache; *BUILT set when it was
 * written. */
static stats_result *run_and_build(store *s, const char *target, const cache_key *k, const stats_opts *o,
                                   unsigned analyses, const cx_progress *p, int *built, char *err, size_t errlen)
{
    cache_writer *w = writer_for(k, target);
    if (!w) return run_store_shown(s, o, analyses, p, err, errlen);
    run_state st;
    int damaged = 0;
    if (run_setup(&st, o) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        goto fail;
    }
    if (run_store_load(&st, s, p, err, errlen) != 0) goto fail;
    if (run_start(&st, analyses) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        goto fail;
    }
    double total = 0;
    store_status ss;
    if (p && store_get_status(s, &ss) == 0) {     /* the total, for the percent and the time left */
        total = (double)ss.responses;
        store_status_free(&ss);
    }
    feed_from from = {F_BUILD, NULL, s, w, 0, 0};
    if (feed_cache(&st, &from, total, p, &damaged, err, errlen) != 0) goto fail;
    if (run_store_spend(&st, s, p, err, errlen) != 0) goto fail;
    cx_progress_say(p, "computing the statistics", 0, 0, NULL);
    stats_result *res = run_finish(&st, err, errlen);
    cx_progress_end(p);
    char id[STORE_GEN_MAX], gen[STORE_GEN_MAX];
    if (!res || store_generation(s, id, gen) != 0 || strcmp(id, k->id) != 0 || strcmp(gen, k->gen) != 0) {
        cache_discard(w);       /* the store moved on meanwhile: this cache would not be exact */
        return res;
    }
    if (k->has_mark) cache_set_mark(w, k->mark);
    /* a cache that could not be written is only not there */
    char why[512];
    *built = cache_commit(w, why, sizeof why) == 0;
    return res;
fail:
    cx_progress_end(p);
    run_abort(&st);
    cache_discard(w);
    /* the writer failed (a full disk): the answer from the store alone */
    return damaged == 2 ? run_store_shown(s, o, analyses, p, err, errlen) : NULL;
}

/* ---- extending ---- */

/* The run from cache R (built at an older generation of this store, when
 * the store only gained rows since: store_appended, ADDED of them, after
 * MARK) merged with the store's new rows on the builder thread, writing
 * the extended cache.  A result; NULL with *REDO set when the cache was at
 * fault or the store moved on meanwhile (the caller then rebuilds, WHY
 * saying why when there is something to say), else NULL with ERR. */
static stats_result *run_extend(store *s, const char *target, const cache_key *k, cache_reader *r,
                                long long mark, long long added, const stats_opts *o, unsigned analyses,
                                const cx_progress *p, int *redo, char *why, size_t whylen, char *err, size_t errlen)
{
    run_state st;
    int damaged = 0;
    *redo = 0;
    why[0] = '\0';
    *redo = 1;                                  /* but for an answer, or an error after the rows */
    cache_writer *w = writer_for(k, target);
    if (!w) return NULL;                        /* cannot be written (or is being built): rebuild, or not */
    if (run_setup(&st, o) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        goto fail;
    }
    if (run_store_load(&st, s, p, err, errlen) != 0) goto fail;
    if (run_start(&st, analyses) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        goto fail;
    }
    feed_from from = {F_EXTEND, r, s, w, mark, 0};
    if (feed_cache(&st, &from, (double)(cache_rows(r) + added), p, &damaged, err, errlen) != 0) {
        if (damaged == 1) snprintf(why, whylen, "%s", err);
        goto fail;
    }
    char id[STORE_GEN_MAX], gen[STORE_GEN_MAX];
    if (from.added != added || store_generation(s, id, gen) != 0 || strcmp(id, k->id) != 0 ||
        strcmp(gen, k->gen) != 0)
        goto fail;                              /* a write landed meanwhile: the answer from one scan instead */
    if (run_store_spend(&st, s, p, err, errlen) != 0) {
        *redo = 0;
        goto fail;
    }
    cx_progress_say(p, "computing the statistics", 0, 0, NULL);
    *redo = 0;
    stats_result *res = run_finish(&st, err, errlen);
    cx_progress_end(p);
    if (res) {
        cache_set_mark(w, k->mark);
        cache_commit(w, why, whylen);           /* a cache that could not be written is only not there */
        why[0] = '\0';
    } else {
        cache_discard(w);
    }
    return res;
fail:
    cx_progress_end(p);
    run_abort(&st);
    cache_discard(w);
    return NULL;
}

/* The cache at K's path when it was built from an older generation of
 * this store and the store only gained rows since: the run extends it
 * (1, *RES set, or NULL with ERR; *ADDED the new rows).  0 when it cannot
 * be extended, or the extension gave up (WHY then says why, or is ""). */
static int try_extend(store *s, const char *target, const cache_key *k, const stats_opts *o, unsigned analyses,
                      const cx_progress *p, long long *added_out, stats_result **res, char *why, size_t whylen,
                      char *err, size_t errlen)
{
    cache_reader *r = NULL;
    long long mark, added;
    why[0] = '\0';
    if (!k->has_mark || cache_open(k->path, k->id, NULL, &r, why, whylen) <= 0) return 0;
    int ok = cache_mark(r, &mark) ? store_appended(s, cache_gen(r), mark, cache_rows(r), &added) : 0;
    if (ok <= 0) {
        cache_close(r);
        why[0] = '\0';
        return 0;
    }
    int redo = 0;
    *res = run_extend(s, target, k, r, mark, added, o, analyses, p, &redo, why, whylen, err, errlen);
    cache_close(r);
    if (redo) return 0;
    *added_out = added;
    return 1;
}

stats_result *run_store_cached(store *s, const char *target, const stats_opts *o, unsigned analyses,
                               const cx_progress *p, int tell, char *note, size_t notelen, char *err, size_t errlen)
{
    note[0] = '\0';
    cache_key k;
    if (cache_key_get(s, target, &k) != 0) return run_store_shown(s, o, analyses, p, err, errlen);
    cache_reader *r = NULL;
    char why[1024];
    int rc = cache_open(k.path, k.id, k.gen, &r, why, sizeof why);
    if (rc > 0) {
        int damaged = 0;
        stats_result *res = run_from_cache(s, r, o, analyses, p, &damaged, why, sizeof why);
        cache_close(r);
        if (res) return res;
        if (!damaged) {
            snprintf(err, errlen, "%s", why);
            return NULL;
        }
        rc = -1;
    }
    if (rc == 0) {
        stats_result *res = NULL;
        long long added = 0;
        if (try_extend(s, target, &k, o, analyses, p, &added, &res, why, sizeof why, err, errlen)) {
            if (res && tell)
                snprintf(note, notelen, "cache: %s: extended with %lld new responses of the store", k.path, added);
            return res;
        }
        if (why[0]) rc = -1;
    }
    if (rc < 0) snprintf(note, notelen, "%s; reading the store and rebuilding it", why);
    int built = 0;
    stats_result *res = run_and_build(s, target, &k, o, analyses, p, &built, err, errlen);
    if (res && built && tell && !note[0]) snprintf(note, notelen, "cache: %s: built from the store", k.path);
    return res;
}

/* ---- the NPS tables from the cache's columns ---- */

#define SPREAD_MAX ((size_t)1 << 16)    /* (month, code) cells of one block counted in an array */

/* One group's counts G (detractors, passives, promoters) into the run's
 * NPS table, as run_push.c adds the store's: a histogram of one score a
 * class.  0, -1 OOM. */
static int add_counts(run_state *st, int month, size_t d, const char *seg, const long long *g)
{
    stats_result *res = st->out;
    long long n = g[0] + g[1] + g[2];
    if (!n) return 0;
    if (d == 0) res->responses += n;
    if (!seg[0]) {
        res->missing_segment[d - 1] += n;
        return 0;
    }
    uint32_t h[11] = {0};
    h[CX_PROMOTER_MIN] = (uint32_t)g[2];
    h[CX_PASSIVE_MIN] = (uint32_t)g[1];
    h[0] = (uint32_t)g[0];
    return nps_table_add_hist(run_nps_table(st), month, d, seg, strlen(seg), h);
}

/* The NPS answers of block B into the run: counted in CNT per (month,
 * code) when the block's months and codes fit in it, else row by row.
 * 0, -1 OOM, -2 a month or score out of range (ERR). */
static int count_block(run_state *st, const cache_block *b, const int *col, size_t n_by, long long (*cnt)[3],
                       char *err, size_t errlen)
{
    int lo = 0, hi = 0, any = 0;
    for (size_t i = 0; i < b->rows; i++) {
        if (b->metric[i] != CX_METRIC_NPS) continue;
        int64_t score = b->score[i];
        if (store_check_group(b->month[i], &score, err, errlen) != 0) return -2;
        int m = b->month[i];
        if (!any || m < lo) lo = m;
        if (!any || m > hi) hi = m;
        any = 1;
    }
    if (!any) return 0;
    size_t span = (size_t)((long long)hi - lo + 1);
    for (size_t d = 0; d <= n_by; d++) {
        const cache_text *tx = d ? &b->text[col[d - 1] - CC_FIRST_TEXT] : NULL;
        size_t nd = d ? tx->n_dict : 1;
        if (span > SPREAD_MAX / nd) {           /* spread out: one row at a time */
            for (size_t i = 0; i < b->rows; i++) {
                if (b->metric[i] != CX_METRIC_NPS) continue;
                long long g[3] = {0, 0, 0};
                g[cx_nps_class(b->score[i]) + 1] = 1;
                if (add_counts(st, b->month[i], d, d ? cache_str(tx, tx->code[i]) : "all", g) != 0) return -1;
            }
            continue;
        }
        memset(cnt, 0, span * nd * sizeof *cnt);
        for (size_t i = 0; i < b->rows; i++)
            if (b->metric[i] == CX_METRIC_NPS)
                cnt[(size_t)(b->month[i] - lo) * nd + (d ? tx->code[i] : 0)][cx_nps_class(b->score[i]) + 1]++;
        for (size_t m = 0; m < span; m++)
            for (size_t code = 0; code < nd; code++)
                if (add_counts(st, lo + (int)m, d, d ? cache_str(tx, (uint32_t)code) : "all", cnt[m * nd + code]) != 0)
                    return -1;
    }
    return 0;
}

/* The NPS tables from the cache R.  A result; NULL with ERR and *DAMAGED
 * set when the cache is at fault (the store answers then). */
static stats_result *nps_from_cache(cache_reader *r, const stats_opts *o, const int *col, int *damaged,
                                    char *err, size_t errlen)
{
    run_state st;
    long long (*cnt)[3] = malloc(SPREAD_MAX * sizeof *cnt);
    unsigned cols = (1u << CC_MONTH) | (1u << CC_SCORE) | (1u << CC_METRIC);
    for (size_t d = 0; d < o->n_by; d++) cols |= 1u << col[d];
    if (!cnt || run_setup(&st, o) != 0 || run_start(&st, 0) != 0) {
        free(cnt);
        snprintf(err, errlen, "stats: out of memory");
        run_abort(&st);
        return NULL;
    }
    cache_block b;
    int rc;
    while ((rc = cache_next(r, cols, &b, err, errlen)) > 0) {
        int c = count_block(&st, &b, col, o->n_by, cnt, err, errlen);
        if (c == 0) continue;
        if (c == -1) snprintf(err, errlen, "stats: out of memory");
        rc = c == -1 ? -2 : -1;
        break;
    }
    free(cnt);
    if (rc < 0) {
        *damaged = rc == -1;
        run_abort(&st);
        return NULL;
    }
    return run_finish(&st, err, errlen);
}

stats_result *run_store_nps_cached(store *s, const char *target, const stats_opts *o, char *note, size_t notelen,
                                   char *err, size_t errlen)
{
    note[0] = '\0';
    int col[STATS_MAX_BY];
    cache_key k;
    for (size_t d = 0; d < o->n_by; d++)
        if ((col[d] = dim_col(o->by[d])) < 0) return run_store_nps(s, o, err, errlen);
    if (cache_key_get(s, target, &k) != 0) return run_store_nps(s, o, err, errlen);
    cache_reader *r = NULL;
    char why[1024];
    int rc = cache_open(k.path, k.id, k.gen, &r, why, sizeof why);
    if (rc > 0) {
        int damaged = 0;
        stats_result *res = nps_from_cache(r, o, col, &damaged, why, sizeof why);
        cache_close(r);
        if (res) return res;
        if (!damaged) {
            snprintf(err, errlen, "%s", why);
            return NULL;
        }
    }
    if (rc < 0) snprintf(note, notelen, "%s; reading the store", why);
    return run_store_nps(s, o, err, errlen);
}
