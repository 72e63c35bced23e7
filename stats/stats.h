/* stats.h — options shared by every analysis of one `cxpulse stats` run.
 * Owner: run/run.c (the driver that streams responses once through every
 * analysis).  Filled by the CLI; read-only to the analyses.
 */
#ifndef CX_STATS_H
#define CX_STATS_H

#include <stddef.h>
#include "core/config.h"

#define STATS_MAX_BY 16

/* Analyses besides the NPS table (which is always computed). */
#define STATS_RUN_CX 1u     /* peak-end, MoT, spend, HIC (result cx) and verbatims */
#define STATS_RUN_AGENTS 2u /* agent scores (result agents) */
#define STATS_RUN_TEXT 4u   /* verbatim themes and charged-word flags (result themes) */
#define STATS_RUN_ALL (STATS_RUN_CX | STATS_RUN_AGENTS | STATS_RUN_TEXT)

/* --metric: the metric whose tables are written and whose figures lead
 * the report and the agent table (docs/cli.md).  ALL: not given. */
typedef enum stats_metric {
    STATS_METRIC_ALL,
    STATS_METRIC_NPS,
    STATS_METRIC_CSAT,
    STATS_METRIC_CES
} stats_metric;

typedef struct stats_opts {
    const cx_config *cfg;         /* mot_types, moment scale, clv_years, hic_top, … */
    const char *by[STATS_MAX_BY]; /* --by dimensions, in the order given */
    size_t n_by;
    int month;             /* --month as a month key (time_month_key); 0 = all */
    double confidence;     /* --confidence, default cfg->confidence (0.95) */
    int spend_window_days; /* --spend-window, default cfg->spend_window_days */
    double prior_strength; /* --prior-strength; NaN = estimate m */
    int min_responses;     /* --min-responses, default 10 */
    int window;            /* --window in months: agents, peak-end and spend use the
                                   months (month − window, month]; 0 = month only */
    stats_metric metric;   /* --metric; STATS_METRIC_ALL when not given */
} stats_opts;

/* 1 when a response at month key MONTH is in SCOPE, the --month key (0 =
 * every month): the scope of the tables that follow --month (everything
 * but nps.csv and nps_change.csv; docs/methods.md).  The one scope test. */
static inline int stats_month_in_scope(int scope, int month) { return scope == 0 || scope == month; }

static inline int stats_in_scope(const stats_opts *o, int month)
{
    return stats_month_in_scope(o->month, month);
}

/* 1 when a response at month key MONTH is in the trailing window of the
 * analyses that need more than a month (agents, peak-end, spend deltas):
 * every month without --month, else the `window` months ending with it
 * (stats/period.h). */
static inline int stats_in_window(const stats_opts *o, int month)
{
    int w = o->window > 0 ? o->window : 1;
    return o->month == 0 || (month <= o->month && month > o->month - w);
}

#endif
