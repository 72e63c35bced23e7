/* test_store_bulk.c — store_bulk_* conformance: a batch of upserts gives
 * exactly what row-by-row upserts in file order give (counts and final
 * rows), on SQLite always and on PostgreSQL when CXPULSE_PG_URI names a
 * server (tests/e2e/pg_unit.sh runs it with one).  Fixtures:
 * store_fixture.h.  Bulks past a batch (large first imports, ids in
 * random order, re-imports): test_store_bulk_large.c.
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
 * one, ignored otherwise; a row equal to the version stored before the
 * batch, while no earlier row of the batch wrote its key, is unchanged
 * instead of replaced: docs/cli.md): every bulk path of both backends —
 * first import with and without repeated keys, no key twice, keys
 * repeated, equal updated_at with equal and with different content — must
 * give the model's counts and final rows.  Fixed seed: a failure names its
 * trial. */
typedef struct model_row {
    int present;
    int batch; /* the batch that wrote the current version */
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
            long long want[4] = {0, 0, 0, 0}; /* inserted, replaced, ignored, unchanged */
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
                if (cls == 1 && x->batch != batch && u == x->updated && !strcmp(x->comment, c)) cls = 3;
                want[cls]++;
                if (cls < 2) {
                    x->present = 1;
                    x->batch = batch;
                    x->updated = u;
                    snprintf(x->comment, sizeof x->comment, "%s", c);
                }
            }
            store_bulk_counts c;
            ck_assert_int_eq(store_bulk_end(s, &c), 0);
            ck_assert_int_eq(store_commit(s), 0);
            ck_assert_msg(c.inserted == want[0] && c.replaced == want[1] && c.ignored == want[2] &&
                              c.unchanged == want[3],
                          "trial %d batch %d: got %lld/%lld/%lld/%lld, want %lld/%lld/%lld/%lld", trial,
                          batch, c.inserted, c.replaced, c.ignored, c.unchanged, want[0], want[1], want[2],
                          want[3]);
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
    tcase_add_test(tc, bulk_attrs_json_equals_cjson);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
