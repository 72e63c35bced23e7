/* metric_stats.h — the statistics of the CSAT and CES tables
 * (docs/methods.md "CSAT and CES"): a share with its Wilson interval and
 * the two-proportion z-test; a mean with its t interval and Welch's test.
 * Pure functions over counts and sums.  Owner: stats/metric_stats.c.
 * Undefined values are NaN.
 */
#ifndef CX_METRIC_STATS_H
#define CX_METRIC_STATS_H

#include "stats/metrics_result.h"

/* Wilson score interval of X successes in N at z = Pinv((1+CONFIDENCE)/2). */
void wilson_interval(double x, double n, double confidence, double *lo, double *hi);

/* Pooled two-proportion z-test of X1/N1 against X2/N2: z and two-sided p.
 * A zero standard error (both shares 0 or 1) leaves both NaN. */
void two_proportion_test(double x1, double n1, double x2, double n2, double *z, double *p);

/* Mean, sample SD and t interval of N values with sum S and sum of squares
 * SS.  N = 1: SD and interval NaN. */
void mean_t_interval(double n, double s, double ss, double confidence, double *mean, double *sd, double *lo,
                     double *hi);

/* Clips the interval [*LO, *HI] to the scale [MIN, MAX] its values live
 * on (a CES mean lies in 1..7 whatever its interval says); NaN stays NaN. */
void interval_clip(double *lo, double *hi, double min, double max);

/* Welch's t-test of two samples given as N, mean and sample variance:
 * t, Welch-Satterthwaite df and two-sided p.  NaN when either N < 2 or the
 * standard error is 0. */
void welch_test(double n1, double m1, double v1, double n2, double m2, double v2, double *t, double *df,
                double *p);

/* A CSAT segment (X satisfied of N) against the rest of its period (the
 * period's XALL of NALL less the segment): two-proportion z-test.  No
 * other answers: NaN, -1. */
void csat_against_rest(double x, double n, double xall, double nall, double confidence, metric_vs_rest *out);

/* A CES segment (N answers, sum S, sum of squares SS) against the rest of
 * its period (NALL, SALL, SSALL less the segment): Welch's t-test. */
void ces_against_rest(double n, double s, double ss, double nall, double sall, double ssall,
                      double confidence, metric_vs_rest *out);

#endif
