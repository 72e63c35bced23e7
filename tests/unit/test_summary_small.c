/* test_summary_small.c — the summary's two-group test stays honest for
 * small and one-class groups (stats/summary_compare.c), and the summary
 * (stats/summary.c) neither tests a segment with fewer than
 * --min-responses on a side nor lists one response as a finding.
 *
 * Expected values computed independently with python3 (scipy 1.10.1,
 * statsmodels 0.13.5): each side's NPS as the weighted mean of the class
 * score (+1 promoter, 0 passive, −1 detractor) with the adjusted-Wald
 * weights P + .75, A + 1.5, D + .75, by
 *   d = statsmodels.stats.weightstats.DescrStatsW([1, 0, -1], weights=w, ddof=0)
 *   mean = d.mean; var = d.var / d.sum_weights
 *   z = (mean_a − mean_b) / sqrt(var_a + var_b); p = 2 * scipy.stats.norm.sf(|z|)
 * and the Benjamini–Hochberg q by
 *   statsmodels.stats.multitest.multipletests(p, alpha=0.05, method='fdr_bh')[1].
 * The old Wald test gave p = 0 for the first case (SE 0 on the one-response
 * side) and 5e-40 for the second.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "finish_fixture.h"
#include "run_suite.h"
#include "stats/analysis.h"
#include "stats/nps.h"
#include "stats/summary_compare.h"
#include "stats/summary_fdr.h"

typedef struct vec {
    nps_counts a, b;
    double diff, se, z, p, q;
} vec;

static const vec V[6] = {
    {{0, 0, 1},
     {228, 132, 68},
     -137.38317757009347,
     37.670515260446116,
     -1.6491138867648001,
     0.099124305206281627,
     0.14868645780942244},
    {{10, 0, 0},
     {30, 30, 40},
     110.00000000000001,
     17.081794489609894,
     5.0715874634745735,
     3.9451087328506724e-07,
     1.1835326198552018e-06},
    {{5, 3, 2},
     {50, 30, 20},
     0,
     22.828774830090776,
     -0.26498533365602761,
     0.79102076012801847,
     0.9251950072304419},
    {{0, 0, 12},
     {60, 25, 15},
     -145,
     15.063542139223566,
     -8.211171001160352,
     2.1904166945408439e-16,
     1.3142500167245063e-15},
    {{3, 2, 1},
     {100, 50, 50},
     8.3333333333333321,
     25.649911974591021,
     -0.093891926494120509,
     0.9251950072304419,
     0.9251950072304419},
    {{40, 30, 30},
     {30, 30, 40},
     20,
     11.530868644097051,
     1.6839560251252752,
     0.092190167632119235,
     0.14868645780942244},
};

static void near(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want)), "got %.17g, want %.17g", got, want);
}

START_TEST(adjusted_test_and_bh)
{
    double p[6], q[6];
    for (int i = 0; i < 6; i++) {
        nps_change c = summary_compare(&V[i].a, &V[i].b, 0.95);
        near(c.diff, V[i].diff);
        near(c.se, V[i].se);
        near(c.z, V[i].z);
        ck_assert_msg(fabs(c.p - V[i].p) <= 1e-9 * V[i].p, "case %d: p %.17g, want %.17g", i, c.p, V[i].p);
        ck_assert_int_eq(c.significant, V[i].p < 0.05);
        p[i] = c.p;
    }
    ck_assert_int_eq(fdr_bh_adjust(p, 6, q), 0);
    int sig = 0;
    for (int i = 0; i < 6; i++) {
        ck_assert_msg(fabs(q[i] - V[i].q) <= 1e-9 * V[i].q, "case %d: q %.17g, want %.17g", i, q[i], V[i].q);
        sig += q[i] < 0.05;
    }
    ck_assert_int_eq(sig, 2); /* multipletests' reject: cases 2 and 4 */
}
END_TEST

START_TEST(never_collapses)
{
    /* one response, or one class, on either or both sides: always a
     * positive SE and a p-value, never inf or NaN */
    static const nps_counts one[4] = {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {50, 0, 0}};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            nps_change c = summary_compare(&one[i], &one[j], 0.95);
            ck_assert(c.se > 0 && isfinite(c.z) && c.p > 0 && c.p <= 1);
        }
    nps_counts none = {0, 0, 0};
    nps_change c = summary_compare(&none, &one[0], 0.95);
    ck_assert(isnan(c.p) && isnan(c.diff) && c.significant == -1);
    ck_assert_int_eq(summary_testable(10, 10, 10), 1);
    ck_assert_int_eq(summary_testable(9, 1000, 10), 0);
    ck_assert_int_eq(summary_testable(1000, 9, 10), 0);
}
END_TEST

/* ---- the summary on one month (the reproducer's kiosk) ---- */

enum { MONTH = 24320, NROWS = 5 };

typedef struct fixture {
    nps_row rows[NROWS];
    nps_change vs[NROWS];
    nps_trend_pt tr[1];
    nps_result n;
    stats_result res;
} fixture;

/* The month: 228 promoters, 132 passives, 69 detractors.  store: kiosk is
 * one detractor, main the rest; queue (some responses only): long is 12
 * detractors, short 60/25/15.  vs_rest as stats/nps_analysis.c fills it
 * (the plain Wald change test). */
static void fixture_init(fixture *f)
{
    static const struct {
        size_t dim;
        const char *seg;
        nps_counts c;
    } def[NROWS] = {
        {0, "all", {228, 132, 69}}, {1, "kiosk", {0, 0, 1}},    {1, "main", {228, 132, 68}},
        {2, "long", {0, 0, 12}},    {2, "short", {60, 25, 15}},
    };
    memset(f, 0, sizeof *f);
    double z = nps_z(0.95);
    for (int i = 0; i < NROWS; i++) {
        f->rows[i] = (nps_row){MONTH, def[i].dim, def[i].seg, def[i].c, nps_estimate(&def[i].c, z)};
        f->vs[i] = (nps_change){NAN, NAN, NAN, NAN, -1};
        if (i == 0) continue;
        nps_counts rest = {def[0].c.p - def[i].c.p, def[0].c.a - def[i].c.a, def[0].c.d - def[i].c.d};
        nps_est re = nps_estimate(&rest, z);
        f->vs[i] = nps_compare(&f->rows[i].e, &re, 0.95);
    }
    f->tr[0] = (nps_trend_pt){MONTH, &f->rows[0], NULL};
    f->n.rows = f->rows;
    f->n.n_rows = NROWS;
    f->n.vs_rest = f->vs;
    f->n.trend = f->tr;
    f->n.n_trend = 1;
    f->n.report_month = MONTH;
    f->n.current = &f->rows[0];
    f->res.nps = &f->n;
    f->res.confidence = 0.95;
    f->res.window = 1;
}

/* Runs the summary row with --min-responses MIN; the caller destroys ACC. */
static const summary *run_summary(fixture *f, int min, void **acc)
{
    *acc = finish_with_min(&analysis_summary, &f->res, min);
    return f->res.summary;
}

START_TEST(one_response_is_no_finding)
{
    fixture f;
    fixture_init(&f);
    void *acc;
    const summary *s = run_summary(&f, 10, &acc);
    /* kiosk, and main against a rest of one response, are too small */
    ck_assert_uint_eq(s->n_tests, 2);
    ck_assert_uint_eq(s->n_small, 2);
    ck_assert_uint_eq(s->n_significant, 1);
    ck_assert_uint_eq(s->n_findings, 1);
    const finding *x = &s->findings[0];
    ck_assert_int_eq(x->kind, FIND_SEGMENT);
    ck_assert_str_eq(x->name, "long"); /* the real difference stays a finding */
    near(x->effect, -141.00719424460434);
    ck_assert(fabs(x->p - 7.9968165898222573e-19) <= 1e-9 * 7.9968165898222573e-19);
    ck_assert(fabs(x->q - 1.5993633179644515e-18) <= 1e-9 * 1.5993633179644515e-18);
    analysis_summary.destroy(acc);
}
END_TEST

START_TEST(one_response_tested_is_not_significant)
{
    /* with --min-responses 1 the kiosk is tested: p = 0.0991, q = 0.132 */
    fixture f;
    fixture_init(&f);
    void *acc;
    const summary *s = run_summary(&f, 1, &acc);
    ck_assert_uint_eq(s->n_tests, 4);
    ck_assert_uint_eq(s->n_small, 0);
    ck_assert_uint_eq(s->n_findings, 1);
    ck_assert_str_eq(s->findings[0].name, "long");
    ck_assert(fabs(s->findings[0].q - 3.1987266359289029e-18) <= 1e-9 * 3.1987266359289029e-18);
    analysis_summary.destroy(acc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("summary_small");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, adjusted_test_and_bh);
    tcase_add_test(tc, never_collapses);
    tcase_add_test(tc, one_response_is_no_finding);
    tcase_add_test(tc, one_response_tested_is_not_significant);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
