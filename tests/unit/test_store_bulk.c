/* test_store_bulk.c — store_bulk_* conformance: a batch of upserts gives
 * exactly what row-by-row upserts in file order give (counts and final
 * rows), on SQLite always and on PostgreSQL when CXPULSE_PG_URI names a
 * server (tests/e2e/pg_unit.sh runs it with one).  Fixtures:
 * store_fixture.h.
 */
#include "store_fixture.h"

#include "core/store/store_attrs.h"
#include "core/store/store_sqlite_batch.h"

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
        struct {
            const char *id;
            int64_t u;
            const char *c;
        } rows0[] =
            {
                {"n1", 10, "new"},
                {"old", 99, "older: ignored"},
                {"keep", 100, "equal: replaces"},
            },
          rows1[] = {
              {"d1", 10, "first"},
              {"d1", 5, "older dup"},
              {"d1", 10, "equal dup wins"},
              {"old", 50, "older than stored"},
              {"old", 300, "newest"},
              {"old", 200, "newer than stored"},
              {"keep", 1, "x"},
              {"keep", 2, "y"},
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
    /* pass 2: the stored rows again, unchanged: counted as unchanged */
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
    ck_assert_int_eq(c2.replaced, 0); /* equal to the stored versions: unchanged, not replaced */
    ck_assert_int_eq(c2.unchanged, 3);
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
            long long want[3] = {0, 0, 0}; /* inserted, replaced, ignored */
            int n = 1 + (int)(lcg(&st) % 10);
            int only = (int)(lcg(&st) % 3); /* 0: source a, 1: b, 2: both */
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
    static const struct {
        const char *id;
        int64_t u;
    } rows[] = {{"a", 5}, {"b", 1}, {"a", 7}, {"a", 6}};
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

typedef struct held_log {
    long long index[8];
    char held_by[8][16];
    int n;
} held_log;

static int note_held(long long index, const char *response_id, const char *held_by, void *ctx)
{
    held_log *h = ctx;
    (void)response_id;
    if (h->n < 8) {
        h->index[h->n] = index;
        snprintf(h->held_by[h->n], sizeof h->held_by[0], "%s", held_by);
    }
    h->n++;
    return 0;
}

/* A bulk sets aside the rows whose id another source holds, numbered by
 * their place in the bulk; the others are classified as usual, on every
 * path (first import of a source, no key twice, keys repeated). */
START_TEST(bulk_sets_aside_ids_held_elsewhere)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    store_allow_duplicate_ids(s, 0);
    resp(&r, "qualtrics", "a", 100, 9, "synced a");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    resp(&r, "zz", "c", 100, 9, "synced c");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    for (int pass = 0; pass < 3; pass++) {
        /* pass 0: "csv" is new (path 1); 1: no key twice (path 2); 2: "n" twice (path 3) */
        static const char *const ids[3][4] = {
            {"a", "n0", "c", NULL}, {"n1", "a", "c", NULL}, {"n2", "n2", "c", "a"}};
        held_log h;
        memset(&h, 0, sizeof h);
        store_on_held(s, note_held, &h);
        ck_assert_int_eq(store_begin(s), 0);
        ck_assert_int_eq(store_bulk_begin(s), 0);
        size_t n = 0;
        for (; n < 4 && ids[pass][n]; n++) {
            resp(&r, "csv", ids[pass][n], 200 + (int64_t)n, 5, "imported");
            ck_assert_int_eq(store_bulk_add(s, &r), 0);
        }
        store_bulk_counts c;
        ck_assert_int_eq(store_bulk_end(s, &c), 0);
        ck_assert_int_eq(store_commit(s), 0);
        store_on_held(s, NULL, NULL);
        ck_assert_int_eq(c.held_elsewhere, 2);
        ck_assert_int_eq(h.n, 2);
        ck_assert_int_eq(c.inserted, 1);
        ck_assert_int_eq(c.replaced, pass == 2 ? 1 : 0);
        ck_assert_int_eq(c.ignored, 0);
        if (pass == 0) {
            ck_assert_int_eq(h.index[0], 0);
            ck_assert_str_eq(h.held_by[0], "qualtrics");
            ck_assert_int_eq(h.index[1], 2);
            ck_assert_str_eq(h.held_by[1], "zz");
        } else if (pass == 2) {
            ck_assert_int_eq(h.index[0], 2);
            ck_assert_int_eq(h.index[1], 3);
        }
    }
    ck_assert_uint_eq(scan_all(s).n, 5); /* a, c and n0, n1, n2: nothing twice */
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

typedef struct held_all {
    long long index[4];
    int n;
} held_all;

static int note_held_all(long long index, const char *response_id, const char *held_by, void *ctx)
{
    held_all *h = ctx;
    (void)response_id;
    (void)held_by;
    if (h->n < 4) h->index[h->n] = index;
    h->n++;
    return 0;
}

typedef struct tally {
    long long n;
    char first_id[32], first_comment[32], k19989[32];
} tally;

static int count_rows(const cx_response *r, void *ctx)
{
    tally *t = ctx;
    if (t->n++ == 0) {
        snprintf(t->first_id, sizeof t->first_id, "%s", r->response_id);
        snprintf(t->first_comment, sizeof t->first_comment, "%s", r->comment);
    }
    if (!strcmp(r->source, "csv") && !strcmp(r->response_id, "k19989"))
        snprintf(t->k19989, sizeof t->k19989, "%s", r->comment);
    return 0;
}

/* A first import larger than a batch (loaded straight into responses in
 * batches of 8192 rows on SQLite), ids in reverse order: a key of the
 * first batch met again in a later one turns the load into staging with
 * the counts and rows of row-by-row upserts; ids held by another source
 * are set aside with their place in the bulk, before and after the turn.
 * Without a repeat, the same bulk stays on the straight path. */
START_TEST(bulk_large_first_import)
{
    enum { N = 20000 };
    for (int repeat = 0; repeat < 2; repeat++) {
        store *s = fresh(_i);
        cx_response r;
        store_upsert_result res;
        store_allow_duplicate_ids(s, 0);
        resp(&r, "qualtrics", "k19996", 100, 9, "synced");
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
        resp(&r, "qualtrics", "k00100", 100, 9, "synced");
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
        held_all h;
        memset(&h, 0, sizeof h);
        store_on_held(s, note_held_all, &h);
        ck_assert_int_eq(store_begin(s), 0);
        ck_assert_int_eq(store_bulk_begin(s), 0);
        for (int i = 0; i < N; i++) {
            char id[16], c[24];
            int k = N - 1 - i; /* ids in reverse order */
            int64_t u = 200;
            if (repeat && i == 15000) {
                k = N - 1 - 10;
                u = 300;
            } /* row 10's key again, newer */
            snprintf(id, sizeof id, "k%05d", k);
            snprintf(c, sizeof c, "row %d", i);
            resp(&r, "csv", id, u, i % 11, c);
            ck_assert_int_eq(store_bulk_add(s, &r), 0);
        }
        store_bulk_counts c;
        ck_assert_int_eq(store_bulk_end(s, &c), 0);
        ck_assert_int_eq(store_commit(s), 0);
        store_on_held(s, NULL, NULL);
        ck_assert_int_eq(c.held_elsewhere, 2);
        ck_assert_int_eq(h.n, 2);
        ck_assert_int_eq(h.index[0], 3); /* k19996 */
        ck_assert_int_eq(h.index[1], N - 1 - 100);
        ck_assert_int_eq(c.inserted, N - 2 - repeat);
        ck_assert_int_eq(c.replaced, repeat);
        ck_assert_int_eq(c.ignored, 0);
        tally t;
        memset(&t, 0, sizeof t);
        ck_assert_int_eq(store_scan_responses(s, NULL, count_rows, &t), 0);
        ck_assert_int_eq(t.n, N - repeat);
        /* scan order is (source, response_id): csv's k00000 first */
        ck_assert_str_eq(t.first_id, "k00000");
        ck_assert_str_eq(t.first_comment, "row 19999");
        ck_assert_str_eq(t.k19989, repeat ? "row 15000" : "row 10");
        done(_i, s);
    }
}
END_TEST

/* A first import into an empty store, larger than a batch, with ids in
 * random order (on SQLite the load turns to sorted runs at the second
 * batch, whose keys start below the first's, and later batches are a
 * run's worth, SQB_RUN_ROWS, sorted where they are): without a repeated
 * key, and with a key met again (newer, older or equal; in the first
 * batches or in a later run), the counts and rows of row-by-row upserts,
 * against a model of those upserts. */
START_TEST(bulk_shuffled_first_import)
{
    enum { N = 100000 };
    static const int again[4][2] = {{-1, 0}, {90000, 1}, {90000, -1}, {9000, 0}}; /* row, updated_at + */
    for (int v = 0; v < 4; v++) {
        store *s = fresh(_i);
        static int perm[N];
        static char comment[N][24];
        static int64_t upd[N];
        uint32_t st = 19u + (uint32_t)v;
        for (int i = 0; i < N; i++) perm[i] = i;
        for (int i = N - 1; i > 0; i--) { /* Fisher-Yates with the test's LCG */
            int j = (int)(lcg(&st) % (uint32_t)(i + 1)), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        long long want[3] = {0, 0, 0};
        memset(upd, 0, sizeof upd);
        ck_assert_int_eq(store_begin(s), 0);
        ck_assert_int_eq(store_bulk_begin(s), 0);
        for (int i = 0; i < N; i++) {
            char id[16], c[24];
            int k = perm[i];
            int64_t u = 200;
            if (i == again[v][0]) {
                k = perm[3];
                u = 200 + again[v][1];
            } /* row 3's key again */
            snprintf(id, sizeof id, "k%05d", k);
            snprintf(c, sizeof c, "row %d", i);
            cx_response r;
            resp(&r, "csv", id, u, i % 11, c);
            ck_assert_int_eq(store_bulk_add(s, &r), 0);
            int cls = !upd[k] ? 0 : u >= upd[k] ? 1 : 2;
            want[cls]++;
            if (cls < 2) {
                upd[k] = u;
                snprintf(comment[k], sizeof comment[k], "%s", c);
            }
        }
        store_bulk_counts c;
        ck_assert_int_eq(store_bulk_end(s, &c), 0);
        ck_assert_int_eq(store_commit(s), 0);
        ck_assert_msg(c.inserted == want[0] && c.replaced == want[1] && c.ignored == want[2],
                      "case %d: got %lld/%lld/%lld, want %lld/%lld/%lld", v, c.inserted, c.replaced,
                      c.ignored, want[0], want[1], want[2]);
        tally t;
        memset(&t, 0, sizeof t);
        ck_assert_int_eq(store_scan_responses(s, NULL, count_rows, &t), 0);
        ck_assert_int_eq(t.n, N - (again[v][0] >= 0));
        ck_assert_str_eq(t.first_id, "k00000");
        ck_assert_str_eq(t.first_comment, comment[0]);
        ck_assert_str_eq(t.k19989, comment[19989]);
        done(_i, s);
    }
}
END_TEST

/* Re-importing a source whose keys come in ascending order leaves the
 * rows equal to (or older than) their stored row out of the staging; the
 * counts stay those of row-by-row upserts when a key comes again after
 * the order breaks (equal rows then count as replacing, as with any
 * repeat), when it comes again older, and when nothing repeats. */
START_TEST(bulk_reimport_leaves_out_unchanged_rows)
{
    enum { N = 10000 };
    /* tail rows after the N equal ones: id, updated_at; want new/replaced/unchanged/ignored */
    static const struct {
        const char *id[2];
        int64_t u[2];
        long long want[4];
    } v[] = {
        {{"k00005", "k20000"}, {100, 100}, {1, N + 1, 0, 0}},
        {{"k00005", "k20000"}, {50, 100}, {1, N, 0, 1}},
        {{"k20000", "k15000"}, {100, 100}, {2, 0, N, 0}},
    };
    for (size_t t = 0; t < sizeof v / sizeof *v; t++) {
        store *s = fresh(_i);
        cx_response r;
        store_bulk_counts c;
        for (int pass = 0; pass < 2; pass++) {
            ck_assert_int_eq(store_begin(s), 0);
            ck_assert_int_eq(store_bulk_begin(s), 0);
            for (int i = 0; i < N; i++) {
                char id[16];
                snprintf(id, sizeof id, "k%05d", i);
                resp(&r, "csv", id, 100, i % 11, "same");
                ck_assert_int_eq(store_bulk_add(s, &r), 0);
            }
            for (int j = 0; pass && j < 2; j++) {
                resp(&r, "csv", v[t].id[j], v[t].u[j], 5, "same");
                ck_assert_int_eq(store_bulk_add(s, &r), 0);
            }
            ck_assert_int_eq(store_bulk_end(s, &c), 0);
            ck_assert_int_eq(store_commit(s), 0);
        }
        ck_assert_msg(c.inserted == v[t].want[0] && c.replaced == v[t].want[1] &&
                          c.unchanged == v[t].want[2] && c.ignored == v[t].want[3],
                      "case %zu: got %lld/%lld/%lld/%lld", t, c.inserted, c.replaced, c.unchanged, c.ignored);
        tally n;
        memset(&n, 0, sizeof n);
        ck_assert_int_eq(store_scan_responses(s, NULL, count_rows, &n), 0);
        ck_assert_int_eq(n.n, N + v[t].want[0]);
        done(_i, s);
    }
}
END_TEST

/* The attribute JSON written for the bulk load equals cJSON's
 * (attrs_to_json, what a row upsert stores), escapes included. */
START_TEST(bulk_attrs_json_equals_cjson)
{
    static const char *const v[] = {"",
                                    "plain",
                                    "quote\" back\\slash",
                                    "tab\tnl\ncr\rff\fbs\b",
                                    "\x01\x1f\x7f",
                                    "caf\xc3\xa9 \xe2\x82\xac",
                                    "/slash</script>"};
    size_t nv = sizeof v / sizeof *v;
    for (size_t n = 0; n <= nv; n++) {
        cx_attr a[8];
        for (size_t i = 0; i < n; i++) {
            a[i].key = v[(i + 3) % nv];
            a[i].value = v[i];
        }
        char *want = attrs_to_json(a, n);
        char got[1024];
        ck_assert_ptr_nonnull(want);
        ck_assert_int_ge(sq_attrs_json(a, n, got, sizeof got), 0);
        ck_assert_str_eq(got, want);
        free(want);
    }
}
END_TEST

int main(void)
{
    int backends = store_backends("test_store_bulk");
    Suite *s = suite_create("store_bulk");
    TCase *tc = tcase_create("bulk");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, bulk_equals_row_by_row, 0, backends);
    tcase_add_loop_test(tc, bulk_first_import_with_duplicates, 0, backends);
    tcase_add_loop_test(tc, bulk_matches_model_on_random_batches, 0, backends);
    tcase_add_loop_test(tc, bulk_dropped_by_rollback, 0, backends);
    tcase_add_loop_test(tc, bulk_sets_aside_ids_held_elsewhere, 0, backends);
    tcase_add_loop_test(tc, bulk_large_first_import, 0, backends);
    tcase_add_loop_test(tc, bulk_shuffled_first_import, 0, backends);
    tcase_add_loop_test(tc, bulk_reimport_leaves_out_unchanged_rows, 0, backends);
    tcase_add_test(tc, bulk_attrs_json_equals_cjson);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
