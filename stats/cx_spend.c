/* cx_spend.c — the spend part of the CX accumulator (cx_int.h): each
 * response with complete spend windows gets its windows from the spend
 * table and notes its groups (a few bytes, in a spool) as it comes; the
 * spend rows stream by after the responses, and at finish the noted parts
 * are read back in response order to add each delta to its groups, then
 * again for the spend rows' group passes.
 */
#include "stats/cx_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeparse.h"

/* The handle of R's spend windows when it has complete ones; -1 when it
 * has none (counted), -2 when out of memory. */
long cx_spend_windows(cxa *a, const cx_response *r)
{
    if (!r->customer_id[0]) {
        a->cover.spend_no_customer++;
        return -1;
    }
    int64_t d = time_day(r->responded_at), w = a->o->spend_window_days;
    if (!a->cover.has_spend || d - w < a->cover.spend_first || d + w > a->cover.spend_last) {
        a->cover.spend_excluded++;
        return -1;
    }
    long h = spend_table_want(a->spend, r->customer_id, d);
    if (h < 0 && spend_table_errno(a->spend)) {
        /* the wants' temporary file failed (a full disk): said at the
         * end with its reason, as the deferred parts' failure is */
        if (!a->def_err) a->def_err = spend_table_errno(a->spend);
        a->def_failed = 1;
        return -1;
    }
    if (h < 0 || (unsigned long)h >= UINT32_MAX) return -2;
    a->cover.spend_used++;
    return h;
}

int cx_defer(cxa *a, const deferred *d, const size_t *slots)
{
    if (!a->def && !(a->def = recspool_new(sizeof a->cur.d + a->n_by * sizeof *a->cur.slots))) return -1;
    a->cur.d = *d;
    for (size_t i = 0; i < a->n_by; i++) a->cur.slots[i] = (uint32_t)slots[i];
    unsigned char rec[sizeof a->cur];
    memcpy(rec, &a->cur.d, sizeof a->cur.d);
    memcpy(rec + sizeof a->cur.d, a->cur.slots, a->n_by * sizeof *a->cur.slots);
    return recspool_put(a->def, rec);
}

/* The deferred part of response K into a->cur: K is 0 (read from the
 * start) or one more than the last one read.  0 ok, -1 on failure. */
static int deferred_at(cxa *a, size_t k)
{
    if (k == a->cur_k) return 0;
    if (k == 0 ? recspool_rewind(a->def) != 0 : k != a->cur_k + 1) return -1;
    unsigned char rec[sizeof a->cur];
    if (recspool_next(a->def, rec) != 1) return -1;
    memcpy(&a->cur.d, rec, sizeof a->cur.d);
    memcpy(a->cur.slots, rec + sizeof a->cur.d, a->n_by * sizeof *a->cur.slots);
    a->cur_k = k;
    return 0;
}

/* The spend part of every response with complete windows, in the order
 * the responses came: the deltas of each group in the same order as
 * when they were summed on the way.  The windows are freed once read;
 * the deferred parts stay until the spend rows are made (spend_group). */
int cx_replay(cxa *a)
{
    if (a->replayed) return 0;
    int rc = 0;
    size_t n = a->def ? recspool_count(a->def) : 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        if (deferred_at(a, k) != 0) {
            a->def_failed = 1;
            return -1;
        }
        const deferred *d = &a->cur.d;
        const uint32_t *slots = a->cur.slots;
        double pre, post, delta;
        if (spend_table_windows(a->spend, (long)d->handle, &pre, &post, &delta) != 0) {
            a->def_err = spend_table_errno(a->spend);
            a->def_failed = a->def_err != 0;
            return -1;
        }
        size_t groups[2 + STATS_MAX_BY];
        groups[0] = d->cls_group;
        groups[1] = d->out_group;
        for (size_t i = 0; i < a->n_by; i++)
            groups[2 + i] = slots[i] ? CX_SPEND_SEG0 + slots[i] - 1 : SIZE_MAX;
        rc |= spend_acc_add(a->sp, groups, 2 + a->n_by, pre, post, delta);
        if (d->flags & DEF_IN_MONTH)
            mot_acc_spend(a->mot, d->type, (cx_outcome)d->out, delta, (d->flags & DEF_UNLABELLED) != 0);
    }
    if (rc) return -1;
    a->replayed = 1;
    if (a->spend) spend_table_drop_windows(a->spend);
    return 0;
}

/* spend_group_fn over the deferred parts, read again from the start for
 * each pass (k = 0, 1, 2, …). */
static size_t spend_group(void *ctx, size_t k, size_t f)
{
    cxa *a = ctx;
    if (deferred_at(a, k) != 0) {
        a->def_failed = 1;
        return SIZE_MAX;
    }
    if (f == 0) return a->cur.d.cls_group;
    if (f == 1) return a->cur.d.out_group;
    uint32_t slot = a->cur.slots[f - 2];
    return slot ? CX_SPEND_SEG0 + slot - 1 : SIZE_MAX;
}

static void drop_deferred(cxa *a)
{
    if (a->def && !a->def_err) a->def_err = recspool_errno(a->def);
    recspool_free(a->def);
    a->def = NULL;
    a->cur_k = SIZE_MAX;
}

/* The spend rows; then the deltas and the deferred parts are freed before
 * the customers are ranked (hic.c).  Once only: a second call fails. */
int cx_spend_rows(cxa *a, cx_results *r)
{
    if (!a->sp) return -1;
    int rc = spend_acc_finish(a->sp, 2 + a->n_by, spend_group, a, a->order, a->n_slots, a->o->confidence, r);
    if (a->def_failed) rc = -1;
    drop_deferred(a);
    spend_acc_free(a->sp);
    a->sp = NULL;
    return rc;
}
