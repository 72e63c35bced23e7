/* analysis.h — the table of analyses.  Every analysis has the same shape:
 * create (from the run's options and inputs), add (one response), finish
 * (publish its finished part into the run's result) and destroy; and one
 * row in the table of stats/analyses.c.  The run drivers (run/), `--tables`
 * and the result's cleanup loop over that table.
 *
 * Adding an analysis: its own file defining `const analysis analysis_X`,
 * one row in stats/analyses.c, a field for its result in stats/result.h,
 * and one row per renderer in report/outputs.c (docs/architecture.md).
 * Owner: stats/analyses.c (the table); each row's file owns its row.
 */
#ifndef CX_ANALYSIS_H
#define CX_ANALYSIS_H

#include <stddef.h>

#include "core/model.h"
#include "stats/customers.h"
#include "stats/result.h"
#include "stats/spendtab.h"
#include "stats/stats.h"

/* What an analysis may read when it is created; borrowed for the run. */
typedef struct analysis_env {
    const stats_opts *o;
    const cust_table *cust; /* customers (empty when none) */
    spend_table *spend;     /* spend rows, all added before create */
} analysis_env;

/* How the threaded CSV driver and the store's pushed-down counts feed an
 * analysis besides `add` (run/run_par.c, run/run_push.c). */
enum {
    ANALYSIS_COUNTS = 1u,     /* the NPS table: filled from group counts */
    ANALYSIS_RECENT = 2u,     /* keeps a few recent rows: offered only candidates */
    ANALYSIS_ANY_METRIC = 4u, /* is handed csat and ces responses (the others: nps only) */
    ANALYSIS_DERIVED = 8u,    /* reads no response: finishes from the results published
                               before it (the drivers need not keep rows for it) */
};

typedef struct analysis {
    const char *table; /* its --tables name; NULL = runs with another's flag */
    unsigned flag;     /* STATS_RUN_* bit; 0 = always runs */
    unsigned traits;   /* ANALYSIS_* */
    /* NULL when out of memory. */
    void *(*create)(const analysis_env *env);
    /* One response, with its value for each --by dimension (SEG[i], NULL
     * when missing); every response of the run, all months, in input
     * order.  0 ok, -1 out of memory. */
    int (*add)(void *acc, const cx_response *r, const char *const *seg);
    /* Finishes and points OUT's field at the finished part (which the
     * accumulator keeps owning).  0 ok, -1 with ERR ("what: why"). */
    int (*finish)(void *acc, stats_result *out, char *err, size_t errlen);
    void (*destroy)(void *acc);
    /* Optional (NULL): every response has been added (the drivers call it
     * once the feed is over, before the spend rows and the finishes); the
     * accumulator may end its thread or put away in a temporary file what
     * only its finish reads, so that it does not hold memory meanwhile. */
    void (*rest)(void *acc);
} analysis;

/* The analyses in run order; borrowed, static. */
size_t analyses_list(const analysis *const **list);

/* --tables LIST (comma-separated names; NULL = every analysis) → STATS_RUN_*
 * flags.  0 ok; -1 with "--tables: 'X' is not …" in ERR. */
int analyses_parse_tables(const char *list, unsigned *flags, char *err, size_t errlen);

/* The add of an analysis that sees no response (ANALYSIS_DERIVED: it
 * reads what the others published): does nothing, 0. */
int analysis_add_none(void *acc, const cx_response *r, const char *const *seg);

/* The create of a row that starts from nothing (a derived one): a zeroed
 * TYPE, named FN. */
#define ANALYSIS_CREATE_ZEROED(fn, type)     \
    static void *fn(const analysis_env *env) \
    {                                        \
        (void)env;                           \
        return calloc(1, sizeof(type));      \
    }

/* A finish that ran out of memory: "WHAT: out of memory" in ERR, -1. */
int analysis_oom(const char *what, char *err, size_t errlen);

/* The rows (defined beside each analysis). */
extern const analysis analysis_nps;            /* stats/nps_analysis.c */
extern const analysis analysis_cx;             /* stats/cx.c */
extern const analysis analysis_agents;         /* stats/agents.c */
extern const analysis analysis_recent;         /* stats/recent.c */
extern const analysis analysis_themes;         /* stats/text/verb_run.c */
extern const analysis analysis_metrics;        /* stats/metrics.c: CSAT and CES */
extern const analysis analysis_agents_metric;  /* stats/agents_metric.c: agents on CSAT and CES */
extern const analysis analysis_metric_summary; /* stats/metric_summary.c: CSAT and CES findings */
extern const analysis analysis_summary;        /* stats/summary.c: last, reads the others' results */

/* The NPS table of the nps analysis's accumulator (for the drivers that
 * fill it from counts: ANALYSIS_COUNTS). */
struct nps_table *analysis_nps_table(void *acc);

#endif
