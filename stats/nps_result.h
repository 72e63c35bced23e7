/* nps_result.h — the finished NPS tables of one run: nps.csv and
 * nps_change.csv rows, and what the report shows from them (trend,
 * headline change, each segment against the rest of its month, score
 * distribution).  Plain data, read by report/ and never changed there.
 * Owner: stats/nps_analysis.c builds it from a finished nps_table
 * (stats/trend.h), whose rows and strings it points into: it lives as
 * long as that table.  "Undefined" numbers are NaN.
 */
#ifndef CX_NPS_RESULT_H
#define CX_NPS_RESULT_H

#include <stddef.h>

#include "stats/nps_types.h"

typedef struct nps_row {
    int month;           /* month key; 0 = the `all` period */
    size_t dim;          /* 0 = overall (all/all); i+1 = the i-th --by dimension */
    const char *segment; /* "all" for dim 0 */
    nps_counts c;
    nps_est e;
} nps_row;

typedef struct nps_change_row {
    size_t dim;
    const char *segment;
    int month, prev_month;
    nps_est cur, prev;
    nps_change ch;
} nps_change_row;

/* One month of the trend: its overall row, and the change from the
 * previous calendar month (NULL when that month has no responses). */
typedef struct nps_trend_pt {
    int month;
    const nps_row *row;
    const nps_change_row *change;
} nps_trend_pt;

typedef struct nps_result {
    /* Rows ordered by period (months ascending, then `all`), then
     * dimension (overall first, then --by order), then segment (bytes). */
    const nps_row *rows;
    size_t n_rows;
    /* Parallel to ROWS: a segment row (dim ≥ 1) against every other
     * response of its period, as two independent groups; overall rows
     * (dim 0) have diff NaN and significant −1. */
    const nps_change *vs_rest;
    /* Changes ordered by dimension, segment, month. */
    const nps_change_row *changes;
    size_t n_changes;
    const nps_trend_pt *trend; /* every month with responses, ascending */
    size_t n_trend;
    /* The report's month (--month, else the latest month with data; 0 =
     * none): its overall row, the previous month's and the change between
     * them, each NULL when missing. */
    int report_month;
    const nps_row *current, *previous;
    const nps_change_row *change;
    long long score_hist[11]; /* scores 0..10 in --month, every month without it */
} nps_result;

#endif
