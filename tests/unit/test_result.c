/* test_result.c — the run result's NPS part (stats/nps_analysis.c): the
 * trend, the headline change and each segment against the rest of its
 * month, which the report shows and no longer computes; and the table of
 * analyses (stats/analyses.c): its rows and --tables.
 *
 * Reference values: python3 with scipy 1.10, p = 2·norm.sf(|z|): for the
 * segment test on adjusted counts (below) s = (20, 5, 5), rest = (10, 10,
 * 10): diff 50.0, se 19.446382263044732, z 2.3374293912202777, p
 * 0.01941686837289927; for the headline (Wald SE of each month, z on the
 * difference), March (30, 15, 15) against February (5, 5, 10):
 *   diff 50.0, se 21.40872096444188, p 0.019517481182177717.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "run_suite.h"
#include "stats/analysis.h"
#include "stats/trend.h"

#define FEB 24313 /* 2026-02 as a month key (year·12 + month − 1) */
#define MAR 24314

static void add(nps_table *t, int month, const char *seg, int score, int times)
{
    const char *s[1] = {seg};
    for (int i = 0; i < times; i++) ck_assert_int_eq(nps_table_add(t, month, score, s), 0);
}

/* February: segment x only, (5, 5, 10).  March: x (20, 5, 5), y (10, 10,
 * 10).  Promoters score 10, passives 8, detractors 3. */
static nps_table *fixture(void)
{
    nps_table *t = nps_table_new(1);
    ck_assert_ptr_nonnull(t);
    add(t, FEB, "x", 10, 5);
    add(t, FEB, "x", 8, 5);
    add(t, FEB, "x", 3, 10);
    add(t, MAR, "x", 10, 20);
    add(t, MAR, "x", 8, 5);
    add(t, MAR, "x", 3, 5);
    add(t, MAR, "y", 10, 10);
    add(t, MAR, "y", 8, 10);
    add(t, MAR, "y", 3, 10);
    ck_assert_int_eq(nps_table_finish(t, 0.95), 0);
    return t;
}

static size_t find(const nps_result *r, int month, size_t dim, const char *seg)
{
    for (size_t i = 0; i < r->n_rows; i++)
        if (r->rows[i].month == month && r->rows[i].dim == dim && !strcmp(r->rows[i].segment, seg)) return i;
    ck_abort_msg("no row %d/%zu/%s", month, dim, seg);
    return 0;
}

START_TEST(test_segment_against_rest)
{
    nps_table *t = fixture();
    nps_result r;
    ck_assert_int_eq(nps_result_build(&r, t, 0, 0.95, 10), 0);
    const nps_change *c = &r.vs_rest[find(&r, MAR, 1, "x")];
    /* The summary's two-group test on adjusted counts (stats/summary_compare.h;
     * P + 0.75, A + 1.5, D + 0.75 on each side), python3 with scipy:
     *   def adj(p, a, d): n = p + a + d + 3; pp = (p + .75) / n; pd = (d + .75) / n
     *                     return pp - pd, (pp + pd - (pp - pd) ** 2) / n
     *   x = adj(20, 5, 5); y = adj(10, 10, 10); se = sqrt(x[1] + y[1])
     *   z = (x[0] - y[0]) / se; p = 2 * norm.sf(abs(z))
     * gives se 19.446382263044732 (points), z 2.3374293912202777, p
     * 0.01941686837289927; the effect is the raw difference, 50. */
    ck_assert_double_eq_tol(c->diff, 50.0, 1e-9);
    ck_assert_double_eq_tol(c->se, 19.446382263044732, 1e-9);
    ck_assert_double_eq_tol(c->z, 2.3374293912202777, 1e-9);
    ck_assert_double_eq_tol(c->p, 0.01941686837289927, 1e-12);
    ck_assert_int_eq(c->significant, 1);
    /* y against x: the same test the other way round. */
    c = &r.vs_rest[find(&r, MAR, 1, "y")];
    ck_assert_double_eq_tol(c->diff, -50.0, 1e-9);
    ck_assert_double_eq_tol(c->p, 0.01941686837289927, 1e-12);
    /* February's x is every response of the month: no rest to test. */
    c = &r.vs_rest[find(&r, FEB, 1, "x")];
    ck_assert(isnan(c->p));
    ck_assert_int_eq(c->significant, -1);
    /* Overall rows carry no test. */
    c = &r.vs_rest[find(&r, MAR, 0, "all")];
    ck_assert(isnan(c->diff));
    ck_assert_int_eq(c->significant, -1);
    nps_result_free(&r);
    /* --min-responses 31: March's x and y (30 each) are not tested, as the
     * summary does not test them (the table marked 3 detractors "lower") */
    ck_assert_int_eq(nps_result_build(&r, t, 0, 0.95, 31), 0);
    c = &r.vs_rest[find(&r, MAR, 1, "x")];
    ck_assert(isnan(c->p) && isnan(c->diff));
    ck_assert_int_eq(c->significant, -1);
    nps_result_free(&r);
    ck_assert_int_eq(nps_result_build(&r, t, 0, 0.95, 30), 0); /* exactly the minimum: tested */
    ck_assert_int_eq(r.vs_rest[find(&r, MAR, 1, "x")].significant, 1);
    nps_result_free(&r);
    nps_table_free(t);
}
END_TEST

START_TEST(test_trend_and_headline)
{
    nps_table *t = fixture();
    nps_result r;
    ck_assert_int_eq(nps_result_build(&r, t, 0, 0.95, 10), 0);
    ck_assert_int_eq(r.report_month, MAR); /* the latest month without --month */
    ck_assert_uint_eq(r.n_trend, 2);
    ck_assert_int_eq(r.trend[0].month, FEB);
    ck_assert_ptr_null(r.trend[0].change);
    ck_assert_int_eq(r.trend[1].month, MAR);
    ck_assert_ptr_nonnull(r.current);
    ck_assert_ptr_nonnull(r.previous);
    ck_assert_int_eq(r.current->c.p, 30);
    ck_assert_int_eq(r.previous->c.d, 10);
    ck_assert_ptr_eq(r.change, r.trend[1].change); /* the headline is the table's change row */
    ck_assert_double_eq_tol(r.change->ch.diff, 50.0, 1e-9);
    ck_assert_double_eq_tol(r.change->ch.se, 21.40872096444188, 1e-9);
    ck_assert_double_eq_tol(r.change->ch.p, 0.019517481182177717, 1e-12);
    /* Every month's scores: 35 tens, 20 eights, 25 threes. */
    ck_assert_int_eq(r.score_hist[10], 35);
    ck_assert_int_eq(r.score_hist[8], 20);
    ck_assert_int_eq(r.score_hist[3], 25);
    nps_result_free(&r);

    /* --month 2026-02: the report month, no previous month, its scores. */
    ck_assert_int_eq(nps_result_build(&r, t, FEB, 0.95, 10), 0);
    ck_assert_int_eq(r.report_month, FEB);
    ck_assert_ptr_nonnull(r.current);
    ck_assert_ptr_null(r.previous);
    ck_assert_ptr_null(r.change);
    ck_assert_int_eq(r.score_hist[10], 5);
    ck_assert_int_eq(r.score_hist[3], 10);
    nps_result_free(&r);
    nps_table_free(t);
}
END_TEST

START_TEST(test_table_of_analyses)
{
    const analysis *const *list;
    size_t n = analyses_list(&list);
    ck_assert_uint_ge(n, 4);
    ck_assert_ptr_eq(list[0], &analysis_nps); /* runs first: the others may read it */
    for (size_t i = 0; i < n; i++) {
        ck_assert(list[i]->create && list[i]->add && list[i]->finish && list[i]->destroy);
        for (size_t j = 0; j < i; j++)
            ck_assert(!list[i]->table || !list[j]->table || strcmp(list[i]->table, list[j]->table));
    }
    char err[128];
    unsigned f;
    ck_assert_int_eq(analyses_parse_tables(NULL, &f, err, sizeof err), 0);
    ck_assert_uint_eq(f, STATS_RUN_ALL);
    ck_assert_int_eq(analyses_parse_tables("nps", &f, err, sizeof err), 0);
    ck_assert_uint_eq(f, 0);
    ck_assert_int_eq(analyses_parse_tables("nps,,cx", &f, err, sizeof err), 0);
    ck_assert_uint_eq(f, STATS_RUN_CX);
    ck_assert_int_eq(analyses_parse_tables("agents,cx", &f, err, sizeof err), 0);
    ck_assert_uint_eq(f, STATS_RUN_CX | STATS_RUN_AGENTS);
    ck_assert_int_eq(analyses_parse_tables("cx,bogus", &f, err, sizeof err), -1);
    /* The list of names comes from the table: "nps, cx, … or LAST". */
    ck_assert_msg(strncmp(err, "--tables: 'bogus' is not nps, cx, agents", 40) == 0, "%s", err);
    ck_assert_ptr_nonnull(strstr(err, " or "));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("result");
    TCase *tc = tcase_create("result");
    tcase_add_test(tc, test_segment_against_rest);
    tcase_add_test(tc, test_trend_and_headline);
    tcase_add_test(tc, test_table_of_analyses);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
