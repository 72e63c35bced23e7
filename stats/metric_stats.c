/* metric_stats.c — see metric_stats.h.  GSL for the normal and t
 * distributions (its error handler is off: see cli/main.c). */
#include "stats/metric_stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static double z_of(double confidence)
{
    return gsl_cdf_ugaussian_Pinv((1.0 + confidence) / 2.0);
}

void wilson_interval(double x, double n, double confidence, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (!(n > 0))
        return;
    double z = z_of(confidence), p = x / n, z2 = z * z;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
}

void two_proportion_test(double x1, double n1, double x2, double n2, double *z, double *p)
{
    *z = *p = NAN;
    if (!(n1 > 0) || !(n2 > 0))
        return;
    double pooled = (x1 + x2) / (n1 + n2);
    double se = sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
    if (!(se > 0))
        return;
    *z = (x1 / n1 - x2 / n2) / se;
    *p = 2 * gsl_cdf_ugaussian_Q(fabs(*z));
}

void mean_t_interval(double n, double s, double ss, double confidence, double *mean, double *sd, double *lo,
                     double *hi)
{
    *mean = *sd = *lo = *hi = NAN;
    if (!(n > 0))
        return;
    *mean = s / n;
    if (n < 2)
        return;
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
    if (n1 < 2 || n2 < 2)
        return;
    double a = v1 / n1, b = v2 / n2, se = sqrt(a + b);
    if (!(se > 0))
        return;
    *t = (m1 - m2) / se;
    *df = (a + b) * (a + b) / (a * a / (n1 - 1) + b * b / (n2 - 1));
    *p = 2 * gsl_cdf_tdist_Q(fabs(*t), *df);
}
