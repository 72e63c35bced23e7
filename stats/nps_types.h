/* nps_types.h — the plain NPS values a result carries: counts, an
 * estimate with its interval, and a change between two estimates.  Data
 * only, so that the results (the stats/ result headers) and report/ can name them
 * without the statistics that make them (stats/nps.h).
 * Owner: stats/nps.c fills them.
 */
#ifndef CX_NPS_TYPES_H
#define CX_NPS_TYPES_H

#include <stdint.h>

typedef struct nps_counts {
    int64_t p, a, d; /* promoters, passives, detractors */
} nps_counts;

typedef struct nps_est {
    int64_t n;
    double nps;             /* 100·(P−D)/n; NaN when n = 0 */
    double se;              /* Wald SE in NPS points; NaN when n = 0 */
    double ci_low, ci_high; /* adjusted-Wald CI, clipped to [−100, 100] */
} nps_est;

typedef struct nps_change {
    double diff;     /* nps − prev_nps */
    double se;       /* sqrt(se1² + se2²) of the Wald SEs */
    double z, p;     /* NaN when se = 0 */
    int significant; /* 1 / 0; −1 when p is undefined */
} nps_change;

#endif
