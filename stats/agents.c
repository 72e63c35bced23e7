/* agents.c — see agents.h.  Streams responses into per-agent counters (a
 * hash table keyed by agent id, so memory grows with agents, not rows);
 * agents_finish (stats/agents_finish.c) then shrinks, ranks and
 * correlates.  Also the row of agent scores in the table of analyses.
 * Formulas: docs/methods.md, "Agent scoring".
 */
#include "stats/agents_int.h"
#include "stats/analysis.h"
#include "core/hash.h"
#include "core/xsort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeparse.h"
#include "stats/peakend.h"
#include "stats/text/verbatims.h"
#include "core/grow.h"

static size_t hash_str(const char *s) { return (size_t)hash_fnv1a(HASH_TABLE_SEED, s, strlen(s)); }

agents_acc *agents_new(const stats_opts *o)
{
    agents_acc *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->o = o;
    a->nslot = 64;
    a->slot = calloc(a->nslot, sizeof *a->slot);
    if (!a->slot) {
        free(a);
        return NULL;
    }
    return a;
}

void agents_free(agents_acc *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->n; i++) free(a->ag[i].id);
    free(a->ag);
    free(a->slot);
    free(a->rows);
    free(a->mot_order);
    free(a);
}

static int rehash(agents_acc *a)
{
    size_t ns = a->nslot * 2;
    size_t *s = calloc(ns, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < a->n; i++) {
        size_t h = hash_str(a->ag[i].id) & (ns - 1);
        while (s[h]) h = (h + 1) & (ns - 1);
        s[h] = i + 1;
    }
    free(a->slot);
    a->slot = s;
    a->nslot = ns;
    return 0;
}

/* The agent named ID, created when new; NULL when out of memory. */
static agent_acc *agent_lookup(agents_acc *a, const char *id)
{
    size_t h = hash_str(id) & (a->nslot - 1);
    while (a->slot[h]) {
        agent_acc *g = &a->ag[a->slot[h] - 1];
        if (strcmp(g->id, id) == 0) return g;
        h = (h + 1) & (a->nslot - 1);
    }
    if (a->n == a->cap) {
        agent_acc *ng = grow_array(a->ag, &a->cap, a->n + 1, sizeof *ng, 64, 0, 0);
        if (!ng) return NULL;
        a->ag = ng;
    }
    size_t len = strlen(id) + 1;
    char *copy = malloc(len);
    if (!copy) return NULL;
    memcpy(copy, id, len);
    agent_acc *g = &a->ag[a->n];
    memset(g, 0, sizeof *g);
    g->id = copy;
    a->slot[h] = ++a->n;
    if (2 * a->n > a->nslot && rehash(a) != 0) {
        /* The agent is stored and reachable by index; only the table could
         * not grow.  Undo so that the caller sees a clean failure. */
        a->slot[h] = 0;
        free(g->id);
        a->n--;
        return NULL;
    }
    return &a->ag[a->n - 1];
}

int agents_add(agents_acc *a, const cx_response *r)
{
    if (a->finished) return -1;
    if (!r->agent_id || !r->agent_id[0]) return 0;
    if (!stats_in_window(a->o, time_month_key(r->responded_at))) return 0;
    agent_acc *g = agent_lookup(a, r->agent_id);
    if (!g) return -1;
    nps_counts_add(&g->counts, r->score);
    const cx_config *cfg = a->o->cfg;
    /* a labelled type, or a routine one whose comment marks a moment of
     * truth (the run's note; verb_unlabelled_mot is only set for routine) */
    if ((cfg && config_is_mot(cfg, r->interaction_type)) || verb_unlabelled_mot(r))
        nps_counts_add(&g->mot, r->score);
    if (r->n_moments > 0) {
        int lo = cfg ? cfg->moment_lo : 1, hi = cfg ? cfg->moment_hi : 5;
        g->pe_sum += peakend_value(r->moments, r->n_moments, lo, hi);
        g->pe_n++;
    }
    if (r->has_handle_time && isfinite(r->handle_time_s)) {
        g->aht_sum += r->handle_time_s;
        g->aht_n++;
    }
    return 0;
}

const agents_result *agents_results(const agents_acc *a) { return a->res.rows ? &a->res : NULL; }

/* ---- agent scores as a row of the table of analyses ---- */

static void *agents_create(const analysis_env *env) { return agents_new(env->o); }

static int agents_add_row(void *acc, const cx_response *r, const char *const *seg)
{
    (void)seg;
    return agents_add(acc, r);
}

static int agents_finish_row(void *acc, stats_result *out, char *err, size_t errlen)
{
    if (agents_finish(acc, err, errlen) != 0) return -1;
    out->agents = agents_results(acc);
    return 0;
}

static void agents_destroy(void *acc) { agents_free(acc); }

const analysis analysis_agents = {
    "agents", STATS_RUN_AGENTS, 0, agents_create, agents_add_row, agents_finish_row, agents_destroy, NULL,
};
