/* log.c — see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

void cx_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cxpulse: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_init(progress *p, const char *what, long long total, int quiet)
{
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->what = what;
    p->start = p->last = now_seconds();
    p->total = total;
    p->shown = 0;
}

void progress_tick(progress *p, long long done)
{
    if (!p->enabled || (done & 1023) != 0) return;
    double t = now_seconds();
    if (t - p->last < 0.25) return;
    p->last = t;
    double rate = done / (t - p->start > 1e-9 ? t - p->start : 1e-9);
    if (p->total > 0 && rate > 0)
        fprintf(stderr, "\r%s: %lld of %lld rows, %.0f rows/s, ETA %.0f s   ", p->what, done,
                p->total, rate, (p->total - done) / rate);
    else
        fprintf(stderr, "\r%s: %lld rows, %.0f rows/s   ", p->what, done, rate);
    p->shown = 1;
}

void progress_done(progress *p)
{
    if (p->enabled && p->shown) fputs("\r\033[K", stderr);
    p->shown = 0;
}
