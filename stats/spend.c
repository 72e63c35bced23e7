/* spend.c — spend deltas per group (spend_delta.csv) and the two Welch
 * tests (spend_tests.csv); docs/methods.md.  The windows themselves are
 * summed in stats/cx.c through stats/spendtab.h.
 *
 * Memory: each delta is kept once (8 bytes a response), with its groups'
 * sums as it comes.  At the end the groups of one family at a time (the
 * NPS classes, the MoT outcomes, each --by dimension: a response is in at
 * most one group of a family) are laid out one after the other in one
 * buffer of the same size, each group's deltas in the order they came, so
 * every statistic sees the same values in the same order as when each
 * group kept its own array (the means and the Welch tests sum in that
 * order; the median and SD sort).
 *
 * One-sample t interval and test: Student (1908); Welch's unequal-variance
 * test with the Welch–Satterthwaite df: Welch (1947), Satterthwaite (1946).
 */
#include "stats/cx.h"
#include "stats/dsort.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

/* A group's sums, in the order its deltas came. */
typedef struct spend_sum {
    long double sum_pre, sum_post;
    size_t n;
} spend_sum;

struct spend_acc {
    spend_sum *g;
    size_t n_g;
    double *d; /* every delta once, in the order added */
    size_t n, cap;
};

static const char *const fixed_by[CX_SPEND_SEG0] = {
    "nps_class", "nps_class", "nps_class", "mot_outcome", "mot_outcome", "mot_outcome", "mot_outcome",
};
static const char *const fixed_name[CX_SPEND_SEG0] = {
    "promoter", "passive", "detractor", "positive", "negative", "none", "routine",
};

spend_acc *spend_acc_new(void) { return calloc(1, sizeof(spend_acc)); }

void spend_acc_free(spend_acc *s)
{
    if (!s) return;
    free(s->g);
    free(s->d);
    free(s);
}

int spend_acc_add(spend_acc *s, const size_t *groups, size_t n_groups, double pre, double post, double delta)
{
    for (size_t i = 0; i < n_groups; i++) {
        size_t group = groups[i];
        if (group == SIZE_MAX) continue;
        if (group >= s->n_g) {
            size_t n = s->n_g ? s->n_g : 16;
            while (n <= group) n *= 2;
            spend_sum *g = realloc(s->g, n * sizeof *g);
            if (!g) return -1;
            memset(g + s->n_g, 0, (n - s->n_g) * sizeof *g);
            s->g = g;
            s->n_g = n;
        }
        spend_sum *g = &s->g[group];
        g->n++;
        g->sum_pre += pre;
        g->sum_post += post;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap + s->cap / 2 : 1024;
        double *d = realloc(s->d, cap * sizeof *d);
        if (!d) return -1;
        s->d = d;
        s->cap = cap;
    }
    s->d[s->n++] = delta;
    return 0;
}

/* Two-sided t quantile for CONFIDENCE with DF degrees of freedom. */
static double t_quantile(double confidence, double df)
{
    double q = gsl_cdf_tdist_Pinv((1.0 + confidence) / 2.0, df);
    return isfinite(q) ? q : NAN;
}

void cx_spend_group(double *d, size_t n, double sum_pre, double sum_post, double confidence,
                    cx_spend_row *out)
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
    cx_sort_doubles(d, n);
    out->median_delta = gsl_stats_median_from_sorted_data(d, 1, n);
    size_t up = 0, down = 0;
    for (size_t i = 0; i < n; i++) {
        up += d[i] > 0;
        down += d[i] < 0;
    }
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

cx_spend_test cx_welch(const double *a, size_t na, const double *b, size_t nb, double confidence)
{
    cx_spend_test t = {NULL, (int64_t)na, (int64_t)nb, NAN, NAN, NAN, NAN, NAN, NAN, -1};
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

/* The deltas of family F's groups, each group's in the order added, one
 * group after the other in BUF: OFF[g] where group g starts, CNT[g] how
 * many (both n_g long; groups of other families get 0). */
static void scatter(const spend_acc *s, size_t f, spend_group_fn group_of, void *ctx, double *buf,
                    size_t *off, size_t *cnt)
{
    memset(cnt, 0, s->n_g * sizeof *cnt);
    for (size_t k = 0; k < s->n; k++) {
        size_t g = group_of(ctx, k, f);
        if (g < s->n_g) cnt[g]++;
    }
    size_t at = 0;
    for (size_t g = 0; g < s->n_g; g++) {
        off[g] = at;
        at += cnt[g];
    }
    for (size_t k = 0; k < s->n; k++) {
        size_t g = group_of(ctx, k, f);
        if (g < s->n_g) buf[off[g]++] = s->d[k];
    }
    for (size_t g = 0; g < s->n_g; g++) off[g] -= cnt[g];
}

int spend_acc_finish(spend_acc *s, size_t n_families, spend_group_fn group_of, void *ctx,
                     const cx_slot_label *order, size_t n_order, double confidence, cx_results *r)
{
    r->spend = calloc(CX_SPEND_SEG0 + n_order, sizeof *r->spend);
    double *buf = malloc((s->n ? s->n : 1) * sizeof *buf);
    size_t *off = malloc((s->n_g ? s->n_g : 1) * sizeof *off);
    size_t *cnt = malloc((s->n_g ? s->n_g : 1) * sizeof *cnt);
    size_t *row_of = malloc((s->n_g ? s->n_g : 1) * sizeof *row_of);
    if (!r->spend || !buf || !off || !cnt || !row_of) {
        free(buf);
        free(off);
        free(cnt);
        free(row_of);
        return -1;
    }
    r->n_spend = 0;

    /* The rows in output order: the fixed groups always, a segment when
     * it has a delta; each filled below from its family's deltas. */
    for (size_t g = 0; g < s->n_g; g++) row_of[g] = SIZE_MAX;
    for (size_t i = 0; i < CX_SPEND_SEG0 + n_order; i++) {
        size_t gi;
        const char *by, *name;
        if (i < CX_SPEND_SEG0) {
            gi = i;
            by = fixed_by[i];
            name = fixed_name[i];
        } else {
            const cx_slot_label *l = &order[i - CX_SPEND_SEG0];
            if (l->slot == 0) continue; /* all/all is not a spend group */
            gi = CX_SPEND_SEG0 + l->slot - 1;
            if (gi >= s->n_g || s->g[gi].n == 0) continue;
            by = l->dimension;
            name = l->segment;
        }
        cx_spend_row *row = &r->spend[r->n_spend++];
        if (gi < s->n_g) row_of[gi] = (size_t)(row - r->spend);
        else cx_spend_group(NULL, 0, 0, 0, confidence, row);
        row->group_by = by;
        row->group = name;
    }

    r->tests[0] = cx_welch(NULL, 0, NULL, 0, confidence);
    r->tests[1] = r->tests[0];
    for (size_t f = 0; f < n_families; f++) {
        scatter(s, f, group_of, ctx, buf, off, cnt);
        /* spend_tests.csv, on the deltas in the order they came (before
         * the sorts below): promoter vs detractor over every response with
         * complete windows; positive vs negative over the MoT ones (group
         * positive/negative only holds MoT responses: routine is its own). */
        if (f == 0 && s->n_g > 2)
            r->tests[0] = cx_welch(buf + off[0], cnt[0], buf + off[2], cnt[2], confidence);
        if (f == 1 && s->n_g > 4)
            r->tests[1] = cx_welch(buf + off[3], cnt[3], buf + off[4], cnt[4], confidence);
        for (size_t g = 0; g < s->n_g; g++) {
            /* a group is filled with its family: a fixed one even when empty */
            int fixed_here = (f == 0 && g < 3) || (f == 1 && g >= 3 && g < CX_SPEND_SEG0);
            if ((cnt[g] == 0 && !fixed_here) || row_of[g] == SIZE_MAX) continue;
            cx_spend_row *row = &r->spend[row_of[g]];
            const char *by = row->group_by, *name = row->group;
            cx_spend_group(buf + off[g], cnt[g], (double)s->g[g].sum_pre, (double)s->g[g].sum_post,
                           confidence, row);
            row->group_by = by;
            row->group = name;
        }
    }
    r->tests[0].comparison = "promoter vs detractor";
    r->tests[1].comparison = "positive vs negative";
    free(buf);
    free(off);
    free(cnt);
    free(row_of);
    return 0;
}
