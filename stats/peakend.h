/* peakend.h — per-response peak-end value (Kahneman; docs/methods.md) and the
 * per-segment peak-end table (peak_end.csv).
 * Owner: stats/peakend.c.
 */
#ifndef CX_PEAKEND_H
#define CX_PEAKEND_H

#include <stddef.h>

/* Peak = the moment farthest from neutral (lo+hi)/2, the first such on
 * ties; end = the last moment; returns (peak + end) / 2.  NaN when N = 0. */
static inline double peakend_value(const int *m, size_t n, int lo, int hi)
{
    if (n == 0) return __builtin_nan("");
    double neutral = (lo + hi) / 2.0, best = -1.0;
    int peak = m[0];
    for (size_t i = 0; i < n; i++) {
        double dist = m[i] > neutral ? m[i] - neutral : neutral - m[i];
        if (dist > best) { best = dist; peak = m[i]; }
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

#endif
