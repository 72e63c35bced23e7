/* agents.h — agent scoring from post-call feedback, not handle time
 * (docs/methods.md "Agent scoring", agents.csv in docs/formats.md).
 *
 * Owner: stats/agents.c (accumulation, finish, accessors),
 * stats/agents_prior.c (ANOVA ICC, prior strength m, Dirichlet posterior),
 * stats/agents_rank.c (competition ranks, Spearman), stats/agents_metric.c
 * (agents_beta_quantile; the CSAT and CES tables).  Writers:
 * report/csv_agents.c, report/charts_agents.c, report/html_agents.c.
 * Formulas: docs/methods.md, "Agent scoring".
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
#include "stats/agents_result.h"
#include "stats/stats.h"

typedef struct agents_acc agents_acc;

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

/* The finished result; NULL before agents_finish succeeded.  Borrowed:
 * valid until agents_free. */
const agents_result *agents_results(const agents_acc *a);

/* ---- pure helpers (exposed for tests) ---- */

/* Dirichlet(counts + m·π) posterior of the NPS; m = INFINITY gives the
 * population NPS with zero SD; m = 0 the raw NPS.  N = 0 with finite m
 * gives the prior; N = 0 with m = 0 is all NaN. */
agent_shrunk agent_shrink(const nps_counts *c, double pi_p, double pi_d, double m, double z);

/* ANOVA intraclass correlation of a 0/1 indicator over K groups with sizes
 * N[i] and indicator counts X[i] (docs/methods.md).  NaN when undefined: K < 2,
 * ΣN − K ≤ 0, or no variance (MSB + (n0−1)·MSW ≤ 0). */
double agents_icc(const int64_t *n, const int64_t *x, size_t k);

/* Nonzero when the ANOVA mean squares MSB and MSW agree to a relative
 * 1e-12: the ICC (MSB − MSW)/(…) is then exactly 0, not a rounding residue
 * of ±1e-17 (agents_prior.c gives the reasoning).  Shared by agents_icc and
 * the CES ICC of agents_metric.c. */
int agents_icc_is_zero(double msb, double msw);

/* m = (1−ρ)/ρ, with ρ ≤ 0 or NaN → INFINITY and ρ ≥ 1 → 0. */
double agents_m_from_rho(double rho);

/* Competition ranks ("1224") of V[0..n): rank 1 = largest when DESCENDING,
 * else smallest.  Values within 1e-9 (relative) of the previous one in
 * sorted order tie.  RANK gets the ranks; NaNs get 0.  0 ok, -1 out of
 * memory. */
int agents_rank(const double *v, size_t n, int descending, int *rank);

/* Spearman r of X and Y (midranks for ties) with its t-test p-value. */
agents_spearman_t agents_spearman(const double *x, const double *y, size_t n);

/* The P quantile (0 < P < 1) of Beta(A, B), A, B > 0, for the CSAT agent
 * intervals (stats/agents_metric.c): gsl_cdf_beta_Pinv when its answer is
 * finite with gsl_cdf_beta_P within 1e-9 of P (so exactly GSL's value
 * wherever GSL works), else bisection on gsl_cdf_beta_P when that meets the
 * same test, else the Cornish–Fisher expansion from the Beta's moments
 * (GSL fails from A + B ≈ 3e4 on, where that expansion is accurate to
 * ~1e-9 and better as A + B grows).  NaN for arguments out of range.
 * Needs GSL's error handler off (cli/main.c turns it off). */
double agents_beta_quantile(double p, double a, double b);

#endif
