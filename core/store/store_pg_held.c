/* store_pg_held.c — one response id, one source (store.h) on PostgreSQL:
 * the source other than a row's own that holds its response_id, for the
 * row upsert and for the staged rows of a bulk upsert (cx_stage,
 * store_pg_bulk.c). */
#include "core/store/store_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CX_HAVE_LIBPQ

static const char held_one_sql[] = STORE_HELD_ONE_SQL("$1", "$2");

static const char held_stage_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS cx_held (seq bigint NOT NULL, response_id text NOT NULL,"
    " held_by text NOT NULL);"
    "TRUNCATE cx_held;"
    "INSERT INTO cx_held " STORE_HELD_STAGE_SQL("cx_stage");

int pg_held_by(store *base, const char *source, const char *response_id, char *buf, size_t cap)
{
    pg_store *s = PG(base);
    const char *v[2] = {source ? source : "", response_id ? response_id : ""};
    if (pg_flush(s) != 0) return -1;
    PGresult *r = PQexecParams(s->conn, held_one_sql, 2, NULL, v, NULL, NULL, 0);
    int held = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) held = pg_fail(s, "upsert", r);
    else if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
        snprintf(buf, cap, "%s", PQgetvalue(r, 0, 0));
        held = 1;
    }
    PQclear(r);
    return held;
}

int pg_bulk_set_aside(store *base, store_held_cb cb, void *ctx, long long *n)
{
    pg_store *s = PG(base);
    *n = 0;
    if (s->bulk_rows == 0) return 0;
    if (pg_exec(s, held_stage_sql, "bulk upsert") != 0) return -1;
    PGresult *r = PQexec(s->conn, "SELECT seq, response_id, held_by FROM cx_held ORDER BY seq");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = pg_fail(s, "bulk upsert", r);
        PQclear(r);
        return rc;
    }
    int rows = PQntuples(r), stop = 0;
    for (int i = 0; i < rows && !stop; i++)
        if (cb)
            stop =
                cb(strtoll(PQgetvalue(r, i, 0), NULL, 10) - 1, PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), ctx);
    PQclear(r);
    if (stop) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: stopped by its caller");
        return -1;
    }
    *n = rows;
    if (rows && pg_exec(s, "DELETE FROM cx_stage WHERE seq IN (SELECT seq FROM cx_held)", "bulk upsert") != 0)
        return -1;
    s->bulk_rows -= rows;
    return 0;
}

#endif /* CX_HAVE_LIBPQ */
