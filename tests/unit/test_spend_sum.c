/* test_spend_sum.c — a store's spend rows summed into the windows of a run
 * on two threads (run/run_spend.c run_spend_sum): 40,000 rows (five
 * batches and a part) from a SQLite store, against sums written out here
 * row by row (amounts in quarters: every sum exact in a double), the
 * pre and post windows of two days a customer and each customer's T1; and
 * the same through the store's connection, inside a transaction. */
#include "store_fixture.h"

#include "run/run_int.h"
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

/* run_spend_sum of S against the sums of the rows, one by one. */
static void check_sums(store *s, int last)
{
    spend_table *t = spend_table_new(W);
    ck_assert_ptr_nonnull(t);
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
    for (int c = 0; c < N_CUST; c++) {
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
            spend_table_windows(t, handle[c][k], &got_pre, &got_post);
            ck_assert_msg(got_pre == pre && got_post == post, "%s day %d: %g/%g, want %g/%g", id, d, got_pre,
                          got_post, pre, post);
        }
    }
    spend_table_free(t);
}

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
    suite_add_tcase(s, tc);
    return run_suite(s);
}
