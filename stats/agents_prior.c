/* agents_prior.c — the empirical-Bayes prior of agent scoring: the ANOVA
 * intraclass correlation of the promoter and detractor indicators, the
 * prior strength m = (1−ρ)/ρ and the Dirichlet posterior of the NPS.
 * Formulas: docs/methods.md, "Agent scoring".
 */
#include "stats/nps.h"
#include "stats/agents.h"

#include <math.h>

static double clip100(double v) { return v < -100.0 ? -100.0 : (v > 100.0 ? 100.0 : v); }

agent_shrunk agent_shrink(const nps_counts *c, double pi_p, double pi_d, double m, double z)
{
    agent_shrunk s;
    if (isinf(m)) {
        /* Full pooling: the posterior is the prior's point mass. */
        s.nps = 100.0 * (pi_p - pi_d);
        s.sd = isnan(s.nps) ? NAN : 0.0;
        s.ci_low = s.ci_high = s.nps;
        return s;
    }
    double n = (double)nps_counts_n(c);
    double a0 = n + m;
    double ap = (double)c->p + (m > 0.0 ? m * pi_p : 0.0);
    double ad = (double)c->d + (m > 0.0 ? m * pi_d : 0.0);
    if (!(a0 > 0.0) || isnan(ap) || isnan(ad)) {
        s.nps = s.sd = s.ci_low = s.ci_high = NAN;
        return s;
    }
    s.nps = 100.0 * (ap - ad) / a0;
    /* Var(θP − θD) of a Dirichlet(a): Var θP + Var θD − 2 Cov(θP, θD), with
     * Var θj = aj(a0−aj)/(a0²(a0+1)) and Cov = −aP·aD/(a0²(a0+1)). */
    double var = (ap * (a0 - ap) + ad * (a0 - ad) + 2.0 * ap * ad) / (a0 * a0 * (a0 + 1.0));
    s.sd = 100.0 * sqrt(var > 0.0 ? var : 0.0);
    s.ci_low = clip100(s.nps - z * s.sd);
    s.ci_high = clip100(s.nps + z * s.sd);
    return s;
}

/* MSB and MSW are sums of K and N rounded terms: an exact ρ = 0 comes out
 * as MSB − MSW of a few ulps (5.6e-17 for a0 4 of 7, a1 3 of 3, a2 4 of 5),
 * i.e. m ≈ 1.8e16 instead of ∞.  So MSB and MSW equal to a relative 1e-12
 * (about 4500 ulps, well above the rounding of such sums for any realistic
 * K and N) count as ρ = 0.  What that throws away is |ρ| ≲ 2e-12/n0 (the
 * denominator is ≈ n0·MSW there), m ≳ 5e11·n0 pseudo-responses: an
 * estimate indistinguishable from full pooling. */
int agents_icc_is_zero(double msb, double msw) { return fabs(msb - msw) <= 1e-12 * (msb + msw); }

double agents_icc(const int64_t *n, const int64_t *x, size_t k)
{
    if (k < 2) return NAN;
    double big_n = 0.0, big_x = 0.0, sum_n2 = 0.0;
    for (size_t i = 0; i < k; i++) {
        big_n += (double)n[i];
        big_x += (double)x[i];
        sum_n2 += (double)n[i] * (double)n[i];
    }
    if (!(big_n - (double)k > 0.0)) return NAN;
    double p = big_x / big_n;
    double ssb = 0.0, ssw = 0.0;
    for (size_t i = 0; i < k; i++) {
        if (n[i] <= 0) continue;
        double ni = (double)n[i], pi = (double)x[i] / ni;
        ssb += ni * (pi - p) * (pi - p);
        ssw += ni * pi * (1.0 - pi);
    }
    double msb = ssb / (double)(k - 1);
    double msw = ssw / (big_n - (double)k);
    double n0 = (big_n - sum_n2 / big_n) / (double)(k - 1);
    double den = msb + (n0 - 1.0) * msw;
    /* den ≤ 0 only when the indicator has no variance at all (p = 0 or 1):
     * the correlation is 0/0, undefined. */
    if (!(den > 0.0)) return NAN;
    if (agents_icc_is_zero(msb, msw)) return 0.0;
    return (msb - msw) / den;
}

double agents_m_from_rho(double rho)
{
    if (isnan(rho) || rho <= 0.0) return INFINITY;
    if (rho >= 1.0) return 0.0;
    return (1.0 - rho) / rho;
}
