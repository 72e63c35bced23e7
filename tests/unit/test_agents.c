/* test_agents.c — agent scoring (stats/agents*.c, report/csv_agents.c,
 * report/text_agents.c).
 *
 * Expected values were computed ONCE, independently of this code, with
 * Debian's /usr/bin/python3 (numpy 1.24, scipy 1.10): posteriors from
 * scipy.stats.dirichlet.mean/var (plus the Dirichlet covariance
 * −aP·aD/(a0²(a0+1))), z = scipy.stats.norm.ppf(0.975), ICCs from a direct
 * one-way ANOVA over the individual 0/1 values (numpy sums of squares, not
 * the per-group shortcut used in the C code), ranks from
 * scipy.stats.rankdata(method='min'), Spearman from scipy.stats.spearmanr.
 * The comment beside each vector names the call.
 */
#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/model.h"
#include "core/timeparse.h"
#include "stats/agents.h"

#define TOL 1e-9
#define Z95 1.959963984540054   /* scipy.stats.norm.ppf(0.975) */

/* ---- agent_shrink ---- */

typedef struct shrink_case {
    nps_counts c;
    double m, nps, sd, lo, hi;
} shrink_case;

/* π = (0.5 promoters, 0.2 detractors).  scipy.stats.dirichlet.mean/var of
 * alpha = counts + m·(0.5, 0.3, 0.2); sd = 100·sqrt(var P + var D − 2 cov). */
static const shrink_case shrink_cases[] = {
    { {1, 0, 0}, 10, 36.36363636363636, 22.268088570756163, -7.281015239593728, 80.00828796686645 },
    { {20, 0, 0}, 10, 76.66666666666667, 10.035778289606451, 56.99690266220904, 96.3364306711243 },
    { {0, 0, 15}, 10, -48.00000000000001, 15.80652250958932, -78.98021483961674, -17.01978516038327 },
    { {7, 2, 3}, 10, 31.818181818181813, 17.08657753536619, -1.6708947701870756, 65.3072584065507 },
    { {1, 0, 0}, 2, 53.333333333333336, 35.90109871423003, -17.031527151974764, 100.0 },
    { {0, 1, 0}, 10, 27.27272727272727, 21.640692207705605, -15.142250054892305, 69.68770460034685 },
    /* m = 0: scipy.stats.dirichlet with alpha = counts (7, 2, 3): the raw NPS. */
    { {7, 2, 3}, 0, 33.333333333333336, 23.570226039551585, -12.863460811655926, 79.5301274783226 },
};

START_TEST(test_shrink_cases)
{
    const shrink_case *k = &shrink_cases[_i];
    agent_shrunk s = agent_shrink(&k->c, 0.5, 0.2, k->m, Z95);
    ck_assert_double_eq_tol(s.nps, k->nps, TOL);
    ck_assert_double_eq_tol(s.sd, k->sd, TOL);
    ck_assert_double_eq_tol(s.ci_low, k->lo, TOL);
    ck_assert_double_eq_tol(s.ci_high, k->hi, TOL);
}
END_TEST

START_TEST(test_shrink_full_pooling)
{
    nps_counts c = { 20, 0, 0 };
    agent_shrunk s = agent_shrink(&c, 0.5, 0.2, INFINITY, Z95);
    ck_assert_double_eq_tol(s.nps, 30.0, TOL);
    ck_assert_double_eq(s.sd, 0.0);
    ck_assert_double_eq(s.ci_low, s.nps);
    ck_assert_double_eq(s.ci_high, s.nps);
}
END_TEST

START_TEST(test_shrink_raw_all_promoters)
{
    /* m = 0, a = (20, 0, 0): NPS 100 with a degenerate posterior. */
    nps_counts c = { 20, 0, 0 };
    agent_shrunk s = agent_shrink(&c, 0.5, 0.2, 0.0, Z95);
    ck_assert_double_eq_tol(s.nps, 100.0, TOL);
    ck_assert_double_eq_tol(s.sd, 0.0, TOL);
    ck_assert_double_eq_tol(s.ci_low, 100.0, TOL);
    ck_assert_double_eq_tol(s.ci_high, 100.0, TOL);
    nps_counts none = { 0, 0, 0 };
    ck_assert(isnan(agent_shrink(&none, 0.5, 0.2, 0.0, Z95).nps));
}
END_TEST

/* ---- ICC and m ---- */

START_TEST(test_icc_against_anova)
{
    /* Direct numpy one-way ANOVA over the expanded 0/1 responses of these
     * 8 agents: promoter ICC 0.16136330905071036, detractor ICC
     * 0.1892644495392892. */
    const int64_t n[] = { 16, 16, 12, 3, 30, 15, 16, 1 };
    const int64_t p[] = { 12, 5, 9, 2, 20, 3, 12, 0 };
    const int64_t d[] = { 1, 6, 1, 0, 4, 8, 1, 1 };
    ck_assert_double_eq_tol(agents_icc(n, p, 8), 0.16136330905071036, TOL);
    ck_assert_double_eq_tol(agents_icc(n, d, 8), 0.1892644495392892, TOL);
}
END_TEST

START_TEST(test_icc_undefined)
{
    const int64_t n1[] = { 10 }, x1[] = { 4 };
    ck_assert(isnan(agents_icc(n1, x1, 1)));              /* K < 2 */
    const int64_t n2[] = { 1, 1, 1 }, x2[] = { 1, 0, 1 };
    ck_assert(isnan(agents_icc(n2, x2, 3)));              /* N − K = 0 */
    const int64_t n3[] = { 5, 7 }, x3[] = { 0, 0 };
    ck_assert(isnan(agents_icc(n3, x3, 2)));              /* no variance */
    /* Identical shares (4 of 10 in each of 3 agents): numpy ANOVA gives
     * −0.11111111111111112. */
    const int64_t n4[] = { 10, 10, 10 }, x4[] = { 4, 4, 4 };
    ck_assert_double_eq_tol(agents_icc(n4, x4, 3), -0.11111111111111112, TOL);
}
END_TEST

START_TEST(test_m_from_rho)
{
    ck_assert(isinf(agents_m_from_rho(-0.1)));
    ck_assert(isinf(agents_m_from_rho(0.0)));
    ck_assert(isinf(agents_m_from_rho(NAN)));
    ck_assert_double_eq(agents_m_from_rho(1.0), 0.0);
    ck_assert_double_eq_tol(agents_m_from_rho(0.2), 4.0, TOL);
}
END_TEST

/* ---- ranks and Spearman ---- */

START_TEST(test_rank_ties)
{
    /* scipy.stats.rankdata([-5, -3, -5, -1, -3], method='min') = 1 3 1 5 3 */
    const double v[] = { 5, 3, 5, 1, 3 };
    int r[5];
    ck_assert_int_eq(agents_rank(v, 5, 1, r), 0);
    const int want_r[] = { 1, 3, 1, 5, 3 };
    for (int i = 0; i < 5; i++) ck_assert_int_eq(r[i], want_r[i]);
    /* Ascending, a NaN unranked, a near tie within 1e-9 shares the rank. */
    const double w[] = { 200, NAN, 100, 200 + 1e-10, 150 };
    int q[5];
    ck_assert_int_eq(agents_rank(w, 5, 0, q), 0);
    const int wantq[] = { 3, 0, 1, 3, 2 };
    for (int i = 0; i < 5; i++) ck_assert_int_eq(q[i], wantq[i]);
}
END_TEST

START_TEST(test_spearman)
{
    /* scipy.stats.spearmanr(x, y): 0.8739804390886586, p 0.002063597796931827 */
    const double x[] = { 1, 2, 2, 4, 5, 6, 7, 7, 9 }, y[] = { 2, 1, 4, 3, 6, 5, 9, 8, 7 };
    agents_spearman_t s = agents_spearman(x, y, 9);
    ck_assert_double_eq_tol(s.r, 0.8739804390886586, TOL);
    ck_assert_double_eq_tol(s.p, 0.002063597796931827, 1e-12);
    /* scipy.stats.spearmanr: -0.2, p 0.747060078104662 */
    const double x3[] = { 3.5, 1.0, 2.0, 8.0, 5.0 }, y3[] = { 10, 40, 30, 20, 50 };
    s = agents_spearman(x3, y3, 5);
    ck_assert_double_eq_tol(s.r, -0.2, TOL);
    ck_assert_double_eq_tol(s.p, 0.747060078104662, 1e-12);
    s = agents_spearman(x3, y3, 2);
    ck_assert(isnan(s.r) && isnan(s.p));
    const double c[] = { 1, 1, 1, 1, 1 };
    ck_assert(isnan(agents_spearman(c, y3, 5).r));
}
END_TEST

/* ---- the accumulator end to end ---- */

typedef struct test_agent {
    const char *id;
    int p, a, d;
    double aht;          /* NaN: no handle times */
} test_agent;

static const test_agent roster[] = {
    { "a01", 12, 3, 1, 300 }, { "a02", 5, 5, 6, 200 }, { "a03", 9, 2, 1, 250 },
    { "a04", 2, 1, 0, 100 }, { "a05", 20, 6, 4, 400 }, { "a06", 3, 4, 8, 200 },
    { "a07", 12, 3, 1, 350 }, { "b08", 0, 0, 1, NAN },
};

typedef struct want_row {
    const char *id;
    long long n;
    double nps, lo, hi, pe;
    long long mot_n;
    double mot, aht;
    int rf, ra;
} want_row;

/* /usr/bin/python3: the roster expanded into responses exactly as
 * add_roster() does, then: π = shares, ρ = mean of the two numpy-ANOVA
 * ICCs, m = (1−ρ)/ρ, posteriors from scipy.stats.dirichlet, peak-end by
 * hand, MoT the same on MoT responses only, ranks with
 * scipy.stats.rankdata(method='min') over n ≥ 10.  In output order. */
static const want_row want[] = {
    { "a01", 16, 61.67591419595973, 34.25955735783666, 89.09227103408278, 3.6875, 8, 50.308852328458755, 300.0, 1, 4 },
    { "a07", 16, 61.67591419595973, 34.25955735783666, 89.09227103408278, 3.6875, 8, 50.308852328458755, 350.0, 1, 5 },
    { "a03", 12, 58.48529111708305, 26.34049158704235, 90.63009064712375, 3.4166666666666665, 6, 55.706960804715656, 250.0, 3, 3 },
    { "a05", 30, 51.20270582516218, 27.20864595219297, 75.19676569813139, 3.7666666666666666, 14, 46.48545648493199, 400.0, 4, 6 },
    { "a02", 16, 3.716253480830228, -31.660349471554117, 39.09285643321457, 3.6875, 8, 30.92847903837631, 200.0, 5, 1 },
    { "a06", 15, -16.39553303413121, -52.88321015645364, 20.09214408819123, 3.6875, 7, 22.31970282449094, 200.0, 6, 1 },
    { "a04", 3, 48.92767756442132, 2.1232173445568847, 95.73213778428575, 3.0, 2, 50.43543601666143, 100.0, 0, 0 },
    { "b08", 1, 13.488915693348652, -54.22606024400715, 81.20389163070445, 3.0, 1, 32.13815894426137, NAN, 0, 0 },
};

static cx_config *test_config(void)
{
    cx_config *c = config_default();
    ck_assert_ptr_nonnull(c);
    c->mot_types = calloc(2, sizeof *c->mot_types);
    ck_assert_ptr_nonnull(c->mot_types);
    c->mot_types[0] = strdup("card_lost");
    c->mot_types[1] = strdup("outage");
    ck_assert(c->mot_types[0] && c->mot_types[1]);
    c->n_mot_types = 2;
    return c;
}

static stats_opts test_opts(const cx_config *cfg, int month, double m)
{
    stats_opts o;
    memset(&o, 0, sizeof o);
    o.cfg = cfg;
    o.month = month;
    o.confidence = 0.95;
    o.prior_strength = m;
    o.min_responses = 10;
    return o;
}

static int64_t march_2026(void) { return days_from_civil(2026, 3, 15) * 86400 + 3600; }

/* Response j of an agent: scores P×10, A×8, D×3; type card_lost when
 * j%3 == 0, outage when j%7 == 1, else billing; moments (1+j%5, 3, 5−j%4)
 * on even j; handle time = the agent's AHT, except odd j of a03. */
static void add_roster(agents_acc *acc, int64_t at)
{
    for (size_t k = 0; k < sizeof roster / sizeof *roster; k++) {
        const test_agent *t = &roster[k];
        int total = t->p + t->a + t->d;
        for (int j = 0; j < total; j++) {
            cx_response r;
            cx_response_clear(&r);
            r.agent_id = t->id;
            r.responded_at = at;
            r.score = j < t->p ? 10 : (j < t->p + t->a ? 8 : 3);
            r.interaction_type = j % 3 == 0 ? "card_lost" : (j % 7 == 1 ? "outage" : "billing");
            if (j % 2 == 0) {
                r.moments[0] = 1 + j % 5;
                r.moments[1] = 3;
                r.moments[2] = 5 - j % 4;
                r.n_moments = 3;
            }
            if (!isnan(t->aht) && !(strcmp(t->id, "a03") == 0 && j % 2 == 1)) {
                r.has_handle_time = 1;
                r.handle_time_s = t->aht;
            }
            ck_assert_int_eq(agents_add(acc, &r), 0);
        }
    }
}

static void add_noise(agents_acc *acc, int64_t at)
{
    cx_response r;
    cx_response_clear(&r);
    r.responded_at = at;
    r.score = 0;
    ck_assert_int_eq(agents_add(acc, &r), 0);          /* no agent: ignored */
    r.agent_id = "a06";
    r.responded_at = at - 40 * 86400;                 /* February: out of scope */
    ck_assert_int_eq(agents_add(acc, &r), 0);
}

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
    const agents_prior *pr = agents_prior_all(acc);
    ck_assert_int_eq(pr->k, 8);
    ck_assert_int_eq(pr->n, 109);
    ck_assert_double_eq_tol(pr->rho_p, 0.16136330905071036, TOL);
    ck_assert_double_eq_tol(pr->rho_d, 0.1892644495392892, TOL);
    ck_assert_double_eq_tol(agents_rho(acc), 0.17531387929499978, TOL);
    ck_assert_double_eq_tol(agents_prior_strength(acc), 4.704054944316788, 1e-8);
    /* MoT population: numpy ANOVA on MoT responses only. */
    const agents_prior *mp = agents_prior_mot(acc);
    ck_assert_double_eq_tol(mp->pi_p, 0.6111111111111112, TOL);
    ck_assert_double_eq_tol(mp->pi_d, 0.18518518518518517, TOL);
    ck_assert_double_eq_tol(mp->rho, 0.07331680740388138, TOL);
    ck_assert_double_eq_tol(mp->m, 12.639437332442549, 1e-8);

    ck_assert_uint_eq(agents_count(acc), 8);
    ck_assert_uint_eq(agents_ranked(acc), 6);
    for (size_t i = 0; i < 8; i++) {
        const agent_row *r = agents_row(acc, i);
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
    /* scipy.stats.spearmanr(shrunk, aht) over the 6 ranked agents =
     * 0.6176470588235294, p 0.19134184815794816; the rank agreement is its
     * negative. */
    agents_spearman_t s = agents_rank_agreement(acc);
    ck_assert_int_eq(s.n, 6);
    ck_assert_double_eq_tol(s.r, -0.6176470588235294, TOL);
    ck_assert_double_eq_tol(s.p, 0.19134184815794816, 1e-12);
    s = agents_nps_aht_spearman(acc);
    ck_assert_double_eq_tol(s.r, 0.6176470588235294, TOL);
    ck_assert_double_eq_tol(s.p, 0.19134184815794816, 1e-12);

    /* Best MoT handlers: above the MoT population NPS 42.59, best first. */
    size_t idx[8];
    size_t k = agents_mot_best(acc, idx, 8);
    ck_assert_uint_eq(k, 5);
    ck_assert_str_eq(agents_row(acc, idx[0])->id, "a03");
    ck_assert_str_eq(agents_row(acc, idx[1])->id, "a04");
    ck_assert_int_eq(agents_add(acc, &(cx_response){ .agent_id = "x" }), -1);
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
    ck_assert_double_eq(agents_prior_strength(acc), 0.0);
    for (size_t i = 0; i < agents_count(acc); i++) {
        const agent_row *r = agents_row(acc, i);
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
    ck_assert_str_eq(agents_row(acc, 0)->id, "a01");
    ck_assert_str_eq(agents_row(acc, 1)->id, "a07");
    ck_assert_str_eq(agents_row(acc, 2)->id, "a03");
    ck_assert_int_eq(agents_row(acc, 1)->rank_feedback, 1);
    ck_assert_int_eq(agents_row(acc, 2)->rank_feedback, 3);
    agents_free(acc);
    config_free(cfg);
}
END_TEST

static void add_counts(agents_acc *acc, const char *id, int p, int a, int d)
{
    cx_response r;
    cx_response_clear(&r);
    r.agent_id = id;
    r.responded_at = march_2026();
    for (int j = 0; j < p + a + d; j++) {
        r.score = j < p ? 9 : (j < p + a ? 7 : 6);
        ck_assert_int_eq(agents_add(acc, &r), 0);
    }
}

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
    ck_assert(agents_rho(acc) < 0);
    ck_assert(isinf(agents_prior_strength(acc)));
    double pop = agents_population_nps(acc);
    ck_assert_double_eq_tol(pop, 100.0 * (13.0 - 12.0) / 31.0, TOL);
    for (size_t i = 0; i < agents_count(acc); i++) {
        const agent_row *r = agents_row(acc, i);
        ck_assert_double_eq(r->shrunk.nps, pop);
        ck_assert_double_eq(r->shrunk.ci_low, pop);
        ck_assert_double_eq(r->shrunk.ci_high, pop);
        ck_assert_int_eq(r->rank_feedback, i < 3 ? 1 : 0);
        ck_assert_int_eq(r->mot_n, 0);
        ck_assert(isnan(r->mot.nps) && isnan(r->mean_peak_end) && isnan(r->aht_s));
    }
    ck_assert_str_eq(agents_row(acc, 0)->id, "w");     /* ties by agent id */
    ck_assert_str_eq(agents_row(acc, 3)->id, "small");
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
    ck_assert(isnan(agents_rho(acc)));
    ck_assert(isinf(agents_prior_strength(acc)));
    ck_assert_double_eq_tol(agents_row(acc, 0)->shrunk.nps, 30.0, TOL);
    agents_spearman_t s = agents_rank_agreement(acc);
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
    ck_assert_int_eq(agents_add(acc, &r), 0);            /* no agent id */
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    ck_assert_uint_eq(agents_count(acc), 0);
    ck_assert(isnan(agents_population_nps(acc)));
    ck_assert(isinf(agents_prior_strength(acc)));
    FILE *t = tmpfile();
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(agents_print_table(t, acc), 0);
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
    ck_assert_uint_eq(agents_count(acc), 5000);
    for (size_t i = 0; i < agents_count(acc); i++) ck_assert_int_eq(agents_row(acc, i)->n, 3);
    agents_free(acc);
}
END_TEST

/* ---- writers ---- */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static const size_t cap = 1 << 16;
    char *buf = calloc(cap, 1);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

START_TEST(test_csv_agents)
{
    cx_config *cfg = test_config();
    int64_t at = march_2026();
    stats_opts o = test_opts(cfg, 0, NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    add_roster(acc, at);
    add_counts(acc, "=cmd", 1, 0, 0);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    char dir[] = "/tmp/test_agents_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(report_csv_agents(acc, dir, err, sizeof err), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/agents.csv", dir);
    char *text = slurp(path);
    ck_assert_msg(strncmp(text, "agent_id,n,promoters,passives,detractors,nps_raw,nps_shrunk,"
                          "ci_low,ci_high,mean_peak_end,mot_n,mot_nps_shrunk,aht_s,"
                          "rank_feedback,rank_aht\r\n", 128) == 0, "header: %.200s", text);
    ck_assert_ptr_nonnull(strstr(text, "\r\na01,16,12,3,1,68.75,"));
    ck_assert_ptr_nonnull(strstr(text, "\r\n'=cmd,1,1,0,0,100,"));   /* formula escape */
    const char *b08 = strstr(text, "\r\nb08,1,0,0,1,-100,");
    ck_assert_ptr_nonnull(b08);
    const char *eol = strstr(b08 + 2, "\r\n");
    ck_assert_ptr_nonnull(eol);
    ck_assert_msg(strncmp(eol - 3, ",,,", 3) == 0, "b08 ends with empty aht and ranks");
    free(text);
    unlink(path);
    rmdir(dir);

    FILE *t = tmpfile();
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(agents_print_table(t, acc), 0);
    rewind(t);
    char line[512];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, t));
    ck_assert_ptr_nonnull(strstr(line, "population NPS"));
    ck_assert_ptr_nonnull(strstr(line, "m = "));
    fclose(t);
    agents_free(acc);
    config_free(cfg);
}
END_TEST

START_TEST(test_html_escapes_ids)
{
    stats_opts o = test_opts(NULL, 0, NAN);
    agents_acc *acc = agents_new(&o);
    ck_assert_ptr_nonnull(acc);
    add_counts(acc, "<script>alert(1)</script>", 30, 0, 0);
    add_counts(acc, "plain", 2, 10, 18);
    add_counts(acc, "other", 10, 10, 10);
    char err[256];
    ck_assert_int_eq(agents_finish(acc, err, sizeof err), 0);
    FILE *t = tmpfile();
    ck_assert_ptr_nonnull(t);
    report_html_agents(t, acc, NULL);
    rewind(t);
    char *buf = calloc(1 << 16, 1);
    ck_assert_ptr_nonnull(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, t);
    buf[n] = '\0';
    fclose(t);
    ck_assert_ptr_null(strstr(buf, "<script>"));
    ck_assert_ptr_nonnull(strstr(buf, "&lt;script&gt;"));
    ck_assert_ptr_nonnull(strstr(buf, "<section id=\"agents\">"));
    ck_assert_ptr_nonnull(strstr(buf, "Clearly above"));
    free(buf);
    agents_free(acc);
}
END_TEST

static Suite *agents_suite(void)
{
    Suite *s = suite_create("agents");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_shrink_cases, 0,
                        (int)(sizeof shrink_cases / sizeof *shrink_cases));
    tcase_add_test(tc, test_shrink_full_pooling);
    tcase_add_test(tc, test_shrink_raw_all_promoters);
    tcase_add_test(tc, test_icc_against_anova);
    tcase_add_test(tc, test_icc_undefined);
    tcase_add_test(tc, test_m_from_rho);
    tcase_add_test(tc, test_rank_ties);
    tcase_add_test(tc, test_spearman);
    tcase_add_test(tc, test_accumulator);
    tcase_add_test(tc, test_prior_strength_zero_gives_raw);
    tcase_add_test(tc, test_no_spread_full_pooling);
    tcase_add_test(tc, test_single_agent_undefined_rho);
    tcase_add_test(tc, test_bad_options);
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_many_agents);
    tcase_add_test(tc, test_csv_agents);
    tcase_add_test(tc, test_html_escapes_ids);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(agents_suite());
}
