/* store_pg.c — the PostgreSQL backend of store.h (libpq): opening (the
 * connection itself: store_pg_conn.c), schema and migrations, transactions
 * and errors.  The operations live in
 * store_pg_write.c, store_pg_read.c and store_pg_bulk.c; see store_pg_int.h.
 *
 * Same schema as SQLite (core/store/store_sqlite.c), same version number: a
 * one-row schema_version table plays PRAGMA user_version.  Key text columns
 * are COLLATE "C" so that ORDER BY gives SQLite's byte order and the
 * outputs of both backends are byte-identical.  Attributes are `json` (not
 * jsonb), which keeps the text as written, key order included.
 *
 * The password never comes from the connection string: one written there is
 * refused; libpq reads PGPASSWORD or ~/.pgpass, or the caller names an
 * environment variable (config "password_env").  Error texts never hold it.
 */
#include "core/store/store_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CX_HAVE_LIBPQ

const char *const pg_queries[P_COUNT] = {
    /* One round trip: the stored row's updated_at as it was (the CTEs
     * share one snapshot, which the INSERT's write is not in) beside
     * what the upsert did. */
    [P_UPSERT] =
        "WITH old AS (SELECT updated_at FROM responses WHERE source = $1 AND response_id = $2),"
        " w AS (INSERT INTO responses AS r (source, response_id, responded_at, updated_at, month, score,"
        " comment, customer_id, agent_id, channel, product, interaction_type, handle_time_s,"
        " moments, attributes, metric) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)"
        " ON CONFLICT (source, response_id) DO UPDATE SET responded_at = excluded.responded_at,"
        " updated_at = excluded.updated_at, month = excluded.month, score = excluded.score,"
        " comment = excluded.comment, customer_id = excluded.customer_id,"
        " agent_id = excluded.agent_id, channel = excluded.channel, product = excluded.product,"
        " interaction_type = excluded.interaction_type, handle_time_s = excluded.handle_time_s,"
        " moments = excluded.moments, attributes = excluded.attributes, metric = excluded.metric"
        " WHERE excluded.updated_at >= r.updated_at AND (excluded.updated_at > r.updated_at OR"
        " (r.responded_at, r.score, r.comment, r.customer_id, r.agent_id, r.channel, r.product,"
        " r.interaction_type, r.handle_time_s, r.moments, r.attributes::text, r.metric) IS DISTINCT FROM"
        " (excluded.responded_at, excluded.score, excluded.comment, excluded.customer_id, excluded.agent_id,"
        " excluded.channel, excluded.product, excluded.interaction_type, excluded.handle_time_s,"
        " excluded.moments, excluded.attributes::text, excluded.metric))"
        /* true: a new row; false: an update; NULL: older than the stored one, or equal to it */
        " RETURNING (xmax = 0) AS fresh)"
        " SELECT (SELECT fresh FROM w), (SELECT updated_at FROM old)",
    [P_CUSTOMER] = "INSERT INTO customers(customer_id, annual_value, attributes) VALUES ($1, $2, $3)"
                   " ON CONFLICT (customer_id) DO UPDATE SET annual_value = excluded.annual_value,"
                   " attributes = excluded.attributes",
    [P_SPEND_CLEAR] = "DELETE FROM spend WHERE source = $1",
    [P_SPEND_ADD] = "INSERT INTO spend(source, customer_id, day, amount) VALUES ($1, $2, $3, $4)",
    [P_REJECT] = "INSERT INTO rejects(source, at, location, reason, raw) VALUES ($1, $2, $3, $4, $5)",
    [P_REJECTS_FORGET] = "DELETE FROM rejects WHERE" PG_REJECTS_OF,
    [P_IMPORT_LOG] = "INSERT INTO imports(at, kind, file, rows, inserted, replaced, ignored, rejected,"
                     " unchanged) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    [P_CKPT_GET] = "SELECT checkpoint FROM sync_state WHERE source = $1",
    [P_CKPT_PUT] = "INSERT INTO sync_state(source, checkpoint) VALUES ($1, $2)"
                   " ON CONFLICT (source) DO UPDATE SET checkpoint = excluded.checkpoint",
    [P_CKPT_CLEAR] = "UPDATE sync_state SET checkpoint = NULL WHERE source = $1",
    [P_SYNC_RECORD] =
        "INSERT INTO sync_state(source, last_sync, last_fetched, last_error)"
        " VALUES ($1, CASE WHEN $4::text IS NULL THEN $2::bigint END, $3, $4)"
        " ON CONFLICT (source) DO UPDATE SET last_sync = coalesce(excluded.last_sync, sync_state.last_sync),"
        " last_fetched = excluded.last_fetched, last_error = excluded.last_error",
    /* Session advisory locks keyed by a 64-bit hash of the source name. */
    [P_LOCK] = "SELECT pg_advisory_lock(hashtextextended('cxpulse.sync:' || $1::text, 0))",
    [P_TRY_LOCK] = "SELECT pg_try_advisory_lock(hashtextextended('cxpulse.sync:' || $1::text, 0))",
    [P_UNLOCK] = "SELECT pg_advisory_unlock(hashtextextended('cxpulse.sync:' || $1::text, 0))",
};

/* migrations[i] takes the schema from version i to i+1 (as SQLite's). */
static const char *const migrations[] = {
    "CREATE TABLE responses ("
    " source text COLLATE \"C\" NOT NULL, response_id text COLLATE \"C\" NOT NULL,"
    " responded_at bigint NOT NULL, updated_at bigint NOT NULL, month integer NOT NULL,"
    " score smallint NOT NULL CHECK (score BETWEEN 0 AND 10),"
    " comment text NOT NULL DEFAULT '', customer_id text COLLATE \"C\" NOT NULL DEFAULT '',"
    " agent_id text COLLATE \"C\" NOT NULL DEFAULT '', channel text COLLATE \"C\" NOT NULL DEFAULT '',"
    " product text COLLATE \"C\" NOT NULL DEFAULT '',"
    " interaction_type text COLLATE \"C\" NOT NULL DEFAULT '',"
    " handle_time_s double precision, moments text NOT NULL DEFAULT '',"
    " attributes json NOT NULL DEFAULT '{}',"
    " PRIMARY KEY (source, response_id));"
    "CREATE INDEX responses_month ON responses(month);"
    "CREATE TABLE customers (customer_id text COLLATE \"C\" PRIMARY KEY,"
    " annual_value double precision, attributes json NOT NULL DEFAULT '{}');"
    "CREATE TABLE spend (source text COLLATE \"C\" NOT NULL, customer_id text COLLATE \"C\" NOT NULL,"
    " day bigint NOT NULL, amount double precision NOT NULL);"
    "CREATE INDEX spend_source ON spend(source);"
    "CREATE TABLE rejects (id bigserial PRIMARY KEY, source text COLLATE \"C\" NOT NULL,"
    " at bigint NOT NULL, location text NOT NULL, reason text COLLATE \"C\" NOT NULL,"
    " raw bytea NOT NULL);"
    "CREATE TABLE imports (id bigserial PRIMARY KEY, at bigint NOT NULL, kind text NOT NULL,"
    " file text NOT NULL, rows bigint NOT NULL, inserted bigint NOT NULL,"
    " replaced bigint NOT NULL, ignored bigint NOT NULL, rejected bigint NOT NULL);"
    "CREATE TABLE sync_state (source text COLLATE \"C\" PRIMARY KEY, checkpoint text,"
    " last_sync bigint, last_fetched bigint, last_error text);",
    /* 1 -> 2: what the score measures (core/model.h cx_metric_code). */
    "ALTER TABLE responses ADD COLUMN metric text COLLATE \"C\" NOT NULL DEFAULT 'nps'"
    " CHECK (metric IN ('nps', 'csat', 'csat01', 'ces'));",
    /* 2 -> 3: the generation the analysis cache is checked against
     * (store_pg_gen.c). */
    PG_GENERATION_MIGRATION,
    /* 3 -> 4: the generation follows responses only (store_pg_gen.c). */
    PG_GEN_RESPONSES_ONLY_MIGRATION,
    /* 4 -> 5: nothing here.  SQLite notes the keys of responses updated in
     * place (its cx_changed); a PostgreSQL store's cache is rebuilt after
     * any change (docs/cache.md). */
    "SELECT 1",
    /* 5 -> 6: each statement that writes responses notes its
     * (sub)transaction, so that a cache may be extended (store_pg_grow.c). */
    PG_XIDS_MIGRATION,
    /* 6 -> 7: nothing here.  SQLite dropped its month index; PostgreSQL
     * keeps its own: its planner sees a month filter's value (a custom
     * plan) and may use it on a large team store. */
    "SELECT 1",
    /* 7 -> 8: the bulk merges note what they wrote (store_pg_merge.c,
     * store_pg_grow.c). */
    PG_WROTE_MIGRATION,
    /* 8 -> 9: nothing here.  SQLite's generation takes a salt and a
     * lineage (store_sqlite_gen.c); PostgreSQL's sums transaction ids,
     * which a store put back from a dump does not repeat. */
    "SELECT 1",
    /* 9 -> 10: the import log's rows given again unchanged (SQLite's 9 ->
     * 10); NULL in the rows logged before. */
    "ALTER TABLE imports ADD COLUMN unchanged bigint",
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

int pg_fail(pg_store *s, const char *what, const PGresult *r)
{
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[400];
    pg_one_line(line, sizeof line, m ? m : PQerrorMessage(s->conn));
    snprintf(s->base.err, sizeof s->base.err, "store: %s: %s", what, line[0] ? line : "unknown error");
    return -1;
}

int pg_citus(pg_store *s)
{
    if (!s->citus) {
        PGresult *r = PQexec(s->conn, "SELECT to_regclass('pg_dist_partition') IS NOT NULL");
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
            pg_fail(s, "server", r);
            PQclear(r);
            return -1;
        }
        s->citus = strcmp(PQgetvalue(r, 0, 0), "t") == 0 ? 2 : 1;
        PQclear(r);
    }
    return s->citus == 2;
}

int pg_oom(pg_store *s)
{
    snprintf(s->base.err, sizeof s->base.err, "store: out of memory");
    return -1;
}

/* One integer from a one-row query (NULL reads as 0); 0 / -1. */
static int query_int(pg_store *s, const char *sql, long long *v)
{
    PGresult *r = PQexec(s->conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        int rc = pg_fail(s, "schema version", r);
        PQclear(r);
        return rc;
    }
    *v = col_ll(r, 0, 0);
    PQclear(r);
    return 0;
}

static int migrate(pg_store *s)
{
    long long v, missing;
    if (pg_exec_now(s, "BEGIN", "schema") != 0) return -1;
    if (pg_exec_now(s, PG_MIGRATION_LOCK, "schema") != 0 ||
        query_int(s, "SELECT (to_regclass('schema_version') IS NULL)::int", &missing) != 0)
        goto fail;
    if (missing && pg_exec_now(s,
                               "CREATE TABLE schema_version (version integer NOT NULL);"
                               "INSERT INTO schema_version VALUES (0)",
                               "schema") != 0)
        goto fail;
    if (query_int(s, "SELECT max(version) FROM schema_version", &v) != 0) goto fail;
    if (v > STORE_SCHEMA_VERSION) {
        snprintf(s->base.err, sizeof s->base.err,
                 "store: schema version %lld is newer than this cxpulse knows (%d)", v, STORE_SCHEMA_VERSION);
        goto fail;
    }
    for (; v < N_MIGRATIONS; v++) {
        char next[24];
        const char *vals[1] = {next};
        snprintf(next, sizeof next, "%lld", v + 1);
        if (pg_exec_now(s, migrations[v], "migration") != 0) goto fail;
        PGresult *r =
            PQexecParams(s->conn, "UPDATE schema_version SET version = $1", 1, NULL, vals, NULL, NULL, 0);
        int bad = PQresultStatus(r) != PGRES_COMMAND_OK ? pg_fail(s, "migration", r) : 0;
        PQclear(r);
        if (bad) goto fail;
    }
    return pg_exec_now(s, "COMMIT", "schema");
fail:
    PQclear(PQexec(s->conn, "ROLLBACK"));
    return -1;
}

static int prepare_all(pg_store *s)
{
    for (int i = 0; i < P_COUNT; i++) {
        char name[16];
        snprintf(name, sizeof name, "cx%d", i);
        PGresult *r = PQprepare(s->conn, name, pg_queries[i], 0, NULL);
        int bad = PQresultStatus(r) != PGRES_COMMAND_OK;
        if (bad) pg_fail(s, "prepare", r);
        PQclear(r);
        if (bad) return -1;
    }
    return 0;
}

static const store_ops pg_ops;

static void pg_close(store *base)
{
    pg_store *s = PG(base);
    if (!s) return;
    pg_drop_buffers(s);
    for (int b = 0; b < B_COUNT; b++) free(s->buf[b].p);
    free(s->grow_first);
    free(s->bulk_key.k);
    /* The server drops a session's advisory locks when its backend ends,
     * a moment after the client has gone: a sync lock is released here,
     * so that the next process (a cron run just after) finds it free. */
    if (s->conn && s->locked && PQtransactionStatus(s->conn) == PQTRANS_IDLE)
        PQclear(PQexec(s->conn, "SELECT pg_advisory_unlock_all()"));
    if (s->conn) PQfinish(s->conn); /* an open transaction rolls back */
    free(s);
}

store *store_pg_open(const char *target, const store_open_opts *o, char *err, size_t errlen)
{
    pg_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "store: out of memory");
        return NULL;
    }
    s->base.ops = &pg_ops;
    s->copy_open = -1;
    if (!(s->conn = pg_connect(target, o, err, errlen))) {
        free(s);
        return NULL;
    }
    const char *enc = PQparameterStatus(s->conn, "server_encoding");
    const char *ver = PQparameterStatus(s->conn, "server_version");
    if (!enc || strcmp(enc, "UTF8") != 0) {
        snprintf(err, errlen, "store: the database's encoding is %s; cxpulse needs UTF8",
                 enc ? enc : "unknown");
        pg_close(&s->base);
        return NULL;
    }
    snprintf(s->base.backend, sizeof s->base.backend, "postgresql %.*s", ver ? (int)strcspn(ver, " ") : 1,
             ver ? ver : "?");
    if (migrate(s) != 0 || prepare_all(s) != 0) {
        char shown[256];
        store_target_redact(target, shown, sizeof shown);
        snprintf(err, errlen, "%s (%s)", s->base.err, shown);
        pg_close(&s->base);
        return NULL;
    }
    return &s->base;
}

/* ---- transactions ---- */

static int pg_begin(store *base)
{
    pg_store *s = PG(base);
    if (s->in_tx) {
        snprintf(s->base.err, sizeof s->base.err, "store: begin: a transaction is already open");
        return -1;
    }
    if (pg_exec(s, "BEGIN", "begin") != 0) return -1;
    s->in_tx = 1;
    return 0;
}

static int pg_rollback(store *base)
{
    pg_store *s = PG(base);
    pg_drop_buffers(s);
    s->in_tx = 0;
    if (PQtransactionStatus(s->conn) == PQTRANS_IDLE) return 0;
    return pg_exec_now(s, "ROLLBACK", "rollback");
}

static int pg_commit(store *base)
{
    pg_store *s = PG(base);
    if (pg_flush(s) != 0) {
        char keep[sizeof s->base.err];
        memcpy(keep, s->base.err, sizeof keep);
        pg_rollback(base);
        memcpy(s->base.err, keep, sizeof keep);
        return -1;
    }
    /* the statements of this transaction noted once a (sub)transaction id
     * (store_pg_grow.c): a sync's row-by-row upserts note one each.  In a
     * savepoint: a role that may not delete from cx_xids still commits. */
    int healthy = PQtransactionStatus(s->conn) == PQTRANS_INTRANS; /* else COMMIT says it */
    PGresult *r =
        PQexec(s->conn,
               healthy ? "SAVEPOINT cx_once; " PG_XIDS_ONCE "; RELEASE SAVEPOINT cx_once; COMMIT" : "COMMIT");
    if (healthy && PQresultStatus(r) == PGRES_FATAL_ERROR &&
        PQtransactionStatus(s->conn) == PQTRANS_INERROR) {
        PQclear(r);
        r = PQexec(s->conn, "ROLLBACK TO SAVEPOINT cx_once; COMMIT");
    }
    int rc = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK) rc = pg_fail(s, "commit", r);
    else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) { /* an aborted transaction "commits" as ROLLBACK */
        snprintf(s->base.err, sizeof s->base.err,
                 "store: commit: the transaction had failed and was rolled back");
        rc = -1;
    }
    PQclear(r);
    s->in_tx = 0;
    return rc;
}

static const store_ops pg_ops = {
    .read = &pg_read_ops,
    .grow = &pg_grow_ops,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .upsert_response = pg_upsert_response,
    .upsert_customer = pg_upsert_customer,
    .spend_clear = pg_spend_clear,
    .rejects_forget = pg_rejects_forget,
    .add_spend = pg_add_spend,
    .add_reject = pg_add_reject,
    .log_import = pg_log_import,
    .checkpoint_get = pg_checkpoint_get,
    .checkpoint_put = pg_checkpoint_put,
    .checkpoint_clear = pg_checkpoint_clear,
    .sync_record = pg_sync_record,
    .get_status = pg_get_status,
    .lock_source = pg_lock_source,
    .unlock_source = pg_unlock_source,
    .bulk_begin = pg_bulk_begin,
    .bulk_add = pg_bulk_add,
    .bulk_end = pg_bulk_end,
    .held_by = pg_held_by,
    .bulk_set_aside = pg_bulk_set_aside,
    .spend_counts = pg_spend_counts,
    .generation = pg_generation,
    .count_nps = pg_nps_counts,
    .score_counts = pg_score_counts,
    .has_customers = pg_has_customers,
    .import_seen_get = pg_import_seen_get,
    .import_seen_put = pg_import_seen_put,
    .rejects_again = pg_rejects_again,
};

#else /* !CX_HAVE_LIBPQ */

store *store_pg_open(const char *conninfo, const store_open_opts *o, char *err, size_t errlen)
{
    (void)conninfo;
    (void)o;
    snprintf(err, errlen,
             "store: this cxpulse was built without PostgreSQL support "
             "(libpq-dev missing at build time)");
    return NULL;
}

#endif /* CX_HAVE_LIBPQ */
