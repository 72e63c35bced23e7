/* csv_nps.c — nps.csv and nps_change.csv (docs/formats.md), from the run's NPS
 * result. */
#include "report/outputs.h"
#include "report/csvout.h"

static const char *const nps_header[] = {
    "period",     "dimension", "segment", "n",      "promoters", "passives",
    "detractors", "nps",       "se",      "ci_low", "ci_high",   NULL,
};
static const char *const change_header[] = {
    "dimension", "segment", "period", "prev_period", "nps",         "prev_nps",
    "change",    "se",      "z",      "p_value",     "significant", NULL,
};

static void nps_rows(csv_writer *w, const stats_result *res)
{
    for (size_t i = 0; i < res->nps->n_rows; i++) {
        const nps_row *r = &res->nps->rows[i];
        csvout_put_lead(w, r->month, stats_dim_name(res, r->dim), r->segment);
        csvout_put_nps(w, &r->e, &r->c);
        CSV_DOUBLES(w, r->e.se, r->e.ci_low, r->e.ci_high);
        csv_end_record(w);
    }
}

static void change_rows(csv_writer *w, const stats_result *res)
{
    for (size_t i = 0; i < res->nps->n_changes; i++) {
        const nps_change_row *c = &res->nps->changes[i];
        csvout_put_change_lead(w, stats_dim_name(res, c->dim), c->segment, c->month, c->prev_month);
        CSV_DOUBLES(w, c->cur.nps, c->prev.nps, c->ch.diff, c->ch.se, c->ch.z, c->ch.p);
        csvout_put_significant(w, c->ch.significant);
        csv_end_record(w);
    }
}

const report_csv csv_nps = {"nps.csv", nps_header, 0, nps_rows};
const report_csv csv_nps_change = {"nps_change.csv", change_header, 0, change_rows};
