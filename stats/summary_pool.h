/* summary_pool.h — the comparisons a summary tests, and how its findings
 * are chosen from them (docs/methods.md §Summary): every comparison with a
 * p-value goes into a pool; the pool's p-values are adjusted for their
 * number (Benjamini–Hochberg, stats/summary_fdr.c), those below the
 * false-discovery rate are significant, the agents among them become one
 * finding (how many above, how many below), and the largest |effect|
 * first are the findings.  Shared by the NPS summary (stats/summary.c)
 * and the CSAT/CES one (stats/metric_summary.c).
 * Owner: stats/summary_pool.c.
 */
#ifndef CX_SUMMARY_POOL_H
#define CX_SUMMARY_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "stats/summary_result.h"

typedef struct finding_pool {
    finding *f;
    size_t n, cap;
    int copy_names; /* 1: the pool holds its own copies of the names, and
                           the chosen findings take them (the caller frees
                           them); 0: names are borrowed from tables that
                           outlive the findings */
} finding_pool;

/* What a selection found: the tests, the significant ones, the findings. */
typedef struct finding_counts {
    size_t n_tests, n_significant, n_findings;
} finding_counts;

/* Adds F when it has a p-value (a group without variation on either side
 * has none and is no test).  0 ok, -1 out of memory. */
int finding_pool_add(finding_pool *p, const finding *f);

/* Adjusts the pool's p-values (each finding's q), keeps those with
 * q < FDR, merges the agents among them (only those in a tier: above or
 * below set) into one finding, and copies the largest |effect| first,
 * at most SUMMARY_FINDINGS_MAX, into OUT.  Ties go by kind, dimension and
 * name, so the order never depends on the sort.  0 ok, -1 out of memory. */
int finding_pool_select(finding_pool *p, double fdr, finding *out, finding_counts *c);

/* One agent against the population POP: its estimate EST with interval
 * LO to HI, posterior SD, N responses; z = (EST − POP) / SD, two-sided
 * normal p; the effect is the gap between the interval and POP on EST's
 * side.  ABOVE/BELOW (0 or 1): whether it counts as clearly above/below
 * when significant.  Added as finding_pool_add does. */
int finding_pool_add_agent(finding_pool *p, int64_t n, double est, double pop, double lo, double hi,
                           double sd, int above, int below);

/* The end of a summary's pool: when RC (how filling it went) is 0, the
 * selection above into OUT with its counts into *N_TESTS, *N_SIGNIFICANT
 * and *N_FINDINGS (all 0 otherwise); then the pool is freed.  Returns RC,
 * or -1 when the selection ran out of memory. */
int finding_pool_finish(finding_pool *p, int rc, double fdr, finding *out, size_t *n_tests,
                        size_t *n_significant, size_t *n_findings);

/* Frees the pool (and the copies of names it still holds). */
void finding_pool_free(finding_pool *p);

#endif
