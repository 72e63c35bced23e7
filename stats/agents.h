/* agents.h — agent scoring from post-call feedback, not handle time
 * (SPEC §7 "Agent scoring", §7a "Agents", agents.csv in §8).
 *
 * Owner: stats/agents.c (accumulation, finish, accessors),
 * stats/agents_prior.c (ANOVA ICC, prior strength m, Dirichlet posterior),
 * stats/agents_rank.c (competition ranks, Spearman).  Writers:
 * report/csv_agents.c, report/charts_agents.c, report/html_agents.c.
 * Formulas: docs/methods-agents.md.
 *
 * Life cycle: agents_new → agents_add for EVERY response (out-of-scope and
 * agent-less ones are skipped here) → agents_finish once → read with the
 * accessors → agents_free.  Memory grows with the number of agents, not of
 * responses.  The accumulator owns every string it hands out; pointers from
 * the accessors are BORROWED and valid until agents_free.  "Undefined"
 * numbers are NaN (the CSV writer prints them as empty fields).
 */
#ifndef CX_AGENTS_H
#define CX_AGENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/model.h"
#include "stats/nps.h"
#include "stats/stats.h"

typedef struct agents_acc agents_acc;

/* Shrunk (empirical-Bayes) NPS of one group of responses. */
typedef struct agent_shrunk {
    double nps;                  /* posterior mean, NPS points */
    double sd;                   /* posterior SD, NPS points */
    double ci_low, ci_high;      /* nps ± z·sd, clipped to [−100, 100] */
} agent_shrunk;

/* Prior of one population (all agent responses, or MoT ones only). */
typedef struct agents_prior {
    int64_t k, n;                /* agents with ≥ 1 response, responses */
    nps_counts counts;           /* population counts */
    double pi_p, pi_d;           /* population shares; NaN when n = 0 */
    double nps;                  /* population NPS = 100·(πP − πD); NaN when n = 0 */
    double rho_p, rho_d;         /* ANOVA ICC of each indicator; NaN when undefined */
    double rho;                  /* mean of the defined ones; NaN when neither is */
    double m;                    /* prior strength; INFINITY = full pooling */
    int m_given;                 /* 1 when m came from --prior-strength */
} agents_prior;

/* One agent, after agents_finish. */
typedef struct agent_row {
    const char *id;              /* owned by the accumulator */
    nps_counts counts;
    int64_t n;
    double nps_raw;              /* 100·(P−D)/n */
    agent_shrunk shrunk;
    int vs_population;           /* +1 / −1 when the interval lies wholly above /
                                    below the population NPS, else 0 */
    double mean_peak_end;        /* over responses with moments; NaN when none */
    int64_t peak_end_n;
    nps_counts mot_counts;
    int64_t mot_n;
    agent_shrunk mot;            /* all NaN when mot_n = 0 */
    int mot_vs_population;       /* like vs_population, against the MoT population */
    double aht_s;                /* mean of the non-empty handle times; NaN when none */
    int64_t aht_n;
    int rank_feedback;           /* 1 = highest shrunk NPS; 0 = unranked */
    int rank_aht;                /* 1 = lowest AHT; 0 = unranked or no AHT */
    int tier;                    /* AGENT_TIER_*: vs_population of a ranked agent */
    int rank_in_tier;            /* 1 = highest shrunk NPS of its tier; 0 = unranked */
} agent_row;

/* Tiers of ranked agents: the interval wholly above the population NPS,
 * containing it, or wholly below; unranked agents have none. */
enum { AGENT_TIER_NONE = 0, AGENT_TIER_ABOVE, AGENT_TIER_TYPICAL, AGENT_TIER_BELOW };
/* "above", "typical", "below", or "" for AGENT_TIER_NONE (agents.csv). */
const char *agent_tier_key(int tier);

/* Spearman correlation over ranked agents with an AHT. */
typedef struct agents_spearman_t {
    int64_t n;                   /* agents in the correlation */
    double r;                    /* NaN when n < 3 or a ranking is constant */
    double p;                    /* two-sided, t with n−2 df; NaN when r is */
} agents_spearman_t;

/* O is borrowed and must outlive the accumulator.  NULL when out of memory. */
agents_acc *agents_new(const stats_opts *o);

/* Called once for EVERY response.  Keeps R when its agent_id is non-empty
 * and its month is in scope (stats_in_scope).  R's strings are borrowed;
 * the agent id is copied.  0 ok, -1 out of memory (or called after
 * agents_finish). */
int agents_add(agents_acc *a, const cx_response *r);

/* Estimates the priors, shrinks, ranks and correlates.  0 ok, -1 with ERR. */
int agents_finish(agents_acc *a, char *err, size_t errlen);

void agents_free(agents_acc *a);

/* ---- results (valid after agents_finish) ---- */

/* Agents in output order: by rank_feedback (ties by agent_id, bytewise),
 * then the unranked ones by agent_id. */
size_t agents_count(const agents_acc *a);
const agent_row *agents_row(const agents_acc *a, size_t i);
/* Number of ranked agents (they are rows 0 .. agents_ranked()−1). */
size_t agents_ranked(const agents_acc *a);

const agents_prior *agents_prior_all(const agents_acc *a);
const agents_prior *agents_prior_mot(const agents_acc *a);
double agents_prior_strength(const agents_acc *a);   /* m; INFINITY = full pooling */
double agents_rho(const agents_acc *a);              /* NaN when undefined */
double agents_population_nps(const agents_acc *a);   /* NaN when no agent responses */
double agents_confidence(const agents_acc *a);
int agents_min_responses(const agents_acc *a);
const cx_config *agents_config(const agents_acc *a); /* borrowed; may be NULL */

/* Spearman of rank_feedback with rank_aht (positive: the two rankings
 * agree).  Spearman of shrunk NPS with AHT is its negative, same p. */
agents_spearman_t agents_rank_agreement(const agents_acc *a);
/* Spearman of shrunk NPS with AHT over the same agents: −r, same p. */
agents_spearman_t agents_nps_aht_spearman(const agents_acc *a);

/* Up to MAX row indices of the best moment-of-truth handlers: agents with
 * mot_n ≥ 1 whose shrunk MoT NPS is above the MoT population NPS, highest
 * first (ties by agent_id).  Returns how many were written to IDX. */
size_t agents_mot_best(const agents_acc *a, size_t *idx, size_t max);

/* ---- pure helpers (exposed for tests) ---- */

/* Dirichlet(counts + m·π) posterior of the NPS; m = INFINITY gives the
 * population NPS with zero SD; m = 0 the raw NPS.  N = 0 with finite m
 * gives the prior; N = 0 with m = 0 is all NaN. */
agent_shrunk agent_shrink(const nps_counts *c, double pi_p, double pi_d,
                          double m, double z);

/* ANOVA intraclass correlation of a 0/1 indicator over K groups with sizes
 * N[i] and indicator counts X[i] (SPEC §7).  NaN when undefined: K < 2,
 * ΣN − K ≤ 0, or no variance (MSB + (n0−1)·MSW ≤ 0). */
double agents_icc(const int64_t *n, const int64_t *x, size_t k);

/* m = (1−ρ)/ρ, with ρ ≤ 0 or NaN → INFINITY and ρ ≥ 1 → 0. */
double agents_m_from_rho(double rho);

/* Competition ranks ("1224") of V[0..n): rank 1 = largest when DESCENDING,
 * else smallest.  Values within 1e-9 (relative) of the previous one in
 * sorted order tie.  RANK gets the ranks; NaNs get 0.  0 ok, -1 out of
 * memory. */
int agents_rank(const double *v, size_t n, int descending, int *rank);

/* Spearman r of X and Y (midranks for ties) with its t-test p-value. */
agents_spearman_t agents_spearman(const double *x, const double *y, size_t n);

/* ---- writers (report/csv_agents.c, report/html_agents.c, report/text_agents.c) ---- */

struct charts;
/* OUTDIR/agents.csv, atomically.  0 ok, -1 with ERR. */
int report_csv_agents(const agents_acc *a, const char *outdir, char *err, size_t errlen);
/* The "Agents" section of index.html, with its charts drawn through CH
 * (NULL or disabled: no charts). */
void report_html_agents(FILE *f, const agents_acc *a, struct charts *ch);
/* Terminal leaderboard for `cxpulse agents`.  0 ok, -1 when a write failed. */
int agents_print_table(FILE *f, const agents_acc *a);

/* Draws agents_caterpillar and agents_aht_scatter; sets *CAT_OK and
 * *SCATTER_OK to what charts_plot returned (report/charts_agents.c). */
void charts_agents(struct charts *ch, const agents_acc *a, int *cat_ok, int *scatter_ok);

#endif
