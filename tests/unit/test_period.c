/* test_period.c — the report's period rules (stats/period.c): the default
 * month is the latest complete month, the --window values, the window
 * scope, and the day a month's spend windows complete.  Dates by hand
 * from the calendar. */
#include <check.h>

#include "run_suite.h"
#include "core/timeparse.h"
#include "stats/period.h"
#include "stats/stats.h"

static int64_t at(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d) * 86400 + 12 * 3600; }

static int key(int y, int m) { return y * 12 + m - 1; }

START_TEST(default_month)
{
    /* Data up to 2026-10-31, today 2026-12-02: October is complete. */
    ck_assert_int_eq(period_default_month(at(2026, 10, 31), at(2026, 12, 2)), key(2026, 10));
    /* Data into the running month: the month before it. */
    ck_assert_int_eq(period_default_month(at(2026, 12, 1), at(2026, 12, 2)), key(2026, 11));
    /* January running: December of the year before. */
    ck_assert_int_eq(period_default_month(at(2027, 1, 3), at(2027, 1, 5)), key(2026, 12));
    /* Data from the future (a clock behind the data): still a month before now. */
    ck_assert_int_eq(period_default_month(at(2030, 1, 1), at(2026, 12, 2)), key(2026, 11));
    ck_assert_int_eq(period_default_month(0, at(2026, 12, 2)), 0);
}
END_TEST

START_TEST(window_values)
{
    int m = 0;
    ck_assert_int_eq(period_parse_window("3m", &m), 0);
    ck_assert_int_eq(m, 3);
    ck_assert_int_eq(period_parse_window("6m", &m), 0);
    ck_assert_int_eq(m, 6);
    ck_assert_int_eq(period_parse_window("12m", &m), 0);
    ck_assert_int_eq(m, 12);
    ck_assert_int_eq(period_parse_window("4m", &m), -1);
    ck_assert_int_eq(period_parse_window("3", &m), -1);
    ck_assert_int_eq(period_parse_window("", &m), -1);
    ck_assert_int_eq(period_parse_window(NULL, &m), -1);
}
END_TEST

START_TEST(window_scope)
{
    stats_opts o = {0};
    o.month = key(2026, 2);
    o.window = 3; /* December 2025 to February 2026 */
    ck_assert(!stats_in_window(&o, key(2025, 11)));
    ck_assert(stats_in_window(&o, key(2025, 12)));
    ck_assert(stats_in_window(&o, key(2026, 2)));
    ck_assert(!stats_in_window(&o, key(2026, 3)));
    ck_assert(stats_in_scope(&o, key(2026, 2)) && !stats_in_scope(&o, key(2026, 1)));
    o.window = 0; /* the month only */
    ck_assert(!stats_in_window(&o, key(2026, 1)));
    ck_assert(stats_in_window(&o, key(2026, 2)));
    o.month = 0; /* no month: everything */
    ck_assert(stats_in_window(&o, key(2020, 1)));
}
END_TEST

START_TEST(spend_completion)
{
    ck_assert_int_eq(period_month_last_day(key(2026, 10)), days_from_civil(2026, 10, 31));
    ck_assert_int_eq(period_month_last_day(key(2024, 2)), days_from_civil(2024, 2, 29));
    ck_assert_int_eq(period_month_last_day(key(2026, 12)), days_from_civil(2026, 12, 31));
    /* October 2026 with 90-day windows: 31 October + 90 days = 29 January 2027. */
    ck_assert_int_eq(period_spend_complete_day(key(2026, 10), 90), days_from_civil(2027, 1, 29));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("period");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, default_month);
    tcase_add_test(tc, window_values);
    tcase_add_test(tc, window_scope);
    tcase_add_test(tc, spend_completion);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
