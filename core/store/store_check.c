/* store_check.c — see store_check.h. */
#include "core/store/store_check.h"
#include "core/num.h"
#include "core/timeparse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define KEY_SHOWN 60 /* bytes of a key shown in a message */

/* S cut to KEY_SHOWN bytes with control characters as '?', into BUF. */
static const char *shown(const char *s, char *buf, size_t cap)
{
    size_t n = 0;
    for (; s && s[n] && n < KEY_SHOWN && n + 4 < cap; n++)
        buf[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7F ? '?' : s[n];
    if (s && s[n] && n + 4 < cap) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static int
fail(char *err, size_t errlen, const char *table, const char *k1, const char *k2, const char *fmt, ...)
{
    char a[KEY_SHOWN + 8], b[KEY_SHOWN + 8], why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (k2)
        snprintf(err, errlen, "store: %s ('%s', '%s'): %s", table, shown(k1, a, sizeof a),
                 shown(k2, b, sizeof b), why);
    else if (k1) snprintf(err, errlen, "store: %s ('%s'): %s", table, shown(k1, a, sizeof a), why);
    else snprintf(err, errlen, "store: %s: %s", table, why);
    return -1;
}

static int time_ok(int64_t t) { return t >= CX_TIME_MIN && t <= CX_TIME_MAX; }

int store_check_response(const cx_response *r, int month, int moments_ok, char *err, size_t errlen)
{
    const char *t = "responses", *s = r->source, *id = r->response_id;
    if (!id[0]) return fail(err, errlen, t, s, id, "response_id is empty");
    if ((unsigned)r->metric >= CX_METRIC_COUNT)
        return fail(err, errlen, t, s, id, "metric is not one cxpulse knows");
    int lo, hi;
    cx_metric_range(r->metric, &lo, &hi);
    if (r->score < lo || r->score > hi)
        return fail(err, errlen, t, s, id, "score %d is outside %d..%d (%s)", r->score, lo, hi,
                    cx_metric_code(r->metric));
    if (!time_ok(r->responded_at))
        return fail(err, errlen, t, s, id, "responded_at %lld is outside the accepted time range",
                    (long long)r->responded_at);
    if (!time_ok(r->updated_at))
        return fail(err, errlen, t, s, id, "updated_at %lld is outside the accepted time range",
                    (long long)r->updated_at);
    if (month != time_month_key(r->responded_at))
        return fail(err, errlen, t, s, id, "month %d does not match responded_at", month);
    if (r->has_handle_time && !cx_num_ok(r->handle_time_s, 0))
        return fail(err, errlen, t, s, id, "handle_time_s %g is not a number in 0..1e15", r->handle_time_s);
    if (!moments_ok) return fail(err, errlen, t, s, id, "moments are not a list of integers");
    return 0;
}

int store_check_customer(const char *customer_id, double annual_value, char *err, size_t errlen)
{
    if (!isnan(annual_value) && !cx_num_ok(annual_value, 0))
        return fail(err, errlen, "customers", customer_id, NULL, "annual_value %g is not a number in 0..1e15",
                    annual_value);
    return 0;
}

int store_check_spend(const char *customer_id, int64_t day, double amount, char *err, size_t errlen)
{
    if (day < CX_DAY_MIN || day > CX_DAY_MAX)
        return fail(err, errlen, "spend", customer_id, NULL, "day %lld is outside the accepted date range",
                    (long long)day);
    if (!cx_num_ok(amount, 1))
        return fail(err, errlen, "spend", customer_id, NULL, "amount %g is not a number in -1e15..1e15",
                    amount);
    return 0;
}

int store_check_group(int64_t month, const int64_t *score, char *err, size_t errlen)
{
    if (month < CX_MONTH_MIN || month > CX_MONTH_MAX)
        return fail(err, errlen, "responses", NULL, NULL, "month %lld is outside the accepted range",
                    (long long)month);
    if (score && (*score < 0 || *score > 10))
        return fail(err, errlen, "responses", NULL, NULL, "score %lld is outside 0..10", (long long)*score);
    return 0;
}

int store_check_type(const char *table, const char *key1, const char *key2, const char *column, char *err,
                     size_t errlen)
{
    return fail(err, errlen, table, key1, key2, "%s holds a value of the wrong type", column);
}
