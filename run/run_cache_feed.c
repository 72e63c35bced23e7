/* run_cache_feed.c — the analysis cache's blocks through a run, on two
 * threads (run_cache_int.h feed_cache; docs/cache.md).
 *
 * A second thread produces blocks into two slots: it reads them from the
 * cache (F_READ), or writes them from the store's scan (F_BUILD) or from
 * the old cache merged in key order with the store's new rows (F_EXTEND,
 * old blocks no new row falls among copied whole), each block written
 * parsed back from memory (cache_view).  When every --by dimension is a
 * text field of the response it also counts each block's NPS answers
 * into a part (stats/npspart.h), as run_par.c's chunk workers do.  The
 * calling thread merges the parts and feeds the rows, in order, to the
 * analyses fed row by row (run_par.c's split); otherwise every row goes
 * through run_feed.
 */
#include "run/run_cache_int.h"
#include "core/store/store_check.h"
#include "core/timeparse.h"
#include "stats/npspart.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading: a reader thread, blocks handed over two at a time ---- */

#define SLOTS 2

enum { S_FREE, S_FULL, S_END, S_DAMAGED, S_OOM, S_STORE, S_WRITER, S_DISORDER };
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
    int key_order;              /* F_BUILD: scan in key order (else the table's, when it is the key order) */
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
    int rc = f->key_order ? store_scan_responses(f->store, NULL, scan_row, f)
                          : store_scan_table_order(f->store, scan_row, f);
    if (rc == -2) return NULL;                  /* said in its slot, or stopped */
    if (rc == STORE_SCAN_DISORDER) {
        fail_slot(f, S_DISORDER, "the store's rows are not in key order");
        return NULL;
    }
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

int feed_cache(run_state *st, feed_from *from, double total, const cx_progress *p, int *damaged, char *err,
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
    f->key_order = from->key_order;
    f->n_by = o->n_by;
    f->counts = 1;
    for (size_t d = 0; d < o->n_by; d++)
        if ((f->col[d] = cache_dim_col(o->by[d])) < 0) f->counts = 0;   /* maybe a customer's attribute */
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
            if (state == S_DISORDER) *damaged = 3;
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
