/* log.h — messages to stderr in the form "cxpulse: <what>: <why>", and the
 * progress line shown on a TTY during long work.  Owner: core/log.c.
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

typedef struct progress {
    int enabled;            /* stderr is a TTY and not --quiet */
    const char *what;       /* "import responses.csv" */
    double start, last;
    long long total;        /* 0 = unknown (no ETA) */
    int shown;
} progress;

void progress_init(progress *p, const char *what, long long total, int quiet);
/* Redraws "\r<what>: N rows, R rows/s[, ETA]" at most 4 times a second. */
void progress_tick(progress *p, long long done);
/* Clears the line. */
void progress_done(progress *p);
double now_seconds(void);

#endif
