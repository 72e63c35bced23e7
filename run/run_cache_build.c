/* run_cache_build.c — the builder thread of a run through the analysis
 * cache (run_cache_feed.h; docs/cache.md): the store's scan written into
 * the cache (F_BUILD: in the table's order, which the scan checks is the
 * key order, or in key order), or the old cache's blocks merged in key
 * order with the store's rows added since (F_EXTEND: an old block no new
 * row falls among copied whole), or, when every new row comes after the
 * old ones, the old blocks read as they are and the new rows added to the
 * same file (F_APPEND).  Each block written is parsed back from
 * memory (cache_view) and handed over to the calling thread in the next
 * free slot, its NPS answers counted. */
#include "run/run_cache_feed.h"
#include "core/timeparse.h"

#include <string.h>

/* Waits until slot S is free (fed, and read by the verbatim thread when
 * it was handed there: vheld): 0, -1 when the run stopped. */
static int wait_free(feeder *f, slot *s)
{
    pthread_mutex_lock(&f->mu);
    while ((s->state != S_FREE || s->vheld) && !f->stop) pthread_cond_wait(&f->cv, &f->mu);
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
    int rc = cache_view(f->in.w, &s->b) == 0 ? 0 : -1;
    if (rc == 0 && f->counts && (rc = feed_count_slot(f, s, why, sizeof why)) == -2) {
        set_state(f, s, S_OOM, NULL);
        return -2;
    }
    if (rc == 0 && notes_on_second(f) && feed_notes_slot(f, s) != 0) {
        set_state(f, s, S_OOM, NULL);
        return -2;
    }
    if (rc != 0) snprintf(why, sizeof why, "cache: a block just written does not read back");
    set_state(f, s, rc == 0 ? S_FULL : S_DAMAGED, rc == 0 ? NULL : why);
    return rc == 0 ? 0 : -2;
}

/* Before the writer writes a block: its slot free.  The slot's last
 * block is the one whose memory the writer takes again (it keeps as many
 * as there are slots: run_cache_feed.h).  0, or -1 when the run stopped. */
static int writer_room(feeder *f) { return wait_free(f, &f->s[f->k % SLOTS]); }

/* One row into the writer; a block it ends handed over once its slot is
 * free.  0, or -2 (the slot says why, or the run stopped). */
static int put_row(feeder *f, const cx_response *r)
{
    char why[512];
    int ends = cache_add_ends(f->in.w, r);
    if (ends && writer_room(f) != 0) return -2;
    if (cache_add(f->in.w, r, time_month_key(r->responded_at), why, sizeof why) != 0)
        return fail_slot(f, S_WRITER, why);
    return ends ? hand_over(f) : 0;
}

static int scan_row(const cx_response *r, void *ctx) { return put_row(ctx, r); }

/* The rows gathered as a block of their own, handed over.  0 or -2. */
static int flush_pending(feeder *f)
{
    char why[512];
    if (!cache_pending(f->in.w)) return 0;
    if (writer_room(f) != 0) return -2;
    if (cache_flush(f->in.w, why, sizeof why) < 0) return fail_slot(f, S_WRITER, why);
    return hand_over(f);
}

/* The end of the blocks: the last rows, then the end in the next slot. */
static void finish(feeder *f)
{
    if (flush_pending(f) != 0) return;
    slot *s = &f->s[f->k % SLOTS];
    if (wait_free(f, s) == 0) set_state(f, s, S_END, NULL);
}

/* The end of the store's scan (its return RC): the last rows and the end
 * in the next slots, or why it stopped.  0 when it ended well. */
static int scan_end(feeder *f, int rc)
{
    if (rc == -2) return -1; /* said in its slot, or stopped */
    if (rc == STORE_SCAN_DISORDER) fail_slot(f, S_DISORDER, "the store's rows are not in key order");
    else if (rc != 0)
        fail_slot(f, S_STORE,
                  rc == -1 && store_error(f->in.store)[0] ? store_error(f->in.store) : "out of memory");
    return rc == 0 ? 0 : -1;
}

/* The builder thread (F_BUILD): the store's scan into the writer. */
void *feed_scan_blocks(void *arg)
{
    feeder *f = arg;
    int rc = f->in.key_order ? store_scan_responses(f->in.store, NULL, scan_row, f)
                             : store_scan_table_order(f->in.store, scan_row, f);
    if (scan_end(f, rc) == 0) finish(f);
    return NULL;
}

/* ---- extending (F_EXTEND): the old cache's blocks, whole where no new
 * row falls among their keys, merged in key order with the new rows ---- */

/* Row I of the old block against R by key (source, response_id). */
static int old_cmp(const feeder *f, size_t i, const cx_response *r)
{
    const cache_text *src = &f->ob.text[CC_SOURCE - CC_FIRST_TEXT],
                     *id = &f->ob.text[CC_RESPONSE_ID - CC_FIRST_TEXT];
    int c = strcmp(cache_text_at(src, i), r->source);
    return c ? c : strcmp(cache_text_at(id, i), r->response_id);
}

/* The first row of the old block from its next one on whose key is not
 * before R's (its rows rise by key: a cache holds the store's scan). */
static size_t old_find(const feeder *f, const cx_response *r)
{
    size_t lo = f->oi, hi = f->ob.rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (old_cmp(f, mid, r) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The next old block (have_ob), or old_end.  0, or -2. */
static int next_old(feeder *f)
{
    char why[512];
    int rc = cache_next(f->in.r, CACHE_ALL_COLS, &f->ob, why, sizeof why);
    if (rc < 0) return fail_slot(f, S_DAMAGED, why);
    f->have_ob = rc > 0;
    f->old_end = rc == 0;
    f->oi = f->ocur[0] = f->ocur[1] = 0;
    f->ob_serial++;
    return 0;
}

/* The old block as it is (the rows gathered before it a block of their
 * own).  0, or -2. */
static int copy_old(feeder *f)
{
    char why[512];
    if (flush_pending(f) != 0 || writer_room(f) != 0) return -2;
    if (cache_copy_block(f->in.w, f->in.r, why, sizeof why) != 0) return fail_slot(f, S_WRITER, why);
    f->have_ob = 0;
    return hand_over(f);
}

/* The old block's rows up to END (left out from SKIP on: the row a new
 * one replaces) into the writer by code, a block handed over each time
 * they fill one.  0, or -2. */
static int old_rows(feeder *f, size_t end, size_t skip)
{
    char why[512];
    while (f->oi < skip) {
        int ends;
        size_t n = cache_rows_fit(f->in.w, &f->ob, f->oi, skip, f->ocur, &ends);
        if (ends && writer_room(f) != 0) return -2;
        if (cache_add_rows(f->in.w, &f->ob, f->ob_serial, f->oi, f->oi + n, f->ocur, why, sizeof why) != 0)
            return fail_slot(f, S_WRITER, why);
        f->oi += n;
        if (ends && hand_over(f) != 0) return -2;
    }
    for (; f->oi < end; f->oi++) { /* left out: only its cursors move on */
        f->ocur[0] += f->ob.row_attrs[f->oi];
        f->ocur[1] += f->ob.row_moments[f->oi];
    }
    if (f->oi == f->ob.rows) f->have_ob = 0;
    return 0;
}

/* A new row of the store: the old rows before it, then it; an old row of
 * its key (it was changed since) left out. */
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
        size_t at = old_find(f, r);
        int same = at < f->ob.rows && old_cmp(f, at, r) == 0;
        if (old_rows(f, at + (size_t)same, at) != 0) return -2;
        f->in.replaced += same;
        if (f->have_ob || same) break;
    }
    f->in.added++;
    return put_row(f, r);
}

/* ---- appending (F_APPEND): the old blocks as they are in the file,
 * then the new rows, every key after the old ones, into blocks added to
 * the same file ---- */

/* A new row of the store into the writer; the first one checked to come
 * after the old cache's last key (else the run starts again: S_DISORDER). */
static int append_row(const cx_response *r, void *ctx)
{
    feeder *f = ctx;
    if (f->in.added == 0) {
        if (run_key_cmp(r->source, r->response_id, f->in.last_key) <= 0)
            return fail_slot(f, S_DISORDER, "cache: a new response comes before the cache's last");
    }
    f->in.added++;
    return put_row(f, r);
}

/* The old blocks into the slots, read as a cached run reads them: 0,
 * -1 when the run stopped or a slot says why. */
static int old_blocks(feeder *f)
{
    for (;;) {
        slot *s = &f->s[f->k % SLOTS];
        char why[512];
        if (wait_free(f, s) != 0) return -1;
        int rc = cache_next(f->in.r, CACHE_ALL_COLS, &s->b, why, sizeof why);
        if (rc == 0) return 0;
        if (rc > 0 && f->counts) {
            int c = feed_count_slot(f, s, why, sizeof why);
            if (c == -2) {
                set_state(f, s, S_OOM, NULL);
                return -1;
            }
            if (c != 0) rc = -1;
        }
        if (rc > 0 && f->reader && feed_notes_slot(f, s) != 0) {
            set_state(f, s, S_OOM, NULL);
            return -1;
        }
        if (rc < 0) {
            set_state(f, s, S_DAMAGED, why);
            return -1;
        }
        f->k++;
        set_state(f, s, S_FULL, NULL);
    }
}

/* The builder thread (F_APPEND).  The new rows are asked of the store
 * first: a server finds and sorts them while the old blocks are read. */
void *feed_append_blocks(void *arg)
{
    feeder *f = arg;
    store_scan_appended_ahead(f->in.store, cache_gen(f->in.r), f->in.mark);
    if (old_blocks(f) == 0 &&
        scan_end(f, store_scan_appended(f->in.store, cache_gen(f->in.r), f->in.mark, append_row, f)) == 0)
        finish(f);
    store_ahead_drop(f->in.store); /* asked and not read, when the old blocks stopped */
    return NULL;
}

/* The builder thread (F_EXTEND). */
void *feed_extend_blocks(void *arg)
{
    feeder *f = arg;
    if (scan_end(f, store_scan_appended(f->in.store, cache_gen(f->in.r), f->in.mark, merge_row, f)) != 0)
        return NULL;
    if (f->have_ob && f->oi > 0 && old_rows(f, f->ob.rows, f->ob.rows) != 0) /* the rest of a block begun */
        return NULL;
    for (;;) {
        if (!f->have_ob && (next_old(f) != 0 || f->old_end)) break;
        if (copy_old(f) != 0) return NULL;
    }
    if (!f->old_end) return NULL;
    finish(f);
    return NULL;
}
