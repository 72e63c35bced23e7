/* test_trendfit.c — the 12-month trend slope (stats/trendfit.c): weighted
 * least squares with weights 1/SE², dispersion φ = max(1, χ²/(k−2)).
 * Expected values from Python 3 + numpy + scipy, independently:
 *   X = [1, x]; beta = lstsq(X·√w, y·√w); cov = inv(Xᵀ W X)
 *   phi = max(1, Σ w (y − X beta)² / (k − 2)); se = √(phi · cov[1,1])
 *   p = 2·norm.sf(|beta1 / se|); lo = beta1 − norm.ppf(.975)·se
 */
#include <check.h>

#include "run_suite.h"
#include <math.h>
#include "stats/trendfit.h"

static const double x[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
static const double se[12] = {4.0, 3.5, 4.2, 3.9, 4.1, 3.7, 3.8, 4.0, 4.4, 3.6, 3.9, 4.0};

START_TEST(rising_within_noise)
{
    static const double y[12] = {10.0, 12.5, 11.0, 14.2, 15.0, 13.1, 17.4, 18.0, 16.2, 20.5, 21.0, 22.3};
    trend_fit f = trend_fit_wls(x, y, se, 12, 0.95);
    ck_assert_uint_eq(f.k, 12);
    ck_assert_double_eq_tol(f.slope, 1.053364914441824, 1e-10);
    ck_assert_double_eq_tol(f.phi, 1.0, 1e-12); /* spread below sampling noise */
    ck_assert_double_eq_tol(f.se, 0.3253380882524997, 1e-10);
    ck_assert_double_eq_tol(f.p, 0.0012047436007199075, 1e-10);
    ck_assert_double_eq_tol(f.lo, 0.4157139786678109, 1e-9);
    ck_assert_int_eq(f.significant, 1);
}
END_TEST

START_TEST(noisy_months_widen_the_interval)
{
    static const double y[12] = {10.0, 30.5, 5.0, 24.2, 8.0, 33.1, 12.4, 28.0, 6.2, 30.5, 15.0, 29.3};
    trend_fit f = trend_fit_wls(x, y, se, 12, 0.95);
    ck_assert_double_eq_tol(f.slope, 0.6060520409255981, 1e-10);
    ck_assert_double_eq_tol(f.phi, 8.01254606031382, 1e-9);
    ck_assert_double_eq_tol(f.se, 0.9209163422842398, 1e-10);
    ck_assert_double_eq_tol(f.p, 0.5104759717450629, 1e-10);
    ck_assert_int_eq(f.significant, 0);
}
END_TEST

START_TEST(too_few_months)
{
    static const double y[3] = {10, 20, 30};
    static const double s0[3] = {5, 0, 5}; /* a month with SE 0 is left out */
    trend_fit f = trend_fit_wls(x, y, s0, 3, 0.95);
    ck_assert_uint_eq(f.k, 2);
    ck_assert(isnan(f.slope) && isnan(f.p));
    ck_assert_int_eq(f.significant, -1);
    f = trend_fit_wls(x, y, se, 0, 0.95);
    ck_assert(isnan(f.slope));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trendfit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, rising_within_noise);
    tcase_add_test(tc, noisy_months_widen_the_interval);
    tcase_add_test(tc, too_few_months);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
