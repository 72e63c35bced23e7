/* store_sqlite_schema.c — the SQLite store's schema: its migrations,
 * versioned with PRAGMA user_version and run forward in one transaction
 * when a store is opened for writing (store_sqlite.c).
 */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>

/* Migrations: migrations[i] takes the schema from version i to i+1. */
static const char *const migrations[] = {
    "CREATE TABLE responses ("
    " source TEXT NOT NULL, response_id TEXT NOT NULL,"
    " responded_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, month INTEGER NOT NULL,"
    " score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),"
    " comment TEXT NOT NULL DEFAULT '', customer_id TEXT NOT NULL DEFAULT '',"
    " agent_id TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL DEFAULT '',"
    " product TEXT NOT NULL DEFAULT '', interaction_type TEXT NOT NULL DEFAULT '',"
    " handle_time_s REAL, moments TEXT NOT NULL DEFAULT '', attributes TEXT NOT NULL DEFAULT '{}',"
    " PRIMARY KEY (source, response_id));"
    "CREATE INDEX responses_month ON responses(month);"
    "CREATE TABLE customers (customer_id TEXT PRIMARY KEY, annual_value REAL,"
    " attributes TEXT NOT NULL DEFAULT '{}');"
    "CREATE TABLE spend (source TEXT NOT NULL, customer_id TEXT NOT NULL,"
    " day INTEGER NOT NULL, amount REAL NOT NULL);"
    "CREATE INDEX spend_source ON spend(source);"
    "CREATE TABLE rejects (id INTEGER PRIMARY KEY, source TEXT NOT NULL, at INTEGER NOT NULL,"
    " location TEXT NOT NULL, reason TEXT NOT NULL, raw BLOB NOT NULL);"
    "CREATE TABLE imports (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL,"
    " file TEXT NOT NULL, rows INTEGER NOT NULL, inserted INTEGER NOT NULL,"
    " replaced INTEGER NOT NULL, ignored INTEGER NOT NULL, rejected INTEGER NOT NULL);"
    "CREATE TABLE sync_state (source TEXT PRIMARY KEY, checkpoint TEXT, last_sync INTEGER,"
    " last_fetched INTEGER, last_error TEXT);",
    /* 1 -> 2: what the score measures (core/model.h cx_metric_code). */
    "ALTER TABLE responses ADD COLUMN metric TEXT NOT NULL DEFAULT 'nps'"
    " CHECK (metric IN ('nps', 'csat', 'csat01', 'ces'));",
    /* 2 -> 3: the generation the analysis cache is checked against
     * (store_sqlite_gen.c). */
    SQ_GENERATION_MIGRATION,
    /* 3 -> 4: the generation notes the last update or delete of a
     * response, so that a cache may be extended (store_sqlite_gen.c). */
    SQ_REWRITTEN_MIGRATION,
    /* 4 -> 5: the keys of responses updated in place (store_sqlite_gen.c). */
    SQ_CHANGED_MIGRATION,
    /* 5 -> 6: each spend source's first and last day
     * (store_sqlite_days.c).  (PostgreSQL notes the (sub)transaction of
     * each statement that writes responses: store_pg_grow.c.) */
    SQ_DAYS_MIGRATION,
    /* 6 -> 7: no month index.  No query of this program could use it (a
     * month filter is written "?2 = 0 OR month >= ?2", which SQLite plans
     * without the value) but the NPS counts' GROUP BY, which scans the
     * table as fast, while every import kept it up to date: a third
     * B-tree for each row loaded (docs/performance.md, "Ninth round"). */
    "DROP INDEX IF EXISTS responses_month",
    /* 7 -> 8: nothing here.  PostgreSQL's bulk merges note what they wrote
     * (its cx_wrote, store_pg_grow.c); SQLite counts its changes itself. */
    "SELECT 1",
    /* 8 -> 9: each generation a random salt, and the lineage of (n, salt)
     * a cache is read or extended only from (store_sqlite_gen.c): a store
     * put back from a copy and written again is told from the history a
     * cache was built in. */
    SQ_SALT_MIGRATION,
    /* 9 -> 10: the import log's rows given again unchanged, apart from
     * those replaced (and, for a sync, from older versions).  NULL in the
     * rows logged before, which did not tell them apart (store_status.c). */
    "ALTER TABLE imports ADD COLUMN unchanged INTEGER",
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof *migrations))

static int user_version(sq_store *s, int *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "schema version");
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : sq_fail(s, "schema version");
}

int sq_migrate(sq_store *s)
{
    int v;
    /* A store already at this version needs no write lock: readers (status,
     * stats, export) must open while another process writes. */
    if (user_version(s, &v) == 0 && v == STORE_SCHEMA_VERSION) return 0;
    if (sq_exec(s, "BEGIN IMMEDIATE") != 0) return -1;
    if (user_version(s, &v) != 0) goto fail;
    if (v > STORE_SCHEMA_VERSION) {
        snprintf(s->base.err, sizeof s->base.err,
                 "store: schema version %d is newer than this cxpulse knows (%d)", v, STORE_SCHEMA_VERSION);
        goto fail;
    }
    for (; v < N_MIGRATIONS; v++) {
        char pragma[64];
        if (sq_exec(s, migrations[v]) != 0) goto fail;
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (sq_exec(s, pragma) != 0) goto fail;
    }
    return sq_exec(s, "COMMIT");
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int sq_have_table(sq_store *s, const char *name, const char *what)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return sq_fail(s, what);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : sq_fail(s, what);
}
