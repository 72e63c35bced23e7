/* store_sqlite_bulk.c — bulk upsert of responses on SQLite: the bulk's
 * life (begin, add, end), its two batches and the writer thread.
 *
 * Rows are gathered in batches of SQ_BATCH_ROWS (or SQ_BATCH_BYTES) in memory
 * (store_sqlite_batch.c) and each batch meets SQL through the virtual
 * table cx_batch: one INSERT … SELECT per batch, no bound statement per
 * row.  The result and the counts are what store_upsert_response on every
 * row in file order gives: a row is inserted when its key is new and it is
 * the key's first row, replaced when its updated_at is >= every earlier
 * version (stored or staged), ignored otherwise.
 *
 * The main thread fills one batch while the writer thread writes the
 * other (flush_batch): straight into responses
 * (store_sqlite_bulk_direct.c) or into the stage, leaving out the rows a
 * re-import does not change (store_sqlite_bulk_drop.c); the staged rows
 * are merged at the end (store_sqlite_bulk_merge.c).
 */
#include "core/store/store_sqlite_bulk_int.h"
#include "core/timeparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS SQ_RESPONSE_COLS

void sqb_held_pop(sq_bulk *b, long long from_seq)
{
    while (b->n_held && b->held[b->n_held - 1].seq >= from_seq) {
        b->n_held--;
        free(b->held[b->n_held].id);
        free(b->held[b->n_held].by);
    }
}

/* Waits until the writer thread holds at most MOST batches handed over
 * (0: it has written what it was given): 0, or -1 when it failed (its
 * message in s->err). */
static int wait_queued(sq_bulk *b, int most)
{
    if (!b->th_started) return b->werr ? -1 : 0;
    pthread_mutex_lock(&b->mu);
    while (b->queued > most) pthread_cond_wait(&b->cv, &b->mu);
    int err = b->werr;
    pthread_mutex_unlock(&b->mu);
    return err ? -1 : 0;
}

static int wait_idle(sq_bulk *b) { return wait_queued(b, 0); }

static void stop_writer(sq_bulk *b)
{
    if (!b->th_started) return;
    pthread_mutex_lock(&b->mu);
    b->quit = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->th, NULL);
    pthread_cond_destroy(&b->cv);
    pthread_mutex_destroy(&b->mu);
    b->th_started = b->quit = b->queued = b->qh = 0;
}

static void forget(sq_store *s)
{
    sq_bulk *b = s->bulk;
    s->bulk_rows = 0;
    store_srcset_clear(&s->bulk_src);
    if (!b) return;
    stop_writer(b);
    sqlite3_finalize(b->ins_direct);
    sqlite3_finalize(b->ins_stage);
    sqlite3_finalize(b->held_q);
    sqlite3_finalize(b->classify_q);
    sqlite3_finalize(b->drop_q);
    sqlite3_finalize(b->range_q);
    b->ins_direct = b->ins_stage = b->held_q = b->classify_q = b->drop_q = b->range_q = NULL;
    b->drop_ok = -1;
    b->drop_older = b->drop_equal = 0;
    sqb_held_pop(b, 0);
    free(b->last.k);
    free(b->prev.k);
    memset(&b->last, 0, sizeof b->last);
    memset(&b->prev, 0, sizeof b->prev);
    b->ascending = 1;
    free(b->held);
    b->held = NULL;
    b->cap_held = 0;
    for (int i = 0; i < SQ_BATCHES; i++) sq_batch_reset(&b->bat[i]);
    b->cur = NULL;
    b->batch_rows = SQ_BATCH_ROWS;
    b->batch_bytes = SQ_BATCH_BYTES;
    b->active = b->werr = 0;
    b->mode = MODE_NONE;
    s->base.sorting = 0;
    b->seq = b->direct = 0;
    b->check_held = b->empty = 0;
    sqb_runs_free(b);
    b->dup_replaced = b->dup_ignored = b->late = 0;
    b->merging = 0;
    sqlite3_exec(s->db, "PRAGMA ignore_check_constraints = 0", NULL, NULL, NULL);
    b->flush = 0;
    b->handed = 0;
}

void sq_bulk_close(sq_store *s)
{
    forget(s);
    if (s->bulk) {
        for (int i = 0; i < SQ_BATCHES; i++) sq_batch_free(&s->bulk->bat[i]);
    }
    free(s->bulk);
    s->bulk = NULL;
}

int sq_bulk_wait(sq_store *s) { return s->bulk && s->bulk->active ? wait_idle(s->bulk) : 0; }

int sq_bulk_staging(const sq_store *s) { return s->bulk && s->bulk->mode == MODE_STAGE; }

int sqb_oom(sq_store *s)
{
    snprintf(s->base.err, sizeof s->base.err, "store: out of memory");
    return -1;
}

int sq_bulk_begin(store *base)
{
    sq_store *s = SQ(base);
    if (!s->bulk && !(s->bulk = calloc(1, sizeof *s->bulk))) return sqb_oom(s);
    forget(s);
    s->bulk_unique = 0;
    sq_bulk *b = s->bulk;
    if (!b->module) {
        if (sq_batch_module(s->db, &b->cur) != SQLITE_OK) return sq_fail(s, "bulk upsert");
        b->module = 1;
    }
    /* The table's CHECKs (score 0..10, a known metric) cost a third of
     * the writer thread's time (1M rows in id order: 1.65-1.84 s -> 1.15-
     * 1.27 s); every row the bulk takes is checked in sq_bulk_add instead,
     * and the metric is one of the batch's own names by construction.
     * Statements prepared from now skip them; forget() turns them on. */
    if (sq_exec(s, "PRAGMA ignore_check_constraints = 1") != 0) return -1;
    b->flush = s->load_journal && sq_flush_fd(s) >= 0;
    b->active = 1;
    return 0;
}

static int flush_batch(sq_store *s, sq_batch *bt);

static void *writer(void *arg)
{
    sq_store *s = arg;
    sq_bulk *b = s->bulk;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->queued && !b->quit) pthread_cond_wait(&b->cv, &b->mu);
        if (!b->queued) break;
        sq_batch *bt = &b->bat[b->q[b->qh]];
        int failed = b->werr;
        pthread_mutex_unlock(&b->mu);
        int rc = failed ? -1 : flush_batch(s, bt);
        pthread_mutex_lock(&b->mu);
        if (rc != 0) b->werr = 1;
        b->qh = (b->qh + 1) % SQ_BATCHES;
        b->queued--;
        pthread_cond_broadcast(&b->cv);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Hands the full batch to the writer thread (started on the first one;
 * without it, written here) and goes on filling another.  The reading
 * thread waits until the writer has written the batch before (it then
 * reads the writer's mode), except while the runs are merged: the mode
 * is set then, and up to three batches may wait beside the one being
 * written, so that the writer, the bound of that phase, goes on at once
 * instead of waiting for the merging thread to wake up and hand one over
 * (10M shuffled rows: the writer waited 1.2 s for batches in the merge,
 * 1 ms a batch, with none waiting; 0.7 s with one, in 258 waits, while
 * the merging thread, busy with the analysis cache as well, fell behind
 * by turns; with three, 0.95x the import's wall time; the merge's
 * batches are of SQ_MERGE_ROWS, so that five take the memory three did:
 * docs/performance.md, "Twenty-eighth round"). */
static int hand_over(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (wait_queued(b, b->merging ? SQ_BATCHES - 2 : 0) != 0) return -1;
    if (!b->th_started) {
        if (pthread_mutex_init(&b->mu, NULL) != 0) return flush_batch(s, &b->bat[b->fill]);
        if (pthread_cond_init(&b->cv, NULL) != 0) {
            pthread_mutex_destroy(&b->mu);
            return flush_batch(s, &b->bat[b->fill]);
        }
        b->queued = b->qh = b->quit = 0;
        if (pthread_create(&b->th, NULL, writer, s) != 0) {
            pthread_cond_destroy(&b->cv);
            pthread_mutex_destroy(&b->mu);
            return flush_batch(s, &b->bat[b->fill]);
        }
        b->th_started = 1;
    }
    /* a first load: the store file's pages written so far start back to
     * the disk now, not all at the commit's fsync (store_sqlite_flush.c;
     * 10M rows in id order: 11.3-11.6 s -> 10.9-11.0 s) */
    if (b->flush && ++b->handed % 32 == 0) sq_flush_start(s->flush_fd);
    /* the writer idle: its mode read safely.  Sorting in runs, the next
     * batch is a run's worth (store_sqlite_bulk_runs.c) */
    s->base.sorting = b->mode == MODE_RUNS; /* store_bulk_sorting */
    int runs = s->base.sorting && !b->merging;
    b->batch_rows = runs ? resp_run_rows : SQ_BATCH_ROWS;
    b->batch_bytes = runs ? RESP_RUN_BYTES : SQ_BATCH_BYTES;
    pthread_mutex_lock(&b->mu);
    /* Merging, at most SQ_BATCHES - 2 others are queued: those before
     * this one, in turn (the merge began with none), so the one after it
     * is free.  Else none is: the two first batches take turns (a third
     * would be another run's worth of memory). */
    b->q[(b->qh + b->queued) % SQ_BATCHES] = b->fill;
    b->queued++;
    b->fill = b->merging ? (b->fill + 1) % SQ_BATCHES : !b->fill;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    return 0;
}

int sq_bulk_add(store *base, const cx_response *r)
{
    sq_store *s = SQ(base);
    sq_bulk *b = s->bulk;
    if (!b || !b->active) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: not begun");
        return -1;
    }
    if (r->score < 0 || r->score > 10 || r->metric < 0 || r->metric >= CX_METRIC_COUNT) {
        snprintf(s->base.err, sizeof s->base.err,
                 "store: bulk upsert: %s: score %d or metric %d out of range", r->response_id, r->score,
                 r->metric);
        return -1;
    }
    sq_batch *bt = &b->bat[b->fill];
    if (sq_batch_add(bt, r, b->seq + 1) != 0) return sqb_oom(s);
    bt->row[bt->n - 1].month = time_month_key(r->responded_at);
    b->seq++;
    return sqb_full(bt, b->batch_rows, b->batch_bytes) ? hand_over(s) : 0;
}

int sqb_prepare(sq_store *s, sqlite3_stmt **st, const char *sql)
{
    if (*st) return 0;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    return 0;
}

/* Steps ST to its end over the current batch: 0, 1 on a PRIMARY KEY or
 * UNIQUE constraint when DUP_OK (the statement undone), -1. */
int sqb_step(sq_store *s, sqlite3_stmt *st, int dup_ok)
{
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(s->db);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return 0;
    if (dup_ok && (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE)) return 1;
    return sq_fail(s, "bulk upsert");
}

/* Writes BT (on the writer thread, or on the caller's once it is idle). */
static int flush_batch(sq_store *s, sq_batch *bt)
{
    sq_bulk *b = s->bulk;
    if (bt->n == 0) return 0;
    int rc = 0;
    b->cur = bt;
    sqb_note_ascending(b, bt);
    if (b->mode == MODE_RUNS) {
        rc = sqb_runs_add(s, bt);
        goto done;
    }
    if (b->mode != MODE_STAGE) {
        rc = sqb_sources_old(s);
        if (rc == 0 && b->mode == MODE_NONE) rc = sqb_direct_start(s);
        if (rc == 0) rc = sqb_flush_direct(s);
        if (rc == 2 && b->empty && !b->merging) {
            rc = sqb_to_runs(s);
            goto done;
        }
        if (rc == 2) rc = 1;
        if (rc == 1) rc = sqb_to_stage(s);
        else if (rc == 0) goto done;
    }
    long long dropped = 0;
    if (rc == 0 && b->ascending) {
        if (b->drop_ok < 0) b->drop_ok = sqb_may_drop(s);
        if (b->drop_ok < 0) rc = -1;
        else if (b->drop_ok == 1) rc = sqb_drop_batch(s, &dropped);
    }
    if (rc == 0 && sqb_prepare(s, &b->ins_stage, SQB_STAGE_BATCH_SQL) == 0 &&
        sqb_step(s, b->ins_stage, 0) == 0)
        s->bulk_rows += (long long)bt->n - dropped;
    else rc = -1;
done:
    b->cur = NULL;
    sq_batch_reset(bt);
    return rc;
}

int sq_bulk_flush(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (!b || !b->active) return 0;
    if (wait_idle(b) != 0) return -1;
    return flush_batch(s, &b->bat[b->fill]);
}

int sq_bulk_direct_held(sq_store *s, store_held_cb cb, void *ctx, long long *n)
{
    sq_bulk *b = s->bulk;
    *n = 0;
    if (!b) return 0;
    int stop = 0;
    for (size_t i = 0; i < b->n_held; i++) {
        (*n)++;
        if (cb && !stop) stop = cb(b->held[i].seq - 1, b->held[i].id, b->held[i].by, ctx);
    }
    if (stop) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: stopped by its caller");
        return -1;
    }
    return 0;
}

/* A row of the runs' merge (on the caller's thread; each key once, in
 * key order) into the batch that fills. */
static int merge_put(void *ctx, const sq_brow *h, const char *const txt[SQB_NTEXT])
{
    sq_store *s = ctx;
    sq_bulk *b = s->bulk;
    sq_batch *bt = &b->bat[b->fill];
    if (sq_batch_add_raw(bt, h, txt) != 0) return sqb_oom(s);
    bt->merged = 1;
    return sqb_full(bt, SQ_MERGE_ROWS, SQ_MERGE_BYTES) ? hand_over(s) : 0;
}

int sq_bulk_end(store *base, store_bulk_counts *c)
{
    sq_store *s = SQ(base);
    sq_bulk *b = s->bulk;
    memset(c, 0, sizeof *c);
    if (!b || !b->active) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: not begun");
        return -1;
    }
    int rc = sq_bulk_flush(s);
    if (rc == 0 && b->mode == MODE_RUNS) {
        b->merging = 1;
        rc = sqb_runs_merge(s, merge_put);
        if (rc == 0) rc = sq_bulk_flush(s); /* the merge's last batch */
        sqb_runs_free(b);
    }
    if (rc == 0 && b->mode != MODE_STAGE && !b->late) {
        c->inserted = c->straight = b->direct;
        c->replaced = b->dup_replaced; /* the runs' merge settled a key given twice */
        c->ignored = b->dup_ignored;
        /* loaded straight: the primary key saw no key twice, nor the merge */
        s->bulk_unique = rc == 0 && b->dup_replaced + b->dup_ignored == 0;
        forget(s);
        return rc;
    }
    rc = sqb_stage_end(s, rc, c);
    forget(s);
    return rc;
}
