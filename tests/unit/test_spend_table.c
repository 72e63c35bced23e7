/* test_spend_table.c — the spend table (stats/spendtab.c): windows asked
 * for, then the rows streamed through them; sums by hand, and the exact
 * (correctly rounded) sums of python's math.fsum; window sums that are the
 * same money in decimal give a delta of exactly 0 (python's decimal
 * module), a small true delta stays.  Summed in parts: test_spend_sum.c. */
#include "stats/cx.h"

#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void near(double got, double want, const char *what)
{
    ck_assert_msg(fabs(got - want) <= 1e-9 * (fabs(want) > 1 ? fabs(want) : 1), "%s: got %.15g, want %.15g",
                  what, got, want);
}

/* CUST: when not NULL, the table finds the customers of CUST through it
 * (spend_table_use_customers); the sums must be the same. */
static void table_sums_with(const cust_table *cust)
{
    /* W = 100: the response on day 1100 has pre = days 1000..1099, post =
     * 1101..1200; the one on day 1000 pre = 900..999, post = 1001..1100. */
    spend_table *t = spend_table_new(100);
    ck_assert_ptr_nonnull(t);
    if (cust) ck_assert_int_eq(spend_table_use_customers(t, cust), 0);
    int64_t first = 0, last = 0;
    ck_assert_int_eq(spend_table_range(t, &first, &last), 0); /* no range: no spend */
    spend_table_set_range(t, 1, 1000, 1200);
    ck_assert_int_eq(spend_table_range(t, &first, &last), 1);
    ck_assert_int_eq(first, 1000);
    ck_assert_int_eq(last, 1200);
    long h1100 = spend_table_want(t, "c1", 1100), h1000 = spend_table_want(t, "c1", 1000);
    ck_assert_int_ge(h1100, 0);
    ck_assert_int_ge(h1000, 0);
    ck_assert_int_eq(h1100, 0); /* handles in the order asked */
    ck_assert_int_eq(h1000, 1);
    long again = spend_table_want(t, "c1", 1100); /* same customer and day: its own handle */
    ck_assert_int_eq(again, 2);
    long h2 = spend_table_want(t, "c2", 1100);
    ck_assert_int_eq(spend_table_want_t1(t, "c2"), 0);
    ck_assert_int_eq(spend_table_want_t1(t, "c1"), 0);
    /* Rows in any order, customers interleaved, one customer nobody asked for. */
    ck_assert_int_eq(spend_table_add(t, "c1", 1200, 20.0), 0);
    ck_assert_int_eq(spend_table_add(t, "c2", 1050, 1.5), 0);
    ck_assert_int_eq(spend_table_add(t, "c3", 1050, 99.0), 0);
    ck_assert_int_eq(spend_table_add(t, "c1", 1099, 5.0), 0);
    ck_assert_int_eq(spend_table_add(t, "c1", 1000, 10.0), 0);
    ck_assert_int_eq(spend_table_add(t, "c1", 1101, 3.0), 0);
    ck_assert_int_eq(spend_table_add(t, "c1", 1100, 7.0), 0); /* the day itself: neither */
    ck_assert_int_eq(spend_table_add(t, "c1", 1100, 0.5), 0);
    ck_assert_int_eq(spend_table_add(t, "c1", 835, 1000.0), 0); /* before T1's 365 days */
    ck_assert_int_eq(spend_table_want(t, "c1", 1150), -1);      /* too late: rows went by */
    double pre, post;
    spend_table_windows(t, h1100, &pre, &post, NULL);
    near(pre, 15.0, "pre of 1100: 1000 and 1099");
    near(post, 23.0, "post of 1100: 1101 and 1200");
    ck_assert_int_eq(spend_table_windows(t, again, &pre, &post, NULL), 0);
    near(pre, 15.0, "the same day again: the same pre");
    near(post, 23.0, "the same day again: the same post");
    spend_table_windows(t, h1000, &pre, &post, NULL);
    near(pre, 0.0, "pre of 1000: nothing in 900..999");
    near(post, 12.5, "post of 1000: 1099 (5) and 1100 (7 + 0.5)");
    spend_table_windows(t, h2, &pre, &post, NULL);
    near(pre, 1.5, "c2 pre");
    near(post, 0.0, "c2 post");
    near(spend_table_t1(t, "c1"), 45.5, "T1 = days 836..1200");
    near(spend_table_t1(t, "c2"), 1.5, "T1 of c2");
    near(spend_table_t1(t, "c3"), 0.0, "T1 not wanted");
    near(spend_table_t1(t, "nobody"), 0.0, "no customer");
    ck_assert_uint_eq(spend_table_wanted(t), 4 + 2);                   /* windows + customers */
    if (cust) ck_assert_int_eq(spend_table_use_customers(t, cust), 0); /* the same: no change */
    spend_table_free(t);
}

START_TEST(table_sums) { table_sums_with(NULL); }
END_TEST

/* The same sums when c1 and c3 are customers of the customers table and
 * c2 is not (its id is held by the spend table itself); a customers
 * table given after a window was asked for is refused. */
START_TEST(table_sums_known_customers)
{
    cust_table *cust = cust_table_new();
    ck_assert_int_eq(cust_table_add(cust, "c3", 1, NULL, 0), 0);
    ck_assert_int_eq(cust_table_add(cust, "c1", 2, NULL, 0), 0);
    table_sums_with(cust);
    spend_table *t = spend_table_new(100);
    spend_table_set_range(t, 1, 1000, 1200);
    ck_assert_int_ge(spend_table_want(t, "c1", 1100), 0);
    ck_assert_int_eq(spend_table_use_customers(t, cust), -1);
    spend_table_free(t);
    cust_table_free(cust);
}
END_TEST

START_TEST(exact_window_sums)
{
    /* Two windows with the same amounts after a large earlier purchase:
     * the sums must be equal (delta exactly 0, neither up nor down) and
     * correctly rounded — python: math.fsum([0.1, 0.2, 0.3]) = 0.6, while
     * 0.1 + 0.2 + 0.3 = 0.6000000000000001 left to right. */
    spend_table *t = spend_table_new(3);
    spend_table_set_range(t, 1, 10, 32);
    long h = spend_table_want(t, "x", 26); /* pre 23..25: none; post 27..29: none */
    long h23 = spend_table_want(t, "x", 23), h29 = spend_table_want(t, "x", 29);
    ck_assert_int_eq(spend_table_want_t1(t, "x"), 0);
    const struct {
        int64_t day;
        double amt;
    } rows[] = {
        {10, 1e6}, {20, 0.1}, {21, 0.2}, {22, 0.3}, {30, 0.3}, {31, 0.2}, {32, 0.1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        ck_assert_int_eq(spend_table_add(t, "x", rows[i].day, rows[i].amt), 0);
    double a, b, z0, z1;
    spend_table_windows(t, h23, &a, &z0, NULL); /* pre of 23: days 20..22 */
    spend_table_windows(t, h29, &z1, &b, NULL); /* post of 29: days 30..32 */
    ck_assert_msg(a == 0.6 && b == 0.6, "got %.17g and %.17g, want 0.6 twice", a, b);
    ck_assert(z0 == 0.0 && z1 == 0.0);
    spend_table_windows(t, h, &z0, &z1, NULL);
    ck_assert(z0 == 0.0 && z1 == 0.0);
    ck_assert(spend_table_t1(t, "x") == 1000001.2); /* python math.fsum */
    spend_table_free(t);
}
END_TEST

/* The rows of decimal_ties: a response on day R = 1000 of each of c1, c2,
 * c3 with W = 60 (pre 940..999, post 1001..1060), as in the reproducer of
 * the defect (amounts in cents; there spend on 2026-02-01/02 before and
 * 2026-04-01 after a response on 2026-03-01), and a
 * zero on each end of the spend data's range. */
static const struct {
    const char *c;
    int64_t day;
    double amt;
} tie_rows[] = {
    {"c1", 972, 0.10},  {"c1", 973, 0.20}, {"c1", 1031, 0.30}, {"c2", 972, 0.70}, {"c2", 973, 0.10},
    {"c2", 1031, 0.80}, {"c3", 972, 5.00}, {"c3", 1031, 5.00}, {"c3", 910, 0},    {"c3", 1092, 0},
};
#define N_TIE_ROWS (sizeof tie_rows / sizeof tie_rows[0])

/* The ties with the windows in one part (PART_BYTES 0) or one a customer
 * (1), the rows in their order or backwards. */
static void ties_with(size_t part_bytes, int backwards)
{
    spend_table *t = spend_table_new(60);
    if (part_bytes) spend_table_set_part_bytes(t, part_bytes);
    spend_table_set_range(t, 1, 910, 1092);
    const char *ids[3] = {"c1", "c2", "c3"};
    long h[3];
    for (int i = 0; i < 3; i++) ck_assert_int_ge(h[i] = spend_table_want(t, ids[i], 1000), 0);
    for (size_t k = 0; k < N_TIE_ROWS; k++) {
        size_t i = backwards ? N_TIE_ROWS - 1 - k : k;
        ck_assert_int_eq(spend_table_add(t, tie_rows[i].c, tie_rows[i].day, tie_rows[i].amt), 0);
    }
    /* python: from decimal import Decimal as D; D('0.10') + D('0.20') ==
     * D('0.30'), D('0.70') + D('0.10') == D('0.80'), D('5.00') == D('5.00'):
     * every delta is 0, while math.fsum([0.1, 0.2]) = 0.30000000000000004
     * and math.fsum([0.7, 0.1]) = 0.7999999999999999 (a delta of ±1e-16) */
    const double want[3] = {0.30, 0.80, 5.00};
    double d[3], sum_pre = 0, sum_post = 0;
    for (int i = 0; i < 3; i++) {
        double pre, post;
        ck_assert_int_eq(spend_table_windows(t, h[i], &pre, &post, NULL), 0);
        ck_assert_msg(pre == want[i] && post == want[i], "%s: pre %.17g post %.17g, want %.17g both", ids[i],
                      pre, post, want[i]);
        d[i] = post - pre;
        sum_pre += pre;
        sum_post += post;
    }
    spend_table_free(t);
    /* spend_delta.csv's row (f3_expected.py): mean_delta 0, up_share 0,
     * down_share 0, CI [0, 0]; s = 0 leaves t and p empty */
    cx_spend_row row;
    cx_spend_group(d, 3, sum_pre, sum_post, 0.95, &row);
    ck_assert(row.mean_delta == 0 && row.median_delta == 0 && row.sd == 0);
    ck_assert(row.up_share == 0 && row.down_share == 0);
    ck_assert(row.ci_low == 0 && row.ci_high == 0);
    ck_assert(isnan(row.t) && isnan(row.p));
}

START_TEST(decimal_ties)
{
    ties_with(0, 0);
    ties_with(0, 1);
    ties_with(1, 0); /* three parts: c2's and c3's rows in temporary files */
    ties_with(1, 1);
}
END_TEST

/* One response on day 100 of "x" (W = 10) with ROWS (day, amount) as its
 * spend: the two sums and the delta. */
static void sums_of(const double (*rows)[2], size_t n, double *pre, double *post, double *delta)
{
    spend_table *t = spend_table_new(10);
    spend_table_set_range(t, 1, 80, 120);
    long h = spend_table_want(t, "x", 100);
    ck_assert_int_ge(h, 0);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(spend_table_add(t, "x", (int64_t)rows[i][0], rows[i][1]), 0);
    ck_assert_int_eq(spend_table_windows(t, h, pre, post, delta), 0);
    spend_table_free(t);
}

/* Each sum is its decimal value's double at the window's amounts' most
 * places, and the delta the difference at those places (python's decimal
 * module gives each value: float(Decimal(...))); an amount of more places
 * than the rule takes (SPEND_MAX_DECIMALS, 6) turns it off for its window
 * only; the other windows and the rest of the data do not matter. */
START_TEST(decimal_sums_and_deltas)
{
    double pre, post, delta;
    /* 1000.00 before, 1000.00 + 0.01 after: Decimal 0.01 (math.fsum's
     * difference is 0.009999999999990905) */
    const double cent[][2] = {{95, 1000.00}, {105, 1000.00}, {106, 0.01}};
    sums_of(cent, 3, &pre, &post, &delta);
    ck_assert(pre == 1000.0 && post == 1000.01);
    ck_assert_msg(delta == 0.01, "delta %.17g", delta);
    /* 0.10 + 0.20 before, 0.301 after (D = 3): Decimal 0.300 and 0.301,
     * delta 0.001 (fsum's pre is 0.30000000000000004, its difference
     * 0.00099999999999994538) */
    const double mill[][2] = {{95, 0.10}, {96, 0.20}, {105, 0.301}};
    sums_of(mill, 3, &pre, &post, &delta);
    ck_assert_msg(pre == 0.3 && post == 0.301 && delta == 0.001, "%.17g %.17g %.17g", pre, post, delta);
    /* 100.10 and a refund of 100.00 before, 0.10 after: Decimal 0.10 both
     * (fsum's pre is 0.09999999999999432) */
    const double refund[][2] = {{95, 100.10}, {96, -100.00}, {105, 0.10}};
    sums_of(refund, 3, &pre, &post, &delta);
    ck_assert_msg(pre == 0.1 && post == 0.1 && delta == 0, "pre %.17g post %.17g", pre, post);
    /* 0.3 - 0.1: Decimal 0.2, where the doubles' difference is
     * 0.19999999999999998 */
    const double fifth[][2] = {{95, 0.1}, {105, 0.3}};
    sums_of(fifth, 2, &pre, &post, &delta);
    ck_assert_msg(delta == 0.2, "delta %.17g", delta);
    /* an amount of 7 places outside the windows changes nothing */
    const double seven_out[][2] = {{95, 0.10}, {96, 0.20}, {105, 0.30}, {80, 0.0000001}};
    sums_of(seven_out, 4, &pre, &post, &delta);
    ck_assert(pre == 0.3 && post == 0.3 && delta == 0);
    /* one inside: that window's sums are math.fsum's (fsum([0.1, 0.2,
     * 1e-7]) = 0.3000001; fsum([0.1, 0.2]) = 0.30000000000000004 with 1e-7
     * after), its delta their difference */
    const double seven_in[][2] = {{95, 0.10}, {96, 0.20}, {105, 0.30}, {97, 0.0000001}};
    sums_of(seven_in, 4, &pre, &post, &delta);
    ck_assert_msg(pre == 0.3000001 && post == 0.3 && delta == post - pre, "%.17g", pre);
    const double seven_post[][2] = {{95, 0.10}, {96, 0.20}, {105, 0.30}, {106, 0.0000001}};
    sums_of(seven_post, 4, &pre, &post, &delta);
    ck_assert_msg(pre == 0.30000000000000004 && post == 0.3000001 && delta == post - pre, "%.17g", pre);
}
END_TEST

/* The same money in windows of different customers, rows and places is
 * the same double, so a group's deltas of one value have no variation
 * (spend_delta.csv: sd 0, t and p empty); and T1 from spend is its decimal
 * value's double too, so customers of the same spend tie (hic.c then
 * orders them by id).  Values from python's decimal module. */
START_TEST(same_money_across_windows)
{
    spend_table *t = spend_table_new(10);
    spend_table_set_range(t, 1, 80, 120);
    const char *ids[4] = {"a", "b", "c", "d"};
    long h[4];
    for (int i = 0; i < 4; i++) {
        ck_assert_int_ge(h[i] = spend_table_want(t, ids[i], 100), 0);
        ck_assert_int_eq(spend_table_want_t1(t, ids[i]), 0);
    }
    /* deltas: a 0.1 + 0.2, b 0.3, c 0.5 - 0.2, d 0.30 + 0.0000001 outside
     * its windows (7 places: T1 only); every delta Decimal 0.3 */
    ck_assert_int_eq(spend_table_add(t, "a", 105, 0.1), 0);
    ck_assert_int_eq(spend_table_add(t, "a", 106, 0.2), 0);
    ck_assert_int_eq(spend_table_add(t, "b", 105, 0.3), 0);
    ck_assert_int_eq(spend_table_add(t, "c", 95, 0.2), 0);
    ck_assert_int_eq(spend_table_add(t, "c", 105, 0.5), 0);
    ck_assert_int_eq(spend_table_add(t, "d", 105, 0.30), 0);
    ck_assert_int_eq(spend_table_add(t, "d", 85, 0.0000001), 0);
    double d[4], pre, post, sum_pre = 0, sum_post = 0;
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(spend_table_windows(t, h[i], &pre, &post, &d[i]), 0);
        ck_assert_msg(d[i] == 0.3, "%s: delta %.17g", ids[i], d[i]);
        sum_pre += pre;
        sum_post += post;
    }
    /* T1: a 0.1 + 0.2 = Decimal 0.3 = b's; c 0.7; d 0.3000001 */
    ck_assert(spend_table_t1(t, "a") == 0.3 && spend_table_t1(t, "b") == 0.3);
    ck_assert(spend_table_t1(t, "c") == 0.7);
    ck_assert(spend_table_t1(t, "d") == 0.3000001);
    spend_table_free(t);
    cx_spend_row row;
    cx_spend_group(d, 4, sum_pre, sum_post, 0.95, &row);
    ck_assert(row.mean_delta == 0.3 && row.sd == 0 && row.up_share == 1);
    ck_assert(row.ci_low == 0.3 && row.ci_high == 0.3 && isnan(row.t) && isnan(row.p));
    cx_spend_test w = cx_welch(d, 2, d + 2, 2, 0.95); /* two groups of no variation */
    ck_assert(w.diff == 0 && isnan(w.t) && isnan(w.p));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spend_table");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, table_sums);
    tcase_add_test(tc, table_sums_known_customers);
    tcase_add_test(tc, exact_window_sums);
    tcase_add_test(tc, decimal_ties);
    tcase_add_test(tc, decimal_sums_and_deltas);
    tcase_add_test(tc, same_money_across_windows);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
