/* agents_finish.c — agents_finish (stats/agents.h): from the per-agent
 * counters, the priors (all responses, moments of truth), each agent's
 * shrunken scores, the ranks and their agreement, and the moment-of-truth
 * order, published as the agents_result.
 * Formulas: docs/methods.md, "Agent scoring".
 */
#include "stats/nps.h"
#include "stats/agents_int.h"
#include "core/xsort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Population shares, ICCs and m of one population.  MOT selects the MoT
 * counters.  0 ok, -1 out of memory. */
static int prior_estimate(const agents_acc *a, int mot, agents_prior *pr)
{
    memset(pr, 0, sizeof *pr);
    int64_t *n = malloc((a->n ? a->n : 1) * sizeof *n);
    int64_t *xp = malloc((a->n ? a->n : 1) * sizeof *xp);
    int64_t *xd = malloc((a->n ? a->n : 1) * sizeof *xd);
    if (!n || !xp || !xd) {
        free(n);
        free(xp);
        free(xd);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++) {
        const nps_counts *c = mot ? &a->ag[i].mot : &a->ag[i].counts;
        if (nps_counts_n(c) == 0) continue;
        nps_counts_merge(&pr->counts, c);
        n[k] = nps_counts_n(c);
        xp[k] = c->p;
        xd[k] = c->d;
        k++;
    }
    pr->k = (int64_t)k;
    pr->n = nps_counts_n(&pr->counts);
    if (pr->n > 0) {
        pr->pi_p = (double)pr->counts.p / (double)pr->n;
        pr->pi_d = (double)pr->counts.d / (double)pr->n;
        pr->nps = 100.0 * (pr->pi_p - pr->pi_d);
    } else {
        pr->pi_p = pr->pi_d = pr->nps = NAN;
    }
    pr->rho_p = agents_icc(n, xp, k);
    pr->rho_d = agents_icc(n, xd, k);
    free(n);
    free(xp);
    free(xd);
    /* ρ = mean of the two ICCs; an indicator without variance (no
     * promoters, or no detractors, at all) has none and is left out. */
    if (!isnan(pr->rho_p) && !isnan(pr->rho_d)) pr->rho = (pr->rho_p + pr->rho_d) / 2.0;
    else if (!isnan(pr->rho_p)) pr->rho = pr->rho_p;
    else pr->rho = pr->rho_d;
    double given = a->o->prior_strength;
    pr->m_given = !isnan(given);
    pr->m = pr->m_given ? given : agents_m_from_rho(pr->rho);
    return 0;
}

static int side_of(const agent_shrunk *s, double pop)
{
    if (isnan(pop) || isnan(s->ci_low)) return 0;
    if (s->ci_low > pop) return 1;
    if (s->ci_high < pop) return -1;
    return 0;
}

static void fill_row(const agents_acc *a, const agent_acc *g, agent_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = g->id;
    r->counts = g->counts;
    r->n = nps_counts_n(&g->counts);
    r->nps_raw = 100.0 * (double)(g->counts.p - g->counts.d) / (double)r->n;
    r->shrunk = agent_shrink(&g->counts, a->all.pi_p, a->all.pi_d, a->all.m, a->z);
    r->vs_population = side_of(&r->shrunk, a->all.nps);
    r->peak_end_n = g->pe_n;
    r->mean_peak_end = g->pe_n ? g->pe_sum / (double)g->pe_n : NAN;
    r->mot_counts = g->mot;
    r->mot_n = nps_counts_n(&g->mot);
    if (r->mot_n > 0) {
        r->mot = agent_shrink(&g->mot, a->motp.pi_p, a->motp.pi_d, a->motp.m, a->z);
        r->mot_vs_population = side_of(&r->mot, a->motp.nps);
    } else {
        r->mot.nps = r->mot.sd = r->mot.ci_low = r->mot.ci_high = NAN;
    }
    r->aht_n = g->aht_n;
    r->aht_s = g->aht_n ? g->aht_sum / (double)g->aht_n : NAN;
}

/* Output order: ranked by rank_feedback then id; unranked by id. */
static int row_cmp(const void *pa, const void *pb)
{
    const agent_row *x = pa, *y = pb;
    int rx = x->rank_feedback ? x->rank_feedback : 0x7fffffff;
    int ry = y->rank_feedback ? y->rank_feedback : 0x7fffffff;
    if (rx != ry) return rx < ry ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Ranks the agents with n ≥ min_responses by shrunk NPS and by AHT.
 * 0 ok, -1 out of memory. */
static int rank_rows(agents_acc *a)
{
    size_t n = a->n ? a->n : 1;
    double *v = malloc(n * sizeof *v);
    int *rk = malloc(n * sizeof *rk);
    size_t *ix = malloc(n * sizeof *ix);
    if (!v || !rk || !ix) {
        free(v);
        free(rk);
        free(ix);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->rows[i].n >= (int64_t)a->o->min_responses) ix[m++] = i;
    int rc = 0;
    for (size_t j = 0; j < m; j++) v[j] = a->rows[ix[j]].shrunk.nps;
    if (agents_rank(v, m, 1, rk) != 0) rc = -1;
    for (size_t j = 0; rc == 0 && j < m; j++) a->rows[ix[j]].rank_feedback = rk[j];
    for (size_t j = 0; j < m; j++) v[j] = a->rows[ix[j]].aht_s;
    if (rc == 0 && agents_rank(v, m, 0, rk) != 0) rc = -1;
    for (size_t j = 0; rc == 0 && j < m; j++) a->rows[ix[j]].rank_aht = rk[j];
    for (size_t j = 0; j < m; j++) {
        agent_row *r = &a->rows[ix[j]];
        r->tier = r->vs_population > 0   ? AGENT_TIER_ABOVE
                  : r->vs_population < 0 ? AGENT_TIER_BELOW
                                         : AGENT_TIER_TYPICAL;
    }
    /* Ranks inside each tier: the same competition ranks, among its agents. */
    for (int t = AGENT_TIER_ABOVE; rc == 0 && t <= AGENT_TIER_BELOW; t++) {
        size_t k = 0;
        for (size_t j = 0; j < m; j++)
            if (a->rows[ix[j]].tier == t) v[k++] = a->rows[ix[j]].shrunk.nps;
        if (agents_rank(v, k, 1, rk) != 0) {
            rc = -1;
            break;
        }
        k = 0;
        for (size_t j = 0; j < m; j++)
            if (a->rows[ix[j]].tier == t) a->rows[ix[j]].rank_in_tier = rk[k++];
    }
    free(v);
    free(rk);
    free(ix);
    return rc;
}

/* Spearman of the two rankings over ranked agents that have both ranks.
 * Midranks of competition ranks are the midranks of the values, so this is
 * the Spearman of −shrunk NPS with AHT. */
static int rank_agreement(agents_acc *a)
{
    size_t n = a->n_ranked ? a->n_ranked : 1, k = 0;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return -1;
    }
    for (size_t i = 0; i < a->n_ranked; i++) {
        const agent_row *r = &a->rows[i];
        if (r->rank_feedback > 0 && r->rank_aht > 0) {
            x[k] = r->rank_feedback;
            y[k] = r->rank_aht;
            k++;
        }
    }
    a->agreement = agents_spearman(x, y, k);
    free(x);
    free(y);
    return 0;
}

typedef struct mot_key {
    double nps;
    const char *id;
    size_t row;
} mot_key;

static int mot_key_cmp(const void *pa, const void *pb)
{
    const mot_key *x = pa, *y = pb;
    if (x->nps > y->nps) return -1;
    if (x->nps < y->nps) return 1;
    return strcmp(x->id, y->id);
}

/* Rows with MoT responses, best shrunk MoT NPS first (ties by id). */
static int mot_order(agents_acc *a)
{
    size_t n = a->n ? a->n : 1;
    mot_key *k = malloc(n * sizeof *k);
    a->mot_order = malloc(n * sizeof *a->mot_order);
    if (!k || !a->mot_order) {
        free(k);
        return -1;
    }
    size_t m = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->rows[i].mot_n > 0 && !isnan(a->rows[i].mot.nps))
            k[m++] = (mot_key){a->rows[i].mot.nps, a->rows[i].id, i};
    cx_qsort(k, m, sizeof *k, mot_key_cmp);
    for (size_t j = 0; j < m; j++) a->mot_order[j] = k[j].row;
    a->n_mot_order = m;
    free(k);
    return 0;
}

/* Up to MAX row indices of the best moment-of-truth handlers (see
 * agents_result.mot_best). */
static size_t mot_best(const agents_acc *a, size_t *idx, size_t max)
{
    size_t k = 0;
    for (size_t j = 0; j < a->n_mot_order && k < max; j++) {
        const agent_row *r = &a->rows[a->mot_order[j]];
        if (!(r->mot.nps > a->motp.nps)) break; /* sorted: the rest are not above */
        idx[k++] = a->mot_order[j];
    }
    return k;
}

static void publish(agents_acc *a)
{
    agents_result *r = &a->res;
    r->rows = a->rows;
    r->n_rows = a->n;
    r->n_ranked = a->n_ranked;
    r->all = a->all;
    r->mot = a->motp;
    r->confidence = a->o->confidence;
    r->min_responses = a->o->min_responses;
    r->rank_agreement = a->agreement;
    r->nps_aht = a->agreement;
    if (!isnan(r->nps_aht.r)) r->nps_aht.r = -r->nps_aht.r;
    r->n_mot_best = mot_best(a, r->mot_best, AGENTS_MOT_BEST_MAX);
}

int agents_finish(agents_acc *a, char *err, size_t errlen)
{
    if (a->finished) {
        snprintf(err, errlen, "agents: finished twice");
        return -1;
    }
    a->finished = 1;
    double conf = a->o->confidence;
    if (!(conf > 0.0 && conf < 1.0)) {
        snprintf(err, errlen, "agents: confidence %g is not between 0 and 1", conf);
        return -1;
    }
    double m = a->o->prior_strength;
    if (!isnan(m) && !(m >= 0.0)) {
        snprintf(err, errlen, "agents: prior strength %g is negative", m);
        return -1;
    }
    a->z = nps_z(conf);
    if (prior_estimate(a, 0, &a->all) != 0 || prior_estimate(a, 1, &a->motp) != 0) goto oom;
    a->rows = calloc(a->n ? a->n : 1, sizeof *a->rows);
    if (!a->rows) goto oom;
    for (size_t i = 0; i < a->n; i++) fill_row(a, &a->ag[i], &a->rows[i]);
    if (rank_rows(a) != 0) goto oom;
    cx_qsort(a->rows, a->n, sizeof *a->rows, row_cmp);
    a->n_ranked = 0;
    while (a->n_ranked < a->n && a->rows[a->n_ranked].rank_feedback > 0) a->n_ranked++;
    if (rank_agreement(a) != 0) goto oom;
    if (mot_order(a) != 0) goto oom;
    publish(a);
    return 0;
oom:
    snprintf(err, errlen, "agents: out of memory");
    return -1;
}
