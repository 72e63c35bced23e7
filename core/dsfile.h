/* dsfile.h — a stdio stream onto a file written front to back, its bytes
 * past the first PLAIN_FIRST going past the page cache (core/dstream.h):
 * the outputs a run writes (core/afile.c: a few KB stay in the page cache
 * as before, the verbatim flags' 268 MB at 10M rows do not) and the spool
 * of rows read back at the end (core/dspool.c).  Owner: core/dsfile.c.
 */
#ifndef CX_DSFILE_H
#define CX_DSFILE_H
#include "core/dstream.h"

#include <stdio.h>

typedef struct dsfile {
    int fd;          /* the file, written from offset 0 (not owned) */
    char path[32];   /* /proc/self/fd/N: the file opened again for O_DIRECT */
    long long plain; /* bytes written through fd before the stream starts */
    long long at;    /* bytes written so far */
    dstream ds;      /* the writes past the first plain bytes */
    int ds_on;       /* ds open (holds bytes not yet in the file) */
    int err;         /* errno of the first failed write, 0: none */
    FILE *f;         /* the caller's stream */
} dsfile;

/* S opened on FD (an empty file open for writing and reading) and its
 * stream made, with a buffer of BUFSZ bytes (0: stdio's).  Its first
 * PLAIN_FIRST bytes go through FD and the page cache, the rest past it.
 * The stream, or NULL with errno (nothing to close then). */
FILE *dsfile_open(dsfile *s, int fd, long long plain_first, size_t bufsz);
/* Every byte written put in the file, the stream closed (FD stays open).
 * 0, or -1 with errno: the first write that failed, else the close's. */
int dsfile_close(dsfile *s);
#endif
