/* store_pg_spend.c — what a spend import changed (store_spend_counts) on
 * PostgreSQL: spend_clear keeps the source's old rows in a temporary
 * table, and the new rows (COPY'd at the next flush) are compared with
 * them. */
#include "core/store/store_pg_int.h"

#include <stdio.h>
#include <stdlib.h>

#ifdef CX_HAVE_LIBPQ

static const char keep_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS cx_spend_old (customer_id text COLLATE \"C\", day bigint,"
    " amount double precision);"
    "TRUNCATE cx_spend_old";
static const char copy_sql[] =
    "INSERT INTO cx_spend_old SELECT customer_id, day, amount FROM spend WHERE source = $1";
static const char count_sql[] = STORE_SPEND_COUNT_SQL("cx_spend_old", "$1", "least");

/* Runs SQL with SOURCE as $1 (after pg_exec's flush); the result, or NULL
 * with the error set. */
static PGresult *run1(pg_store *s, const char *sql, const char *source, ExecStatusType want)
{
    const char *v[1] = {source ? source : ""};
    PGresult *r = PQexecParams(s->conn, sql, 1, NULL, v, NULL, NULL, 0);
    if (PQresultStatus(r) != want) {
        pg_fail(s, "spend", r);
        PQclear(r);
        return NULL;
    }
    return r;
}

int pg_spend_keep_old(pg_store *s, const char *source)
{
    if (pg_exec(s, keep_sql, "spend") != 0) return -1;
    PGresult *r = run1(s, copy_sql, source, PGRES_COMMAND_OK);
    PQclear(r);
    return r ? 0 : -1;
}

int pg_spend_counts(store *base, const char *source, store_bulk_counts *c)
{
    pg_store *s = PG(base);
    if (pg_flush(s) != 0) return -1;
    PGresult *r = run1(s, count_sql, source, PGRES_TUPLES_OK);
    if (!r) return -1;
    long long old = strtoll(PQgetvalue(r, 0, 0), NULL, 10), now = strtoll(PQgetvalue(r, 0, 1), NULL, 10),
              same = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
    PQclear(r);
    c->inserted = now - same;
    c->replaced = old - same;
    c->ignored = same;
    return 0;
}

#endif /* CX_HAVE_LIBPQ */
