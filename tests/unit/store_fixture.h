/* store_fixture.h — what the store conformance programs (test_store.c,
 * test_store_bulk.c) share: a fresh store of either backend, a response
 * builder, a collecting scan, and store_backends() for main, which says
 * how many backends to loop over (2 when CXPULSE_PG_URI names a server).
 * On PostgreSQL every case works in its own schema, cxpulse_unit, dropped
 * and made again first (through PGOPTIONS: a URI that sets `options`
 * itself would bypass that, so point the variable at a throwaway server).
 * Included by one .c file per program (static state).
 */
#ifndef CX_STORE_FIXTURE_H
#define CX_STORE_FIXTURE_H

#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/store/store.h"
#include "core/timeparse.h"

#if defined(__has_include)
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#define HAVE_LIBPQ 1
#endif
#endif

#define UNIT_SCHEMA "cxpulse_unit"

static const char *pg_uri; /* NULL: SQLite only (set by store_backends) */
static char sqlite_dir[64];
static char sqlite_path[96];

/* The store tests' generator (a fixed seed gives fixed cases). */
static inline uint32_t lcg(uint32_t *st)
{
    *st = *st * 1103515245u + 12345u;
    return *st >> 16;
}

/* ---- fixtures ---- */

static inline void reset_pg(void)
{
#ifdef HAVE_LIBPQ
    PGconn *c = PQconnectdb(pg_uri);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "admin connection: %s", PQerrorMessage(c));
    PGresult *r = PQexec(c, "SET client_min_messages = warning;"
                            "DROP SCHEMA IF EXISTS " UNIT_SCHEMA " CASCADE; CREATE SCHEMA " UNIT_SCHEMA);
    ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "reset: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
#endif
}

/* A fresh, empty store of backend B (0 SQLite, 1 PostgreSQL). */
static inline store *fresh(int b)
{
    char err[512];
    const char *target;
    if (b == 0) {
        snprintf(sqlite_dir, sizeof sqlite_dir, "/tmp/cxstore.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(sqlite_dir));
        snprintf(sqlite_path, sizeof sqlite_path, "%s/t.db", sqlite_dir);
        target = sqlite_path;
    } else {
        reset_pg();
        target = pg_uri;
    }
    store *s = store_open(target, err, sizeof err);
    ck_assert_msg(s != NULL, "open: %s", err);
    /* The upsert and bulk cases model the (source, response_id) rule with
     * ids shared by sources; the held-elsewhere rule has its own cases. */
    store_allow_duplicate_ids(s, 1);
    return s;
}

static inline store *reopen(int b)
{
    char err[512];
    store *s = store_open(b == 0 ? sqlite_path : pg_uri, err, sizeof err);
    ck_assert_msg(s != NULL, "reopen: %s", err);
    store_allow_duplicate_ids(s, 1);
    return s;
}

static inline void done(int b, store *s)
{
    store_close(s);
    if (b != 0) return;
    static const char *const sfx[] = {"", "-wal", "-shm", "-sync"};
    for (size_t i = 0; i < 4; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s%s", sqlite_path, sfx[i]);
        unlink(p);
    }
    rmdir(sqlite_dir);
}

static inline void resp(cx_response *r, const char *src, const char *id, int64_t updated, int score,
                        const char *comment)
{
    cx_response_clear(r);
    r->source = src;
    r->response_id = id;
    r->responded_at = 1760000000; /* 2025-10-09 */
    r->updated_at = updated;
    r->score = score;
    r->comment = comment;
}

/* ---- collecting scans ---- */

typedef struct seen {
    char id[8][32], comment[8][64], attr[8][32];
    int64_t updated[8];
    int score[8];
    double ht[8];
    size_t n;
} seen;

static inline int collect(const cx_response *r, void *ctx)
{
    seen *x = ctx;
    if (x->n == 8) return 9;
    snprintf(x->id[x->n], 32, "%s", r->response_id);
    snprintf(x->comment[x->n], 64, "%s", r->comment);
    const char *a = cx_response_dim(r, "region");
    snprintf(x->attr[x->n], 32, "%s", a ? a : "(none)");
    x->updated[x->n] = r->updated_at;
    x->score[x->n] = r->score;
    x->ht[x->n] = r->has_handle_time ? r->handle_time_s : NAN;
    x->n++;
    return 0;
}

static inline seen scan_all(store *s)
{
    seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_responses(s, NULL, collect, &x), 0);
    return x;
}

/* The one integer SQL gives on the SQLite store's file, read on a
 * connection of its own (what another program would see). */
static inline long long sqlite_one(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(sqlite_path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Runs SQL (no result wanted) on backend B's store through a connection
 * of its own: what another program would do. */
static inline void backend_exec(int b, const char *sql)
{
    if (b == 0) {
        sqlite3 *db;
        ck_assert_int_eq(sqlite3_open(sqlite_path, &db), SQLITE_OK);
        ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
                      sqlite3_errmsg(db));
        sqlite3_close(db);
        return;
    }
#ifdef HAVE_LIBPQ
    PGconn *c = PQconnectdb(pg_uri);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connection: %s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
#endif
}

/* For main: reads CXPULSE_PG_URI; 1 (SQLite) or 2 (and PostgreSQL). */
static inline int store_backends(const char *prog)
{
    (void)prog; /* named only when built without libpq */
    pg_uri = getenv("CXPULSE_PG_URI");
    if (pg_uri && !*pg_uri) pg_uri = NULL;
    int backends = 1;
#ifdef HAVE_LIBPQ
    if (pg_uri) {
        backends = 2;
        setenv("PGOPTIONS", "-c search_path=" UNIT_SCHEMA, 1);
    }
#else
    if (pg_uri) fprintf(stderr, "%s: built without libpq; PostgreSQL cases skipped\n", prog);
#endif
    return backends;
}

#endif
