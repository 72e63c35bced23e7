/* store_sqlite_days.c — the first and last day of each spend source kept
 * in cx_spend_days (schema 6), so that the range of the spend's days every
 * run needs (store.h store_spend_range) is a few index seeks, not a pass
 * over the spend table (25M rows: 2.2 s).
 *
 * A source's row there is exact or absent:
 * - cxpulse's connection runs no triggers, so its writes keep it: the
 *   first spend write of a transaction to a source drops the source's row
 *   (sq_days_drop), and a transaction that replaced a source (spend_clear,
 *   as an import does) notes its days again just before it commits, from
 *   the table (sq_days_commit), in the same transaction;
 * - any other program's write to spend drops the rows of the sources it
 *   touched (per-row triggers, SQ_DAYS_MIGRATION).
 * The range reads the sources from the spend's index (one seek each), and
 * each source's days from its row, or, when it has none, from that
 * source's spend rows.
 */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SQL with SOURCE as ?1, run to its end.  0, -1 with the error. */
static int run1(sq_store *s, const char *sql, const char *source)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "spend");
    sqlite3_bind_text(st, 1, source ? source : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, "spend");
}

/* *KEPT = a copy of SOURCE.  0, -1 out of memory (*KEPT then NULL, the
 * error said). */
static int keep(sq_store *s, char **kept, const char *source)
{
    free(*kept);
    *kept = strdup(source ? source : "");
    if (*kept) return 0;
    snprintf(s->base.err, sizeof s->base.err, "store: spend: out of memory");
    return -1;
}

int sq_days_drop(sq_store *s, const char *source)
{
    if (s->days_dropped && strcmp(s->days_dropped, source ? source : "") == 0) return 0;
    if (run1(s, "DELETE FROM cx_spend_days WHERE source = ?1", source) != 0) return -1;
    return keep(s, &s->days_dropped, source);
}

int sq_days_cleared(sq_store *s, const char *source)
{
    return sq_days_drop(s, source) != 0 ? -1 : keep(s, &s->days_cleared, source);
}

int sq_days_commit(sq_store *s)
{
    if (!s->days_cleared) return 0;
    return run1(
        s,
        "INSERT OR REPLACE INTO cx_spend_days (source, first, last) SELECT ?1, min(day), max(day) FROM spend"
        " WHERE source = ?1 HAVING count(*) > 0 AND typeof(min(day)) = 'integer'"
        " AND typeof(max(day)) = 'integer'",
        s->days_cleared);
}

void sq_days_forget(sq_store *s)
{
    free(s->days_dropped);
    free(s->days_cleared);
    s->days_dropped = s->days_cleared = NULL;
}

/* The distinct sources by the spend's index (each the next after the one
 * before), each source's days from cx_spend_days or else from its rows. */
static const char range_sql[] =
    "WITH RECURSIVE s(src) AS (SELECT (SELECT source FROM spend ORDER BY source LIMIT 1)"
    " UNION ALL SELECT (SELECT source FROM spend WHERE source > s.src ORDER BY source LIMIT 1)"
    " FROM s WHERE s.src IS NOT NULL)"
    " SELECT min(coalesce(d.first, (SELECT min(day) FROM spend WHERE source = s.src))),"
    " max(coalesce(d.last, (SELECT max(day) FROM spend WHERE source = s.src)))"
    " FROM s LEFT JOIN cx_spend_days d ON d.source = s.src WHERE s.src IS NOT NULL";

int sq_spend_range(store *base, int64_t *first, int64_t *last)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, range_sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "spend");
    int ret = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        ret = 0;
        if (sqlite3_column_type(st, 0) == SQLITE_INTEGER && sqlite3_column_type(st, 1) == SQLITE_INTEGER) {
            *first = sqlite3_column_int64(st, 0);
            *last = sqlite3_column_int64(st, 1);
            ret = 1;
        }
    }
    if (ret < 0) sq_fail(s, "spend");
    sqlite3_finalize(st);
    return ret;
}
