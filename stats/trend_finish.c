/* trend_finish.c — the NPS table finished (stats/trend.h
 * nps_table_finish): its groups and months put in order, a row per month
 * and group with its estimate, the changes against the month before; and
 * what the finished table gives (rows, changes, months, histograms,
 * lookups).  The state: trend_int.h.
 */
#include "stats/trend_int.h"
#include "core/xsort.h"

#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->dim != y->dim) return x->dim < y->dim ? -1 : 1;
    return strcmp(x->segment, y->segment);
}

static int cmp_mc(const void *a, const void *b)
{
    return cmp_int(&((const month_counts *)a)->month, &((const month_counts *)b)->month);
}

/* Distinct months over all groups of dim 0 (which sees every response). */
static int collect_months(nps_table *t)
{
    for (size_t i = 0; i < t->ng; i++) {
        if (t->g[i].dim != 0) continue;
        t->months = malloc((t->g[i].nm ? t->g[i].nm : 1) * sizeof *t->months);
        if (!t->months) return -1;
        for (size_t k = 0; k < t->g[i].nm; k++) t->months[k] = t->g[i].m[k].month;
        t->nmonths = t->g[i].nm;
        cx_qsort(t->months, t->nmonths, sizeof *t->months, cmp_int);
    }
    return 0;
}

int nps_table_finish(nps_table *t, double confidence)
{
    double z = nps_z(confidence);
    /* Group order fixed by sorting; the strmap indices are no longer used. */
    cx_qsort(t->g, t->ng, sizeof *t->g, cmp_group);
    size_t total = 0, nch = 0;
    for (size_t i = 0; i < t->ng; i++) {
        cx_qsort(t->g[i].m, t->g[i].nm, sizeof *t->g[i].m, cmp_mc);
        total += t->g[i].nm + 1;
        nch += t->g[i].nm;
    }
    if (collect_months(t) != 0) return -1;
    t->rows = malloc((total ? total : 1) * sizeof *t->rows);
    t->changes = malloc((nch ? nch : 1) * sizeof *t->changes);
    if (!t->rows || !t->changes) return -1;
    /* Rows: each month ascending, then `all`; within it, groups in order. */
    for (size_t mi = 0; mi <= t->nmonths; mi++) {
        int month = mi < t->nmonths ? t->months[mi] : 0;
        for (size_t i = 0; i < t->ng; i++) {
            const group *g = &t->g[i];
            const nps_counts *c = NULL;
            if (month == 0) c = &g->all;
            else
                for (size_t k = 0; k < g->nm; k++)
                    if (g->m[k].month == month) {
                        c = &g->m[k].c;
                        break;
                    }
            if (!c || nps_counts_n(c) == 0) continue;
            nps_row *r = &t->rows[t->nrows++];
            r->month = month;
            r->dim = g->dim;
            r->segment = g->segment;
            r->c = *c;
            r->e = nps_estimate(c, z);
        }
    }
    /* Changes: a month whose previous calendar month also has responses. */
    for (size_t i = 0; i < t->ng; i++) {
        const group *g = &t->g[i];
        for (size_t k = 1; k < g->nm; k++) {
            if (g->m[k - 1].month != g->m[k].month - 1) continue;
            nps_change_row *ch = &t->changes[t->nchanges++];
            ch->dim = g->dim;
            ch->segment = g->segment;
            ch->month = g->m[k].month;
            ch->prev_month = g->m[k - 1].month;
            ch->cur = nps_estimate(&g->m[k].c, z);
            ch->prev = nps_estimate(&g->m[k - 1].c, z);
            ch->ch = nps_compare(&ch->cur, &ch->prev, confidence);
        }
    }
    return 0;
}

size_t nps_table_rows(const nps_table *t, const nps_row **rows)
{
    *rows = t->rows;
    return t->nrows;
}
size_t nps_table_changes(const nps_table *t, const nps_change_row **rows)
{
    *rows = t->changes;
    return t->nchanges;
}
size_t nps_table_months(const nps_table *t, const int **months)
{
    *months = t->months;
    return t->nmonths;
}

void nps_table_histogram(const nps_table *t, int month, long long out[11])
{
    memset(out, 0, 11 * sizeof *out);
    for (size_t i = 0; i < t->nh; i++)
        if (month == 0 || t->hists[i].month == month)
            for (int s = 0; s < 11; s++) out[s] += t->hists[i].h[s];
}

const nps_row *nps_table_find(const nps_table *t, int month, size_t dim, const char *segment)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].month == month && t->rows[i].dim == dim && !strcmp(t->rows[i].segment, segment))
            return &t->rows[i];
    return NULL;
}
