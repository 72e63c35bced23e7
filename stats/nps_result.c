/* nps_result.c — the NPS result of a run from its finished table: the
 * trend, the headline, and each segment against the rest of its period.
 * The report shows these; they are computed here so that report/ only
 * formats (SPEC §1). */
#include "stats/trend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The segment row R against everyone else of its period (overall row ALL):
 * two independent groups (SPEC §7 change test). */
static nps_change against_rest(const nps_row *all, const nps_row *r, double confidence)
{
    nps_counts rest = all->c;
    rest.p -= r->c.p;
    rest.a -= r->c.a;
    rest.d -= r->c.d;
    nps_est re = nps_estimate(&rest, nps_z(confidence));
    return nps_compare(&r->e, &re, confidence);
}

static const nps_change_row *overall_change(const nps_change_row *ch, size_t n, int month)
{
    for (size_t k = 0; k < n; k++)
        if (ch[k].dim == 0 && ch[k].month == month) return &ch[k];
    return NULL;
}

int nps_result_build(nps_result *r, const nps_table *t, int month, double confidence)
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
    if (!vs || !tr) { free(vs); free(tr); return -1; }
    const nps_row *all = NULL;
    for (size_t i = 0; i < r->n_rows; i++) {
        if (rows[i].dim == 0) all = &rows[i];   /* rows of a period start with its overall row */
        if (rows[i].dim == 0 || !all || all->month != rows[i].month)
            vs[i] = (nps_change){ NAN, NAN, NAN, NAN, -1 };
        else
            vs[i] = against_rest(all, &rows[i], confidence);
    }
    for (size_t i = 0; i < nm; i++)
        tr[i] = (nps_trend_pt){ months[i], nps_table_find(t, months[i], 0, "all"),
                                overall_change(ch, r->n_changes, months[i]) };
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
