/* test_metric_summary_small.c — the CSAT/CES summary (stats/metric_summary.c)
 * tests a segment against the rest of its month only when each side has
 * --min-responses answers, counts the others in n_small, and tests the
 * rest with a test whose standard error does not collapse for a small or
 * one-valued segment (stats/metric_summary_compare.h).
 *
 * Expected values computed independently with python3 (numpy, scipy
 * 1.10.1, statsmodels 0.13.5):
 *   CSAT, Agresti–Caffo (x + 1 of n + 2 on each side, unpooled Wald):
 *     a = (x1+1)/(n1+2); b = (x2+1)/(n2+2)
 *     z = (a-b) / sqrt(a*(1-a)/(n1+2) + b*(1-b)/(n2+2)); p = 2*norm.sf(abs(z))
 *     (equal to statsmodels.stats.proportion.test_proportions_2indep(
 *      x1, n1, x2, n2, method='agresti-caffo') where it runs: it divides
 *      by the raw odds, so not for a share of 0 or 1)
 *   CES, pooled two-sample t on the raw answers:
 *     scipy.stats.ttest_ind(a, b, equal_var=True), or for a side of one
 *     answer statsmodels.stats.weightstats.ttest_ind(a, b, usevar='pooled')
 *   BH: statsmodels.stats.multitest.multipletests(p, method='fdr_bh')[1]
 * The CES month: "kiosk" ten answers of 4; "main" 60, 80, 90, 70, 50, 30,
 * 20 answers of 1..7 (n 400, Σx 1340, Σx² 5620); "solo" (a second --by)
 * one answer of 7 taken from main.  The old tests gave p = 0.0028 for one
 * dissatisfied answer against a month at 90% satisfied (z = −2.99; with
 * 99%: 2.3e-21) and Welch p = 9.36e-14 for kiosk against main (the
 * segment's variance 0, the SE the rest's alone); the pooled t gives
 * 0.2234.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "finish_fixture.h"
#include "run_suite.h"
#include "stats/analysis.h"
#include "stats/metric_stats.h"
#include "stats/metric_summary_compare.h"

static void near(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want)), "got %.17g, want %.17g", got, want);
}

/* P within 1e-8 relative of WANT (p-values span many decades). */
static void near_p(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= 1e-8 * want, "p %.17g, want %.17g", got, want);
}

START_TEST(csat_adjusted_vectors)
{
    static const struct {
        double x, n, xr, nr, z, p, diff;
    } V[] = {
        {0, 1, 900, 1000, -2.077864433078514, 0.037721847205061464, -0.9},
        {1, 1, 80, 100, -0.46329896405561705, 0.6431500882387902, 0.2},
        {0, 1, 990, 1000, -2.408977642798432, 0.015997277925685262, -0.99},
        {10, 20, 890, 981, -3.7980593880127707, 0.00014583338679779345, -0.40723751274209985},
        {98, 100, 802, 901, 4.123995214065313, 3.7235663365751366e-05, 0.08987791342952278},
    };
    for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
        metric_vs_rest v;
        csat_compare_adjusted(V[i].x, V[i].n, V[i].xr, V[i].nr, 0.95, &v);
        near(v.stat, V[i].z);
        near_p(v.p, V[i].p);
        near(v.diff, V[i].diff);
        near(v.rest, V[i].xr / V[i].nr);
        ck_assert(isnan(v.df));
        ck_assert_int_eq(v.significant, V[i].p < 0.05);
    }
}
END_TEST

START_TEST(ces_pooled_vectors)
{
    metric_vs_rest v;
    ces_compare_pooled(10, 40, 160, 400, 1340, 5620, 0.95, &v); /* kiosk against main */
    near(v.stat, 1.21941126579821);
    near_p(v.p, 0.22339260710858513);
    near(v.df, 408);
    near(v.diff, 0.65);
    ck_assert_int_eq(v.significant, 0);
    /* solo (one 7) against the 409 other answers of the month */
    ces_compare_pooled(1, 7, 49, 409, 1380 - 7, 5780 - 49, 0.95, &v);
    near(v.stat, 2.1942648873318227);
    near_p(v.p, 0.02877952228215305);
    near(v.diff, 3.643031784841076);
    /* two 7s against 2, 7, 7, 7, 7 */
    ces_compare_pooled(2, 14, 98, 5, 30, 200, 0.95, &v);
    near(v.stat, 0.5976143046671968);
    near_p(v.p, 0.5761317257177403);
}
END_TEST

START_TEST(never_collapses)
{
    /* one answer, or one class, on either side: a p-value strictly inside
     * (0, 1], never 0 or inf */
    static const double one[4][2] = {{0, 1}, {1, 1}, {0, 5}, {5, 5}};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            metric_vs_rest v;
            csat_compare_adjusted(one[i][0], one[i][1], one[j][0], one[j][1], 0.95, &v);
            ck_assert(isfinite(v.stat) && v.p > 0 && v.p <= 1);
        }
    metric_vs_rest v;
    /* ten answers of 1 against a month of 2s and 3s: tested, SE > 0 */
    ces_compare_pooled(10, 10, 10, 20, 50, 130, 0.95, &v);
    ck_assert(isfinite(v.stat) && v.p > 0 && v.p < 1);
    /* every answer of the month alike: no test */
    ces_compare_pooled(3, 12, 48, 7, 28, 112, 0.95, &v);
    ck_assert(isnan(v.p) && v.significant == -1);
    /* no rest: no test */
    csat_compare_adjusted(3, 4, 0, 0, 0.95, &v);
    ck_assert(isnan(v.p) && isnan(v.diff) && v.significant == -1);
}
END_TEST

/* ---- the summary on one month ---- */

enum { MONTH = 24320, NCSAT = 5, NCES = 4 };

typedef struct fixture {
    csat_row csat[NCSAT];
    ces_row ces[NCES];
    metric_vs_rest csat_rest[NCSAT], ces_rest[NCES];
    metrics_result m;
    stats_result res;
} fixture;

/* CSAT: the month 900 satisfied of 1001; store: kiosk is one dissatisfied
 * answer, main the rest; queue (some answers only): long 10 of 20, short
 * 98 of 100.  CES as in the header.  vs_rest filled as stats/metrics.c
 * fills it (the tables' tests). */
static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    static const struct {
        size_t dim;
        const char *seg;
        long long x, n;
    } cs[NCSAT] = {
        {0, "all", 900, 1001}, {1, "kiosk", 0, 1},    {1, "main", 900, 1000},
        {2, "long", 10, 20},   {2, "short", 98, 100},
    };
    for (int i = 0; i < NCSAT; i++) {
        f->csat[i] = (csat_row){
            MONTH, cs[i].dim, cs[i].seg, cs[i].n, cs[i].x, (double)cs[i].x / (double)cs[i].n, NAN, NAN};
        f->csat_rest[i] = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
        if (i) csat_against_rest(cs[i].x, cs[i].n, cs[0].x, cs[0].n, 0.95, &f->csat_rest[i]);
    }
    static const struct {
        size_t dim;
        const char *seg;
        double n, s, ss;
    } ce[NCES] = {
        {0, "all", 410, 1380, 5780},
        {1, "kiosk", 10, 40, 160},
        {1, "main", 400, 1340, 5620},
        {2, "solo", 1, 7, 49},
    };
    for (int i = 0; i < NCES; i++) {
        double mean, sd, lo, hi;
        mean_t_interval(ce[i].n, ce[i].s, ce[i].ss, 0.95, &mean, &sd, &lo, &hi);
        f->ces[i] = (ces_row){MONTH, ce[i].dim, ce[i].seg, (long long)ce[i].n, mean, sd, lo, hi};
        f->ces_rest[i] = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
        if (i)
            ces_against_rest(ce[i].n, ce[i].s, ce[i].ss, ce[0].n, ce[0].s, ce[0].ss, 0.95, &f->ces_rest[i]);
    }
    near(f->ces[0].mean, 3.3658536585365852); /* the fixture is the python one */
    near(f->ces[0].sd, 1.6659409635203877);
    near(f->ces[2].sd, 1.68362301782953);
    f->m.csat = f->csat, f->m.csat_vs_rest = f->csat_rest, f->m.n_csat = NCSAT;
    f->m.ces = f->ces, f->m.ces_vs_rest = f->ces_rest, f->m.n_ces = NCES;
    f->res.metrics = &f->m;
    f->res.month = MONTH;
    f->res.confidence = 0.95;
    f->res.window = 1;
}

/* Runs the CSAT/CES summary row with --min-responses MIN; the caller
 * destroys ACC. */
static const metric_summary *run_summary(fixture *f, int min, void **acc)
{
    *acc = finish_with_min(&analysis_metric_summary, &f->res, min);
    return f->res.metric_summary;
}

START_TEST(csat_one_answer_is_no_finding)
{
    fixture f;
    fixture_init(&f);
    void *acc;
    const metric_summary_part *s = &run_summary(&f, 10, &acc)->csat;
    /* kiosk, and main against a rest of one answer, are too small */
    ck_assert_int_eq(s->min_responses, 10);
    ck_assert_uint_eq(s->n_small, 2);
    ck_assert_uint_eq(s->n_tests, 2);
    ck_assert_uint_eq(s->n_significant, 2);
    ck_assert_uint_eq(s->n_findings, 2);
    ck_assert_str_eq(s->findings[0].name, "long"); /* the real differences stay findings */
    near(s->findings[0].effect, -0.40723751274209985);
    near_p(s->findings[0].p, 0.00014583338679779345);
    near_p(s->findings[0].q, 0.00014583338679779345);
    ck_assert_str_eq(s->findings[1].name, "short");
    near_p(s->findings[1].q, 7.447132673150273e-05);
    analysis_metric_summary.destroy(acc);
}
END_TEST

START_TEST(ces_one_valued_segment_is_no_finding)
{
    fixture f;
    fixture_init(&f);
    void *acc;
    const metric_summary_part *s = &run_summary(&f, 10, &acc)->ces;
    /* solo (one answer) too small; kiosk against main tested both ways */
    ck_assert_uint_eq(s->n_small, 1);
    ck_assert_uint_eq(s->n_tests, 2);
    ck_assert_uint_eq(s->n_significant, 0); /* Welch: p = 9.36e-14 */
    ck_assert_uint_eq(s->n_findings, 0);
    analysis_metric_summary.destroy(acc);
    /* with --min-responses 1 solo is tested too: p 0.0288 (not significant
     * after BH over three: q = 3 * 0.0288 = 0.0863) */
    s = &run_summary(&f, 1, &acc)->ces;
    ck_assert_uint_eq(s->n_small, 0);
    ck_assert_uint_eq(s->n_tests, 3);
    ck_assert_uint_eq(s->n_findings, 0);
    analysis_metric_summary.destroy(acc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metric_summary_small");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, csat_adjusted_vectors);
    tcase_add_test(tc, ces_pooled_vectors);
    tcase_add_test(tc, never_collapses);
    tcase_add_test(tc, csat_one_answer_is_no_finding);
    tcase_add_test(tc, ces_one_valued_segment_is_no_finding);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
