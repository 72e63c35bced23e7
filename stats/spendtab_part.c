/* spendtab_part.c — the windows of the spend table (spendtab.h) summed in
 * parts, so that memory holds at most one part's windows whatever the
 * number of responses.
 *
 * The wants are spooled as they come (spendtab.c).  At the first spend
 * row the customers are dealt into parts (customer c into part c % parts,
 * as many parts as the windows need at part_bytes each): part 0's windows
 * are built and summed as the rows stream by; a row of a customer of a
 * later part is spooled to that part's file.  At the end each later part
 * in turn builds its windows from its wants and sums its spooled rows,
 * which come in the order the scan gave them, so every window sees the
 * same rows in the same order as with one part: the same sums, bit for
 * bit.  Each part writes its windows' rounded sums in handle order; they
 * are read back by walking the wants again (a want's customer says which
 * part's file holds its sums next).  With one part nothing is spooled but
 * the wants, and the sums are read from the windows themselves. */
#include "stats/spendtab_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* At most this many parts: each later part keeps two files open while the
 * rows go by (and three buffers); past it a part holds more windows. */
#define MAX_PARTS 128

int spend_fail(spend_table *t, const recspool *s)
{
    if (!t->failed) {
        t->failed = 1;
        t->err = s ? recspool_errno(s) : 0;
    }
    return -1;
}

/* A window for customer C's response on DAY, at the head of C's chain
 * (a row adds to every window of the chain, in any order). */
static int win_add(spend_table *t, uint32_t c, int32_t day)
{
    if (t->n_win >= NONE - 1) return -1;
    if (t->n_win == t->cap_win) {
        size_t cap = t->cap_win ? t->cap_win + t->cap_win / 2 : 1024;
        window *w = realloc(t->win, cap * sizeof *w);
        if (!w) return -1;
        t->win = w;
        t->cap_win = cap;
    }
    t->win[t->n_win] = (window){{0, 0}, {0, 0}, day, 0, t->cust[c].first};
    t->cust[c].first = (uint32_t)t->n_win++;
    return 0;
}

/* Room for a part's windows, with an eighth to spare: parts are dealt by
 * customer, so they differ a little. */
static int win_reserve(spend_table *t, size_t n)
{
    size_t cap = n + n / 8 + 16;
    if (cap <= t->cap_win) return 0;
    window *w = realloc(t->win, cap * sizeof *w);
    if (!w) return -1;
    t->win = w;
    t->cap_win = cap;
    return 0;
}

int spend_parts_start(spend_table *t)
{
    if (t->failed) return -1;
    size_t n = recspool_count(t->wants), per = t->part_bytes / sizeof(window);
    size_t parts = per && n > per ? (n + per - 1) / per : 1;
    if (parts > MAX_PARTS) parts = MAX_PARTS;
    if (parts > t->n_cust) parts = t->n_cust ? t->n_cust : 1;
    t->parts = parts;
    t->spool_buf = t->part_bytes / 16 < 4096 ? 4096 : t->part_bytes / 16 > 65536 ? 65536 : t->part_bytes / 16;
    for (size_t c = 0; c < t->n_cust; c++) t->cust[c].first = NONE;
    if (parts > 1) {
        if (!(t->part_wants = calloc(parts, sizeof *t->part_wants)) ||
            !(t->part_rows = calloc(parts, sizeof *t->part_rows)))
            return spend_fail(t, NULL);
        for (size_t p = 1; p < parts; p++)
            if (!(t->part_wants[p] = recspool_new_buf(sizeof(want_rec), t->spool_buf)) ||
                !(t->part_rows[p] = recspool_new_buf(sizeof(row_rec), t->spool_buf)))
                return spend_fail(t, NULL);
    }
    if (win_reserve(t, n / parts) != 0) return spend_fail(t, NULL);
    if (recspool_rewind(t->wants) != 0) return spend_fail(t, t->wants);
    want_rec w;
    int r;
    while ((r = recspool_next(t->wants, &w)) == 1) {
        size_t p = w.c % parts;
        if (p == 0) {
            if (win_add(t, w.c, w.day) != 0) return spend_fail(t, NULL);
        } else {
            t->cust[w.c].first = ELSEWHERE;
            if (recspool_put(t->part_wants[p], &w) != 0) return spend_fail(t, t->part_wants[p]);
        }
    }
    return r == 0 ? 0 : spend_fail(t, t->wants);
}

void spend_part_add(spend_table *t, const customer *c, int32_t day, double amount)
{
    int dec = -1; /* AMOUNT's decimal places, once it is in a window */
    for (uint32_t i = c->first; i != NONE; i = t->win[i].next) {
        window *w = &t->win[i];
        if (day < w->day) {
            if (day < w->day - t->w) continue;
            w->pre = dd_add(w->pre, amount);
        } else if (day > w->day && day <= w->day + t->w) {
            w->post = dd_add(w->post, amount);
        } else {
            continue;
        }
        if (dec < 0) dec = spend_decimals(amount);
        if ((unsigned)dec > w->dec) w->dec = (unsigned)dec;
    }
}

/* Part P's windows built from its wants, then its spooled rows added;
 * both files freed. */
static int sum_part(spend_table *t, size_t p)
{
    recspool *ws = t->part_wants[p], *rs = t->part_rows[p];
    t->n_win = 0;
    for (size_t c = p; c < t->n_cust; c += t->parts)
        if (t->cust[c].first == ELSEWHERE) t->cust[c].first = NONE;
    want_rec w;
    row_rec r;
    int k;
    if (recspool_rewind(ws) != 0) return spend_fail(t, ws);
    while ((k = recspool_next(ws, &w)) == 1)
        if (win_add(t, w.c, w.day) != 0) return spend_fail(t, NULL);
    if (k != 0) return spend_fail(t, ws);
    if (recspool_rewind(rs) != 0) return spend_fail(t, rs);
    while ((k = recspool_next(rs, &r)) == 1) spend_part_add(t, &t->cust[r.c], r.day, r.amount);
    if (k != 0) return spend_fail(t, rs);
    recspool_free(ws);
    recspool_free(rs);
    t->part_wants[p] = t->part_rows[p] = NULL;
    return 0;
}

/* W's two sums, each the double of its value at the window's D decimal
 * places (the most of its amounts, spendtab_int.h), and the delta post -
 * pre at D places, taken in integers of 10^-D: the same money is the same
 * double in any window.  A window whose D is past the rule's keeps its
 * correctly rounded sums and their difference. */
static sums_rec window_sums(const window *w)
{
    sums_rec x = {dd_round(w->pre), dd_round(w->post), 0};
    int d = (int)w->dec;
    double s = dec_scale(d), a = x.pre * s, b = x.post * s;
    if (d > SPEND_MAX_DECIMALS || !(fabs(a) < 0x1p50 && fabs(b) < 0x1p50)) {
        x.delta = x.post - x.pre;
        return x;
    }
    a = round(a);
    b = round(b);
    x.pre = a / s;
    x.post = b / s;
    x.delta = (b - a) / s; /* exact in integers below 2^51 */
    return x;
}

int spend_table_finish(spend_table *t)
{
    if (t->failed) return -1;
    if (t->summed) return 0;
    if (!t->parts && spend_parts_start(t) != 0) return -1;
    t->streaming = 1;
    if (t->parts > 1) {
        if (!(t->part_sums = calloc(t->parts, sizeof *t->part_sums))) return spend_fail(t, NULL);
        for (size_t p = 0; p < t->parts; p++) {
            if (p > 0 && sum_part(t, p) != 0) return -1;
            recspool *s = t->part_sums[p] = recspool_new_buf(sizeof(sums_rec), t->spool_buf);
            if (!s) return spend_fail(t, NULL);
            for (size_t i = 0; i < t->n_win; i++) {
                sums_rec x = window_sums(&t->win[i]);
                if (recspool_put(s, &x) != 0) return spend_fail(t, s);
            }
        }
        free(t->win);
        t->win = NULL;
        t->n_win = t->cap_win = 0;
        for (size_t c = 0; c < t->n_cust; c++) t->cust[c].first = NONE;
    }
    t->summed = 1;
    return 0;
}

/* The sums of handle H from the parts' files: the wants walked again from
 * the start when H is behind the last one read. */
static int sums_at(spend_table *t, size_t h)
{
    if (t->cursor && h == t->cursor - 1) return 0;
    if (h < t->cursor || !t->cursor) {
        if (recspool_rewind(t->wants) != 0) return spend_fail(t, t->wants);
        for (size_t p = 0; p < t->parts; p++)
            if (recspool_rewind(t->part_sums[p]) != 0) return spend_fail(t, t->part_sums[p]);
        t->cursor = 0;
    }
    while (t->cursor <= h) {
        want_rec w;
        if (recspool_next(t->wants, &w) != 1) return spend_fail(t, t->wants);
        recspool *s = t->part_sums[w.c % t->parts];
        if (recspool_next(s, &t->cur) != 1) return spend_fail(t, s);
        t->cursor++;
    }
    return 0;
}

int spend_table_windows(spend_table *t, long handle, double *pre, double *post, double *delta)
{
    sums_rec x = {0, 0, 0};
    int rc = 0;
    if (handle < 0 || (size_t)handle >= recspool_count(t->wants)) {
    } else if (spend_table_finish(t) != 0) {
        rc = -1;
    } else if (t->parts == 1) {
        if ((size_t)handle < t->n_win) x = window_sums(&t->win[handle]);
    } else if (t->part_sums) { /* else dropped */
        if (sums_at(t, (size_t)handle) != 0) rc = -1;
        else x = t->cur;
    }
    *pre = x.pre;
    *post = x.post;
    if (delta) *delta = x.delta;
    return rc;
}

void spend_table_drop_windows(spend_table *t)
{
    free(t->win);
    t->win = NULL;
    t->n_win = t->cap_win = 0;
    for (size_t p = 0; p < t->parts; p++) {
        if (t->part_wants) recspool_free(t->part_wants[p]);
        if (t->part_rows) recspool_free(t->part_rows[p]);
        if (t->part_sums) recspool_free(t->part_sums[p]);
    }
    free(t->part_wants);
    free(t->part_rows);
    free(t->part_sums);
    t->part_wants = t->part_rows = t->part_sums = NULL;
    for (size_t c = 0; c < t->n_cust; c++) t->cust[c].first = NONE;
    if (!t->parts) t->parts = 1; /* every handle reads 0 from now on */
    t->summed = t->streaming = 1;
}
