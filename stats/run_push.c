/* run_push.c — the NPS tables from counts the store computes itself
 * (store_nps_counts: GROUP BY month and dimension on the server for
 * PostgreSQL), for `stats --tables nps`: the client receives one row per
 * group, never the responses, so its memory and the traffic grow with
 * groups only.  The statistics stay here; the store only counts. */
#include "stats/run.h"
#include "stats/run_int.h"
#include "core/log.h"

#include <string.h>

static int add_group(const store_nps_group *g, void *ctx)
{
    stats_result *res = ctx;
    if (g->dim == 0) res->responses += g->p + g->a + g->d;
    if (!g->segment || !g->segment[0]) {
        if (g->dim > 0) res->missing_segment[g->dim - 1] += g->p + g->a + g->d;
        return 0;
    }
    /* The counts as a histogram of class representatives (10, 8, 0): the
     * NPS table only needs the three classes. */
    uint32_t h[11] = {0};
    h[10] = (uint32_t)g->p;
    h[8] = (uint32_t)g->a;
    h[0] = (uint32_t)g->d;
    if ((long long)h[10] != g->p || (long long)h[8] != g->a || (long long)h[0] != g->d) return -1;
    const char *seg = g->dim == 0 ? "all" : g->segment;
    return nps_table_add_hist(res->nps, g->month, g->dim, seg, strlen(seg), h);
}

int stats_run_store_nps(store *s, const stats_opts *o, stats_result *res)
{
    if (run_setup(res, o) != 0) { cx_msg("stats: out of memory"); return -1; }
    int rc = store_nps_counts(s, NULL, o->by, o->n_by, add_group, res);
    if (rc != 0) {
        cx_msg("stats: %s", rc == -1 && store_error(s)[0] ? store_error(s) : "out of memory");
        return -1;
    }
    if (nps_table_finish(res->nps, o->confidence) != 0) { cx_msg("stats: out of memory"); return -1; }
    return run_derive(res);
}
