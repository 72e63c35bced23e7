/* csv_agents.c — agents.csv (SPEC §8), written atomically.  Rows in the
 * order of agents_row(): ranked agents by rank_feedback (ties by agent_id),
 * then unranked agents by agent_id.  NaN and rank 0 are empty fields.
 */
#include "stats/agents.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/afile.h"
#include "core/csv.h"

static const char *const agents_header[] = {
    "agent_id", "n", "promoters", "passives", "detractors", "nps_raw",
    "nps_shrunk", "ci_low", "ci_high", "mean_peak_end", "mot_n",
    "mot_nps_shrunk", "aht_s", "rank_feedback", "rank_aht",
};

static void put_rank(csv_writer *w, int rank)
{
    if (rank > 0) csv_put_int(w, rank);
    else csv_put_empty(w);
}

static void put_row(csv_writer *w, const agent_row *r)
{
    csv_put_text(w, r->id);
    csv_put_int(w, r->n);
    csv_put_int(w, r->counts.p);
    csv_put_int(w, r->counts.a);
    csv_put_int(w, r->counts.d);
    csv_put_double(w, r->nps_raw);
    csv_put_double(w, r->shrunk.nps);
    csv_put_double(w, r->shrunk.ci_low);
    csv_put_double(w, r->shrunk.ci_high);
    csv_put_double(w, r->mean_peak_end);
    csv_put_int(w, r->mot_n);
    csv_put_double(w, r->mot.nps);
    csv_put_double(w, r->aht_s);
    put_rank(w, r->rank_feedback);
    put_rank(w, r->rank_aht);
    csv_end_record(w);
}

int report_csv_agents(const agents_acc *a, const char *outdir, char *err, size_t errlen)
{
    char *path = path_join(outdir, "agents.csv");
    if (!path) { snprintf(err, errlen, "%s/agents.csv: out of memory", outdir); return -1; }
    afile af;
    int rc = afile_open(&af, path, err, errlen);
    if (rc != 0) { free(path); return -1; }
    csv_writer *w = csv_writer_new(af.f, 1);
    if (!w) {
        afile_abort(&af);
        snprintf(err, errlen, "%s: out of memory", path);
        free(path);
        return -1;
    }
    for (size_t i = 0; i < sizeof agents_header / sizeof *agents_header; i++)
        csv_put_text(w, agents_header[i]);
    csv_end_record(w);
    for (size_t i = 0; i < agents_count(a); i++) put_row(w, agents_row(a, i));
    int failed = csv_writer_failed(w);
    csv_writer_free(w);
    if (failed) {
        afile_abort(&af);
        snprintf(err, errlen, "%s: write failed", path);
        free(path);
        return -1;
    }
    free(path);
    return afile_commit(&af, err, errlen);
}
