/* progress.h — how library code tells whoever shows progress how long work
 * is going (import, ingest).  Library code never draws: it calls the
 * function its caller handed it; only cli/ draws, and only on a terminal.
 * Owner: this header (no .c: one inline call). */
#ifndef CX_PROGRESS_H
#define CX_PROGRESS_H

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

#endif
