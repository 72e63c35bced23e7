/* cx_int.h — what the files of the CX accumulator share (stats/cx.h):
 * its state, and the spend part of each response, noted as the responses
 * come and added at finish once the spend rows have summed the windows.
 * Owner: stats/cx.c (the accumulator, its segments and finish);
 * stats/cx_spend.c (the spend part).  Not for use outside them.
 */
#ifndef CX_STATS_CX_INT_H
#define CX_STATS_CX_INT_H

#include "stats/cx.h"
#include "stats/recspool.h"
#include "core/strmap.h"

#include <stdint.h>

/* The spend part of a response, added at finish once the windows are
 * summed. */
typedef struct deferred {
    uint32_t handle;              /* spend_table_want's */
    int32_t type;                 /* mot_acc_type, -1 routine */
    uint8_t cls_group, out_group; /* spend groups: class (0 P, 1 A, 2 D), outcome */
    uint8_t out;                  /* cx_outcome */
    uint8_t flags;                /* DEF_IN_MONTH, DEF_UNLABELLED */
} deferred;
enum { DEF_IN_MONTH = 1, DEF_UNLABELLED = 2 };

struct cxa {
    const stats_opts *o;
    size_t n_by; /* o->n_by, at most STATS_MAX_BY */
    const cust_table *cust;
    spend_table *spend;
    recspool *def; /* deferred parts, in response order */
    struct {       /* the one spend_group read last */
        deferred d;
        uint32_t slots[STATS_MAX_BY];
    } cur;
    size_t cur_k;   /* its number, or SIZE_MAX */
    int def_failed; /* reading the deferred parts failed */
    int hic_err;    /* errno of bringing the customers back (hic_acc_back) */
    int def_err;    /* and its errno (0: none known) */
    int replayed;
    cx_spend_cover cover; /* counted as responses come */

    strmap *seg[STATS_MAX_BY]; /* per dimension: segment -> slot */
    cx_slot_label *labels;     /* by slot; 0 = all/all */
    size_t n_slots, cap_slots;

    pe_acc *pe;
    mot_acc *mot;
    spend_acc *sp;
    hic_acc *hic;

    long long responses;
    int finished;
    cx_slot_label *order; /* slots in output order (owned) */
    cx_results res;
};

/* stats/cx_spend.c.  The handle of R's spend windows when it has complete
 * ones; -1 when it has none (counted), -2 when out of memory. */
long cx_spend_windows(cxa *a, const cx_response *r);
/* D and the response's segment SLOTS noted, in response order: 0, -1. */
int cx_defer(cxa *a, const deferred *d, const size_t *slots);
/* The spend part of every noted response added (once): 0, -1. */
int cx_replay(cxa *a);
/* The spend rows into R; the deltas and noted parts freed.  0, -1. */
int cx_spend_rows(cxa *a, cx_results *r);

#endif
