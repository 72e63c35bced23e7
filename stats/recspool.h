/* recspool.h — fixed-size records written once, in order, and read back
 * in the same order as many times as needed: the first 1 MiB in memory,
 * the rest in a temporary file (in $TMPDIR, else /tmp; unlinked at once,
 * so nothing is left behind), read through a 1 MiB buffer.  For the
 * per-response records an analysis needs only at its end, so they need
 * not stay in memory while the run goes on.
 *
 * Owner: stats/recspool.c.  Life cycle: recspool_new; recspool_put for
 * every record; then recspool_rewind and recspool_next, again from the
 * start after each rewind; recspool_free. */
#ifndef CX_RECSPOOL_H
#define CX_RECSPOOL_H

#include <stddef.h>

typedef struct recspool recspool;

/* Records of REC_SIZE bytes (1 … 4096).  NULL when out of memory. */
recspool *recspool_new(size_t rec_size);
/* The same with a buffer of BUF_BYTES (at least one record) instead of
 * 1 MiB: for many spools open at once. */
recspool *recspool_new_buf(size_t rec_size, size_t buf_bytes);
void recspool_free(recspool *s);
/* Appends a copy of REC.  0 ok, -1 on failure (recspool_errno says why)
 * or once reading has started. */
int recspool_put(recspool *s, const void *rec);
size_t recspool_count(const recspool *s);
/* Reading starts (again) at the first record.  0 ok, -1 on failure. */
int recspool_rewind(recspool *s);
/* The next record into REC: 1, or 0 after the last one, -1 on failure. */
int recspool_next(recspool *s, void *rec);
/* errno of the first failure, 0 for out of memory or none. */
int recspool_errno(const recspool *s);

#endif
