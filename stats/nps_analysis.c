/* nps_analysis.c — the NPS analysis: the table (stats/trend.c) as a row of
 * the table of analyses, and its result: the trend, the headline, each
 * segment against the rest of its period and the drivers
 * (stats/drivers.c).  The report shows these; they are computed here so
 * that report/ only formats (docs/architecture.md). */
#include "stats/analysis.h"
#include "stats/drivers.h"
#include "stats/summary_compare.h"
#include "stats/trend.h"
#include "core/timeparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The segment row R against everyone else of its period (overall row ALL):
 * two independent groups (the change test of docs/methods.md). */
/* The segment against every other response of its month, with the
 * summary's test (stats/summary_compare.h: adjusted counts, so that a
 * segment of one response or of one class is not "lower, p < 0.001" on a
 * standard error of 0) and its minimum, MIN responses on each side; none
 * when the segment is the whole month or a side is smaller. */
static nps_change against_rest(const nps_row *all, const nps_row *r, double confidence, int min)
{
    nps_counts rest = all->c;
    rest.p -= r->c.p;
    rest.a -= r->c.a;
    rest.d -= r->c.d;
    if (!summary_testable(nps_counts_n(&r->c), nps_counts_n(&rest), min))
        return (nps_change){NAN, NAN, NAN, NAN, -1};
    return summary_compare(&r->c, &rest, confidence);
}

static const nps_change_row *overall_change(const nps_change_row *ch, size_t n, int month)
{
    for (size_t k = 0; k < n; k++)
        if (ch[k].dim == 0 && ch[k].month == month) return &ch[k];
    return NULL;
}

int nps_result_build(nps_result *r, const nps_table *t, int month, double confidence, int min_responses)
{
    const nps_row *rows;
    const nps_change_row *ch;
    const int *months;
    memset(r, 0, sizeof *r);
    r->n_rows = nps_table_rows(t, &rows);
    r->rows = rows;
    r->n_changes = nps_table_changes(t, &ch);
    r->changes = ch;
    size_t nm = nps_table_months(t, &months);
    nps_change *vs = malloc((r->n_rows ? r->n_rows : 1) * sizeof *vs);
    nps_trend_pt *tr = malloc((nm ? nm : 1) * sizeof *tr);
    if (!vs || !tr) {
        free(vs);
        free(tr);
        return -1;
    }
    const nps_row *all = NULL;
    for (size_t i = 0; i < r->n_rows; i++) {
        if (rows[i].dim == 0) all = &rows[i]; /* rows of a period start with its overall row */
        if (rows[i].dim == 0 || !all || all->month != rows[i].month)
            vs[i] = (nps_change){NAN, NAN, NAN, NAN, -1};
        else vs[i] = against_rest(all, &rows[i], confidence, min_responses);
    }
    for (size_t i = 0; i < nm; i++)
        tr[i] = (nps_trend_pt){months[i], nps_table_find(t, months[i], 0, "all"),
                               overall_change(ch, r->n_changes, months[i])};
    r->vs_rest = vs;
    r->trend = tr;
    r->n_trend = nm;
    r->report_month = month ? month : (nm ? months[nm - 1] : 0);
    if (r->report_month) {
        r->current = nps_table_find(t, r->report_month, 0, "all");
        r->previous = nps_table_find(t, r->report_month - 1, 0, "all");
        if (r->current && r->previous) r->change = overall_change(ch, r->n_changes, r->report_month);
    }
    nps_table_histogram(t, month, r->score_hist);
    return 0;
}

void nps_result_free(nps_result *r)
{
    free((void *)r->vs_rest);
    free((void *)r->trend);
    memset(r, 0, sizeof *r);
}

/* ---- the NPS table as a row of the table of analyses ---- */

typedef struct nps_acc {
    nps_table *t;
    nps_result res;
    drivers *drv; /* derived from the finished table */
    size_t n_by;
    int month; /* --month */
    double confidence;
    int min_responses; /* on each side of a segment's test against its rest */
} nps_acc;

static void *nps_create(const analysis_env *env)
{
    nps_acc *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->month = env->o->month;
    a->confidence = env->o->confidence;
    a->min_responses = env->o->min_responses;
    a->n_by = env->o->n_by;
    if (!(a->t = nps_table_new(env->o->n_by))) {
        free(a);
        return NULL;
    }
    return a;
}

static int nps_add(void *acc, const cx_response *r, const char *const *seg)
{
    nps_acc *a = acc;
    return nps_table_add(a->t, time_month_key(r->responded_at), r->score, seg);
}

static int nps_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    nps_acc *a = acc;
    if (nps_table_finish(a->t, a->confidence) != 0 ||
        nps_result_build(&a->res, a->t, a->month, a->confidence, a->min_responses) != 0 ||
        !(a->drv = drivers_new(a->t, a->n_by, a->res.report_month, a->confidence))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    out->nps = &a->res;
    out->drivers = a->drv;
    return 0;
}

static void nps_destroy(void *acc)
{
    nps_acc *a = acc;
    if (!a) return;
    nps_result_free(&a->res);
    drivers_free(a->drv);
    nps_table_free(a->t);
    free(a);
}

nps_table *analysis_nps_table(void *acc) { return ((nps_acc *)acc)->t; }

const analysis analysis_nps = {
    "nps", 0, ANALYSIS_COUNTS, nps_create, nps_add, nps_finish, nps_destroy, NULL,
};
