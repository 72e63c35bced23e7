/* test_spend_sum.c — a store's spend rows summed into the windows of a run
 * on two threads (run/run_spend.c run_spend_sum): 40,000 rows (five
 * batches and a part) from a SQLite store, against sums written out here
 * row by row (amounts in quarters: every sum exact in a double), the
 * pre and post windows of two days a customer and each customer's T1; and
 * the same through the store's connection, inside a transaction.  Also
 * with the windows summed in parts (stats/spendtab_part.c): three parts
 * (each later part's 13,000 rows outgrow its spool's buffer into a
 * temporary file), the most parts (128, 4 KiB buffers: files again),
 * the sums read back out of order; and a temporary file that cannot be
 * made. */
#include "store_fixture.h"

#include "run/run_int.h"

#include <errno.h>
#include <stdlib.h>
#include "test_rng.h"

#define N_CUST 600
#define N_ROWS 40000
#define W 30
#define FIRST_DAY 1000
#define DAYS 400

typedef struct srow {
    int cust, day;
    double amount;
} srow;

#define next test_rng_next /* reproducible rows */

static srow rows[N_ROWS];
static int want_day[N_CUST][2];

static void id_of(int c, char *buf, size_t cap) { snprintf(buf, cap, "c%03d", c); }

/* The rows into S (in a transaction), and the days each customer asks. */
static void fill(store *s, int *last)
{
    test_rng_seed(42);
    *last = 0;
    ck_assert_int_eq(store_begin(s), 0);
    char id[16];
    for (int i = 0; i < N_ROWS; i++) {
        rows[i].cust = (int)(next() % N_CUST);
        rows[i].day = FIRST_DAY + (int)(next() % DAYS);
        rows[i].amount = (double)(next() % 400) * 0.25;
        if (rows[i].day > *last) *last = rows[i].day;
        id_of(rows[i].cust, id, sizeof id);
        ck_assert_int_eq(store_add_spend(s, "billing", id, rows[i].day, rows[i].amount), 0);
    }
    ck_assert_int_eq(store_commit(s), 0);
    for (int c = 0; c < N_CUST; c++)
        for (int k = 0; k < 2; k++) want_day[c][k] = FIRST_DAY + (int)(next() % DAYS);
}

/* run_spend_sum of S against the sums of the rows, one by one, the
 * windows held PART_BYTES at a time (0: as a run does), read back from
 * the last customer to the first when BACKWARDS. */
static void check_sums_in(store *s, int last, size_t part_bytes, int backwards)
{
    spend_table *t = spend_table_new(W);
    ck_assert_ptr_nonnull(t);
    if (part_bytes) spend_table_set_part_bytes(t, part_bytes);
    spend_table_set_range(t, 1, FIRST_DAY, last);
    static long handle[N_CUST][2];
    char id[16];
    for (int c = 0; c < N_CUST; c++) {
        id_of(c, id, sizeof id);
        for (int k = 0; k < 2; k++)
            ck_assert_int_ge(handle[c][k] = spend_table_want(t, id, want_day[c][k]), 0);
        ck_assert_int_eq(spend_table_want_t1(t, id), 0);
    }
    ck_assert_int_eq(run_spend_sum(s, t), 0);
    for (int n = 0; n < N_CUST; n++) {
        int c = backwards ? N_CUST - 1 - n : n;
        id_of(c, id, sizeof id);
        double t1 = 0;
        for (int i = 0; i < N_ROWS; i++)
            if (rows[i].cust == c && rows[i].day >= last - 364 && rows[i].day <= last) t1 += rows[i].amount;
        ck_assert_msg(spend_table_t1(t, id) == t1, "%s T1 %g, want %g", id, spend_table_t1(t, id), t1);
        for (int k = 0; k < 2; k++) {
            int d = want_day[c][k];
            double pre = 0, post = 0, got_pre, got_post;
            for (int i = 0; i < N_ROWS; i++) {
                if (rows[i].cust != c) continue;
                if (rows[i].day >= d - W && rows[i].day < d) pre += rows[i].amount;
                if (rows[i].day > d && rows[i].day <= d + W) post += rows[i].amount;
            }
            ck_assert_int_eq(spend_table_windows(t, handle[c][k], &got_pre, &got_post, NULL), 0);
            ck_assert_msg(got_pre == pre && got_post == post, "%s day %d: %g/%g, want %g/%g", id, d, got_pre,
                          got_post, pre, post);
        }
    }
    spend_table_free(t);
}

static void check_sums(store *s, int last) { check_sums_in(s, last, 0, 0); }

START_TEST(sums_of_every_row)
{
    store *s = fresh(0);
    int last;
    fill(s, &last);
    check_sums(s, last); /* the scan on a connection of its own */
    ck_assert_int_eq(store_begin(s), 0);
    check_sums(s, last); /* a transaction open: the store's connection, from the scanner thread */
    ck_assert_int_eq(store_commit(s), 0);
    done(0, s);
}
END_TEST

/* 1,200 windows of 40 bytes in parts of 20,000 bytes: three parts; then
 * parts of 1 byte, capped at 128 parts; both also read back from the
 * last handle. */
START_TEST(sums_in_parts)
{
    store *s = fresh(0);
    int last;
    fill(s, &last);
    check_sums_in(s, last, 20000, 0);
    check_sums_in(s, last, 20000, 1);
    check_sums_in(s, last, 1, 0);
    check_sums_in(s, last, 1, 1);
    done(0, s);
}
END_TEST

/* A later part's rows that cannot go to a temporary file (TMPDIR names
 * no folder) end the sum, and the table says why; no sum is read as 0. */
START_TEST(a_part_without_its_file)
{
    store *s = fresh(0);
    int last;
    fill(s, &last);
    spend_table *t = spend_table_new(W);
    spend_table_set_part_bytes(t, 20000);
    spend_table_set_range(t, 1, FIRST_DAY, last);
    char id[16];
    long h = -1;
    for (int c = 0; c < N_CUST; c++) {
        id_of(c, id, sizeof id);
        for (int k = 0; k < 2; k++) ck_assert_int_ge(h = spend_table_want(t, id, want_day[c][k]), 0);
    }
    const char *old = getenv("TMPDIR");
    char *keep = old ? strdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent-folder-of-cxpulse", 1);
    ck_assert_int_ne(run_spend_sum(s, t), 0);
    if (keep) setenv("TMPDIR", keep, 1);
    else unsetenv("TMPDIR");
    free(keep);
    ck_assert_int_eq(spend_table_errno(t), ENOENT);
    double pre = 1, post = 1;
    ck_assert_int_eq(spend_table_windows(t, h, &pre, &post, NULL), -1);
    ck_assert(pre == 0 && post == 0);
    spend_table_free(t);
    done(0, s);
}
END_TEST

/* A row the store's checks refuse (its day out of range, after five
 * batches) ends the sum with the store's error; the thread is joined (the
 * sanitizers' run would report one left behind). */
START_TEST(a_refused_row_ends_the_sum)
{
    store *s = fresh(0);
    int last;
    fill(s, &last);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_add_spend(s, "late", "c001", (int64_t)1 << 40, 1.0), 0);
    ck_assert_int_eq(store_commit(s), 0);
    spend_table *t = spend_table_new(W);
    spend_table_set_range(t, 1, FIRST_DAY, last);
    ck_assert_int_ge(spend_table_want(t, "c001", FIRST_DAY + 10), 0);
    ck_assert_int_eq(run_spend_sum(s, t), -1);
    ck_assert_msg(strstr(store_error(s), "outside the accepted date range"), "%s", store_error(s));
    spend_table_free(t);
    done(0, s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spend_sum");
    TCase *tc = tcase_create("spend_sum");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sums_of_every_row);
    tcase_add_test(tc, a_refused_row_ends_the_sum);
    tcase_add_test(tc, sums_in_parts);
    tcase_add_test(tc, a_part_without_its_file);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
