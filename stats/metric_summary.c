/* metric_summary.c — the findings of a CSAT or CES report
 * (stats/metric_summary_result.h) as a row of the table of analyses: it
 * reads no response; its finish reads the CSAT and CES tables
 * (stats/metrics.c) and the agents' scores (stats/agents_metric.c).  A
 * segment against the rest of its month is tested here, not with the
 * tables' test, and only when each side has --min-responses answers
 * (stats/metric_summary_compare.h; docs/methods.md "A segment against
 * the rest of its month").  The selection is the NPS summary's
 * (stats/summary.c, docs/methods.md §Summary): every comparison with a
 * p-value, agents included by their posterior z, passes the
 * Benjamini–Hochberg correction (stats/summary_fdr.c); the significant
 * ones are kept, the agents among them as one finding, the largest
 * |effect| first.
 */
#include "stats/analysis.h"
#include "stats/summary_pool.h"
#include "stats/metric_stats.h"
#include "stats/metric_summary_compare.h"
#include "stats/summary_compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The month a metric's report shows: --month, else the NPS report month,
 * else the latest month with answers of the metric (as the CSAT and CES
 * section of the NPS report: report/html_metrics.c). */
static int shown_month(const stats_result *r, int latest)
{
    if (r->month) return r->month;
    if (r->nps && r->nps->report_month) return r->nps->report_month;
    return latest;
}

/* Each ranked agent against the population: z = (shrunk − population) /
 * posterior SD, two-sided normal p; ABOVE/BELOW the side, EFFECT the gap
 * between the interval and the population.  An agent counts as a finding
 * only when its interval lies wholly on that side too (its tier). */
static int agents_found(finding_pool *p, const agent_metric_table *t)
{
    double pop = t ? t->prior_mean : NAN;
    for (size_t i = 0; t && !isnan(pop) && i < t->n_rows; i++) {
        const agent_metric_row *r = &t->rows[i];
        if (r->rank_feedback == 0 || !(r->sd > 0) || isnan(r->shrunk)) continue;
        int up = r->shrunk > pop;
        if (finding_pool_add_agent(p, r->n, r->shrunk, pop, r->ci_low, r->ci_high, r->sd, up && r->tier > 0,
                                   !up && r->tier < 0) != 0)
            return -1;
    }
    return 0;
}

/* The overall row of MONTH in the metric's table: its n, value, SD (CES;
 * NaN for CSAT) and satisfied count (CSAT); 0 when there is none. */
static int overall(const metrics_result *m, int is_csat, int month, double *n, double *value, double *sd,
                   double *x)
{
    size_t rows = is_csat ? m->n_csat : m->n_ces;
    for (size_t i = 0; i < rows; i++) {
        if (is_csat && m->csat[i].dim == 0 && m->csat[i].month == month) {
            *n = (double)m->csat[i].n, *value = m->csat[i].share, *sd = NAN,
            *x = (double)m->csat[i].satisfied;
            return 1;
        }
        if (!is_csat && m->ces[i].dim == 0 && m->ces[i].month == month) {
            *n = (double)m->ces[i].n, *value = m->ces[i].mean, *sd = m->ces[i].sd, *x = NAN;
            return 1;
        }
    }
    return 0;
}

/* The month against the same month a year before, and the trend over the
 * 12 months ending with it (weights from each month's Wald SE for a
 * share, s/sqrt(n) for a mean; months without spread are left out, as for
 * NPS: stats/trendfit.c). */
static void year_and_trend(const metrics_result *m, int is_csat, double confidence, metric_summary_part *s)
{
    double n, v, sd, x, yn, yv, ysd, yx;
    s->year_value = s->year_change = s->year_p = NAN;
    s->year_significant = -1;
    if (overall(m, is_csat, s->month, &n, &v, &sd, &x) &&
        (s->has_year = overall(m, is_csat, s->month - 12, &yn, &yv, &ysd, &yx))) {
        double stat, df;
        s->year_value = yv;
        s->year_change = v - yv;
        if (is_csat) two_proportion_test(x, n, yx, yn, &stat, &s->year_p);
        else welch_test(n, v, sd * sd, yn, yv, ysd * ysd, &stat, &df, &s->year_p);
        s->year_significant = isnan(s->year_p) ? -1 : s->year_p < 1 - confidence;
    }
    double tx[SUMMARY_TREND_MONTHS], ty[SUMMARY_TREND_MONTHS], tse[SUMMARY_TREND_MONTHS];
    size_t k = 0;
    int first = s->month - SUMMARY_TREND_MONTHS + 1;
    for (int mo = first; mo <= s->month; mo++) {
        if (!overall(m, is_csat, mo, &n, &v, &sd, &x)) continue;
        tx[k] = mo - first;
        ty[k] = v;
        tse[k] = is_csat ? sqrt(v * (1 - v) / n) : sd / sqrt(n);
        k++;
    }
    s->trend = trend_fit_wls(tx, ty, tse, k, confidence);
}

/* A group's answers as the tests take them: N, and the sum and sum of
 * squares of its scores (CSAT: the satisfied count for both). */
typedef struct sums {
    double n, s, ss;
} sums;

/* Row I of the metric's table as sums.  A CES row keeps its mean and SD:
 * Σx = n·mean, Σx² = (n − 1)·sd² + n·mean² (sd NaN for n = 1). */
static sums row_sums(const metrics_result *m, int is_csat, size_t i)
{
    if (is_csat) {
        double x = (double)m->csat[i].satisfied;
        return (sums){(double)m->csat[i].n, x, x};
    }
    const ces_row *c = &m->ces[i];
    double n = (double)c->n, var = n > 1 && !isnan(c->sd) ? c->sd * c->sd : 0;
    return (sums){n, n * c->mean, (n - 1) * var + n * c->mean * c->mean};
}

/* The overall row of MONTH as sums; 0 when there is none. */
static int month_sums(const metrics_result *m, int is_csat, int month, sums *out)
{
    size_t rows = is_csat ? m->n_csat : m->n_ces;
    for (size_t i = 0; i < rows; i++) {
        int mo = is_csat ? m->csat[i].month : m->ces[i].month;
        size_t dim = is_csat ? m->csat[i].dim : m->ces[i].dim;
        if (dim == 0 && mo == month) {
            *out = row_sums(m, is_csat, i);
            return 1;
        }
    }
    return 0;
}

/* Segment row I against the rest of its month (ALL, the month's sums)
 * for a finding: none when the segment is the whole month; none, counted
 * in S->n_small, when a side has fewer than --min-responses answers; else
 * the test of stats/metric_summary_compare.h into *V.  1 when tested. */
static int segment_test(const metrics_result *m, int is_csat, size_t i, const sums *all,
                        metric_summary_part *s, double confidence, metric_vs_rest *v)
{
    sums g = row_sums(m, is_csat, i);
    sums rest = {all->n - g.n, all->s - g.s, all->ss - g.ss};
    if (!(rest.n > 0)) return 0;
    if (!summary_testable((int64_t)g.n, (int64_t)rest.n, s->min_responses)) {
        s->n_small++;
        return 0;
    }
    if (is_csat) csat_compare_adjusted(g.s, g.n, rest.s, rest.n, confidence, v);
    else ces_compare_pooled(g.n, g.s, g.ss, rest.n, rest.s, rest.ss, confidence, v);
    return 1;
}

/* One metric's part: IS_CSAT picks the table. */
static int part(const stats_result *r, int is_csat, metric_summary_part *s)
{
    const metrics_result *m = r->metrics;
    size_t n = is_csat ? m->n_csat : m->n_ces;
    int latest = 0;
    for (size_t i = 0; i < n; i++) {
        int mo = is_csat ? m->csat[i].month : m->ces[i].month;
        if (mo > latest) latest = mo;
    }
    s->fdr = 1.0 - r->confidence;
    s->month = n ? shown_month(r, latest) : 0;
    s->trend = trend_fit_wls(NULL, NULL, NULL, 0, r->confidence);
    if (!s->month) return 0;
    year_and_trend(m, is_csat, r->confidence, s);
    finding_pool p = {NULL, 0, 0, 0}; /* names borrowed from the tables */
    int rc = 0;
    sums all;
    if (!month_sums(m, is_csat, s->month, &all)) all = (sums){0, 0, 0};
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int month = is_csat ? m->csat[i].month : m->ces[i].month;
        size_t dim = is_csat ? m->csat[i].dim : m->ces[i].dim;
        if (month != s->month || dim == 0) continue;
        metric_vs_rest v;
        if (!segment_test(m, is_csat, i, &all, s, r->confidence, &v)) continue;
        finding f = {FIND_SEGMENT,
                     dim,
                     (char *)(is_csat ? m->csat[i].segment : m->ces[i].segment),
                     is_csat ? m->csat[i].n : m->ces[i].n,
                     is_csat ? m->csat[i].share : m->ces[i].mean,
                     v.rest,
                     v.diff,
                     v.p,
                     0,
                     0,
                     NAN};
        rc = finding_pool_add(&p, &f);
    }
    const agents_metric_result *am = r->agents_metric;
    if (rc == 0 && am) rc = agents_found(&p, is_csat ? &am->csat : &am->ces);
    return finding_pool_finish(&p, rc, s->fdr, s->findings, &s->n_tests, &s->n_significant, &s->n_findings);
}

/* ---- the summary as a row of the table of analyses ---- */

static void *ms_create(const analysis_env *env)
{
    metric_summary *s = calloc(1, sizeof *s);
    if (s) s->csat.min_responses = s->ces.min_responses = env->o->min_responses;
    return s;
}

static int ms_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    metric_summary *s = acc;
    if (out->metrics && (part(out, 1, &s->csat) != 0 || part(out, 0, &s->ces) != 0))
        return analysis_oom("metric summary", err, errlen);
    out->metric_summary = s;
    return 0;
}

static void ms_destroy(void *acc) { free(acc); }

const analysis analysis_metric_summary = {
    NULL, 0, ANALYSIS_DERIVED, ms_create, analysis_add_none, ms_finish, ms_destroy, NULL,
};
