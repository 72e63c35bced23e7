/* dspool.h — a temporary file that a stream of text is written into
 * front to back past the page cache (core/dsfile.h), then read back past
 * it, whole, as many times as asked: the spool of rows too many to keep
 * in memory until the run's outputs are written (the verbatims' flags
 * rows: stats/text/verb_run.c).  In $TMPDIR, else /tmp, unlinked at once
 * (core/afile.h temp_file).  Owner: core/dspool.c.
 */
#ifndef CX_DSPOOL_H
#define CX_DSPOOL_H
#include "core/dsfile.h"

typedef struct dspool {
    int fd;     /* the temporary file; -1: none */
    dsfile out; /* its stream (out.f, NULL once finished), the bytes
                 * written (out.at) and the first failure (out.err) */
} dspool;

/* P made (TAG names the file: cxpulse-TAG-XXXXXX) and its stream opened,
 * with a buffer of BUFSZ bytes.  0, or -1 with errno (P then holds
 * nothing to close). */
int dspool_open(dspool *p, const char *tag, size_t bufsz);
/* The stream to write into (fprintf, fwrite, a csv_writer); NULL once
 * finished. */
FILE *dspool_file(const dspool *p);
/* Every byte written put in the file; the stream closed.  0, or -1 with
 * errno (p->out.err). */
int dspool_finish(dspool *p);
/* The file's bytes, in order, handed to FN in pieces of at most a MiB
 * (FN's nonzero stops and is returned).  After dspool_finish.  0, FN's
 * nonzero, or -1 with errno (a read failed). */
int dspool_each(const dspool *p, int (*fn)(void *ctx, const char *b, size_t n), void *ctx);
/* P closed and its file gone (safe after a failed dspool_open). */
void dspool_close(dspool *p);
#endif
