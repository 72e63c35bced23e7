/* agents_int.h — the agent accumulator, shared by stats/agents.c (counting
 * responses) and stats/agents_finish.c (shrinking, ranking, correlating).
 * Not for use outside those two files.
 */
#ifndef CX_AGENTS_INT_H
#define CX_AGENTS_INT_H

#include "stats/agents.h"

#include <stddef.h>
#include <stdint.h>

/* Per-agent running sums while responses stream in. */
typedef struct agent_acc {
    char *id;
    nps_counts counts, mot;
    double pe_sum;
    int64_t pe_n;
    double aht_sum;
    int64_t aht_n;
} agent_acc;

struct agents_acc {
    const stats_opts *o;
    agent_acc *ag; /* in order of first appearance */
    size_t n, cap;
    size_t *slot; /* hash table of index+1; 0 = empty */
    size_t nslot; /* power of two */
    int finished;
    /* results */
    agent_row *rows; /* output order */
    size_t n_ranked;
    size_t *mot_order; /* rows with mot_n ≥ 1, best MoT NPS first */
    size_t n_mot_order;
    agents_prior all, motp;
    agents_spearman_t agreement;
    double z;
    agents_result res; /* filled by agents_finish */
};

#endif
