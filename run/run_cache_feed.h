/* run_cache_feed.h — the state the analysis cache's two threads share,
 * private to run/run_cache_feed.c (the reader thread and the calling
 * thread's feed) and run/run_cache_build.c (the builder thread: a build
 * from the store's scan, or an extension merging the old cache with the
 * store's new rows).  docs/cache.md. */
#ifndef CX_RUN_CACHE_FEED_H
#define CX_RUN_CACHE_FEED_H

#include "run/run_cache_int.h"
#include "run/run_note.h"
#include "run/run_notes_file.h"
#include "stats/npspart.h"
#include "stats/text/verb_pipe.h"

#include <pthread.h>

/* Blocks handed over from the second thread to the calling one, each in a
 * slot whose state says what it holds: SLOTS of them (one read or made,
 * one fed, one with the verbatim thread, one spare: with three, a cached
 * run's threads waited for each other, 3.60-4.14 s against 3.40-3.63 s at
 * 10M; six gave 3.38-3.50 s for 9 MB more), as many as a cache's reader
 * keeps valid (CACHE_READ_KEPT) and its writer keeps made
 * (CACHE_WRITER_KEPT: cache_view), so that a block the writer makes
 * takes the memory of the one whose slot it waits for
 * (run_cache_build.c writer_room). */
#define SLOTS CACHE_READ_KEPT
_Static_assert(CACHE_WRITER_KEPT == SLOTS, "the writer keeps a block while its slot holds it");

enum { S_FREE, S_FULL, S_END, S_DAMAGED, S_OOM, S_STORE, S_WRITER, S_DISORDER };
typedef struct slot {
    cache_block b;
    int state; /* S_*: a store error or a writer that failed (building) too */
    /* counted on the reader thread when every --by dimension is a text
     * field (as run_par.c's chunks count): the block's NPS answers */
    nps_part *part;
    long long responses, missing[STATS_MAX_BY];
    /* read on the reader thread too (feeder.reader): each row's note */
    note_buf notes;
    uint32_t note[CACHE_BLOCK_ROWS];
    int vheld; /* its rows not yet read by the verbatim thread (feeder.vp) */
    struct feeder *f;
} slot;

typedef struct feeder {
    /* what is read (run_cache_int.h): a cache (F_READ); the store's scan
     * into the writer (F_BUILD); or the old cache merged with the store's
     * rows after the mark into the writer (F_EXTEND), whose blocks are
     * handed over; in.added counts the new rows merged */
    feed_from in;
    size_t k;                     /* blocks handed over */
    cache_block ob;               /* the old block being merged, when have_ob */
    size_t oi, ocur[2];           /* its next row; attributes and moments before it */
    unsigned long long ob_serial; /* its number, for cache_add_rows */
    int have_ob, old_end;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    slot s[SLOTS];
    int stop;
    int counts; /* the reader thread counts NPS (col below) */
    int col[STATS_MAX_BY];
    /* a --by dimension that is an attribute: its name, col CC_ATTR_VALUE
     * (the response's, else its customer's: cust, NULL without any);
     * else NULL */
    const char *attr[STATS_MAX_BY];
    const cust_table *cust;
    size_t n_by;
    /* the run's pre-step on the second thread (F_READ, F_EXTEND,
     * F_APPEND, counting): each NPS row's comment read into its slot
     * (NULL: the calling thread reads them, as it does a build's, whose
     * builder thread is the longer) */
    verb_acc *reader;
    const stats_opts *o;
    /* with it, the notes kept beside the cache read (F_READ, F_EXTEND,
     * F_APPEND: f->in.r), taken where they are a row's (run_notes_file.h)
     * on the thread that reads the notes */
    notes_file *nf;
    long long notes_kept, notes_read; /* counted where the notes are read */
    /* with it, the verbatim analysis's thread (NULL: its rows go by its
     * add) is handed each block's rows where they are, not copied, and
     * VACC, its accumulator, is left out of the row feed */
    verb_pipe *vp;
    const void *vacc;
    char why[512];
} feeder;

/* 1 when the second thread reads each block's notes (f->reader set),
 * but for an extension that merges new rows into the old blocks: its
 * builder thread is then the longer, and the calling thread reads them
 * as it takes each block, with the same reader, which it alone uses. */
static inline int notes_on_second(const feeder *f) { return f->reader && f->in.mode != F_EXTEND; }

/* Row I's value in T and its length. */
static inline csv_span span_at(const cache_text *t, size_t i)
{
    uint32_t code = cache_code(t, i);
    csv_span v = {cache_str(t, code), t->off[code + 1] - t->off[code] - 1};
    return v;
}

/* run_cache_feed.c: the NPS answers of the block in S into its part.  0,
 * -1 damaged (WHY), -2 out of memory. */
int feed_count_slot(feeder *f, slot *s, char *why, size_t whylen);
/* run_cache_notes.c: the run's pre-step (run_note.h) on the NPS rows of
 * the block in S, into its notes (f->reader set), taken from the notes an
 * earlier run kept where they are the rows' (f->nf).  0, -1 out of
 * memory. */
int feed_notes_slot(feeder *f, slot *s);
/* run_cache_build.c: the builder thread, F_BUILD and F_EXTEND (ARG a
 * feeder). */
void *feed_scan_blocks(void *arg);
void *feed_extend_blocks(void *arg);
void *feed_append_blocks(void *arg);

#endif
