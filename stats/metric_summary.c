/* metric_summary.c — the findings of a CSAT or CES report
 * (stats/metric_summary_result.h) as a row of the table of analyses: it
 * reads no response; its finish reads the CSAT and CES tables with their
 * segment-against-rest tests (stats/metrics.c) and the agents' scores
 * (stats/agents_metric.c).  The selection is the NPS summary's
 * (stats/summary.c, docs/methods.md §Summary): every comparison with a
 * p-value, agents included by their posterior z, passes the
 * Benjamini–Hochberg correction (stats/summary_fdr.c); the significant
 * ones are kept, the agents among them as one finding, the largest
 * |effect| first.
 */
#include "stats/analysis.h"
#include "stats/summary_fdr.h"
#include "stats/metric_stats.h"
#include "core/xsort.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every comparison with a p-value (names borrowed from the tables, which
 * outlive the result). */
typedef struct pool {
    finding *f;
    size_t n, cap;
} pool;

static int pool_add(pool *p, const finding *f)
{
    if (isnan(f->p)) return 0;              /* no variation on either side: no test */
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 32;
        finding *g = realloc(p->f, cap * sizeof *g);
        if (!g) return -1;
        p->f = g;
        p->cap = cap;
    }
    p->f[p->n++] = *f;
    return 0;
}

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
static int agents_found(pool *p, const agent_metric_table *t)
{
    double pop = t ? t->prior_mean : NAN;
    for (size_t i = 0; t && !isnan(pop) && i < t->n_rows; i++) {
        const agent_metric_row *r = &t->rows[i];
        if (r->rank_feedback == 0 || !(r->sd > 0) || isnan(r->shrunk)) continue;
        int up = r->shrunk > pop;
        finding f = {FIND_AGENTS, 0, NULL, r->n, r->shrunk, pop, up ? r->ci_low - pop : pop - r->ci_high,
                     2.0 * gsl_cdf_ugaussian_Q(fabs(r->shrunk - pop) / r->sd), up && r->tier > 0,
                     !up && r->tier < 0, NAN};
        if (pool_add(p, &f) != 0) return -1;
    }
    return 0;
}

/* Largest |effect| first; then kind, dimension and name. */
static int by_effect(const void *a, const void *b)
{
    const finding *p = a, *q = b;
    double x = fabs(p->effect), y = fabs(q->effect);
    if (x != y) return x < y ? 1 : -1;
    if (p->kind != q->kind) return p->kind < q->kind ? -1 : 1;
    if (p->dim != q->dim) return p->dim < q->dim ? -1 : 1;
    return strcmp(p->name ? p->name : "", q->name ? q->name : "");
}

/* Corrects the pool's p-values for their number, keeps those below the
 * false-discovery rate (the agents among them, in their tier, as one
 * finding) and the largest as S's findings.  0 ok, -1 out of memory. */
static int select_findings(pool *p, double fdr, metric_summary_part *s)
{
    s->n_tests = p->n;
    if (p->n == 0) return 0;
    double *pv = malloc(p->n * sizeof *pv), *q = malloc(p->n * sizeof *q);
    finding *out = malloc((p->n + 1) * sizeof *out);
    int rc = pv && q && out ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < p->n; i++) pv[i] = p->f[i].p;
    if (rc == 0) rc = fdr_bh_adjust(pv, p->n, q);
    finding ag = {FIND_AGENTS, 0, NULL, 0, NAN, NAN, 0, NAN, 0, 0, 0};
    size_t k = 0;
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        finding *f = &p->f[i];
        f->q = q[i];
        if (!(q[i] < fdr)) continue;
        s->n_significant++;
        if (f->kind != FIND_AGENTS) {
            out[k++] = *f;
        } else if (f->above + f->below > 0) {
            ag.other = f->other;
            ag.above += f->above;
            ag.below += f->below;
            ag.n = ag.above + ag.below;
            ag.effect = fmax(ag.effect, f->effect);
            ag.q = fmax(ag.q, f->q);
        }
    }
    if (rc == 0 && ag.n > 0) out[k++] = ag;
    if (rc == 0) {
        cx_qsort(out, k, sizeof *out, by_effect);
        s->n_findings = k < SUMMARY_FINDINGS_MAX ? k : SUMMARY_FINDINGS_MAX;
        if (s->n_findings) memcpy(s->findings, out, s->n_findings * sizeof *out);
    }
    free(pv);
    free(q);
    free(out);
    return rc;
}

/* The overall row of MONTH in the metric's table: its n, value, SD (CES;
 * NaN for CSAT) and satisfied count (CSAT); 0 when there is none. */
static int overall(const metrics_result *m, int is_csat, int month, double *n, double *value, double *sd,
                   double *x)
{
    size_t rows = is_csat ? m->n_csat : m->n_ces;
    for (size_t i = 0; i < rows; i++) {
        if (is_csat && m->csat[i].dim == 0 && m->csat[i].month == month) {
            *n = (double)m->csat[i].n, *value = m->csat[i].share, *sd = NAN, *x = (double)m->csat[i].satisfied;
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
    pool p = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const metric_vs_rest *v = is_csat ? &m->csat_vs_rest[i] : &m->ces_vs_rest[i];
        int month = is_csat ? m->csat[i].month : m->ces[i].month;
        size_t dim = is_csat ? m->csat[i].dim : m->ces[i].dim;
        if (month != s->month || dim == 0 || isnan(v->diff)) continue;
        finding f = {FIND_SEGMENT, dim, (char *)(is_csat ? m->csat[i].segment : m->ces[i].segment),
                     is_csat ? m->csat[i].n : m->ces[i].n, is_csat ? m->csat[i].share : m->ces[i].mean,
                     v->rest, v->diff, v->p, 0, 0, NAN};
        rc = pool_add(&p, &f);
    }
    const agents_metric_result *am = r->agents_metric;
    if (rc == 0 && am) rc = agents_found(&p, is_csat ? &am->csat : &am->ces);
    if (rc == 0) rc = select_findings(&p, s->fdr, s);
    free(p.f);
    return rc;
}

/* ---- the summary as a row of the table of analyses ---- */

static void *ms_create(const analysis_env *env)
{
    (void)env;
    return calloc(1, sizeof(metric_summary));
}

static int ms_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    metric_summary *s = acc;
    if (out->metrics && (part(out, 1, &s->csat) != 0 || part(out, 0, &s->ces) != 0)) {
        snprintf(err, errlen, "metric summary: out of memory");
        return -1;
    }
    out->metric_summary = s;
    return 0;
}

static void ms_destroy(void *acc)
{
    free(acc);
}

const analysis analysis_metric_summary = {
    NULL, 0, ANALYSIS_DERIVED, ms_create, analysis_add_none, ms_finish, ms_destroy,
};
