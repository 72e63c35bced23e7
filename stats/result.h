/* result.h — the finished result of one statistics run: every number that
 * any output shows (the CSV tables, the charts, index.html, the terminal
 * agent table), and the data-quality facts and warnings of the run.  The
 * outputs are renderers of it: report/ takes it const and nothing else
 * (no store, no options, no statistics).
 *
 * Owner: the run drivers (run/run.h) make it; stats_result_free frees it
 * and everything it points to.  Plain data: a field that an analysis did
 * not run for is NULL.  "Undefined" numbers are NaN.
 */
#ifndef CX_RESULT_H
#define CX_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "stats/agents_metric_result.h"
#include "stats/agents_result.h"
#include "stats/cx_result.h"
#include "stats/drivers_result.h"
#include "stats/metric_summary_result.h"
#include "stats/metrics_result.h"
#include "stats/nps_result.h"
#include "stats/summary_result.h"
#include "stats/stats.h"

#define VERBATIM_MAX 12

typedef struct verbatim {
    int64_t at;
    int score;
    char *comment;
    char *segment; /* channel or "" */
} verbatim;

/* One configured source in the store's status. */
typedef struct quality_source {
    char *source;
    long long responses, rejects;
    int64_t last_sync; /* 0 = never */
    char *last_error;  /* NULL when none */
} quality_source;

typedef struct quality_reason {
    char *reason;
    long long rows;
} quality_reason;

/* Data quality: what the store holds (FROM_STORE) or what `stats --input`
 * rejected, and what the analyses left out. */
typedef struct stats_quality {
    int from_store; /* the store fields below are filled */
    long long store_responses, imported_rows, replaced, ignored, rejects;
    long long unchanged;                   /* the import log's (store_status) */
    long long imports_before, held_before; /* store_status: logged before unchanged was apart */
    long long customers, spend_rows;
    int64_t last_import; /* 0 = never */
    quality_source *sources;
    size_t n_sources;
    quality_reason *reasons; /* reasons of rejected rows, with counts */
    size_t n_reasons;
    long long rejected;       /* rows rejected by this run (`stats --input`) */
    long long spend_excluded; /* left out of the spend analysis (incomplete windows) */
} stats_quality;

/* A word for a code on the page (config "labels"). */
typedef struct result_label {
    char *code, *text;
} result_label;

typedef struct stats_result {
    /* What the run was asked (the outputs name them). */
    double confidence;
    int spend_window_days;
    int month;              /* --month as a month key; 0 = all */
    int window;             /* months ending with it for agents, peak-end and
                                           spend (stats/period.h); 1 = the month only */
    char *by[STATS_MAX_BY]; /* --by dimensions, in the order given */
    size_t n_by;
    unsigned analyses;         /* the STATS_RUN_* that ran */
    stats_metric metric_asked; /* --metric; ALL: every metric's tables */
    stats_metric metric;       /* the one the headline and the agent table show:
                                           metric_asked, else NPS when the run saw NPS
                                           responses, else CSAT, else CES (else NPS) */
    char *currency;            /* money on the page: config "currency", else "$" */
    result_label *labels;      /* config "labels", copied */
    size_t n_labels;

    long long responses;                     /* streamed */
    long long missing_segment[STATS_MAX_BY]; /* counted in `all` only, per --by */

    const nps_result *nps;                     /* always */
    const drivers *drivers;                    /* always: report month against the month before */
    const cx_results *cx;                      /* NULL when not run */
    const agents_result *agents;               /* NULL when not run */
    const metrics_result *metrics;             /* CSAT and CES tables: always */
    const agents_metric_result *agents_metric; /* agents on CSAT and CES: with agents */
    const summary *summary;                    /* always: the report's executive summary */
    const metric_summary *metric_summary;      /* always: the findings of a CSAT or CES report */
    verbatim verb[VERBATIM_MAX];               /* most recent comments in scope, newest first */
    const struct verb_result *themes; /* themes and flag counts (stats/text/verbatims.h); NULL when not run */
    const struct verb_spool *verb_flags; /* one flags row per comment, copied with verb_spool_copy */
    size_t n_verb;
    stats_quality quality;
    char **warnings; /* things a user must be told; cli prints them */
    size_t n_warnings;

    struct run_owned *owned; /* the analyses' memory the pointers above live in */
    int64_t finished_at;     /* when the run finished (Unix seconds): the page's "generated" */
} stats_result;

/* Name of dimension DIM: "all" for 0, else the DIM-th --by name. */
static inline const char *stats_dim_name(const stats_result *r, size_t dim)
{
    return dim == 0 ? "all" : r->by[dim - 1];
}

void stats_result_free(stats_result *r);

#endif
