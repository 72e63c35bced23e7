/* log.h — messages to stderr in the form "cxpulse: <what>: <why>" (for
 * cli/: library code never writes to stderr itself), and a monotonic clock.
 * Progress of long work goes through core/progress.h.
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

/* Monotonic seconds, for durations. */
double now_seconds(void);

#endif
