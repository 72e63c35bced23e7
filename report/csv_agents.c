/* csv_agents.c — agents.csv (docs/formats.md).  Rows in the
 * order of the result's rows: ranked agents by rank_feedback (ties by
 * agent_id), then unranked agents by agent_id.  NaN and rank 0 are empty
 * fields.
 */
#include "report/outputs.h"

static const char *const agents_header[] = {
    "agent_id",   "n",
    "promoters",  "passives",
    "detractors", "nps_raw",
    "nps_shrunk", "ci_low",
    "ci_high",    "mean_peak_end",
    "mot_n",      "mot_nps_shrunk",
    "aht_s",      "rank_feedback",
    "rank_aht",   "tier",
    NULL,
};

static void put_rank(csv_writer *w, int rank)
{
    if (rank > 0) csv_put_int(w, rank);
    else csv_put_empty(w);
}

static void put_row(csv_writer *w, const agent_row *r)
{
    csv_put_text(w, r->id);
    CSV_INTS(w, r->n, r->counts.p, r->counts.a, r->counts.d);
    CSV_DOUBLES(w, r->nps_raw, r->shrunk.nps, r->shrunk.ci_low, r->shrunk.ci_high, r->mean_peak_end);
    csv_put_int(w, r->mot_n);
    csv_put_double(w, r->mot.nps);
    csv_put_double(w, r->aht_s);
    put_rank(w, r->rank_feedback);
    put_rank(w, r->rank_aht);
    if (r->tier == AGENT_TIER_NONE) csv_put_empty(w);
    else csv_put_text(w, agent_tier_key(r->tier));
    csv_end_record(w);
}

static void agent_rows(csv_writer *w, const stats_result *r)
{
    for (size_t i = 0; i < r->agents->n_rows; i++) put_row(w, &r->agents->rows[i]);
}

const report_csv csv_agents = {"agents.csv", agents_header, STATS_RUN_AGENTS, agent_rows};
