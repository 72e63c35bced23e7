/* store_sqlite_bulk.c — bulk upsert of responses on SQLite.
 *
 * Rows are gathered in batches of SQ_BATCH_ROWS in memory
 * (store_sqlite_batch.c) and each batch meets SQL through the virtual
 * table cx_batch: one INSERT … SELECT per batch, no bound statement per
 * row.  The result and the counts are what store_upsert_response on every
 * row in file order gives: a row is inserted when its key is new and it is
 * the key's first row, replaced when its updated_at is >= every earlier
 * version (stored or staged), ignored otherwise.
 *
 * Loading straight into `responses` (the common case: a first import of a
 * source): while every source of the bulk is new to the store and no key
 * comes twice, each batch is sorted by key (so that ids in random order
 * meet the primary-key B-tree in order) and inserted as it is; rows whose
 * response_id another source holds are set aside first (kept in memory for
 * store_bulk_end's callback).  Into an empty table the month index is
 * dropped and built once at the end.  A key met again (in the batch, or
 * refused by the primary key: the statement is undone) or a source that
 * already has rows turns the bulk into staging: the rows loaded so far
 * move from `responses` into the staging table, in the order they were
 * loaded, and everything goes on as below.
 *
 * Staging (PostgreSQL's way, store_pg_merge.c): the rows go into a
 * connection-private table without indexes (temp.cx_stage, in file order
 * by seq) and are merged into `responses` at store_bulk_end.  While the
 * keys come in ascending order (an export re-imported) and the store holds
 * no other source, the rows equal to or older than their stored row are
 * only counted and their keys noted (temp.cx_dropped): they would change
 * nothing, and the lookups run on the writer thread in key order.  Two
 * paths at the end:
 *
 * 1. No staged source has rows yet: a plain INSERT … SELECT in key order.
 *    A key twice fails it with a constraint error, and the statement is
 *    undone by SQLite: go on with 2.
 * 2. One pass over the staged rows sorted by key (unsorted when they came
 *    in key order) beside their stored rows classifies them as row-by-row
 *    upserts would (count_staged): new, replacing (newer or equal), equal
 *    to the stored row (unchanged when no key comes twice — a staged key
 *    among the noted ones counts as twice), older.  When a row changes
 *    something, window functions pick per key the last row holding the
 *    greatest updated_at and write it through the same ON CONFLICT …
 *    WHERE newer-or-equal as the row upsert.  Re-importing an unchanged
 *    export writes nothing.
 */
#include "core/store/store_sqlite_int.h"
#include "core/store/store_sqlite_batch.h"
#include "core/timeparse.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS SQ_RESPONSE_COLS

static const char stage_sql[] =
    "DROP INDEX IF EXISTS temp.cx_stage_key;"
    "CREATE TEMP TABLE IF NOT EXISTS cx_stage (seq INTEGER PRIMARY KEY, source TEXT NOT NULL,"
    " response_id TEXT NOT NULL, responded_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " month INTEGER NOT NULL, score INTEGER NOT NULL, comment TEXT NOT NULL,"
    " customer_id TEXT NOT NULL, agent_id TEXT NOT NULL, channel TEXT NOT NULL,"
    " product TEXT NOT NULL, interaction_type TEXT NOT NULL, handle_time_s REAL,"
    " moments TEXT NOT NULL, attributes TEXT NOT NULL, metric TEXT NOT NULL);"
    "DELETE FROM temp.cx_stage;"
    "CREATE TEMP TABLE IF NOT EXISTS cx_dropped (source TEXT NOT NULL, response_id TEXT NOT NULL,"
    " PRIMARY KEY (source, response_id)) WITHOUT ROWID;"
    "DELETE FROM temp.cx_dropped";

static const char source_used_sql[] = "SELECT 1 FROM responses WHERE source = ?1 LIMIT 1";

/* Path 1. */
static const char insert_new_sql[] =
    "INSERT INTO responses (" COLS ") SELECT " COLS " FROM temp.cx_stage ORDER BY source, response_id";

/* The content of a response but its key and updated_at (month follows
 * responded_at). */
#define CONTENT(t) "(" t ".responded_at, " t ".score, " t ".comment, " t ".customer_id, " t ".agent_id, " \
                   t ".channel, " t ".product, " t ".interaction_type, " t ".handle_time_s, " t ".moments, " \
                   t ".attributes, " t ".metric)"

/* Path 2: the staged rows sorted by key (then file order) beside their
 * stored row, so the stored rows are read in key order, not all over the
 * table when the ids came shuffled; count_staged classifies them. */
static const char scan_sql[] =
    "SELECT k.source, k.response_id, k.updated_at, o.updated_at,"
    " o.updated_at = k.updated_at AND " CONTENT("o") " IS " CONTENT("k")
    " FROM (SELECT * FROM temp.cx_stage ORDER BY source, response_id, seq LIMIT -1) k"
    " LEFT JOIN responses o ON o.source = k.source AND o.response_id = k.response_id";
/* The same when the rows came in key order: in file order, unsorted. */
static const char scan_ascending_sql[] =
    "SELECT k.source, k.response_id, k.updated_at, o.updated_at,"
    " o.updated_at = k.updated_at AND " CONTENT("o") " IS " CONTENT("k")
    " FROM temp.cx_stage k LEFT JOIN responses o ON o.source = k.source AND o.response_id = k.response_id";

/* Path 2, the write, when the counts say a row changes something: per
 * key, the last row with the greatest updated_at. */
static const char merge_exact_sql[] =
    "INSERT INTO responses (" COLS ") SELECT " COLS " FROM (SELECT s.*,"
    " max(updated_at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max,"
    " max(updated_at) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_max"
    " FROM temp.cx_stage s WINDOW w AS (PARTITION BY source, response_id ORDER BY seq)) k"
    " WHERE (k.prev_max IS NULL OR k.updated_at >= k.prev_max)"
    " AND (k.next_max IS NULL OR k.updated_at > k.next_max)" SQ_ON_CONFLICT;

#define SQ_BATCH_ROWS 8192

enum { MODE_NONE, MODE_DIRECT, MODE_STAGE };

/* A key kept across batches: source, NUL, response_id. */
typedef struct keybuf {
    char *k;
    size_t len, cap;           /* len 0: none */
} keybuf;

typedef struct held_row {
    long long seq;
    char *id, *by;
} held_row;

typedef struct sq_bulk {
    int active, mode;
    int module;                /* cx_batch registered on this connection */
    sq_batch bat[2];           /* bat[fill] takes rows; the other may be with the writer */
    int fill;
    sq_batch *cur;             /* the batch being written, shown by cx_batch; or NULL */
    /* The writer thread: it writes bat[!fill] while bat[fill] fills. */
    pthread_t th;
    int th_started, busy, quit, werr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long long seq;             /* rows added */
    long long direct;          /* rows loaded straight into responses */
    int index_dropped;         /* responses_month to build at the end */
    int check_held;            /* stored rows of other sources to check against */
    keybuf last;               /* the greatest key loaded straight */
    keybuf prev;               /* the last key added, while every key came greater than the one before */
    int ascending;             /* 1 while they do (no key twice, staged rows in key order) */
    /* Staging a source the store has, keys ascending: rows equal to or
     * older than their stored row are counted, their keys kept in
     * temp.cx_dropped, and not staged (re-importing an unchanged export). */
    int drop_ok;               /* -1 not decided yet */
    long long drop_older, drop_equal;
    sqlite3_stmt *classify_q, *drop_q, *range_q;
    held_row *held;            /* rows set aside while loading straight */
    size_t n_held, cap_held;
    sqlite3_stmt *ins_direct, *ins_stage, *held_q;
} sq_bulk;

static const char direct_sql[] = "INSERT INTO responses (" COLS ") SELECT " COLS " FROM cx_batch";
static const char stage_batch_sql[] = "INSERT INTO temp.cx_stage (seq, " COLS ") SELECT seq, " COLS " FROM cx_batch";
static const char held_batch_sql[] = STORE_HELD_STAGE_SQL("cx_batch");
static const char move_sql[] =
    "INSERT INTO temp.cx_stage (" COLS ") SELECT " COLS " FROM responses WHERE source = ?1 ORDER BY rowid";
static const char unload_sql[] = "DELETE FROM responses WHERE source = ?1";

/* Staged rows that need not be: equal to (or older than) their stored row
 * (column 1: older), read while the keys come in ascending order. */
static const char classify_sql[] =
    "SELECT k.seq, o.updated_at > k.updated_at FROM cx_batch k CROSS JOIN responses o"
    " ON o.source = k.source AND o.response_id = k.response_id WHERE o.updated_at > k.updated_at"
    " OR (o.updated_at = k.updated_at AND " CONTENT("o") " IS " CONTENT("k") ")";
static const char range_sql[] =
    "SELECT response_id, updated_at, responded_at, score, comment, customer_id, agent_id, channel, product,"
    " interaction_type, handle_time_s, moments, attributes, metric FROM responses"
    " WHERE source = ?1 AND response_id BETWEEN ?2 AND ?3 ORDER BY response_id";
static const char drop_keys_sql[] =
    "INSERT INTO temp.cx_dropped (source, response_id) SELECT source, response_id FROM cx_batch";
static const char dropped_again_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM temp.cx_stage k JOIN temp.cx_dropped d"
    " ON d.source = k.source AND d.response_id = k.response_id LIMIT 1)";
static const char other_source_sql[] =
    "SELECT (SELECT min(source) FROM responses) IS NOT ?1 OR (SELECT max(source) FROM responses) IS NOT ?1";

static int sources_are_new(sq_store *s);

static void held_pop(sq_bulk *b, long long from_seq)
{
    while (b->n_held && b->held[b->n_held - 1].seq >= from_seq) {
        b->n_held--;
        free(b->held[b->n_held].id);
        free(b->held[b->n_held].by);
    }
}

/* Waits until the writer thread has written what it was given: 0, or -1
 * when it failed (its message in s->err). */
static int wait_idle(sq_bulk *b)
{
    if (!b->th_started) return b->werr ? -1 : 0;
    pthread_mutex_lock(&b->mu);
    while (b->busy) pthread_cond_wait(&b->cv, &b->mu);
    int err = b->werr;
    pthread_mutex_unlock(&b->mu);
    return err ? -1 : 0;
}

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
    b->th_started = b->quit = b->busy = 0;
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
    held_pop(b, 0);
    free(b->last.k);
    free(b->prev.k);
    memset(&b->last, 0, sizeof b->last);
    memset(&b->prev, 0, sizeof b->prev);
    b->ascending = 1;
    free(b->held);
    b->held = NULL;
    b->cap_held = 0;
    sq_batch_reset(&b->bat[0]);
    sq_batch_reset(&b->bat[1]);
    b->cur = NULL;
    b->active = b->werr = 0;
    b->mode = MODE_NONE;
    b->seq = b->direct = 0;
    b->index_dropped = b->check_held = 0;
}

void sq_bulk_close(sq_store *s)
{
    forget(s);
    if (s->bulk) {
        sq_batch_free(&s->bulk->bat[0]);
        sq_batch_free(&s->bulk->bat[1]);
    }
    free(s->bulk);
    s->bulk = NULL;
}

int sq_bulk_wait(sq_store *s) { return s->bulk && s->bulk->active ? wait_idle(s->bulk) : 0; }

int sq_bulk_staging(const sq_store *s) { return s->bulk && s->bulk->mode == MODE_STAGE; }

static int oom(sq_store *s)
{
    snprintf(s->base.err, sizeof s->base.err, "store: out of memory");
    return -1;
}

int sq_bulk_begin(store *base)
{
    sq_store *s = SQ(base);
    if (!s->bulk && !(s->bulk = calloc(1, sizeof *s->bulk))) return oom(s);
    forget(s);
    s->bulk_unique = 0;
    sq_bulk *b = s->bulk;
    if (!b->module) {
        if (sq_batch_module(s->db, &b->cur) != SQLITE_OK) return sq_fail(s, "bulk upsert");
        b->module = 1;
    }
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
        while (!b->busy && !b->quit) pthread_cond_wait(&b->cv, &b->mu);
        if (!b->busy) break;
        sq_batch *bt = &b->bat[!b->fill];
        int failed = b->werr;
        pthread_mutex_unlock(&b->mu);
        int rc = failed ? -1 : flush_batch(s, bt);
        pthread_mutex_lock(&b->mu);
        if (rc != 0) b->werr = 1;
        b->busy = 0;
        pthread_cond_broadcast(&b->cv);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* Hands the full batch to the writer thread (started on the first one;
 * without it, written here) and goes on filling the other. */
static int hand_over(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (wait_idle(b) != 0) return -1;
    if (!b->th_started) {
        if (pthread_mutex_init(&b->mu, NULL) != 0) return flush_batch(s, &b->bat[b->fill]);
        if (pthread_cond_init(&b->cv, NULL) != 0) {
            pthread_mutex_destroy(&b->mu);
            return flush_batch(s, &b->bat[b->fill]);
        }
        b->busy = b->quit = 0;
        if (pthread_create(&b->th, NULL, writer, s) != 0) {
            pthread_cond_destroy(&b->cv);
            pthread_mutex_destroy(&b->mu);
            return flush_batch(s, &b->bat[b->fill]);
        }
        b->th_started = 1;
    }
    pthread_mutex_lock(&b->mu);
    b->fill = !b->fill;
    b->busy = 1;
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
    sq_batch *bt = &b->bat[b->fill];
    if (sq_batch_add(bt, r, b->seq + 1) != 0) return oom(s);
    bt->row[bt->n - 1].month = time_month_key(r->responded_at);
    b->seq++;
    return bt->n >= SQ_BATCH_ROWS ? hand_over(s) : 0;
}

static int prepare(sq_store *s, sqlite3_stmt **st, const char *sql)
{
    if (*st) return 0;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    return 0;
}

/* Steps ST to its end over the current batch: 0, 1 on a PRIMARY KEY or
 * UNIQUE constraint when DUP_OK (the statement undone), -1. */
static int step_batch(sq_store *s, sqlite3_stmt *st, int dup_ok)
{
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(s->db);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) return 0;
    if (dup_ok && (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE)) return 1;
    return sq_fail(s, "bulk upsert");
}

/* Staging from here on: the rows loaded straight so far move into
 * temp.cx_stage in the order they were loaded (their sources were new:
 * every row they have in responses is this bulk's). */
static int to_stage(sq_store *s)
{
    sq_bulk *b = s->bulk;
    sqlite3_stmt *mv = NULL, *un = NULL;
    int ret = 0;
    if (sqlite3_exec(s->db, stage_sql, NULL, NULL, NULL) != SQLITE_OK) return sq_fail(s, "bulk upsert");
    if (b->mode == MODE_DIRECT && b->direct > 0) {
        if (prepare(s, &mv, move_sql) != 0 || prepare(s, &un, unload_sql) != 0) ret = -1;
        for (int i = 0; ret == 0 && i < s->bulk_src.n; i++) {
            sqlite3_bind_text(mv, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(un, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
            if (step_batch(s, mv, 0) != 0) { ret = -1; break; }
            s->bulk_rows += sqlite3_changes(s->db);
            if (step_batch(s, un, 0) != 0) ret = -1;
        }
        sqlite3_finalize(mv);
        sqlite3_finalize(un);
    }
    b->direct = 0;
    b->mode = MODE_STAGE;
    return ret;
}

/* Notes the batch's sources; 1 when one of them is not new to the store
 * (or there are more than one: the held check of loading straight would
 * see the other's rows of this bulk), 0, -1. */
static int batch_sources_old(sq_store *s)
{
    sq_bulk *b = s->bulk;
    int before = s->bulk_src.n;
    for (size_t i = 0; i < b->cur->n; i++) {
        const sq_brow *r = &b->cur->row[i];
        const char *src = sq_brow_text(b->cur, r, SQB_SOURCE);
        size_t len = r->len[SQB_SOURCE];
        int n = s->bulk_src.n;
        if (n > 0 && strlen(s->bulk_src.name[n - 1]) == len && !memcmp(s->bulk_src.name[n - 1], src, len))
            continue;
        char *z = malloc(len + 1);
        if (!z) return oom(s);
        memcpy(z, src, len);
        z[len] = '\0';
        int rc = store_srcset_note(&s->bulk_src, z);
        free(z);
        if (rc != 0) return oom(s);
    }
    if (s->bulk_src.n < 0 || s->bulk_src.n > 1) return 1;
    if (s->bulk_src.n == before) return 0;
    int fresh = sources_are_new(s);
    return fresh < 0 ? -1 : !fresh;
}

/* Whether responses has any row: 1, 0, -1. */
static int any_row(sq_store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM responses LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : sq_fail(s, "bulk upsert");
}

/* Sets aside the batch's rows whose response_id another source holds. */
static int held_batch(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (prepare(s, &b->held_q, held_batch_sql) != 0) return -1;
    long long first = b->cur->row[0].seq;
    int rc;
    while ((rc = sqlite3_step(b->held_q)) == SQLITE_ROW) {
        long long seq = sqlite3_column_int64(b->held_q, 0);
        if (b->n_held == b->cap_held) {
            size_t cap = b->cap_held ? b->cap_held * 2 : 64;
            held_row *h = realloc(b->held, cap * sizeof *h);
            if (!h) { sqlite3_reset(b->held_q); return oom(s); }
            b->held = h;
            b->cap_held = cap;
        }
        held_row *h = &b->held[b->n_held];
        h->seq = seq;
        h->id = strdup((const char *)sqlite3_column_text(b->held_q, 1));
        h->by = strdup((const char *)sqlite3_column_text(b->held_q, 2));
        if (!h->id || !h->by) { free(h->id); free(h->by); sqlite3_reset(b->held_q); return oom(s); }
        b->n_held++;
        b->cur->row[seq - first].skip = 1;
    }
    sqlite3_reset(b->held_q);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, "bulk upsert");
}

/* The key of row R of the batch into KB when KEEP (0, or -1 out of
 * memory), else compared with KB's: <0, 0, >0. */
static int key_vs(const sq_batch *bt, const sq_brow *r, keybuf *kb, int keep)
{
    const char *src = sq_brow_text(bt, r, SQB_SOURCE), *id = sq_brow_text(bt, r, SQB_ID);
    size_t sl = r->len[SQB_SOURCE], il = r->len[SQB_ID];
    if (keep) {
        if (sl + il + 1 > kb->cap) {
            char *n = realloc(kb->k, sl + il + 1);
            if (!n) { kb->len = 0; return -1; }
            kb->k = n;
            kb->cap = sl + il + 1;
        }
        memcpy(kb->k, src, sl);
        kb->k[sl] = '\0';
        memcpy(kb->k + sl + 1, id, il);
        kb->len = sl + il + 1;
        return 0;
    }
    size_t ls = strlen(kb->k), li = kb->len - ls - 1;
    int c = memcmp(src, kb->k, sl < ls ? sl : ls);
    if (!c) c = (sl > ls) - (sl < ls);
    if (!c) {
        c = memcmp(id, kb->k + ls + 1, il < li ? il : li);
        if (!c) c = (il > li) - (il < li);
    }
    return c;
}

/* Keeps b->ascending: 1 while every row added came with a key greater
 * than the row before (file order is key order: nothing to sort, no key
 * twice).  Rows in arrival order, before sq_batch_sort. */
static void note_ascending(sq_bulk *b, const sq_batch *bt)
{
    for (size_t i = 0; b->ascending && i < bt->n; i++) {
        const sq_brow *r = &bt->row[i];
        if ((b->prev.len && key_vs(bt, r, &b->prev, 0) <= 0) || key_vs(bt, r, &b->prev, 1) != 0)
            b->ascending = 0;
    }
}

/* 1 when the sorted batch starts after every key loaded straight so far
 * (its rows are appended to the key B-tree) and notes its last key; 0
 * when it does not: ids in random order would then have every batch
 * insert all over a primary-key B-tree far larger than SQLite's cache, so
 * the bulk stages its rows and inserts them once, sorted, at the end. */
static int in_order(sq_store *s)
{
    sq_bulk *b = s->bulk;
    sq_batch *bt = b->cur;
    if (bt->n == 0) return 1;
    if (b->last.len && key_vs(bt, &bt->row[bt->order[0]], &b->last, 0) <= 0) return 0;
    key_vs(bt, &bt->row[bt->order[bt->n - 1]], &b->last, 1);   /* out of memory: len 0, not compared */
    return 1;
}

/* Loads the batch straight into responses: 0, 1 when it must be staged
 * instead (a key met again), -1. */
static int flush_direct(sq_store *s)
{
    sq_bulk *b = s->bulk;
    int rc = sq_batch_sort(b->cur);
    if (rc != 0) return rc < 0 ? oom(s) : 1;
    if (!in_order(s)) return 1;
    if (b->check_held && held_batch(s) != 0) return -1;
    if (prepare(s, &b->ins_direct, direct_sql) != 0) return -1;
    long long before = sqlite3_total_changes64(s->db);
    rc = step_batch(s, b->ins_direct, 1);
    if (rc == 1) {                          /* undone: its rows are staged with their set-aside ones */
        held_pop(b, b->cur->row[0].seq);
        for (size_t i = 0; i < b->cur->n; i++) b->cur->row[i].skip = 0;
        return 1;
    }
    if (rc == 0) b->direct += sqlite3_total_changes64(s->db) - before;
    return rc;
}

/* 1 when rows may be left out of the stage (drop_batch): one source, the
 * store's only one (or duplicate ids allowed: no held check to make), and
 * no row loaded straight; 0; -1. */
static int may_drop(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (s->bulk_src.n != 1 || b->mode != MODE_STAGE || s->bulk_rows > 0 || b->direct > 0) return 0;
    if (s->base.allow_dup_ids) return 1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, other_source_sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "bulk upsert");
    sqlite3_bind_text(st, 1, s->bulk_src.name[0], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), other = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return other < 0 ? sq_fail(s, "bulk upsert") : !other;
}

/* Column COL of ST is the text of R's field T (bytes and length). */
static int same_text(sqlite3_stmt *st, int col, const sq_batch *bt, const sq_brow *r, int t)
{
    if (sqlite3_column_type(st, col) != SQLITE_TEXT) return 0;
    const unsigned char *z = sqlite3_column_text(st, col);
    int len = sqlite3_column_bytes(st, col);
    return z && (size_t)len == r->len[t] && memcmp(z, sq_brow_text(bt, r, t), (size_t)len) == 0;
}

/* Whether the stored row of range_sql in ST has R's content (CONTENT's
 * columns).  Only a sure yes: a value of another type than cxpulse writes
 * says no, and the row is staged and compared by SQL at the end. */
static int same_content(sqlite3_stmt *st, const sq_batch *bt, const sq_brow *r)
{
    int ht = sqlite3_column_type(st, 10);
    const unsigned char *metric = sqlite3_column_text(st, 13);
    const char *code = cx_metric_code(r->metric);
    return sqlite3_column_type(st, 2) == SQLITE_INTEGER && sqlite3_column_int64(st, 2) == r->responded_at &&
           sqlite3_column_type(st, 3) == SQLITE_INTEGER && sqlite3_column_int64(st, 3) == r->score &&
           same_text(st, 4, bt, r, SQB_COMMENT) && same_text(st, 5, bt, r, SQB_CUSTOMER) &&
           same_text(st, 6, bt, r, SQB_AGENT) && same_text(st, 7, bt, r, SQB_CHANNEL) &&
           same_text(st, 8, bt, r, SQB_PRODUCT) && same_text(st, 9, bt, r, SQB_ITYPE) &&
           (r->has_handle_time ? ht == SQLITE_FLOAT && sqlite3_column_double(st, 10) == r->handle_time_s
                               : ht == SQLITE_NULL) &&
           same_text(st, 11, bt, r, SQB_MOMENTS) && same_text(st, 12, bt, r, SQB_ATTRS) &&
           sqlite3_column_type(st, 13) == SQLITE_TEXT && metric && code &&
           strcmp((const char *)metric, code) == 0;
}

/* Bytes A (AL) against B (BL) as the BINARY collation orders them. */
static int cmp_bytes(const void *a, size_t al, const void *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

/* drop_batch's classification when every row of the batch has one
 * source: one read of the stored rows of the batch's key range, in key
 * order, beside the batch's rows (ascending), compared in C instead of one
 * key lookup per row.  1 when the batch holds several sources or a stored
 * updated_at is not an integer (classify_sql then), 0, -1. */
static int drop_range(sq_store *s, long long *n)
{
    sq_bulk *b = s->bulk;
    sq_batch *bt = b->cur;
    const sq_brow *r0 = &bt->row[0], *rl = &bt->row[bt->n - 1];
    const char *src = sq_brow_text(bt, r0, SQB_SOURCE);
    size_t sl = r0->len[SQB_SOURCE];
    for (size_t i = 1; i < bt->n; i++)
        if (cmp_bytes(sq_brow_text(bt, &bt->row[i], SQB_SOURCE), bt->row[i].len[SQB_SOURCE], src, sl)) return 1;
    if (prepare(s, &b->range_q, range_sql) != 0) return -1;
    sqlite3_bind_text(b->range_q, 1, src, (int)sl, SQLITE_STATIC);
    sqlite3_bind_text(b->range_q, 2, sq_brow_text(bt, r0, SQB_ID), (int)r0->len[SQB_ID], SQLITE_STATIC);
    sqlite3_bind_text(b->range_q, 3, sq_brow_text(bt, rl, SQB_ID), (int)rl->len[SQB_ID], SQLITE_STATIC);
    size_t i = 0;
    long long older = 0, equal = 0;
    int rc = SQLITE_DONE, odd = 0, misses = 0;
    while (i < bt->n && (rc = sqlite3_step(b->range_q)) == SQLITE_ROW) {
        const unsigned char *id = sqlite3_column_text(b->range_q, 0);
        size_t il = (size_t)sqlite3_column_bytes(b->range_q, 0);
        if (!id) { rc = SQLITE_NOMEM; break; }
        int c = -1;
        while (i < bt->n && (c = cmp_bytes(sq_brow_text(bt, &bt->row[i], SQB_ID), bt->row[i].len[SQB_ID], id, il)) < 0)
            i++;
        if (i == bt->n) continue;
        if (c > 0) {
            /* A stored row the batch does not hold: after a few, seek to
             * the batch's next key instead of reading on (a file of a few
             * rows spread over a large source reads only around them). */
            if (++misses >= 8) {
                misses = 0;
                sqlite3_reset(b->range_q);
                sqlite3_bind_text(b->range_q, 2, sq_brow_text(bt, &bt->row[i], SQB_ID), (int)bt->row[i].len[SQB_ID],
                                  SQLITE_STATIC);
            }
            continue;
        }
        misses = 0;
        if (sqlite3_column_type(b->range_q, 1) != SQLITE_INTEGER) {   /* not cxpulse's: as classify_sql says */
            odd = 1;
            break;
        }
        sq_brow *r = &bt->row[i++];
        long long u = sqlite3_column_int64(b->range_q, 1);
        if (u > r->updated_at) older++;
        else if (u == r->updated_at && same_content(b->range_q, bt, r)) equal++;
        else continue;
        r->skip = 1;
    }
    if (i == bt->n || odd) rc = SQLITE_DONE;    /* the rest of the range holds no key of the batch */
    sqlite3_bind_null(b->range_q, 1);
    sqlite3_bind_null(b->range_q, 2);
    sqlite3_bind_null(b->range_q, 3);
    sqlite3_reset(b->range_q);
    if (rc != SQLITE_DONE) return sq_fail(s, "bulk upsert");
    if (odd) {
        for (size_t j = 0; j < bt->n; j++) bt->row[j].skip = 0;
        return 1;
    }
    b->drop_older += older;
    b->drop_equal += equal;
    *n = older + equal;
    return 0;
}

/* Leaves out of the stage the batch's rows equal to or older than their
 * stored row (keys ascending: the stored rows are read in key order);
 * *N how many. */
static int drop_batch(sq_store *s, long long *n)
{
    sq_bulk *b = s->bulk;
    sq_batch *bt = b->cur;
    long long first = bt->row[0].seq;
    int rc;
    *n = 0;
    if (prepare(s, &b->drop_q, drop_keys_sql) != 0) return -1;
    if ((rc = drop_range(s, n)) < 0) return -1;
    if (rc == 1) {
        if (prepare(s, &b->classify_q, classify_sql) != 0) return -1;
        while ((rc = sqlite3_step(b->classify_q)) == SQLITE_ROW) {
            long long seq = sqlite3_column_int64(b->classify_q, 0);
            bt->row[seq - first].skip = 1;
            if (sqlite3_column_int(b->classify_q, 1)) b->drop_older++;
            else b->drop_equal++;
            (*n)++;
        }
        sqlite3_reset(b->classify_q);
        if (rc != SQLITE_DONE) return sq_fail(s, "bulk upsert");
    }
    if (*n == 0) return 0;
    bt->show_skipped = 1;
    rc = step_batch(s, b->drop_q, 0);
    bt->show_skipped = 0;
    return rc;
}

/* Writes BT (on the writer thread, or on the caller's once it is idle). */
static int flush_batch(sq_store *s, sq_batch *bt)
{
    sq_bulk *b = s->bulk;
    if (bt->n == 0) return 0;
    int rc = 0;
    b->cur = bt;
    note_ascending(b, bt);
    if (b->mode != MODE_STAGE) {
        rc = batch_sources_old(s);
        if (rc == 0 && b->mode == MODE_NONE) {
            int any = any_row(s);
            if (any < 0) rc = -1;
            b->check_held = any == 1 && !s->base.allow_dup_ids;
            if (any == 0) {
                if (sqlite3_exec(s->db, "DROP INDEX IF EXISTS responses_month", NULL, NULL, NULL) != SQLITE_OK)
                    rc = sq_fail(s, "bulk upsert");
                b->index_dropped = 1;
            }
            b->mode = MODE_DIRECT;
        }
        if (rc == 0) rc = flush_direct(s);
        if (rc == 1) rc = to_stage(s);
        else if (rc == 0) goto done;
    }
    long long dropped = 0;
    if (rc == 0 && b->ascending) {
        if (b->drop_ok < 0) b->drop_ok = may_drop(s);
        if (b->drop_ok < 0) rc = -1;
        else if (b->drop_ok == 1) rc = drop_batch(s, &dropped);
    }
    if (rc == 0 && prepare(s, &b->ins_stage, stage_batch_sql) == 0 && step_batch(s, b->ins_stage, 0) == 0)
        s->bulk_rows += (long long)bt->n - dropped;
    else
        rc = -1;
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

/* The end of loading straight: the month index built when it was dropped. */
static int end_direct(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (!b->index_dropped) return 0;
    b->index_dropped = 0;
    if (sqlite3_exec(s->db, "CREATE INDEX IF NOT EXISTS responses_month ON responses(month)", NULL, NULL,
                     NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    return 0;
}

/* 1 when no staged source has rows in `responses` yet, 0 when one has (or
 * there were too many to note), -1 on error. */
static int sources_are_new(sq_store *s)
{
    if (s->bulk_src.n < 0) return 0;
    sqlite3_stmt *used;
    if (sqlite3_prepare_v2(s->db, source_used_sql, -1, &used, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    int ret = 1;
    for (int i = 0; ret == 1 && i < s->bulk_src.n; i++) {
        sqlite3_bind_text(used, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
        int rc = sqlite3_step(used);
        if (rc == SQLITE_ROW) ret = 0;
        else if (rc != SQLITE_DONE) ret = sq_fail(s, "bulk upsert");
        sqlite3_reset(used);
    }
    sqlite3_finalize(used);
    return ret;
}

/* Runs SQL; with V, reads NV counts of its one row into V.  0, 1 when it
 * failed on a PRIMARY KEY or UNIQUE constraint and ALLOW_DUP, or -1. */
static int run(sq_store *s, const char *sql, int allow_dup, long long *v, int nv)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "bulk upsert");
    int rc = sqlite3_step(st);
    if (v && rc == SQLITE_ROW) {
        for (int i = 0; i < nv; i++) v[i] = sqlite3_column_int64(st, i);
        rc = sqlite3_step(st);
    }
    int ext = sqlite3_extended_errcode(s->db);
    int dup = ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE;
    int ret = rc == SQLITE_DONE ? 0 : allow_dup && dup ? 1 : -1;
    if (ret < 0) sq_fail(s, "bulk upsert");
    sqlite3_finalize(st);
    return ret;
}

/* Each staged row's class, as row-by-row upserts in file order give it,
 * against the stored row and the key's earlier staged rows: V[0] new,
 * V[1] newer or equal (replaces), V[2] equal to the stored row in
 * updated_at and content, V[3] rows of keys staged more than once. */
static int count_staged(sq_store *s, long long v[4])
{
    sqlite3_stmt *st;
    memset(v, 0, 4 * sizeof *v);
    const char *sql = s->bulk->ascending ? scan_ascending_sql : scan_sql;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "bulk upsert");
    char *key = NULL;
    size_t key_len = 0, key_cap = 0;
    long long group_max = 0, group_n = 0;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_text(st, 0);
        size_t sl = (size_t)sqlite3_column_bytes(st, 0);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        size_t il = (size_t)sqlite3_column_bytes(st, 1);
        if (!src || !id) { ret = oom(s); break; }
        long long u = sqlite3_column_int64(st, 2);
        int stored = sqlite3_column_type(st, 3) != SQLITE_NULL;
        long long uo = sqlite3_column_int64(st, 3);
        int again = key && key_len == sl + il + 1 && !memcmp(key, src, sl) && key[sl] == '\0' &&
                    !memcmp(key + sl + 1, id, il);
        if (!again) {
            if (sl + il + 1 > key_cap) {
                char *k = realloc(key, sl + il + 1);
                if (!k) { ret = oom(s); break; }
                key = k;
                key_cap = sl + il + 1;
            }
            memcpy(key, src, sl);
            key[sl] = '\0';
            memcpy(key + sl + 1, id, il);
            key_len = sl + il + 1;
            group_n = 0;
        }
        if (!stored && !group_n) v[0]++;
        else if ((!stored || u >= uo) && (!group_n || u >= group_max)) v[1]++;
        if (stored && sqlite3_column_int(st, 4)) v[2]++;
        if (group_n == 1) v[3] += 2;
        else if (group_n > 1) v[3]++;
        group_max = !group_n || u > group_max ? u : group_max;
        group_n++;
    }
    free(key);
    if (ret == 0 && rc != SQLITE_DONE) ret = sq_fail(s, "bulk upsert");
    sqlite3_finalize(st);
    return ret;
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
    if (rc == 0 && b->mode != MODE_STAGE) {
        c->inserted = b->direct;
        rc = end_direct(s);
        s->bulk_unique = rc == 0;     /* loaded straight: the primary key saw no key twice */
        forget(s);
        return rc;
    }
    long long v[4] = {0, 0, 0, 0};      /* new, replacing, equal to the stored row, rows of repeated keys */
    long long again = 0;                /* a staged key also among the rows left out */
    if (rc == 0) rc = s->bulk_rows == 0 ? 0 : sources_are_new(s);
    if (rc == 1) {                                         /* path 1 */
        rc = run(s, insert_new_sql, 1, NULL, 0);
        v[0] = s->bulk_rows;
    } else if (rc == 0 && s->bulk_rows > 0) {
        rc = 1;
    }
    if (rc == 1) {                                         /* path 2 */
        rc = count_staged(s, v);
        if (rc == 0 && b->drop_older + b->drop_equal > 0 && !b->ascending)
            rc = run(s, dropped_again_sql, 0, &again, 1);
        /* With no key twice a row equal to the stored one is unchanged;
         * with repeats, as row by row, it replaces what came before it. */
        if (v[3] > 0 || again > 0) v[2] = 0;
        if (rc == 0 && v[0] + v[1] - v[2] > 0) rc = run(s, merge_exact_sql, 0, NULL, 0);
    }
    int rep = v[3] > 0 || again > 0;
    c->inserted = v[0];
    c->replaced = v[1] - v[2] + (rep ? b->drop_equal : 0);
    c->unchanged = v[2] + (rep ? 0 : b->drop_equal);
    if (rc == 0)
        c->ignored = s->bulk_rows + b->drop_older + b->drop_equal - c->inserted - c->replaced - c->unchanged;
    if (rc == 0 && sqlite3_exec(s->db, "DELETE FROM temp.cx_stage", NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_fail(s, "bulk upsert");
    if (rc == 0) rc = end_direct(s);
    s->bulk_unique = rc == 0 && !rep;
    forget(s);
    return rc;
}
