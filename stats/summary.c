/* summary.c — the executive summary (stats/summary_result.h) as the last
 * row of the table of analyses: it reads nothing per response; its finish
 * reads the results the analyses before it published (NPS, drivers, CX,
 * agents), tests each comparison with enough responses on both sides
 * (stats/summary_compare.c), corrects the p-values of their comparisons
 * for their number (stats/summary_fdr.c) and keeps the significant ones,
 * largest first.
 * Formulas: docs/methods.md §Summary.
 */
#include "stats/nps.h"
#include "stats/analysis.h"

#include "stats/summary_compare.h"
#include "stats/summary_pool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The test of two groups' NPS for a finding (stats/summary_compare.h):
 * none when a side has fewer than --min-responses (counted in n_small),
 * else the adjusted test.  Returns 1 and fills *C when tested. */
static int two_groups(summary *s, const nps_counts *a, const nps_counts *b, nps_change *c)
{
    if (!summary_testable(nps_counts_n(a), nps_counts_n(b), s->min_responses)) {
        s->n_small++;
        return 0;
    }
    *c = summary_compare(a, b, s->confidence);
    return 1;
}

/* The rows of MONTH and dimension DIM: one run of the table's order
 * (period, dimension, segment in byte order). */
typedef struct row_run {
    const nps_row *r;
    size_t n;
} row_run;

static row_run rows_of(const nps_result *n, int month, size_t dim)
{
    size_t i = 0, j;
    while (i < n->n_rows && !(n->rows[i].month == month && n->rows[i].dim == dim)) i++;
    for (j = i; j < n->n_rows && n->rows[j].month == month && n->rows[j].dim == dim;) j++;
    return (row_run){n->rows + i, j - i};
}

static int by_segment(const void *key, const void *row)
{
    return strcmp(key, ((const nps_row *)row)->segment);
}

static const nps_row *row_find(row_run run, const char *segment)
{
    return run.n ? bsearch(segment, run.r, run.n, sizeof *run.r, by_segment) : NULL;
}

/* Each --by segment of the month against every other response of it
 * (ALL: the month's overall row).  A segment that is the whole month has
 * no rest and no test. */
static int segments(finding_pool *p, summary *s, const nps_result *n, const nps_row *all)
{
    for (size_t i = 0; i < n->n_rows; i++) {
        const nps_row *r = &n->rows[i];
        if (r->month != s->month || r->dim == 0) continue;
        nps_counts rest = {all->c.p - r->c.p, all->c.a - r->c.a, all->c.d - r->c.d};
        nps_change c;
        if (nps_counts_n(&rest) == 0 || !two_groups(s, &r->c, &rest, &c)) continue;
        finding f = {
            FIND_SEGMENT, r->dim, (char *)r->segment, r->e.n, r->e.nps, r->e.nps - c.diff, c.diff, c.p, 0, 0,
            NAN};
        if (finding_pool_add(p, &f) != 0) return -1;
    }
    return 0;
}

/* Each segment's rate effect on the change from last month: the effect
 * is drivers.csv's; its test is the segment's change between the two
 * months (the rate effect is that change times a positive weight), on
 * the adjusted counts of the NPS table.  A segment absent from either
 * month has no test. */
static int drivers_found(finding_pool *p, summary *s, const nps_result *n, const drivers *dr)
{
    if (!dr || dr->nrows == 0) return 0;
    for (size_t d = 0; d < dr->n_by; d++) {
        const driver_dim *dd = &dr->dims[d];
        row_run cur = rows_of(n, dr->month, d + 1), prev = rows_of(n, dr->prev_month, d + 1);
        for (size_t i = dd->first; i < dd->first + dd->count; i++) {
            const driver_row *r = &dr->rows[i];
            const nps_row *a = row_find(cur, r->segment), *b = row_find(prev, r->segment);
            nps_change c;
            if (!a || !b || !two_groups(s, &a->c, &b->c, &c)) continue;
            finding f = {FIND_DRIVER, r->dim, r->segment, r->n, r->nps, r->nps_prev, r->rate, c.p, 0, 0, NAN};
            if (finding_pool_add(p, &f) != 0) return -1;
        }
    }
    return 0;
}

static int cx_found(finding_pool *p, summary *s, const cx_results *cx)
{
    if (!cx) return 0;
    for (size_t i = 0; i < cx->n_mot; i++) {
        const cx_mot_row *m = &cx->mot[i];
        nps_change c;
        if (m->nps.n == 0 || cx->routine_nps.n == 0) continue;
        /* the unlabelled ones are routine responses: not a separate group */
        if (strcmp(m->type, CX_MOT_UNLABELLED) == 0) continue;
        if (!two_groups(s, &m->counts, &cx->routine, &c)) continue;
        finding f = {FIND_MOT, 0,  (char *)m->type, m->nps.n, m->nps.nps, cx->routine_nps.nps, c.diff, c.p, 0,
                     0,        NAN};
        if (finding_pool_add(p, &f) != 0) return -1;
    }
    nps_change c;
    if (cx->n_customers > 0 && cx->hic[0].nps.n > 0 && cx->hic[1].nps.n > 0 &&
        two_groups(s, &cx->hic[0].counts, &cx->hic[1].counts, &c)) {
        finding f = {FIND_HIC, 0, NULL, cx->hic[0].nps.n, cx->hic[0].nps.nps, cx->hic[1].nps.nps, c.diff, c.p,
                     0,        0, NAN};
        if (finding_pool_add(p, &f) != 0) return -1;
    }
    return 0;
}

/* Each ranked agent against the population: z = (shrunk NPS − population
 * NPS) / posterior SD, two-sided normal p.  p < 1 − confidence exactly
 * when the agent's interval lies wholly on one side (its tier), since
 * the interval is shrunk NPS ± z·SD.  EFFECT is the gap between the
 * interval and the population, ABOVE/BELOW the side. */
static int agents_found(finding_pool *p, const agents_result *a)
{
    if (!a) return 0;
    double pop = a->all.nps;
    for (size_t i = 0; i < a->n_ranked && !isnan(pop); i++) {
        const agent_row *r = &a->rows[i];
        const agent_shrunk *s = &r->shrunk;
        if (!(s->sd > 0) || isnan(s->nps)) continue;
        int up = s->nps > pop;
        if (finding_pool_add_agent(p, r->n, s->nps, pop, s->ci_low, s->ci_high, s->sd, up, !up) != 0)
            return -1;
    }
    return 0;
}

static const nps_row *overall(const nps_result *n, int month)
{
    for (size_t i = 0; i < n->n_trend; i++)
        if (n->trend[i].month == month) return n->trend[i].row;
    return NULL;
}

/* The trend: the months of the 12 ending with MONTH that have responses. */
static void trend(summary *s, const nps_result *n)
{
    double x[SUMMARY_TREND_MONTHS], y[SUMMARY_TREND_MONTHS], se[SUMMARY_TREND_MONTHS];
    size_t k = 0;
    int first = s->month - SUMMARY_TREND_MONTHS + 1;
    for (int m = first; m <= s->month; m++) {
        const nps_row *r = overall(n, m);
        if (!r) continue;
        x[k] = m - first;
        y[k] = r->e.nps;
        se[k] = r->e.se;
        k++;
    }
    s->trend = trend_fit_wls(x, y, se, k, s->confidence);
}

/* Fills S from the results published in R.  0 ok, -1 out of memory. */
static int summarise(summary *s, const stats_result *r)
{
    const nps_result *n = r->nps;
    s->month = n->report_month;
    s->window = r->window;
    s->confidence = r->confidence;
    s->fdr = 1.0 - r->confidence;
    s->trend = trend_fit_wls(NULL, NULL, NULL, 0, r->confidence);
    s->current = s->month ? overall(n, s->month) : NULL;
    if (!s->current) return 0;
    const nps_row *prev = overall(n, s->month - 1), *year = overall(n, s->month - 12);
    if ((s->has_prev = prev != NULL)) {
        s->prev = prev->e;
        s->vs_prev = nps_compare(&s->current->e, &prev->e, r->confidence);
    }
    if ((s->has_year = year != NULL)) {
        s->year = year->e;
        s->vs_year = nps_compare(&s->current->e, &year->e, r->confidence);
    }
    trend(s, n);

    finding_pool p = {NULL, 0, 0, 1};
    int rc = segments(&p, s, n, s->current);
    if (rc == 0) rc = drivers_found(&p, s, n, r->drivers);
    if (rc == 0) rc = cx_found(&p, s, r->cx);
    if (rc == 0) rc = agents_found(&p, r->agents);
    /* the findings own their names */
    return finding_pool_finish(&p, rc, s->fdr, s->findings, &s->n_tests, &s->n_significant, &s->n_findings);
}

/* ---- the summary as a row of the table of analyses ---- */

static void *summary_create(const analysis_env *env)
{
    summary *s = calloc(1, sizeof *s);
    if (s) s->min_responses = env->o->min_responses;
    return s;
}

static int summary_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    summary *s = acc;
    if (summarise(s, out) != 0) return analysis_oom("summary", err, errlen);
    out->summary = s;
    return 0;
}

static void summary_destroy(void *acc)
{
    summary *s = acc;
    if (!s) return;
    for (size_t i = 0; i < s->n_findings; i++) free(s->findings[i].name);
    free(s);
}

const analysis analysis_summary = {
    NULL, 0, ANALYSIS_DERIVED, summary_create, analysis_add_none, summary_finish, summary_destroy, NULL,
};
