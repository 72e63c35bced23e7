/* store_pg_gen.c — the PostgreSQL backend's generation (store.h
 * store_generation, docs/cache.md): the store's random id (cx_store) and
 * what cx_changes holds, one row per committed transaction that wrote
 * responses (statement-level triggers since schema 4, whoever
 * writes).  A transaction that has not committed is not seen, so a
 * generation read before and after a scan that are equal mean no write
 * landed in between.
 */
#include "core/store/store_pg_int.h"

#ifdef CX_HAVE_LIBPQ
#include <stdio.h>
#include <string.h>

int pg_generation(store *base, char *id, char *gen)
{
    pg_store *s = PG(base);
    if (pg_flush(s) != 0) return -1;
    PGresult *r = PQexec(s->conn, "SELECT (SELECT min(id) FROM cx_store),"
                                  " count(*)::text || '.' || coalesce(sum(tx), 0)::text FROM cx_changes");
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        rc = pg_fail(s, "generation", r);
    } else if (PQgetisnull(r, 0, 0) || PQgetlength(r, 0, 0) >= STORE_GEN_MAX ||
               PQgetlength(r, 0, 1) >= STORE_GEN_MAX) {
        snprintf(s->base.err, sizeof s->base.err, "store: cx_store: no id, or one too long");
        rc = -1;
    } else {
        snprintf(id, STORE_GEN_MAX, "%s", PQgetvalue(r, 0, 0));
        snprintf(gen, STORE_GEN_MAX, "%s", PQgetvalue(r, 0, 1));
    }
    PQclear(r);
    return rc;
}

#endif /* CX_HAVE_LIBPQ */
