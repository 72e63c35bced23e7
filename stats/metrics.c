/* metrics.c — the CSAT and CES tables as a row of the table of analyses:
 * per period (each month and "all") and segment (all/all and each --by
 * segment), CSAT as the share satisfied (4-5 on the 1-5 scale, or good)
 * with a Wilson interval and CES as a mean with a t interval; and from one
 * calendar month to the next, the two-proportion z-test and Welch's t-test
 * (stats/metric_stats.c, docs/methods.md).  It reads csat and ces
 * responses only (run/run.c hands it those; the NPS analyses never see
 * them).  Memory grows with the groups, not the rows. */
#include "stats/analysis.h"
#include "stats/metric_stats.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "core/xsort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sums of one group: n, satisfied (CSAT), sum and sum of squares (CES). */
typedef struct group {
    int month;
    size_t dim;
    char *segment;                  /* owned */
    double n, x, s, ss;
} group;

typedef struct side {
    strmap *keys;                   /* "month\x1f dim\x1f segment" -> index */
    group *g;
    size_t n, cap;
} side;

typedef struct metrics_acc {
    side csat, ces;
    size_t n_by;
    double confidence;
    metrics_result res;
    csat_row *csat_rows;
    metric_vs_rest *csat_rest;
    csat_change_row *csat_ch;
    ces_row *ces_rows;
    metric_vs_rest *ces_rest;
    ces_change_row *ces_ch;
} metrics_acc;

static group *group_of(side *sd, int month, size_t dim, const char *segment)
{
    char key[512];
    int k = snprintf(key, sizeof key, "%d\x1f%zu\x1f%s", month, dim, segment);
    if (k < 0)
        return NULL;
    size_t len = (size_t)k < sizeof key ? (size_t)k : sizeof key - 1;   /* a long segment: its prefix */
    int added = 0;
    size_t i = strmap_put_n(sd->keys, key, len, sd->n, &added);
    if (i == (size_t)-1)
        return NULL;
    if (!added)
        return &sd->g[i];
    if (sd->n == sd->cap) {
        size_t want = sd->cap ? sd->cap * 2 : 64;
        group *p = realloc(sd->g, want * sizeof *p);
        if (!p)
            return NULL;
        sd->g = p;
        sd->cap = want;
    }
    group *g = &sd->g[sd->n++];
    memset(g, 0, sizeof *g);
    g->month = month;
    g->dim = dim;
    if (!(g->segment = strdup(segment)))
        return NULL;
    return g;
}

static int add_value(side *sd, int month, size_t n_by, const char *const *seg, double x, double v)
{
    for (int pass = 0; pass < 2; pass++) {       /* the month, then "all" */
        int m = pass ? 0 : month;
        for (size_t d = 0; d <= n_by; d++) {
            if (d > 0 && seg[d - 1] == NULL)
                continue;                        /* counted in `all` only */
            group *g = group_of(sd, m, d, d ? seg[d - 1] : "all");
            if (!g)
                return -1;
            g->n += 1;
            g->x += x;
            g->s += v;
            g->ss += v * v;
        }
    }
    return 0;
}

static void *metrics_create(const analysis_env *env)
{
    metrics_acc *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->n_by = env->o->n_by;
    a->confidence = env->o->confidence;
    if (!(a->csat.keys = strmap_new()) || !(a->ces.keys = strmap_new())) {
        strmap_free(a->csat.keys);
        free(a);
        return NULL;
    }
    return a;
}

static int metrics_add(void *acc, const cx_response *r, const char *const *seg)
{
    metrics_acc *a = acc;
    int month = time_month_key(r->responded_at);
    switch (r->metric) {
    case CX_METRIC_CSAT:
        return add_value(&a->csat, month, a->n_by, seg, r->score >= 4, r->score);
    case CX_METRIC_CSAT_BINARY:
        return add_value(&a->csat, month, a->n_by, seg, r->score == 1, r->score);
    case CX_METRIC_CES:
        return add_value(&a->ces, month, a->n_by, seg, 0, r->score);
    default:
        return 0;                                /* NPS has its own tables */
    }
}

/* Period order: months ascending, "all" (0) last; then dimension, segment. */
static int cmp_group(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    long ma = a->month ? a->month : 1L << 30, mb = b->month ? b->month : 1L << 30;
    if (ma != mb)
        return ma < mb ? -1 : 1;
    if (a->dim != b->dim)
        return a->dim < b->dim ? -1 : 1;
    return strcmp(a->segment, b->segment);
}

/* Change rows: dimension, segment, month. */
static int cmp_series(const void *pa, const void *pb)
{
    const group *a = *(const group *const *)pa, *b = *(const group *const *)pb;
    if (a->dim != b->dim)
        return a->dim < b->dim ? -1 : 1;
    int c = strcmp(a->segment, b->segment);
    if (c)
        return c;
    return a->month < b->month ? -1 : a->month > b->month;
}

static int significant(double p, double confidence)
{
    return isnan(p) ? -1 : p < 1 - confidence;
}

/* The groups of SD sorted, and pointers to the monthly ones in series
 * order (*SERIES, *NS). */
static int order(side *sd, const group ***series, size_t *ns)
{
    cx_qsort(sd->g, sd->n, sizeof *sd->g, cmp_group);
    const group **s = malloc((sd->n ? sd->n : 1) * sizeof *s);
    if (!s)
        return -1;
    *ns = 0;
    for (size_t i = 0; i < sd->n; i++)
        if (sd->g[i].month != 0)
            s[(*ns)++] = &sd->g[i];
    cx_qsort(s, *ns, sizeof *s, cmp_series);
    *series = s;
    return 0;
}

/* 1 when B is A's segment in the calendar month after A's. */
static int next_month(const group *a, const group *b)
{
    return a->dim == b->dim && strcmp(a->segment, b->segment) == 0 && b->month == a->month + 1;
}

static int finish_csat(metrics_acc *a)
{
    const group **s;
    size_t ns;
    side *sd = &a->csat;
    if (order(sd, &s, &ns) != 0)
        return -1;
    if (!(a->csat_rows = calloc(sd->n ? sd->n : 1, sizeof *a->csat_rows)) ||
        !(a->csat_rest = calloc(sd->n ? sd->n : 1, sizeof *a->csat_rest)) ||
        !(a->csat_ch = calloc(ns ? ns : 1, sizeof *a->csat_ch))) {
        free(s);
        return -1;
    }
    const group *all = NULL;
    for (size_t i = 0; i < sd->n; i++) {
        const group *g = &sd->g[i];
        csat_row *r = &a->csat_rows[i];
        *r = (csat_row){g->month, g->dim, g->segment, (long long)g->n, (long long)g->x, g->x / g->n, NAN, NAN};
        wilson_interval(g->x, g->n, a->confidence, &r->ci_low, &r->ci_high);
        if (g->dim == 0) all = g;               /* a period's rows start with its all/all row */
        if (g->dim == 0 || !all || all->month != g->month)
            a->csat_rest[i] = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
        else
            csat_against_rest(g->x, g->n, all->x, all->n, a->confidence, &a->csat_rest[i]);
    }
    size_t k = 0;
    for (size_t i = 1; i < ns; i++) {
        const group *p = s[i - 1], *c = s[i];
        if (!next_month(p, c))
            continue;
        csat_change_row *r = &a->csat_ch[k++];
        *r = (csat_change_row){c->dim, c->segment, c->month, p->month, c->x / c->n, p->x / p->n,
                               c->x / c->n - p->x / p->n, NAN, NAN, -1};
        two_proportion_test(c->x, c->n, p->x, p->n, &r->z, &r->p);
        r->significant = significant(r->p, a->confidence);
    }
    free(s);
    a->res.csat = a->csat_rows;
    a->res.csat_vs_rest = a->csat_rest;
    a->res.n_csat = sd->n;
    a->res.csat_changes = a->csat_ch;
    a->res.n_csat_changes = k;
    return 0;
}

static int finish_ces(metrics_acc *a)
{
    const group **s;
    size_t ns;
    side *sd = &a->ces;
    int lo_i, hi_i;
    cx_metric_range(CX_METRIC_CES, &lo_i, &hi_i);
    double ces_lo = lo_i, ces_hi = hi_i;
    const group *all = NULL;
    if (order(sd, &s, &ns) != 0)
        return -1;
    if (!(a->ces_rows = calloc(sd->n ? sd->n : 1, sizeof *a->ces_rows)) ||
        !(a->ces_rest = calloc(sd->n ? sd->n : 1, sizeof *a->ces_rest)) ||
        !(a->ces_ch = calloc(ns ? ns : 1, sizeof *a->ces_ch))) {
        free(s);
        return -1;
    }
    for (size_t i = 0; i < sd->n; i++) {
        const group *g = &sd->g[i];
        ces_row *r = &a->ces_rows[i];
        *r = (ces_row){g->month, g->dim, g->segment, (long long)g->n, NAN, NAN, NAN, NAN};
        mean_t_interval(g->n, g->s, g->ss, a->confidence, &r->mean, &r->sd, &r->ci_low, &r->ci_high);
        interval_clip(&r->ci_low, &r->ci_high, ces_lo, ces_hi);   /* the scale bounds the mean */
        if (g->dim == 0) all = g;
        if (g->dim == 0 || !all || all->month != g->month)
            a->ces_rest[i] = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
        else
            ces_against_rest(g->n, g->s, g->ss, all->n, all->s, all->ss, a->confidence, &a->ces_rest[i]);
    }
    size_t k = 0;
    for (size_t i = 1; i < ns; i++) {
        const group *p = s[i - 1], *c = s[i];
        if (!next_month(p, c))
            continue;
        double mc, sc, mp, sp, lo, hi;
        mean_t_interval(c->n, c->s, c->ss, a->confidence, &mc, &sc, &lo, &hi);
        mean_t_interval(p->n, p->s, p->ss, a->confidence, &mp, &sp, &lo, &hi);
        ces_change_row *r = &a->ces_ch[k++];
        *r = (ces_change_row){c->dim, c->segment, c->month, p->month, mc, mp, mc - mp, NAN, NAN, NAN, -1};
        welch_test(c->n, mc, sc * sc, p->n, mp, sp * sp, &r->t, &r->df, &r->p);
        r->significant = significant(r->p, a->confidence);
    }
    free(s);
    a->res.ces = a->ces_rows;
    a->res.ces_vs_rest = a->ces_rest;
    a->res.n_ces = sd->n;
    a->res.ces_changes = a->ces_ch;
    a->res.n_ces_changes = k;
    return 0;
}

static int metrics_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    metrics_acc *a = acc;
    if (finish_csat(a) != 0 || finish_ces(a) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    out->metrics = &a->res;
    return 0;
}

static void side_free(side *sd)
{
    for (size_t i = 0; i < sd->n; i++)
        free(sd->g[i].segment);
    free(sd->g);
    strmap_free(sd->keys);
}

static void metrics_destroy(void *acc)
{
    metrics_acc *a = acc;
    if (!a)
        return;
    side_free(&a->csat);
    side_free(&a->ces);
    free(a->csat_rows);
    free(a->csat_rest);
    free(a->csat_ch);
    free(a->ces_rows);
    free(a->ces_rest);
    free(a->ces_ch);
    free(a);
}

const analysis analysis_metrics = {
    NULL, 0, ANALYSIS_ANY_METRIC, metrics_create, metrics_add, metrics_finish, metrics_destroy,
};
