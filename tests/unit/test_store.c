/* test_store.c — store.h conformance: the same cases run against SQLite
 * always and against PostgreSQL when CXPULSE_PG_URI names a server (see
 * scripts/pg-tmp; tests/e2e/pg_unit.sh runs this binary with one).  On
 * PostgreSQL every case works in its own schema, cxpulse_unit, dropped and
 * made again first (through PGOPTIONS: a URI that sets `options` itself
 * would bypass that, so point the variable at a throwaway server).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/store.h"
#include "core/timeparse.h"

#if defined(__has_include)
#if __has_include(<libpq-fe.h>)
#include <libpq-fe.h>
#define HAVE_LIBPQ 1
#endif
#endif

#define UNIT_SCHEMA "cxpulse_unit"

static const char *pg_uri;           /* NULL: SQLite only */
static char sqlite_dir[64];
static char sqlite_path[96];

/* ---- fixtures ---- */

static void reset_pg(void)
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
static store *fresh(int b)
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
    return s;
}

static store *reopen(int b)
{
    char err[512];
    store *s = store_open(b == 0 ? sqlite_path : pg_uri, err, sizeof err);
    ck_assert_msg(s != NULL, "reopen: %s", err);
    return s;
}

static void done(int b, store *s)
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

static void resp(cx_response *r, const char *src, const char *id, int64_t updated, int score,
                 const char *comment)
{
    cx_response_clear(r);
    r->source = src;
    r->response_id = id;
    r->responded_at = 1760000000;   /* 2025-10-09 */
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

static int collect(const cx_response *r, void *ctx)
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

static seen scan_all(store *s)
{
    seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_responses(s, NULL, collect, &x), 0);
    return x;
}

/* ---- cases ---- */

START_TEST(upsert_newer_wins_older_ignored_equal_replaces)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    resp(&r, "csv", "a", 100, 9, "first");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_INSERTED);
    resp(&r, "csv", "a", 100, 7, "equal");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_REPLACED);
    resp(&r, "csv", "a", 200, 3, "newer");
    r.has_handle_time = 1;
    r.handle_time_s = 0.1 + 0.2;      /* not exact in binary: must come back bit for bit */
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_REPLACED);
    resp(&r, "csv", "a", 150, 10, "older");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_IGNORED);
    resp(&r, "other", "a", 1, 5, "same id, other source");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_INSERTED);
    seen x = scan_all(s);
    ck_assert_uint_eq(x.n, 2);
    ck_assert_str_eq(x.comment[0], "newer");
    ck_assert_int_eq(x.updated[0], 200);
    ck_assert_int_eq(x.score[0], 3);
    ck_assert(x.ht[0] == 0.1 + 0.2);
    ck_assert_str_eq(x.comment[1], "same id, other source");
    done(_i, s);
}
END_TEST

START_TEST(text_and_attributes_round_trip)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    resp(&r, "csv", "t\\1", 1, 8, "tab\there\nnew line\r\\back\\slash \xc3\xa9\xe2\x82\xac '\"");
    r.attrs[0] = (cx_attr){"region", "north\teast"};
    r.attrs[1] = (cx_attr){"b", ""};
    r.n_attrs = 2;
    r.moments[0] = 3; r.moments[1] = 1; r.moments[2] = 5;
    r.n_moments = 3;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    cx_response r2;
    resp(&r2, "csv", "t2", 1, 8, "");
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    ck_assert_int_eq(store_bulk_add(s, &r2), 0);
    r.response_id = "t3";
    ck_assert_int_eq(store_bulk_add(s, &r), 0);
    store_bulk_counts c;
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_commit(s), 0);
    seen x = scan_all(s);
    ck_assert_uint_eq(x.n, 3);
    ck_assert_str_eq(x.id[0], "t2");
    ck_assert_str_eq(x.id[1], "t3");
    ck_assert_str_eq(x.id[2], "t\\1");
    for (size_t i = 1; i < 3; i++) {
        ck_assert_str_eq(x.comment[i], "tab\there\nnew line\r\\back\\slash \xc3\xa9\xe2\x82\xac '\"");
        ck_assert_str_eq(x.attr[i], "north\teast");
        ck_assert(isnan(x.ht[i]));
    }
    ck_assert_str_eq(x.attr[0], "(none)");
    done(_i, s);
}
END_TEST

/* Expected: what row-by-row upserts give, in file order. */
START_TEST(bulk_equals_row_by_row)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    resp(&r, "csv", "old", 100, 5, "stored");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    resp(&r, "csv", "keep", 100, 5, "stored keep");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0: no key twice (fast path); pass 1: duplicates (exact path) */
        ck_assert_int_eq(store_begin(s), 0);
        ck_assert_int_eq(store_bulk_begin(s), 0);
        struct { const char *id; int64_t u; const char *c; } rows0[] = {
            {"n1", 10, "new"}, {"old", 99, "older: ignored"}, {"keep", 100, "equal: replaces"},
        }, rows1[] = {
            {"d1", 10, "first"}, {"d1", 5, "older dup"}, {"d1", 10, "equal dup wins"},
            {"old", 50, "older than stored"}, {"old", 300, "newest"}, {"old", 200, "newer than stored"},
            {"keep", 1, "x"}, {"keep", 2, "y"},
        };
        size_t n = pass ? sizeof rows1 / sizeof *rows1 : sizeof rows0 / sizeof *rows0;
        for (size_t i = 0; i < n; i++) {
            if (pass) resp(&r, "csv", rows1[i].id, rows1[i].u, 6, rows1[i].c);
            else resp(&r, "csv", rows0[i].id, rows0[i].u, 6, rows0[i].c);
            ck_assert_int_eq(store_bulk_add(s, &r), 0);
            if (i == 1) ck_assert_int_eq(store_add_reject(s, "csv", "line 2", "bad", "x", 1), 0);
        }
        store_bulk_counts c;
        ck_assert_int_eq(store_bulk_end(s, &c), 0);
        ck_assert_int_eq(store_commit(s), 0);
        if (pass == 0) {
            ck_assert_int_eq(c.inserted, 1);
            ck_assert_int_eq(c.replaced, 1);
            ck_assert_int_eq(c.ignored, 1);
        } else {
            /* d1: inserted, ignored, replaced; old: ignored, replaced, ignored;
             * keep (stored 100): ignored, ignored */
            ck_assert_int_eq(c.inserted, 1);
            ck_assert_int_eq(c.replaced, 2);
            ck_assert_int_eq(c.ignored, 5);
        }
    }
    /* pass 2: the stored rows again, unchanged: each replaces itself */
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    resp(&r, "csv", "d1", 10, 6, "equal dup wins");
    ck_assert_int_eq(store_bulk_add(s, &r), 0);
    resp(&r, "csv", "old", 300, 6, "newest");
    ck_assert_int_eq(store_bulk_add(s, &r), 0);
    resp(&r, "csv", "n1", 10, 6, "new");
    ck_assert_int_eq(store_bulk_add(s, &r), 0);
    store_bulk_counts c2;
    ck_assert_int_eq(store_bulk_end(s, &c2), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(c2.inserted, 0);
    ck_assert_int_eq(c2.replaced, 3);
    ck_assert_int_eq(c2.ignored, 0);
    seen x = scan_all(s);
    ck_assert_uint_eq(x.n, 4);
    ck_assert_str_eq(x.id[0], "d1");
    ck_assert_str_eq(x.comment[0], "equal dup wins");
    ck_assert_str_eq(x.id[1], "keep");
    ck_assert_str_eq(x.comment[1], "equal: replaces");
    ck_assert_str_eq(x.id[2], "n1");
    ck_assert_str_eq(x.id[3], "old");
    ck_assert_str_eq(x.comment[3], "newest");
    ck_assert_int_eq(x.updated[3], 300);
    done(_i, s);
}
END_TEST

/* Random batches against a model of row-by-row upserts in file order (a
 * key is inserted when new, replaced when its updated_at is >= the current
 * one, ignored otherwise): every bulk path of both backends — first import
 * with and without repeated keys, no key twice, keys repeated, equal
 * updated_at with equal and with different content — must give the
 * model's counts and final rows.  Fixed seed: a failure names its trial. */
typedef struct model_row {
    int present;
    int64_t updated;
    char comment[16];
} model_row;

typedef struct many {
    char key[32][16], comment[32][16];
    int64_t updated[32];
    size_t n;
} many;

static int collect_many(const cx_response *r, void *ctx)
{
    many *x = ctx;
    if (x->n == 32) return 9;
    snprintf(x->key[x->n], 16, "%s/%s", r->source, r->response_id);
    snprintf(x->comment[x->n], 16, "%s", r->comment);
    x->updated[x->n] = r->updated_at;
    x->n++;
    return 0;
}

static uint32_t lcg(uint32_t *st)
{
    *st = *st * 1103515245u + 12345u;
    return *st >> 16;
}

START_TEST(bulk_matches_model_on_random_batches)
{
    static const char *const src[2] = {"a", "b"};
    static const char *const ids[6] = {"k0", "k1", "k2", "k3", "k4", "k5"};
    uint32_t st = 20261123u;
    for (int trial = 0; trial < 12; trial++) {
        store *s = fresh(_i);
        model_row m[2][6];
        memset(m, 0, sizeof m);
        for (int batch = 0; batch < 5; batch++) {
            long long want[3] = {0, 0, 0};   /* inserted, replaced, ignored */
            int n = 1 + (int)(lcg(&st) % 10);
            int only = (int)(lcg(&st) % 3);  /* 0: source a, 1: b, 2: both */
            ck_assert_int_eq(store_begin(s), 0);
            ck_assert_int_eq(store_bulk_begin(s), 0);
            for (int i = 0; i < n; i++) {
                int so = only < 2 ? only : (int)(lcg(&st) % 2), k = (int)(lcg(&st) % 6);
                int64_t u = 1 + (int64_t)(lcg(&st) % 4);
                char c[16];
                snprintf(c, sizeof c, "c%lld-%u", (long long)u, lcg(&st) % 2);
                cx_response r;
                resp(&r, src[so], ids[k], u, 5, c);
                ck_assert_int_eq(store_bulk_add(s, &r), 0);
                model_row *x = &m[so][k];
                int cls = !x->present ? 0 : u >= x->updated ? 1 : 2;
                want[cls]++;
                if (cls < 2) {
                    x->present = 1;
                    x->updated = u;
                    snprintf(x->comment, sizeof x->comment, "%s", c);
                }
            }
            store_bulk_counts c;
            ck_assert_int_eq(store_bulk_end(s, &c), 0);
            ck_assert_int_eq(store_commit(s), 0);
            ck_assert_msg(c.inserted == want[0] && c.replaced == want[1] && c.ignored == want[2],
                          "trial %d batch %d: got %lld/%lld/%lld, want %lld/%lld/%lld", trial, batch,
                          c.inserted, c.replaced, c.ignored, want[0], want[1], want[2]);
            many got;
            memset(&got, 0, sizeof got);
            ck_assert_int_eq(store_scan_responses(s, NULL, collect_many, &got), 0);
            size_t j = 0;
            for (int so = 0; so < 2; so++)
                for (int k = 0; k < 6; k++) {
                    if (!m[so][k].present) continue;
                    char key[16];
                    snprintf(key, sizeof key, "%s/%s", src[so], ids[k]);
                    ck_assert_msg(j < got.n, "trial %d batch %d: %s missing", trial, batch, key);
                    ck_assert_str_eq(got.key[j], key);
                    ck_assert_str_eq(got.comment[j], m[so][k].comment);
                    ck_assert_int_eq(got.updated[j], m[so][k].updated);
                    j++;
                }
            ck_assert_uint_eq(got.n, j);
        }
        done(_i, s);
    }
}
END_TEST

/* A first import (no row of its source yet) holding a key twice. */
START_TEST(bulk_first_import_with_duplicates)
{
    store *s = fresh(_i);
    static const struct { const char *id; int64_t u; } rows[] = {{"a", 5}, {"b", 1}, {"a", 7}, {"a", 6}};
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (size_t i = 0; i < 4; i++) {
        cx_response r;
        char c[8];
        snprintf(c, sizeof c, "v%lld", (long long)rows[i].u);
        resp(&r, "fresh", rows[i].id, rows[i].u, 9, c);
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
    }
    store_bulk_counts c;
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(c.inserted, 2);
    ck_assert_int_eq(c.replaced, 1);
    ck_assert_int_eq(c.ignored, 1);
    seen x = scan_all(s);
    ck_assert_uint_eq(x.n, 2);
    ck_assert_str_eq(x.comment[0], "v7");
    /* outside a transaction too, into a new source again */
    ck_assert_int_eq(store_bulk_begin(s), 0);
    cx_response r;
    resp(&r, "other", "z", 1, 9, "");
    ck_assert_int_eq(store_bulk_add(s, &r), 0);
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(c.inserted, 1);
    ck_assert_uint_eq(scan_all(s).n, 3);
    done(_i, s);
}
END_TEST

START_TEST(bulk_dropped_by_rollback)
{
    store *s = fresh(_i);
    cx_response r;
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    resp(&r, "csv", "a", 1, 9, "");
    ck_assert_int_eq(store_bulk_add(s, &r), 0);
    ck_assert_int_eq(store_rollback(s), 0);
    ck_assert_uint_eq(scan_all(s).n, 0);
    done(_i, s);
}
END_TEST

START_TEST(checkpoint_in_rolled_back_transaction_is_not_kept)
{
    store *s = fresh(_i);
    char *cp = NULL;
    ck_assert_int_eq(store_checkpoint_get(s, "src", &cp), 0);
    ck_assert_ptr_null(cp);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_checkpoint_put(s, "src", "{\"at\":1}"), 0);
    ck_assert_int_eq(store_commit(s), 0);
    cx_response r;
    store_upsert_result res;
    ck_assert_int_eq(store_begin(s), 0);
    resp(&r, "src", "p2", 5, 9, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_checkpoint_put(s, "src", "{\"at\":2}"), 0);
    ck_assert_int_eq(store_rollback(s), 0);
    ck_assert_int_eq(store_rollback(s), 0);             /* none open: a no-op */
    store_close(s);
    s = reopen(_i);
    ck_assert_int_eq(store_checkpoint_get(s, "src", &cp), 0);
    ck_assert_str_eq(cp, "{\"at\":1}");
    free(cp);
    ck_assert_uint_eq(scan_all(s).n, 0);
    ck_assert_int_eq(store_checkpoint_clear(s, "src"), 0);
    ck_assert_int_eq(store_checkpoint_get(s, "src", &cp), 0);
    ck_assert_ptr_null(cp);
    done(_i, s);
}
END_TEST

typedef struct rejects_seen {
    char raw[4][16], where[4][16];
    size_t n;
} rejects_seen;

static int collect_reject(const char *source, const char *where, const char *reason, const char *raw,
                          void *ctx)
{
    (void)source;
    (void)reason;
    rejects_seen *x = ctx;
    if (x->n == 4) return 9;
    snprintf(x->raw[x->n], 16, "%s", raw);
    snprintf(x->where[x->n], 16, "%s", where);
    x->n++;
    return 0;
}

static int count_reason(const char *reason, long long n, void *ctx)
{
    if (!strcmp(reason, "bad bytes")) *(long long *)ctx = n;
    return 0;
}

START_TEST(rejects_keep_nul_bytes)
{
    store *s = fresh(_i);
    static const char raw[] = {'a', '\0', 'b', '\xff', '\n'};
    ck_assert_int_eq(store_add_reject(s, "csv", "line 2", "bad bytes", raw, sizeof raw), 0);
    ck_assert_int_eq(store_begin(s), 0);          /* inside a transaction too (deferred on PG) */
    ck_assert_int_eq(store_add_reject(s, "csv", "line 3", "bad bytes", raw + 2, 3), 0);
    ck_assert_int_eq(store_add_reject(s, "api", "page 1", "other", NULL, 0), 0);
    ck_assert_int_eq(store_commit(s), 0);
    rejects_seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_rejects(s, "csv", collect_reject, &x), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_assert_str_eq(x.raw[0], "a");              /* handed up to the first NUL */
    ck_assert_str_eq(x.where[0], "line 2");
    ck_assert_str_eq(x.raw[1], "b\xff\n");
    long long n = 0;
    ck_assert_int_eq(store_reject_reasons(s, count_reason, &n), 0);
    ck_assert_int_eq(n, 2);
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_rejects(s, NULL, collect_reject, &x), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_assert_str_eq(x.raw[2], "");
    done(_i, s);
}
END_TEST

typedef struct cust_seen {
    char id[4][16], attrs[4][64];
    double v[4];
    size_t n;
} cust_seen;

static int collect_customer(const char *id, double v, const cx_attr *a, size_t n, void *ctx)
{
    cust_seen *x = ctx;
    if (x->n == 4) return 9;
    snprintf(x->id[x->n], 16, "%s", id);
    x->v[x->n] = v;
    size_t used = 0;
    x->attrs[x->n][0] = '\0';
    for (size_t i = 0; i < n && used < 60; i++)
        used += (size_t)snprintf(x->attrs[x->n] + used, 64 - used, "%s=%s;", a[i].key, a[i].value);
    x->n++;
    return 0;
}

START_TEST(customers_with_nan_annual_value)
{
    store *s = fresh(_i);
    cx_attr a[2] = {{"tier", "gold"}, {"region", "west"}};
    ck_assert_int_eq(store_upsert_customer(s, "c2", NAN, a, 2), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c1", 1234.5, NULL, 0), 0);
    ck_assert_int_eq(store_begin(s), 0);          /* deferred and merged on PG: last row wins */
    ck_assert_int_eq(store_upsert_customer(s, "c3", 1.0 / 3.0, a, 1), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c3", NAN, a + 1, 1), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c1", 99, NULL, 0), 0);
    ck_assert_int_eq(store_commit(s), 0);
    cust_seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_customers(s, collect_customer, &x), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_assert_str_eq(x.id[0], "c1");
    ck_assert(x.v[0] == 99);
    ck_assert_str_eq(x.id[1], "c2");
    ck_assert(isnan(x.v[1]));
    ck_assert_str_eq(x.attrs[1], "tier=gold;region=west;");   /* order kept */
    ck_assert_str_eq(x.id[2], "c3");
    ck_assert(isnan(x.v[2]));
    ck_assert_str_eq(x.attrs[2], "region=west;");
    done(_i, s);
}
END_TEST

typedef struct spend_seen {
    char line[8][48];
    size_t n;
} spend_seen;

static int collect_spend(const char *id, int64_t day, double amount, void *ctx)
{
    spend_seen *x = ctx;
    if (x->n == 8) return 9;
    snprintf(x->line[x->n++], 48, "%s %lld %.17g", id, (long long)day, amount);
    return 0;
}

START_TEST(spend_clear_add_scan_order)
{
    store *s = fresh(_i);
    ck_assert_int_eq(store_add_spend(s, "old", "zz", 1, 1), 0);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "b", 20000, 5), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20001, 0.1), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20000, -2.5), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20000, -3), 0);
    ck_assert_int_eq(store_spend_clear(s, "old"), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_spend_clear(s, "billing"), 0);   /* a re-import replaces the source */
    ck_assert_int_eq(store_add_spend(s, "billing", "b", 20000, 5), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20001, 0.1), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20000, -2.5), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20000, -3), 0);
    ck_assert_int_eq(store_commit(s), 0);
    spend_seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_spend(s, collect_spend, &x), 0);
    ck_assert_uint_eq(x.n, 4);
    ck_assert_str_eq(x.line[0], "a 20000 -3");
    ck_assert_str_eq(x.line[1], "a 20000 -2.5");
    ck_assert_str_eq(x.line[2], "a 20001 0.10000000000000001");
    ck_assert_str_eq(x.line[3], "b 20000 5");
    done(_i, s);
}
END_TEST

START_TEST(status_counts)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    resp(&r, "csv", "a", 1, 9, "");
    r.responded_at = 1700000000;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    resp(&r, "csv", "b", 1, 2, "");
    r.responded_at = 1760000000;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    resp(&r, "api", "a", 1, 7, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_add_reject(s, "api", "page 1", "bad", "x", 1), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c", 5, NULL, 0), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "c", 1, 2), 0);
    store_import_stats st1 = {"responses", "f.csv", 10, 6, 3, 1, 2};
    ck_assert_int_eq(store_log_import(s, &st1), 0);
    ck_assert_int_eq(store_log_import(s, &st1), 0);
    ck_assert_int_eq(store_sync_record(s, "api", 1765000000, 42, "HTTP 503"), 0);
    ck_assert_int_eq(store_sync_record(s, "quiet", 1765000001, 0, NULL), 0);
    store_status st;
    ck_assert_int_eq(store_get_status(s, &st), 0);
    ck_assert_int_eq(st.responses, 3);
    ck_assert_int_eq(st.customers, 1);
    ck_assert_int_eq(st.spend_rows, 1);
    ck_assert_int_eq(st.rejects, 1);
    ck_assert_int_eq(st.imported_rows, 20);
    ck_assert_int_eq(st.replaced, 6);
    ck_assert_int_eq(st.ignored, 2);
    ck_assert_int_eq(st.first_at, 1700000000);
    ck_assert_int_eq(st.last_at, 1760000000);
    ck_assert(st.last_import > 1700000000);
    ck_assert_uint_eq(st.n_sources, 3);
    ck_assert_str_eq(st.sources[0].source, "api");
    ck_assert_int_eq(st.sources[0].responses, 1);
    ck_assert_int_eq(st.sources[0].rejects, 1);
    ck_assert_int_eq(st.sources[0].last_sync, 1765000000);
    ck_assert_int_eq(st.sources[0].last_fetched, 42);
    ck_assert_str_eq(st.sources[0].last_error, "HTTP 503");
    ck_assert_str_eq(st.sources[1].source, "csv");
    ck_assert_int_eq(st.sources[1].responses, 2);
    ck_assert_int_eq(st.sources[1].last_sync, 0);
    ck_assert_str_eq(st.sources[2].source, "quiet");
    ck_assert_ptr_null(st.sources[2].last_error);
    store_status_free(&st);
    ck_assert(!strncmp(store_backend(s), _i ? "postgresql " : "sqlite ", _i ? 11 : 7));
    done(_i, s);
}
END_TEST

typedef struct groups {
    char line[32][64];
    size_t n;
} groups;

static int collect_group(const store_nps_group *g, void *ctx)
{
    groups *x = ctx;
    if (x->n == 32) return 9;
    char m[16];
    month_format(g->month, m);
    snprintf(x->line[x->n++], 64, "%s %zu %s %lld/%lld/%lld", m, g->dim,
             g->segment ? g->segment : "(missing)", g->p, g->a, g->d);
    return 0;
}

static int cmp_line(const void *a, const void *b) { return strcmp(a, b); }

static int collect_score(int month, int score, long long n, void *ctx)
{
    groups *x = ctx;
    char m[16];
    month_format(month, m);
    snprintf(x->line[x->n++], 64, "%s %d %lld", m, score, n);
    return 0;
}

START_TEST(nps_counts_pushed_down)
{
    store *s = fresh(_i);
    cx_attr ca[1] = {{"tier", "gold"}};
    ck_assert_int_eq(store_upsert_customer(s, "c1", 1, ca, 1), 0);
    struct { const char *id, *channel, *tier, *cust; int score; int64_t at; } rows[] = {
        {"1", "phone", NULL, "c1", 9, 1759300000},   /* 2025-10: tier from the customer */
        {"2", "phone", "silver", "c1", 7, 1759300000}, /* own attribute wins */
        {"3", "", "", "c1", 0, 1759300000},          /* empty channel; empty own tier: missing */
        {"4", "web", NULL, "nobody", 10, 1762000000}, /* 2025-11; no such customer: missing */
    };
    for (size_t i = 0; i < 4; i++) {
        cx_response r;
        store_upsert_result res;
        resp(&r, "csv", rows[i].id, 1, rows[i].score, "");
        r.responded_at = rows[i].at;
        r.channel = rows[i].channel;
        r.customer_id = rows[i].cust;
        if (rows[i].tier) { r.attrs[0] = (cx_attr){"tier", rows[i].tier}; r.n_attrs = 1; }
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    }
    const char *dims[2] = {"channel", "tier"};
    groups g;
    memset(&g, 0, sizeof g);
    ck_assert_int_eq(store_nps_counts(s, NULL, dims, 2, collect_group, &g), 0);
    qsort(g.line, g.n, sizeof g.line[0], cmp_line);
    static const char *const want[] = {
        "2025-10 0 all 1/1/1", "2025-10 1 (missing) 0/0/1", "2025-10 1 phone 1/1/0",
        "2025-10 2 (missing) 0/0/1", "2025-10 2 gold 1/0/0", "2025-10 2 silver 0/1/0",
        "2025-11 0 all 1/0/0", "2025-11 1 web 1/0/0", "2025-11 2 (missing) 1/0/0",
    };
    ck_assert_uint_eq(g.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < g.n; i++) ck_assert_str_eq(g.line[i], want[i]);
    int from;
    ck_assert_int_eq(month_parse("2025-11", &from), 0);
    store_filter f = {"csv", from, from};
    memset(&g, 0, sizeof g);
    ck_assert_int_eq(store_score_counts(s, &f, collect_score, &g), 0);
    ck_assert_uint_eq(g.n, 1);
    ck_assert_str_eq(g.line[0], "2025-11 10 1");
    done(_i, s);
}
END_TEST

static int stop_after_one(const cx_response *r, void *ctx)
{
    (void)r;
    ++*(int *)ctx;
    return 7;
}

START_TEST(scan_stops_when_asked_and_store_goes_on)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    char id[16];
    ck_assert_int_eq(store_begin(s), 0);
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "r%05d", i);
        resp(&r, "csv", id, 1, i % 11, "");
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    }
    ck_assert_int_eq(store_commit(s), 0);
    int calls = 0;
    ck_assert_int_eq(store_scan_responses(s, NULL, stop_after_one, &calls), 7);
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(store_begin(s), 0);           /* inside a transaction as well */
    ck_assert_int_eq(store_scan_responses(s, NULL, stop_after_one, &calls), 7);
    resp(&r, "csv", "after", 1, 9, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_commit(s), 0);
    store_status st;
    ck_assert_int_eq(store_get_status(s, &st), 0);
    ck_assert_int_eq(st.responses, 3001);
    store_status_free(&st);
    done(_i, s);
}
END_TEST

/* The lock is per process on SQLite and per connection on PostgreSQL: the
 * other holder is a child process. */
static int child_try_lock(int b, const char *source)
{
    pid_t pid = fork();
    if (pid == 0) {
        char err[512];
        store *s = store_open(b == 0 ? sqlite_path : pg_uri, err, sizeof err);
        int rc = s ? store_lock_source(s, source, 0) : -1;
        store_close(s);
        _exit(rc < 0 ? 2 : rc);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(sync_lock_per_source)
{
    store *s = fresh(_i);
    ck_assert_int_eq(store_lock_source(s, "delighted", 0), 0);
    ck_assert_int_eq(child_try_lock(_i, "delighted"), 1);
    ck_assert_int_eq(child_try_lock(_i, "qualtrics"), 0);
    ck_assert_int_eq(store_unlock_source(s, "delighted"), 0);
    ck_assert_int_eq(child_try_lock(_i, "delighted"), 0);
    ck_assert_int_eq(store_lock_source(s, "delighted", 1), 0);
    store_close(s);                                  /* closing releases it */
    ck_assert_int_eq(child_try_lock(_i, "delighted"), 0);
    s = reopen(_i);
    done(_i, s);
}
END_TEST

START_TEST(targets_and_passwords)
{
    ck_assert(store_target_is_pg("postgresql://h/db"));
    ck_assert(store_target_is_pg("postgres:///db"));
    ck_assert(store_target_is_pg("host=/tmp dbname=x"));
    ck_assert(!store_target_is_pg("cxpulse.db"));
    ck_assert(!store_target_is_pg("/var/lib/postgresql.db"));
    char buf[128];
    store_target_redact("postgresql://ann:s3cret@db.example:5432/cx?sslmode=require&password=p2", buf, sizeof buf);
    ck_assert_str_eq(buf, "postgresql://ann@db.example:5432/cx?sslmode=require");
    store_target_redact("host=db password='a b\\'c' dbname=cx", buf, sizeof buf);
    ck_assert_str_eq(buf, "host=db dbname=cx");
    store_target_redact("data/cxpulse.db", buf, sizeof buf);
    ck_assert_str_eq(buf, "data/cxpulse.db");
    store_target_redact("postgresql://u:pw@h/db", buf, 8);
    ck_assert_str_eq(buf, "postgre");

    char err[512];
    static const char *const bad[] = {
        "postgresql://ann:s3cret@localhost/cx", "host=localhost password=s3cret dbname=cx",
        "postgresql:///cx?password=s3cret", "postgresql://ann:s3cret@local%zzhost/cx",
        "host=x dbname=y s3cret",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = '\0';
        ck_assert_ptr_null(store_open(bad[i], err, sizeof err));
        ck_assert_msg(!strncmp(err, "store: ", 7), "%s", err);
        ck_assert_msg(!strstr(err, "s3cret"), "password shown: %s", err);
        ck_assert_ptr_null(strchr(err, '\n'));
    }
#ifdef HAVE_LIBPQ
    store_open_opts o = {"CXPULSE_UNIT_NO_SUCH_VARIABLE"};
    unsetenv(o.password_env);
    ck_assert_ptr_null(store_open_with("postgresql:///cx?host=/nonexistent", &o, err, sizeof err));
    ck_assert_str_eq(err, "store: password_env names $CXPULSE_UNIT_NO_SUCH_VARIABLE, which is not set");
    ck_assert_ptr_null(store_open("postgresql:///cx?host=/nonexistent/dir", err, sizeof err));
    static const char want[] = "store: cannot connect to postgresql:///cx?host=/nonexistent/dir: ";
    ck_assert_msg(!strncmp(err, want, sizeof want - 1), "%s", err);
#endif
}
END_TEST

int main(void)
{
    pg_uri = getenv("CXPULSE_PG_URI");
    if (pg_uri && !*pg_uri) pg_uri = NULL;
    int backends = 1;
#ifdef HAVE_LIBPQ
    if (pg_uri) {
        backends = 2;
        setenv("PGOPTIONS", "-c search_path=" UNIT_SCHEMA, 1);
    }
#else
    if (pg_uri) fprintf(stderr, "test_store: built without libpq; PostgreSQL cases skipped\n");
#endif
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("conformance");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, upsert_newer_wins_older_ignored_equal_replaces, 0, backends);
    tcase_add_loop_test(tc, text_and_attributes_round_trip, 0, backends);
    tcase_add_loop_test(tc, bulk_equals_row_by_row, 0, backends);
    tcase_add_loop_test(tc, bulk_first_import_with_duplicates, 0, backends);
    tcase_add_loop_test(tc, bulk_matches_model_on_random_batches, 0, backends);
    tcase_add_loop_test(tc, bulk_dropped_by_rollback, 0, backends);
    tcase_add_loop_test(tc, checkpoint_in_rolled_back_transaction_is_not_kept, 0, backends);
    tcase_add_loop_test(tc, rejects_keep_nul_bytes, 0, backends);
    tcase_add_loop_test(tc, customers_with_nan_annual_value, 0, backends);
    tcase_add_loop_test(tc, spend_clear_add_scan_order, 0, backends);
    tcase_add_loop_test(tc, status_counts, 0, backends);
    tcase_add_loop_test(tc, nps_counts_pushed_down, 0, backends);
    tcase_add_loop_test(tc, scan_stops_when_asked_and_store_goes_on, 0, backends);
    tcase_add_loop_test(tc, sync_lock_per_source, 0, backends);
    tcase_add_test(tc, targets_and_passwords);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
