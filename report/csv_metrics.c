/* csv_metrics.c — csat.csv, csat_change.csv, ces.csv and ces_change.csv
 * (docs/formats.md), from the run's CSAT and CES tables.  Written on every
 * run; a store without csat or ces responses gives the header alone. */
#include "report/outputs.h"
#include "report/csvout.h"

static const char *const csat_header[] = {
    "period", "dimension", "segment", "n", "satisfied", "share", "ci_low", "ci_high", NULL,
};
static const char *const csat_change_header[] = {
    "dimension", "segment", "period",  "prev_period", "share", "prev_share",
    "change",    "z",       "p_value", "significant", NULL,
};
static const char *const ces_header[] = {
    "period", "dimension", "segment", "n", "mean", "sd", "ci_low", "ci_high", NULL,
};
static const char *const ces_change_header[] = {
    "dimension", "segment", "period", "prev_period", "mean",        "prev_mean",
    "change",    "t",       "df",     "p_value",     "significant", NULL,
};

static void csat_rows(csv_writer *w, const stats_result *res)
{
    for (size_t i = 0; res->metrics && i < res->metrics->n_csat; i++) {
        const csat_row *r = &res->metrics->csat[i];
        csvout_put_lead(w, r->month, stats_dim_name(res, r->dim), r->segment);
        csv_put_int(w, r->n);
        csv_put_int(w, r->satisfied);
        CSV_DOUBLES(w, r->share, r->ci_low, r->ci_high);
        csv_end_record(w);
    }
}

static void csat_change_rows(csv_writer *w, const stats_result *res)
{
    for (size_t i = 0; res->metrics && i < res->metrics->n_csat_changes; i++) {
        const csat_change_row *c = &res->metrics->csat_changes[i];
        csvout_put_change_lead(w, stats_dim_name(res, c->dim), c->segment, c->month, c->prev_month);
        CSV_DOUBLES(w, c->share, c->prev_share, c->change, c->z, c->p);
        csvout_put_significant(w, c->significant);
        csv_end_record(w);
    }
}

static void ces_rows(csv_writer *w, const stats_result *res)
{
    for (size_t i = 0; res->metrics && i < res->metrics->n_ces; i++) {
        const ces_row *r = &res->metrics->ces[i];
        csvout_put_lead(w, r->month, stats_dim_name(res, r->dim), r->segment);
        csv_put_int(w, r->n);
        CSV_DOUBLES(w, r->mean, r->sd, r->ci_low, r->ci_high);
        csv_end_record(w);
    }
}

static void ces_change_rows(csv_writer *w, const stats_result *res)
{
    for (size_t i = 0; res->metrics && i < res->metrics->n_ces_changes; i++) {
        const ces_change_row *c = &res->metrics->ces_changes[i];
        csvout_put_change_lead(w, stats_dim_name(res, c->dim), c->segment, c->month, c->prev_month);
        CSV_DOUBLES(w, c->mean, c->prev_mean, c->change, c->t, c->df, c->p);
        csvout_put_significant(w, c->significant);
        csv_end_record(w);
    }
}

const report_csv csv_csat = {"csat.csv", csat_header, 0, csat_rows};
const report_csv csv_csat_change = {"csat_change.csv", csat_change_header, 0, csat_change_rows};
const report_csv csv_ces = {"ces.csv", ces_header, 0, ces_rows};
const report_csv csv_ces_change = {"ces_change.csv", ces_change_header, 0, ces_change_rows};
