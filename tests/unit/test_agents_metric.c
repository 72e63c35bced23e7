/* test_agents_metric.c — agent scores on CSAT and CES (stats/agents_metric.c):
 * on small samples the shrunk scores recover planted agent skill better
 * than the raw ones (Spearman with the truth, summed over 40 seeded
 * worlds); the beta-binomial posterior of one agent against a hand
 * computation with scipy 1.10.1 (scipy.stats.beta.ppf); a fixed prior
 * strength of 0 gives the raw scores. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/agents.h"
#include "stats/analysis.h"

#include "run_suite.h"
#include "test_rng.h"

#define uniform test_rng_uniform /* reproducible worlds */

#define K 40

typedef struct world {
    double skill[K];
    const agents_metric_result *res;
    void *acc;
    stats_result out;
    stats_opts o;
} world;

/* K agents with planted skill, each with 1..8 answers of METRIC. */
static void make_world(world *w, uint64_t seed, int metric, double prior_strength)
{
    memset(w, 0, sizeof *w);
    test_rng_seed(seed);
    w->o.confidence = 0.95;
    w->o.prior_strength = prior_strength;
    w->o.min_responses = 0;
    analysis_env env = {&w->o, NULL, NULL};
    w->acc = analysis_agents_metric.create(&env);
    ck_assert_ptr_nonnull(w->acc);
    char id[16];
    for (int a = 0; a < K; a++) {
        w->skill[a] = metric == CX_METRIC_CES ? 3 + 3 * uniform() : 0.3 + 0.65 * uniform();
        int n = 1 + (int)(uniform() * 8);
        snprintf(id, sizeof id, "a%02d", a);
        for (int k = 0; k < n; k++) {
            cx_response r;
            cx_response_clear(&r);
            r.agent_id = id;
            r.responded_at = 1790000000;
            r.metric = metric;
            if (metric == CX_METRIC_CES) { /* skill plus noise, rounded onto 1..7 */
                double v = w->skill[a] + (uniform() + uniform() + uniform() - 1.5) * 3;
                r.score = v < 1 ? 1 : v > 7 ? 7 : (int)lround(v);
            } else {
                r.score = uniform() < w->skill[a];
            }
            ck_assert_int_eq(analysis_agents_metric.add(w->acc, &r, NULL), 0);
        }
    }
    char err[128];
    ck_assert_int_eq(analysis_agents_metric.finish(w->acc, &w->out, err, sizeof err), 0);
    w->res = w->out.agents_metric;
}

/* Spearman of the planted skill with the raw and the shrunk scores. */
static void spearmans(const world *w, const agent_metric_table *t, double *raw, double *shrunk)
{
    double truth[K], r[K], s[K];
    ck_assert_int_eq(t->n_rows, K);
    for (size_t i = 0; i < t->n_rows; i++) {
        int a = (int)strtol(t->rows[i].agent_id + 1, NULL, 10);
        truth[i] = w->skill[a];
        r[i] = t->rows[i].raw;
        s[i] = t->rows[i].shrunk;
    }
    *raw = agents_spearman(truth, r, K).r;
    *shrunk = agents_spearman(truth, s, K).r;
    /* No spread between agents found (m infinite): everyone gets the
     * population score, a ranking that knows nothing. */
    if (isnan(*shrunk)) *shrunk = 0;
    if (isnan(*raw)) *raw = 0;
}

static void recovers(int metric)
{
    double sum_raw = 0, sum_shrunk = 0;
    int better = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        world w;
        make_world(&w, seed, metric, NAN);
        double r, s;
        spearmans(&w, metric == CX_METRIC_CES ? &w.res->ces : &w.res->csat, &r, &s);
        sum_raw += r;
        sum_shrunk += s;
        better += s > r;
        analysis_agents_metric.destroy(w.acc);
    }
    fprintf(stderr,
            "%s: mean Spearman with planted skill: raw %.3f, shrunk %.3f; shrunk better in %d of 40\n",
            metric == CX_METRIC_CES ? "CES" : "CSAT", sum_raw / 40, sum_shrunk / 40, better);
    ck_assert_msg(sum_shrunk > sum_raw, "shrunk %.3f vs raw %.3f", sum_shrunk / 40, sum_raw / 40);
    ck_assert_int_ge(better, 24);
}

START_TEST(csat_recovers_planted_skill) { recovers(CX_METRIC_CSAT_BINARY); }
END_TEST

START_TEST(ces_recovers_planted_skill) { recovers(CX_METRIC_CES); }
END_TEST

START_TEST(beta_binomial_by_hand)
{
    /* Two agents, prior strength fixed at 4: a01 3 of 4 satisfied, a02 1 of 4.
     * p̄ = 0.5, a01 posterior Beta(3 + 2, 1 + 2) = Beta(5, 3): mean 0.625,
     * scipy.stats.beta.ppf([0.025, 0.975], 5, 3) = 0.290420863737343,
     * 0.901011721557492. */
    world w;
    memset(&w, 0, sizeof w);
    w.o.confidence = 0.95;
    w.o.prior_strength = 4;
    w.o.min_responses = 0;
    analysis_env env = {&w.o, NULL, NULL};
    void *acc = analysis_agents_metric.create(&env);
    const int scores[2][4] = {{1, 1, 1, 0}, {0, 0, 1, 0}};
    const char *ids[2] = {"a01", "a02"};
    for (int a = 0; a < 2; a++)
        for (int k = 0; k < 4; k++) {
            cx_response r;
            cx_response_clear(&r);
            r.agent_id = ids[a];
            r.metric = CX_METRIC_CSAT_BINARY;
            r.score = scores[a][k];
            ck_assert_int_eq(analysis_agents_metric.add(acc, &r, NULL), 0);
        }
    char err[64];
    ck_assert_int_eq(analysis_agents_metric.finish(acc, &w.out, err, sizeof err), 0);
    const agent_metric_row *r = &w.out.agents_metric->csat.rows[0];
    ck_assert_str_eq(r->agent_id, "a01");
    ck_assert_int_eq(r->rank_feedback, 1);
    ck_assert(fabs(r->raw - 0.75) < 1e-12);
    ck_assert(fabs(r->shrunk - 0.625) < 1e-12);
    ck_assert_msg(fabs(r->ci_low - 0.290420863737343) < 1e-6, "%.15g", r->ci_low);
    ck_assert_msg(fabs(r->ci_high - 0.901011721557492) < 1e-6, "%.15g", r->ci_high);
    analysis_agents_metric.destroy(acc);
    /* m = 0: the raw scores. */
    make_world(&w, 7, CX_METRIC_CSAT_BINARY, 0);
    for (size_t i = 0; i < w.res->csat.n_rows; i++)
        ck_assert(fabs(w.res->csat.rows[i].shrunk - w.res->csat.rows[i].raw) < 1e-12);
    analysis_agents_metric.destroy(w.acc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("agents_metric");
    TCase *t = tcase_create("shrinkage");
    tcase_add_test(t, csat_recovers_planted_skill);
    tcase_add_test(t, ces_recovers_planted_skill);
    tcase_add_test(t, beta_binomial_by_hand);
    suite_add_tcase(s, t);
    return run_suite(s);
}
