/* test_nps.c — NPS, Wald SE, adjusted-Wald CI and the change test.
 * Expected values computed independently with Python 3 + scipy
 * (scipy.stats.norm.ppf / norm.sf) implementing docs/methods.md by hand; the
 * script is reproduced in docs/methods.md ("Checking the numbers").  */
#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdlib.h>
#include "stats/nps.h"
#include "stats/npspart.h"
#include "stats/trend.h"
#include <stdio.h>
#include <string.h>

#define TOL 1e-8

typedef struct {
    int p, a, d;
    double conf, nps, se, lo, hi;
} nps_case;

/* Python/scipy: est(P,A,D,conf) → nps, Wald se, adjusted-Wald lo, hi. */
static const nps_case cases[] = {
    {3, 2, 1, .95, 33.3333333333, 30.4290309725, -26.7432587941, 71.1877032385}, /* methods.md check */
    {1, 0, 0, .95, 100, 0, -48.4986494203, 98.4986494203},                       /* n = 1 */
    {0, 0, 1, .95, -100, 0, -98.4986494203, 48.4986494203},
    {10, 0, 0, .95, 100, 0, 47.5035515448, 100},   /* all promoters, clipped */
    {0, 0, 7, .95, -100, 0, -100, -32.8122980617}, /* all detractors */
    {45, 30, 25, .95, 20, 8.12403840464, 3.77025441188, 35.0646970444},
    {0, 1, 0, .95, 0, 0, -60.0113959544, 60.0113959544}, /* one passive */
    {45, 30, 25, .90, 20, 8.12403840464, 6.28591365007, 32.5490378062},
    {120, 50, 30, .99, 45, 5.23211238411, 30.9304863453, 57.7394643936},
};

START_TEST(estimates_match_reference)
{
    const nps_case *k = &cases[_i];
    nps_counts c = {k->p, k->a, k->d};
    nps_est e = nps_estimate(&c, nps_z(k->conf));
    ck_assert_int_eq(e.n, k->p + k->a + k->d);
    ck_assert_double_eq_tol(e.nps, k->nps, 1e-9);
    ck_assert_double_eq_tol(e.se, k->se, 1e-9);
    ck_assert_double_eq_tol(e.ci_low, k->lo, 1e-9);
    ck_assert_double_eq_tol(e.ci_high, k->hi, 1e-9);
}
END_TEST

START_TEST(empty_counts_are_undefined)
{
    nps_counts c = {0, 0, 0};
    nps_est e = nps_estimate(&c, nps_z(.95));
    ck_assert(isnan(e.nps) && isnan(e.se) && isnan(e.ci_low) && isnan(e.ci_high));
}
END_TEST

START_TEST(classes)
{
    nps_counts c = {0, 0, 0};
    for (int s = 0; s <= 10; s++) nps_counts_add(&c, s);
    ck_assert_int_eq(c.d, 7);
    ck_assert_int_eq(c.a, 2);
    ck_assert_int_eq(c.p, 2);
}
END_TEST

/* Python/scipy comp(a, b, conf): diff, se, z, p, significant. */
START_TEST(change_test_matches_reference)
{
    static const struct {
        nps_counts a, b;
        double conf, diff, se, z, p;
        int sig;
    } k[] = {
        {{45, 30, 25},
         {30, 40, 30},
         .95,
         20.0,
         11.224972160321824,
         1.7817416127494958,
         0.07479137758694421,
         0},
        {{3, 2, 1},
         {1, 2, 3},
         .95,
         66.66666666666667,
         43.03314829119351,
         1.5491933384829673,
         0.12133525035848204,
         0},
        {{60, 25, 15},
         {50, 30, 20},
         .90,
         15.0,
         10.758717395675006,
         1.3942182370205187,
         0.16325171243303738,
         0},
    };
    for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
        nps_est a = nps_estimate(&k[i].a, nps_z(k[i].conf)), b = nps_estimate(&k[i].b, nps_z(k[i].conf));
        nps_change c = nps_compare(&a, &b, k[i].conf);
        ck_assert_double_eq_tol(c.diff, k[i].diff, TOL);
        ck_assert_double_eq_tol(c.se, k[i].se, TOL);
        ck_assert_double_eq_tol(c.z, k[i].z, TOL);
        ck_assert_double_eq_tol(c.p, k[i].p, TOL);
        ck_assert_int_eq(c.significant, k[i].sig);
    }
}
END_TEST

START_TEST(significant_change)
{
    /* 80/10/10 vs 20/10/70 over 100 each: z is huge, p tiny, significant. */
    nps_counts a = {80, 10, 10}, b = {20, 10, 70};
    nps_est ea = nps_estimate(&a, nps_z(.95)), eb = nps_estimate(&b, nps_z(.95));
    nps_change c = nps_compare(&ea, &eb, .95);
    ck_assert_double_eq_tol(c.diff, 120.0, TOL); /* 70 − (−50) */
    ck_assert(c.p < 1e-10);
    ck_assert_int_eq(c.significant, 1);
}
END_TEST

START_TEST(zero_se_leaves_p_undefined)
{
    nps_counts a = {10, 0, 0}, b = {5, 0, 0};
    nps_est ea = nps_estimate(&a, nps_z(.95)), eb = nps_estimate(&b, nps_z(.95));
    nps_change c = nps_compare(&ea, &eb, .95);
    ck_assert_double_eq(c.diff, 0.0);
    ck_assert(isnan(c.z) && isnan(c.p));
    ck_assert_int_eq(c.significant, -1);
}
END_TEST

START_TEST(table_groups_months_and_segments)
{
    nps_table *t = nps_table_new(1);
    /* month keys 24300 (2025-01) and 24301 (2025-02); segment "x" and missing. */
    const char *x[] = {"x"}, *none[] = {NULL}, *empty[] = {""};
    ck_assert_int_eq(nps_table_add(t, 24300, 10, x), 0);
    ck_assert_int_eq(nps_table_add(t, 24300, 3, none), 0);
    ck_assert_int_eq(nps_table_add(t, 24301, 8, x), 0);
    ck_assert_int_eq(nps_table_add(t, 24301, 9, empty), 0);
    ck_assert_int_eq(nps_table_finish(t, .95), 0);
    const nps_row *rows;
    size_t n = nps_table_rows(t, &rows);
    /* 2025-01: all, x; 2025-02: all, x; all: all, x */
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(rows[0].month, 24300);
    ck_assert_int_eq(rows[0].dim, 0);
    ck_assert_int_eq(rows[0].e.n, 2);
    ck_assert_str_eq(rows[1].segment, "x");
    ck_assert_int_eq(rows[1].e.n, 1);
    ck_assert_int_eq(rows[4].month, 0);
    ck_assert_int_eq(rows[4].e.n, 4);
    ck_assert_double_eq_tol(rows[4].e.nps, 25.0, TOL); /* P=2, D=1 of 4 */
    ck_assert_int_eq(rows[5].e.n, 2);
    const nps_change_row *ch;
    size_t nc = nps_table_changes(t, &ch);
    ck_assert_uint_eq(nc, 2); /* all/all and x: 2025-02 vs 2025-01 */
    ck_assert_int_eq(ch[0].month, 24301);
    ck_assert_int_eq(ch[0].prev_month, 24300);
    long long h[11];
    nps_table_histogram(t, 0, h);
    ck_assert_int_eq(h[10] + h[3] + h[8] + h[9], 4);
    nps_table_histogram(t, 24301, h);
    ck_assert_int_eq(h[3], 0);
    nps_table_free(t);
}
END_TEST

START_TEST(gap_month_has_no_change_row)
{
    nps_table *t = nps_table_new(0);
    ck_assert_int_eq(nps_table_add(t, 24300, 10, NULL), 0);
    ck_assert_int_eq(nps_table_add(t, 24302, 0, NULL), 0);
    ck_assert_int_eq(nps_table_finish(t, .95), 0);
    const nps_change_row *ch;
    ck_assert_uint_eq(nps_table_changes(t, &ch), 0);
    nps_table_free(t);
}
END_TEST

/* A chunk's counts (nps_part, merged into a table every 7,000 rows as the
 * chunk workers do) equal the counts of the same rows added to a table
 * one by one: 300 values of one dimension that share their length and
 * ends ("q000" .. "q299", more than a part's 64 segments: the rest go to
 * its table of their own), a second of five values and missing ones, 40
 * months (more than a part's 32). */
START_TEST(part_counts_as_table)
{
    nps_table *want = nps_table_new(2), *got = nps_table_new(2);
    nps_part *p = nps_part_new(2);
    ck_assert_ptr_nonnull(want);
    ck_assert_ptr_nonnull(got);
    ck_assert_ptr_nonnull(p);
    static const char *const small[] = {"", "phone", "web", "chat", "email", "sms"};
    char q[300][16];
    for (int i = 0; i < 300; i++) snprintf(q[i], sizeof q[i], "q%03d", i);
    uint64_t x = 88172645463325252ull;
    for (int row = 0; row < 60000; row++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* a few values often (as real segments are), the rest now and then */
        int qi = (x >> 8) % 4 ? (int)((x >> 20) % 12) : (int)((x >> 20) % 300);
        const char *sv = small[(x >> 40) % 6];
        csv_span seg[2] = {{q[qi], strlen(q[qi])}, {sv, strlen(sv)}};
        int month = 24300 + (int)((x >> 48) % 40), score = (int)((x >> 32) % 11);
        ck_assert_int_eq(nps_table_add_n(want, month, score, seg), 0);
        ck_assert_int_eq(nps_part_add(p, month, score, seg), 0);
        if (row % 7000 == 6999) {
            ck_assert_int_eq(nps_part_merge(got, p), 0);
            nps_part_clear(p);
        }
    }
    ck_assert_int_eq(nps_part_merge(got, p), 0);
    ck_assert_int_eq(nps_table_finish(want, .95), 0);
    ck_assert_int_eq(nps_table_finish(got, .95), 0);
    const nps_row *a, *b;
    size_t na = nps_table_rows(want, &a), nb = nps_table_rows(got, &b);
    ck_assert_uint_eq(na, nb);
    ck_assert_uint_gt(na, 40 * 12 + 300); /* the frequent values each month, every value in all */
    for (size_t i = 0; i < na; i++) {
        ck_assert_int_eq(a[i].month, b[i].month);
        ck_assert_uint_eq(a[i].dim, b[i].dim);
        ck_assert_str_eq(a[i].segment, b[i].segment);
        ck_assert_int_eq(a[i].c.p, b[i].c.p);
        ck_assert_int_eq(a[i].c.a, b[i].c.a);
        ck_assert_int_eq(a[i].c.d, b[i].c.d);
    }
    nps_part_free(p);
    nps_table_free(want);
    nps_table_free(got);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("nps");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, estimates_match_reference, 0, (int)(sizeof cases / sizeof *cases));
    tcase_add_test(tc, empty_counts_are_undefined);
    tcase_add_test(tc, classes);
    tcase_add_test(tc, change_test_matches_reference);
    tcase_add_test(tc, significant_change);
    tcase_add_test(tc, zero_se_leaves_p_undefined);
    tcase_add_test(tc, table_groups_months_and_segments);
    tcase_add_test(tc, gap_month_has_no_change_row);
    tcase_add_test(tc, part_counts_as_table);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
