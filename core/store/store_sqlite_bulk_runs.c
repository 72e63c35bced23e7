/* store_sqlite_bulk_runs.c — a bulk of ids in random order into an empty
 * store, sorted outside SQLite (owned by the SQLite bulk upsert,
 * store_sqlite_bulk.c; the runs themselves are core/store/resp_runs.h).
 *
 * Loading straight, a batch whose keys start below those loaded before
 * (ids in random order) turns a bulk into an empty store to runs instead
 * of staging: the rows loaded so far are taken back out of `responses`,
 * and every row goes, on the writer thread while the reading thread
 * parses the next batch, into runs of resp_run_rows rows, each sorted by
 * key and written to a temporary file.  From then on the reading thread
 * hands over batches of a run's rows, each sorted and written where it
 * is.  At the end the runs are merged by key on the reading thread and
 * handed to the writer thread in batches, which it loads straight into
 * `responses` in key order, as an import in id order is: one pass over
 * the rows and their B-trees, no staged copy and no sort inside SQLite,
 * and the table's rows in key order for the analysis cache's scan.  A key
 * given twice (or more) is settled in the merge as row-by-row upserts
 * would settle it, and loaded once.  The merged rows are also shown, as
 * responses in key order, to the store_on_sorted callback (the analysis
 * cache an import writes).
 */
#include "core/store/store_sqlite_bulk_int.h"

#include <stdio.h>
#include <string.h>

/* The runs' failure (b->runs.err) as the store's: -1. */
static int runs_fail(sq_store *s)
{
    snprintf(s->base.err, sizeof s->base.err, "%s", s->bulk->runs.err);
    return -1;
}

int sqb_runs_add(sq_store *s, sq_batch *bt)
{
    return resp_runs_add(&s->bulk->runs, bt) == 0 ? 0 : runs_fail(s);
}

static const char loaded_sql[] =
    "SELECT " SQ_RESPONSE_COLS " FROM responses WHERE source = ?1 ORDER BY rowid";
static const char unload_sql[] = "DELETE FROM responses WHERE source = ?1";

/* The rows loaded straight so far (every one the bulk's: the store was
 * empty) back out of responses into the runs, numbered 1.. in key order
 * (they are the bulk's first rows, each key once: their order among
 * themselves does not matter).  0, or -1. */
static int take_back(sq_store *s)
{
    sq_bulk *b = s->bulk;
    sqlite3_stmt *q = NULL, *del = NULL;
    int ret = 0;
    if (sqlite3_prepare_v2(s->db, loaded_sql, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, unload_sql, -1, &del, NULL) != SQLITE_OK)
        ret = sq_fail(s, "bulk upsert");
    long long seq = 0;
    for (int i = 0; ret == 0 && i < s->bulk_src.n; i++) {
        sqlite3_bind_text(q, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
        int rc;
        while (ret == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            static const int col[SQB_NTEXT] = {0, 1, 6, 7, 8, 9, 10, 11, 13, 14};
            const char *txt[SQB_NTEXT];
            sq_brow h;
            memset(&h, 0, sizeof h);
            for (int t = 0; t < SQB_NTEXT; t++) {
                txt[t] = col_text(q, col[t]);
                h.len[t] = (uint32_t)sqlite3_column_bytes(q, col[t]);
            }
            h.responded_at = sqlite3_column_int64(q, 2);
            h.updated_at = sqlite3_column_int64(q, 3);
            h.month = sqlite3_column_int(q, 4);
            h.score = sqlite3_column_int(q, 5);
            h.has_handle_time = sqlite3_column_type(q, 12) != SQLITE_NULL;
            h.handle_time_s = h.has_handle_time ? sqlite3_column_double(q, 12) : 0;
            h.metric = cx_metric_from_code(col_text(q, 15));
            h.seq = ++seq;
            if (h.metric < 0) {
                snprintf(s->base.err, sizeof s->base.err,
                         "store: bulk upsert: a loaded row's metric is unknown");
                ret = -1;
            } else if (resp_runs_add_raw(&b->runs, &h, txt) != 0) {
                ret = runs_fail(s);
            }
        }
        if (ret == 0 && rc != SQLITE_DONE) ret = sq_fail(s, "bulk upsert");
        sqlite3_reset(q);
        sqlite3_bind_text(del, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
        int was = s->gen_dirty;
        if (ret == 0 && sqb_step(s, del, 0) != 0) ret = -1;
        sq_gen_own_delete(s, was); /* the bulk's own rows: no rewrite */
        sqlite3_reset(del);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(del);
    if (ret == 0 && seq != b->direct) {
        snprintf(s->base.err, sizeof s->base.err,
                 "store: bulk upsert: %lld rows loaded, %lld found again to sort", b->direct, seq);
        ret = -1;
    }
    return ret;
}

int sqb_to_runs(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (resp_runs_open(&b->runs) != 0) return runs_fail(s);
    if (b->direct > 0 && take_back(s) != 0) return -1;
    b->direct = 0;
    b->last.len = 0;
    b->mode = MODE_RUNS;
    return sqb_runs_add(s, b->cur);
}

int sqb_runs_merge(sq_store *s, resp_runs_put put)
{
    sq_bulk *b = s->bulk;
    /* the reading thread's batches of a run each, empty now (the bulk
     * flushed, its writer idle): the merge fills SQ_BATCH_ROWS at a time */
    for (int i = 0; i < SQ_BATCHES; i++) sq_batch_free(&b->bat[i]);
    b->mode = MODE_DIRECT; /* the merged rows load straight, in key order */
    int rc = resp_runs_merge(&b->runs, put, s, s->base.sorted_cb, s->base.sorted_ctx);
    b->dup_replaced = b->runs.dup_replaced;
    b->dup_ignored = b->runs.dup_ignored;
    if (rc != 0 && b->runs.err[0]) runs_fail(s);
    return rc;
}

void sqb_runs_free(sq_bulk *b) { resp_runs_free(&b->runs); }
