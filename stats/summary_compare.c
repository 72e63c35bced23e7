/* summary_compare.c — the adjusted two-group NPS test of the summary's
 * findings (summary_compare.h).
 *
 * The same pseudo-counts as the adjusted-Wald interval of one NPS
 * (docs/methods.md §NPS; 0.75 promoters, 1.5 passives, 0.75 detractors)
 * are added to each side, and both the difference and its variance are
 * taken from the adjusted proportions: the two-group analogue of that
 * interval, as Agresti and Caffo (2000, The American Statistician 54:
 * 280–288) adjust each of two binomial samples before a Wald comparison.
 * Adjusting the variance alone is not enough: one detractor against a
 * month at NPS 37 still gives p ≈ 0.0002, since the raw difference of
 * 137 points is itself an artefact of n = 1.
 */
#include "stats/summary_compare.h"
#include "stats/nps.h"

#include <gsl/gsl_cdf.h>

#include <math.h>

/* Adjusted NPS (as a fraction) of C and its variance. */
static void adjusted(const nps_counts *c, double *v, double *var)
{
    double n2 = (double)nps_counts_n(c) + 3.0;
    double pp = ((double)c->p + 0.75) / n2, pd = ((double)c->d + 0.75) / n2;
    *v = pp - pd;
    double w = pp + pd - *v * *v; /* > 0: both shares lie strictly inside (0, 1) */
    *var = w / n2;
}

nps_change summary_compare(const nps_counts *a, const nps_counts *b, double confidence)
{
    nps_change ch = {NAN, NAN, NAN, NAN, -1};
    int64_t na = nps_counts_n(a), nb = nps_counts_n(b);
    if (na <= 0 || nb <= 0) return ch;
    ch.diff = 100.0 * ((double)(a->p - a->d) / (double)na - (double)(b->p - b->d) / (double)nb);
    double va, wa, vb, wb;
    adjusted(a, &va, &wa);
    adjusted(b, &vb, &wb);
    double se = sqrt(wa + wb);
    ch.se = 100.0 * se;
    ch.z = (va - vb) / se;
    ch.p = 2.0 * gsl_cdf_ugaussian_Q(fabs(ch.z));
    ch.significant = ch.p < 1.0 - confidence;
    return ch;
}
