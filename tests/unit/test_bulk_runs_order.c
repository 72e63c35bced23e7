/* test_bulk_runs_order.c — a first import of ids in random order into an
 * empty SQLite store (sorted runs, store_sqlite_bulk_runs.c, merged by
 * resp_runs_merge.c) leaves the table's rows in key order, rowid
 * by rowid, as the analysis cache's table-order scan needs, with each key
 * once.  The merge compares the ids' 8 bytes past the head every id
 * shares before their bytes: the ids here share a head of 24 bytes, begin
 * one another ("…-7" before "…-70" before "…-700"), are equal in their 8
 * bytes past the head and differ after, and hold bytes over 0x7f; in a
 * second case they share no head and are 1 to 9 random bytes (and a
 * suffix that makes each one unique).  Cases 2 and 3 are those two with
 * runs of 1,000 rows instead of 32,768 (80 runs: a merge heap seven
 * levels deep, where a sift that goes down the wrong child or stops
 * too soon puts rows out of order).  The order
 * is checked against memcmp of (source, id), a text before a longer one
 * it begins, as SQLite's BINARY collation. */
#include "store_fixture.h"
#include "core/store/store_sqlite_bulk_int.h"
#include "test_rng.h"

enum { N = 80000 }; /* a batch loaded straight, then runs of a batch each */

static char ids[N][48];

static int cmp_text(const unsigned char *a, int an, const unsigned char *b, int bn)
{
    int c = memcmp(a, b, (size_t)(an < bn ? an : bn));
    return c ? c : (an > bn) - (an < bn);
}

START_TEST(runs_leave_rows_in_key_order)
{
    test_rng_seed(29 + (uint64_t)_i);
    resp_run_rows = _i >= 2 ? 1000 : RESP_RUN_ROWS;
    for (int i = 0; i < N; i++) { /* shapes by i; file order shuffled below */
        const char *head = "customer-feedback-2025-q";
        if (_i % 2 == 1) { /* no head shared: short ids of random bytes, unique by a suffix */
            static const char set[] = "0aZ~\x7f\xc3\xa9-";
            int len = 1 + (int)(test_rng_next() % 9);
            for (int k = 0; k < len; k++) ids[i][k] = set[test_rng_next() % (sizeof set - 1)];
            snprintf(ids[i] + len, sizeof ids[i] - (size_t)len, ".%d", i);
        } else if (i % 4 == 0) snprintf(ids[i], sizeof ids[i], "%s%d", head, i / 4); /* begin one another */
        else if (i % 4 == 1)
            snprintf(ids[i], sizeof ids[i], "%s12345678-%07d", head, i); /* same 8 past head */
        else if (i % 4 == 2)
            snprintf(ids[i], sizeof ids[i], "%s\xc3\xa9t\xc3\xa9-%d", head, i); /* over 0x7f */
        else snprintf(ids[i], sizeof ids[i], "%sz%09d", head, N - i);
    }
    for (int i = N - 1; i > 0; i--) {
        int j = (int)(test_rng_next() % (uint64_t)(i + 1));
        char t[48];
        memcpy(t, ids[i], sizeof t);
        memcpy(ids[i], ids[j], sizeof t);
        memcpy(ids[j], t, sizeof t);
    }
    store *s = fresh(0);
    cx_response r;
    store_bulk_counts c;
    ck_assert_int_eq(store_begin_load(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (int i = 0; i < N; i++) {
        resp(&r, "csv", ids[i], 1, i % 11, "");
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
    }
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(c.inserted, N);

    sqlite3 *db;
    sqlite3_stmt *q;
    ck_assert_int_eq(sqlite3_open_v2(sqlite_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_prepare_v2(db, "SELECT source, response_id FROM responses ORDER BY rowid", -1, &q, NULL),
        SQLITE_OK);
    char ps[8] = "", pid[48] = "";
    int psn = -1, pidn = 0, n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        const unsigned char *src = sqlite3_column_text(q, 0), *id = sqlite3_column_text(q, 1);
        int sn = sqlite3_column_bytes(q, 0), idn = sqlite3_column_bytes(q, 1);
        if (psn >= 0) {
            int cmp = cmp_text((const unsigned char *)ps, psn, src, sn);
            if (!cmp) cmp = cmp_text((const unsigned char *)pid, pidn, id, idn);
            ck_assert_msg(cmp < 0, "row %d: %s/%s after %s/%s", n + 1, src, id, ps, pid);
        }
        memcpy(ps, src, (size_t)sn);
        psn = sn;
        memcpy(pid, id, (size_t)idn);
        pidn = idn;
        n++;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    ck_assert_int_eq(n, N);
    resp_run_rows = RESP_RUN_ROWS;
    done(0, s);
}
END_TEST

int main(void)
{
    store_backends("test_bulk_runs_order"); /* SQLite only: the runs are its bulk's */
    Suite *s = suite_create("bulk_runs_order");
    TCase *tc = tcase_create("order");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, runs_leave_rows_in_key_order, 0, 4);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
