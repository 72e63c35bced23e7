/* log.h — messages to stderr in the form "cxpulse: <what>: <why>", and the
 * progress of long work: a callback the caller gives (library code never
 * writes to stderr itself), and the terminal line that draws it.
 * Owner: core/log.c.
 * Messages never carry tokens: callers pass only names and paths.
 */
#ifndef CX_LOG_H
#define CX_LOG_H

#include <stdint.h>

#if defined(__GNUC__)
#define CX_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CX_PRINTF(a, b)
#endif

/* "cxpulse: " + message + newline on stderr. */
void cx_msg(const char *fmt, ...) CX_PRINTF(1, 2);

/* Told how far long work is: DONE rows of TOTAL (0 = unknown) after
 * ELAPSED seconds, at most 4 times a second; DONE < 0 when the work ended
 * after a report (a line drawn can be cleared). */
typedef void (*progress_fn)(void *ctx, const char *what, long long done, long long total,
                            double elapsed);

/* The terminal's progress_fn: "\r<what>: N rows, R rows/s[, ETA]" on
 * stderr, cleared at the end.  CTX is unused.  For cli/ only: library
 * code reports progress through the callback its caller gives. */
void progress_draw(void *ctx, const char *what, long long done, long long total, double elapsed);

typedef struct progress {
    int enabled;            /* a callback is set */
    progress_fn fn;
    void *ctx;
    const char *what;       /* "import responses.csv" */
    double start, last;
    long long total;        /* 0 = unknown (no ETA) */
    int shown;
} progress;

/* Progress reported to FN (NULL: none). */
void progress_init_cb(progress *p, const char *what, long long total, progress_fn fn, void *ctx);
/* Reports DONE (a multiple of 1024 only), at most 4 times a second. */
void progress_tick(progress *p, long long done);
/* Ends: clears a line that was drawn. */
void progress_done(progress *p);
double now_seconds(void);

#endif
