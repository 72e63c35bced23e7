/* test_fdr.c — Benjamini–Hochberg adjusted p-values (stats/summary_fdr.c).
 * Expected values worked by hand from the definition (sort ascending,
 * m·p_(j)/j, running minimum from the largest down) and checked with
 * Python 3:  o = sorted(range(m), key=p.__getitem__); run = 1
 *            for j in reversed(range(m)): run = min(run, m*p[o[j]]/(j+1)); q[o[j]] = run
 */
#include <check.h>

#include "run_suite.h"
#include "stats/summary_fdr.h"

START_TEST(step_up_with_ties)
{
    /* sorted: 1e-4 .005 .01 .03 .04 .04 .2 .9; m·p/j: .0008 .02 .02667 .06
     * .064 .05333 .22857 .9; running minimum from the top gives q */
    static const double p[8] = {0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9, 0.0001};
    static const double want[8] = {0.02666666666666667,
                                   0.05333333333333334,
                                   0.05333333333333334,
                                   0.02,
                                   0.2285714285714286,
                                   0.05333333333333334,
                                   0.9,
                                   0.0008};
    double q[8];
    ck_assert_int_eq(fdr_bh_adjust(p, 8, q), 0);
    for (int i = 0; i < 8; i++) ck_assert_double_eq_tol(q[i], want[i], 1e-15);
    /* at a 5% rate: .0001, .005, .01 pass; .03 (raw p < .05) does not */
    int pass = 0;
    for (int i = 0; i < 8; i++) pass += q[i] < 0.05;
    ck_assert_int_eq(pass, 3);
}
END_TEST

START_TEST(capped_at_one_and_single)
{
    static const double p[3] = {0.6, 0.9, 0.5};
    double q[3];
    ck_assert_int_eq(fdr_bh_adjust(p, 3, q), 0);
    for (int i = 0; i < 3; i++) ck_assert_double_eq_tol(q[i], 0.9, 1e-15); /* 3·.5/1 > 1 */
    double one = 0.03, q1 = -1;
    ck_assert_int_eq(fdr_bh_adjust(&one, 1, &q1), 0);
    ck_assert_double_eq(q1, 0.03);
    ck_assert_int_eq(fdr_bh_adjust(NULL, 0, NULL), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fdr");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, step_up_with_ties);
    tcase_add_test(tc, capped_at_one_and_single);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
