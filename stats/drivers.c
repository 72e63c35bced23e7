/* drivers.c — see drivers.h.  Formulas: docs/methods.md §Drivers.
 *
 * Kitagawa (1955), symmetric form: with shares w0, w1 and NPS N0, N1 of a
 * segment in m0 and m1,
 *   rate = (w0 + w1)/2 · (N1 − N0),   mix = (w1 − w0) · (N0 + N1)/2,
 * and rate + mix = w1·N1 − w0·N0, so the effects add up to the change of
 * the dimension's NPS Σ w1·N1 − Σ w0·N0.  A segment absent in one month
 * takes that month's NPS from the other one (its rate effect is then 0).
 */
#include "stats/drivers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The rows of T for (MONTH, DIM): they are contiguous and sorted by
 * segment (trend.h's row order). */
static size_t month_rows(const nps_row *rows, size_t n, int month, size_t dim, const nps_row **out)
{
    size_t i = 0;
    while (i < n && !(rows[i].month == month && rows[i].dim == dim)) i++;
    size_t j = i;
    while (j < n && rows[j].month == month && rows[j].dim == dim) j++;
    *out = rows + i;
    return j - i;
}

static void dim_totals(const nps_row *r, size_t n, int64_t *total, double *nps)
{
    nps_counts c = {0, 0, 0};
    for (size_t i = 0; i < n; i++) nps_counts_merge(&c, &r[i].c);
    *total = nps_counts_n(&c);
    *nps = *total ? 100.0 * (double)(c.p - c.d) / (double)*total : NAN;
}

/* One segment from its rows in m0 (A) and m1 (B); one of them may be NULL
 * (a segment absent that month), not both. */
static int fill_row(driver_row *d, size_t dim, const nps_row *a, const nps_row *b, int64_t n0, int64_t n1,
                    double confidence)
{
    /* A month the segment is absent from takes the other month's row. */
    const nps_row *x0 = a ? a : b, *x1 = b ? b : a;
    memset(d, 0, sizeof *d);
    if (!x0 || !x1) return -1;
    d->dim = dim;
    d->segment = strdup(x0->segment);
    if (!d->segment) return -1;
    d->n_prev = a ? a->e.n : 0;
    d->n = b ? b->e.n : 0;
    d->nps_prev = a ? a->e.nps : NAN;
    d->nps = b ? b->e.nps : NAN;
    d->w_prev = (double)d->n_prev / (double)n0;
    d->w = (double)d->n / (double)n1;
    double v0 = x0->e.nps, v1 = x1->e.nps;
    double wbar = (d->w_prev + d->w) / 2.0;
    d->rate = wbar * (v1 - v0);
    d->mix = (d->w - d->w_prev) * (v0 + v1) / 2.0;
    d->total = d->rate + d->mix;
    d->se_rate = d->z = d->p_rate = NAN;
    d->significant = -1;
    if (a && b) {
        /* The rate effect is the NPS change scaled by wbar > 0: its z and
         * p are the change test's.  A zero SE (each month all of one
         * class) has no test: se_rate stays empty with z and p. */
        nps_change ch = nps_compare(&b->e, &a->e, confidence);
        if (ch.se > 0.0 && isfinite(ch.se)) d->se_rate = wbar * ch.se;
        d->z = ch.z;
        d->p_rate = ch.p;
        d->significant = ch.significant;
    }
    return 0;
}

/* Rows of one dimension: the union of its segments in m0 (A) and m1 (B). */
static int dim_rows(drivers *d, size_t dim, const nps_row *a, size_t na, const nps_row *b, size_t nb,
                    double confidence)
{
    driver_dim *dd = &d->dims[dim - 1];
    dim_totals(a, na, &dd->n_prev, &dd->nps_prev);
    dim_totals(b, nb, &dd->n, &dd->nps);
    dd->first = d->nrows;
    if (dd->n_prev == 0 || dd->n == 0) return 0;
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i].segment, b[j].segment);
        const nps_row *x = c <= 0 ? &a[i++] : NULL;
        const nps_row *y = c >= 0 ? &b[j++] : NULL;
        if (fill_row(&d->rows[d->nrows], dim, x, y, dd->n_prev, dd->n, confidence) != 0) return -1;
        d->nrows++;
        dd->count++;
    }
    return 0;
}

drivers *drivers_new(const nps_table *t, size_t n_by, int month, double confidence)
{
    drivers *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->n_by = n_by;
    d->dims = calloc(n_by ? n_by : 1, sizeof *d->dims);
    if (!d->dims) {
        drivers_free(d);
        return NULL;
    }
    if (month == 0) return d;
    d->month = month;
    d->prev_month = month - 1;
    const nps_row *rows;
    size_t n = nps_table_rows(t, &rows), cap = 0;
    for (size_t k = 0; k < n; k++)
        if (rows[k].dim > 0 && (rows[k].month == month || rows[k].month == month - 1)) cap++;
    d->rows = calloc(cap ? cap : 1, sizeof *d->rows);
    if (!d->rows) {
        drivers_free(d);
        return NULL;
    }
    for (size_t dim = 1; dim <= n_by; dim++) {
        const nps_row *a, *b;
        size_t na = month_rows(rows, n, month - 1, dim, &a);
        size_t nb = month_rows(rows, n, month, dim, &b);
        if (dim_rows(d, dim, a, na, b, nb, confidence) != 0) {
            drivers_free(d);
            return NULL;
        }
    }
    return d;
}

void drivers_free(drivers *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nrows; i++) free(d->rows[i].segment);
    free(d->rows);
    free(d->dims);
    free(d);
}
