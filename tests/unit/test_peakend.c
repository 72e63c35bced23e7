/* test_peakend.c — peak-end values, Pearson r with Fisher-z intervals and
 * the peak-end table (stats/peakend.c through the cx accumulator).
 *
 * Expected values were computed once, independently of this code, with
 * Debian's python3 (scipy 1.10.1): scipy.stats.pearsonr(x, y) and its
 * .confidence_interval(0.95) (Fisher z), numpy.mean.  The source of each
 * vector is named next to it.
 */
#include "stats/cx.h"
#include "stats/peakend.h"

#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

#define TOL 1e-9

static void near(double got, double want, const char *what)
{
    ck_assert_msg(fabs(got - want) <= TOL * (fabs(want) > 1 ? fabs(want) : 1), "%s: got %.15g, want %.15g",
                  what, got, want);
}

START_TEST(peak_end_values)
{
    /* docs/methods.md ("Peak-end") by hand on the scale 1..5 (neutral 3). */
    const int a[] = {3, 4, 2, 5, 4}, b[] = {3, 1, 4, 5}, c[] = {4};
    near(peakend_value(a, 5, 1, 5), 4.5, "3,4,2,5,4"); /* peak 5, end 4 */
    near(peakend_value(b, 4, 1, 5), 3.0, "3,1,4,5");   /* first farthest: 1, end 5 */
    near(peakend_value(c, 1, 1, 5), 4.0, "4");
    ck_assert(isnan(peakend_value(a, 0, 1, 5)));
    const int d[] = {0, 10, 7};                      /* scale 0..10, neutral 5 */
    near(peakend_value(d, 3, 0, 10), 3.5, "0,10,7"); /* tie 0 vs 10: first (0) */
    near(moments_mean(a, 5), 3.6, "mean 3,4,2,5,4");
}
END_TEST

START_TEST(outcomes)
{
    ck_assert_int_eq(cx_mot_outcome(2, 3.0, 1, 5, -1), CX_OUT_POSITIVE); /* >= neutral */
    ck_assert_int_eq(cx_mot_outcome(2, 2.5, 1, 5, 1), CX_OUT_NEGATIVE);
    ck_assert_int_eq(cx_mot_outcome(0, NAN, 1, 5, 1), CX_OUT_POSITIVE);
    ck_assert_int_eq(cx_mot_outcome(0, NAN, 1, 5, 0), CX_OUT_NONE);
    ck_assert_int_eq(cx_mot_outcome(0, NAN, 1, 5, -1), CX_OUT_NEGATIVE);
}
END_TEST

START_TEST(pearson_fisher)
{
    double z = 1.959963984540054; /* scipy.stats.norm.ppf(0.975) */
    /* scipy: pearsonr([1..8], [2,1,4,3,7,8,6,9]) */
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8}, y[] = {2, 1, 4, 3, 7, 8, 6, 9};
    cx_corr c = cx_pearson(x, y, 8, z);
    near(c.r, 0.896421457000795, "r");
    near(c.lo, 0.520608645286509, "lo");
    near(c.hi, 0.981252773801291, "hi");
    /* scipy: pearsonr([1,2,3,5], [2,1,5,4]); n = 4 is the smallest with a CI */
    const double x4[] = {1, 2, 3, 5}, y4[] = {2, 1, 5, 4};
    c = cx_pearson(x4, y4, 4, z);
    near(c.r, 0.641426980589819, "r4");
    near(c.lo, -0.833462196309163, "lo4");
    near(c.hi, 0.991368137611533, "hi4");
    /* scipy: pearsonr([1,2,3], [1,3,2]) = 0.5; n = 3: r but no CI */
    const double x3[] = {1, 2, 3}, y3[] = {1, 3, 2};
    c = cx_pearson(x3, y3, 3, z);
    near(c.r, 0.5, "r3");
    ck_assert(isnan(c.lo) && isnan(c.hi));
    /* n < 3: no r; constant x: no r; |r| = 1: r but no CI */
    ck_assert(isnan(cx_pearson(x, y, 2, z).r));
    const double k[] = {2, 2, 2, 2};
    ck_assert(isnan(cx_pearson(k, y, 4, z).r));
    c = cx_pearson(x, x, 8, z);
    ck_assert(c.r == 1.0 && isnan(c.lo) && isnan(c.hi));
    const double neg[] = {8, 7, 6, 5, 4, 3, 2, 1};
    c = cx_pearson(x, neg, 8, z);
    ck_assert(c.r == -1.0 && isnan(c.lo));
}
END_TEST

static cx_response resp(const char *id, int score, const int *m, size_t nm, int64_t day)
{
    cx_response r;
    cx_response_clear(&r);
    r.response_id = id;
    r.score = score;
    r.responded_at = r.updated_at = day * 86400 + 3600;
    for (size_t i = 0; i < nm; i++) r.moments[i] = m[i];
    r.n_moments = nm;
    return r;
}

static const cx_peak_row *find_row(const cx_results *res, const char *dim, const char *seg)
{
    for (size_t i = 0; i < res->n_peak; i++)
        if (!strcmp(res->peak[i].dimension, dim) && !strcmp(res->peak[i].segment, seg)) return &res->peak[i];
    return NULL;
}

START_TEST(peak_table)
{
    cx_config *cfg = config_default();
    ck_assert_ptr_nonnull(cfg);
    stats_opts o = {.cfg = cfg,
                    .by = {"channel"},
                    .n_by = 1,
                    .confidence = 0.95,
                    .spend_window_days = 90,
                    .prior_strength = NAN,
                    .min_responses = 10};
    cxa *a = cxa_new(&o, NULL, NULL);
    ck_assert_ptr_nonnull(a);
    static const struct {
        int m[6];
        size_t n;
        int score;
        const char *ch;
    } rows[] = {
        {{3, 4, 2, 5, 4}, 5, 9, "phone"},
        {{3, 1, 4, 5}, 4, 6, "phone"},
        {{4}, 1, 8, "phone"},
        {{1, 2, 2}, 3, 2, "phone"},
        {{5, 5, 4}, 3, 10, "chat"},
        {{2, 3, 3, 1}, 4, 4, "chat"},
        {{3, 3, 3}, 3, 7, "chat"},
        {{0}, 0, 9, "phone"}, /* no moments */
        {{2, 2}, 2, 3, ""},   /* missing segment */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cx_response r = resp("r", rows[i].score, rows[i].m, rows[i].n, 20000);
        const char *seg[1] = {rows[i].ch[0] ? rows[i].ch : NULL};
        ck_assert_int_eq(cxa_add(a, &r, seg), 0);
    }
    char err[256];
    ck_assert_int_eq(cxa_finish(a, err, sizeof err), 0);
    const cx_results *res = cxa_results(a);
    ck_assert_uint_eq(res->n_peak, 3);
    ck_assert_str_eq(res->peak[0].dimension, "all");
    ck_assert_str_eq(res->peak[1].segment, "chat"); /* byte order */

    const cx_peak_row *p = find_row(res, "channel", "phone");
    ck_assert_ptr_nonnull(p);
    /* scipy: phone rows pe [4.5,3,4,1.5], mean [3.6,3.25,4,5/3], score [9,6,8,2] */
    ck_assert_int_eq(p->n, 4);
    near(p->mean_peak_end, 3.25, "phone mean pe");
    near(p->mean_moments, 3.12916666666667, "phone mean moments");
    near(p->r_peak_end.r, 0.997097236256688, "phone r pe");
    near(p->r_peak_end.lo, 0.863496394537696, "phone r pe lo");
    near(p->r_peak_end.hi, 0.999942319785969, "phone r pe hi");
    near(p->r_mean.r, 0.948651862520139, "phone r mean");
    near(p->r_mean.lo, -0.140888336153108, "phone r mean lo");
    near(p->r_mean.hi, 0.998954821828943, "phone r mean hi");
    /* scipy: chat rows pe [4.5,1,3], mean [14/3,2.25,3], score [10,4,7]; n = 3: no CI */
    p = find_row(res, "channel", "chat");
    ck_assert_int_eq(p->n, 3);
    near(p->mean_peak_end, 2.83333333333333, "chat mean pe");
    near(p->mean_moments, 3.30555555555556, "chat mean moments");
    near(p->r_peak_end.r, 0.996615895540124, "chat r pe");
    near(p->r_mean.r, 0.976850042765745, "chat r mean");
    ck_assert(isnan(p->r_peak_end.lo) && isnan(p->r_mean.hi));
    /* scipy: all 8 rows with moments: pe [4.5,3,4,1.5,4.5,1,3,2],
     * mean [3.6,3.25,4,5/3,14/3,2.25,3,2], score [9,6,8,2,10,4,7,3] */
    p = find_row(res, "all", "all");
    ck_assert_int_eq(p->n, 8);
    near(p->mean_peak_end, 2.9375, "all mean pe");
    near(p->mean_moments, 3.05416666666667, "all mean moments");
    near(p->r_peak_end.r, 0.934147917211754, "all r pe");
    near(p->r_peak_end.lo, 0.671507179137895, "all r pe lo");
    near(p->r_peak_end.hi, 0.988272164698968, "all r pe hi");
    near(p->r_mean.r, 0.962377619801156, "all r mean");
    /* chart bins: peak-end 4.5 twice (scores 9, 10) */
    ck_assert_uint_eq(res->n_bins, 9);
    near(res->bins[7].x, 4.5, "bin x");
    ck_assert_int_eq(res->bins[7].n_peak_end, 2);
    near(res->bins[7].score_peak_end, 9.5, "bin score");
    cxa_free(a);
    config_free(cfg);
}
END_TEST

START_TEST(month_scope)
{
    cx_config *cfg = config_default();
    stats_opts o = {.cfg = cfg, .n_by = 0, .confidence = 0.95, .spend_window_days = 90};
    o.month = 2026 * 12 + 0; /* 2026-01 */
    cxa *a = cxa_new(&o, NULL, NULL);
    const int m[] = {4, 5};
    cx_response in = resp("a", 9, m, 2, 20455);  /* 2026-01-02 (Python datetime) */
    cx_response out = resp("b", 3, m, 2, 20400); /* 2025-11-08 */
    ck_assert_int_eq(cxa_add(a, &in, NULL), 0);
    ck_assert_int_eq(cxa_add(a, &out, NULL), 0);
    char err[256];
    ck_assert_int_eq(cxa_finish(a, err, sizeof err), 0);
    ck_assert_int_eq(cxa_responses(a), 1);
    ck_assert_int_eq(cxa_results(a)->peak[0].n, 1);
    cxa_free(a);
    config_free(cfg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("peakend");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, peak_end_values);
    tcase_add_test(tc, outcomes);
    tcase_add_test(tc, pearson_fisher);
    tcase_add_test(tc, peak_table);
    tcase_add_test(tc, month_scope);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
