/* store_sqlite_status.c — the status summary of the SQLite backend (the
 * reject reasons and attribute names are scans: store_sqlite_read.c). */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One-row query of integers (store_one_row_fn). */
static int one_row(store *base, const char *sql, long long *out, int n)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "status");
    int rc = sqlite3_step(st);
    for (int i = 0; i < n; i++) out[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : sq_fail(s, "status");
}

int sq_has_customers(store *base) { return store_status_has_customers(base, one_row); }

int sq_get_status(store *base, store_status *st)
{
    sq_store *s = SQ(base);
    if (store_status_totals(base, st, one_row) != 0) return -1;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, STATUS_SOURCES_SQL, -1, &q, NULL) != SQLITE_OK) return sq_fail(s, "status");
    int rc, oom = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW &&
           !(oom = store_status_add_source(st, col_text(q, 0), sqlite3_column_int64(q, 1),
                                           sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3),
                                           sqlite3_column_int64(q, 4),
                                           sqlite3_column_type(q, 5) == SQLITE_NULL ? NULL : col_text(q, 5))))
        ;
    sqlite3_finalize(q);
    if (oom || rc != SQLITE_DONE) {
        store_status_free(st);
        if (oom) {
            snprintf(s->base.err, sizeof s->base.err, "store: status: out of memory");
            return -1;
        }
        return sq_fail(s, "status");
    }
    return 0;
}
