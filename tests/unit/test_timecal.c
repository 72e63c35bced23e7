/* test_timecal.c — unit tests for core/timecal.c: the civil-date
 * conversions against a naive calendar walked day by day, and the month
 * key of a day, in any order, against civil_from_days.
 */
#include "core/timeparse.h"

#include <check.h>

#include "run_suite.h"
#include <stdint.h>
#include <stdio.h>

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Walks day by day through 0000-01-01 .. 9999-12-31 with a naive calendar
 * and checks both directions of the Hinnant conversion against it. */
START_TEST(test_civil_walk)
{
    static const unsigned mlen[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, yy;
    unsigned m = 1, d = 1, mm, dd;
    char buf[16], want[40];
    int32_t back;

    /* Plain ifs: a ck_assert per iteration writes to Check's pipe each time. */
    for (int64_t z = -719528; z <= 2932896; z++) {
        if (days_from_civil(y, m, d) != z)
            ck_abort_msg("days_from_civil(%d, %u, %u) != %lld", y, m, d, (long long)z);
        civil_from_days(z, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d)
            ck_abort_msg("civil_from_days(%lld) = %d-%u-%u", (long long)z, yy, mm, dd);
        if (z % 97 == 0) { /* format/parse round trip on a sample of days */
            date_format(z, buf);
            snprintf(want, sizeof want, "%04d-%02u-%02u", y, m, d);
            if (strcmp(buf, want) != 0 || (z >= CX_DAY_MIN ? date_parse(buf, &back, NULL) != 0 || back != z
                                                           : date_parse(buf, &back, NULL) != -1))
                ck_abort_msg("day %lld: formatted %s, want %s", (long long)z, buf, want);
        }
        if (++d > mlen[m - 1] + (m == 2 && leap(y))) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    ck_assert_int_eq(y, 10000);
}
END_TEST

/* day_month_key remembers the months of 16-day buckets: every answer,
 * in day order and in a scrambled order (a store's key order), and over
 * years 1 to 9999 with a stride that lands on every bucket's place,
 * equals the calendar's (civil_from_days); so do the days past its
 * range, which it does not remember. */
static int month_of(int64_t day)
{
    int y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    return y * 12 + (int)m - 1;
}

START_TEST(test_month_key_memo)
{
    const int64_t lo = -25567, hi = 47482; /* 1900-01-01 .. 2100-01-01 */
    for (int pass = 0; pass < 2; pass++)
        for (int64_t day = lo; day < hi; day++)
            if (day_month_key(day) != month_of(day)) ck_abort_msg("day %lld in order", (long long)day);
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 2000000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t day = lo + (int64_t)(x % (uint64_t)(hi - lo));
        if (day_month_key(day) != month_of(day)) ck_abort_msg("day %lld scrambled", (long long)day);
    }
    for (int64_t day = -719162 - 40; day < 2932897 + 40; day += 37)
        if (day_month_key(day) != month_of(day)) ck_abort_msg("day %lld by 37", (long long)day);
    const int64_t edge[] = {-719163, -719162, -719161, 2932896, 2932897, 2932898, -800000, 4000000};
    for (int r = 0; r < 2; r++)
        for (size_t i = 0; i < sizeof edge / sizeof *edge; i++)
            ck_assert_int_eq(day_month_key(edge[i]), month_of(edge[i]));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timecal");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60); /* the day walk covers 3.6 million days, slow under ASan */
    tcase_add_test(tc, test_civil_walk);
    tcase_add_test(tc, test_month_key_memo);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
