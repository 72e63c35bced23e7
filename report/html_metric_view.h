/* html_metric_view.h — one metric's figures as the page shows them, for
 * the sections of a CSAT or CES report (report/html_metric_*.c): CSAT as
 * a share in percent with one decimal, CES as a mean with two.  Reads
 * the run's tables; computes nothing.
 * Owner: report/html_metric_view.c.
 */
#ifndef CX_HTML_METRIC_VIEW_H
#define CX_HTML_METRIC_VIEW_H

#include <stdio.h>

#include "stats/result.h"

typedef struct metric_view {
    int is_csat;
    const char *name;                 /* "CSAT", "CES" */
    const char *what;                 /* "share satisfied (4-5 of 5, or good)" */
    const char *file;                 /* "csat.csv" */
    double scale;                     /* 100 for a share shown in percent, else 1 */
    int dec;                          /* decimals on the page */
    const metric_summary_part *sum;   /* its findings and month (NULL when none) */
    const agent_metric_table *agents; /* NULL when agents did not run */
} metric_view;

/* The view of R's metric; 0, or -1 when R's metric is NPS. */
int metric_view_of(const stats_result *r, metric_view *v);

/* One row of the metric's table (csat or ces): its fields. */
typedef struct metric_cell {
    int month;
    size_t dim;
    const char *segment;
    long long n;
    double value, lo, hi;
    const metric_vs_rest *vs_rest;
} metric_cell;

/* How many rows the metric's table has, and row I of it. */
size_t metric_rows(const stats_result *r, const metric_view *v);
metric_cell metric_row(const stats_result *r, const metric_view *v, size_t i);

/* The overall change row of MONTH (against the month before): 1 and its
 * previous value, change, p and significance, else 0. */
int metric_change(const stats_result *r, const metric_view *v, int month, double *prev, double *change,
                  double *p, int *significant);

/* The responses a report analysed: R's metric's answers in every period
 * for a CSAT or CES report (*NAME "CSAT" or "CES"), else the NPS
 * responses (*NAME ""); the caller adds the noun (fmt_noun). */
long long report_responses(const stats_result *r, const char **name);

/* VALUE on the page ("33.3%", "5.67"). */
void metric_value(FILE *f, const metric_view *v, double value);
/* A difference ("12.5 points", "0.42"), signed when SIGNED. */
void metric_diff(FILE *f, const metric_view *v, double diff);

/* The findings of R's metric report under "What stands out in M" (M: the
 * month's name), for report/html_summary.c. */
void html_metric_findings(FILE *f, const stats_result *r, const char *m);

#endif
