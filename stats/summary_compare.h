/* summary_compare.h — the test behind the summary's findings that compare
 * the NPS of two independent groups (a segment against the rest of its
 * month, a segment this month against last month, a moment-of-truth type
 * against routine contacts, high-impact customers against the others;
 * docs/methods.md §Summary).  Unlike the plain change test (stats/nps.h),
 * whose Wald SE is 0 for a group of one class (one response, or all
 * promoters), it stays honest for small groups: each side's counts are
 * adjusted as the adjusted-Wald interval adjusts them, and groups with
 * fewer than --min-responses responses are not tested at all.
 * Owner: stats/summary_compare.c.  Pure functions; no allocation.
 */
#ifndef CX_SUMMARY_COMPARE_H
#define CX_SUMMARY_COMPARE_H

#include <stdint.h>

#include "stats/nps_types.h"

/* A minus B on adjusted counts (P + 0.75, A + 1.5, D + 0.75, n + 3 on each
 * side): NPS'_i = (P'−D')/n', var'_i = (pP' + pD' − NPS'_i²)/n',
 * z = (NPS'_a − NPS'_b) / √(var'_a + var'_b), p = 2·Q(|z|), significant
 * when p < 1 − CONFIDENCE.  DIFF is the raw NPS difference (the effect
 * shown); SE (in NPS points), z and p are the adjusted test's.  SE' > 0
 * whenever both sides have responses; a side without any gives diff, se,
 * z and p NaN and significant −1. */
nps_change summary_compare(const nps_counts *a, const nps_counts *b, double confidence);

/* 1 when both groups have at least MIN responses (the --min-responses a
 * comparison needs to be tested as a finding), else 0. */
static inline int summary_testable(int64_t na, int64_t nb, int min) { return na >= min && nb >= min; }

#endif
