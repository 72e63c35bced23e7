/* store_check.h — values read back from a store are checked like input.
 *
 * A store file can be damaged or edited by hand, and a PostgreSQL table by
 * anyone with access: a score of 99 used as an array index, a time near
 * INT64_MAX in time arithmetic or a text where a number belongs would be
 * undefined behaviour or a silently wrong answer.  Every backend's read
 * path hands each value it reads to these checks; a failure is an error
 * naming the table and the row's key, written into ERR as
 * "store: TABLE (KEY): why" (text from the store is cut and its control
 * characters replaced), and the read stops.
 *
 * The bounds are the input rules: a known metric and a score on its scale
 * (cx_metric_check), times and days in CX_TIME_MIN .. CX_TIME_MAX
 * (timeparse.h), month keys matching their responded_at, numbers finite
 * within CX_NUM_MAX (core/num.h), handle time and annual value not
 * negative.
 *
 * Owner: core/store/store_check.c.  No allocation, no I/O.
 */
#ifndef CX_STORE_CHECK_H
#define CX_STORE_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "core/model.h"

/* A stored integer as the int a response holds, large values held at
 * +-999999: still outside every range checked, and the message shows them
 * as such. */
static inline int store_clamp_int(long long v)
{
    return v > 999999 ? 999999 : v < -999999 ? -999999 : (int)v;
}

/* A stored moments list ("3;4;2") into R's moments, as every read of the
 * store parses it: values within +-1000000 (store_check_response then
 * holds them to the configured scale).  1 parsed, 0 not. */
static inline int store_parse_moments(const char *text, cx_response *r)
{
    const char *why;
    return cx_parse_moments(text, -1000000, 1000000, r->moments, &r->n_moments, &why) == 0;
}

/* A response as read: R (its moments already parsed; MOMENTS_OK 0 when
 * the stored list did not parse) and its stored month key (MONTH; pass
 * time_month_key(r->responded_at) when the backend does not read it). */
int store_check_response(const cx_response *r, int month, int moments_ok, char *err, size_t errlen);
/* A customer: ANNUAL_VALUE NaN stands for an empty one. */
int store_check_customer(const char *customer_id, double annual_value, char *err, size_t errlen);
int store_check_spend(const char *customer_id, int64_t day, double amount, char *err, size_t errlen);
/* An aggregate row of responses: a month key, and a score when SCORE is
 * not NULL. */
int store_check_group(int64_t month, const int64_t *score, char *err, size_t errlen);
/* A score or time column held a value of the wrong type (SQLite keeps
 * what it is given): TABLE, KEY as above, COLUMN the column's name. */
int store_check_type(const char *table, const char *key1, const char *key2, const char *column, char *err,
                     size_t errlen);

#endif
