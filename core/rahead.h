/* rahead.h — reads of one file done ahead, on a thread of their own, past
 * the page cache where the file system allows (O_DIRECT): a reader hands
 * over a request (an aligned buffer, an aligned offset), goes on with
 * what it has, and waits for the request only when it needs its bytes.
 * For the merge of a shuffled import's sorted runs, which reads a
 * temporary file written past the page cache (core/dstream.h) in small
 * pieces at hundreds of places (docs/performance.md, "Eleventh round").
 * Owner: core/rahead.c.
 */
#ifndef CX_RAHEAD_H
#define CX_RAHEAD_H

#include <stddef.h>

#include "core/dio.h"

typedef struct ra_req {
    char *buf;  /* dio_alloc'd, cap bytes */
    size_t cap; /* a multiple of DIO_ALIGN */
    long long at;
    size_t got; /* bytes read: cap, or fewer at the file's end */
    int state;  /* RA_IDLE, RA_QUEUED, RA_DONE, RA_FAILED */
    int err;    /* errno of a failed read */
    struct ra_req *next;
} ra_req;

enum { RA_IDLE, RA_QUEUED, RA_DONE, RA_FAILED };

typedef struct rahead rahead;

/* A reading thread for FD, PATH naming the same file to open it once
 * more with O_DIRECT (NULL, or refused: reads through FD).  GATHER > 1:
 * how many requests it lets queue before it reads them, unless a reader
 * waits for one, then up to 32 at a time in one submission (Linux AIO,
 * where the file is open with O_DIRECT); 1: each request read at once,
 * by dio_pread.  NULL when out of memory or no thread can start (then
 * read FD directly). */
rahead *ra_start(int fd, const char *path, int gather);
/* Queues R to read its cap bytes at AT (a multiple of DIO_ALIGN).  R must
 * not be queued already. */
void ra_submit(rahead *ra, ra_req *r, long long at);
/* Waits for R (queued or done).  0, or -1 with errno (the read failed). */
int ra_wait(rahead *ra, ra_req *r);
/* Waits for the read under way, drops those queued (left RA_IDLE), and
 * ends the thread. */
void ra_stop(rahead *ra);

#endif
