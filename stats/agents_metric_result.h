/* agents_metric_result.h — agent scores on CSAT and on CES
 * (agents_csat.csv, agents_ces.csv): each agent's raw and empirical-Bayes
 * score, ranked beside handle time.  Owner: stats/agents_metric.c; the
 * run's result points at it.  Undefined numbers are NaN; rank 0 = unranked.
 */
#ifndef CX_AGENTS_METRIC_RESULT_H
#define CX_AGENTS_METRIC_RESULT_H

#include <stddef.h>

typedef struct agent_metric_row {
    const char *agent_id;
    long long n;
    double satisfied;                    /* CSAT: satisfied answers; CES: NaN */
    double raw, shrunk, ci_low, ci_high; /* CSAT: shares (0..1); CES: means */
    double sd;                           /* posterior SD of shrunk (0 when everyone gets the population's) */
    double aht_s;
    int rank_feedback, rank_aht;
    int tier;         /* ranked and the whole interval above (1) or below (-1)
                                    the population's score; else 0 */
    int rank_in_tier; /* 1 = highest shrunk score of its tier (competition
                                    ranks, as rank_feedback); 0 = unranked */
} agent_metric_row;

/* The tier as agents_csat.csv and agents_ces.csv name it, by the rule of
 * agents.csv: "above", "typical" or "below" for a ranked agent, "" for an
 * unranked one. */
static inline const char *agent_metric_tier_key(const agent_metric_row *r)
{
    return r->rank_feedback == 0 ? "" : r->tier > 0 ? "above" : r->tier < 0 ? "below" : "typical";
}

typedef struct agent_metric_table {
    const agent_metric_row *rows; /* ranked by rank_feedback (ties by id), then unranked by id */
    size_t n_rows;
    double prior_mean;           /* population share or mean */
    double m;                    /* prior strength (INFINITY: no between-agent spread) */
    double spearman_aht;         /* Spearman of rank_feedback with rank_aht; NaN when undefined */
    size_t ranked, above, below; /* agents ranked; of them in the tiers above and below */
} agent_metric_table;

typedef struct agents_metric_result {
    agent_metric_table csat, ces;
} agents_metric_result;

#endif
