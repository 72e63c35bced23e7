/* fuzz_time.c — the timestamp and date parsers (core/timeparse.c:
 * time_parse, date_parse, month_parse) and the HTTP date parsers
 * (ingest/http_util.c: http_parse_date, http_parse_retry_after) on
 * arbitrary text.
 *
 * Properties checked: an accepted timestamp lies in 0000..9999 and
 * formats back (time_format_iso) to text that parses to the same second;
 * an accepted date or month formats back to itself; a date is also a
 * timestamp at midnight UTC; Retry-After never gives a negative or
 * non-finite wait.
 */
#include "tests/fuzz/fuzz.h"

#include <math.h>

#include "core/timeparse.h"
#include "ingest/http.h"

#define TIME_MIN CX_TIME_MIN
#define HTTP_TIME_MIN (-62167219200LL) /* an HTTP date may name any year from 0000 */
#define TIME_MAX 253402300799LL

static void check_time(const char *s)
{
    int64_t t, back;
    const char *why = NULL;
    char buf[TIME_ISO_LEN];
    if (time_parse(s, &t, &why) != 0) {
        FUZZ_CHECK(why != NULL && why[0]);
        return;
    }
    FUZZ_CHECK(t >= TIME_MIN && t <= TIME_MAX);
    time_format_iso(t, buf);
    FUZZ_CHECK(strlen(buf) == 20);
    FUZZ_CHECK(time_parse(buf, &back, &why) == 0 && back == t);
    int key = time_month_key(t);
    FUZZ_CHECK(key >= 0 && key < 10000 * 12);
    FUZZ_CHECK(time_day(t) * 86400 <= t && t < (time_day(t) + 1) * 86400);
}

static void check_date(const char *s)
{
    int32_t days;
    int64_t t;
    const char *why = NULL;
    char buf[16];
    if (date_parse(s, &days, &why) != 0) {
        FUZZ_CHECK(why != NULL && why[0]);
        return;
    }
    date_format(days, buf);
    FUZZ_CHECK(strcmp(buf, s) == 0);
    FUZZ_CHECK(time_parse(s, &t, &why) == 0 && t == (int64_t)days * 86400);
}

static void check_month(const char *s)
{
    int key, back;
    char buf[16];
    if (month_parse(s, &key) != 0) return;
    month_format(key, buf);
    FUZZ_CHECK(strcmp(buf, s) == 0);
    FUZZ_CHECK(month_parse(buf, &back) == 0 && back == key);
}

static void check_http(const char *s)
{
    int64_t t;
    double secs;
    if (http_parse_date(s, &t) == 0) FUZZ_CHECK(t >= HTTP_TIME_MIN && t <= TIME_MAX);
    if (http_parse_retry_after(s, 1700000000, &secs) == 0) FUZZ_CHECK(isfinite(secs) && secs >= 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *s = fuzz_cstr(data, size);
    check_time(s);
    check_date(s);
    check_month(s);
    check_http(s);
    free(s);
    return 0;
}
