/* test_spend.c — spend windows at the edges of the data range,
 * spend-delta groups and the t-tests (stats/spend.c).  The spend table
 * itself: test_spend_table.c.
 *
 * Expected values were computed once, independently of this code, with
 * Debian's python3 (scipy 1.10.1, numpy 1.24): scipy.stats.ttest_1samp and
 * its .confidence_interval(), scipy.stats.ttest_ind(equal_var=False),
 * numpy.median / numpy.std(ddof=1); and with R (t.test on the sleep data,
 * values as R prints them).  The source is named next to each vector.
 */
#include "stats/cx.h"

#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

static void near_tol(double got, double want, double tol, const char *what)
{
    ck_assert_msg(fabs(got - want) <= tol * (fabs(want) > 1 ? fabs(want) : 1), "%s: got %.15g, want %.15g",
                  what, got, want);
}

static void near(double got, double want, const char *what) { near_tol(got, want, 1e-9, what); }

START_TEST(one_sample)
{
    /* scipy: d = [1.5,-0.3,2.2,0.8,3.1,-1.0,0.4,2.6]; ttest_1samp(d, 0),
     * .confidence_interval(0.95); numpy.median(d) (even n: mean of the two
     * middle values), numpy.std(d, ddof=1) */
    double d[] = {1.5, -0.3, 2.2, 0.8, 3.1, -1.0, 0.4, 2.6};
    cx_spend_row r;
    cx_spend_group(d, 8, 80.0, 89.3, 0.95, &r);
    ck_assert_int_eq(r.n, 8);
    near(r.mean_pre, 10.0, "mean pre");
    near(r.mean_post, 11.1625, "mean post");
    near(r.mean_delta, 1.1625, "mean");
    near(r.median_delta, 1.15, "median (even n)");
    near(r.sd, 1.44116768133146, "sd");
    near(r.t, 2.2815155898304, "t");
    near(r.p, 0.0565098658721711, "p");
    near(r.ci_low, -0.0423463328728848, "ci low");
    near(r.ci_high, 2.36734633287289, "ci high");
    near(r.up_share, 6.0 / 8.0, "up");
    near(r.down_share, 2.0 / 8.0, "down");
    /* scipy: .confidence_interval(0.90) */
    double d2[] = {1.5, -0.3, 2.2, 0.8, 3.1, -1.0, 0.4, 2.6};
    cx_spend_group(d2, 8, 0, 0, 0.90, &r);
    near(r.ci_low, 0.197155893564378, "ci90 low");
    near(r.ci_high, 2.12784410643562, "ci90 high");
}
END_TEST

START_TEST(small_groups)
{
    cx_spend_row r;
    double one[] = {-1.5};
    cx_spend_group(one, 1, 1.5, 0, 0.95, &r); /* n = 1: no CI, t, p */
    near(r.mean_delta, -1.5, "n1 mean");
    near(r.median_delta, -1.5, "n1 median");
    ck_assert(isnan(r.ci_low) && isnan(r.ci_high) && isnan(r.t) && isnan(r.p));
    near(r.down_share, 1.0, "n1 down");
    double same[] = {2.0, 2.0, 2.0};
    cx_spend_group(same, 3, 0, 6, 0.95, &r); /* s = 0: CI is the mean, no t, p */
    near(r.ci_low, 2.0, "s0 low");
    near(r.ci_high, 2.0, "s0 high");
    ck_assert(isnan(r.t) && isnan(r.p));
    double zeros[] = {0.0, 0.0};
    cx_spend_group(zeros, 2, 0, 0, 0.95, &r); /* zeros count neither up nor down */
    near(r.up_share, 0.0, "zeros up");
    near(r.down_share, 0.0, "zeros down");
    cx_spend_group(NULL, 0, 0, 0, 0.95, &r);
    ck_assert_int_eq(r.n, 0);
    ck_assert(isnan(r.mean_pre) && isnan(r.mean_delta) && isnan(r.up_share));
}
END_TEST

START_TEST(welch_sleep)
{
    /* R: t.test(extra ~ group, data = sleep) — Welch by default:
     *   t = -1.8608, df = 17.776, p-value = 0.07939 (print(..., digits=7):
     *   t = -1.860813, df = 17.77647, p = 0.07939414).
     * scipy.stats.ttest_ind(g1, g2, equal_var=False) to full precision:
     *   t = -1.86081346748685, p = 0.0793941401873582; df (Welch–
     *   Satterthwaite, numpy) = 17.7764735161785. */
    const double g1[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    const double g2[] = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};
    cx_spend_test t = cx_welch(g1, 10, g2, 10, 0.95);
    near_tol(t.t, -1.860813, 5e-7, "t (R)");
    near_tol(t.df, 17.77647, 5e-7, "df (R)");
    near_tol(t.p, 0.07939414, 5e-7, "p (R)");
    near(t.t, -1.86081346748685, "t");
    near(t.df, 17.7764735161785, "df");
    near(t.p, 0.0793941401873582, "p");
    near(t.mean_a, 0.75, "mean a");
    near(t.mean_b, 2.33, "mean b");
    near(t.diff, -1.58, "diff");
    ck_assert_int_eq(t.significant, 0);
    t = cx_welch(g1, 1, g2, 10, 0.95); /* n_a = 1: no test */
    ck_assert(isnan(t.t) && isnan(t.df) && isnan(t.p) && t.significant == -1);
    near(t.diff, 0.7 - 2.33, "diff n1");
    t = cx_welch(NULL, 0, g2, 10, 0.95);
    ck_assert(isnan(t.diff));
}
END_TEST

static cx_response resp(const char *id, const char *cust, int score, int64_t day)
{
    cx_response r;
    cx_response_clear(&r);
    r.response_id = id;
    r.customer_id = cust;
    r.score = score;
    r.responded_at = r.updated_at = day * 86400 + 43200;
    return r;
}

static const cx_spend_row *group(const cx_results *res, const char *by, const char *g)
{
    for (size_t i = 0; i < res->n_spend; i++)
        if (!strcmp(res->spend[i].group_by, by) && !strcmp(res->spend[i].group, g)) return &res->spend[i];
    return NULL;
}

START_TEST(windows_at_edges)
{
    cx_config *cfg = config_default();
    stats_opts o = {.cfg = cfg, .n_by = 0, .confidence = 0.95, .spend_window_days = 100};
    spend_table *t = spend_table_new(100);
    /* Spend data from day 1000 to day 1200; W = 100, so only responses on
     * day 1100 have complete windows (d−W = first, d+W = last, inclusive). */
    const struct {
        const char *c;
        int64_t day;
        double amt;
    } rows[] = {
        {"c1", 1200, 20.0}, {"c1", 1000, 10.0}, {"c1", 1099, 5.0},
        {"c1", 1100, 7.0},  {"c1", 1101, 3.0},  {"c2", 1050, 1.5},
    };
    spend_table_set_range(t, 1, 1000, 1200);
    cxa *a = cxa_new(&o, NULL, t);
    ck_assert_ptr_nonnull(a);
    cx_response r[] = {
        resp("r1", "c1", 9, 1100),  /* pre 10+5, post 3+20 (day d itself in neither) */
        resp("r2", "c2", 3, 1100),  /* pre 1.5, post 0 */
        resp("r3", "c3", 10, 1100), /* no spend at all: pre = post = 0 */
        resp("r4", "c1", 9, 1099),  /* d−W = 999 < first: left out */
        resp("r5", "c1", 9, 1101),  /* d+W = 1201 > last: left out */
        resp("r6", "", 9, 1100),    /* no customer id */
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) ck_assert_int_eq(cxa_add(a, &r[i], NULL), 0);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) /* the rows after the responses */
        ck_assert_int_eq(spend_table_add(t, rows[i].c, rows[i].day, rows[i].amt), 0);
    char err[256];
    ck_assert_int_eq(cxa_finish(a, err, sizeof err), 0);
    const cx_results *res = cxa_results(a);
    ck_assert_int_eq(cxa_spend_used(a), 3);
    ck_assert_int_eq(cxa_spend_excluded(a), 2);
    ck_assert_int_eq(cxa_spend_no_customer(a), 1);
    /* Hand computation, checked with scipy: promoters d = [8, 0]:
     * numpy.std(ddof=1) 5.65685424949238, ttest_1samp t 1, p 0.5,
     * CI(0.95) -46.8248189457284 .. 54.8248189457284 */
    const cx_spend_row *p = group(res, "nps_class", "promoter");
    ck_assert_int_eq(p->n, 2);
    near(p->mean_pre, 7.5, "pre");
    near(p->mean_post, 11.5, "post");
    near(p->mean_delta, 4.0, "mean");
    near(p->median_delta, 4.0, "median");
    near(p->sd, 5.65685424949238, "sd");
    near(p->t, 1.0, "t");
    near(p->p, 0.5, "p");
    near(p->ci_low, -46.8248189457284, "ci low");
    near(p->ci_high, 54.8248189457284, "ci high");
    near(p->up_share, 0.5, "up");
    const cx_spend_row *d = group(res, "nps_class", "detractor");
    ck_assert_int_eq(d->n, 1);
    near(d->mean_delta, -1.5, "detractor");
    ck_assert(isnan(d->ci_low) && isnan(d->p));
    ck_assert_int_eq(group(res, "nps_class", "passive")->n, 0); /* fixed rows stay */
    ck_assert_int_eq(group(res, "mot_outcome", "routine")->n, 3);
    ck_assert_int_eq(group(res, "mot_outcome", "positive")->n, 0);
    ck_assert_uint_eq(res->n_spend, 7);
    ck_assert_str_eq(res->tests[0].comparison, "promoter vs detractor");
    ck_assert(isnan(res->tests[0].t)); /* detractors n = 1 */
    near(res->tests[0].diff, 5.5, "diff");
    cxa_free(a);
    spend_table_free(t);
    config_free(cfg);
}
END_TEST

START_TEST(no_spend_data)
{
    cx_config *cfg = config_default();
    stats_opts o = {.cfg = cfg, .n_by = 0, .confidence = 0.95, .spend_window_days = 90};
    spend_table *t = spend_table_new(90); /* no range: no spend data */
    cxa *a = cxa_new(&o, NULL, t);
    cx_response r = resp("r1", "c1", 9, 1100);
    ck_assert_int_eq(cxa_add(a, &r, NULL), 0);
    char err[256];
    ck_assert_int_eq(cxa_finish(a, err, sizeof err), 0);
    ck_assert_int_eq(cxa_spend_excluded(a), 1);
    ck_assert_int_eq(cxa_results(a)->cover.has_spend, 0);
    cxa_free(a);
    a = cxa_new(&o, NULL, NULL); /* NULL spend table */
    ck_assert_int_eq(cxa_add(a, &r, NULL), 0);
    ck_assert_int_eq(cxa_finish(a, err, sizeof err), 0);
    ck_assert_int_eq(cxa_spend_excluded(a), 1);
    cxa_free(a);
    spend_table_free(t);
    config_free(cfg);
}
END_TEST

START_TEST(wilson)
{
    /* statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05,
     * method='wilson') */
    double z = 1.959963984540054; /* scipy.stats.norm.ppf(0.975) */
    cx_share s = cx_wilson(17, 20, z);
    near(s.share, 0.85, "share");
    near(s.lo, 0.639581135259243, "17/20 lo");
    near(s.hi, 0.947631254103783, "17/20 hi");
    s = cx_wilson(1478, 1714, z);
    near(s.lo, 0.845185629963407, "1478/1714 lo");
    near(s.hi, 0.877814734023988, "1478/1714 hi");
    s = cx_wilson(0, 10, z);
    near(s.lo, 0, "0/10 lo");
    near(s.hi, 0.277532799862889, "0/10 hi");
    s = cx_wilson(10, 10, z);
    near(s.lo, 0.722467200137111, "10/10 lo");
    near(s.hi, 1, "10/10 hi");
    s = cx_wilson(0, 0, z);
    ck_assert(isnan(s.share) && isnan(s.lo));
}
END_TEST

START_TEST(mot_table)
{
    cx_config *cfg = config_default();
    char *types[] = {"card_lost", "outage", "unused"};
    cfg->mot_types = types;
    cfg->n_mot_types = 3;
    stats_opts o = {.cfg = cfg, .n_by = 0, .confidence = 0.95, .spend_window_days = 10};
    spend_table *t = spend_table_new(10);
    /* Spend days 0..100; responses on day 50 have complete windows. */
    spend_table_set_range(t, 1, 0, 100);
    cxa *a = cxa_new(&o, NULL, t);
    const struct {
        const char *type, *cust;
        int score;
        int m[3];
        size_t nm;
        int64_t day;
    } rs[] = {
        {"outage", "up", 9, {4, 5, 4}, 3, 50}, /* positive, spend up */
        {"outage", "down", 10, {4, 4}, 2, 50}, /* positive, spend down */
        {"outage", "down", 3, {1, 2}, 2, 50},  /* negative, spend down */
        {"outage", "up", 8, {0}, 0, 50},       /* passive without moments: none */
        {"outage", "up", 0, {0}, 0, 95},       /* negative, window incomplete */
        {"card_lost", "up", 2, {5, 1}, 2, 50}, /* peak 5 (first of the tie), end 1: 3 ≥ 3 positive */
        {"billing", "up", 9, {4}, 1, 50},      /* routine */
    };
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++) {
        cx_response r;
        cx_response_clear(&r);
        r.response_id = "x";
        r.interaction_type = rs[i].type;
        r.customer_id = rs[i].cust;
        r.score = rs[i].score;
        r.responded_at = r.updated_at = rs[i].day * 86400;
        memcpy(r.moments, rs[i].m, sizeof rs[i].m);
        r.n_moments = rs[i].nm;
        ck_assert_int_eq(cxa_add(a, &r, NULL), 0);
    }
    ck_assert_int_eq(spend_table_add(t, "up", 0, 1), 0);
    ck_assert_int_eq(spend_table_add(t, "up", 55, 9), 0);
    ck_assert_int_eq(spend_table_add(t, "down", 45, 9), 0);
    ck_assert_int_eq(spend_table_add(t, "down", 100, 1), 0);
    char err[256];
    ck_assert_int_eq(cxa_finish(a, err, sizeof err), 0);
    const cx_results *res = cxa_results(a);
    ck_assert_uint_eq(res->n_mot, 2); /* config order, types present */
    ck_assert_str_eq(res->mot[0].type, "card_lost");
    const cx_mot_row *m = &res->mot[1];
    ck_assert_str_eq(m->type, "outage");
    ck_assert_int_eq(m->nps.n, 5);
    near(m->nps.nps, 0, "outage nps"); /* 2 P, 1 A, 2 D */
    ck_assert_int_eq(m->positive_n, 2);
    ck_assert_int_eq(m->negative_n, 2);
    ck_assert_int_eq(m->none_n, 1);
    ck_assert_int_eq(m->spend_n, 4);
    near(m->mean_peak_end, (4.5 + 4 + 1.5) / 3, "mean peak-end");
    near(m->up_after_positive.share, 0.5, "up after positive");
    near(m->down_after_negative.share, 1.0, "down after negative");
    ck_assert_int_eq(m->down_after_negative.n, 1);
    ck_assert_int_eq(res->mot[0].positive_n, 1);
    ck_assert_int_eq(res->mot_all.nps.n, 6);
    ck_assert_int_eq(nps_counts_n(&res->routine), 1);
    cxa_free(a);
    spend_table_free(t);
    cfg->mot_types = NULL;
    cfg->n_mot_types = 0;
    config_free(cfg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spend");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, one_sample);
    tcase_add_test(tc, small_groups);
    tcase_add_test(tc, welch_sleep);
    tcase_add_test(tc, windows_at_edges);
    tcase_add_test(tc, no_spend_data);
    tcase_add_test(tc, wilson);
    tcase_add_test(tc, mot_table);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
