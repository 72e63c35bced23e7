/* test_cache_import.c — run/run_cache_import.c: the analysis cache an
 * import writes into an empty SQLite store is kept only when it is exact
 * for the store the commit left: all of the import's rows, in key order,
 * and nothing else.  It is dropped (no file, no temporary file left) when
 * another write landed after the commit (a row inserted, or updated by
 * another program), when a row given to it did not reach the store, when
 * the keys did not rise (and the store did not sort them: one batch), when
 * the import rolled back.  Ids that fall over several batches are written
 * from the store's sort (store_on_sorted), a key given twice among them
 * too: the store's merge settles it, and the cache holds the row the store
 * kept.  It is not begun
 * for a store that holds rows or when CXPULSE_CACHE=off. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store/cache.h"
#include "tests/unit/cache_fixture.h"
#include "run/run.h"
#include "tests/unit/store_fixture.h"

#define N 40000 /* three cache blocks */

static char cpath[160], tpath[168];

static store *empty_store(void)
{
    unsetenv("CXPULSE_CACHE");
    store *s = fresh(0);
    snprintf(cpath, sizeof cpath, "%s.cache", sqlite_path);
    snprintf(tpath, sizeof tpath, "%s.cache.tmp", sqlite_path);
    return s;
}

static void finish(store *s)
{
    unlink(cpath);
    unlink(tpath);
    done(0, s);
}

/* Row I (ids rise with I; DOWN: they fall). */
static void row_i(cx_response *r, char *id, long i, int down)
{
    snprintf(id, 32, "r%07ld", down ? N - i : i);
    resp(r, "csv", id, 1760000000 + i, (int)(i % 11), i % 3 ? "fine" : "");
    r->responded_at = 1760000000 + i * 60;
    r->channel = i % 2 ? "phone" : "chat";
}

/* File row I of a variant (ARG) into R, its id in ID (32 bytes). */
typedef void row_maker(cx_response *r, char *id, long i, long arg);

/* An import of file rows FROM..TO-1, made by MAKE (ARG), through C's row
 * hook (C may be NULL); SKIP (or -1) a row given to the cache but not to
 * the store.  Commits; its counts. */
static store_bulk_counts load(store *s, run_import_cache *c, long from, long to, long skip, row_maker *make,
                              long arg)
{
    char id[32];
    store_bulk_counts bc;
    ck_assert_int_eq(store_begin_load(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (long i = from; i < to; i++) {
        cx_response r;
        make(&r, id, i, arg);
        if (i != skip) ck_assert_int_eq(store_bulk_add(s, &r), 0);
        if (c) run_import_cache_row(&r, c);
    }
    ck_assert_int_eq(store_bulk_end(s, &bc), 0);
    ck_assert_int_eq(store_commit(s), 0);
    return bc;
}

/* row_i, ids falling when DOWN. */
static void rising_or_falling(cx_response *r, char *id, long i, long down) { row_i(r, id, i, (int)down); }

static long long straight; /* the last import_rows' rows loaded straight */

/* load of row_i's rows: the rows inserted (those loaded straight into
 * STRAIGHT). */
static long long import_rows(store *s, run_import_cache *c, long from, long to, long skip, int down)
{
    store_bulk_counts bc = load(s, c, from, to, skip, rising_or_falling, down);
    straight = bc.straight;
    return bc.inserted;
}

static void assert_no_file(void)
{
    ck_assert_msg(access(cpath, F_OK) != 0, "a cache was kept");
    ck_assert_msg(access(tpath, F_OK) != 0, "a temporary file was left");
}

/* A new store *S and its import cache, begun, then FROM..TO-1 imported
 * (SKIP and DOWN as import_rows): the rows inserted into *INS. */
static run_import_cache *begun(store **s, long from, long to, long skip, int down, long long *ins)
{
    *s = empty_store();
    run_import_cache *c = run_import_cache_begin(*s, sqlite_path);
    ck_assert_ptr_nonnull(c);
    *ins = import_rows(*s, c, from, to, skip, down);
    return c;
}

/* C ended on S after an import of INS rows: dropped, nothing said, no
 * file left; S closed. */
static void assert_dropped(run_import_cache *c, store *s, long long ins)
{
    char note[512];
    ck_assert_int_eq(run_import_cache_end(c, s, 1, ins, straight, note, sizeof note), 0);
    ck_assert_str_eq(note, "");
    assert_no_file();
    finish(s);
}

START_TEST(kept_exact)
{
    store *s;
    long long ins;
    run_import_cache *c = begun(&s, 0, N, -1, 0, &ins);
    ck_assert_int_eq(ins, N);
    char note[512], id[STORE_GEN_MAX], gen[STORE_GEN_MAX], err[512];
    ck_assert_int_eq(straight, N);
    ck_assert_int_eq(run_import_cache_end(c, s, 1, ins, straight, note, sizeof note), 1);
    ck_assert_msg(strstr(note, "written by the import (40000 responses)") != NULL, "%s", note);
    ck_assert_int_eq(store_generation(s, id, gen), 0);
    cache_reader *r;
    ck_assert_int_eq(cache_open(cpath, id, gen, &r, err, sizeof err), 1); /* the store's generation now */
    long long mark;
    ck_assert_int_eq(cache_rows(r), N);
    ck_assert_int_eq(cache_mark(r, &mark), 1);
    ck_assert_int_eq(mark, N);
    cache_close(r);
    ck_assert_msg(access(tpath, F_OK) != 0, "a temporary file was left");
    finish(s);
}
END_TEST

START_TEST(dropped_after_another_insert)
{
    store *s;
    long long ins;
    run_import_cache *c = begun(&s, 0, N, -1, 0, &ins);
    import_rows(s, NULL, N, N + 1, -1, 0); /* another writer's row, after the commit */
    assert_dropped(c, s, ins);
}
END_TEST

START_TEST(dropped_after_another_update)
{
    store *s;
    long long ins;
    run_import_cache *c = begun(&s, 0, N, -1, 0, &ins);
    /* another program (its triggers move the generation) changes a score:
     * the counts stay, the store's rows are not the cache's */
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(sqlite_path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "UPDATE responses SET score = 10 - score WHERE response_id = 'r0000007'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_dropped(c, s, ins);
}
END_TEST

START_TEST(dropped_when_a_row_missed_the_store)
{
    store *s;
    long long ins;
    run_import_cache *c = begun(&s, 0, N, 123, 0, &ins);
    ck_assert_int_eq(ins, N - 1);
    assert_dropped(c, s, ins);
}
END_TEST

START_TEST(dropped_out_of_order_or_rolled_back)
{
    store *s;
    long long ins;
    /* falling ids in one batch (loaded straight, sorted: the store shows
     * them to no one again): every row but the first left out, and not
     * the 5000 loaded straight */
    run_import_cache *c = begun(&s, 0, 5000, -1, 1, &ins);
    ck_assert_int_eq(straight, 5000);
    assert_dropped(c, s, ins);

    s = empty_store();
    c = run_import_cache_begin(s, sqlite_path);
    ck_assert_ptr_nonnull(c);
    char id[32];
    ck_assert_int_eq(store_begin_load(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (long i = 0; i < 100; i++) {
        cx_response r;
        row_i(&r, id, i, 0);
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
        run_import_cache_row(&r, c);
    }
    ck_assert_int_eq(store_rollback(s), 0);
    char note[512];
    ck_assert_int_eq(run_import_cache_end(c, s, 0, 0, 0, note, sizeof note), 0);
    assert_no_file();
    finish(s);
}
END_TEST

static int add_updated(const cx_response *r, void *ctx)
{
    *(long long *)ctx += r->updated_at;
    return 0;
}

static void sum_updated(size_t i, const cx_response *r, void *ctx)
{
    (void)i;
    *(long long *)ctx += r->updated_at;
}

/* The sum of updated_at over the rows of the cache R. */
static long long cache_updated(cache_reader *r)
{
    long long sum = 0;
    cache_each_row(r, sum_updated, &sum, NULL);
    return sum;
}

/* Falling ids over several batches: the store sorts them and shows them
 * again in key order (store_on_sorted), and the cache is written from
 * those; with a key twice among them (settled in the store's merge) too,
 * holding the row the store kept. */
/* Falling ids; file row N: row 0's key (the greatest: the merge's last)
 * again, newer. */
static void falling_then_again(cx_response *r, char *id, long i, long arg)
{
    (void)arg;
    row_i(r, id, i < N ? i : 0, 1);
    if (i == N) r->updated_at += 100;
}

START_TEST(kept_from_the_store_sort)
{
    for (int twice = 0; twice < 2; twice++) {
        store *s = empty_store();
        run_import_cache *c = run_import_cache_begin(s, sqlite_path);
        ck_assert_ptr_nonnull(c);
        char note[512], gid[STORE_GEN_MAX], gen[STORE_GEN_MAX], err[512];
        store_bulk_counts bc = load(s, c, 0, N + twice, -1, falling_then_again, 0);
        ck_assert_int_eq(bc.inserted, N);
        ck_assert_int_eq(bc.replaced, twice);
        ck_assert_int_eq(run_import_cache_end(c, s, 1, bc.inserted, bc.straight, note, sizeof note), 1);
        cache_reader *r;
        ck_assert_int_eq(store_generation(s, gid, gen), 0);
        ck_assert_int_eq(cache_open(cpath, gid, gen, &r, err, sizeof err), 1);
        ck_assert_int_eq(cache_rows(r), N);
        long long want = 0;
        ck_assert_int_eq(store_scan_responses(s, NULL, add_updated, &want), 0);
        ck_assert_int_eq(cache_updated(r), want);
        cache_close(r);
        finish(s);
    }
}
END_TEST

/* Ids in order past 65,536 rows, then row 5 again (newer) and a new id
 * among the others: the store stages those two beside the rows it loaded
 * straight, and the cache of those rows is kept as of the empty store,
 * for the next run to patch (store_appended: 1 new, 1 changed).  With two
 * rows swapped early on (the store loads both straight, the cache leaves
 * the second out) it is not kept. */
enum { L = 70000 };

/* Rising ids (rows 100 and 101 swapped when SWAPPED), then row 5 again,
 * newer, and a new id among the others. */
static void rising_then_late(cx_response *r, char *id, long i, long swapped)
{
    long k = swapped && (i == 100 || i == 101) ? 201 - i : i;
    row_i(r, id, i < L ? k : 5, 0);
    if (i == L) r->updated_at += 100;
    if (i == L + 1) snprintf(id, 32, "r0000005a");
}

START_TEST(kept_before_late_rows)
{
    for (int swapped = 0; swapped < 2; swapped++) {
        store *s = empty_store();
        run_import_cache *c = run_import_cache_begin(s, sqlite_path);
        ck_assert_ptr_nonnull(c);
        char note[512], gid[STORE_GEN_MAX], gen[STORE_GEN_MAX], err[512];
        store_bulk_counts bc = load(s, c, 0, L + 2, -1, rising_then_late, swapped);
        ck_assert_int_eq(bc.inserted, L + 1);
        ck_assert_int_eq(bc.straight, L);
        ck_assert_int_eq(run_import_cache_end(c, s, 1, bc.inserted, bc.straight, note, sizeof note),
                         !swapped);
        if (swapped) {
            assert_no_file();
            finish(s);
            continue;
        }
        ck_assert_msg(strstr(note, "(70000 responses; the next run adds the 2 given again later)") != NULL,
                      "%s", note);
        cache_reader *r;
        long long mark, added, changed;
        ck_assert_int_eq(store_generation(s, gid, gen), 0);
        ck_assert_int_eq(cache_open(cpath, gid, gen, &r, err, sizeof err), 0); /* not the store's now */
        ck_assert_int_eq(cache_open(cpath, gid, NULL, &r, err, sizeof err), 1);
        ck_assert_int_eq(cache_rows(r), L);
        ck_assert_int_eq(cache_mark(r, &mark), 1);
        ck_assert_int_eq(mark, L);
        ck_assert_int_eq(store_appended(s, cache_gen(r), mark, L, &added, &changed), 1);
        ck_assert_int_eq(added, 2);
        ck_assert_int_eq(changed, 1);
        cache_close(r);
        finish(s);
    }
}
END_TEST

START_TEST(not_begun)
{
    store *s = empty_store();
    import_rows(s, NULL, 0, 10, -1, 0);
    ck_assert_ptr_null(run_import_cache_begin(s, sqlite_path)); /* the store holds rows */
    finish(s);
    s = empty_store();
    setenv("CXPULSE_CACHE", "off", 1);
    ck_assert_ptr_null(run_import_cache_begin(s, sqlite_path));
    unsetenv("CXPULSE_CACHE");
    char note[8] = "x";
    ck_assert_int_eq(run_import_cache_end(NULL, s, 1, 0, 0, note, sizeof note), 0);
    ck_assert_str_eq(note, "");
    finish(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cache_import");
    TCase *t = tcase_create("import");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, kept_exact);
    tcase_add_test(t, dropped_after_another_insert);
    tcase_add_test(t, dropped_after_another_update);
    tcase_add_test(t, dropped_when_a_row_missed_the_store);
    tcase_add_test(t, dropped_out_of_order_or_rolled_back);
    tcase_add_test(t, kept_from_the_store_sort);
    tcase_add_test(t, kept_before_late_rows);
    tcase_add_test(t, not_begun);
    suite_add_tcase(s, t);
    return run_suite(s);
}
