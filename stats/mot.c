/* mot.c — moments of truth (moments_of_truth.csv; docs/methods.md): NPS by
 * MoT interaction type, outcomes, and the share of responses followed by
 * higher spend after a positive outcome / lower spend after a negative
 * one, with Wilson score intervals (Wilson 1927).
 */
#include "stats/cx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct mot_cell {
    nps_counts counts;
    int64_t pe_n;
    double pe_sum; /* exact: peak-end values are half points */
    int64_t positive_n, negative_n, none_n;
    int64_t spend_n;
    int64_t pos_spend, pos_up, neg_spend, neg_down;
} mot_cell;

struct mot_acc {
    const cx_config *cfg;
    mot_cell *cells;     /* one per mot_types entry */
    mot_cell pooled;     /* the mot_types cells together */
    mot_cell unlabelled; /* routine responses flagged by their comment */
    nps_counts routine;
};

mot_acc *mot_acc_new(const cx_config *cfg)
{
    mot_acc *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->cfg = cfg;
    m->cells = calloc(cfg->n_mot_types ? cfg->n_mot_types : 1, sizeof *m->cells);
    if (!m->cells) {
        free(m);
        return NULL;
    }
    return m;
}

void mot_acc_free(mot_acc *m)
{
    if (!m) return;
    free(m->cells);
    free(m);
}

long mot_acc_type(const mot_acc *m, const char *type)
{
    if (!type || !*type) return -1;
    for (size_t i = 0; i < m->cfg->n_mot_types; i++)
        if (strcmp(m->cfg->mot_types[i], type) == 0) return (long)i;
    return -1;
}

cx_outcome cx_mot_outcome(size_t n_moments, double peak_end, int lo, int hi, int nps_class)
{
    if (n_moments > 0) return peak_end >= (lo + hi) / 2.0 ? CX_OUT_POSITIVE : CX_OUT_NEGATIVE;
    if (nps_class > 0) return CX_OUT_POSITIVE;
    if (nps_class < 0) return CX_OUT_NEGATIVE;
    return CX_OUT_NONE;
}

static void cell_spend(mot_cell *c, cx_outcome out, double delta)
{
    c->spend_n++;
    if (out == CX_OUT_POSITIVE) {
        c->pos_spend++;
        c->pos_up += delta > 0;
    } else if (out == CX_OUT_NEGATIVE) {
        c->neg_spend++;
        c->neg_down += delta < 0;
    }
}

void mot_acc_spend(mot_acc *m, long type, cx_outcome out, double delta, int unlabelled)
{
    if (type < 0) {
        if (unlabelled) cell_spend(&m->unlabelled, out, delta);
        return;
    }
    cell_spend(&m->cells[type], out, delta);
    cell_spend(&m->pooled, out, delta);
}

static void cell_add(mot_cell *c, int score, double peak_end, cx_outcome out, int has_spend, double delta)
{
    nps_counts_add(&c->counts, score);
    if (!isnan(peak_end)) {
        c->pe_n++;
        c->pe_sum += peak_end;
    }
    if (out == CX_OUT_POSITIVE) c->positive_n++;
    else if (out == CX_OUT_NEGATIVE) c->negative_n++;
    else c->none_n++;
    if (has_spend) cell_spend(c, out, delta);
}

void mot_acc_add(mot_acc *m, long type, int score, double peak_end, cx_outcome out, int has_spend,
                 double delta, int unlabelled)
{
    if (type < 0) {
        nps_counts_add(&m->routine, score);
        if (unlabelled) cell_add(&m->unlabelled, score, peak_end, out, has_spend, delta);
        return;
    }
    cell_add(&m->cells[type], score, peak_end, out, has_spend, delta);
    cell_add(&m->pooled, score, peak_end, out, has_spend, delta);
}

cx_share cx_wilson(int64_t k, int64_t n, double z)
{
    cx_share s = {k, n, NAN, NAN, NAN};
    if (n <= 0) return s;
    double dn = (double)n, p = (double)k / dn, z2 = z * z;
    double centre = (p + z2 / (2 * dn)) / (1 + z2 / dn);
    double half = z / (1 + z2 / dn) * sqrt(p * (1 - p) / dn + z2 / (4 * dn * dn));
    s.share = p;
    s.lo = centre - half < 0 ? 0 : centre - half;
    s.hi = centre + half > 1 ? 1 : centre + half;
    return s;
}

static void mot_row(const mot_cell *c, const char *type, double z, cx_mot_row *row)
{
    row->type = type;
    row->counts = c->counts;
    row->nps = nps_estimate(&c->counts, z);
    row->mean_peak_end = c->pe_n ? c->pe_sum / (double)c->pe_n : NAN;
    row->positive_n = c->positive_n;
    row->negative_n = c->negative_n;
    row->none_n = c->none_n;
    row->spend_n = c->spend_n;
    row->up_after_positive = cx_wilson(c->pos_up, c->pos_spend, z);
    row->down_after_negative = cx_wilson(c->neg_down, c->neg_spend, z);
}

int mot_acc_finish(const mot_acc *m, double confidence, cx_results *r)
{
    double z = nps_z(confidence);
    size_t nt = m->cfg->n_mot_types;
    r->mot = calloc(nt + 1, sizeof *r->mot);
    if (!r->mot) return -1;
    r->n_mot = 0;
    for (size_t i = 0; i < nt; i++) {
        if (nps_counts_n(&m->cells[i].counts) == 0) continue;
        mot_row(&m->cells[i], m->cfg->mot_types[i], z, &r->mot[r->n_mot++]);
    }
    if (nps_counts_n(&m->unlabelled.counts) > 0)
        mot_row(&m->unlabelled, CX_MOT_UNLABELLED, z, &r->mot[r->n_mot++]);
    mot_row(&m->pooled, "all MoT", z, &r->mot_all);
    r->routine = m->routine;
    r->routine_nps = nps_estimate(&m->routine, z);
    return 0;
}
