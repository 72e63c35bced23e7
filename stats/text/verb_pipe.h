/* verb_pipe.h — hands the responses of a statistics run to a thread of
 * the verbatim analysis, so that its text work does not hold up the
 * thread that feeds every in-order analysis.  Responses are copied, in
 * order, into a ring of blocks: while the thread works through one, the
 * feeder fills the next.  A batch of responses that stay where they are
 * (a chunk of `stats --input`, run/run_par.c) goes in the same order as a
 * reference: the thread reads them there, and says when it is done with
 * them (a batch ends its block).  Owner: stats/text/verb_pipe.c.
 * Memory: NBLK (8) blocks of about BLOCK (1 MB) bytes at most (a block
 * holds at least one response, whatever its size). */
#ifndef CX_VERB_PIPE_H
#define CX_VERB_PIPE_H

#include <limits.h>
#include <stddef.h>
#include "core/model.h"

typedef struct verb_pipe verb_pipe;

#define VERB_PIPE_NO_MONTH INT_MIN

/* Called on the pipe's thread for each response, in push order, with the
 * fields the verbatim analysis reads (source, response_id, responded_at,
 * score, metric, comment, interaction_type, channel, note), its month key
 * (VERB_PIPE_NO_MONTH: to be found from responded_at) and the --by values.  Returns 0, or
 * -1 to fail the pipe. */
typedef int (*verb_pipe_fn)(void *ctx, const cx_response *r, int month, const char *const *seg);
/* A batch's reader, called on the pipe's thread in the batch's place
 * among the pushed responses: calls FN(FN_CTX, ...) for each response of
 * ARG in order and returns what the first failing call returned, else 0. */
typedef int (*verb_pipe_each_fn)(void *arg, verb_pipe_fn fn, void *fn_ctx);

/* Starts the thread.  NULL when it cannot (the caller then calls FN
 * itself). */
verb_pipe *verb_pipe_new(size_t n_by, verb_pipe_fn fn, void *ctx);
/* Copies R and SEG (N_BY values, NULL when missing) for the thread.
 * 0 ok; -1 out of memory or FN failed. */
int verb_pipe_push(verb_pipe *p, const cx_response *r, const char *const *seg);
/* A batch ARG read by EACH on the thread; then DONE(ARG) on the thread,
 * also when the pipe has failed (EACH is then not called): after DONE the
 * thread no longer reads ARG.  0 ok; -1 out of memory or FN failed (DONE
 * is called all the same, maybe at once). */
int verb_pipe_push_batch(verb_pipe *p, verb_pipe_each_fn each, void (*done)(void *arg), void *arg);
/* Hands over what is filled and waits until the thread has been through
 * everything pushed so far (every batch DONE).  0 ok; -1 the pipe failed. */
int verb_pipe_sync(verb_pipe *p);
/* Hands over what is left, waits for the thread and frees the ring's
 * blocks; nothing may be pushed after.  Again: only says the result.  0
 * when every FN call returned 0. */
int verb_pipe_end(verb_pipe *p);
/* The pipe of the verbatim analysis's accumulator ACC (analysis_themes,
 * stats/text/verb_run.c); NULL when it works on the feeder's thread.  A
 * driver that pushes batches to it (verb_pipe_push_batch) keeps those
 * responses from the accumulator's add. */
verb_pipe *verb_row_pipe(void *acc);
/* Ends the thread if running; frees. */
void verb_pipe_free(verb_pipe *p);

#endif
