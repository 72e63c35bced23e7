/* metrics_result.h — the finished CSAT and CES tables (csat.csv,
 * csat_change.csv, ces.csv, ces_change.csv in docs/formats.md).  Owner:
 * stats/metrics.c; the run's result points at it (stats/result.h).
 * Undefined numbers are NaN; significant is -1 when p is undefined.
 */
#ifndef CX_METRICS_RESULT_H
#define CX_METRICS_RESULT_H

#include <stddef.h>

/* One period (month key, 0 = all) x segment (dim 0 = all/all). */
typedef struct csat_row {
    int month;
    size_t dim;
    const char *segment;
    long long n, satisfied;        /* satisfied: 4-5 of 5, or good */
    double share, ci_low, ci_high; /* share of n; Wilson interval */
} csat_row;

typedef struct csat_change_row {
    size_t dim;
    const char *segment;
    int month, prev_month; /* calendar months in a row */
    double share, prev_share, change, z, p;
    int significant;
} csat_change_row;

typedef struct ces_row {
    int month;
    size_t dim;
    const char *segment;
    long long n;
    double mean, sd, ci_low, ci_high; /* t interval */
} ces_row;

typedef struct ces_change_row {
    size_t dim;
    const char *segment;
    int month, prev_month;
    double mean, prev_mean, change, t, df, p; /* Welch */
    int significant;
} ces_change_row;

/* A segment of a month against every other answer of that month (CSAT:
 * the two-proportion z-test; CES: Welch's t-test), parallel to the rows;
 * the all/all rows and segments with no other answers are NaN, -1. */
typedef struct metric_vs_rest {
    double rest;        /* the others' share or mean */
    double diff;        /* the segment's minus the others' */
    double stat, df, p; /* z (df NaN) or Welch t and df; two-sided p */
    int significant;
} metric_vs_rest;

typedef struct metrics_result {
    const csat_row *csat;
    const metric_vs_rest *csat_vs_rest; /* one per csat row */
    size_t n_csat;
    const csat_change_row *csat_changes;
    size_t n_csat_changes;
    const ces_row *ces;
    const metric_vs_rest *ces_vs_rest; /* one per ces row */
    size_t n_ces;
    const ces_change_row *ces_changes;
    size_t n_ces_changes;
} metrics_result;

#endif
