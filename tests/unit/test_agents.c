/* test_agents.c — agent scoring's statistics (stats/agents*.c): the
 * shrinkage, ICC and prior strength, ranks and Spearman.  The accumulator
 * end to end: test_agents_acc.c; the writers: test_agents_write.c.
 *
 * Expected values were computed ONCE, independently of this code, with
 * Debian's /usr/bin/python3 (numpy 1.24, scipy 1.10): posteriors from
 * scipy.stats.dirichlet.mean/var (plus the Dirichlet covariance
 * −aP·aD/(a0²(a0+1))), z = scipy.stats.norm.ppf(0.975), ICCs from a direct
 * one-way ANOVA over the individual 0/1 values (numpy sums of squares, not
 * the per-group shortcut used in the C code), ranks from
 * scipy.stats.rankdata(method='min'), Spearman from scipy.stats.spearmanr.
 * The comment beside each vector names the call.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/model.h"
#include "core/timeparse.h"
#include "stats/agents.h"

#include "run_suite.h"

#define TOL 1e-9
#define Z95 1.959963984540054 /* scipy.stats.norm.ppf(0.975) */

/* ---- agent_shrink ---- */

typedef struct shrink_case {
    nps_counts c;
    double m, nps, sd, lo, hi;
} shrink_case;

/* π = (0.5 promoters, 0.2 detractors).  scipy.stats.dirichlet.mean/var of
 * alpha = counts + m·(0.5, 0.3, 0.2); sd = 100·sqrt(var P + var D − 2 cov). */
static const shrink_case shrink_cases[] = {
    {{1, 0, 0}, 10, 36.36363636363636, 22.268088570756163, -7.281015239593728, 80.00828796686645},
    {{20, 0, 0}, 10, 76.66666666666667, 10.035778289606451, 56.99690266220904, 96.3364306711243},
    {{0, 0, 15}, 10, -48.00000000000001, 15.80652250958932, -78.98021483961674, -17.01978516038327},
    {{7, 2, 3}, 10, 31.818181818181813, 17.08657753536619, -1.6708947701870756, 65.3072584065507},
    {{1, 0, 0}, 2, 53.333333333333336, 35.90109871423003, -17.031527151974764, 100.0},
    {{0, 1, 0}, 10, 27.27272727272727, 21.640692207705605, -15.142250054892305, 69.68770460034685},
    /* m = 0: scipy.stats.dirichlet with alpha = counts (7, 2, 3): the raw NPS. */
    {{7, 2, 3}, 0, 33.333333333333336, 23.570226039551585, -12.863460811655926, 79.5301274783226},
};

START_TEST(test_shrink_cases)
{
    const shrink_case *k = &shrink_cases[_i];
    agent_shrunk s = agent_shrink(&k->c, 0.5, 0.2, k->m, Z95);
    ck_assert_double_eq_tol(s.nps, k->nps, TOL);
    ck_assert_double_eq_tol(s.sd, k->sd, TOL);
    ck_assert_double_eq_tol(s.ci_low, k->lo, TOL);
    ck_assert_double_eq_tol(s.ci_high, k->hi, TOL);
}
END_TEST

START_TEST(test_shrink_full_pooling)
{
    nps_counts c = {20, 0, 0};
    agent_shrunk s = agent_shrink(&c, 0.5, 0.2, INFINITY, Z95);
    ck_assert_double_eq_tol(s.nps, 30.0, TOL);
    ck_assert_double_eq(s.sd, 0.0);
    ck_assert_double_eq(s.ci_low, s.nps);
    ck_assert_double_eq(s.ci_high, s.nps);
}
END_TEST

START_TEST(test_shrink_raw_all_promoters)
{
    /* m = 0, a = (20, 0, 0): NPS 100 with a degenerate posterior. */
    nps_counts c = {20, 0, 0};
    agent_shrunk s = agent_shrink(&c, 0.5, 0.2, 0.0, Z95);
    ck_assert_double_eq_tol(s.nps, 100.0, TOL);
    ck_assert_double_eq_tol(s.sd, 0.0, TOL);
    ck_assert_double_eq_tol(s.ci_low, 100.0, TOL);
    ck_assert_double_eq_tol(s.ci_high, 100.0, TOL);
    nps_counts none = {0, 0, 0};
    ck_assert(isnan(agent_shrink(&none, 0.5, 0.2, 0.0, Z95).nps));
}
END_TEST

/* ---- ICC and m ---- */

START_TEST(test_icc_against_anova)
{
    /* Direct numpy one-way ANOVA over the expanded 0/1 responses of these
     * 8 agents: promoter ICC 0.16136330905071036, detractor ICC
     * 0.1892644495392892. */
    const int64_t n[] = {16, 16, 12, 3, 30, 15, 16, 1};
    const int64_t p[] = {12, 5, 9, 2, 20, 3, 12, 0};
    const int64_t d[] = {1, 6, 1, 0, 4, 8, 1, 1};
    ck_assert_double_eq_tol(agents_icc(n, p, 8), 0.16136330905071036, TOL);
    ck_assert_double_eq_tol(agents_icc(n, d, 8), 0.1892644495392892, TOL);
}
END_TEST

START_TEST(test_icc_undefined)
{
    const int64_t n1[] = {10}, x1[] = {4};
    ck_assert(isnan(agents_icc(n1, x1, 1))); /* K < 2 */
    const int64_t n2[] = {1, 1, 1}, x2[] = {1, 0, 1};
    ck_assert(isnan(agents_icc(n2, x2, 3))); /* N − K = 0 */
    const int64_t n3[] = {5, 7}, x3[] = {0, 0};
    ck_assert(isnan(agents_icc(n3, x3, 2))); /* no variance */
    /* Identical shares (4 of 10 in each of 3 agents): numpy ANOVA gives
     * −0.11111111111111112. */
    const int64_t n4[] = {10, 10, 10}, x4[] = {4, 4, 4};
    ck_assert_double_eq_tol(agents_icc(n4, x4, 3), -0.11111111111111112, TOL);
}
END_TEST

START_TEST(test_icc_exactly_zero)
{
    /* a0 4 of 7, a1 3 of 3, a2 4 of 5: with fractions MSB = MSW = 22/105,
     * ρ = 0 exactly (the tester's f1_expected.py); in doubles MSB − MSW is
     * 5.6e-17, which gave ρ = 5.6e-17 and m = 1.8e16 instead of ∞.  The
     * NPS leaderboard with these counts as promoters (no detractors, so
     * the detractor ICC is undefined) then pools fully, as the CSAT table. */
    const int64_t n[] = {7, 3, 5}, x[] = {4, 3, 4};
    ck_assert_double_eq(agents_icc(n, x, 3), 0.0);
    ck_assert(isinf(agents_m_from_rho(agents_icc(n, x, 3))));
    /* The tolerance is relative, 1e-12 of MSB + MSW. */
    ck_assert(agents_icc_is_zero(1.0, 1.0 + 1e-13));
    ck_assert(agents_icc_is_zero(3e-20, 3e-20 * (1 - 1e-13)));
    ck_assert(!agents_icc_is_zero(1.0, 1.0 + 1e-11));
    ck_assert(!agents_icc_is_zero(3e-20, 3e-20 * (1 - 1e-11)));
    ck_assert(!agents_icc_is_zero(0.5, 0.0));
}
END_TEST

START_TEST(test_m_from_rho)
{
    ck_assert(isinf(agents_m_from_rho(-0.1)));
    ck_assert(isinf(agents_m_from_rho(0.0)));
    ck_assert(isinf(agents_m_from_rho(NAN)));
    ck_assert_double_eq(agents_m_from_rho(1.0), 0.0);
    ck_assert_double_eq_tol(agents_m_from_rho(0.2), 4.0, TOL);
}
END_TEST

/* ---- ranks and Spearman ---- */

START_TEST(test_rank_ties)
{
    /* scipy.stats.rankdata([-5, -3, -5, -1, -3], method='min') = 1 3 1 5 3 */
    const double v[] = {5, 3, 5, 1, 3};
    int r[5];
    ck_assert_int_eq(agents_rank(v, 5, 1, r), 0);
    const int want_r[] = {1, 3, 1, 5, 3};
    for (int i = 0; i < 5; i++) ck_assert_int_eq(r[i], want_r[i]);
    /* Ascending, a NaN unranked, a near tie within 1e-9 shares the rank. */
    const double w[] = {200, NAN, 100, 200 + 1e-10, 150};
    int q[5];
    ck_assert_int_eq(agents_rank(w, 5, 0, q), 0);
    const int wantq[] = {3, 0, 1, 3, 2};
    for (int i = 0; i < 5; i++) ck_assert_int_eq(q[i], wantq[i]);
}
END_TEST

START_TEST(test_spearman)
{
    /* scipy.stats.spearmanr(x, y): 0.8739804390886586, p 0.002063597796931827 */
    const double x[] = {1, 2, 2, 4, 5, 6, 7, 7, 9}, y[] = {2, 1, 4, 3, 6, 5, 9, 8, 7};
    agents_spearman_t s = agents_spearman(x, y, 9);
    ck_assert_double_eq_tol(s.r, 0.8739804390886586, TOL);
    ck_assert_double_eq_tol(s.p, 0.002063597796931827, 1e-12);
    /* scipy.stats.spearmanr: -0.2, p 0.747060078104662 */
    const double x3[] = {3.5, 1.0, 2.0, 8.0, 5.0}, y3[] = {10, 40, 30, 20, 50};
    s = agents_spearman(x3, y3, 5);
    ck_assert_double_eq_tol(s.r, -0.2, TOL);
    ck_assert_double_eq_tol(s.p, 0.747060078104662, 1e-12);
    s = agents_spearman(x3, y3, 2);
    ck_assert(isnan(s.r) && isnan(s.p));
    const double c[] = {1, 1, 1, 1, 1};
    ck_assert(isnan(agents_spearman(c, y3, 5).r));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("agents");
    TCase *tc = tcase_create("agents");
    tcase_add_loop_test(tc, test_shrink_cases, 0, (int)(sizeof shrink_cases / sizeof *shrink_cases));
    tcase_add_test(tc, test_shrink_full_pooling);
    tcase_add_test(tc, test_shrink_raw_all_promoters);
    tcase_add_test(tc, test_icc_against_anova);
    tcase_add_test(tc, test_icc_undefined);
    tcase_add_test(tc, test_icc_exactly_zero);
    tcase_add_test(tc, test_m_from_rho);
    tcase_add_test(tc, test_rank_ties);
    tcase_add_test(tc, test_spearman);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
