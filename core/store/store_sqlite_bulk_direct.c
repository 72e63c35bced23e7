/* store_sqlite_bulk_direct.c — loading a bulk straight into responses
 * (owned by the SQLite bulk upsert, store_sqlite_bulk.c).
 *
 * Loading straight into `responses` (the common case: a first import of a
 * source): while every source of the bulk is new to the store and no key
 * comes twice, each batch is sorted by key (so that ids in random order
 * meet the primary-key B-tree in order) and inserted as it is; rows whose
 * response_id another source holds are set aside first (kept in memory for
 * store_bulk_end's callback).  A key met again (in the batch, or
 * refused by the primary key: the statement is undone), a batch whose
 * keys start below those loaded before (ids in random order: in_order),
 * or a source that already has rows turns the bulk into staging: the rows
 * loaded so far move from `responses` into the staging table, in the
 * order they were loaded, and everything goes on there
 * (store_sqlite_bulk.c, store_sqlite_bulk_merge.c).  Into an empty store
 * such a batch turns the bulk to sorted runs (store_sqlite_bulk_runs.c) —
 * unless it comes after LATE_AFTER rows loaded in order and holds at most
 * LATE_MAX such rows (an export in id order with a few responses given
 * again at its end, or twice in a row): then only those "late" rows are
 * staged, the others still load straight, and from then on every late
 * row is staged; the staging's merge at the end settles them against the
 * loaded rows as row-by-row upserts would (a late row of a loaded key is
 * a repeat in the file).
 */
#include "core/store/store_sqlite_bulk_int.h"
#include "core/grow.h"

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

static const char direct_sql[] = "INSERT INTO responses (" COLS ") SELECT " COLS " FROM cx_batch";

static const char held_batch_sql[] = STORE_HELD_STAGE_SQL("cx_batch");

static const char move_sql[] =
    "INSERT INTO temp.cx_stage (" COLS ") SELECT " COLS " FROM responses WHERE source = ?1 ORDER BY rowid";

/* The same when late rows are staged already (with their file order):
 * the rows loaded straight came before them in the file, so they are
 * numbered below every staged one (-1 and down; each key once among
 * them). */
static const char move_before_sql[] = "INSERT INTO temp.cx_stage (seq, " COLS ") SELECT rowid - ?2, " COLS
                                      " FROM responses WHERE source = ?1 ORDER BY rowid";

static const char unload_sql[] = "DELETE FROM responses WHERE source = ?1";

/* 1 when no staged source has rows in `responses` yet, 0 when one has (or
 * there were too many to note), -1 on error. */
int sqb_sources_are_new(sq_store *s)
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

/* The first batch of a bulk that may load straight: the held check when
 * the store has rows. */
int sqb_direct_start(sq_store *s)
{
    sq_bulk *b = s->bulk;
    int any = any_row(s);
    b->check_held = any == 1 && !s->base.allow_dup_ids;
    b->empty = any == 0;
    b->mode = MODE_DIRECT;
    return any < 0 ? -1 : 0;
}

/* Staging from here on: the rows loaded straight so far move into
 * temp.cx_stage in the order they were loaded (their sources were new:
 * every row they have in responses is this bulk's). */
int sqb_to_stage(sq_store *s)
{
    sq_bulk *b = s->bulk;
    sqlite3_stmt *mv = NULL, *un = NULL;
    int ret = 0;
    /* (made, and emptied, when the first late rows were staged: they are in it) */
    if (!b->late && sqlite3_exec(s->db, stage_sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    if (b->mode == MODE_DIRECT && b->direct > 0) {
        if (sqb_prepare(s, &mv, b->late ? move_before_sql : move_sql) != 0 ||
            sqb_prepare(s, &un, unload_sql) != 0)
            ret = -1;
        for (int i = 0; ret == 0 && i < s->bulk_src.n; i++) {
            sqlite3_bind_text(mv, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
            if (b->late) sqlite3_bind_int64(mv, 2, b->direct + 1);
            sqlite3_bind_text(un, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
            if (sqb_step(s, mv, 0) != 0) {
                ret = -1;
                break;
            }
            s->bulk_rows += sqlite3_changes(s->db);
            int was = s->gen_dirty;
            if (sqb_step(s, un, 0) != 0) ret = -1;
            sq_gen_own_delete(s, was); /* the bulk's own rows (its sources were new): no rewrite */
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
int sqb_sources_old(sq_store *s)
{
    sq_bulk *b = s->bulk;
    int before = s->bulk_src.n;
    const char *prev = NULL; /* the row before's source: noted */
    size_t prev_len = 0;
    for (size_t i = 0; i < b->cur->n; i++) {
        const sq_brow *r = &b->cur->row[i];
        const char *src = sq_brow_text(b->cur, r, SQB_SOURCE);
        size_t len = r->len[SQB_SOURCE];
        if (prev && len == prev_len && !memcmp(prev, src, len)) continue;
        prev = src;
        prev_len = len;
        int n = s->bulk_src.n;
        if (n > 0 && strlen(s->bulk_src.name[n - 1]) == len && !memcmp(s->bulk_src.name[n - 1], src, len))
            continue;
        char *z = malloc(len + 1);
        if (!z) return sqb_oom(s);
        memcpy(z, src, len);
        z[len] = '\0';
        int rc = store_srcset_note(&s->bulk_src, z);
        free(z);
        if (rc != 0) return sqb_oom(s);
    }
    if (s->bulk_src.n < 0 || s->bulk_src.n > 1) return 1;
    if (s->bulk_src.n == before) return 0;
    int fresh = sqb_sources_are_new(s);
    return fresh < 0 ? -1 : !fresh;
}

/* Sets aside the batch's rows whose response_id another source holds. */
static int held_batch(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (sqb_prepare(s, &b->held_q, held_batch_sql) != 0) return -1;
    long long first = b->cur->row[0].seq;
    int rc;
    while ((rc = sqlite3_step(b->held_q)) == SQLITE_ROW) {
        long long seq = sqlite3_column_int64(b->held_q, 0);
        if (b->n_held == b->cap_held) {
            held_row *h = grow_array(b->held, &b->cap_held, b->n_held + 1, sizeof *h, 64, 0, 0);
            if (!h) {
                sqlite3_reset(b->held_q);
                return sqb_oom(s);
            }
            b->held = h;
        }
        held_row *h = &b->held[b->n_held];
        h->seq = seq;
        h->id = strdup((const char *)sqlite3_column_text(b->held_q, 1));
        h->by = strdup((const char *)sqlite3_column_text(b->held_q, 2));
        if (!h->id || !h->by) {
            free(h->id);
            free(h->by);
            sqlite3_reset(b->held_q);
            return sqb_oom(s);
        }
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
    return keep ? keybuf_set(kb, src, sl, id, il) : keybuf_cmp(kb, src, sl, id, il);
}

/* Keeps b->ascending: 1 while every row added came with a key greater
 * than the row before (file order is key order: nothing to sort, no key
 * twice).  Rows in arrival order, before sq_batch_sort. */
void sqb_note_ascending(sq_bulk *b, const sq_batch *bt)
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
    key_vs(bt, &bt->row[bt->order[bt->n - 1]], &b->last, 1); /* out of memory: len 0, not compared */
    return 1;
}

#define LATE_AFTER 65536 /* rows loaded in order before late rows may be staged */
#define LATE_MAX 1024    /* late rows in the batch that begins it */

static int same_key(const sq_batch *bt, const sq_brow *a, const sq_brow *b)
{
    for (int t = SQB_SOURCE; t <= SQB_ID; t++)
        if (a->len[t] != b->len[t] || memcmp(sq_brow_text(bt, a, t), sq_brow_text(bt, b, t), a->len[t]) != 0)
            return 0;
    return 1;
}

/* Marks the sorted batch's late rows (a key not after the greatest loaded,
 * or the key of the row before it) set aside: how many. */
static size_t mark_late(sq_bulk *b)
{
    sq_batch *bt = b->cur;
    size_t n = 0;
    for (size_t i = 0; i < bt->n; i++) {
        sq_brow *r = &bt->row[bt->order[i]];
        r->skip = (b->last.len && key_vs(bt, r, &b->last, 0) <= 0) ||
                  (i && same_key(bt, r, &bt->row[bt->order[i - 1]]));
        n += r->skip;
    }
    return n;
}

/* The batch's late rows (set aside) into the staging table.  0, -1. */
static int stage_late(sq_store *s, size_t n)
{
    sq_bulk *b = s->bulk;
    if (!b->late && sqlite3_exec(s->db, stage_sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    if (sqb_prepare(s, &b->ins_stage, SQB_STAGE_BATCH_SQL) != 0) return -1;
    b->cur->show_skipped = 1;
    int rc = sqb_step(s, b->ins_stage, 0);
    b->cur->show_skipped = 0;
    if (rc != 0) return -1;
    s->bulk_rows += (long long)n;
    b->late += (long long)n;
    return 0;
}

/* Loads the batch straight into responses: 0, 1 when it must be staged
 * instead (a key met again in the store), 2 when its keys start below
 * those loaded or it holds a key twice (sorted runs for an empty store,
 * whose merge settles a key given twice; else staging), -1.  Late rows
 * (above) are staged instead when that may be. */
int sqb_flush_direct(sq_store *s)
{
    sq_bulk *b = s->bulk;
    int rc = sq_batch_sort(b->cur);
    if (rc < 0) return sqb_oom(s);
    size_t late = 0;
    if (rc > 0 || !in_order(s)) {
        if (!b->late && !(b->empty && !b->merging && b->direct >= LATE_AFTER)) return 2;
        late = mark_late(b);
        if (!b->late && late > LATE_MAX) {
            for (size_t i = 0; i < b->cur->n; i++) b->cur->row[i].skip = 0;
            return 2;
        }
        if (stage_late(s, late) != 0) return -1;
        /* the greatest key of the rows loaded straight */
        sq_batch *bt = b->cur;
        for (size_t i = bt->n; i-- > 0;)
            if (!bt->row[bt->order[i]].skip) {
                if (key_vs(bt, &bt->row[bt->order[i]], &b->last, 1) != 0) return sqb_oom(s);
                break;
            }
    }
    if (b->check_held && held_batch(s) != 0) return -1;
    if (sqb_prepare(s, &b->ins_direct, direct_sql) != 0) return -1;
    long long before = sqlite3_total_changes64(s->db);
    int watched = sq_gen_watch_off(s);
    rc = late == b->cur->n ? 0 : sqb_step(s, b->ins_direct, 1);
    sq_gen_watch_on(s, watched, rc == 0 ? sqlite3_total_changes64(s->db) - before : 0);
    if (rc == 1 && b->late) { /* cannot be: every key after those loaded, once */
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: a key loaded straight came again");
        return -1;
    }
    if (rc == 1) { /* undone: its rows are staged with their set-aside ones */
        sqb_held_pop(b, b->cur->row[0].seq);
        for (size_t i = 0; i < b->cur->n; i++) b->cur->row[i].skip = 0;
        return 1;
    }
    if (rc == 0) b->direct += sqlite3_total_changes64(s->db) - before;
    return rc;
}
