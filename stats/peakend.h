/* peakend.h — per-response peak-end value (Kahneman; docs/methods.md), the
 * per-segment peak-end table (peak_end.csv) and the Pearson correlation it
 * reports.  Owner: stats/peakend.c; the accumulator is one of the parts of
 * stats/cx.c, which includes this header through stats/cx.h.
 */
#ifndef CX_PEAKEND_H
#define CX_PEAKEND_H

#include <stddef.h>
#include <stdint.h>

#include "stats/cx_result.h"

/* Peak = the moment farthest from neutral (lo+hi)/2, the first such on
 * ties; end = the last moment; returns (peak + end) / 2.  NaN when N = 0. */
static inline double peakend_value(const int *m, size_t n, int lo, int hi)
{
    if (n == 0) return __builtin_nan("");
    double neutral = (lo + hi) / 2.0, best = -1.0;
    int peak = m[0];
    for (size_t i = 0; i < n; i++) {
        double dist = m[i] > neutral ? m[i] - neutral : neutral - m[i];
        if (dist > best) {
            best = dist;
            peak = m[i];
        }
    }
    return (peak + m[n - 1]) / 2.0;
}

/* Plain mean of the moments; NaN when N = 0. */
static inline double moments_mean(const int *m, size_t n)
{
    if (n == 0) return __builtin_nan("");
    double s = 0;
    for (size_t i = 0; i < n; i++) s += m[i];
    return s / (double)n;
}

/* Pearson r of (x, y) with its Fisher-z interval at quantile Z. */
cx_corr cx_pearson(const double *x, const double *y, size_t n, double z);
/* Same from the co-moments: n, Σ(x−x̄)², Σ(y−ȳ)², Σ(x−x̄)(y−ȳ). */
cx_corr cx_corr_from_moments(int64_t n, double sxx, double syy, double sxy, double z);

/* The parts of the accumulator (stats/cx.c) number segments as "slots":
 * 0 is all/all, 1.. one per (dimension, segment) pair in order of appearance.  A cx_slot_order lists the slots
 * in output order with their labels (borrowed). */
typedef struct cx_slot_label {
    size_t slot;
    const char *dimension, *segment;
} cx_slot_label;

typedef struct pe_acc pe_acc;
pe_acc *pe_acc_new(int lo, int hi);
void pe_acc_free(pe_acc *p);
/* One response in SLOT: PEAK_END and MEAN as peakend_value() and
 * moments_mean() give them for at most CX_MAX_MOMENTS moments on the
 * scale (halves; a fraction of denominator ≤ CX_MAX_MOMENTS), kept as
 * exact integer sums so that the table does not depend on the order of
 * the calls.  0 ok; -1 out of memory, or values no such moments give. */
int pe_acc_add(pe_acc *p, size_t slot, double peak_end, double mean, int score);
/* Builds the rows of the slots in ORDER (slot 0 always, others with n ≥ 1)
 * and the chart bins into R: each value the exact one rounded to 15
 * significant digits (what peak_end.csv prints).  0 ok, -1 out of memory. */
int pe_acc_finish(const pe_acc *p, const cx_slot_label *order, size_t n_order, double z, cx_results *r);

#endif
