/* store_pg_grow.c — what changed in a PostgreSQL store since the analysis
 * cache was built (store.h store_row_mark, store_appended,
 * store_scan_appended; docs/cache.md), so that a run extends the cache
 * with the rows written since instead of pulling every row again.
 *
 * The generation is what cx_changes holds: one row (its top transaction's
 * id, tx) a committed transaction that wrote responses.  The row mark is
 * the greatest tx when the cache was built.  Since then:
 * - the transactions at or before the mark must still be exactly those
 *   of the cache's generation (their count and sum): one that committed
 *   late, with a smaller id, shows as another count;
 * - every transaction after the mark must have noted its statements in
 *   cx_xids (schema 6), none of them a DELETE or TRUNCATE;
 * - the rows those statements wrote carry the xmin of their cx_xids rows
 *   (each noted in the (sub)transaction that ran it, a savepoint's
 *   included): the rows the cache lacks or holds in an older state are
 *   those, and the store holds the cache's rows plus the new ones among
 *   them.  An UPDATE that changed a key leaves its old key in the cache:
 *   the run sees fewer replaced rows than counted here and rebuilds
 *   (run/run_cache.c).
 * How many rows, their least key and ctid: from the notes cxpulse's bulk
 * merges leave in cx_wrote when every written (sub)transaction has one
 * (from_notes), else from one pass over the table.
 * On Citus (xmin is each worker's own) the store numbers no rows, and a
 * change rebuilds the cache.
 */
#include "core/store/store_pg_int.h"

#ifdef CX_HAVE_LIBPQ
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs SQL (with MARK as its one parameter, $1, when MARK >= 0) and gives
 * the first row's N values as text into OUT.  0, -1 with the store's
 * error. */
static int one_row(pg_store *s, const char *sql, long long mark, char out[][STORE_GEN_MAX], int n)
{
    char m[32];
    snprintf(m, sizeof m, "%lld", mark);
    const char *v[1] = {m};
    if (pg_flush(s) != 0) return -1;
    PGresult *r = PQexecParams(s->conn, sql, mark >= 0 ? 1 : 0, NULL, mark >= 0 ? v : NULL, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || PQnfields(r) != n) {
        rc = pg_fail(s, "generation", r);
    } else {
        for (int i = 0; i < n; i++) snprintf(out[i], STORE_GEN_MAX, "%s", PQgetvalue(r, 0, i));
    }
    PQclear(r);
    return rc;
}

static int number(const char *t, long long *v)
{
    char *end;
    *v = strtoll(t, &end, 10);
    return end == t || *end ? -1 : 0;
}

static int pg_mark(store *base, long long *mark)
{
    char v[1][STORE_GEN_MAX];
    if (pg_flush(PG(base)) != 0) return -1;
    int citus = pg_citus(PG(base));
    if (citus) return citus < 0 ? -1 : 1; /* Citus: no numbering to trust */
    if (one_row(PG(base), "SELECT coalesce(max(tx), 0) FROM cx_changes", -1, v, 1) != 0) return -1;
    return number(v[0], mark) == 0 ? 0 : 1;
}

/* The smallest written key of R (columns C and C + 1; NULL when no row
 * was written) and the least ctid of a written row (column C + 2) noted
 * for GEN and MARK: store_first_appended and pg_scan_appended read them. */
static void note_first(pg_store *s, const char *gen, long long mark, const PGresult *r, int c)
{
    s->grow_first_len = 0;
    s->grow_mark = mark;
    snprintf(s->grow_gen, sizeof s->grow_gen, "%s", gen);
    s->grow_tid[0] = '\0';
    if (!PQgetisnull(r, 0, c + 2) && (size_t)PQgetlength(r, 0, c + 2) < sizeof s->grow_tid)
        snprintf(s->grow_tid, sizeof s->grow_tid, "%s", PQgetvalue(r, 0, c + 2));
    if (PQgetisnull(r, 0, c) || PQgetisnull(r, 0, c + 1)) return;
    size_t sl = (size_t)PQgetlength(r, 0, c), il = (size_t)PQgetlength(r, 0, c + 1);
    char *k = realloc(s->grow_first, sl + il + 2);
    if (!k) return; /* not known: the extension merges */
    s->grow_first = k;
    memcpy(k, PQgetvalue(r, 0, c), sl);
    k[sl] = '\0';
    memcpy(k + sl + 1, PQgetvalue(r, 0, c + 1), il);
    k[sl + 1 + il] = '\0';
    s->grow_first_len = sl + il + 2;
}

/* The notes of cxpulse's bulk merges (cx_wrote, store_pg_merge.c) for the
 * (sub)transactions that wrote after MARK: 1 when every one of them has
 * exactly one and none replaced a row, *ADDED then the rows they inserted
 * (no row was written twice: an insert meets no row); 0 when not (a psql
 * edit, a vendor sync's row-by-row upserts, a merge of repeated keys, or
 * a row replaced: the caller counts the table); -1 with the store's
 * error.  A note that does not match the rows (edited by hand; a VACUUM
 * FULL that moved them) is caught by the run, which finds other rows than
 * it was told and builds the cache again (run/run_cache.c). */
static int from_notes(pg_store *s, const char *gen, long long mark, const char *const p[1], long long *added)
{
    static const char sql[] =
        "SELECT count(*), count(w.n), coalesce(max(w.n), 0), coalesce(sum(w.ins), 0), coalesce(sum(w.rep), 0),"
        " (min(w.k))[1], (min(w.k))[2], %s FROM (" PG_WRITTEN_XIDS " GROUP BY xmin) x"
        " LEFT JOIN (SELECT xmin, count(*) AS n, sum(ins) AS ins, sum(rep) AS rep, min(k) AS k, %s AS t"
        " FROM cx_wrote WHERE tx > $1::bigint GROUP BY xmin) w ON w.xmin = x.xmin";
    int v14 = pg_has_min_tid(s);
    char q[sizeof sql + 32];
    snprintf(q, sizeof q, sql, v14 ? "min(w.t)" : "NULL::tid", v14 ? "min(t)" : "NULL::tid");
    PGresult *r = PQexecParams(s->conn, q, 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || PQnfields(r) != 8) {
        int rc = pg_fail(s, "generation", r);
        PQclear(r);
        return rc;
    }
    long long v[5];
    int ok = 1;
    for (int i = 0; i < 5; i++) ok = ok && number(PQgetvalue(r, 0, i), &v[i]) == 0;
    /* every written (sub)transaction noted once, no row replaced */
    ok = ok && v[1] == v[0] && v[2] <= 1 && v[3] >= 0 && v[4] == 0;
    if (ok) {
        note_first(s, gen, mark, r, 5);
        *added = v[3];
    }
    PQclear(r);
    return ok;
}

static int pg_appended(store *base, const char *gen, long long mark, long long rows, long long *added,
                       long long *changed)
{
    pg_store *s = PG(base);
    char v[3][STORE_GEN_MAX];
    long long unnoted, cut, total, written;
    s->grow_first_len = 0;
    if (one_row(
            s,
            "SELECT count(*)::text || '.' || coalesce(sum(tx), 0)::text FROM cx_changes WHERE tx <= $1::bigint",
            mark, v, 1) != 0)
        return -1;
    if (strcmp(v[0], gen) != 0) return 0; /* a transaction at or before the mark came or went */
    if (one_row(s,
                "SELECT (SELECT count(*) FROM cx_changes c WHERE c.tx > $1::bigint AND NOT EXISTS"
                " (SELECT 1 FROM cx_xids x WHERE x.tx = c.tx)),"
                " (SELECT count(*) FROM cx_xids WHERE tx > $1::bigint AND cut)",
                mark, v, 2) != 0)
        return -1;
    if (number(v[0], &unnoted) != 0 || number(v[1], &cut) != 0 || unnoted || cut) return 0;
    if (pg_flush(s) != 0) return -1;
    char m[32];
    snprintf(m, sizeof m, "%lld", mark);
    const char *p[1] = {m};
    int noted = from_notes(s, gen, mark, p, added);
    if (noted != 0) {
        if (noted > 0) *changed = 0;
        return noted;
    }
    /* the same pass gives the smallest written key (arrays compare element
     * by element, in the columns' byte order): store_first_appended; and
     * the least ctid of a written row (min(tid): PostgreSQL 14 on), from
     * which the scan of the written rows reads (pg_scan_appended).  A row
     * is written after the mark when its xmin is one of PG_WRITTEN_XIDS:
     * joined once a row here (a hash join on the distinct ids), not
     * tested by each aggregate that needs it (10M rows: 0.85-0.88 s on the
     * server against 1.13-1.16 s; a subquery with the test as a column,
     * OFFSET 0, cost 0.8 s more) */
    static const char sql[] =
        "SELECT n, w, k[1], k[2], t FROM (SELECT count(*), count(x.xmin),"
        " min(ARRAY[r.source, r.response_id] COLLATE \"C\") FILTER (WHERE x.xmin IS NOT NULL), %s"
        " FROM responses r LEFT JOIN (" PG_WRITTEN_XIDS
        " GROUP BY xmin) x ON r.xmin = x.xmin) c (n, w, k, t)";
    char q[sizeof sql + 160];
    snprintf(q, sizeof q, sql,
             pg_has_min_tid(s) ? "min(r.ctid) FILTER (WHERE x.xmin IS NOT NULL)" : "NULL::tid");
    PGresult *r = PQexecParams(s->conn, q, 1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || PQnfields(r) != 5) {
        int rc = pg_fail(s, "generation", r);
        PQclear(r);
        return rc;
    }
    int ok = number(PQgetvalue(r, 0, 0), &total) == 0 && number(PQgetvalue(r, 0, 1), &written) == 0;
    long long inserted = total - rows; /* no row went: every other written row was one of the cache's */
    ok = ok && inserted >= 0 && inserted <= written;
    if (ok) note_first(s, gen, mark, r, 2);
    PQclear(r);
    if (!ok) return 0;
    *added = written;
    *changed = written - inserted;
    return 1;
}

/* The written rows' scan for GEN and MARK into T (its text mark) and
 * FROM (the least ctid store_appended found, when it was asked of the
 * same generation and mark: a written row lies there or after it; a
 * write since moves the generation, and the run starts again; else
 * NULL). */
static const char *written_from(pg_store *s, const char *gen, long long mark, char t[32])
{
    snprintf(t, 32, "%lld", mark);
    int known = s->grow_tid[0] && s->grow_mark == mark && strcmp(s->grow_gen, gen) == 0;
    return known ? s->grow_tid : NULL;
}

static int pg_scan_appended(store *base, const char *gen, long long mark, store_response_cb cb, void *ctx)
{
    pg_store *s = PG(base);
    if (s->ahead && s->ahead_mark == mark && strcmp(s->ahead_gen, gen) == 0) {
        s->ahead = 0; /* asked already: its rows */
        return pg_written_after_rows(base, cb, ctx);
    }
    char m[32];
    const char *from = written_from(s, gen, mark, m);
    return pg_scan_written_after(base, m, from, cb, ctx);
}

/* The same scan sent now, its rows read by the pg_scan_appended of GEN
 * and MARK after (docs/cache.md): the server finds and sorts them while
 * the run reads the old cache.  A failure is left to that scan, which
 * asks again. */
static void pg_scan_appended_ahead(store *base, const char *gen, long long mark)
{
    pg_store *s = PG(base);
    char m[32];
    const char *from = written_from(s, gen, mark, m);
    if (pg_written_after_send(base, m, from) != 0) return;
    s->ahead = 1;
    s->ahead_mark = mark;
    snprintf(s->ahead_gen, sizeof s->ahead_gen, "%s", gen);
}

static void pg_ahead_end(store *base) { pg_ahead_drop(PG(base)); }

/* The generation is "COUNT.SUM" of cx_changes: a row a committed
 * transaction that wrote responses, so COUNT moves once for each. */
static long long pg_moves(const char *from, const char *to)
{
    char *end;
    long long f = strtoll(from, &end, 10);
    if (end == from || *end != '.') return -1;
    long long t = strtoll(to, &end, 10);
    if (end == to || *end != '.') return -1;
    return t >= f ? t - f : -1;
}

/* The key noted by the store_appended just before, for the same GEN and
 * MARK (a second pass over the table would cost as much as the first). */
static int pg_first_appended(store *base, const char *gen, long long mark, char *key, size_t cap)
{
    pg_store *s = PG(base);
    if (!s->grow_first_len || s->grow_mark != mark || strcmp(s->grow_gen, gen) != 0 ||
        s->grow_first_len > cap)
        return 0;
    memcpy(key, s->grow_first, s->grow_first_len);
    s->grow_first_len = 0; /* once */
    return 1;
}

const store_grow_ops pg_grow_ops = {
    .mark = pg_mark,
    .appended = pg_appended,
    .scan_appended = pg_scan_appended,
    .scan_ahead = pg_scan_appended_ahead,
    .ahead_drop = pg_ahead_end,
    .scan_table = NULL,
    .first_appended = pg_first_appended,
    .moves = pg_moves,
};

#endif /* CX_HAVE_LIBPQ */
