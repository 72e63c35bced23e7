/* verb_pipe.h — hands the responses of a statistics run to a thread of
 * the verbatim analysis, so that its text work does not hold up the
 * thread that feeds every in-order analysis.  Responses are copied, in
 * order, into one of two blocks: while the thread works through one, the
 * feeder fills the other.  Owner: stats/text/verb_pipe.c.  Memory: two
 * blocks of about BLOCK bytes (a block holds at least one response,
 * whatever its size). */
#ifndef CX_VERB_PIPE_H
#define CX_VERB_PIPE_H

#include <stddef.h>
#include "core/model.h"

typedef struct verb_pipe verb_pipe;

/* Called on the pipe's thread for each response, in push order, with the
 * fields the verbatim analysis reads (source, response_id, responded_at,
 * score, metric, comment, interaction_type, channel) and the --by values.
 * Returns 0, or -1 to fail the pipe. */
typedef int (*verb_pipe_fn)(void *ctx, const cx_response *r, const char *const *seg);

/* Starts the thread.  NULL when it cannot (the caller then calls FN
 * itself). */
verb_pipe *verb_pipe_new(size_t n_by, verb_pipe_fn fn, void *ctx);
/* Copies R and SEG (N_BY values, NULL when missing) for the thread.
 * 0 ok; -1 out of memory or FN failed. */
int verb_pipe_push(verb_pipe *p, const cx_response *r, const char *const *seg);
/* Hands over what is left and waits for the thread.  0 when every FN call
 * returned 0. */
int verb_pipe_end(verb_pipe *p);
/* Ends the thread if running; frees. */
void verb_pipe_free(verb_pipe *p);

#endif
