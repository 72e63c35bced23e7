/* test_vendor_edges.c — SurveyMonkey choice positions at the edges: a
 * position sent as text maps by its value, never by the array's order
 * (a descending list would invert every score), and a position that is
 * missing, not a whole number from 1 to 11, or repeated is an error of the
 * survey's details naming the choice.  The network edges (long Qualtrics
 * tokens, capped Delighted pages) are in tests/e2e/vendor_edges.sh. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ingest/vendor.h"

#include "run_suite.h"

/* Details whose NPS question has choices c0..c10 at POS[0..10] (JSON text
 * of each position, "" for none); from_details's result, ERR its message. */
static int details_with(const char *const pos[11], sm_survey *sv, char *err, size_t errlen)
{
    char buf[2048];
    size_t n = 0;
    n += (size_t)snprintf(buf + n, sizeof buf - n,
                          "{\"pages\":[{\"questions\":[{\"id\":\"Q1\",\"answers\":{\"choices\":[");
    for (int i = 0; i < 11; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s{\"id\":\"c%d\"%s%s}", i ? "," : "", i,
                              pos[i][0] ? ",\"position\":" : "", pos[i]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "]}}]}]}");
    ck_assert_uint_lt(n, sizeof buf);
    cJSON *d = cJSON_Parse(buf);
    ck_assert_ptr_nonnull(d);
    int rc = sm_survey_from_details(d, "Q1", NULL, sv, err, errlen);
    cJSON_Delete(d);
    return rc;
}

START_TEST(positions_as_text_descending)
{
    static const char *const pos[11] = {"\"11\"", "\"10\"", "\"9\"", "\"8\"", "\"7\"", "\"6\"",
                                        "\"5\"",  "\"4\"",  "\"3\"", "\"2\"", "\"1\""};
    char err[256];
    sm_survey sv;
    ck_assert_int_eq(details_with(pos, &sv, err, sizeof err), 0);
    for (int score = 0; score <= 10; score++) {
        char want[8];
        snprintf(want, sizeof want, "c%d", 10 - score);
        ck_assert_str_eq(sv.choice_ids[score], want);
    }
}
END_TEST

START_TEST(positions_mixed_numbers_and_text)
{
    static const char *const pos[11] = {"1", "\"2\"", "3", "\"4\"", "5", "6", "7", "8", "9", "10", "\"11\""};
    char err[256];
    sm_survey sv;
    ck_assert_int_eq(details_with(pos, &sv, err, sizeof err), 0);
    ck_assert_str_eq(sv.choice_ids[0], "c0");
    ck_assert_str_eq(sv.choice_ids[10], "c10");
}
END_TEST

/* Choice c10 (the 11th) carries each bad position in turn. */
START_TEST(bad_positions_are_errors)
{
    static const struct {
        const char *pos, *why;
    } bad[] = {
        {"", "has no position"},
        {"null", "has no position"},
        {"\"x\"", "not a whole number from 1 to 11"},
        {"\"\"", "not a whole number from 1 to 11"},
        {"\" 1\"", "not a whole number from 1 to 11"},
        {"\"1.0\"", "not a whole number from 1 to 11"},
        {"\"-1\"", "not a whole number from 1 to 11"},
        {"\"12\"", "not a whole number from 1 to 11"},
        {"\"011\"", "not a whole number from 1 to 11"},
        {"0", "not a whole number from 1 to 11"},
        {"12", "not a whole number from 1 to 11"},
        {"1.5", "not a whole number from 1 to 11"},
        {"1e300", "not a whole number from 1 to 11"},
        {"true", "not a whole number from 1 to 11"},
        {"\"10\"", "repeats the position of another choice"},
        {"10", "repeats the position of another choice"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const char *pos[11] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", bad[k].pos};
        char err[256] = "";
        sm_survey sv;
        ck_assert_msg(details_with(pos, &sv, err, sizeof err) == -1, "position %s accepted", bad[k].pos);
        ck_assert_msg(strstr(err, "survey details: choice 11 of question Q1") != NULL, "%s: %s", bad[k].pos,
                      err);
        ck_assert_msg(strstr(err, bad[k].why) != NULL, "%s: %s", bad[k].pos, err);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vendor_edges");
    TCase *t = tcase_create("surveymonkey_positions");
    tcase_add_test(t, positions_as_text_descending);
    tcase_add_test(t, positions_mixed_numbers_and_text);
    tcase_add_test(t, bad_positions_are_errors);
    suite_add_tcase(s, t);
    return run_suite(s);
}
