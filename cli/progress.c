/* progress.c — draws library progress (core/progress.h) on stderr, and only
 * when stderr is a terminal and --quiet is off: "PHASE: 45%, 12000 rows, 3 s
 * left" redrawn at most 4 times a second, a phase with no measure
 * ("merging into the store…") as soon as it starts, and the line cleared
 * when the step ends. */
#include "cli/cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* PHASE with control characters as '?' (it may hold a file name). */
static void put_phase(const char *phase)
{
    for (const unsigned char *p = (const unsigned char *)phase; *p; p++)
        fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, stderr);
}

static void draw(void *ctx, const char *phase, double done, double total, const char *count, int finished)
{
    cli_progress *p = ctx;
    double now = mono();
    if (finished) {
        if (p->shown) fputs("\r\033[K", stderr);
        p->shown = 0;
        p->phase[0] = '\0';
        return;
    }
    int fresh = strcmp(phase, p->phase) != 0;
    if (fresh) {
        snprintf(p->phase, sizeof p->phase, "%s", phase);
        p->start = now;
    } else if (now - p->last < 0.25) {
        return;
    }
    p->last = now;
    fputs("\r\033[K", stderr);
    put_phase(phase);
    if (total > 0) { /* 0% at a step's start: a fast step still says how far it is */
        double pct = 100.0 * done / total, rate = done / (now - p->start > 1e-3 ? now - p->start : 1e-3);
        fprintf(stderr, ": %.0f%%", pct > 100 ? 100 : pct);
        if (count) fprintf(stderr, ", %s", count);
        if (now - p->start >= 1 && rate > 0) fprintf(stderr, ", %.0f s left", ceil((total - done) / rate));
    } else if (count) {
        fprintf(stderr, ": %s", count);
    } else {
        fputs("\xe2\x80\xa6", stderr); /* "merging into the store…" */
    }
    fflush(stderr);
    p->shown = 1;
}

const cx_progress *cli_progress_for(cli *c)
{
    if (c->quiet || !isatty(STDERR_FILENO)) return NULL;
    memset(&c->prog, 0, sizeof c->prog);
    c->prog_fn.fn = draw;
    c->prog_fn.ctx = &c->prog;
    return &c->prog_fn;
}
