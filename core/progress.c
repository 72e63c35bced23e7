/* progress.c — the row counter of progress.h: told through the caller's
 * cx_progress, at most 4 times a second. */
#include "core/progress.h"
#include "core/log.h"

#include <stdio.h>

void cx_rows_start(cx_rows_progress *r, const cx_progress *p, const char *phase)
{
    r->p = p && p->fn ? p : NULL;
    r->phase = phase;
    r->last = now_seconds();
    r->shown = 0;
}

void cx_rows_tick(cx_rows_progress *r, long long done)
{
    if (!r->p || (done & 1023) != 0) return;
    double t = now_seconds();
    if (t - r->last < 0.25) return;
    r->last = t;
    char count[48];
    snprintf(count, sizeof count, "%lld rows", done);
    cx_progress_say(r->p, r->phase, 0, 0, count);
    r->shown = 1;
}

void cx_rows_end(cx_rows_progress *r)
{
    if (r->p && r->shown) cx_progress_end(r->p);
    r->shown = 0;
}
