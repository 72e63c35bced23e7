/* cx_result.h — the finished customer-experience tables of one run:
 * peak-end, moments of truth, spend deltas and tests, Pareto, high-impact
 * customers (peak_end.csv … hic.csv, their charts and report sections).
 * Plain data, read by report/ and never changed there.
 * Owner: stats/cx.c fills it in cxa_finish; the accumulator owns it and
 * every string in it (cxa_free).  "Undefined" numbers are NaN.
 */
#ifndef CX_CX_RESULT_H
#define CX_CX_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "stats/nps_types.h"

typedef struct cx_corr {
    double r, lo, hi; /* NaN when undefined (docs/methods.md) */
} cx_corr;

typedef struct cx_peak_row {
    const char *dimension, *segment; /* "all"/"all" first */
    int64_t n;                       /* responses with at least one moment */
    double mean_peak_end, mean_moments;
    cx_corr r_peak_end, r_mean; /* Pearson r with the score, Fisher-z CI */
} cx_peak_row;

/* Mean score of responses whose peak-end (or moments mean, rounded to the
 * nearest half point) equals X: the "peak-end vs score" chart. */
typedef struct cx_bin {
    double x;
    int64_t n_peak_end, n_mean;
    double score_peak_end, score_mean; /* NaN when the bin is empty */
} cx_bin;

/* A share k/n with its Wilson score interval. */
typedef struct cx_share {
    int64_t k, n;
    double share, lo, hi; /* NaN when n = 0 */
} cx_share;

/* The row of the routine responses whose comment marks an unlabelled
 * moment of truth (docs/methods.md), after the mot_types rows. */
#define CX_MOT_UNLABELLED "unlabelled"

typedef struct cx_mot_row {
    const char *type; /* interaction_type, CX_MOT_UNLABELLED; "all MoT" for the pooled row */
    nps_counts counts;
    nps_est nps;
    double mean_peak_end; /* NaN when none had moments */
    int64_t positive_n, negative_n, none_n;
    int64_t spend_n;              /* with complete spend windows */
    cx_share up_after_positive;   /* delta > 0 among positive with windows */
    cx_share down_after_negative; /* delta < 0 among negative with windows */
} cx_mot_row;

typedef struct cx_spend_row {
    const char *group_by, *group;
    int64_t n;
    double mean_pre, mean_post, mean_delta, median_delta, sd;
    double ci_low, ci_high, up_share, down_share, t, p;
} cx_spend_row;

typedef struct cx_spend_test {
    const char *comparison; /* "promoter vs detractor", "positive vs negative" */
    int64_t n_a, n_b;
    double mean_a, mean_b, diff, t, df, p;
    int significant; /* 1 / 0; -1 when p is undefined */
} cx_spend_test;

typedef struct cx_pareto_row {
    double top_share;     /* 0.01 … 0.5 */
    int64_t customers;    /* ⌈top_share·N⌉ */
    double revenue_share; /* NaN when total T1 is 0 */
} cx_pareto_row;

typedef struct cx_hic_row {
    const char *segment; /* "hic", "other", "all" */
    int64_t customers;
    nps_counts counts; /* every in-scope response of those customers */
    nps_est nps;
    double t1;            /* sum of T1 */
    double revenue_share; /* t1 / total T1; NaN when the total is 0 */
    double clv, revenue_at_risk;
    int64_t at_risk; /* customers whose latest response is a detractor */
} cx_hic_row;

typedef struct cx_risk_row {         /* revenue at risk per --by segment */
    const char *dimension, *segment; /* segment of the customer's latest response */
    int64_t customers, at_risk;
    double clv, revenue_at_risk;
} cx_risk_row;

typedef struct cx_curve_pt { /* Lorenz/Pareto curve */
    double customer_share, revenue_share;
} cx_curve_pt;

#define CX_N_PARETO 5
#define CX_N_TESTS 2

/* Which responses the spend analysis could use: those with a customer
 * whose windows lie wholly inside the spend data. */
typedef struct cx_spend_cover {
    int has_spend;                   /* spend data not empty */
    int64_t spend_first, spend_last; /* days, when has_spend */
    long long spend_used, spend_excluded, spend_no_customer;
} cx_spend_cover;

typedef struct cx_results {
    double confidence;
    int moment_lo, moment_hi;
    long long responses; /* in scope */

    cx_peak_row *peak;
    size_t n_peak;
    cx_bin *bins;
    size_t n_bins;

    cx_mot_row *mot;
    size_t n_mot;       /* one per mot type present, config order;
                                            then CX_MOT_UNLABELLED when any */
    cx_mot_row mot_all; /* every MoT response pooled */
    nps_counts routine; /* responses of other types */
    nps_est routine_nps;

    int window_days;
    cx_spend_cover cover; /* which responses the spend part used */
    cx_spend_row *spend;
    size_t n_spend;
    cx_spend_test tests[CX_N_TESTS];

    size_t n_customers;
    double hic_top, clv_years, discount_rate;
    cx_pareto_row pareto[CX_N_PARETO];
    cx_hic_row hic[3]; /* hic, other, all */
    nps_change hic_vs_other;
    cx_risk_row *risk;
    size_t n_risk;
    cx_curve_pt *curve;
    size_t n_curve;
    double hic_cut; /* customer share of the HIC group */
} cx_results;

#endif
