/* test_store_changed.c — core/store/store_sqlite_gen.c: the keys of the
 * responses this program updates in place are noted in cx_changed, so
 * that a cache of an older generation is patched, not rebuilt
 * (store_appended, store_scan_appended, store_first_appended; docs/cache.md).
 *
 * - An upsert equal to the stored row writes nothing: no generation moves;
 *   a bulk re-import of every row with one newer, in falling key order (so
 *   that every row is staged and merged), writes (and notes) one.
 * - Newer versions of 3 rows and 2 new rows: store_appended says 5 rows to
 *   read, 3 of them changed; the scan gives exactly those 5, in key order,
 *   in their new state; the first key is the smallest of them.
 * - A key changed in two transactions is read once.
 * - Past changed_max keys in one transaction, or in cx_changed in all, the
 *   transaction counts as a rewrite: store_appended says 0 and cx_changed
 *   is emptied.
 * - A rollback notes nothing; another program's UPDATE is a rewrite, and
 *   so is its edit of cx_changed (a key taken out would leave a cache
 *   stale).
 */
#include "store_fixture.h"

#include "core/store/store_sqlite_int.h"

#include <sqlite3.h>

#define N 200

/* Row I, updated at UPDATED with SCORE. */
static void put(store *s, long i, int64_t updated, int score)
{
    char id[24];
    cx_response r;
    snprintf(id, sizeof id, "r%04ld", i);
    resp(&r, "csv", id, updated, score, i % 2 ? "fine" : "");
    store_upsert_result res;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
}

/* A store holding rows 0..N-1 (ids r0000 …), its generation into GEN and
 * row mark into *MARK. */
static store *filled(char *gen, long long *mark)
{
    store *s = fresh(0);
    ck_assert_int_eq(store_begin(s), 0);
    for (long i = 0; i < N; i++) put(s, i, 1000, (int)(i % 11));
    ck_assert_int_eq(store_commit(s), 0);
    char id[STORE_GEN_MAX];
    ck_assert_int_eq(store_generation(s, id, gen), 0);
    ck_assert_int_eq(store_row_mark(s, mark), 0);
    return s;
}

/* SQL run by another program (the sqlite3 shell's connection: triggers on). */
static void shell(const char *sql)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(sqlite_path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Rows I in LIST (ended by -1) newer, in one transaction. */
static void newer(store *s, const long *list, int64_t updated)
{
    ck_assert_int_eq(store_begin(s), 0);
    for (; *list >= 0; list++) put(s, *list, updated, 10);
    ck_assert_int_eq(store_commit(s), 0);
}

/* The store S (N rows at generation GEN, row mark MARK) says ADDED rows
 * to read since, CHANGED of them changed; its scan of them (ADDED). */
static seen since(store *s, const char *gen, long long mark, long long added, long long changed)
{
    long long a, c;
    ck_assert_int_eq(store_appended(s, gen, mark, N, &a, &c), 1);
    ck_assert_int_eq(a, added);
    ck_assert_int_eq(c, changed);
    seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_appended(s, gen, mark, collect, &x), 0);
    ck_assert_uint_eq(x.n, (size_t)added);
    return x;
}

START_TEST(equal_rows_write_nothing)
{
    char gen[STORE_GEN_MAX], id[STORE_GEN_MAX], now[STORE_GEN_MAX];
    long long mark;
    store *s = filled(gen, &mark);
    ck_assert_int_eq(store_begin(s), 0);
    for (long i = 0; i < N; i++) put(s, i, 1000, (int)(i % 11));
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(store_generation(s, id, now), 0);
    ck_assert_str_eq(now, gen);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed"), 0);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (long i = N - 1; i >= 0; i--) {
        char rid[24];
        cx_response r;
        snprintf(rid, sizeof rid, "r%04ld", i);
        resp(&r, "csv", rid, i == 77 ? 1001 : 1000, (int)(i % 11), i % 2 ? "fine" : "");
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
    }
    store_bulk_counts bc;
    ck_assert_int_eq(store_bulk_end(s, &bc), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(bc.replaced, 1);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed"), 1);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed WHERE response_id = 'r0077'"), 1);
    done(0, s);
}
END_TEST

START_TEST(changed_rows_are_read_again)
{
    char gen[STORE_GEN_MAX];
    long long mark;
    store *s = filled(gen, &mark);
    static const long some[] = {150, 7, 42, -1};
    ck_assert_int_eq(store_begin(s), 0);
    for (const long *p = some; *p >= 0; p++) put(s, *p, 2000, 10);
    put(s, N + 1, 2000, 9); /* two new rows */
    put(s, N + 5, 2000, 9);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed"), 3);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_generation WHERE rewritten = 0"), 1);
    seen x = since(s, gen, mark, 5, 3);
    static const char *const want[] = {"r0007", "r0042", "r0150", "r0201", "r0205"};
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(x.id[i], want[i]);
        ck_assert_int_eq(x.updated[i], 2000);
    }
    char key[64];
    ck_assert_int_eq(store_first_appended(s, gen, mark, key, sizeof key), 1);
    ck_assert_str_eq(key, "csv");
    ck_assert_str_eq(key + 4, "r0007");
    /* the rows a scan of the store gives now but for those: unchanged */
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM responses WHERE updated_at = 1000"), N - 3);
    done(0, s);
}
END_TEST

START_TEST(a_key_changed_twice_is_read_once)
{
    char gen[STORE_GEN_MAX];
    long long mark;
    store *s = filled(gen, &mark);
    static const long a[] = {3, 4, -1}, b[] = {4, 9, -1};
    newer(s, a, 2000);
    newer(s, b, 3000);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed"), 4);
    seen x = since(s, gen, mark, 3, 3);
    ck_assert_str_eq(x.id[1], "r0004");
    ck_assert_int_eq(x.updated[1], 3000);
    done(0, s);
}
END_TEST

START_TEST(past_the_limit_a_rewrite)
{
    char gen[STORE_GEN_MAX], mid[STORE_GEN_MAX], id[STORE_GEN_MAX];
    long long mark, added, changed;
    store *s = filled(gen, &mark);
    SQ(s)->changed_max = 4;
    /* five keys in one transaction: the hook gives up at the fifth */
    static const long five[] = {1, 2, 3, 4, 5, -1};
    newer(s, five, 2000);
    ck_assert_int_eq(store_appended(s, gen, mark, N, &added, &changed), 0);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed"), 0);
    ck_assert_int_eq(sqlite_one("SELECT rewritten = n FROM cx_generation"), 1);
    /* three, then two: five in cx_changed, past four */
    ck_assert_int_eq(store_generation(s, id, mid), 0);
    static const long three[] = {10, 11, 12, -1}, two[] = {13, 14, -1};
    newer(s, three, 3000);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed"), 3);
    ck_assert_int_eq(store_appended(s, mid, mark, N, &added, &changed), 1);
    ck_assert_int_eq(changed, 3);
    newer(s, two, 3000);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed"), 0);
    ck_assert_int_eq(store_appended(s, mid, mark, N, &added, &changed), 0);
    done(0, s);
}
END_TEST

START_TEST(rollback_and_other_programs)
{
    char gen[STORE_GEN_MAX], id[STORE_GEN_MAX];
    long long mark, added, changed;
    store *s = filled(gen, &mark);
    ck_assert_int_eq(store_begin(s), 0);
    put(s, 20, 2000, 10);
    ck_assert_int_eq(store_rollback(s), 0);
    ck_assert_int_eq(store_begin(s), 0);
    put(s, N + 3, 2000, 10); /* an insert only */
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM cx_changed"), 0);
    ck_assert_int_eq(store_appended(s, gen, mark, N, &added, &changed), 1);
    ck_assert_int_eq(added, 1);
    ck_assert_int_eq(changed, 0);
    ck_assert_int_eq(store_generation(s, id, gen), 0);
    ck_assert_int_eq(store_row_mark(s, &mark), 0);
    shell("UPDATE responses SET score = 0 WHERE response_id = 'r0030'");
    ck_assert_int_eq(store_appended(s, gen, mark, N + 1, &added, &changed), 0);
    /* keys noted, then taken out of cx_changed by another program */
    static const long two[] = {40, 41, -1};
    ck_assert_int_eq(store_generation(s, id, gen), 0);
    newer(s, two, 4000);
    ck_assert_int_eq(store_appended(s, gen, mark, N + 1, &added, &changed), 1);
    ck_assert_int_eq(changed, 2);
    shell("DELETE FROM cx_changed WHERE response_id = 'r0041'");
    ck_assert_int_eq(store_appended(s, gen, mark, N + 1, &added, &changed), 0);
    done(0, s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_changed");
    TCase *tc = tcase_create("changed");
    tcase_add_test(tc, equal_rows_write_nothing);
    tcase_add_test(tc, changed_rows_are_read_again);
    tcase_add_test(tc, a_key_changed_twice_is_read_once);
    tcase_add_test(tc, past_the_limit_a_rewrite);
    tcase_add_test(tc, rollback_and_other_programs);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
