/* metric_summary_result.h — the executive summary of a CSAT or CES report
 * (docs/methods.md "The report on CSAT or CES"): the month it is about and
 * the findings of that month, every statistically significant comparison,
 * after the correction for their number (Benjamini–Hochberg), the largest
 * in effect first, as the NPS summary has them (stats/summary_result.h):
 * each --by segment against the rest of the month, and the agents clearly
 * above or below the population.  A segment is tested only when it and
 * its rest each have --min-responses answers, with the small-sample-safe
 * tests of stats/metric_summary_compare.h.  Effects
 * and values are shares (0..1) for CSAT, means (1..7) for CES.
 * Owner: stats/metric_summary.c makes and frees it; the run's result
 * points at it.
 */
#ifndef CX_METRIC_SUMMARY_RESULT_H
#define CX_METRIC_SUMMARY_RESULT_H

#include <stddef.h>

#include "stats/summary_result.h"
#include "stats/trendfit.h"

typedef struct metric_summary_part {
    int month;                              /* the month the report shows; 0 = no answers */
    double fdr;                             /* false-discovery rate: 1 − confidence */
    int has_year;                           /* the same month a year before has answers */
    double year_value, year_change, year_p; /* its share or mean; this month's minus it;
                                                 two-proportion or Welch p (NaN: no test) */
    int year_significant;                   /* -1 when year_p is NaN */
    trend_fit trend;                        /* WLS slope of the 12 months ending with MONTH
                                       (shares or means a month; SE: Wald / s/sqrt(n)) */
    finding findings[SUMMARY_FINDINGS_MAX]; /* FIND_SEGMENT and FIND_AGENTS only */
    size_t n_findings;
    size_t n_tests;       /* comparisons with a p-value (each ranked agent one) */
    size_t n_significant; /* of them significant after the correction */
    int min_responses;    /* --min-responses: the fewest answers on each side of a
                                 segment-against-rest comparison for it to be tested */
    size_t n_small;       /* segment comparisons not tested (nor counted in n_tests)
                                 because a side had fewer */
} metric_summary_part;

typedef struct metric_summary {
    metric_summary_part csat, ces;
} metric_summary;

#endif
