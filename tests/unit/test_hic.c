/* test_hic.c — top-share counts, CLV, the Pareto table, HIC rows, latest
 * response and revenue at risk (stats/hic.c through the cx accumulator);
 * the same tables when the per-customer state was put away in a temporary
 * file at the end of the feed (the analysis row's rest, stats/hic_rest.c),
 * and when a response comes after that.
 *
 * The customers table below is small enough to check by hand; the NPS
 * intervals, the change test's p and the discounted CLV were computed once,
 * independently of this code, with Debian's python3 (scipy 1.10.1): the
 * adjusted-Wald formula of docs/methods.md with z = scipy.stats.norm.ppf(0.975),
 * p = 2·norm.sf(|z|), and 100·sum(1.1**-k for k in 1..5).
 */
#include "stats/analysis.h"
#include "stats/cx.h"

#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

static void near(double got, double want, const char *what)
{
    ck_assert_msg(fabs(got - want) <= 1e-9 * (fabs(want) > 1 ? fabs(want) : 1), "%s: got %.15g, want %.15g",
                  what, got, want);
}

START_TEST(top_counts)
{
    /* ⌈s·N⌉ by hand; 0.1·30 and 0.2·10 are the floating-point traps. */
    ck_assert_uint_eq(cx_top_count(0.2, 10), 2);
    ck_assert_uint_eq(cx_top_count(0.1, 30), 3);
    ck_assert_uint_eq(cx_top_count(0.7, 10), 7);
    ck_assert_uint_eq(cx_top_count(0.01, 50), 1);
    ck_assert_uint_eq(cx_top_count(0.05, 100), 5);
    ck_assert_uint_eq(cx_top_count(0.5, 3), 2);
    ck_assert_uint_eq(cx_top_count(0.15, 20), 3);
    ck_assert_uint_eq(cx_top_count(0.2, 6666), 1334);
    ck_assert_uint_eq(cx_top_count(1.0, 7), 7);
    ck_assert_uint_eq(cx_top_count(0.2, 0), 0);
    ck_assert_uint_eq(cx_top_count(0.0, 10), 0);
}
END_TEST

START_TEST(clv)
{
    near(cx_clv(100, 5, 0), 500, "docs/methods.md: $100 a year for 5 years");
    near(cx_clv(100, 5, 0.1), 379.078676940845, "discounted (python sum)");
    /* Fractional years: annuity formula 100·(1 − 1.1^−2.5)/0.1 (python). */
    near(cx_clv(100, 2.5, 0.1), 212.01438905323, "2.5 years discounted");
    near(cx_clv(100, 2.5, 0), 250, "2.5 years");
    near(cx_clv(0, 5, 0.1), 0, "zero value");
}
END_TEST

typedef struct fixture {
    cx_config *cfg;
    stats_opts o;
    cust_table *cust;
    spend_table *spend;
    cxa *a;
} fixture;

static cx_response resp(const char *id, const char *cust, int score, int64_t at, int64_t upd)
{
    cx_response r;
    cx_response_clear(&r);
    r.response_id = id;
    r.customer_id = cust;
    r.score = score;
    r.responded_at = at;
    r.updated_at = upd;
    return r;
}

/* Ten customers; T1 by hand (spend data ends on day 2000):
 *   c01 100, c02 50, c06 50 (tie: c02 first by id), c03 25 (spend 20 on
 *   day 2000 + 5 on day 1636 = 2000−364; 1000 on day 1635 is outside),
 *   c04 10, c07 5, c08 5, c09 3, c10 2, c05 0 (no value, no spend).
 *   Total 250. */
static void build_rest(fixture *fx, double rate, int rest)
{
    fx->cfg = config_default();
    fx->cfg->discount_rate = rate;
    fx->o = (stats_opts){
        .cfg = fx->cfg, .by = {"channel"}, .n_by = 1, .confidence = 0.95, .spend_window_days = 90};
    fx->cust = cust_table_new();
    const struct {
        const char *id;
        double v;
    } cs[] = {
        {"c05", NAN}, {"c01", 100}, {"c02", 50}, {"c03", NAN}, {"c04", 10},
        {"c06", 50},  {"c07", 5},   {"c08", 5},  {"c09", 3},   {"c10", 2},
    };
    for (size_t i = 0; i < 10; i++) ck_assert_int_eq(cust_table_add(fx->cust, cs[i].id, cs[i].v, NULL, 0), 0);
    fx->spend = spend_table_new(90);
    spend_table_set_range(fx->spend, 1, 1500, 2000);
    fx->a = cxa_new(&fx->o, fx->cust, fx->spend);
    ck_assert_ptr_nonnull(fx->a);
    const int64_t t = 1995 * 86400;
    const struct {
        cx_response r;
        const char *ch;
    } rs[] = {
        {resp("r1", "c01", 9, t - 86400, t - 86400), "chat"},
        {resp("r2", "c01", 3, t, t), "phone"}, /* latest of c01: at risk */
        {resp("r3", "c02", 10, t, t), "phone"},
        {resp("r4", "c02", 2, t, t + 60), "chat"}, /* same time, newer update: latest */
        {resp("r6", "c06", 9, t, t), "phone"},     /* same time and update: id r6 > r5 */
        {resp("r5", "c06", 2, t, t), "chat"},
        {resp("r7", "c03", 5, t, t), NULL}, /* at risk, no segment */
        {resp("r8", "c04", 8, t, t), "chat"},
        {resp("r9", "zz", 0, t, t), "chat"}, /* not in the customers file */
    };
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++) {
        const char *seg[1] = {rs[i].ch};
        ck_assert_int_eq(cxa_add(fx->a, &rs[i].r, seg), 0);
    }
    if (rest) analysis_cx.rest(fx->a); /* as the drivers do once the feed is over */
    /* the spend rows stream by after the responses */
    ck_assert_int_eq(spend_table_add(fx->spend, "c03", 2000, 20), 0);
    ck_assert_int_eq(spend_table_add(fx->spend, "c03", 1636, 5), 0);
    ck_assert_int_eq(spend_table_add(fx->spend, "c03", 1635, 1000), 0);
    ck_assert_int_eq(spend_table_add(fx->spend, "c01", 1500, 7), 0); /* has annual_value */
    char err[256];
    ck_assert_int_eq(cxa_finish(fx->a, err, sizeof err), 0);
}

static void build(fixture *fx, double rate) { build_rest(fx, rate, 0); }

static void teardown(fixture *fx)
{
    cxa_free(fx->a);
    spend_table_free(fx->spend);
    cust_table_free(fx->cust);
    config_free(fx->cfg);
}

static void pareto_and_hic_with(int rest)
{
    fixture fx;
    build_rest(&fx, 0, rest);
    const cx_results *r = cxa_results(fx.a);
    ck_assert_uint_eq(r->n_customers, 10);
    /* Hand: top 1, 1, 1, 2, 5 customers of 10. */
    const int64_t k[] = {1, 1, 1, 2, 5};
    const double share[] = {0.4, 0.4, 0.4, 0.6, 0.94}; /* 100, 100, 100, 150, 235 of 250 */
    for (size_t i = 0; i < CX_N_PARETO; i++) {
        ck_assert_int_eq(r->pareto[i].customers, k[i]);
        near(r->pareto[i].revenue_share, share[i], "pareto share");
    }
    near(r->pareto[3].top_share, 0.2, "top share");
    const cx_hic_row *h = &r->hic[0], *o = &r->hic[1], *all = &r->hic[2];
    ck_assert_str_eq(h->segment, "hic");
    ck_assert_int_eq(h->customers, 2); /* c01, c02 */
    ck_assert_int_eq(o->customers, 8);
    ck_assert_int_eq(all->customers, 10);
    /* Responses: hic P2 A0 D2; other (c06 9,2; c03 5; c04 8) P1 A1 D2. */
    ck_assert_int_eq(h->counts.p, 2);
    ck_assert_int_eq(h->counts.a, 0);
    ck_assert_int_eq(h->counts.d, 2);
    ck_assert_int_eq(o->counts.p, 1);
    ck_assert_int_eq(o->counts.a, 1);
    ck_assert_int_eq(o->counts.d, 2);
    ck_assert_int_eq(all->nps.n, 8);
    near(h->nps.nps, 0, "hic nps");
    near(h->nps.ci_low, -65.6646140126642, "hic ci low (python)");
    near(o->nps.nps, -25, "other nps");
    near(o->nps.ci_low, -72.7311971013278, "other ci low (python)");
    near(o->nps.ci_high, 44.1597685298992, "other ci high (python)");
    near(all->nps.nps, -12.5, "all nps");
    near(all->nps.ci_high, 42.5780758407045, "all ci high (python)");
    near(r->hic_vs_other.p, 0.70031137293689, "hic vs other p (python)");
    ck_assert_int_eq(r->hic_vs_other.significant, 0);
    /* CLV = 5·T1: hic 750, other 500; at risk: c01 500 + c02 250 | c03 125. */
    near(h->clv, 750, "hic clv");
    near(o->clv, 500, "other clv");
    near(all->clv, 1250, "all clv");
    near(h->revenue_at_risk, 750, "hic risk");
    near(o->revenue_at_risk, 125, "other risk");
    near(all->revenue_at_risk, 875, "all risk");
    near(h->revenue_share, 0.6, "hic revenue share");
    /* Revenue at risk by channel of the latest response: chat has c02
     * (risk 250) and c04 (CLV 50); phone c01 (risk 500) and c06 (250). */
    ck_assert_uint_eq(r->n_risk, 2);
    ck_assert_str_eq(r->risk[0].segment, "chat");
    ck_assert_int_eq(r->risk[0].customers, 2);
    ck_assert_int_eq(r->risk[0].at_risk, 1);
    near(r->risk[0].clv, 300, "chat clv");
    near(r->risk[0].revenue_at_risk, 250, "chat risk");
    ck_assert_str_eq(r->risk[1].segment, "phone");
    near(r->risk[1].clv, 750, "phone clv");
    near(r->risk[1].revenue_at_risk, 500, "phone risk");
    /* Lorenz curve ends and the HIC cut. */
    ck_assert_uint_eq(r->n_curve, 101);
    near(r->curve[0].revenue_share, 0, "curve 0");
    near(r->curve[20].revenue_share, 0.6, "curve 20%");
    near(r->curve[100].revenue_share, 1, "curve 100%");
    near(r->hic_cut, 0.2, "cut");
    teardown(&fx);
}

START_TEST(pareto_and_hic) { pareto_and_hic_with(0); }
END_TEST

START_TEST(pareto_and_hic_put_away) { pareto_and_hic_with(1); }
END_TEST

START_TEST(discounted)
{
    fixture fx;
    build(&fx, 0.1);
    const cx_results *r = cxa_results(fx.a);
    near(r->hic[0].clv, 568.618015411267, "hic clv at 10% (python: 150·Σ1.1^-k)");
    near(r->hic[0].revenue_at_risk, 568.618015411267, "hic risk at 10%");
    teardown(&fx);
}
END_TEST

START_TEST(no_customers)
{
    cx_config *cfg = config_default();
    stats_opts o = {.cfg = cfg, .confidence = 0.95, .spend_window_days = 90};
    cxa *a = cxa_new(&o, NULL, NULL);
    cx_response r = resp("r1", "c1", 9, 0, 0);
    ck_assert_int_eq(cxa_add(a, &r, NULL), 0);
    char err[256];
    ck_assert_int_eq(cxa_finish(a, err, sizeof err), 0);
    const cx_results *res = cxa_results(a);
    ck_assert_uint_eq(res->n_customers, 0);
    ck_assert_int_eq(res->pareto[0].customers, 0);
    ck_assert(isnan(res->pareto[0].revenue_share));
    ck_assert_int_eq(res->hic[2].customers, 0);
    ck_assert(isnan(res->hic[2].nps.nps));
    ck_assert_uint_eq(res->n_curve, 0);
    cxa_free(a);
    config_free(cfg);
}
END_TEST

/* Response ids longer than the 15 bytes a customer's record holds in
 * place, and a latest id that goes from long to short: the latest
 * response is still the one with the greatest id among equal times
 * (by hand: "r9" > "r-long-..." since '9' > '-' in byte order). */
/* RESTS: the state put away after the first response and again after
 * the third (the next response brings it back; the long ids stay where
 * they are). */
static void long_response_ids_with(int rests)
{
    cx_config *cfg = config_default();
    stats_opts o = {.cfg = cfg, .by = {"channel"}, .n_by = 1, .confidence = 0.95, .spend_window_days = 90};
    cust_table *cust = cust_table_new();
    ck_assert_int_eq(cust_table_add(cust, "c1", 100, NULL, 0), 0);
    ck_assert_int_eq(cust_table_add(cust, "c2", 10, NULL, 0), 0);
    cxa *a = cxa_new(&o, cust, NULL);
    const int64_t t = 1995 * 86400;
    const struct {
        cx_response r;
        const char *ch;
    } rs[] = {
        {resp("r-long-response-id-0002", "c1", 2, t, t), "chat"}, /* latest of c1: at risk */
        {resp("r-long-response-id-0001", "c1", 10, t, t), "phone"},
        {resp("r-long-response-id-0003", "c2", 3, t, t), "chat"},
        {resp("r9", "c2", 9, t, t), "phone"}, /* latest of c2 */
    };
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++) {
        const char *seg[1] = {rs[i].ch};
        ck_assert_int_eq(cxa_add(a, &rs[i].r, seg), 0);
        if (rests && (i == 0 || i == 2)) analysis_cx.rest(a);
    }
    if (rests) analysis_cx.rest(a);
    char err[256];
    ck_assert_int_eq(cxa_finish(a, err, sizeof err), 0);
    const cx_results *r = cxa_results(a);
    ck_assert_int_eq(r->hic[2].at_risk, 1);
    near(r->hic[2].revenue_at_risk, 500, "c1 at risk: 5 years of 100");
    ck_assert_uint_eq(r->n_risk, 2);
    ck_assert_str_eq(r->risk[0].segment, "chat"); /* c1's latest */
    ck_assert_int_eq(r->risk[0].at_risk, 1);
    ck_assert_str_eq(r->risk[1].segment, "phone"); /* c2's latest */
    ck_assert_int_eq(r->risk[1].at_risk, 0);
    ck_assert_int_eq(r->hic[2].counts.p, 2);
    ck_assert_int_eq(r->hic[2].counts.d, 2);
    cxa_free(a);
    cust_table_free(cust);
    config_free(cfg);
}

START_TEST(long_response_ids) { long_response_ids_with(0); }
END_TEST

START_TEST(long_response_ids_put_away) { long_response_ids_with(1); }
END_TEST

int main(void)
{
    Suite *s = suite_create("hic");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, top_counts);
    tcase_add_test(tc, clv);
    tcase_add_test(tc, pareto_and_hic);
    tcase_add_test(tc, discounted);
    tcase_add_test(tc, no_customers);
    tcase_add_test(tc, long_response_ids);
    tcase_add_test(tc, pareto_and_hic_put_away);
    tcase_add_test(tc, long_response_ids_put_away);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
