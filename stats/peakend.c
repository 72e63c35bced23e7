/* peakend.c — the peak-end table (peak_end.csv; docs/methods.md): per
 * segment the mean peak-end, the mean of the moments' means, and the
 * Pearson r of each with the score with a Fisher-z interval.  The
 * per-response value itself is peakend_value() in stats/peakend.h.
 *
 * Every input is a small exact number: the score is whole, 2·peak_end is
 * whole, and a moments mean is s/k with k ≤ CX_MAX_MOMENTS.  So a segment
 * keeps integer sums only (the means' sums per lowest-terms denominator),
 * which do not depend on the order the responses come in (the store gives
 * key order, `--input` file order); the means, co-moments and r are
 * computed from them once, at the end, in exact integers as wide as they
 * need (pe_wide), rounded only in the last divisions and roots (long
 * double), and each value is then rounded once to the 15 significant
 * digits peak_end.csv prints, so that those are the exact value's.
 */
#include "stats/peakend.h"
#include "stats/pewide.h"
#include "core/grow.h"
#include "core/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PE_MAX_BINS 2001 /* a moment scale wider than 1000 points gets no chart bins */

/* The responses of a segment whose moments mean is P/Q in lowest terms. */
typedef struct pe_part {
    int64_t q;
    pe_i128 p, pp, py; /* Σ P, Σ P², Σ P·score */
} pe_part;

typedef struct pe_cell {
    int64_t n;
    pe_i128 a, aa, ay; /* a = 2·peak_end (whole): Σ a, Σ a², Σ a·score */
    pe_i128 y, yy;     /* Σ score, Σ score² */
    pe_part *parts;    /* one per denominator seen (owned) */
    size_t n_parts, cap_parts;
} pe_cell;

typedef struct pe_bin {
    int64_t n_pe, n_mean;
    double sum_pe, sum_mean; /* sums of scores (exact: integers) */
} pe_bin;

/* A mean read before and its fraction (pe_fraction), by the mean's bits:
 * means of a few whole moments take few values, and the search for the
 * denominator (a division a candidate) was a tenth of a run's peak-end. */
#define PE_MEMO 256
typedef struct pe_memo {
    double v; /* NAN: empty */
    int64_t p, q;
} pe_memo;

struct pe_acc {
    int lo, hi;
    pe_cell *cells;
    size_t n_cells;
    pe_bin *bins; /* NULL when the scale is too wide */
    size_t n_bins;
    double last_mean; /* the moments mean read last as P/Q (each slot of a response passes it) */
    int64_t last_p, last_q;
    pe_memo memo[PE_MEMO]; /* means read before, as P/Q: a few values recur row after row */
};

pe_acc *pe_acc_new(int lo, int hi)
{
    pe_acc *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->lo = lo;
    p->hi = hi;
    p->last_mean = NAN;
    for (size_t i = 0; i < PE_MEMO; i++) p->memo[i].v = NAN;
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
    for (size_t i = 0; i < p->n_cells; i++) free(p->cells[i].parts);
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

/* The part of C for denominator Q, added when new; NULL out of memory. */
static pe_part *pe_part_of(pe_cell *c, int64_t q)
{
    for (size_t i = 0; i < c->n_parts; i++)
        if (c->parts[i].q == q) return &c->parts[i];
    if (c->n_parts == c->cap_parts) {
        pe_part *parts = grow_array(c->parts, &c->cap_parts, c->n_parts + 1, sizeof *parts, 4, 0, 1);
        if (!parts) return NULL;
        c->parts = parts;
    }
    pe_part *t = &c->parts[c->n_parts++];
    t->q = q;
    return t;
}

/* V = fl(s/k), a mean of k ≤ CX_MAX_MOMENTS whole moments with |V| ≤ 1000
 * (config moment_scale), as the fraction P/Q in lowest terms.  Two such
 * fractions that differ are at least 1/(64·63) apart, while V is within
 * half an ulp (< 2^-43) of s/k: so the first Q whose P = round(V·Q) gives
 * back V is s/k's own denominator.  0, or -1 when V is no such mean. */
static int pe_fraction(double v, int64_t *num, int64_t *den)
{
    if (!(fabs(v) <= 1024.0)) return -1;
    for (int64_t q = 1; q <= CX_MAX_MOMENTS; q++) {
        double p = nearbyint(v * (double)q);
        if (p / (double)q == v) {
            *num = (int64_t)p;
            *den = q;
            return 0;
        }
    }
    return -1;
}

/* Half-point bin of V, or n_bins when V is off the scale. */
static size_t pe_bin_of(const pe_acc *p, double v)
{
    double k = floor(2.0 * (v - p->lo) + 0.5);
    return k >= 0 && k < (double)p->n_bins ? (size_t)k : p->n_bins;
}

int pe_acc_add(pe_acc *p, size_t slot, double peak_end, double mean, int score)
{
    double a2 = 2.0 * peak_end;
    if (!(fabs(a2) <= 4096.0) || a2 != nearbyint(a2)) return -1;
    if (mean != p->last_mean) {
        uint64_t bits;
        memcpy(&bits, &mean, sizeof bits);
        pe_memo *e = &p->memo[(bits ^ bits >> 29 ^ bits >> 47) % PE_MEMO];
        if (e->v == mean) {
            p->last_p = e->p;
            p->last_q = e->q;
        } else {
            if (pe_fraction(mean, &p->last_p, &p->last_q) != 0) return -1;
            *e = (pe_memo){mean, p->last_p, p->last_q};
        }
        p->last_mean = mean;
    }
    pe_cell *c = pe_cell_at(p, slot);
    if (!c) return -1;
    pe_part *t = pe_part_of(c, p->last_q);
    if (!t) return -1;
    pe_i128 a = (int64_t)a2, y = score, m = p->last_p; /* |a2| <= 4096: no libgcc call */
    c->n++;
    c->a += a;
    c->aa += a * a;
    c->ay += a * y;
    c->y += y;
    c->yy += y * y;
    t->p += m;
    t->pp += m * m;
    t->py += m * y;

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

typedef struct corr_ld {
    long double r, lo, hi; /* NaN when undefined (docs/methods.md) */
} corr_ld;

/* Pearson r of x and y with its Fisher-z interval, from the co-moments
 * (Sxx, Syy, Sxy each scaled as x by α > 0 and y by β > 0: α², β², αβ,
 * which r and its interval do not see). */
static corr_ld corr_of(int64_t n, long double sxx, long double syy, long double sxy, double z)
{
    corr_ld c = {NAN, NAN, NAN};
    if (n < 3 || !(sxx > 0.0L) || !(syy > 0.0L)) return c;
    long double r = sxy / sqrtl(sxx * syy);
    /* Rounding can push a perfect correlation a hair past ±1 (or short of
     * it); treat |r| within 1e-12 of 1 as exactly 1: no interval then. */
    if (fabsl(r) > 1.0L - 1e-12L) {
        c.r = r > 0 ? 1.0L : -1.0L;
        return c;
    }
    c.r = r;
    if (n < 4) return c;
    long double fz = atanhl(r), half = (long double)z / sqrtl((long double)n - 3.0L);
    c.lo = tanhl(fz - half);
    c.hi = tanhl(fz + half);
    return c;
}

cx_corr cx_corr_from_moments(int64_t n, double sxx, double syy, double sxy, double z)
{
    corr_ld c = corr_of(n, sxx, syy, sxy, z);
    return (cx_corr){(double)c.r, (double)c.lo, (double)c.hi};
}

/* As peak_end.csv gives it: 15 significant digits, exact. */
static cx_corr corr_digits15(corr_ld c) { return (cx_corr){digits15(c.r), digits15(c.lo), digits15(c.hi)}; }

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

/* n·Σuv − Σu·Σv: n times the co-moment of u and v, exact. */
static pe_wide co_moment(pe_wide n, pe_wide suv, pe_wide su, pe_wide sv)
{
    return wide_sub(wide_mul(n, suv), wide_mul(su, sv));
}

/* The moments means of C over their common denominator L: Σ m·L, Σ m·score·L
 * and Σ m²·L² (exact integers), and L. */
static void pe_means_sums(const pe_cell *c, pe_wide *m, pe_wide *my, pe_wide *mm, pe_wide *l)
{
    pe_u128 lcm = 1;
    for (size_t i = 0; i < c->n_parts; i++) {
        pe_u128 q = (pe_u128)c->parts[i].q;
        lcm = lcm / gcd_u128(lcm, q) * q;
    }
    *l = wide_of((pe_i128)lcm);
    *m = *my = *mm = wide_of(0);
    for (size_t i = 0; i < c->n_parts; i++) {
        const pe_part *t = &c->parts[i];
        pe_wide f = wide_of((pe_i128)(lcm / (pe_u128)t->q));
        *m = wide_add(*m, wide_mul(wide_of(t->p), f));
        *my = wide_add(*my, wide_mul(wide_of(t->py), f));
        *mm = wide_add(*mm, wide_mul(wide_of(t->pp), wide_mul(f, f)));
    }
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
    /* With a = 2·peak_end and m·L (L the means' common denominator), the
     * co-moments below are n·Σ(a−ā)² = 4n·Sxx, n·Σ(a−ā)(y−ȳ) = 2n·Sxy and
     * so on: each variable scaled by a positive constant, which r and its
     * interval do not see. */
    pe_wide n = wide_of(c->n), y = wide_of(c->y), a = wide_of(c->a);
    pe_wide syy = co_moment(n, wide_of(c->yy), y, y);
    row->mean_peak_end = digits15(wide_ratio(a, wide_of(2 * (pe_i128)c->n)));
    row->r_peak_end = corr_digits15(corr_of(c->n, wide_ld(co_moment(n, wide_of(c->aa), a, a)), wide_ld(syy),
                                            wide_ld(co_moment(n, wide_of(c->ay), a, y)), z));
    pe_wide m, my, mm, lcm;
    pe_means_sums(c, &m, &my, &mm, &lcm);
    row->mean_moments = digits15(wide_ratio(m, wide_mul(lcm, n)));
    row->r_mean = corr_digits15(
        corr_of(c->n, wide_ld(co_moment(n, mm, m, m)), wide_ld(syy), wide_ld(co_moment(n, my, m, y)), z));
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
