/* metric_stats.c — see metric_stats.h and metric_summary_compare.h.  GSL for the normal and t
 * distributions (its error handler is off: see cli/main.c). */
#include "stats/metric_stats.h"
#include "stats/metric_summary_compare.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static double z_of(double confidence) { return gsl_cdf_ugaussian_Pinv((1.0 + confidence) / 2.0); }

void wilson_interval(double x, double n, double confidence, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (!(n > 0)) return;
    double z = z_of(confidence), p = x / n, z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
}

void two_proportion_test(double x1, double n1, double x2, double n2, double *z, double *p)
{
    *z = *p = NAN;
    if (!(n1 > 0) || !(n2 > 0)) return;
    double pooled = (x1 + x2) / (n1 + n2);
    double se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    if (!(se > 0)) return;
    *z = (x1 / n1 - x2 / n2) / se;
    *p = 2 * gsl_cdf_ugaussian_Q(fabs(*z));
}

void mean_t_interval(double n, double s, double ss, double confidence, double *mean, double *sd, double *lo,
                     double *hi)
{
    *mean = *sd = *lo = *hi = NAN;
    if (!(n > 0)) return;
    *mean = s / n;
    if (n < 2) return;
    /* (n·SS − S²) / (n(n−1)): exact in doubles for integer scores. */
    double var = (n * ss - s * s) / (n * (n - 1));
    *sd = sqrt(var > 0 ? var : 0);
    double half = gsl_cdf_tdist_Pinv((1.0 + confidence) / 2.0, n - 1) * *sd / sqrt(n);
    *lo = *mean - half;
    *hi = *mean + half;
}

void interval_clip(double *lo, double *hi, double min, double max)
{
    if (*lo < min) *lo = min;
    if (*hi > max) *hi = max;
}

void welch_test(double n1, double m1, double v1, double n2, double m2, double v2, double *t, double *df,
                double *p)
{
    *t = *df = *p = NAN;
    if (n1 < 2 || n2 < 2) return;
    double a = v1 / n1, b = v2 / n2, se = sqrt(a + b);
    if (!(se > 0)) return;
    *t = (m1 - m2) / se;
    *df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
    *p = 2 * gsl_cdf_tdist_Q(fabs(*t), *df);
}

static int is_significant(double p, double confidence) { return isnan(p) ? -1 : p < 1 - confidence; }

void csat_against_rest(double x, double n, double xall, double nall, double confidence, metric_vs_rest *out)
{
    double rx = xall - x, rn = nall - n;
    *out = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
    if (!(n > 0) || !(rn > 0)) return;
    out->rest = rx / rn;
    out->diff = x / n - out->rest;
    two_proportion_test(x, n, rx, rn, &out->stat, &out->p);
    out->significant = is_significant(out->p, confidence);
}

/* Sample variance from N, sum S and sum of squares SS (exact for integer
 * scores, as in mean_t_interval); NaN for N < 2. */
static double variance(double n, double s, double ss)
{
    if (n < 2) return NAN;
    double v = (n * ss - s * s) / (n * (n - 1));
    return v > 0 ? v : 0;
}

void ces_against_rest(double n, double s, double ss, double nall, double sall, double ssall,
                      double confidence, metric_vs_rest *out)
{
    double rn = nall - n, rs = sall - s, rss = ssall - ss;
    *out = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
    if (!(n > 0) || !(rn > 0)) return;
    out->rest = rs / rn;
    out->diff = s / n - out->rest;
    welch_test(n, s / n, variance(n, s, ss), rn, out->rest, variance(rn, rs, rss), &out->stat, &out->df,
               &out->p);
    out->significant = is_significant(out->p, confidence);
}

/* ---- the summary's small-sample-safe tests (metric_summary_compare.h) ---- */

void csat_compare_adjusted(double x, double n, double xr, double nr, double confidence, metric_vs_rest *out)
{
    *out = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
    if (!(n > 0) || !(nr > 0)) return;
    out->rest = xr / nr;
    out->diff = x / n - out->rest;
    /* Agresti and Caffo (2000): one success and one failure added to each
     * side; both shares then lie strictly inside (0, 1), so se > 0. */
    double a = (x + 1) / (n + 2), b = (xr + 1) / (nr + 2);
    double se = sqrt(a * (1 - a) / (n + 2) + b * (1 - b) / (nr + 2));
    out->stat = (a - b) / se;
    out->p = 2 * gsl_cdf_ugaussian_Q(fabs(out->stat));
    out->significant = is_significant(out->p, confidence);
}

void ces_compare_pooled(double n, double s, double ss, double nr, double sr, double ssr, double confidence,
                        metric_vs_rest *out)
{
    *out = (metric_vs_rest){NAN, NAN, NAN, NAN, NAN, -1};
    if (!(n > 0) || !(nr > 0)) return;
    out->rest = sr / nr;
    out->diff = s / n - out->rest;
    /* Under "the segment is like the rest of its month" both sides share
     * one variance: the within-group sums of squares of both over
     * n + nr − 2 (Student's two-sample t).  It is 0 only when every answer
     * of the month lies on its side's mean (then no test; sums rebuilt
     * from a mean and an SD may leave a rounding residue there). */
    double df = n + nr - 2;
    double within = (ss - s * s / n) + (ssr - sr * sr / nr);
    if (!(df > 0) || !(within > 1e-9 * (ss + ssr))) return;
    double se = sqrt(within / df * (1 / n + 1 / nr));
    if (!(se > 0)) return;
    out->stat = out->diff / se;
    out->df = df;
    out->p = 2 * gsl_cdf_tdist_Q(fabs(out->stat), df);
    out->significant = is_significant(out->p, confidence);
}
