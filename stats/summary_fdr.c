/* summary_fdr.c — Benjamini–Hochberg adjusted p-values (summary_fdr.h).
 *
 * Benjamini Y., Hochberg Y. (1995), Controlling the false discovery rate,
 * JRSS B 57:289–300; adjusted p-values as in Wright (1992) and R's
 * p.adjust: sort ascending, q_(j) = min(1, m·p_(j)/j), then the running
 * minimum from the largest down so that q never decreases with p.
 */
#include "stats/summary_fdr.h"
#include "core/xsort.h"

#include <stdlib.h>

typedef struct ranked_p {
    double p;
    size_t i;
} ranked_p;

static int by_p(const void *a, const void *b)
{
    const ranked_p *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int fdr_bh_adjust(const double *p, size_t m, double *q)
{
    if (m == 0) return 0;
    ranked_p *r = malloc(m * sizeof *r);
    if (!r) return -1;
    for (size_t i = 0; i < m; i++) r[i] = (ranked_p){p[i], i};
    cx_qsort(r, m, sizeof *r, by_p);
    double run = 1.0;
    for (size_t j = m; j-- > 0;) {
        double v = (double)m * r[j].p / (double)(j + 1);
        if (v < run) run = v;
        q[r[j].i] = run;
    }
    free(r);
    return 0;
}
