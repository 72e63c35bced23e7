/* store_sqlite_spend.c — what a spend import changed (store_spend_counts)
 * on SQLite: spend_clear keeps the source's old rows in a temporary table,
 * and the new rows are compared with them. */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>

static const char keep_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS cx_spend_old (customer_id TEXT, day INTEGER, amount REAL);"
    "DELETE FROM temp.cx_spend_old";
static const char copy_sql[] =
    "INSERT INTO temp.cx_spend_old SELECT customer_id, day, amount FROM spend WHERE source = ?1";
static const char count_sql[] = STORE_SPEND_COUNT_SQL("temp.cx_spend_old", "?1", "min");

int sq_spend_keep_old(sq_store *s, const char *source)
{
    sqlite3_stmt *st;
    if (sqlite3_exec(s->db, keep_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, copy_sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "spend");
    sqlite3_bind_text(st, 1, source ? source : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, "spend");
}

int sq_spend_counts(store *base, const char *source, store_bulk_counts *c)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, count_sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "spend");
    sqlite3_bind_text(st, 1, source ? source : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        long long old = sqlite3_column_int64(st, 0), now = sqlite3_column_int64(st, 1),
                  same = sqlite3_column_int64(st, 2);
        c->inserted = now - same;
        c->replaced = old - same;
        c->ignored = same;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : sq_fail(s, "spend");
}
