/* store_pg_merge.c — merges the staged rows of a bulk upsert (cx_stage, see
 * store_pg_bulk.c) into `responses`.  The result and the counts must be
 * what store_upsert_response on every row in file order would give: a row
 * is inserted when its key is new and it is the key's first row, replaced
 * when its updated_at is >= every earlier version (stored or staged), and
 * ignored otherwise; a replacing row equal to the stored version (same
 * updated_at and content) while no earlier row of its key in the batch
 * wrote a version of its own is unchanged instead (as on SQLite,
 * store_sqlite_bulk_merge.c; docs/cli.md).  Three paths, fastest first,
 * each in a savepoint:
 *
 * 1. First import (no staged source has rows yet): a plain INSERT, twice as
 *    fast as ON CONFLICT.  A key already there (twice in the file, or from a
 *    concurrent writer) fails it with SQLSTATE 23505: go on with 2.
 * 2. No key twice in the batch (a unique index on the staging table builds,
 *    else SQLSTATE 23505: go to 3).  The staged rows that would change
 *    nothing — the stored row is newer (ignored), or has the same updated_at
 *    and the same content (replaced by itself) — are set aside by an inner
 *    join into cx_skip; the rest go through INSERT … ON CONFLICT … DO UPDATE
 *    … WHERE newer-or-equal, RETURNING (xmax = 0) to tell new rows from
 *    replaced ones.  Re-importing an unchanged export then writes nothing:
 *    ~4 s instead of ~30 s per million rows here, and runs no statement on
 *    responses (so the analysis cache's generation stays).
 * 3. Keys repeated in the batch: window functions order each key's rows by
 *    their place in the file; the counts follow the rule above and the row
 *    written per key is the last one holding the greatest updated_at.
 *    When no row changes anything (each one unchanged or older), nothing
 *    is written, as in path 2.
 *
 * Paths 1 and 2 note what they wrote in cx_wrote (NOTE below); path 3 does
 * not, and a run that extends the analysis cache then counts the table.
 *
 * Concurrent merges take a transaction-scoped advisory lock first, so two
 * imports cannot deadlock on each other's keys.  Only plain joins with the
 * (possibly distributed, see docs/scale.md) responses table: no outer join
 * with it on the inner side, no correlated subquery over it.
 */
#include "core/store/store_pg_int.h"

#include <stdio.h>
#include <string.h>

#ifdef CX_HAVE_LIBPQ

#define COLS                                                                             \
    "source, response_id, responded_at, updated_at, month, score, comment, customer_id," \
    " agent_id, channel, product, interaction_type, handle_time_s, moments, metric"
#define ON_CONFLICT                                                                           \
    " ON CONFLICT (source, response_id) DO UPDATE SET responded_at = excluded.responded_at,"  \
    " updated_at = excluded.updated_at, month = excluded.month, score = excluded.score,"      \
    " comment = excluded.comment, customer_id = excluded.customer_id,"                        \
    " agent_id = excluded.agent_id, channel = excluded.channel, product = excluded.product,"  \
    " interaction_type = excluded.interaction_type, handle_time_s = excluded.handle_time_s,"  \
    " moments = excluded.moments, attributes = excluded.attributes, metric = excluded.metric" \
    " WHERE excluded.updated_at >= r.updated_at"
/* The content of a response but its key and updated_at (month follows
 * responded_at). */
#define CONTENT(t)                                                                                          \
    "(" t ".responded_at, " t ".score, " t ".comment, " t ".customer_id, " t ".agent_id, " t ".channel, " t \
    ".product, " t ".interaction_type, " t ".handle_time_s, " t ".moments, " t ".attributes::text, " t      \
    ".metric)"

#define MERGE_LOCK "SELECT pg_advisory_xact_lock(7468327002)"

static const char source_used_sql[] = "SELECT 1 FROM responses WHERE source = $1 LIMIT 1";

/* What a merge wrote, noted in cx_wrote by the same statement, so in the
 * same (sub)transaction as its rows (the note's xmin is theirs): the rows
 * it inserted and replaced, their least key (LEAST_KEY) and least ctid
 * (LEAST_TID: min(tid), PostgreSQL 14 on; NULL before).  A run extending
 * the analysis cache then need not count the table (store_pg_grow.c).  M
 * holds the rows written: fresh (inserted) and ctid, and in path 2 the
 * key.  Path 1 writes every staged row, so its least key is the staging
 * table's: returning the keys of a first import too cost 0.7-1.2 s a
 * million rows more (a tuple store of them past work_mem), the ctid alone
 * nothing measurable. */
#define NOTE(least_key, least_tid)                                               \
    "INSERT INTO cx_wrote SELECT txid_current(), count(*) FILTER (WHERE fresh)," \
    " count(*) FILTER (WHERE NOT fresh), " least_key ", " least_tid " FROM m"
#define KEY_ARRAY "ARRAY[source, response_id] COLLATE \"C\""

/* Path 1: every staged row inserted.  Rows staged in key order go in as
 * they are; rows that were not (ids in random order) are sorted by the
 * server first, so that the table and its key's index are written in key
 * order, as the analysis cache's build reads them back: 10M shuffled rows
 * imported in 75-79 s against 100-107 s, and a build of the cache after
 * it in 17 s against 62 s (docs/performance.md, "Eighteenth round").
 * Rows in key order would pay for the sort (59 s against 48 s). */
#define INSERT_STAGED(order) \
    "INSERT INTO responses (" COLS ", attributes) SELECT " COLS ", attributes::json FROM cx_stage" order
#define INSERT_NEW(least_tid, order)                                            \
    "WITH m AS (" INSERT_STAGED(order) " RETURNING true AS fresh, ctid) " NOTE( \
        "(SELECT min(" KEY_ARRAY ") FROM cx_stage)", least_tid)
#define SORTED " ORDER BY source, response_id"
/* [staged in key order or not][0]: no note (Citus); [1]: PostgreSQL
 * before 14 (no min(tid)); [2]. */
static const char *const insert_new_sql[2][3] = {
    {INSERT_STAGED(""), INSERT_NEW("NULL::tid", ""), INSERT_NEW("min(ctid)", "")},
    {INSERT_STAGED(SORTED), INSERT_NEW("NULL::tid", SORTED), INSERT_NEW("min(ctid)", SORTED)}};

/* Path 2. */
static const char unique_sql[] = "CREATE UNIQUE INDEX cx_stage_key ON cx_stage (source, response_id)";
static const char skip_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS cx_skip (seq bigint NOT NULL, same boolean NOT NULL);"
    "TRUNCATE cx_skip;"
    "INSERT INTO cx_skip SELECT s.seq, o.updated_at = s.updated_at FROM cx_stage s"
    " JOIN responses o ON o.source = s.source AND o.response_id = s.response_id"
    " WHERE o.updated_at > s.updated_at"
    " OR (o.updated_at = s.updated_at AND " CONTENT("o") " IS NOT DISTINCT FROM " CONTENT("s") ")";
static const char skip_count_sql[] = "SELECT count(*) FILTER (WHERE same), count(*) FROM cx_skip";
/* The staged rows not set aside, upserted. */
#define UPSERT_STAGED                                    \
    "INSERT INTO responses AS r (" COLS ", attributes)"  \
    " SELECT " COLS ", attributes::json FROM cx_stage s" \
    " WHERE NOT EXISTS (SELECT 1 FROM cx_skip k WHERE k.seq = s.seq)" ON_CONFLICT
#define UPSERT_REST(least_tid)                                                              \
    "WITH m AS (" UPSERT_STAGED " RETURNING xmax = 0 AS fresh, source, response_id, ctid)," \
    " n AS (" NOTE("min(" KEY_ARRAY ")", least_tid) " RETURNING ins, rep) SELECT ins, rep FROM n"
static const char *const upsert_rest_sql[3] = {
    "WITH m AS (" UPSERT_STAGED " RETURNING (xmax = 0) AS fresh)"
    " SELECT count(*) FILTER (WHERE fresh), count(*) FILTER (WHERE NOT fresh) FROM m",
    UPSERT_REST("NULL::tid"), UPSERT_REST("min(ctid)")};

/* Path 3, step 1: each staged row's class against the stored row and the
 * key's earlier staged rows (prev_max); stored rows fetched by a semi-join.
 * Counts new, replacing (newer or equal) and, among those, unchanged: equal
 * to the stored row (same) and before the key's first row that writes a
 * version of its own (first_w: not older than the stored row and not
 * equal to it; the rows before it are all older or equal, so it is the
 * first to write). */
static const char count_exact_sql[] =
    "WITH o AS (SELECT source, response_id, updated_at, responded_at, score, comment, customer_id,"
    " agent_id, channel, product, interaction_type, handle_time_s, moments, attributes, metric"
    " FROM responses WHERE (source, response_id) IN (SELECT source, response_id FROM cx_stage)),"
    " j AS (SELECT k.source, k.response_id, k.seq, k.updated_at, k.prev_max, o.updated_at AS stored,"
    " o.updated_at = k.updated_at AND " CONTENT("o") " IS NOT DISTINCT FROM " CONTENT(
        "k") " AS same"
             " FROM (SELECT s.*, max(updated_at) OVER (PARTITION BY source, response_id ORDER BY seq"
             " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max FROM cx_stage s) k"
             " LEFT JOIN o ON o.source = k.source AND o.response_id = k.response_id)"
             " SELECT count(*) FILTER (WHERE stored IS NULL AND prev_max IS NULL),"
             " count(*) FILTER (WHERE (stored IS NOT NULL OR prev_max IS NOT NULL)"
             " AND updated_at >= GREATEST(stored, prev_max)),"
             " count(*) FILTER (WHERE same AND (first_w IS NULL OR seq < first_w))"
             " FROM (SELECT j.*, min(CASE WHEN updated_at >= stored AND NOT same THEN seq END)"
             " OVER (PARTITION BY source, response_id) AS first_w FROM j) j";

/* Path 3, step 2: per key, the last row with the greatest updated_at. */
static const char merge_exact_sql[] =
    "INSERT INTO responses AS r (" COLS ", attributes)"
    " SELECT " COLS ", attributes::json FROM (SELECT s.*,"
    " max(updated_at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max,"
    " max(updated_at) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_max"
    " FROM cx_stage s WINDOW w AS (PARTITION BY source, response_id ORDER BY seq)) k"
    " WHERE (k.prev_max IS NULL OR k.updated_at >= k.prev_max)"
    " AND (k.next_max IS NULL OR k.updated_at > k.next_max)" ON_CONFLICT;

/* Runs SQL (no parameters).  Returns 0; 1 when it failed with SQLSTATE
 * STATE (NULL: none expected) and the savepoint was restored; -1 on any
 * other error.  With V, reads one row of NV counts. */
static int run(pg_store *s, const char *sql, const char *state, long long *v, int nv)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    if ((st == PGRES_COMMAND_OK && !v) ||
        (st == PGRES_TUPLES_OK && (!v || (PQntuples(r) == 1 && PQnfields(r) == nv)))) {
        for (int i = 0; v && i < nv; i++) v[i] = col_ll(r, 0, i);
        PQclear(r);
        return 0;
    }
    const char *got = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    int expected = state && got && !strcmp(got, state);
    if (!expected) pg_fail(s, "bulk upsert", r);
    PQclear(r);
    if (!expected) return -1;
    return run(s, "ROLLBACK TO SAVEPOINT cx_merge", NULL, NULL, 0) == 0 ? 1 : -1;
}

/* Which of the merge statements to run: 0 without a note (Citus: a ctid
 * and an xmin are a worker's own, and the cache is never extended there),
 * 1 with a note but no least ctid, 2 with both.  -1 on error. */
static int note_kind(pg_store *s)
{
    int citus = pg_citus(s);
    return citus < 0 ? -1 : citus ? 0 : pg_has_min_tid(s) ? 2 : 1;
}

/* 1 when no staged source has rows yet, 0 when one has, -1 on error. */
static int sources_are_new(pg_store *s)
{
    if (s->bulk_src.n < 0) return 0;
    for (int i = 0; i < s->bulk_src.n; i++) {
        const char *v[1] = {s->bulk_src.name[i]};
        PGresult *r = PQexecParams(s->conn, source_used_sql, 1, NULL, v, NULL, NULL, 0);
        int used = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) > 0 : -1;
        if (used < 0) pg_fail(s, "bulk upsert", r);
        PQclear(r);
        if (used) return used < 0 ? -1 : 0;
    }
    return 1;
}

/* Path 2: 0 done, 1 keys repeat (go to path 3), -1 error. */
static int merge_unique(pg_store *s, store_bulk_counts *c)
{
    long long sk[2], ir[2]; /* same, skipped; inserted, replaced */
    int rc = run(s, unique_sql, "23505", NULL, 0);
    if (rc != 0) return rc;
    if (run(s, skip_sql, NULL, NULL, 0) != 0 || run(s, skip_count_sql, NULL, sk, 2) != 0) return -1;
    /* every row set aside (an unchanged re-import): no statement on
     * responses, whose triggers would move the generation (store_pg_gen.c) */
    ir[0] = ir[1] = 0;
    int kind = note_kind(s);
    if (kind < 0) return -1;
    if (sk[1] < s->bulk_rows && run(s, upsert_rest_sql[kind], NULL, ir, 2) != 0) return -1;
    c->inserted = ir[0];
    c->replaced = ir[1];
    c->unchanged = sk[0];
    return 0;
}

static int merge(pg_store *s, store_bulk_counts *c)
{
    if (run(s, MERGE_LOCK, NULL, NULL, 0) != 0 || run(s, "SAVEPOINT cx_merge", NULL, NULL, 0) != 0) return -1;
    int rc = sources_are_new(s);
    if (rc == 1) {
        int kind = note_kind(s);
        rc = kind < 0 ? -1 : run(s, insert_new_sql[!s->bulk_ascending][kind], "23505", NULL, 0);
        if (rc == 0) c->inserted = s->bulk_rows;
    } else if (rc == 0) {
        rc = 1;
    }
    if (rc == 1) rc = merge_unique(s, c);
    s->bulk_unique = rc != 1; /* path 3: a key twice */
    if (rc == 1) {
        long long v[3]; /* new, replacing, unchanged among them */
        if (run(s, count_exact_sql, NULL, v, 3) != 0) return -1;
        /* nothing changes (every row unchanged or older): no statement on
         * responses, whose triggers would move the generation */
        if (v[0] + v[1] - v[2] > 0 && run(s, merge_exact_sql, NULL, NULL, 0) != 0) return -1;
        c->inserted = v[0];
        c->replaced = v[1] - v[2];
        c->unchanged = v[2];
        rc = 0;
    }
    if (rc != 0 || run(s, "RELEASE SAVEPOINT cx_merge", NULL, NULL, 0) != 0 ||
        run(s, "DROP INDEX IF EXISTS pg_temp.cx_stage_key; TRUNCATE cx_stage", NULL, NULL, 0) != 0)
        return -1;
    c->ignored = s->bulk_rows - c->inserted - c->replaced - c->unchanged;
    return 0;
}

int pg_merge_stage(pg_store *s, store_bulk_counts *c)
{
    int own = !s->in_tx;
    if (own && run(s, "BEGIN", NULL, NULL, 0) != 0) return -1;
    int rc = merge(s, c);
    if (own) {
        if (rc == 0) rc = run(s, "COMMIT", NULL, NULL, 0);
        else PQclear(PQexec(s->conn, "ROLLBACK"));
    }
    return rc;
}

#endif /* CX_HAVE_LIBPQ */
