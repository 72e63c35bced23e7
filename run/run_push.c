/* run_push.c — the NPS tables from counts the store computes itself
 * (store_nps_counts: GROUP BY month and dimension on the server for
 * PostgreSQL), for `stats --tables nps`: the client receives one row per
 * group, never the responses, so its memory and the traffic grow with
 * groups only.  The statistics stay here; the store only counts. */
#include "run/run_int.h"

#include <string.h>

static int add_group(const store_nps_group *g, void *ctx)
{
    run_state *st = ctx;
    stats_result *res = st->out;
    if (g->dim == 0) res->responses += g->p + g->a + g->d;
    if (!g->segment || !g->segment[0]) {
        if (g->dim > 0) res->missing_segment[g->dim - 1] += g->p + g->a + g->d;
        return 0;
    }
    /* The counts as a histogram of one score of each class (a promoter's,
     * a passive's, a detractor's): the NPS table only needs the classes. */
    enum { P = CX_PROMOTER_MIN, A = CX_PASSIVE_MIN, D = 0 };
    uint32_t h[11] = {0};
    h[P] = (uint32_t)g->p;
    h[A] = (uint32_t)g->a;
    h[D] = (uint32_t)g->d;
    if ((long long)h[P] != g->p || (long long)h[A] != g->a || (long long)h[D] != g->d) return -1;
    const char *seg = g->dim == 0 ? "all" : g->segment;
    return nps_table_add_hist(run_nps_table(st), g->month, g->dim, seg, strlen(seg), h);
}

stats_result *run_store_nps(store *s, const stats_opts *o, char *err, size_t errlen)
{
    run_state st;
    if (run_setup(&st, o) != 0 || run_start(&st, 0) != 0) {
        snprintf(err, errlen, "stats: out of memory");
        run_abort(&st);
        return NULL;
    }
    int rc = store_nps_counts(s, NULL, o->by, o->n_by, add_group, &st);
    if (rc != 0) {
        snprintf(err, errlen, "stats: %s", rc == -1 && store_error(s)[0] ? store_error(s) : "out of memory");
        run_abort(&st);
        return NULL;
    }
    return run_finish(&st, err, errlen);
}
