/* trendfit.c — see trendfit.h.
 *
 * With weights w = 1/SE², the WLS slope is b = Σw(x−x̄)(y−ȳ) / Σw(x−x̄)²
 * (x̄, ȳ weighted means) and, if the SEs were the only noise, Var(b) =
 * 1/Σw(x−x̄)².  Monthly NPS also move for real reasons besides sampling,
 * so the variance is multiplied by φ = Σw·resid²/(k−2) when that exceeds
 * 1 (the multiplicative dispersion of meta-regression; never below 1, so
 * the interval is never narrower than sampling noise alone allows).
 */
#include "stats/trendfit.h"
#include "stats/nps.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

trend_fit trend_fit_wls(const double *x, const double *y, const double *se, size_t n, double confidence)
{
    trend_fit f = {0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, -1};
    double sw = 0, swx = 0, swy = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(se[i] > 0) || isnan(y[i]) || isnan(x[i])) continue;
        double w = 1.0 / (se[i] * se[i]);
        sw += w;
        swx += w * x[i];
        swy += w * y[i];
        f.k++;
    }
    if (f.k < 3) return f;
    double mx = swx / sw, my = swy / sw, sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(se[i] > 0) || isnan(y[i]) || isnan(x[i])) continue;
        double w = 1.0 / (se[i] * se[i]);
        sxx += w * (x[i] - mx) * (x[i] - mx);
        sxy += w * (x[i] - mx) * (y[i] - my);
    }
    if (!(sxx > 0)) return f;
    f.slope = sxy / sxx;
    double chi2 = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(se[i] > 0) || isnan(y[i]) || isnan(x[i])) continue;
        double r = y[i] - (my + f.slope * (x[i] - mx));
        chi2 += r * r / (se[i] * se[i]);
    }
    f.phi = chi2 / (double)(f.k - 2);
    if (f.phi < 1.0) f.phi = 1.0;
    f.se = sqrt(f.phi / sxx);
    f.z = f.slope / f.se;
    f.p = 2.0 * gsl_cdf_ugaussian_Q(fabs(f.z));
    double zc = nps_z(confidence);
    f.lo = f.slope - zc * f.se;
    f.hi = f.slope + zc * f.se;
    f.significant = f.p < 1.0 - confidence;
    return f;
}
