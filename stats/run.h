/* run.h — one statistics run: every response streamed ONCE through every
 * analysis (NPS table, CX analytics, agents, verbatims), from the store or
 * straight from a responses CSV (`stats --input`).
 * Owner: stats/run.c (shared driver, store), stats/run_csv.c (CSV input),
 * stats/run_par.c and stats/run_chunk.c (CSV input on several threads).
 * The result owns everything in it.
 */
#ifndef CX_RUN_H
#define CX_RUN_H

#include <stdint.h>
#include "core/csv.h"
#include "core/store/store.h"
#include "stats/agents.h"
#include "stats/customers.h"
#include "stats/cx.h"
#include "stats/drivers.h"
#include "stats/spendtab.h"
#include "stats/stats.h"
#include "stats/trend.h"

#define VERBATIM_MAX 12

typedef struct verbatim {
    int64_t at;
    int score;
    char *comment;          /* owned */
    char *segment;          /* owned: channel or "" */
} verbatim;

typedef struct stats_result {
    const stats_opts *o;
    nps_table *nps;
    drivers *drivers;              /* report month against the month before (drivers.csv) */
    cxa *cx;                       /* NULL when not run (stats_run_csv_only) */
    agents_acc *agents;            /* NULL when not run */
    cust_table *cust;
    spend_table *spend;
    verbatim verb[VERBATIM_MAX];   /* most recent comments in scope, newest first */
    size_t n_verb;
    long long responses;           /* streamed */
    long long rejected;            /* --input rows rejected */
    long long missing_segment[STATS_MAX_BY];  /* responses counted in `all` only, per --by */
    int report_month;              /* --month, else the latest month with data (0 = none) */
} stats_result;

/* From the store: loads customers and spend, then streams responses. */
int stats_run_store(store *s, const stats_opts *o, stats_result *res, int quiet);
/* nps.csv and nps_change.csv only, from group counts the store computes
 * (stats/run_push.c); res->cx and res->agents stay NULL. */
int stats_run_store_nps(store *s, const stats_opts *o, stats_result *res);
/* From a responses CSV without a store.  Rejected rows are written to
 * REJECTS (may be NULL) as source,where,reason,raw and counted.  Every
 * analysis is run (STATS_RUN_ALL). */
int stats_run_csv(const char *path, const stats_opts *o, stats_result *res,
                  csv_writer *rejects, int quiet);

/* Analyses besides the NPS table (which is always computed). */
#define STATS_RUN_CX     1u   /* peak-end, MoT, spend, HIC (res->cx) and verbatims */
#define STATS_RUN_AGENTS 2u   /* agent scores (res->agents) */
#define STATS_RUN_ALL    (STATS_RUN_CX | STATS_RUN_AGENTS)

/* stats_run_csv running only the ANALYSES asked for; the others are left
 * NULL in RES.  A regular file is read by one thread per CPU in chunks
 * split at record boundaries (docs/performance.md); a pipe, or a single
 * CPU, is read in one pass.  Both give the same results and the same
 * rejects in the same order. */
int stats_run_csv_only(const char *path, const stats_opts *o, unsigned analyses,
                       stats_result *res, csv_writer *rejects, int quiet);
void stats_result_free(stats_result *res);

#endif
