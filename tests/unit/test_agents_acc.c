/* test_agents_acc.c — the agents accumulator end to end (stats/agents.c):
 * a roster with known counts against values computed independently (see
 * test_agents.c for how), options, edge cases, many agents.  Fixtures:
 * agents_fixture.h.
 */
#include "agents_fixture.h"
#include "report/report.h"

START_TEST(test_accumulator)
{
    cx_config *cfg = test_config();
    int64_t at = march_2026();
    stats_opts o = test_opts(cfg, time_month_key(at), NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    add_roster(acc, at);
    add_noise(acc, at);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);

    /* Direct numpy ANOVA ICCs of the expanded responses. */
    const agents_prior *pr = (&agents_results(acc)->all);
    ck_assert_int_eq(pr->k, 8);
    ck_assert_int_eq(pr->n, 109);
    ck_assert_double_eq_tol(pr->rho_p, 0.16136330905071036, TOL);
    ck_assert_double_eq_tol(pr->rho_d, 0.1892644495392892, TOL);
    ck_assert_double_eq_tol(agents_results(acc)->all.rho, 0.17531387929499978, TOL);
    ck_assert_double_eq_tol(agents_results(acc)->all.m, 4.704054944316788, 1e-8);
    /* MoT population: numpy ANOVA on MoT responses only. */
    const agents_prior *mp = (&agents_results(acc)->mot);
    ck_assert_double_eq_tol(mp->pi_p, 0.6111111111111112, TOL);
    ck_assert_double_eq_tol(mp->pi_d, 0.18518518518518517, TOL);
    ck_assert_double_eq_tol(mp->rho, 0.07331680740388138, TOL);
    ck_assert_double_eq_tol(mp->m, 12.639437332442549, 1e-8);

    ck_assert_uint_eq(agents_results(acc)->n_rows, 8);
    ck_assert_uint_eq(agents_results(acc)->n_ranked, 6);
    for (size_t i = 0; i < 8; i++) {
        const agent_row *r = (&agents_results(acc)->rows[i]);
        const want_row *w = &want[i];
        ck_assert_str_eq(r->id, w->id);
        ck_assert_int_eq(r->n, w->n);
        ck_assert_double_eq_tol(r->shrunk.nps, w->nps, 1e-8);
        ck_assert_double_eq_tol(r->shrunk.ci_low, w->lo, 1e-8);
        ck_assert_double_eq_tol(r->shrunk.ci_high, w->hi, 1e-8);
        ck_assert_double_eq_tol(r->mean_peak_end, w->pe, TOL);
        ck_assert_int_eq(r->mot_n, w->mot_n);
        ck_assert_double_eq_tol(r->mot.nps, w->mot, 1e-8);
        if (isnan(w->aht)) ck_assert(isnan(r->aht_s));
        else ck_assert_double_eq_tol(r->aht_s, w->aht, TOL);
        ck_assert_int_eq(r->rank_feedback, w->rf);
        ck_assert_int_eq(r->rank_aht, w->ra);
    }
    /* Tiers: the population NPS is 100·(63 − 22)/109 = 37.61 (roster
     * totals); only a06's interval (upper end 20.09) misses it, below. The
     * typical ones rank by shrunk NPS among themselves (a01 = a07 first). */
    ck_assert_double_eq_tol(agents_results(acc)->all.nps, 100.0 * 41.0 / 109.0, TOL);
    static const struct {
        int tier, rank;
    } tiers[8] = {
        {AGENT_TIER_TYPICAL, 1}, {AGENT_TIER_TYPICAL, 1}, {AGENT_TIER_TYPICAL, 3}, {AGENT_TIER_TYPICAL, 4},
        {AGENT_TIER_TYPICAL, 5}, {AGENT_TIER_BELOW, 1},   {AGENT_TIER_NONE, 0},    {AGENT_TIER_NONE, 0},
    };
    for (size_t i = 0; i < 8; i++) {
        ck_assert_int_eq((&agents_results(acc)->rows[i])->tier, tiers[i].tier);
        ck_assert_int_eq((&agents_results(acc)->rows[i])->rank_in_tier, tiers[i].rank);
    }
    ck_assert_str_eq(agent_tier_key(AGENT_TIER_BELOW), "below");
    ck_assert_str_eq(agent_tier_key(AGENT_TIER_NONE), "");

    /* scipy.stats.spearmanr(shrunk, aht) over the 6 ranked agents =
     * 0.6176470588235294, p 0.19134184815794816; the rank agreement is its
     * negative. */
    agents_spearman_t s = agents_results(acc)->rank_agreement;
    ck_assert_int_eq(s.n, 6);
    ck_assert_double_eq_tol(s.r, -0.6176470588235294, TOL);
    ck_assert_double_eq_tol(s.p, 0.19134184815794816, 1e-12);
    s = agents_results(acc)->nps_aht;
    ck_assert_double_eq_tol(s.r, 0.6176470588235294, TOL);
    ck_assert_double_eq_tol(s.p, 0.19134184815794816, 1e-12);

    /* Best MoT handlers: above the MoT population NPS 42.59, best first. */
    const size_t *idx = agents_results(acc)->mot_best;
    size_t k = agents_results(acc)->n_mot_best;
    ck_assert_uint_eq(k, 5);
    ck_assert_str_eq((&agents_results(acc)->rows[idx[0]])->id, "a03");
    ck_assert_str_eq((&agents_results(acc)->rows[idx[1]])->id, "a04");
    ck_assert_int_eq(agents_add(acc, &(cx_response){.agent_id = "x"}), -1);
    agents_free(acc);
    config_free(cfg);
}
END_TEST

START_TEST(test_prior_strength_zero_gives_raw)
{
    cx_config *cfg = test_config();
    int64_t at = march_2026();
    stats_opts o = test_opts(cfg, 0, 0.0);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    add_roster(acc, at);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    ck_assert_double_eq(agents_results(acc)->all.m, 0.0);
    for (size_t i = 0; i < agents_results(acc)->n_rows; i++) {
        const agent_row *r = (&agents_results(acc)->rows[i]);
        ck_assert_double_eq_tol(r->shrunk.nps, r->nps_raw, TOL);
        if (strcmp(r->id, "a01") == 0) {
            /* scipy.stats.dirichlet with alpha = (12, 3, 1) */
            ck_assert_double_eq_tol(r->shrunk.nps, 68.75, TOL);
            ck_assert_double_eq_tol(r->shrunk.sd, 14.138885678698095, TOL);
            ck_assert_double_eq_tol(r->shrunk.ci_low, 41.038293288222576, TOL);
            ck_assert_double_eq_tol(r->shrunk.ci_high, 96.46170671177742, TOL);
        }
    }
    /* Raw order: a01 = a07 (68.75, tie by id), then a03 (66.67). */
    ck_assert_str_eq((&agents_results(acc)->rows[0])->id, "a01");
    ck_assert_str_eq((&agents_results(acc)->rows[1])->id, "a07");
    ck_assert_str_eq((&agents_results(acc)->rows[2])->id, "a03");
    ck_assert_int_eq((&agents_results(acc)->rows[1])->rank_feedback, 1);
    ck_assert_int_eq((&agents_results(acc)->rows[2])->rank_feedback, 3);
    agents_free(acc);
    config_free(cfg);
}
END_TEST

START_TEST(test_no_spread_full_pooling)
{
    /* Identical shares: both ICCs −1/9 (numpy ANOVA), so m = ∞. */
    stats_opts o = test_opts(NULL, 0, NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    add_counts(acc, "x", 4, 2, 4);
    add_counts(acc, "y", 4, 2, 4);
    add_counts(acc, "w", 4, 2, 4);
    add_counts(acc, "small", 1, 0, 0);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    ck_assert(agents_results(acc)->all.rho < 0);
    ck_assert(isinf(agents_results(acc)->all.m));
    double pop = agents_results(acc)->all.nps;
    ck_assert_double_eq_tol(pop, 100.0 * (13.0 - 12.0) / 31.0, TOL);
    for (size_t i = 0; i < agents_results(acc)->n_rows; i++) {
        const agent_row *r = (&agents_results(acc)->rows[i]);
        ck_assert_double_eq(r->shrunk.nps, pop);
        ck_assert_double_eq(r->shrunk.ci_low, pop);
        ck_assert_double_eq(r->shrunk.ci_high, pop);
        ck_assert_int_eq(r->rank_feedback, i < 3 ? 1 : 0);
        ck_assert_int_eq(r->mot_n, 0);
        ck_assert(isnan(r->mot.nps) && isnan(r->mean_peak_end) && isnan(r->aht_s));
    }
    ck_assert_str_eq((&agents_results(acc)->rows[0])->id, "w"); /* ties by agent id */
    ck_assert_str_eq((&agents_results(acc)->rows[3])->id, "small");
    agents_free(acc);
}
END_TEST

START_TEST(test_single_agent_undefined_rho)
{
    stats_opts o = test_opts(NULL, 0, NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    add_counts(acc, "solo", 5, 3, 2);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    ck_assert(isnan(agents_results(acc)->all.rho));
    ck_assert(isinf(agents_results(acc)->all.m));
    ck_assert_double_eq_tol((&agents_results(acc)->rows[0])->shrunk.nps, 30.0, TOL);
    agents_spearman_t s = agents_results(acc)->rank_agreement;
    ck_assert(isnan(s.r));
    agents_free(acc);
}
END_TEST

START_TEST(test_bad_options)
{
    stats_opts o = test_opts(NULL, 0, -1.0);
    agents_acc *acc = agents_new(&o);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "prior strength"));
    agents_free(acc);
    o = test_opts(NULL, 0, NAN);
    o.confidence = 1.0;
    acc = agents_new(&o);
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), -1);
    agents_free(acc);
}
END_TEST

START_TEST(test_empty)
{
    stats_opts o = test_opts(NULL, 0, NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    cx_response r;
    cx_response_clear(&r);
    r.score = 10;
    ck_assert_int_eq(agents_add(acc, &r), 0); /* no agent id */
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    ck_assert_uint_eq(agents_results(acc)->n_rows, 0);
    ck_assert(isnan(agents_results(acc)->all.nps));
    ck_assert(isinf(agents_results(acc)->all.m));
    FILE *t = tmpfile();
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(report_agents_text(t, agents_results(acc)), 0);
    fclose(t);
    agents_free(acc);
}
END_TEST

/* Many agents: the hash table grows; counts stay per agent. */
START_TEST(test_many_agents)
{
    stats_opts o = test_opts(NULL, 0, NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    char id[32];
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 5000; i++) {
            snprintf(id, sizeof id, "agent-%d", i);
            add_counts(acc, id, i % 3 == 0, i % 3 == 1, i % 3 == 2);
        }
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    ck_assert_uint_eq(agents_results(acc)->n_rows, 5000);
    for (size_t i = 0; i < agents_results(acc)->n_rows; i++)
        ck_assert_int_eq((&agents_results(acc)->rows[i])->n, 3);
    agents_free(acc);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("agents_acc");
    TCase *tc = tcase_create("agents_acc");
    tcase_add_test(tc, test_accumulator);
    tcase_add_test(tc, test_prior_strength_zero_gives_raw);
    tcase_add_test(tc, test_no_spread_full_pooling);
    tcase_add_test(tc, test_single_agent_undefined_rho);
    tcase_add_test(tc, test_bad_options);
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_many_agents);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
