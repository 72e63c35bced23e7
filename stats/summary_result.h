/* summary_result.h — the executive summary of a report (docs/methods.md
 * §Summary): the report month's NPS, its change against the month before
 * and the same month a year before with their tests, the trend over the
 * 12 months ending with it as a fitted slope, and the findings: every
 * comparison of the month that stays significant after the correction
 * for multiple comparisons (Benjamini–Hochberg), the largest in effect
 * first.  Two groups are compared with the small-sample-safe test of
 * stats/summary_compare.h, and only when each has --min-responses.
 * Plain data, read by report/ and never changed there.
 * Owner: stats/summary.c makes and frees it.  "Undefined" numbers are NaN.
 */
#ifndef CX_SUMMARY_RESULT_H
#define CX_SUMMARY_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "stats/nps_result.h"
#include "stats/trendfit.h"

typedef enum finding_kind {
    FIND_SEGMENT, /* a --by segment against the rest of the month */
    FIND_DRIVER,  /* a segment's rate effect on the change from last month */
    FIND_MOT,     /* a moment-of-truth type against routine responses */
    FIND_HIC,     /* high-impact customers against the others */
    FIND_AGENTS,  /* agents clearly above / below the population */
} finding_kind;

typedef struct finding {
    finding_kind kind;
    size_t dim;          /* SEGMENT, DRIVER: the dimension (1 = first --by) */
    char *name;          /* segment, MoT type (owned); NULL for HIC and AGENTS */
    int64_t n;           /* responses of the group */
    double value, other; /* the group's NPS and the comparison's (rest, routine,
                               other customers, population); DRIVER: the segment's
                               NPS this month and last month */
    double effect;       /* signed NPS points: value − other; DRIVER: rate effect;
                               AGENTS: the clearest gap between an interval and
                               the population */
    double p;            /* two-sided; NaN for AGENTS (one line for many tests) */
    int above, below;    /* AGENTS: how many clearly above / below */
    double q;            /* p adjusted for the number of comparisons (Benjamini–
                               Hochberg); AGENTS: the largest of its agents' */
} finding;

#define SUMMARY_FINDINGS_MAX 5
#define SUMMARY_TREND_MONTHS 12

typedef struct summary {
    int month;  /* report month key; 0 = no data */
    int window; /* months of the trailing window */
    double confidence;
    const nps_row *current; /* overall row of the month, or NULL */
    int has_prev, has_year;
    nps_est prev, year; /* the month before; the same month a year before */
    nps_change vs_prev, vs_year;
    trend_fit trend; /* slope over the 12 months ending with the month */
    finding findings[SUMMARY_FINDINGS_MAX];
    size_t n_findings;
    size_t n_tests;       /* comparisons with a p-value, tested for findings */
    size_t n_significant; /* of them significant after the correction (each
                                       agent counts; the findings are the largest) */
    double fdr;           /* false-discovery rate held: 1 − confidence */
    int min_responses;    /* --min-responses: the fewest responses on each side of
                                       a two-group comparison (segment, driver, MoT, HIC)
                                       for it to be tested */
    size_t n_small;       /* two-group comparisons not tested (nor counted in
                                       n_tests) because a side had fewer */
} summary;

#endif
