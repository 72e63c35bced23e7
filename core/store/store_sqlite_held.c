/* store_sqlite_held.c — one response id, one source (store.h) on SQLite:
 * the source other than a row's own that holds its response_id, for the
 * row upsert and for the staged rows of a bulk upsert. */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>
#include <string.h>

static const char held_one_sql[] = STORE_HELD_ONE_SQL("?1", "?2");

static const char held_stage_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS cx_held (seq INTEGER PRIMARY KEY, response_id TEXT, held_by TEXT);"
    "DELETE FROM temp.cx_held;"
    "INSERT INTO temp.cx_held " STORE_HELD_STAGE_SQL("temp.cx_stage");

int sq_held_by(store *base, const char *source, const char *response_id, char *buf, size_t cap)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(s->db, held_one_sql, -1, 0, &st, NULL) != SQLITE_OK) return sq_fail(s, "upsert");
    sqlite3_bind_text(st, 1, source ? source : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, response_id ? response_id : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), held = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        held = 1;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        held = sq_fail(s, "upsert");
    }
    sqlite3_finalize(st);
    return held;
}

int sq_bulk_set_aside(store *base, store_held_cb cb, void *ctx, long long *n)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    *n = 0;
    /* Rows loaded straight into responses were checked batch by batch;
     * the ones they set aside come first (staging follows them). */
    if (sq_bulk_flush(s) != 0 || sq_bulk_direct_held(s, cb, ctx, n) != 0) return -1;
    if (!sq_bulk_staging(s) || s->bulk_rows == 0) return 0;
    long long before = *n;
    if (sqlite3_exec(s->db, held_stage_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "SELECT seq, response_id, held_by FROM temp.cx_held ORDER BY seq", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    int rc, stop = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        (*n)++;
        if (cb && !stop)
            stop = cb(sqlite3_column_int64(st, 0) - 1, (const char *)sqlite3_column_text(st, 1),
                      (const char *)sqlite3_column_text(st, 2), ctx);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sq_fail(s, "bulk upsert");
    if (stop) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: stopped by its caller");
        return -1;
    }
    if (*n > before &&
        sqlite3_exec(s->db, "DELETE FROM temp.cx_stage WHERE seq IN (SELECT seq FROM temp.cx_held)", NULL,
                     NULL, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    s->bulk_rows -= *n - before;
    return 0;
}
