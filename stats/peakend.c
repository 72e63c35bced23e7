/* peakend.c — the peak-end table (peak_end.csv; docs/methods.md): per
 * segment the mean peak-end, the mean of the moments' means, and the
 * Pearson r of each with the score with a Fisher-z interval.  The
 * per-response value itself is peakend_value() in stats/peakend.h.
 *
 * Co-moments are accumulated with Welford's update (Welford 1962;
 * Chan, Golub & LeVeque 1983), so memory is one cell per segment and the
 * result does not suffer from the cancellation of Σx² − (Σx)²/n.
 */
#include "stats/peakend.h"
#include "core/grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PE_MAX_BINS 2001 /* a moment scale wider than 1000 points gets no chart bins */

typedef struct pe_cell {
    int64_t n;
    double mx, mm, my; /* running means: peak-end, moments mean, score */
    double sxx, smm, syy, sxy, smy;
} pe_cell;

typedef struct pe_bin {
    int64_t n_pe, n_mean;
    double sum_pe, sum_mean; /* sums of scores (exact: integers) */
} pe_bin;

struct pe_acc {
    int lo, hi;
    pe_cell *cells;
    size_t n_cells;
    pe_bin *bins; /* NULL when the scale is too wide */
    size_t n_bins;
};

pe_acc *pe_acc_new(int lo, int hi)
{
    pe_acc *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->lo = lo;
    p->hi = hi;
    long span = 2L * ((long)hi - (long)lo) + 1;
    if (span >= 1 && span <= PE_MAX_BINS) {
        p->n_bins = (size_t)span;
        p->bins = calloc(p->n_bins, sizeof *p->bins);
        if (!p->bins) {
            free(p);
            return NULL;
        }
    }
    return p;
}

void pe_acc_free(pe_acc *p)
{
    if (!p) return;
    free(p->cells);
    free(p->bins);
    free(p);
}

static pe_cell *pe_cell_at(pe_acc *p, size_t slot)
{
    if (slot >= p->n_cells) {
        pe_cell *cells = grow_array(p->cells, &p->n_cells, slot + 1, sizeof *cells, 8, 0, 1);
        if (!cells) return NULL;
        p->cells = cells;
    }
    return &p->cells[slot];
}

/* Half-point bin of V, or n_bins when V is off the scale. */
static size_t pe_bin_of(const pe_acc *p, double v)
{
    double k = floor(2.0 * (v - p->lo) + 0.5);
    return k >= 0 && k < (double)p->n_bins ? (size_t)k : p->n_bins;
}

int pe_acc_add(pe_acc *p, size_t slot, double peak_end, double mean, int score)
{
    pe_cell *c = pe_cell_at(p, slot);
    if (!c) return -1;
    double y = score;
    c->n++;
    double n = (double)c->n;
    double dx = peak_end - c->mx, dm = mean - c->mm, dy = y - c->my;
    c->mx += dx / n;
    c->mm += dm / n;
    c->my += dy / n;
    c->sxx += dx * (peak_end - c->mx);
    c->smm += dm * (mean - c->mm);
    c->syy += dy * (y - c->my);
    c->sxy += dx * (y - c->my);
    c->smy += dm * (y - c->my);

    if (slot == 0 && p->bins) {
        size_t b = pe_bin_of(p, peak_end);
        if (b < p->n_bins) {
            p->bins[b].n_pe++;
            p->bins[b].sum_pe += score;
        }
        b = pe_bin_of(p, mean);
        if (b < p->n_bins) {
            p->bins[b].n_mean++;
            p->bins[b].sum_mean += score;
        }
    }
    return 0;
}

cx_corr cx_corr_from_moments(int64_t n, double sxx, double syy, double sxy, double z)
{
    cx_corr c = {NAN, NAN, NAN};
    if (n < 3 || !(sxx > 0.0) || !(syy > 0.0)) return c;
    double r = sxy / sqrt(sxx * syy);
    /* Rounding can push a perfect correlation a hair past ±1 (or short of
     * it); treat |r| within 1e-12 of 1 as exactly 1: no interval then. */
    if (fabs(r) > 1.0 - 1e-12) {
        c.r = r > 0 ? 1.0 : -1.0;
        return c;
    }
    c.r = r;
    if (n < 4) return c;
    double fz = atanh(r), half = z / sqrt((double)n - 3.0);
    c.lo = tanh(fz - half);
    c.hi = tanh(fz + half);
    return c;
}

cx_corr cx_pearson(const double *x, const double *y, size_t n, double z)
{
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    if (n) {
        mx /= (double)n;
        my /= (double)n;
    }
    double sxx = 0, syy = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        double dx = x[i] - mx, dy = y[i] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    return cx_corr_from_moments((int64_t)n, sxx, syy, sxy, z);
}

static void pe_row(const pe_cell *c, const cx_slot_label *l, double z, cx_peak_row *row)
{
    row->dimension = l->dimension;
    row->segment = l->segment;
    row->n = c ? c->n : 0;
    if (row->n == 0) {
        row->mean_peak_end = row->mean_moments = NAN;
        row->r_peak_end = row->r_mean = (cx_corr){NAN, NAN, NAN};
        return;
    }
    row->mean_peak_end = c->mx;
    row->mean_moments = c->mm;
    row->r_peak_end = cx_corr_from_moments(c->n, c->sxx, c->syy, c->sxy, z);
    row->r_mean = cx_corr_from_moments(c->n, c->smm, c->syy, c->smy, z);
}

static int pe_bins_finish(const pe_acc *p, cx_results *r)
{
    r->n_bins = 0;
    r->bins = NULL;
    if (!p->bins) return 0;
    r->bins = calloc(p->n_bins, sizeof *r->bins);
    if (!r->bins) return -1;
    r->n_bins = p->n_bins;
    for (size_t b = 0; b < p->n_bins; b++) {
        const pe_bin *s = &p->bins[b];
        cx_bin *o = &r->bins[b];
        o->x = p->lo + 0.5 * (double)b;
        o->n_peak_end = s->n_pe;
        o->n_mean = s->n_mean;
        o->score_peak_end = s->n_pe ? s->sum_pe / (double)s->n_pe : NAN;
        o->score_mean = s->n_mean ? s->sum_mean / (double)s->n_mean : NAN;
    }
    return 0;
}

int pe_acc_finish(const pe_acc *p, const cx_slot_label *order, size_t n_order, double z, cx_results *r)
{
    r->peak = calloc(n_order ? n_order : 1, sizeof *r->peak);
    if (!r->peak) return -1;
    r->n_peak = 0;
    for (size_t i = 0; i < n_order; i++) {
        size_t s = order[i].slot;
        const pe_cell *c = s < p->n_cells ? &p->cells[s] : NULL;
        if (s != 0 && (!c || c->n == 0)) continue;
        pe_row(c, &order[i], z, &r->peak[r->n_peak++]);
    }
    return pe_bins_finish(p, r);
}
