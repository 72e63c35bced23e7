/* csv_cx.c — peak_end.csv, moments_of_truth.csv, spend_delta.csv,
 * spend_tests.csv, pareto.csv and hic.csv (docs/formats.md; columns in
 * docs/formats.md).  Reads the run's cx_results only.
 */
#include "report/outputs.h"
#include "report/csvout.h"

static void put_corr(csv_writer *w, const cx_corr *c) { CSV_DOUBLES(w, c->r, c->lo, c->hi); }

static void peak_rows(csv_writer *w, const cx_results *r)
{
    for (size_t i = 0; i < r->n_peak; i++) {
        const cx_peak_row *p = &r->peak[i];
        csv_put_text(w, p->dimension);
        csv_put_text(w, p->segment);
        csv_put_int(w, p->n);
        csv_put_double(w, p->mean_peak_end);
        csv_put_double(w, p->mean_moments);
        put_corr(w, &p->r_peak_end);
        put_corr(w, &p->r_mean);
        csv_end_record(w);
    }
}

static void mot_rows(csv_writer *w, const cx_results *r)
{
    for (size_t i = 0; i < r->n_mot; i++) {
        const cx_mot_row *m = &r->mot[i];
        csv_put_text(w, m->type);
        csv_put_int(w, m->nps.n);
        CSV_DOUBLES(w, m->nps.nps, m->nps.ci_low, m->nps.ci_high, m->mean_peak_end);
        CSV_INTS(w, m->positive_n, m->negative_n, m->spend_n);
        csv_put_double(w, m->up_after_positive.share);
        csv_put_double(w, m->down_after_negative.share);
        csv_end_record(w);
    }
}

static void spend_rows(csv_writer *w, const cx_results *r)
{
    for (size_t i = 0; i < r->n_spend; i++) {
        const cx_spend_row *s = &r->spend[i];
        csv_put_text(w, s->group_by);
        csv_put_text(w, s->group);
        csv_put_int(w, s->n);
        CSV_DOUBLES(w, s->mean_pre, s->mean_post, s->mean_delta, s->median_delta, s->ci_low, s->ci_high,
                    s->up_share, s->down_share, s->t, s->p);
        csv_end_record(w);
    }
}

static void test_rows(csv_writer *w, const cx_results *r)
{
    for (size_t i = 0; i < CX_N_TESTS; i++) {
        const cx_spend_test *t = &r->tests[i];
        csv_put_text(w, t->comparison);
        csv_put_int(w, t->n_a);
        csv_put_int(w, t->n_b);
        CSV_DOUBLES(w, t->mean_a, t->mean_b, t->diff, t->t, t->df, t->p);
        csv_end_record(w);
    }
}

static void pareto_rows(csv_writer *w, const cx_results *r)
{
    for (size_t i = 0; i < CX_N_PARETO; i++) {
        csv_put_double(w, r->pareto[i].top_share);
        csv_put_int(w, r->pareto[i].customers);
        csv_put_double(w, r->pareto[i].revenue_share);
        csv_end_record(w);
    }
}

static void hic_rows(csv_writer *w, const cx_results *r)
{
    for (size_t i = 0; i < 3; i++) {
        const cx_hic_row *h = &r->hic[i];
        csv_put_text(w, h->segment);
        csv_put_int(w, h->customers);
        csvout_put_nps(w, &h->nps, &h->counts);
        CSV_DOUBLES(w, h->nps.ci_low, h->nps.ci_high, h->clv, h->revenue_at_risk);
        csv_end_record(w);
    }
}

static const char *const peak_header[] = {
    "dimension",      "segment",         "n",      "mean_peak_end", "mean_moments", "r_peak_end",
    "r_peak_end_low", "r_peak_end_high", "r_mean", "r_mean_low",    "r_mean_high",  NULL};
static const char *const mot_header[] = {"interaction_type",
                                         "n",
                                         "nps",
                                         "ci_low",
                                         "ci_high",
                                         "mean_peak_end",
                                         "positive_n",
                                         "negative_n",
                                         "spend_n",
                                         "spend_up_after_positive",
                                         "spend_down_after_negative",
                                         NULL};
static const char *const spend_header[] = {
    "group_by", "group",   "n",        "mean_pre",   "mean_post", "mean_delta", "median_delta",
    "ci_low",   "ci_high", "up_share", "down_share", "t",         "p_value",    NULL};
static const char *const tests_header[] = {"comparison", "n_a", "n_b", "mean_a",  "mean_b",
                                           "diff",       "t",   "df",  "p_value", NULL};
static const char *const pareto_header[] = {"top_share", "customers", "revenue_share", NULL};
static const char *const hic_header[] = {"segment",         "customers", "n",      "promoters", "passives",
                                         "detractors",      "nps",       "ci_low", "ci_high",   "clv",
                                         "revenue_at_risk", NULL};

/* Each table reads the run's cx result (present when needs is met). */
#define CX_ROWS(fn) \
    static void fn##_cx(csv_writer *w, const stats_result *r) { fn(w, r->cx); }
CX_ROWS(peak_rows)
CX_ROWS(mot_rows)
CX_ROWS(spend_rows)
CX_ROWS(test_rows)
CX_ROWS(pareto_rows)
CX_ROWS(hic_rows)

const report_csv csv_peak_end = {"peak_end.csv", peak_header, STATS_RUN_CX, peak_rows_cx};
const report_csv csv_mot = {"moments_of_truth.csv", mot_header, STATS_RUN_CX, mot_rows_cx};
const report_csv csv_spend_delta = {"spend_delta.csv", spend_header, STATS_RUN_CX, spend_rows_cx};
const report_csv csv_spend_tests = {"spend_tests.csv", tests_header, STATS_RUN_CX, test_rows_cx};
const report_csv csv_pareto = {"pareto.csv", pareto_header, STATS_RUN_CX, pareto_rows_cx};
const report_csv csv_hic = {"hic.csv", hic_header, STATS_RUN_CX, hic_rows_cx};
