/* agents_rank.c — competition ranks ("1224") and the Spearman correlation
 * with its t-test, for the agent leaderboard.  docs/methods.md, "Agent scoring".
 */
#include "stats/agents.h"
#include "core/xsort.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

typedef struct keyed {
    double v; /* value, negated for a descending ranking */
    size_t i;
} keyed;

static int keyed_cmp(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int na = isnan(a->v), nb = isnan(b->v);
    if (na || nb) return na - nb; /* NaNs last */
    if (a->v < b->v) return -1;
    if (a->v > b->v) return 1;
    return a->i < b->i ? -1 : (a->i > b->i);
}

/* Equal within a relative 1e-9: two agents whose shrunk NPS differ only by
 * rounding in the last bits must share a rank. */
static int near_equal(double a, double b)
{
    double scale = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= 1e-9 * scale;
}

int agents_rank(const double *v, size_t n, int descending, int *rank)
{
    if (n == 0) return 0;
    keyed *k = malloc(n * sizeof *k);
    if (!k) return -1;
    for (size_t i = 0; i < n; i++) {
        k[i].v = descending ? -v[i] : v[i];
        k[i].i = i;
    }
    cx_qsort(k, n, sizeof *k, keyed_cmp);
    int prev_rank = 0;
    for (size_t j = 0; j < n; j++) {
        if (isnan(k[j].v)) {
            rank[k[j].i] = 0;
            continue;
        }
        int r = (j > 0 && near_equal(k[j].v, k[j - 1].v)) ? prev_rank : (int)(j + 1);
        rank[k[j].i] = r;
        prev_rank = r;
    }
    free(k);
    return 0;
}

static int is_constant(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0]) return 0;
    return 1;
}

agents_spearman_t agents_spearman(const double *x, const double *y, size_t n)
{
    agents_spearman_t s = {(int64_t)n, NAN, NAN};
    if (n < 3 || is_constant(x, n) || is_constant(y, n)) return s;
    double *work = malloc(2 * n * sizeof *work);
    if (!work) return s;
    /* Pearson correlation of the midranks (GSL ranks ties by their mean). */
    s.r = gsl_stats_spearman(x, 1, y, 1, n, work);
    free(work);
    if (isnan(s.r)) return s;
    if (s.r > 1.0) s.r = 1.0;
    if (s.r < -1.0) s.r = -1.0;
    double df = (double)n - 2.0;
    if (fabs(s.r) >= 1.0) {
        s.p = 0.0;
    } else {
        double t = s.r * sqrt(df / (1.0 - s.r * s.r));
        s.p = 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
    }
    return s;
}
