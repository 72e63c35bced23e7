/* csv_agents_metric.c — agents_csat.csv and agents_ces.csv
 * (docs/formats.md), from the run's agent scores on CSAT and CES.  Written
 * with the agents table; without such responses, the header alone.  The
 * tier is the run's (stats/agents_metric.c), named as in agents.csv. */
#include "report/outputs.h"

static const char *const csat_header[] = {
    "agent_id", "n",     "satisfied",     "share_raw", "share_shrunk", "ci_low",
    "ci_high",  "aht_s", "rank_feedback", "rank_aht",  "tier",         NULL,
};
static const char *const ces_header[] = {
    "agent_id",      "n",        "mean_raw", "mean_shrunk", "ci_low", "ci_high", "aht_s",
    "rank_feedback", "rank_aht", "tier",     NULL,
};

static void put_rank(csv_writer *w, int rank)
{
    if (rank > 0) csv_put_int(w, rank);
    else csv_put_empty(w);
}

static void rows(csv_writer *w, const agent_metric_table *t, int csat)
{
    for (size_t i = 0; i < t->n_rows; i++) {
        const agent_metric_row *r = &t->rows[i];
        csv_put_text(w, r->agent_id);
        csv_put_int(w, r->n);
        if (csat) csv_put_int(w, (long long)r->satisfied);
        CSV_DOUBLES(w, r->raw, r->shrunk, r->ci_low, r->ci_high, r->aht_s);
        put_rank(w, r->rank_feedback);
        put_rank(w, r->rank_aht);
        csv_put_text(w, agent_metric_tier_key(r));
        csv_end_record(w);
    }
}

static void csat_rows(csv_writer *w, const stats_result *res)
{
    if (res->agents_metric) rows(w, &res->agents_metric->csat, 1);
}

static void ces_rows(csv_writer *w, const stats_result *res)
{
    if (res->agents_metric) rows(w, &res->agents_metric->ces, 0);
}

const report_csv csv_agents_csat = {"agents_csat.csv", csat_header, STATS_RUN_AGENTS, csat_rows};
const report_csv csv_agents_ces = {"agents_ces.csv", ces_header, STATS_RUN_AGENTS, ces_rows};
