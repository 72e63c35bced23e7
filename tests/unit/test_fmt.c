/* test_fmt.c — how numbers read on the page (report/fmt.c): money with
 * separators and currency, p-values in words, m:ss durations.  Expected
 * strings written by hand from the rules in fmt.h. */
#include <check.h>

#include "run_suite.h"
#include <math.h>
#include "report/fmt.h"

START_TEST(money)
{
    char b[64];
    fmt_money(1234567.4, "$", b, sizeof b);
    ck_assert_str_eq(b, "$1,234,567");
    fmt_money(999.5, "$", b, sizeof b);
    ck_assert_str_eq(b, "$1,000");
    fmt_money(-80, "\xe2\x82\xac", b, sizeof b);
    ck_assert_str_eq(b, "-\xe2\x82\xac"
                        "80");
    fmt_money(100000, "EUR", b, sizeof b);
    ck_assert_str_eq(b, "EUR 100,000");
    fmt_money(12, NULL, b, sizeof b);
    ck_assert_str_eq(b, "12");
    fmt_money(NAN, "$", b, sizeof b);
    ck_assert_str_eq(b, "\xe2\x80\x93");
    fmt_money(1e6, "$", b, 5); /* cut to fit, still terminated */
    ck_assert_str_eq(b, "$1,0");
}
END_TEST

START_TEST(nouns)
{
    ck_assert_str_eq(fmt_noun(1, "response", "responses"), "response");
    ck_assert_str_eq(fmt_noun(0, "response", "responses"), "responses");
    ck_assert_str_eq(fmt_noun(2, "response", "responses"), "responses");
    ck_assert_str_eq(fmt_noun(1.5, "year", "years"), "years");
    ck_assert_str_eq(fmt_noun(-1, "point", "points"), "points");
}
END_TEST

START_TEST(counts)
{
    char b[64];
    fmt_count(0, b, sizeof b);
    ck_assert_str_eq(b, "0");
    fmt_count(999, b, sizeof b);
    ck_assert_str_eq(b, "999");
    fmt_count(1000, b, sizeof b);
    ck_assert_str_eq(b, "1,000");
    fmt_count(10000000, b, sizeof b);
    ck_assert_str_eq(b, "10,000,000");
    fmt_count(-4321, b, sizeof b);
    ck_assert_str_eq(b, "-4,321");
}
END_TEST

START_TEST(p_values)
{
    char b[32];
    fmt_p(5.8e-05, b, sizeof b);
    ck_assert_str_eq(b, "p < 0.001");
    fmt_p(0.0412, b, sizeof b);
    ck_assert_str_eq(b, "p = 0.041");
    fmt_p(0.3149, b, sizeof b);
    ck_assert_str_eq(b, "p = 0.31");
    fmt_p(0.001, b, sizeof b);
    ck_assert_str_eq(b, "p = 0.001");
    fmt_p(1.0, b, sizeof b);
    ck_assert_str_eq(b, "p = 1");
    fmt_p(NAN, b, sizeof b);
    ck_assert_str_eq(b, "p undefined");
}
END_TEST

START_TEST(durations)
{
    char b[32];
    fmt_mss(425, b, sizeof b);
    ck_assert_str_eq(b, "7:05");
    fmt_mss(59.6, b, sizeof b);
    ck_assert_str_eq(b, "1:00");
    fmt_mss(0, b, sizeof b);
    ck_assert_str_eq(b, "0:00");
    fmt_mss(3725, b, sizeof b);
    ck_assert_str_eq(b, "1:02:05");
    fmt_mss(NAN, b, sizeof b);
    ck_assert_str_eq(b, "\xe2\x80\x93");
}
END_TEST

START_TEST(months)
{
    char b[64];
    fmt_month(2026 * 12 + 9, b, sizeof b);
    ck_assert_str_eq(b, "October 2026");
    fmt_month(0, b, sizeof b);
    ck_assert_str_eq(b, "all months");
    fmt_months(2026 * 12 + 9, 3, b, sizeof b);
    ck_assert_str_eq(b, "August\xe2\x80\x93October 2026");
    fmt_months(2026 * 12 + 0, 3, b, sizeof b);
    ck_assert_str_eq(b, "November 2025\xe2\x80\x93January 2026");
    fmt_months(2026 * 12 + 0, 1, b, sizeof b);
    ck_assert_str_eq(b, "January 2026");
    fmt_day(20482, b, sizeof b); /* days_from_civil(2026, 1, 29) */
    ck_assert_str_eq(b, "29 January 2026");
}
END_TEST

START_TEST(labels)
{
    char code[] = "card_lost", text[] = "Card lost";
    result_label l = {code, text};
    stats_result r = {0};
    r.labels = &l;
    r.n_labels = 1;
    char b[64];
    fmt_label(&r, "card_lost", b, sizeof b);
    ck_assert_str_eq(b, "Card lost");
    fmt_label(&r, "flight_cancelled", b, sizeof b); /* no label: '_' read as a space */
    ck_assert_str_eq(b, "flight cancelled");
    fmt_label(NULL, "a_b", b, 3); /* cut to fit */
    ck_assert_str_eq(b, "a ");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, money);
    tcase_add_test(tc, counts);
    tcase_add_test(tc, nouns);
    tcase_add_test(tc, p_values);
    tcase_add_test(tc, durations);
    tcase_add_test(tc, months);
    tcase_add_test(tc, labels);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
