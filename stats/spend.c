/* spend.c — spend deltas per group (spend_delta.csv) and the two Welch
 * tests (spend_tests.csv); docs/methods.md.  The windows themselves are
 * summed in stats/cx.c through stats/spendtab.h.
 *
 * One-sample t interval and test: Student (1908); Welch's unequal-variance
 * test with the Welch–Satterthwaite df: Welch (1947), Satterthwaite (1946).
 */
#include "stats/cx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

typedef struct spend_group {
    double *d;                   /* deltas (kept for the median) */
    size_t n, cap;
    long double sum_pre, sum_post;
} spend_group;

struct spend_acc {
    spend_group *g;
    size_t n_g;
};

static const char *const fixed_by[CX_SPEND_SEG0] = {
    "nps_class", "nps_class", "nps_class",
    "mot_outcome", "mot_outcome", "mot_outcome", "mot_outcome",
};
static const char *const fixed_name[CX_SPEND_SEG0] = {
    "promoter", "passive", "detractor", "positive", "negative", "none", "routine",
};

spend_acc *spend_acc_new(void)
{
    return calloc(1, sizeof(spend_acc));
}

void spend_acc_free(spend_acc *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_g; i++) free(s->g[i].d);
    free(s->g);
    free(s);
}

int spend_acc_add(spend_acc *s, size_t group, double pre, double post)
{
    if (group >= s->n_g) {
        size_t n = s->n_g ? s->n_g : 16;
        while (n <= group) n *= 2;
        spend_group *g = realloc(s->g, n * sizeof *g);
        if (!g) return -1;
        memset(g + s->n_g, 0, (n - s->n_g) * sizeof *g);
        s->g = g;
        s->n_g = n;
    }
    spend_group *g = &s->g[group];
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        double *d = realloc(g->d, cap * sizeof *d);
        if (!d) return -1;
        g->d = d;
        g->cap = cap;
    }
    g->d[g->n++] = post - pre;
    g->sum_pre += pre;
    g->sum_post += post;
    return 0;
}

/* Two-sided t quantile for CONFIDENCE with DF degrees of freedom. */
static double t_quantile(double confidence, double df)
{
    double q = gsl_cdf_tdist_Pinv((1.0 + confidence) / 2.0, df);
    return isfinite(q) ? q : NAN;
}

void cx_spend_group(double *d, size_t n, double sum_pre, double sum_post,
                    double confidence, cx_spend_row *out)
{
    out->n = (int64_t)n;
    out->mean_pre = out->mean_post = out->mean_delta = out->median_delta = NAN;
    out->sd = out->ci_low = out->ci_high = NAN;
    out->up_share = out->down_share = out->t = out->p = NAN;
    if (n == 0) return;
    double dn = (double)n;
    out->mean_pre = sum_pre / dn;
    out->mean_post = sum_post / dn;
    out->mean_delta = gsl_stats_mean(d, 1, n);
    gsl_sort(d, 1, n);
    out->median_delta = gsl_stats_median_from_sorted_data(d, 1, n);
    size_t up = 0, down = 0;
    for (size_t i = 0; i < n; i++) { up += d[i] > 0; down += d[i] < 0; }
    out->up_share = (double)up / dn;
    out->down_share = (double)down / dn;
    if (n < 2) return;
    out->sd = sqrt(gsl_stats_variance_m(d, 1, n, out->mean_delta));
    double se = out->sd / sqrt(dn), tq = t_quantile(confidence, dn - 1.0);
    out->ci_low = out->mean_delta - tq * se;
    out->ci_high = out->mean_delta + tq * se;
    if (!(se > 0.0)) return;
    out->t = out->mean_delta / se;
    out->p = 2.0 * gsl_cdf_tdist_Q(fabs(out->t), dn - 1.0);
}

cx_spend_test cx_welch(const double *a, size_t na, const double *b, size_t nb,
                       double confidence)
{
    cx_spend_test t = { NULL, (int64_t)na, (int64_t)nb, NAN, NAN, NAN, NAN, NAN, NAN, -1 };
    if (na) t.mean_a = gsl_stats_mean(a, 1, na);
    if (nb) t.mean_b = gsl_stats_mean(b, 1, nb);
    if (na && nb) t.diff = t.mean_a - t.mean_b;
    if (na < 2 || nb < 2) return t;
    double va = gsl_stats_variance_m(a, 1, na, t.mean_a) / (double)na;
    double vb = gsl_stats_variance_m(b, 1, nb, t.mean_b) / (double)nb;
    double se2 = va + vb;
    if (!(se2 > 0.0)) return t;
    t.t = t.diff / sqrt(se2);
    t.df = se2 * se2 / (va * va / ((double)na - 1.0) + vb * vb / ((double)nb - 1.0));
    double q = gsl_cdf_tdist_Q(fabs(t.t), t.df);
    t.p = isfinite(q) ? 2.0 * q : NAN;
    if (!isnan(t.p)) t.significant = t.p < 1.0 - confidence;
    return t;
}

static const spend_group *group_at(const spend_acc *s, size_t i)
{
    static const spend_group empty;    /* read-only: no mutable state */
    return i < s->n_g ? &s->g[i] : &empty;
}

int spend_acc_finish(spend_acc *s, const cx_slot_label *order, size_t n_order,
                     double confidence, cx_results *r)
{
    r->spend = calloc(CX_SPEND_SEG0 + n_order, sizeof *r->spend);
    if (!r->spend) return -1;
    r->n_spend = 0;

    /* spend_tests.csv: promoter vs detractor over every response with
     * complete windows; positive vs negative over the MoT ones (group
     * positive/negative only holds MoT responses: routine is its own). */
    const spend_group *p = group_at(s, 0), *d = group_at(s, 2);
    const spend_group *pos = group_at(s, 3), *neg = group_at(s, 4);
    r->tests[0] = cx_welch(p->d, p->n, d->d, d->n, confidence);
    r->tests[0].comparison = "promoter vs detractor";
    r->tests[1] = cx_welch(pos->d, pos->n, neg->d, neg->n, confidence);
    r->tests[1].comparison = "positive vs negative";

    for (size_t i = 0; i < CX_SPEND_SEG0 + n_order; i++) {
        size_t gi;
        const char *by, *name;
        if (i < CX_SPEND_SEG0) {
            gi = i;
            by = fixed_by[i];
            name = fixed_name[i];
        } else {
            const cx_slot_label *l = &order[i - CX_SPEND_SEG0];
            if (l->slot == 0) continue;          /* all/all is not a spend group */
            gi = CX_SPEND_SEG0 + l->slot - 1;
            if (gi >= s->n_g || s->g[gi].n == 0) continue;
            by = l->dimension;
            name = l->segment;
        }
        spend_group *g = gi < s->n_g ? &s->g[gi] : NULL;
        cx_spend_row *row = &r->spend[r->n_spend++];
        if (g)
            cx_spend_group(g->d, g->n, (double)g->sum_pre, (double)g->sum_post,
                           confidence, row);
        else
            cx_spend_group(NULL, 0, 0, 0, confidence, row);
        row->group_by = by;
        row->group = name;
    }
    return 0;
}
