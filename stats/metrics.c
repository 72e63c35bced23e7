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
#include "core/grow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sums of one group: n, satisfied (CSAT), sum and sum of squares (CES). */
typedef struct group {
    int month;
    size_t dim;
    char *segment; /* owned */
    double n, x, s, ss;
} group;

typedef struct side {
    strmap *keys; /* "month\x1f dim\x1f segment" -> index */
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
    if (k < 0) return NULL;
    size_t len = (size_t)k < sizeof key ? (size_t)k : sizeof key - 1; /* a long segment: its prefix */
    int added = 0;
    size_t i = strmap_put_n(sd->keys, key, len, sd->n, &added);
    if (i == (size_t)-1) return NULL;
    if (!added) return &sd->g[i];
    if (sd->n == sd->cap) {
        group *p = grow_array(sd->g, &sd->cap, sd->n + 1, sizeof *p, 64, 0, 0);
        if (!p) return NULL;
        sd->g = p;
    }
    group *g = &sd->g[sd->n++];
    memset(g, 0, sizeof *g);
    g->month = month;
    g->dim = dim;
    if (!(g->segment = strdup(segment))) return NULL;
    return g;
}

static int add_value(side *sd, int month, size_t n_by, const char *const *seg, double x, double v)
{
    for (int pass = 0; pass < 2; pass++) { /* the month, then "all" */
        int m = pass ? 0 : month;
        for (size_t d = 0; d <= n_by; d++) {
            if (d > 0 && seg[d - 1] == NULL) continue; /* counted in `all` only */
            group *g = group_of(sd, m, d, d ? seg[d - 1] : "all");
            if (!g) return -1;
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
    if (!a) return NULL;
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
    case CX_METRIC_CSAT: return add_value(&a->csat, month, a->n_by, seg, r->score >= 4, r->score);
    case CX_METRIC_CSAT_BINARY: return add_value(&a->csat, month, a->n_by, seg, r->score == 1, r->score);
    case CX_METRIC_CES: return add_value(&a->ces, month, a->n_by, seg, 0, r->score);
    default: return 0; /* NPS has its own tables */
    }
}

/* Period order: months ascending, "all" (0) last; then dimension, segment. */
static int cmp_group(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    long ma = a->month ? a->month : 1L << 30, mb = b->month ? b->month : 1L << 30;
    if (ma != mb) return ma < mb ? -1 : 1;
    if (a->dim != b->dim) return a->dim < b->dim ? -1 : 1;
    return strcmp(a->segment, b->segment);
}

/* Change rows: dimension, segment, month. */
static int cmp_series(const void *pa, const void *pb)
{
    const group *a = *(const group *const *)pa, *b = *(const group *const *)pb;
    if (a->dim != b->dim) return a->dim < b->dim ? -1 : 1;
    int c = strcmp(a->segment, b->segment);
    if (c) return c;
    return a->month < b->month ? -1 : a->month > b->month;
}

static int significant(double p, double confidence) { return isnan(p) ? -1 : p < 1 - confidence; }

/* The groups of SD sorted, and pointers to the monthly ones in series
 * order (*SERIES, *NS). */
static int order(side *sd, const group ***series, size_t *ns)
{
    cx_qsort(sd->g, sd->n, sizeof *sd->g, cmp_group);
    const group **s = malloc((sd->n ? sd->n : 1) * sizeof *s);
    if (!s) return -1;
    *ns = 0;
    for (size_t i = 0; i < sd->n; i++)
        if (sd->g[i].month != 0) s[(*ns)++] = &sd->g[i];
    cx_qsort(s, *ns, sizeof *s, cmp_series);
    *series = s;
    return 0;
}

/* 1 when B is A's segment in the calendar month after A's. */
static int next_month(const group *a, const group *b)
{
    return a->dim == b->dim && strcmp(a->segment, b->segment) == 0 && b->month == a->month + 1;
}

/* One metric's rows: the table row of group G with its test against the
 * rest of its period (ALL, the period's all/all group; NULL when there is
 * no rest to test against), and the change row from P to C, the next
 * calendar month of the same segment. */
typedef struct side_kind {
    size_t row_size, change_size;
    void (*row)(const metrics_acc *a, const group *g, const group *all, void *row, metric_vs_rest *rest);
    void (*change)(const metrics_acc *a, const group *p, const group *c, void *row);
} side_kind;

static void csat_row_of(const metrics_acc *a, const group *g, const group *all, void *row,
                        metric_vs_rest *rest)
{
    csat_row *r = row;
    *r = (csat_row){g->month, g->dim, g->segment, (long long)g->n, (long long)g->x, g->x / g->n, NAN, NAN};
    wilson_interval(g->x, g->n, a->confidence, &r->ci_low, &r->ci_high);
    if (all) csat_against_rest(g->x, g->n, all->x, all->n, a->confidence, rest);
}

static void csat_change_of(const metrics_acc *a, const group *p, const group *c, void *row)
{
    csat_change_row *r = row;
    *r = (csat_change_row){
        c->dim, c->segment, c->month, p->month, c->x / c->n, p->x / p->n, c->x / c->n - p->x / p->n,
        NAN,    NAN,        -1};
    two_proportion_test(c->x, c->n, p->x, p->n, &r->z, &r->p);
    r->significant = significant(r->p, a->confidence);
}

static void ces_row_of(const metrics_acc *a, const group *g, const group *all, void *row,
                       metric_vs_rest *rest)
{
    int lo, hi;
    cx_metric_range(CX_METRIC_CES, &lo, &hi);
    ces_row *r = row;
    *r = (ces_row){g->month, g->dim, g->segment, (long long)g->n, NAN, NAN, NAN, NAN};
    mean_t_interval(g->n, g->s, g->ss, a->confidence, &r->mean, &r->sd, &r->ci_low, &r->ci_high);
    interval_clip(&r->ci_low, &r->ci_high, lo, hi); /* the scale bounds the mean */
    if (all) ces_against_rest(g->n, g->s, g->ss, all->n, all->s, all->ss, a->confidence, rest);
}

static void ces_change_of(const metrics_acc *a, const group *p, const group *c, void *row)
{
    double mc, sc, mp, sp, lo, hi;
    mean_t_interval(c->n, c->s, c->ss, a->confidence, &mc, &sc, &lo, &hi);
    mean_t_interval(p->n, p->s, p->ss, a->confidence, &mp, &sp, &lo, &hi);
    ces_change_row *r = row;
    *r = (ces_change_row){c->dim, c->segment, c->month, p->month, mc, mp, mc - mp, NAN, NAN, NAN, -1};
    welch_test(c->n, mc, sc * sc, p->n, mp, sp * sp, &r->t, &r->df, &r->p);
    r->significant = significant(r->p, a->confidence);
}

static const side_kind csat_kind = {sizeof(csat_row), sizeof(csat_change_row), csat_row_of, csat_change_of};
static const side_kind ces_kind = {sizeof(ces_row), sizeof(ces_change_row), ces_row_of, ces_change_of};

/* The rows (*ROWS, one per group), their tests against the rest (*REST)
 * and the change rows (*CH, *NCH) of side SD.  0 ok, -1 out of memory. */
static int finish_side(const metrics_acc *a, side *sd, const side_kind *k, void **rows, metric_vs_rest **rest,
                       void **ch, size_t *nch)
{
    const group **s;
    size_t ns;
    if (order(sd, &s, &ns) != 0) return -1;
    char *row = calloc(sd->n ? sd->n : 1, k->row_size), *change = calloc(ns ? ns : 1, k->change_size);
    metric_vs_rest *vs = calloc(sd->n ? sd->n : 1, sizeof *vs);
    *rows = row, *rest = vs, *ch = change; /* the caller's, even on failure */
    if (!row || !change || !vs) {
        free(s);
        return -1;
    }
    const group *all = NULL;
    for (size_t i = 0; i < sd->n; i++) {
        const group *g = &sd->g[i];
        if (g->dim == 0) all = g; /* a period's rows start with its all/all row */
        int tested = g->dim != 0 && all && all->month == g->month;
        vs[i] = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
        k->row(a, g, tested ? all : NULL, row + i * k->row_size, &vs[i]);
    }
    *nch = 0;
    for (size_t i = 1; i < ns; i++)
        if (next_month(s[i - 1], s[i])) k->change(a, s[i - 1], s[i], change + (*nch)++ * k->change_size);
    free(s);
    return 0;
}

static int metrics_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    metrics_acc *a = acc;
    metrics_result *m = &a->res;
    void *csat_rows = NULL, *csat_ch = NULL, *ces_rows = NULL, *ces_ch = NULL;
    int rc = finish_side(a, &a->csat, &csat_kind, &csat_rows, &a->csat_rest, &csat_ch, &m->n_csat_changes);
    a->csat_rows = csat_rows, a->csat_ch = csat_ch; /* freed with the accumulator */
    if (rc == 0) rc = finish_side(a, &a->ces, &ces_kind, &ces_rows, &a->ces_rest, &ces_ch, &m->n_ces_changes);
    a->ces_rows = ces_rows, a->ces_ch = ces_ch;
    if (rc != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    m->csat = a->csat_rows, m->csat_vs_rest = a->csat_rest, m->n_csat = a->csat.n;
    m->csat_changes = a->csat_ch;
    m->ces = a->ces_rows, m->ces_vs_rest = a->ces_rest, m->n_ces = a->ces.n;
    m->ces_changes = a->ces_ch;
    out->metrics = m;
    return 0;
}

static void side_free(side *sd)
{
    for (size_t i = 0; i < sd->n; i++) free(sd->g[i].segment);
    free(sd->g);
    strmap_free(sd->keys);
}

static void metrics_destroy(void *acc)
{
    metrics_acc *a = acc;
    if (!a) return;
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
    NULL, 0, ANALYSIS_ANY_METRIC, metrics_create, metrics_add, metrics_finish, metrics_destroy, NULL,
};
