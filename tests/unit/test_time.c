/* test_time.c — unit tests for core/timeparse.c (and the day and month
 * keys of a parsed time; core/timecal.c's calendar: test_timecal.c).
 *
 * Expected epoch values were computed once, independently of this code,
 * with Python's datetime module, e.g.
 *   python3 -c 'import datetime as d; print(int(d.datetime.fromisoformat(
 *               "2026-03-01T00:30:00+01:00").timestamp()))'
 * and cross-checked with GNU date (`date -u -d '2026-03-01T00:30:00+01:00' +%s`).
 */
#include "core/timeparse.h"

#include <check.h>

#include "run_suite.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t parse_ok(const char *s)
{
    int64_t t = 12345;
    const char *why = NULL;
    int rc = time_parse(s, &t, &why);
    ck_assert_msg(rc == 0, "time_parse(\"%s\") failed: %s", s, why ? why : "(null)");
    return t;
}

static void parse_fails(const char *s, const char *expect)
{
    int64_t t = 777;
    const char *why = NULL;
    ck_assert_msg(time_parse(s, &t, &why) == -1, "time_parse(\"%s\") should fail", s);
    ck_assert_msg(why && strstr(why, expect), "time_parse(\"%s\"): got \"%s\", want \"%s\"", s,
                  why ? why : "(null)", expect);
    ck_assert_int_eq(t, 777); /* *out untouched on failure */
}

/* Source: Python datetime (see top of file). */
static const struct {
    const char *s;
    int64_t t;
} iso_cases[] = {
    {"2026-01-02T03:04:05Z", 1767323045},
    {"2026-01-02 03:04:05Z", 1767323045},
    {"2026-01-02T03:04:05", 1767323045}, /* no zone: UTC */
    {"2026-01-02T03:04:05+00:00", 1767323045},
    {"2026-01-02t03:04:05z", 1767323045},           /* RFC 3339 allows lower case */
    {"2026-01-02T03:04:05.999999999Z", 1767323045}, /* fraction truncated */
    {"2026-01-02T03:04:05.5", 1767323045},
    {"2026-01-02T03:04:05.000000000000000000001Z", 1767323045},
    {"2026-01-02T03:04Z", 1767323040},         /* seconds optional */
    {"2026-03-01T00:30:00+01:00", 1772321400}, /* = 2026-02-28T23:30:00Z */
    {"2026-03-01T00:30:00+0100", 1772321400},
    {"2026-03-01T00:30:00+01", 1772321400},
    {"2026-06-15T10:20:00-05:30", 1781538600},
    {"2026-06-15T10:20:00+0530", 1781499000},
    {"2026-06-15T10:20:00-08:00", 1781547600},
    {"2025-12-31T23:00:00-02:00", 1767229200}, /* next year in UTC */
    {"2024-02-29T00:00:00Z", 1709164800},
    {"2024-02-29", 1709164800}, /* date only: midnight UTC */
    {"2000-02-29T12:00:00Z", 951825600},
    {"1900-03-01", -2203891200},
    {"1969-12-31T23:59:59Z", -1},
    {"1970-01-01T00:00:00Z", 0},
    {"1900-01-01T00:00:00Z", -2208988800}, /* CX_TIME_MIN */
    {"9999-12-31T23:59:59Z", 253402300799},
    {"2016-12-31T23:59:60Z", 1483228799}, /* leap second kept as :59 */
};

START_TEST(test_iso_valid)
{
    for (size_t i = 0; i < sizeof iso_cases / sizeof *iso_cases; i++)
        ck_assert_msg(parse_ok(iso_cases[i].s) == iso_cases[i].t, "%s: got %lld want %lld", iso_cases[i].s,
                      (long long)parse_ok(iso_cases[i].s), (long long)iso_cases[i].t);
}
END_TEST

START_TEST(test_unix_seconds)
{
    ck_assert_int_eq(parse_ok("0"), 0);
    ck_assert_int_eq(parse_ok("1700000000"), 1700000000); /* date -u -d @1700000000 */
    ck_assert_int_eq(parse_ok("-1"), -1);
    ck_assert_int_eq(parse_ok("-0"), 0);
    ck_assert_int_eq(parse_ok("1.999"), 1); /* floor */
    ck_assert_int_eq(parse_ok("1700000000.5"), 1700000000);
    ck_assert_int_eq(parse_ok("-1.5"), -2); /* floor, not toward zero */
    ck_assert_int_eq(parse_ok("-0.5"), -1);
    ck_assert_int_eq(parse_ok("-2.000"), -2);
    ck_assert_int_eq(parse_ok("0012"), 12);
    ck_assert_int_eq(parse_ok("2024"), 2024); /* 4 digits without '-' */
    ck_assert_int_eq(parse_ok("253402300799"), 253402300799);
    ck_assert_int_eq(parse_ok("-2208988800"), -2208988800);
}
END_TEST

START_TEST(test_errors)
{
    parse_fails("", "empty timestamp");
    parse_fails(NULL, "empty timestamp");
    parse_fails(" 2026-01-01", "leading or trailing space");
    parse_fails("2026-01-01 ", "leading or trailing space");
    parse_fails("17\t", "leading or trailing space");
    parse_fails("2026-1-01", "bad date");
    parse_fails("2026-01-1", "bad date");
    parse_fails("2026-01-011", "bad date");
    parse_fails("2026/01/01", "not a timestamp");
    parse_fails("abc", "not a timestamp");
    parse_fails("12a", "not a timestamp");
    parse_fails("-", "not a timestamp");
    parse_fails("--1", "not a timestamp");
    parse_fails("+5", "not a timestamp");
    parse_fails("1.", "no digits after the decimal point");
    parse_fails("1.x", "no digits after the decimal point");
    parse_fails("2026-00-10", "month out of range");
    parse_fails("2026-13-10", "month out of range");
    parse_fails("2026-01-00", "day out of range");
    parse_fails("2026-01-32", "day out of range");
    parse_fails("2026-04-31", "day out of range");
    parse_fails("2023-02-29", "day out of range");
    parse_fails("1900-02-29", "day out of range");
    parse_fails("2026-01-01X10:00", "expected 'T' or space");
    parse_fails("2026-01-01T", "bad time");
    parse_fails("2026-01-01T1:00", "bad time");
    parse_fails("2026-01-01T10", "bad time");
    parse_fails("2026-01-01T10:0", "bad time");
    parse_fails("2026-01-01T10:000", "bad time");
    parse_fails("2026-01-01T10:00:5", "bad time");
    parse_fails("2026-01-01T10:00:555", "bad time");
    parse_fails("2026-01-01T24:00:00Z", "hour out of range");
    parse_fails("2026-01-01T10:60:00Z", "minute out of range");
    parse_fails("2026-01-01T10:00:61Z", "second out of range");
    parse_fails("2026-01-01T10:00:00.Z", "no digits after the decimal point");
    parse_fails("2026-01-01T10:00:00+1", "bad zone offset");
    parse_fails("2026-01-01T10:00:00+01:", "bad zone offset");
    parse_fails("2026-01-01T10:00:00+01:3", "bad zone offset");
    parse_fails("2026-01-01T10:00:00+013", "bad zone offset");
    parse_fails("2026-01-01T10:00:00+24:00", "zone offset out of range");
    parse_fails("2026-01-01T10:00:00+01:60", "zone offset out of range");
    parse_fails("2026-01-01T10:00:00ZZ", "trailing characters");
    parse_fails("2026-01-01T10:00:00+01:00x", "trailing characters");
    parse_fails("2026-01-01T10:00:00 UTC", "trailing characters");
    parse_fails("2026-01-01T10:00.5", "trailing characters");
    parse_fails("1900-01-01T00:30:00+01:00", "timestamp out of range");
    /* Before 1900 is outside the documented range (docs/formats.md): year
     * 0000 would give month key 0, the "all months" marker. */
    parse_fails("0000-01-01", "timestamp out of range");
    parse_fails("0000-01-15T10:00:00Z", "timestamp out of range");
    parse_fails("1899-12-31T23:59:59Z", "timestamp out of range");
    parse_fails("1600-02-29", "timestamp out of range");
    parse_fails("-2208988801", "timestamp out of range");
    parse_fails("9999-12-31T23:30:00-01:00", "timestamp out of range");
    parse_fails("253402300800", "timestamp out of range");
    parse_fails("99999999999999999999999999", "timestamp out of range");
}
END_TEST

START_TEST(test_why_optional)
{
    int64_t t;
    int32_t d;
    ck_assert_int_eq(time_parse("nope", &t, NULL), -1);
    ck_assert_int_eq(date_parse("nope", &d, NULL), -1);
}
END_TEST

START_TEST(test_date_parse)
{
    /* Source: Python, (date.fromisoformat(s) - date(1970, 1, 1)).days */
    static const struct {
        const char *s;
        int32_t d;
    } ok[] = {
        {"1970-01-01", 0},      {"2024-02-29", 19782},   {"2000-03-01", 11017}, {"1900-02-28", -25509},
        {"1900-01-01", -25567}, {"9999-12-31", 2932896}, {"2026-02-28", 20512},
    };
    int32_t d;
    const char *why = NULL;

    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        ck_assert_int_eq(date_parse(ok[i].s, &d, &why), 0);
        ck_assert_int_eq(d, ok[i].d);
    }
    ck_assert_int_eq(date_parse("2024-02-30", &d, &why), -1);
    ck_assert_str_eq(why, "day out of range");
    ck_assert_int_eq(date_parse("2024-13-01", &d, &why), -1);
    ck_assert_str_eq(why, "month out of range");
    ck_assert_int_eq(date_parse("2024-02-01T00:00", &d, &why), -1);
    ck_assert_str_eq(why, "trailing characters after date");
    ck_assert_int_eq(date_parse("24-02-01", &d, &why), -1);
    ck_assert_str_eq(why, "bad date (expected YYYY-MM-DD)");
    ck_assert_int_eq(date_parse("", &d, &why), -1);
    ck_assert_str_eq(why, "empty date");
    ck_assert_int_eq(date_parse("1899-12-31", &d, &why), -1);
    ck_assert_str_eq(why, "date out of range");
    ck_assert_int_eq(date_parse("0000-01-01", &d, &why), -1);
    ck_assert_str_eq(why, "date out of range");
}
END_TEST

START_TEST(test_civil_known)
{
    /* Source: Python, random dates in 0001..9999 with their day numbers. */
    static const struct {
        const char *s;
        int64_t d;
    } v[] = {
        {"3719-10-10", 639091},  {"1733-04-18", -86455},  {"4535-01-01", 936847},  {"7476-01-31", 2011055},
        {"0555-07-03", -516635}, {"0832-10-30", -415343}, {"9432-03-14", 2725512}, {"6154-11-12", 1528490},
        {"1081-12-15", -324352}, {"4200-06-07", 814648},  {"6693-07-07", 1725228}, {"0667-01-15", -475897},
        {"5828-03-13", 1409177}, {"2466-07-06", 181347},  {"0431-08-03", -561894}, {"0987-12-26", -358674},
        {"4980-10-26", 1099679}, {"4803-02-17", 1034779}, {"0803-03-12", -426168}, {"2764-09-06", 290251},
        {"1042-09-18", -338685}, {"6329-01-06", 1592097}, {"4876-01-06", 1061400}, {"0679-10-21", -471235},
    };
    char buf[16];
    int32_t d;

    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        date_format(v[i].d, buf);
        ck_assert_str_eq(buf, v[i].s);
        if (v[i].d < CX_DAY_MIN) { /* before 1900: formats, not accepted */
            ck_assert_int_eq(date_parse(v[i].s, &d, NULL), -1);
            continue;
        }
        ck_assert_int_eq(date_parse(v[i].s, &d, NULL), 0);
        ck_assert_int_eq(d, v[i].d);
    }
}
END_TEST

START_TEST(test_format_iso)
{
    char buf[TIME_ISO_LEN];
    time_format_iso(1772321400, buf);
    ck_assert_str_eq(buf, "2026-02-28T23:30:00Z");
    time_format_iso(0, buf);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
    time_format_iso(-1, buf);
    ck_assert_str_eq(buf, "1969-12-31T23:59:59Z");
    time_format_iso(1700000000, buf);
    ck_assert_str_eq(buf, "2023-11-14T22:13:20Z"); /* date -u -d @1700000000 */
    time_format_iso(253402300799, buf);
    ck_assert_str_eq(buf, "9999-12-31T23:59:59Z");
    time_format_iso(-62167219200, buf);
    ck_assert_str_eq(buf, "0000-01-01T00:00:00Z");
    /* Every ISO case formats back to a string that parses to the same value. */
    for (size_t i = 0; i < sizeof iso_cases / sizeof *iso_cases; i++) {
        time_format_iso(iso_cases[i].t, buf);
        ck_assert_int_eq(parse_ok(buf), iso_cases[i].t);
    }
    /* Seconds round trip over a stretch of negative and positive times. */
    for (int64_t t = -200000; t <= 200000; t += 7) {
        int64_t back = 0;
        time_format_iso(t * 3601, buf);
        if (time_parse(buf, &back, NULL) != 0 || back != t * 3601)
            ck_abort_msg("%lld formatted as %s", (long long)(t * 3601), buf);
    }
}
END_TEST

/* The formatter by hand against the C library: gmtime_r's fields through
 * the "%04d-%02d-%02dT%02d:%02d:%02dZ" the formatter used to snprintf,
 * every hour over the years 1 to 9999 (a step prime to the day's length),
 * every second of two days, and the edges of the range it writes by hand. */
static void same_as_libc(int64_t t)
{
    char got[TIME_ISO_LEN], want[64];
    time_t tt = (time_t)t;
    struct tm tm;
    ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
    snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    time_format_iso(t, got);
    if (strcmp(got, want) != 0) ck_abort_msg("%lld: %s, libc %s", (long long)t, got, want);
}

START_TEST(test_format_iso_libc)
{
    for (int64_t t = -62135596800; t <= 253402300799; t += 3600LL * 24 * 7 + 3593) same_as_libc(t);
    for (int64_t t = 1772236800 - 86400; t < 1772236800 + 86400; t++) same_as_libc(t);
    const int64_t edge[] = {-62167219200, -62167219199, -62135596801, 0,
                            -1,           253402300799, 951782400,    951868799};
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) same_as_libc(edge[i]);
}
END_TEST

START_TEST(test_day_and_month_keys)
{
    ck_assert_int_eq(time_day(0), 0);
    ck_assert_int_eq(time_day(86399), 0);
    ck_assert_int_eq(time_day(86400), 1);
    ck_assert_int_eq(time_day(-1), -1);
    ck_assert_int_eq(time_day(-86400), -1);
    ck_assert_int_eq(time_day(-86401), -2);
    ck_assert_int_eq(time_month_key(0), 1970 * 12);
    ck_assert_int_eq(time_month_key(-1), 1969 * 12 + 11);
    ck_assert_int_eq(time_month_key(1772321400), 2026 * 12 + 1); /* 2026-02-28T23:30Z */
    ck_assert_int_eq(time_month_key(parse_ok("2026-03-01T00:30:00+01:00")), 2026 * 12 + 1);
    ck_assert_int_eq(time_month_key(parse_ok("2026-03-01T00:30:00Z")), 2026 * 12 + 2);
    ck_assert_int_eq(day_month_key(19782), 2024 * 12 + 1); /* 2024-02-29 */
    ck_assert_int_eq(day_month_key(-719528), 0);           /* 0000-01-01 */
    ck_assert_int_eq(day_month_key(2932896), 9999 * 12 + 11);
}
END_TEST

START_TEST(test_month_format_parse)
{
    char buf[16];
    int key = -1;

    month_format(2026 * 12 + 0, buf);
    ck_assert_str_eq(buf, "2026-01");
    month_format(2026 * 12 + 11, buf);
    ck_assert_str_eq(buf, "2026-12");
    month_format(0, buf);
    ck_assert_str_eq(buf, "0000-01");
    month_format(-1, buf);
    ck_assert_str_eq(buf, "-001-12");
    ck_assert_int_eq(month_parse("2026-02", &key), 0);
    ck_assert_int_eq(key, 2026 * 12 + 1);
    ck_assert_int_eq(month_parse("0000-01", &key), -1); /* 0 is "all months" */
    ck_assert_int_eq(month_parse("1899-12", &key), -1);
    ck_assert_int_eq(month_parse("1900-01", &key), 0);
    ck_assert_int_eq(key, CX_MONTH_MIN);
    for (int k = 1900 * 12; k < 2100 * 12; k++) {
        month_format(k, buf);
        if (month_parse(buf, &key) != 0 || key != k) ck_abort_msg("month key %d formatted as %s", k, buf);
    }
    key = 42;
    ck_assert_int_eq(month_parse("2026-00", &key), -1);
    ck_assert_int_eq(month_parse("2026-13", &key), -1);
    ck_assert_int_eq(month_parse("2026-1", &key), -1);
    ck_assert_int_eq(month_parse("2026-011", &key), -1);
    ck_assert_int_eq(month_parse("2026-01-01", &key), -1);
    ck_assert_int_eq(month_parse("26-01", &key), -1);
    ck_assert_int_eq(month_parse("2026/01", &key), -1);
    ck_assert_int_eq(month_parse(" 2026-01", &key), -1);
    ck_assert_int_eq(month_parse("", &key), -1);
    ck_assert_int_eq(month_parse(NULL, &key), -1);
    ck_assert_int_eq(key, 42);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timeparse");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_iso_valid);
    tcase_add_test(tc, test_unix_seconds);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_why_optional);
    tcase_add_test(tc, test_date_parse);
    tcase_add_test(tc, test_civil_known);
    tcase_add_test(tc, test_format_iso);
    tcase_add_test(tc, test_format_iso_libc);
    tcase_add_test(tc, test_day_and_month_keys);
    tcase_add_test(tc, test_month_format_parse);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
