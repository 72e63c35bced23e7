/* run_cache_feed.h — the state the analysis cache's two threads share,
 * private to run/run_cache_feed.c (the reader thread and the calling
 * thread's feed) and run/run_cache_build.c (the builder thread: a build
 * from the store's scan, or an extension merging the old cache with the
 * store's new rows).  docs/cache.md. */
#ifndef CX_RUN_CACHE_FEED_H
#define CX_RUN_CACHE_FEED_H

#include "run/run_cache_int.h"
#include "stats/npspart.h"

#include <pthread.h>

/* Blocks handed over from the second thread to the calling one, each in a
 * slot whose state says what it holds. */
#define SLOTS 2

enum { S_FREE, S_FULL, S_END, S_DAMAGED, S_OOM, S_STORE, S_WRITER, S_DISORDER };
typedef struct slot {
    cache_block b;
    int state; /* S_*: a store error or a writer that failed (building) too */
    /* counted on the reader thread when every --by dimension is a text
     * field (as run_par.c's chunks count): the block's NPS answers */
    nps_part *part;
    long long responses, missing[STATS_MAX_BY];
} slot;

typedef struct feeder {
    /* what is read (run_cache_int.h): a cache (F_READ); the store's scan
     * into the writer (F_BUILD); or the old cache merged with the store's
     * rows after the mark into the writer (F_EXTEND), whose blocks are
     * handed over; in.added counts the new rows merged */
    feed_from in;
    size_t k;           /* blocks handed over */
    cache_block ob;     /* the old block being merged, when have_ob */
    size_t oi, ocur[2]; /* its next row; attributes and moments before it */
    int have_ob, old_end;
    cx_response row;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    slot s[SLOTS];
    int stop;
    int counts; /* the reader thread counts NPS (col below) */
    int col[STATS_MAX_BY];
    size_t n_by;
    char why[512];
} feeder;

/* run_cache_feed.c: the NPS answers of the block in S into its part.  0,
 * -1 damaged (WHY), -2 out of memory. */
int feed_count_slot(feeder *f, slot *s, char *why, size_t whylen);
/* run_cache_build.c: the builder thread, F_BUILD and F_EXTEND (ARG a
 * feeder). */
void *feed_scan_blocks(void *arg);
void *feed_extend_blocks(void *arg);
void *feed_append_blocks(void *arg);

#endif
