/* store_pg_seen.c — a responses file imported again unchanged, on
 * PostgreSQL (store.h store_import_seen_*; store_sqlite_seen.c is
 * SQLite's; docs/performance.md "Re-import").
 *
 * The table cx_import_seen (made by the first import that notes a file,
 * under the migrations' lock, so that two first imports do not race)
 * holds, per (source, file), the digest the import was given, the
 * generation (store_pg_gen.c: what cx_changes holds) as its transaction
 * saw it — its own write of responses included, which its commit makes
 * everyone's — whether duplicate ids were allowed, and what importing the
 * same file again would report.  That answer holds while the generation
 * has not moved (every statement that writes responses, whoever runs it,
 * adds its transaction to cx_changes) and the file's rejects are as many
 * as noted.  A transaction of another program that commits between the
 * note and the noting commit leaves the generation past the note: the
 * next import reads the file, never the other way round.
 */
#include "core/store/store_pg_int.h"

#ifdef CX_HAVE_LIBPQ
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char table_sql[] =
    "CREATE TABLE IF NOT EXISTS cx_import_seen (source text COLLATE \"C\" NOT NULL, file text NOT NULL,"
    " digest text NOT NULL, generation text NOT NULL, allow_dup boolean NOT NULL, rows bigint NOT NULL,"
    " unchanged bigint NOT NULL, ignored bigint NOT NULL, rejected bigint NOT NULL, held bigint NOT NULL,"
    " held_by text NOT NULL, PRIMARY KEY (source, file))";

static const char get_sql[] = "SELECT rows, unchanged, ignored, rejected, held, held_by, generation"
                              " FROM cx_import_seen WHERE source = $1 AND file = $2"
                              " AND ($3::text IS NULL OR digest = $3) AND allow_dup = $4::boolean";
static const char count_sql[] = "SELECT count(*) FROM rejects WHERE" PG_REJECTS_OF;
static const char put_sql[] =
    "INSERT INTO cx_import_seen (source, file, digest, generation, allow_dup, rows, unchanged, ignored,"
    " rejected, held, held_by) VALUES ($1, $2, $3, $4, $5::boolean, $6, $7, $8, $9, $10, $11)"
    " ON CONFLICT (source, file) DO UPDATE SET digest = excluded.digest, generation = excluded.generation,"
    " allow_dup = excluded.allow_dup, rows = excluded.rows, unchanged = excluded.unchanged,"
    " ignored = excluded.ignored, rejected = excluded.rejected, held = excluded.held,"
    " held_by = excluded.held_by";
static const char drop_note_sql[] = "DELETE FROM cx_import_seen WHERE source = $1 AND file = $2";
/* binary results: raw's bytes as they are */
static const char rejects_sql[] =
    "SELECT id::text, location, reason, raw FROM rejects WHERE" PG_REJECTS_OF " ORDER BY id";
static const char copy_sql[] =
    "INSERT INTO rejects (source, at, location, reason, raw)"
    " SELECT source, $3::bigint, location, reason, raw FROM rejects WHERE" PG_REJECTS_OF
    " AND id <= $4::bigint ORDER BY id";
static const char drop_sql[] = "DELETE FROM rejects WHERE" PG_REJECTS_OF " AND id <= $3::bigint";

static int fail(pg_store *s, PGresult *r)
{
    int rc = pg_fail(s, "import again", r);
    PQclear(r);
    return rc;
}

/* SQL with its N parameters: its result when it ran (rows or none), else
 * NULL with the store's error. */
static PGresult *ask(pg_store *s, const char *sql, int n, const char *const *v, int binary)
{
    PGresult *r = PQexecParams(s->conn, sql, n, NULL, v, NULL, NULL, binary);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return r;
    fail(s, r);
    return NULL;
}

/* Whether cx_import_seen exists: 1, 0, -1. */
static int have_table(pg_store *s)
{
    PGresult *r = ask(s, "SELECT to_regclass('cx_import_seen') IS NOT NULL", 0, NULL, 0);
    if (!r) return -1;
    int have = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    return have;
}

int pg_import_seen_get(store *base, const char *source, const char *file, const char *digest,
                       store_import_seen *v)
{
    pg_store *s = PG(base);
    memset(v, 0, sizeof *v);
    if (pg_flush(s) != 0) return -1;
    int have = have_table(s);
    if (have <= 0) return have;
    const char *p[4] = {source, file, digest, base->allow_dup_ids ? "true" : "false"};
    PGresult *r = ask(s, get_sql, 4, p, 0);
    if (!r) return -1;
    char id[STORE_GEN_MAX], gen[STORE_GEN_MAX];
    int rc = PQntuples(r) == 1 ? pg_generation(base, id, gen) : 0; /* the generation, when there is a note */
    if (PQntuples(r) != 1 || rc != 0 || strcmp(PQgetvalue(r, 0, 6), gen) != 0) { /* none, or changed since */
        PQclear(r);
        return rc;
    }
    v->rows = col_ll(r, 0, 0);
    v->unchanged = col_ll(r, 0, 1);
    v->ignored = col_ll(r, 0, 2);
    v->rejected = col_ll(r, 0, 3);
    v->held = col_ll(r, 0, 4);
    snprintf(v->held_by, sizeof v->held_by, "%s", PQgetvalue(r, 0, 5));
    PQclear(r);
    char *prefix = store_file_prefix(base, file);
    if (!prefix) return -1;
    const char *q[2] = {source, prefix};
    r = ask(s, count_sql, 2, q, 0);
    free(prefix);
    if (!r) return -1;
    int holds = PQntuples(r) == 1 && col_ll(r, 0, 0) == v->rejected; /* else its rejects were edited */
    PQclear(r);
    if (holds) s->bulk_unique = 1; /* the note holds: pg_import_seen_put may carry it on */
    else memset(v, 0, sizeof *v);
    return holds;
}

int pg_import_seen_put(store *base, const char *source, const char *file, const char *digest,
                       const store_import_seen *v)
{
    pg_store *s = PG(base);
    if (pg_flush(s) != 0) return -1;
    int have = have_table(s);
    if (have < 0) return -1;
    if (!s->bulk_unique || !digest) { /* nothing to note: drop any note */
        if (!have) return 0;
        const char *p[2] = {source, file};
        PGresult *r = ask(s, drop_note_sql, 2, p, 0);
        PQclear(r);
        return r ? 0 : -1;
    }
    if (!have && (pg_exec_now(s, PG_MIGRATION_LOCK, "import again") != 0 ||
                  pg_exec_now(s, table_sql, "import again") != 0))
        return -1;
    char id[STORE_GEN_MAX], gen[STORE_GEN_MAX]; /* this transaction's own write in it */
    if (pg_generation(base, id, gen) != 0) return -1;
    char n[5][24];
    const long long nums[5] = {v->rows, v->unchanged, v->ignored, v->rejected, v->held};
    for (int i = 0; i < 5; i++) snprintf(n[i], sizeof n[i], "%lld", nums[i]);
    const char *p[11] = {source, file, digest, gen,       base->allow_dup_ids ? "true" : "false", n[0], n[1],
                         n[2],   n[3], n[4],   v->held_by};
    PGresult *r = ask(s, put_sql, 11, p, 0);
    PQclear(r);
    return r ? 0 : -1;
}

typedef struct again_ctx {
    const char *source;
    store_reject_cb cb;
    void *ctx;
    long long n;
    char last[24]; /* the last one's id */
    int stop;
} again_ctx;

static int again_row(const PGresult *q, void *ctx)
{
    again_ctx *x = ctx;
    x->n++;
    snprintf(x->last, sizeof x->last, "%s", PQgetvalue(q, 0, 0));
    if (x->cb && !x->stop)
        x->stop = x->cb(x->source, PQgetvalue(q, 0, 1), PQgetvalue(q, 0, 2), PQgetvalue(q, 0, 3),
                        (size_t)PQgetlength(q, 0, 3), x->ctx);
    return 0;
}

long long pg_rejects_again(store *base, const char *source, const char *file, store_reject_cb cb, void *ctx)
{
    pg_store *s = PG(base);
    char *prefix = store_file_prefix(base, file);
    if (!prefix) return -1;
    again_ctx x = {source, cb, ctx, 0, "0", 0};
    const char *p[4] = {source, prefix, NULL, x.last};
    int rc = pg_stream(s, rejects_sql, 2, p, 1, again_row, &x, "import again");
    if (rc == 0 && x.stop) {
        snprintf(s->base.err, sizeof s->base.err, "store: import again: stopped by its caller");
        rc = -1;
    }
    /* Written again as new ones, as forgetting them and adding them back
     * would: after every other reject, with the time of this import. */
    char now[24];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    p[2] = now;
    const char *d[3] = {source, prefix, x.last};
    for (int i = 0; rc == 0 && x.n > 0 && i < 2; i++) {
        PGresult *r = i == 0 ? ask(s, copy_sql, 4, p, 0) : ask(s, drop_sql, 3, d, 0);
        PQclear(r);
        if (!r) rc = -1;
    }
    free(prefix);
    return rc == 0 ? x.n : -1;
}

#endif /* CX_HAVE_LIBPQ */
