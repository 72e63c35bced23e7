/* test_metric_stats.c — the CSAT and CES statistics (stats/metric_stats.c)
 * against scipy 1.10.1 (python3-scipy): Wilson intervals from
 * scipy.stats.binomtest(k, n).proportion_ci(method='wilson'); the pooled
 * two-proportion z with p = 2*scipy.stats.norm.sf(|z|); t intervals from
 * scipy.stats.t.interval(0.95, n-1, mean, sd/sqrt(n)); Welch from
 * scipy.stats.ttest_ind(a, b, equal_var=False) with the Welch-Satterthwaite
 * df.  All to 1e-6. */
#include <check.h>
#include <math.h>

#include "stats/metric_stats.h"

#include "run_suite.h"

#define TOL 1e-6
#define NEAR(a, b) ck_assert_msg(fabs((a) - (b)) < TOL, "%.15g vs %.15g", (double)(a), (double)(b))

START_TEST(wilson)
{
    static const double v[][4] = {
        /* k, n, low, high */
        {3, 4, 0.300641842582402, 0.954412739190299},
        {2, 2, 0.342380227506653, 1},
        {1, 2, 0.0945312057342307, 0.905468794265769},
        {1, 3, 0.0614919447203963, 0.792340399197952},
        {0, 2, 0, 0.657619772493347},
        {4, 7, 0.250458364527657, 0.84178014474853},
        {3, 3, 0.438502968244955, 1},
        {1, 4, 0.0455872608097005, 0.699358157417598},
        {37, 120, 0.232727369889163, 0.395829977238007},
        {0, 1, 0, 0.793450685622763},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        double lo, hi;
        wilson_interval(v[i][0], v[i][1], 0.95, &lo, &hi);
        NEAR(lo, v[i][2]);
        NEAR(hi, v[i][3]);
    }
    double lo, hi;
    wilson_interval(0, 0, 0.95, &lo, &hi);
    ck_assert(isnan(lo) && isnan(hi));
}
END_TEST

START_TEST(two_proportions)
{
    static const double v[][6] = {
        /* x1, n1, x2, n2, z, p */
        {1, 3, 3, 4, -1.10239637961025, 0.270289384801699},
        {0, 2, 1, 2, -1.15470053837925, 0.248213078989924},
        {37, 120, 52, 130, -1.51229251025208, 0.130459465570551},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        double z, p;
        two_proportion_test(v[i][0], v[i][1], v[i][2], v[i][3], &z, &p);
        NEAR(z, v[i][4]);
        NEAR(p, v[i][5]);
    }
    double z, p;
    two_proportion_test(2, 2, 1, 1, &z, &p); /* everyone satisfied: no standard error */
    ck_assert(isnan(z) && isnan(p));
}
END_TEST

START_TEST(t_intervals)
{
    static const struct {
        double v[6];
        int n;
        double mean, sd, lo, hi;
    } c[] = {
        {{2, 3, 5}, 3, 3.33333333333333, 1.52752523165195, -0.461249700406131, 7.1279163670728},
        {{2, 3}, 2, 2.5, 0.707106781186548, -3.85310236821605, 8.85310236821605},
        {{7, 4}, 2, 5.5, 2.12132034355964, -13.5593071046481, 24.5593071046481},
        {{2, 3, 5, 6, 7, 4}, 6, 4.5, 1.87082869338697, 2.53668569227239, 6.46331430772761},
        {{2, 3, 6}, 3, 3.66666666666667, 2.08166599946613, -1.50447834607007, 8.8378116794034},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        double s = 0, ss = 0, m, sd, lo, hi;
        for (int k = 0; k < c[i].n; k++) {
            s += c[i].v[k];
            ss += c[i].v[k] * c[i].v[k];
        }
        mean_t_interval(c[i].n, s, ss, 0.95, &m, &sd, &lo, &hi);
        NEAR(m, c[i].mean);
        NEAR(sd, c[i].sd);
        NEAR(lo, c[i].lo);
        NEAR(hi, c[i].hi);
    }
    double m, sd, lo, hi;
    mean_t_interval(1, 5, 25, 0.95, &m, &sd, &lo, &hi);
    ck_assert(m == 5 && isnan(sd) && isnan(lo) && isnan(hi));
}
END_TEST

START_TEST(welch)
{
    /* a = 6,7,4; b = 2,3,5 and a = 1,2,2,3,7,7,6; b = 4,4,5,5,5,6. */
    double t, df, p;
    welch_test(3, 17.0 / 3, 7.0 / 3, 3, 10.0 / 3, 7.0 / 3, &t, &df, &p);
    NEAR(t, 1.87082869338697);
    NEAR(df, 4);
    NEAR(p, 0.134701935318967);
    double ma = 28.0 / 7, va = (1 + 4 + 4 + 9 + 49 + 49 + 36 - 7 * ma * ma) / 6;
    double mb = 29.0 / 6, vb = (16 + 16 + 25 + 25 + 25 + 36 - 6 * mb * mb) / 5;
    welch_test(7, ma, va, 6, mb, vb, &t, &df, &p);
    NEAR(t, -0.814482258558897);
    NEAR(df, 7.16445759664493);
    NEAR(p, 0.441596864956889);
    welch_test(1, 5, 0, 3, 4, 1, &t, &df, &p); /* one answer: no variance to test */
    ck_assert(isnan(t) && isnan(df) && isnan(p));
}
END_TEST

START_TEST(clip)
{
    /* the t interval of 2, 3, 5 (scipy above) on the CES scale 1..7 */
    double lo = -0.461249700406131, hi = 7.1279163670728;
    interval_clip(&lo, &hi, 1, 7);
    ck_assert(lo == 1 && hi == 7);
    lo = 2.53668569227239, hi = 6.46331430772761; /* inside: unchanged */
    interval_clip(&lo, &hi, 1, 7);
    ck_assert(lo == 2.53668569227239 && hi == 6.46331430772761);
    lo = hi = NAN; /* one answer: still undefined */
    interval_clip(&lo, &hi, 1, 7);
    ck_assert(isnan(lo) && isnan(hi));
}
END_TEST

START_TEST(against_rest)
{
    /* The check values above, as a segment and the rest of its month:
     * 37 of 120 in a month of 89 of 250 is 37/120 against 52/130; CES
     * 1,2,2,3,7,7,6 in a month that also holds 4,4,5,5,5,6 (n 13, sum 57,
     * sum of squares 295). */
    metric_vs_rest v;
    csat_against_rest(37, 120, 89, 250, 0.95, &v);
    NEAR(v.rest, 0.4);
    NEAR(v.diff, 37.0 / 120 - 0.4);
    NEAR(v.stat, -1.51229251025208);
    NEAR(v.p, 0.130459465570551);
    ck_assert_int_eq(v.significant, 0);
    ces_against_rest(7, 28, 152, 13, 57, 295, 0.95, &v);
    NEAR(v.rest, 29.0 / 6);
    NEAR(v.diff, 4 - 29.0 / 6);
    NEAR(v.stat, -0.814482258558897);
    NEAR(v.df, 7.16445759664493);
    NEAR(v.p, 0.441596864956889);
    csat_against_rest(5, 9, 5, 9, 0.95, &v); /* the segment is the whole month */
    ck_assert(isnan(v.diff) && isnan(v.p) && v.significant == -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metric_stats");
    TCase *t = tcase_create("scipy");
    tcase_add_test(t, wilson);
    tcase_add_test(t, two_proportions);
    tcase_add_test(t, t_intervals);
    tcase_add_test(t, welch);
    tcase_add_test(t, clip);
    tcase_add_test(t, against_rest);
    suite_add_tcase(s, t);
    return run_suite(s);
}
