/* trendfit.h — the NPS trend as a fitted slope: weighted least squares of
 * monthly NPS on the month, weights 1/SE² from the Wald SEs, with a Wald
 * interval and test for the slope (docs/methods.md §Trend).
 * Owner: stats/trendfit.c.  Pure function; no allocation.
 */
#ifndef CX_TRENDFIT_H
#define CX_TRENDFIT_H

#include <stddef.h>

typedef struct trend_fit {
    size_t k;        /* months in the fit (with SE > 0) */
    double slope;    /* NPS points per month; NaN when k < 3 */
    double se;       /* of the slope, with the dispersion below */
    double phi;      /* max(1, Σ w·resid² / (k − 2)): extra month-to-month spread */
    double z, p;     /* slope / se, two-sided normal p */
    double lo, hi;   /* slope ± z_conf · se */
    int significant; /* p < 1 − confidence; −1 when undefined */
} trend_fit;

/* Fits Y[i] (NPS) at X[i] (month index) with Wald SEs SE[i], i < N.
 * Points with SE ≤ 0 or NaN values are left out (a month of one class
 * only has no sampling variance to weigh by). */
trend_fit trend_fit_wls(const double *x, const double *y, const double *se, size_t n, double confidence);

#endif
