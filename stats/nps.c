/* nps.c — see nps.h.  Formulas: docs/methods.md, "NPS, its uncertainty and changes". */
#include "stats/nps.h"

#include <math.h>
#include <gsl/gsl_cdf.h>

double nps_z(double confidence) { return gsl_cdf_ugaussian_Pinv((1.0 + confidence) / 2.0); }

static double clip100(double v) { return v < -100.0 ? -100.0 : (v > 100.0 ? 100.0 : v); }

nps_est nps_estimate(const nps_counts *c, double z)
{
    nps_est e;
    e.n = nps_counts_n(c);
    if (e.n == 0) {
        e.nps = e.se = e.ci_low = e.ci_high = NAN;
        return e;
    }
    double n = (double)e.n;
    double pp = (double)c->p / n, pd = (double)c->d / n;
    e.nps = 100.0 * (pp - pd);
    double var = pp + pd - (pp - pd) * (pp - pd);
    e.se = 100.0 * sqrt(var > 0.0 ? var : 0.0);
    e.se /= sqrt(n);

    /* Adjusted Wald: add 0.75 promoters, 0.75 detractors, 1.5 passives
     * (n' = n + 3); the point estimate stays the raw NPS. */
    double n2 = n + 3.0;
    double pp2 = ((double)c->p + 0.75) / n2, pd2 = ((double)c->d + 0.75) / n2;
    double nps2 = pp2 - pd2;
    double var2 = pp2 + pd2 - nps2 * nps2;
    double se2 = sqrt((var2 > 0.0 ? var2 : 0.0) / n2);
    e.ci_low = clip100(100.0 * (nps2 - z * se2));
    e.ci_high = clip100(100.0 * (nps2 + z * se2));
    return e;
}

nps_change nps_compare(const nps_est *a, const nps_est *b, double confidence)
{
    nps_change ch;
    ch.diff = a->nps - b->nps;
    ch.se = sqrt(a->se * a->se + b->se * b->se);
    if (!(ch.se > 0.0) || isnan(ch.diff)) {
        ch.z = ch.p = NAN;
        ch.significant = -1;
        return ch;
    }
    ch.z = ch.diff / ch.se;
    ch.p = 2.0 * gsl_cdf_ugaussian_Q(fabs(ch.z));
    ch.significant = ch.p < 1.0 - confidence;
    return ch;
}
