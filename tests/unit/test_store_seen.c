/* test_store_seen.c — store.h conformance for the note of an imported
 * responses file (store_import_seen_get/put, store_rejects_again), on
 * SQLite always and on PostgreSQL when CXPULSE_PG_URI names a server
 * (tests/e2e/pg_unit.sh), under AddressSanitizer too: a note holds while
 * no response changed and the file's rejects are as many as noted, for
 * the same digest and duplicate-id setting; a bulk with a key twice drops
 * it; the rejects written again keep their bytes and order.  The import
 * around it: tests/e2e/import_again.inc.  Fixtures: store_fixture.h.
 */
#include "store_fixture.h"

/* An import of SOURCE's "f.csv" as ingest/import.c runs one: its rows
 * (ids IDS, N of them, the first updated at UPDATED) in a bulk, two
 * rejects of the file, then the note of DIGEST.  0 when it committed. */
static int import(store *s, const char *const *ids, size_t n, int64_t updated, const char *digest)
{
    cx_response r;
    store_bulk_counts c;
    store_import_seen v = {(long long)n + 2, (long long)n, 0, 2, 0, ""};
    if (store_begin_load(s) != 0 || store_rejects_forget(s, "csv", "f.csv") < 0 || store_bulk_begin(s) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        resp(&r, "csv", ids[i], i == 0 ? updated : 1, 7, "fine");
        if (store_bulk_add(s, &r) != 0) return -1;
    }
    if (store_bulk_end(s, &c) != 0) return -1;
    static const char raw3[] = "a,b\0c", raw5[] = "caf\xe9";
    if (store_add_reject(s, "csv", "f.csv:3", "bad score", raw3, sizeof raw3 - 1) != 0 ||
        store_add_reject(s, "csv", "f.csv:5", "not UTF-8", raw5, sizeof raw5 - 1) != 0)
        return -1;
    if (store_import_seen_put(s, "csv", "f.csv", digest, &v) != 0) return -1;
    return store_commit(s);
}

/* The note of "f.csv" under "csv" with DIGEST, in a transaction of its
 * own: 1 (V filled), 0, -1. */
static int noted_as(store *s, const char *digest, store_import_seen *v)
{
    ck_assert_int_eq(store_begin(s), 0);
    int rc = store_import_seen_get(s, "csv", "f.csv", digest, v);
    ck_assert_int_eq(store_commit(s), 0);
    return rc;
}

typedef struct replay {
    char line[4][96];
    size_t n;
} replay;

static int on_reject(const char *source, const char *where, const char *reason, const char *raw,
                     size_t raw_len, void *ctx)
{
    replay *x = ctx;
    ck_assert_uint_lt(x->n, 4);
    char hex[24] = "";
    for (size_t i = 0; i < raw_len && i < 8; i++)
        snprintf(hex + 2 * i, sizeof hex - 2 * i, "%02x", (unsigned char)raw[i]);
    snprintf(x->line[x->n++], sizeof x->line[0], "%s %s %s %zu %s", source, where, reason, raw_len, hex);
    return 0;
}

static const char *const ids[] = {"a", "b", "c"};

START_TEST(note_answers_while_nothing_changed)
{
    store *s = fresh(_i);
    store_import_seen v;
    ck_assert_int_eq(noted_as(s, NULL, &v), 0); /* no note: no table yet */
    ck_assert_int_eq(store_add_reject(s, "csv", "g.csv:2", "other file", "x", 1), 0);
    ck_assert_int_eq(import(s, ids, 3, 1, "D1"), 0);
    memset(&v, 0x55, sizeof v);
    ck_assert_int_eq(noted_as(s, "D1", &v), 1);
    ck_assert_int_eq(v.rows, 5);
    ck_assert_int_eq(v.unchanged, 3);
    ck_assert_int_eq(v.ignored, 0);
    ck_assert_int_eq(v.rejected, 2);
    ck_assert_int_eq(v.held, 0);
    ck_assert_str_eq(v.held_by, "");
    ck_assert_int_eq(noted_as(s, NULL, &v), 1); /* any digest: worth reading the file's */
    ck_assert_int_eq(noted_as(s, "D2", &v), 0);
    store_allow_duplicate_ids(s, 0); /* noted with them allowed (the fixture's) */
    ck_assert_int_eq(noted_as(s, "D1", &v), 0);
    store_allow_duplicate_ids(s, 1);

    /* the rejects written again: in their order, their bytes whole, after
     * every other reject; the note still holds */
    replay x = {.n = 0};
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_rejects_again(s, "csv", "f.csv", on_reject, &x), 2);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_assert_str_eq(x.line[0], "csv f.csv:3 bad score 5 612c620063");
    ck_assert_str_eq(x.line[1], "csv f.csv:5 not UTF-8 4 636166e9");
    replay all = {.n = 0};
    ck_assert_int_eq(store_scan_rejects(s, NULL, on_reject, &all), 0);
    ck_assert_uint_eq(all.n, 3);
    ck_assert_str_eq(all.line[0], "csv g.csv:2 other file 1 78");
    ck_assert_str_eq(all.line[1], x.line[0]);
    ck_assert_str_eq(all.line[2], x.line[1]);
    ck_assert_int_eq(noted_as(s, "D1", &v), 1);

    /* a transaction that changes no response leaves it (PostgreSQL: one
     * that runs no statement on responses) */
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c1", 10, NULL, 0), 0);
    ck_assert_int_eq(store_add_reject(s, "api", "page 1", "bad", "y", 1), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(noted_as(s, "D1", &v), 1);
    cx_response r;
    store_upsert_result res;
    /* one that changes a response ends it */
    resp(&r, "csv", "b", 2, 3, "changed");
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(noted_as(s, "D1", &v), 0);
    done(_i, s);
}
END_TEST

START_TEST(note_ends_with_its_rejects_or_a_key_twice)
{
    store *s = fresh(_i);
    store_import_seen v;
    ck_assert_int_eq(import(s, ids, 3, 1, "D1"), 0);
    ck_assert_int_eq(noted_as(s, "D1", &v), 1);
    /* the file's rejects taken away: not as many as noted */
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_rejects_forget(s, "csv", "f.csv"), 2);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(noted_as(s, "D1", &v), 0);
    /* noted again by the next import (a row newer: the generation moved) */
    ck_assert_int_eq(import(s, ids, 3, 5, "D1"), 0);
    ck_assert_int_eq(noted_as(s, "D1", &v), 1);
    /* a bulk with a key twice drops the note of the file */
    static const char *const twice[] = {"a", "b", "a"};
    ck_assert_int_eq(import(s, twice, 3, 9, "D1"), 0);
    ck_assert_int_eq(noted_as(s, NULL, &v), 0);
    /* and one without a digest (the file changed while read) too */
    ck_assert_int_eq(import(s, ids, 3, 9, "D1"), 0);
    ck_assert_int_eq(noted_as(s, "D1", &v), 1);
    ck_assert_int_eq(import(s, ids, 3, 12, NULL), 0);
    ck_assert_int_eq(noted_as(s, NULL, &v), 0);
    done(_i, s);
}
END_TEST

int main(void)
{
    int backends = store_backends("test_store_seen");
    Suite *s = suite_create("store_seen");
    TCase *tc = tcase_create("seen");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, note_answers_while_nothing_changed, 0, backends);
    tcase_add_loop_test(tc, note_ends_with_its_rejects_or_a_key_twice, 0, backends);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
