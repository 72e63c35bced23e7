/* csv_cx.c — peak_end.csv, moments_of_truth.csv, spend_delta.csv,
 * spend_tests.csv, pareto.csv and hic.csv (SPEC §8; columns in
 * docs/formats-cx.md).  Reads cx_results only; every file is written to a
 * temporary file and renamed into place (core/afile.h).
 */
#include "stats/cx.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/afile.h"
#include "report/csvout.h"
#include "core/csv.h"

typedef void (*rows_fn)(csv_writer *w, const cx_results *r);

static void put_corr(csv_writer *w, const cx_corr *c)
{
    csv_put_double(w, c->r);
    csv_put_double(w, c->lo);
    csv_put_double(w, c->hi);
}

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
        csv_put_double(w, m->nps.nps);
        csv_put_double(w, m->nps.ci_low);
        csv_put_double(w, m->nps.ci_high);
        csv_put_double(w, m->mean_peak_end);
        csv_put_int(w, m->positive_n);
        csv_put_int(w, m->negative_n);
        csv_put_int(w, m->spend_n);
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
        csv_put_double(w, s->mean_pre);
        csv_put_double(w, s->mean_post);
        csv_put_double(w, s->mean_delta);
        csv_put_double(w, s->median_delta);
        csv_put_double(w, s->ci_low);
        csv_put_double(w, s->ci_high);
        csv_put_double(w, s->up_share);
        csv_put_double(w, s->down_share);
        csv_put_double(w, s->t);
        csv_put_double(w, s->p);
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
        csv_put_double(w, t->mean_a);
        csv_put_double(w, t->mean_b);
        csv_put_double(w, t->diff);
        csv_put_double(w, t->t);
        csv_put_double(w, t->df);
        csv_put_double(w, t->p);
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
        csv_put_int(w, h->nps.n);
        csv_put_int(w, h->counts.p);
        csv_put_int(w, h->counts.a);
        csv_put_int(w, h->counts.d);
        csv_put_double(w, h->nps.nps);
        csv_put_double(w, h->nps.ci_low);
        csv_put_double(w, h->nps.ci_high);
        csv_put_double(w, h->clv);
        csv_put_double(w, h->revenue_at_risk);
        csv_end_record(w);
    }
}

typedef struct csv_table {
    const char *file;
    const char *const *header;
    rows_fn rows;
} csv_table;

static const char *const peak_header[] = {
    "dimension", "segment", "n", "mean_peak_end", "mean_moments", "r_peak_end",
    "r_peak_end_low", "r_peak_end_high", "r_mean", "r_mean_low", "r_mean_high", NULL };
static const char *const mot_header[] = {
    "interaction_type", "n", "nps", "ci_low", "ci_high", "mean_peak_end", "positive_n",
    "negative_n", "spend_n", "spend_up_after_positive", "spend_down_after_negative", NULL };
static const char *const spend_header[] = {
    "group_by", "group", "n", "mean_pre", "mean_post", "mean_delta", "median_delta",
    "ci_low", "ci_high", "up_share", "down_share", "t", "p_value", NULL };
static const char *const tests_header[] = {
    "comparison", "n_a", "n_b", "mean_a", "mean_b", "diff", "t", "df", "p_value", NULL };
static const char *const pareto_header[] = {
    "top_share", "customers", "revenue_share", NULL };
static const char *const hic_header[] = {
    "segment", "customers", "n", "promoters", "passives", "detractors", "nps", "ci_low",
    "ci_high", "clv", "revenue_at_risk", NULL };

static const csv_table tables[] = {
    { "peak_end.csv", peak_header, peak_rows },
    { "moments_of_truth.csv", mot_header, mot_rows },
    { "spend_delta.csv", spend_header, spend_rows },
    { "spend_tests.csv", tests_header, test_rows },
    { "pareto.csv", pareto_header, pareto_rows },
    { "hic.csv", hic_header, hic_rows },
};

typedef struct table_ctx {
    const csv_table *t;
    const cx_results *r;
} table_ctx;

static int table_rows(csv_writer *w, const void *ctx, char *err, size_t errlen)
{
    const table_ctx *c = ctx;
    (void)err;
    (void)errlen;
    c->t->rows(w, c->r);
    return 0;
}

int report_csv_cx(const cxa *a, const char *outdir, char *err, size_t errlen)
{
    const cx_results *r = cxa_results(a);
    if (!r) { snprintf(err, errlen, "cx: statistics not finished"); return -1; }
    if (mkdir_p(outdir, err, errlen) != 0) return -1;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        table_ctx c = {&tables[i], r};
        if (csvout_write(outdir, tables[i].file, tables[i].header, table_rows, &c, err, errlen) != 0)
            return -1;
    }
    return 0;
}
