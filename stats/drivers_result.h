/* drivers_result.h — the finished drivers of one run (drivers.csv): the
 * change of NPS from the month before the report month to the report
 * month, split per --by segment into rate and mix effects.  Plain data,
 * read by report/ and never changed there.
 * Owner: stats/drivers.c makes and frees it.  "Undefined" numbers are NaN.
 */
#ifndef CX_DRIVERS_RESULT_H
#define CX_DRIVERS_RESULT_H

#include <stddef.h>
#include <stdint.h>

typedef struct driver_row {
    size_t dim;                /* i+1 = the i-th --by dimension */
    char *segment;             /* owned */
    int64_t n_prev, n;         /* responses of the segment in m0, m1 (0 = absent) */
    double nps_prev, nps;      /* the segment's NPS in m0, m1; NaN when absent */
    double w_prev, w;          /* shares of the dimension's responses in m0, m1 */
    double rate, mix, total;   /* effects in NPS points; total = rate + mix */
    double se_rate, z, p_rate; /* NaN when absent in a month or the SE is 0 */
    int significant;           /* p_rate < 1 − confidence; −1 when p is undefined */
} driver_row;

/* One dimension: NPS over the responses that have it, in m0 and m1.  The
 * rows' total effects sum to nps − nps_prev (up to rounding). */
typedef struct driver_dim {
    int64_t n_prev, n;
    double nps_prev, nps; /* NaN when the dimension has no response that month */
    size_t first, count;  /* its rows: rows[first .. first+count) */
} driver_dim;

typedef struct drivers {
    int month, prev_month; /* month keys; 0 when there is no report month */
    size_t n_by;
    driver_dim *dims; /* n_by entries; dims[i] is dimension i+1 */
    driver_row *rows; /* by dimension (--by order), then segment (byte order) */
    size_t nrows;
} drivers;

#endif
