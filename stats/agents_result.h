/* agents_result.h — the finished agent scores of one run (agents.csv, the
 * report's agents section, the `cxpulse agents` table): plain data, read
 * by report/ and never changed there.
 * Owner: stats/agents.c fills it in agents_finish; the accumulator owns
 * it and every string in it (agents_free).  "Undefined" numbers are NaN.
 */
#ifndef CX_AGENTS_RESULT_H
#define CX_AGENTS_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "stats/nps_types.h"

/* Shrunk (empirical-Bayes) NPS of one group of responses. */
typedef struct agent_shrunk {
    double nps;             /* posterior mean, NPS points */
    double sd;              /* posterior SD, NPS points */
    double ci_low, ci_high; /* nps ± z·sd, clipped to [−100, 100] */
} agent_shrunk;

/* Prior of one population (all agent responses, or MoT ones only). */
typedef struct agents_prior {
    int64_t k, n;        /* agents with ≥ 1 response, responses */
    nps_counts counts;   /* population counts */
    double pi_p, pi_d;   /* population shares; NaN when n = 0 */
    double nps;          /* population NPS = 100·(πP − πD); NaN when n = 0 */
    double rho_p, rho_d; /* ANOVA ICC of each indicator; NaN when undefined */
    double rho;          /* mean of the defined ones; NaN when neither is */
    double m;            /* prior strength; INFINITY = full pooling */
    int m_given;         /* 1 when m came from --prior-strength */
} agents_prior;

/* One agent, after agents_finish. */
typedef struct agent_row {
    const char *id; /* owned by the accumulator */
    nps_counts counts;
    int64_t n;
    double nps_raw; /* 100·(P−D)/n */
    agent_shrunk shrunk;
    int vs_population;    /* +1 / −1 when the interval lies wholly above /
                                    below the population NPS, else 0 */
    double mean_peak_end; /* over responses with moments; NaN when none */
    int64_t peak_end_n;
    nps_counts mot_counts;
    int64_t mot_n;
    agent_shrunk mot;      /* all NaN when mot_n = 0 */
    int mot_vs_population; /* like vs_population, against the MoT population */
    double aht_s;          /* mean of the non-empty handle times; NaN when none */
    int64_t aht_n;
    int rank_feedback; /* 1 = highest shrunk NPS; 0 = unranked */
    int rank_aht;      /* 1 = lowest AHT; 0 = unranked or no AHT */
    int tier;          /* AGENT_TIER_*: vs_population of a ranked agent */
    int rank_in_tier;  /* 1 = highest shrunk NPS of its tier; 0 = unranked */
} agent_row;

/* Tiers of ranked agents: the interval wholly above the population NPS,
 * containing it, or wholly below; unranked agents have none. */
enum { AGENT_TIER_NONE = 0, AGENT_TIER_ABOVE, AGENT_TIER_TYPICAL, AGENT_TIER_BELOW };
/* "above", "typical", "below", or "" for AGENT_TIER_NONE (agents.csv). */
static inline const char *agent_tier_key(int tier)
{
    return tier == AGENT_TIER_ABOVE     ? "above"
           : tier == AGENT_TIER_TYPICAL ? "typical"
           : tier == AGENT_TIER_BELOW   ? "below"
                                        : "";
}

/* Spearman correlation over ranked agents with an AHT. */
typedef struct agents_spearman_t {
    int64_t n; /* agents in the correlation */
    double r;  /* NaN when n < 3 or a ranking is constant */
    double p;  /* two-sided, t with n−2 df; NaN when r is */
} agents_spearman_t;

/* Best moment-of-truth handlers kept in the result. */
#define AGENTS_MOT_BEST_MAX 5

typedef struct agents_result {
    /* Agents in output order: by rank_feedback (ties by agent_id,
     * bytewise), then the unranked ones by agent_id. */
    const agent_row *rows;
    size_t n_rows;
    size_t n_ranked;   /* ranked agents are rows 0 .. n_ranked−1 */
    agents_prior all;  /* every agent response */
    agents_prior mot;  /* moment-of-truth responses only */
    double confidence; /* of the intervals */
    int min_responses; /* to be ranked */
    /* Spearman of rank_feedback with rank_aht (positive: the rankings
     * agree), and of shrunk NPS with AHT: its negative, same p. */
    agents_spearman_t rank_agreement, nps_aht;
    /* Row indices of the best moment-of-truth handlers: mot_n ≥ 1 and
     * shrunk MoT NPS above the MoT population NPS, highest first (ties by
     * agent_id). */
    size_t mot_best[AGENTS_MOT_BEST_MAX];
    size_t n_mot_best;
} agents_result;

#endif
