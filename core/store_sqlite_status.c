/* store_sqlite_status.c — status and reject summaries of the SQLite backend. */
#include "core/store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(sq_store *s, const char *what)
{
    snprintf(s->base.err, sizeof s->base.err, "store: %s: %s", what, sqlite3_errmsg(s->db));
    return -1;
}

static char *dup_or_null(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return NULL;
    const char *t = col_text(st, i);
    size_t n = strlen(t) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, t, n);
    return p;
}

/* One-row query of up to 4 integers. */
static int one_row(sq_store *s, const char *sql, long long *out, int n)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return fail(s, "status");
    int rc = sqlite3_step(st);
    for (int i = 0; i < n; i++) out[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(s, "status");
}

int sq_get_status(store *base, store_status *st)
{
    sq_store *s = SQ(base);
    memset(st, 0, sizeof *st);
    long long v[4];
    if (one_row(s, "SELECT count(*), coalesce(min(responded_at),0), coalesce(max(responded_at),0)"
                   " FROM responses", v, 3) != 0) return -1;
    st->responses = v[0]; st->first_at = v[1]; st->last_at = v[2];
    if (one_row(s, "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM spend),"
                   " (SELECT count(*) FROM rejects)", v, 3) != 0) return -1;
    st->customers = v[0]; st->spend_rows = v[1]; st->rejects = v[2];
    if (one_row(s, "SELECT coalesce(sum(rows),0), coalesce(sum(replaced),0),"
                   " coalesce(sum(ignored),0), coalesce(max(at),0) FROM imports", v, 4) != 0) return -1;
    st->imported_rows = v[0]; st->replaced = v[1]; st->ignored = v[2]; st->last_import = v[3];

    static const char *sql =
        "WITH names AS (SELECT source FROM responses GROUP BY source"
        " UNION SELECT source FROM sync_state UNION SELECT source FROM rejects GROUP BY source)"
        " SELECT n.source, (SELECT count(*) FROM responses r WHERE r.source = n.source),"
        " (SELECT count(*) FROM rejects j WHERE j.source = n.source),"
        " coalesce(y.last_sync, 0), coalesce(y.last_fetched, 0), y.last_error"
        " FROM names n LEFT JOIN sync_state y ON y.source = n.source ORDER BY n.source";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) return fail(s, "status");
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        store_source_status *grown = realloc(st->sources, (st->n_sources + 1) * sizeof *grown);
        if (!grown) break;
        st->sources = grown;
        store_source_status *x = &st->sources[st->n_sources++];
        memset(x, 0, sizeof *x);
        x->source = dup_or_null(q, 0);
        x->responses = sqlite3_column_int64(q, 1);
        x->rejects = sqlite3_column_int64(q, 2);
        x->last_sync = sqlite3_column_int64(q, 3);
        x->last_fetched = sqlite3_column_int64(q, 4);
        x->last_error = dup_or_null(q, 5);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) { store_status_free(st); return fail(s, "status"); }
    return 0;
}

int sq_reject_reasons(store *base, store_reason_cb cb, void *ctx)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, "SELECT reason, count(*) AS n FROM rejects GROUP BY reason"
                           " ORDER BY n DESC, reason", -1, &q, NULL) != SQLITE_OK)
        return fail(s, "rejects");
    int rc, ret = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if ((ret = cb(col_text(q, 0), sqlite3_column_int64(q, 1), ctx)) != 0) break;
    if (!ret && rc != SQLITE_DONE) ret = fail(s, "rejects");
    sqlite3_finalize(q);
    return ret;
}
