/* nps.h — NPS counts, point estimate, Wald SE, adjusted-Wald interval and
 * the change test between two independent groups (docs/methods.md).
 *
 * Owner: stats/nps.c.  Pure functions on plain structs; no allocation.
 * "Undefined" values are NaN; the CSV writer prints NaN as an empty field.
 */
#ifndef CX_NPS_H
#define CX_NPS_H

#include <stdint.h>

#include "core/model.h"
#include "stats/nps_types.h"

static inline void nps_counts_add(nps_counts *c, int score)
{
    int cls = cx_nps_class(score);
    if (cls > 0) c->p++;
    else if (cls == 0) c->a++;
    else c->d++;
}

static inline void nps_counts_merge(nps_counts *into, const nps_counts *c)
{
    into->p += c->p;
    into->a += c->a;
    into->d += c->d;
}

static inline int64_t nps_counts_n(const nps_counts *c) { return c->p + c->a + c->d; }

/* Two-sided normal quantile z = Pinv((1+confidence)/2); 0 < confidence < 1. */
double nps_z(double confidence);

/* Point estimate, Wald SE and adjusted-Wald interval at quantile Z. */
nps_est nps_estimate(const nps_counts *c, double z);

/* Change test between two estimates (a minus b); significance at level
 * 1−confidence. */
nps_change nps_compare(const nps_est *a, const nps_est *b, double confidence);

#endif
