/* run_int.h — what the files of the stats driver share (stats/run.c,
 * run_csv.c, run_par.c, run_chunk.c).  Not for use elsewhere.
 */
#ifndef CX_RUN_INT_H
#define CX_RUN_INT_H

#include "core/log.h"
#include "core/respcsv.h"
#include "stats/run.h"

/* Creates the result's tables.  -1 OOM. */
int run_setup(stats_result *res, const stats_opts *o);
/* Creates the accumulators of ANALYSES (STATS_RUN_*), once customers and
 * spend are loaded (cxa_new finishes the spend table).  -1 OOM. */
int run_start(stats_result *res, unsigned analyses);
/* One response through every analysis of the run (NPS table included). */
int run_feed(stats_result *res, const cx_response *r);
/* One response through the analyses other than the NPS table and the
 * verbatims, in file order; SEG as for cxa_add. */
int run_feed_rest(stats_result *res, const cx_response *r, const char *const *seg);
/* An in-scope response offered to the verbatims (kept when the run has
 * them: the VERBATIM_MAX most recent non-empty comments, the earlier one
 * first among equal times).  Offers must come in file order; a response
 * that VERBATIM_MAX earlier, no older ones beat may be left out. */
int run_verbatim(stats_result *res, const cx_response *r);
/* Finishes every table.  0 ok, -1 after a message. */
int run_finish(stats_result *res);
/* What follows from the finished NPS table: the report month and the
 * drivers.  0 ok, -1 after a message. */
int run_derive(stats_result *res);

/* Where a --by dimension's value comes from in a responses CSV: the same
 * answer as cx_response_dim() (plus the customers' attributes, which a
 * CSV run does not have). */
enum { DIM_NONE, DIM_TEXT, DIM_SOURCE };
typedef struct run_dim {
    int kind;
    size_t text;            /* DIM_TEXT: index in run_text order */
} run_dim;

/* Text fields of a response, in the order rows keep them: the model's
 * text fields, then the attributes. */
enum { RT_SOURCE, RT_RESPONSE_ID, RT_COMMENT, RT_CUSTOMER_ID, RT_AGENT_ID, RT_CHANNEL,
       RT_PRODUCT, RT_INTERACTION_TYPE, RT_ATTR0 };
/* Column of text field K (RT_*), or -1 when the file lacks it. */
long run_text_col(const resp_header *h, size_t k);
void run_dims(const resp_header *h, const stats_opts *o, run_dim *dims);

/* One rejected row: counted, the first 20 shown (unless QUIET), and
 * written to W (may be NULL) as csv,PATH:LINE,reason,raw. */
void run_reject(stats_result *res, csv_writer *w, const char *path, long line, const char *raw,
                size_t raw_len, const char *field, const char *why, int quiet);

/* One `stats --input` run. */
typedef struct csv_run {
    stats_result *res;
    const char *path;
    csv_reader *rd;         /* header read; then the one-pass reader */
    resp_header h;
    csv_writer *rejects;    /* may be NULL */
    int quiet;
    progress pg;
} csv_run;

enum { RUN_EOF = 0, RUN_MORE = 1, RUN_FATAL = 2, RUN_FAIL = -1 };
/* Reads the next record with csv_read and takes it: a response fed to
 * every analysis, a reject, or an empty line skipped.  RUN_MORE, RUN_EOF,
 * RUN_FATAL (an error that ends the input, already rejected), RUN_FAIL
 * (out of memory, after a message). */
int run_csv_next(csv_run *x);

/* Reads the records after the header, from DATA (byte offset, on line
 * LINE + 1) to SIZE, on one thread per CPU.  0 done, -1 failed (after a
 * message), 1 could not start (nothing read: run_csv_next still can). */
int run_par(csv_run *x, long long data, long line, long long size);

#endif
