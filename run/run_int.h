/* run_int.h — what the files of the input drivers share (run/run.c,
 * run_csv.c, run_record.c, run_par.c, run_chunk.c, run_push.c).  Not for use elsewhere.
 */
#ifndef CX_RUN_INT_H
#define CX_RUN_INT_H

#include "core/progress.h"
#include "core/respcsv.h"
#include "core/respcsv_dedup.h"
#include "run/run.h"
#include "stats/analysis.h"
#include "stats/customers.h"
#include "stats/spendtab.h"
#include "stats/trend.h"
#include "stats/text/verbatims.h"

#define RUN_MAX_ANALYSES 32

/* The accumulators of one run, one per row of the table of analyses
 * (NULL when that analysis does not run), and the inputs they read; when
 * the run finishes they move into the result (its `owned`), whose
 * pointers point into them. */
typedef struct run_owned {
    const analysis *const *list;
    size_t n;
    void *acc[RUN_MAX_ANALYSES];
    cust_table *cust;
    spend_table *spend;
} run_owned;

/* One run under way: the result being built (counters, verbatims,
 * warnings) and its accumulators. */
typedef struct run_state {
    const stats_opts *o;
    stats_result *out;
    run_owned *own;
    /* The pre-step: each comment read once (language, charge, unlabelled
     * moment of truth) into NOTE, which the response carries to every
     * analysis (cx_response.note).  NULL when no analysis reads it. */
    verb_acc *reader;
    verb_flag note;
    /* An accumulator the row-by-row feed leaves out (NULL: none): the
     * verbatim analysis's while run_par.c hands it a chunk's rows itself. */
    const void *skip;
} run_state;

/* run_spend.c: every spend row of S added to T (spend_table_add), the
 * store's scan on a thread of its own: 0, nonzero when an add failed, -1
 * with store_error. */
int run_spend_sum(store *s, spend_table *t);
/* Creates the result and its tables.  -1 OOM. */
int run_setup(run_state *st, const stats_opts *o);
/* Creates the accumulators of ANALYSES (STATS_RUN_*; the rows with flag 0
 * always run), once customers and spend are loaded.  -1 OOM. */
int run_start(run_state *st, unsigned analyses);
/* Another reader of comments like the run's own (run_note.h), for a
 * thread that reads the notes of the rows it hands over.  NULL when the
 * run reads none (ST->reader NULL), or with ERR when it cannot start. */
verb_acc *run_note_reader(const run_state *st, char *err, size_t errlen);
/* The verbatim analysis's thread, when it runs on one (verb_row_pipe),
 * and its accumulator in *ACC, which a driver that hands that thread rows
 * itself leaves out of the row feed (run_state.skip).  NULL: none. */
struct verb_pipe *run_verb_pipe(const run_state *st, const void **acc);
/* Every response has been fed: each analysis's rest (stats/analysis.h),
 * so that what only the finishes read does not stay in memory while the
 * spend rows go by.  Again: nothing more. */
void run_feed_over(const run_state *st);
/* The NPS table the drivers fill from counts (ANALYSIS_COUNTS). */
nps_table *run_nps_table(run_state *st);
/* 1 when a running analysis has every trait of TRAITS (0: one with none). */
int run_has(const run_state *st, unsigned traits);
/* One response through every analysis of the run (NPS table included);
 * a csat or ces one only through the ANALYSIS_ANY_METRIC ones. */
int run_feed(run_state *st, cx_response *r);
/* A csat or ces response through the ANALYSIS_ANY_METRIC analyses. */
int run_feed_metric(run_state *st, const cx_response *r, const char *const *seg);
/* One response through the analyses that are fed row by row only (no
 * ANALYSIS_* trait), in file order; SEG as for analysis.add.  Both set
 * R's note (the pre-step) before any analysis sees R. */
int run_feed_rest(run_state *st, cx_response *r, const char *const *seg);
/* run_feed_rest for a response whose note the driver read already (a
 * chunk worker did, run_chunk.h): R's note is kept as it is. */
int run_feed_rest_noted(run_state *st, const cx_response *r, const char *const *seg);
/* A response offered to the analyses that keep a few recent rows
 * (ANALYSIS_RECENT: the verbatims).  Offers must come in file order; a
 * response that VERBATIM_MAX earlier, no older ones beat may be left out. */
int run_verbatim(run_state *st, const cx_response *r);
/* Finishes every table and hands the result over (ST no longer owns it).
 * NULL with ERR on failure (ST is then freed too). */
stats_result *run_finish(run_state *st, char *err, size_t errlen);
/* Frees a run that did not finish. */
void run_abort(run_state *st);
/* Adds a warning to the result (copied).  -1 OOM. */
int run_warn(run_state *st, const char *msg);

/* The store run (run.c), for the cache's driver (run_cache.c): TEE (may
 * be NULL) sees every response of the store's scan before the analyses
 * do; nonzero stops the run (an error "the cache could not be written").
 * run_store_load: customers and the spend's date range into ST's tables;
 * run_store_spend, after the last response is fed: the spend rows through
 * the windows the responses asked for (stats/spendtab.h).  0 or -1 with
 * ERR. */
typedef int (*run_tee_fn)(const cx_response *r, void *ctx);
stats_result *run_store_tee(store *s, const stats_opts *o, unsigned analyses, const cx_progress *p,
                            run_tee_fn tee, void *tee_ctx, char *err, size_t errlen);
int run_store_load(run_state *st, store *s, const cx_progress *p, char *err, size_t errlen);
int run_store_spend(run_state *st, store *s, const cx_progress *p, char *err, size_t errlen);

/* Where a --by dimension's value comes from in a responses CSV: the same
 * answer as cx_response_dim() (plus the customers' attributes, which a
 * CSV run does not have). */
enum { DIM_NONE, DIM_TEXT, DIM_SOURCE };
typedef struct run_dim {
    int kind;
    size_t text; /* DIM_TEXT: index in run_text order */
} run_dim;

/* Text fields of a response, in the order rows keep them: the model's
 * text fields, then the attributes. */
enum {
    RT_SOURCE,
    RT_RESPONSE_ID,
    RT_COMMENT,
    RT_CUSTOMER_ID,
    RT_AGENT_ID,
    RT_CHANNEL,
    RT_PRODUCT,
    RT_INTERACTION_TYPE,
    RT_ATTR0
};
/* Column of text field K (RT_*), or -1 when the file lacks it. */
long run_text_col(const resp_header *h, size_t k);
void run_dims(const resp_header *h, const stats_opts *o, run_dim *dims);

/* One rejected row: counted, the first 20 kept as warnings, and written
 * to W (may be NULL) as csv,PATH:LINE,reason,raw. */
void run_reject(run_state *st, rejects_sink *w, const char *path, long line, const char *raw, size_t raw_len,
                const char *field, const char *why);

/* One `stats --input` run. */
typedef struct csv_run {
    run_state *st;
    const char *path;
    csv_reader *rd; /* header read; then the one-pass reader */
    resp_header h;
    resp_dedup *dd;        /* repeated response_ids (NULL: none looked for); its first
                               rows and pending rows are settled on the reading thread */
    int spooled;           /* reading the copy of a pipe: in one pass, as a pipe was */
    rejects_sink *rejects; /* may be NULL */
    cx_rows_progress pg;
    char *err; /* the run's error buffer */
    size_t errlen;
} csv_run;

enum { RUN_EOF = 0, RUN_MORE = 1, RUN_FATAL = 2, RUN_FAIL = -1 };
/* Reads the next record with csv_read and takes it: a response fed to
 * every analysis, a reject, or an empty line skipped.  RUN_MORE, RUN_EOF,
 * RUN_FATAL (an error that ends the input, already rejected), RUN_FAIL
 * (out of memory, with X->err). */
int run_csv_next(csv_run *x);

/* Reads the records after the header, from DATA (byte offset, on line
 * LINE + 1) to SIZE, on one thread per CPU.  0 done, -1 failed (with
 * X->err), 1 could not start (nothing read: run_csv_next still can). */
int run_par(csv_run *x, long long data, long line, long long size);

#endif
