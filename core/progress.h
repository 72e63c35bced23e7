/* progress.h — the one way library code tells whoever shows progress how
 * long work is going (import, ingest, the store read, stats --input).
 * Library code never draws: it calls the function its caller handed it;
 * only cli/ draws (cli/progress.c), and only on a terminal.
 * Owner: core/progress.c (the row counter); the call itself is inline. */
#ifndef CX_PROGRESS_H
#define CX_PROGRESS_H

#include <stddef.h>

typedef struct cx_progress {
    /* PHASE says what is being done ("reading responses.csv", "merging into
     * the store"); a new PHASE starts a new step.  DONE of TOTAL in the
     * same unit; TOTAL 0 = unknown (no percent, no time left).  COUNT is
     * what to show beside it ("12000 rows"), may be NULL.  FINISHED 1 ends
     * the step (the line is cleared). */
    void (*fn)(void *ctx, const char *phase, double done, double total, const char *count, int finished);
    void *ctx;
} cx_progress;

static inline void cx_progress_say(const cx_progress *p, const char *phase, double done, double total,
                                   const char *count)
{
    if (p && p->fn) p->fn(p->ctx, phase, done, total, count, 0);
}

static inline void cx_progress_end(const cx_progress *p)
{
    if (p && p->fn) p->fn(p->ctx, NULL, 0, 0, NULL, 1);
}

/* Rows read in a step of unknown length (a CSV read by stats --input):
 * "N rows" beside PHASE, told at most 4 times a second, so that a reader
 * may tick for every 1024 rows at no cost. */
typedef struct cx_rows_progress {
    const cx_progress *p; /* NULL: nothing is told */
    const char *phase;    /* borrowed */
    double last;          /* when the count was last told (monotonic seconds) */
    int shown;
} cx_rows_progress;

void cx_rows_start(cx_rows_progress *r, const cx_progress *p, const char *phase);
/* DONE rows so far; only a multiple of 1024 is told. */
void cx_rows_tick(cx_rows_progress *r, long long done);
/* Ends the step when a count was told. */
void cx_rows_end(cx_rows_progress *r);

#endif
