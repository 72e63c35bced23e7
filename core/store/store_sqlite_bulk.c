/* store_sqlite_bulk.c — bulk upsert of responses on SQLite, as on
 * PostgreSQL (store_pg_merge.c): the rows go into a connection-private
 * staging table without indexes (temp.cx_stage, in file order by rowid) and
 * are merged into `responses` at store_bulk_end in one statement.  Two
 * statements per row into three B-trees (a classifying lookup, then the
 * upsert) cost more than one append to an unindexed table plus one
 * set-based INSERT … SELECT that SQLite runs in key order.
 *
 * The result and the counts are what store_upsert_response on every row in
 * file order gives: a row is inserted when its key is new and it is the
 * key's first row, replaced when its updated_at is >= every earlier version
 * (stored or staged), ignored otherwise.  Three paths, fastest first:
 *
 * 1. First import (no staged source has rows yet): a plain INSERT … SELECT.
 *    A key twice in the batch fails it with a constraint error, and the
 *    statement is undone by SQLite: go on with 2.
 * 2. No key twice in the batch (a unique index on the staging table
 *    builds): counts from one join with the stored rows; then the rows that
 *    change something — not older than the stored row, and not equal to it
 *    in updated_at and content — go through the upsert.  Re-importing an
 *    unchanged export writes nothing.
 * 3. Keys repeated: window functions order each key's rows by their place
 *    in the file; the counts follow the rule above, and the row written per
 *    key is the last one holding the greatest updated_at, through the same
 *    ON CONFLICT … WHERE newer-or-equal as the row upsert.
 */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS SQ_RESPONSE_COLS

static const char stage_sql[] =
    "DROP INDEX IF EXISTS temp.cx_stage_key;"
    "CREATE TEMP TABLE IF NOT EXISTS cx_stage (seq INTEGER PRIMARY KEY, source TEXT NOT NULL,"
    " response_id TEXT NOT NULL, responded_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " month INTEGER NOT NULL, score INTEGER NOT NULL, comment TEXT NOT NULL,"
    " customer_id TEXT NOT NULL, agent_id TEXT NOT NULL, channel TEXT NOT NULL,"
    " product TEXT NOT NULL, interaction_type TEXT NOT NULL, handle_time_s REAL,"
    " moments TEXT NOT NULL, attributes TEXT NOT NULL, metric TEXT NOT NULL);"
    "DELETE FROM temp.cx_stage";

static const char add_sql[] =
    "INSERT INTO temp.cx_stage (" COLS ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";

static const char source_used_sql[] = "SELECT 1 FROM responses WHERE source = ?1 LIMIT 1";

/* Path 1. */
static const char insert_new_sql[] =
    "INSERT INTO responses (" COLS ") SELECT " COLS " FROM temp.cx_stage ORDER BY seq";

/* The content of a response but its key and updated_at (month follows
 * responded_at). */
#define CONTENT(t) "(" t ".responded_at, " t ".score, " t ".comment, " t ".customer_id, " t ".agent_id, " \
                   t ".channel, " t ".product, " t ".interaction_type, " t ".handle_time_s, " t ".moments, " \
                   t ".attributes, " t ".metric)"

/* Path 2. */
static const char unique_sql[] = "CREATE UNIQUE INDEX temp.cx_stage_key ON cx_stage (source, response_id)";
static const char count_unique_sql[] =
    "SELECT count(*) FILTER (WHERE o.updated_at IS NULL), count(*) FILTER (WHERE o.updated_at <= k.updated_at),"
    " count(*) FILTER (WHERE o.updated_at = k.updated_at AND " CONTENT("o") " IS " CONTENT("k") ")"
    " FROM temp.cx_stage k LEFT JOIN responses o ON o.source = k.source AND o.response_id = k.response_id";
static const char merge_unique_sql[] =
    "INSERT INTO responses (" COLS ") SELECT " COLS " FROM temp.cx_stage k WHERE NOT EXISTS (SELECT 1"
    " FROM responses o WHERE o.source = k.source AND o.response_id = k.response_id"
    " AND (o.updated_at > k.updated_at OR (o.updated_at = k.updated_at AND " CONTENT("o") " IS " CONTENT("k") ")))"
    SQ_ON_CONFLICT;

/* Path 3, step 1: each staged row's class against the stored row and the
 * key's earlier staged rows (prev_max). */
static const char count_exact_sql[] =
    "SELECT count(*) FILTER (WHERE o.updated_at IS NULL AND k.prev_max IS NULL),"
    " count(*) FILTER (WHERE (o.updated_at IS NOT NULL OR k.prev_max IS NOT NULL)"
    " AND (o.updated_at IS NULL OR k.updated_at >= o.updated_at)"
    " AND (k.prev_max IS NULL OR k.updated_at >= k.prev_max))"
    " FROM (SELECT source, response_id, updated_at, max(updated_at) OVER (PARTITION BY source,"
    " response_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max"
    " FROM temp.cx_stage) k LEFT JOIN responses o ON o.source = k.source AND o.response_id = k.response_id";

/* Path 3, step 2: per key, the last row with the greatest updated_at. */
static const char merge_exact_sql[] =
    "INSERT INTO responses (" COLS ") SELECT " COLS " FROM (SELECT s.*,"
    " max(updated_at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max,"
    " max(updated_at) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_max"
    " FROM temp.cx_stage s WINDOW w AS (PARTITION BY source, response_id ORDER BY seq)) k"
    " WHERE (k.prev_max IS NULL OR k.updated_at >= k.prev_max)"
    " AND (k.next_max IS NULL OR k.updated_at > k.next_max)" SQ_ON_CONFLICT;

static void forget(sq_store *s)
{
    sqlite3_finalize(s->bulk_add);
    s->bulk_add = NULL;
    s->bulk_rows = 0;
    store_srcset_clear(&s->bulk_src);
}

int sq_bulk_begin(store *base)
{
    sq_store *s = SQ(base);
    forget(s);
    if (sqlite3_exec(s->db, stage_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(s->db, add_sql, -1, SQLITE_PREPARE_PERSISTENT, &s->bulk_add, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    return 0;
}

int sq_bulk_add(store *base, const cx_response *r)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *u = s->bulk_add;
    if (!u) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: not begun");
        return -1;
    }
    char *attrs;
    if (store_srcset_note(&s->bulk_src, r->source) != 0 || sq_bind_response(u, r, &attrs) != 0) {
        snprintf(s->base.err, sizeof s->base.err, "store: out of memory");
        return -1;
    }
    int rc = sqlite3_step(u);
    sqlite3_reset(u);
    free(attrs);
    if (rc != SQLITE_DONE) return sq_fail(s, "bulk upsert");
    s->bulk_rows++;
    return 0;
}

/* 1 when no staged source has rows in `responses` yet, 0 when one has (or
 * there were too many to note), -1 on error. */
static int sources_are_new(sq_store *s)
{
    if (s->bulk_src.n < 0) return 0;
    sqlite3_stmt *used;
    if (sqlite3_prepare_v2(s->db, source_used_sql, -1, &used, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    int ret = 1;
    for (int i = 0; ret == 1 && i < s->bulk_src.n; i++) {
        sqlite3_bind_text(used, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
        int rc = sqlite3_step(used);
        if (rc == SQLITE_ROW) ret = 0;
        else if (rc != SQLITE_DONE) ret = sq_fail(s, "bulk upsert");
        sqlite3_reset(used);
    }
    sqlite3_finalize(used);
    return ret;
}

/* Runs SQL; with A and B, reads one row of two counts.  0, 1 when it
 * failed on a PRIMARY KEY or UNIQUE constraint and ALLOW_DUP, or -1. */
static int run3(sq_store *s, const char *sql, int allow_dup, long long *a, long long *b, long long *c3);

static int run(sq_store *s, const char *sql, int allow_dup, long long *a, long long *b)
{
    return run3(s, sql, allow_dup, a, b, NULL);
}

/* run, reading a third count into C3 when it is not NULL. */
static int run3(sq_store *s, const char *sql, int allow_dup, long long *a, long long *b, long long *c3)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "bulk upsert");
    int rc = sqlite3_step(st);
    if (a && rc == SQLITE_ROW) {
        *a = sqlite3_column_int64(st, 0);
        *b = sqlite3_column_int64(st, 1);
        if (c3) *c3 = sqlite3_column_int64(st, 2);
        rc = sqlite3_step(st);
    }
    int ext = sqlite3_extended_errcode(s->db);
    int dup = ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE;
    int ret = rc == SQLITE_DONE ? 0 : allow_dup && dup ? 1 : -1;
    if (ret < 0) sq_fail(s, "bulk upsert");
    sqlite3_finalize(st);
    return ret;
}

int sq_bulk_end(store *base, store_bulk_counts *c)
{
    sq_store *s = SQ(base);
    if (!s->bulk_add) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: not begun");
        return -1;
    }
    memset(c, 0, sizeof *c);
    long long ins = 0, rep = 0, same = 0;
    int rc = s->bulk_rows == 0 ? 0 : sources_are_new(s);
    if (rc == 1) {                                         /* path 1 */
        rc = run(s, insert_new_sql, 1, NULL, NULL);
        ins = s->bulk_rows;
    } else if (rc == 0 && s->bulk_rows > 0) {
        rc = 1;
    }
    if (rc == 1) {                                         /* path 2 */
        rc = run(s, unique_sql, 1, NULL, NULL);
        if (rc == 0) {
            rc = run3(s, count_unique_sql, 0, &ins, &rep, &same);
            if (rc == 0) rc = run(s, merge_unique_sql, 0, NULL, NULL);
            if (rc == 0) rc = run(s, "DROP INDEX temp.cx_stage_key", 0, NULL, NULL);
        }
    }
    if (rc == 1) {                                         /* path 3 */
        rc = run(s, count_exact_sql, 0, &ins, &rep);
        if (rc == 0) rc = run(s, merge_exact_sql, 0, NULL, NULL);
    }
    c->inserted = ins;
    c->replaced = rep - same;
    c->unchanged = same;
    if (rc == 0) c->ignored = s->bulk_rows - c->inserted - c->replaced - c->unchanged;
    if (rc == 0 && sqlite3_exec(s->db, "DELETE FROM temp.cx_stage", NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_fail(s, "bulk upsert");
    forget(s);
    return rc;
}

void sq_bulk_close(sq_store *s) { forget(s); }
