/* summary_pool.c — the pool of tested comparisons and the choice of a
 * summary's findings (stats/summary_pool.h).
 */
#include "stats/summary_pool.h"
#include "stats/summary_fdr.h"
#include "core/xsort.h"

#include <gsl/gsl_cdf.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

int finding_pool_add(finding_pool *p, const finding *f)
{
    if (isnan(f->p)) return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 32;
        finding *g = realloc(p->f, cap * sizeof *g);
        if (!g) return -1;
        p->f = g;
        p->cap = cap;
    }
    p->f[p->n] = *f;
    if (p->copy_names && f->name && !(p->f[p->n].name = strdup(f->name))) return -1;
    p->n++;
    return 0;
}

/* The significant agents as one finding: how many on each side; its
 * effect is the clearest gap between an interval and the population. */
static void agents_merge(finding *into, int *has, const finding *f)
{
    if (!*has) *into = (finding){FIND_AGENTS, 0, NULL, 0, NAN, f->other, 0, NAN, 0, 0, 0};
    *has = 1;
    into->above += f->above;
    into->below += f->below;
    into->n = into->above + into->below;
    into->effect = fmax(into->effect, f->effect);
    into->q = fmax(into->q, f->q);
}

static int by_effect(const void *a, const void *b)
{
    const finding *p = a, *q = b;
    double x = fabs(p->effect), y = fabs(q->effect);
    if (x != y) return x < y ? 1 : -1;
    if (p->kind != q->kind) return p->kind < q->kind ? -1 : 1;
    if (p->dim != q->dim) return p->dim < q->dim ? -1 : 1;
    return strcmp(p->name ? p->name : "", q->name ? q->name : "");
}

int finding_pool_select(finding_pool *p, double fdr, finding *dst, finding_counts *c)
{
    *c = (finding_counts){p->n, 0, 0};
    if (p->n == 0) return 0;
    double *pv = malloc(p->n * sizeof *pv), *q = malloc(p->n * sizeof *q);
    finding *out = malloc((p->n + 1) * sizeof *out), ag;
    int rc = pv && q && out ? 0 : -1, has_ag = 0;
    for (size_t i = 0; rc == 0 && i < p->n; i++) pv[i] = p->f[i].p;
    if (rc == 0) rc = fdr_bh_adjust(pv, p->n, q);
    size_t k = 0;
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        finding *f = &p->f[i];
        f->q = q[i];
        if (!(q[i] < fdr)) continue;
        c->n_significant++;
        if (f->kind != FIND_AGENTS) {
            out[k++] = *f;
            f->name = NULL; /* moved to OUT */
        } else if (f->above + f->below > 0) {
            agents_merge(&ag, &has_ag, f);
        }
    }
    if (rc == 0 && has_ag) out[k++] = ag;
    if (rc == 0) {
        cx_qsort(out, k, sizeof *out, by_effect);
        c->n_findings = k < SUMMARY_FINDINGS_MAX ? k : SUMMARY_FINDINGS_MAX;
        for (size_t i = 0; i < k; i++) {
            if (i < c->n_findings) dst[i] = out[i];
            else if (p->copy_names) free(out[i].name);
        }
    } else if (out && p->copy_names) {
        for (size_t i = 0; i < k; i++) free(out[i].name);
    }
    free(pv);
    free(q);
    free(out);
    return rc;
}

void finding_pool_free(finding_pool *p)
{
    if (p->copy_names)
        for (size_t i = 0; i < p->n; i++) free(p->f[i].name);
    free(p->f);
    p->f = NULL;
    p->n = p->cap = 0;
}

int finding_pool_finish(finding_pool *p, int rc, double fdr, finding *out, size_t *n_tests,
                        size_t *n_significant, size_t *n_findings)
{
    finding_counts c = {0, 0, 0};
    if (rc == 0) rc = finding_pool_select(p, fdr, out, &c);
    finding_pool_free(p);
    *n_tests = c.n_tests;
    *n_significant = c.n_significant;
    *n_findings = c.n_findings;
    return rc;
}

int finding_pool_add_agent(finding_pool *p, int64_t n, double est, double pop, double lo, double hi,
                           double sd, int above, int below)
{
    int up = est > pop;
    finding f = {FIND_AGENTS,
                 0,
                 NULL,
                 n,
                 est,
                 pop,
                 up ? lo - pop : pop - hi,
                 2.0 * gsl_cdf_ugaussian_Q(fabs(est - pop) / sd),
                 above,
                 below,
                 NAN};
    return finding_pool_add(p, &f);
}
