/* test_record_head.c — what every vendor's record mapper shares
 * (ingest/fieldmap.c, ingest/checkpoint.c): the id of a record, its
 * created and updated times, and the time a windowed vendor keeps in its
 * checkpoint token.  Expected values by hand: 1735689600 is
 * 2025-01-01T00:00:00Z (date -u -d @1735689600). */
#include <check.h>
#include <string.h>

#include "ingest/vendor.h"

#include "run_suite.h"

static cx_response resp;
static map_buf mb;

static cJSON *parse(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    ck_assert_ptr_nonnull(j);
    memset(&resp, 0, sizeof resp);
    mb.used = 0;
    return j;
}

START_TEST(record_id)
{
    const char *why = NULL;
    cJSON *j = parse("{\"surveyId\": \"s-1\"}");
    ck_assert_int_eq(map_record_id(j, "surveyId", "not obj", "no id", &resp, &mb, &why), 0);
    ck_assert_str_eq(resp.response_id, "s-1");
    cJSON_Delete(j);

    j = parse("{\"id\": 12345678901}"); /* a number is printed exactly */
    ck_assert_int_eq(map_record_id(j, "id", "not obj", "no id", &resp, &mb, &why), 0);
    ck_assert_str_eq(resp.response_id, "12345678901");
    cJSON_Delete(j);

    const char *no_id[] = {"{}", "{\"id\": \"\"}", "{\"id\": null}", "{\"id\": {\"a\": 1}}",
                           "{\"ID\": \"x\"}"};
    for (size_t i = 0; i < sizeof no_id / sizeof *no_id; i++) {
        j = parse(no_id[i]);
        why = NULL;
        ck_assert_int_eq(map_record_id(j, "id", "not obj", "no id", &resp, &mb, &why), -1);
        ck_assert_str_eq(why, "no id");
        ck_assert_ptr_null(resp.response_id);
        cJSON_Delete(j);
    }
    j = parse("[1, 2]");
    ck_assert_int_eq(map_record_id(j, "id", "not obj", "no id", &resp, &mb, &why), -1);
    ck_assert_str_eq(why, "not obj");
    cJSON_Delete(j);
}
END_TEST

START_TEST(record_times)
{
    const char *why = NULL;
    cJSON *j = parse("{\"c\": \"2025-01-01T00:00:00Z\", \"u\": 1735689700}");
    ck_assert_int_eq(map_record_times(j, "c", "c bad", "u", "u bad", &resp, &why), 0);
    ck_assert_int_eq(resp.responded_at, 1735689600);
    ck_assert_int_eq(resp.updated_at, 1735689700);
    cJSON_Delete(j);

    /* No updated time, or null: the created one. */
    const char *same[] = {"{\"c\": 1735689600}", "{\"c\": 1735689600, \"u\": null}"};
    for (size_t i = 0; i < 2; i++) {
        j = parse(same[i]);
        ck_assert_int_eq(map_record_times(j, "c", "c bad", "u", "u bad", &resp, &why), 0);
        ck_assert_int_eq(resp.updated_at, 1735689600);
        cJSON_Delete(j);
    }

    j = parse("{\"u\": 1735689600}");
    ck_assert_int_eq(map_record_times(j, "c", "c bad", "u", "u bad", &resp, &why), -1);
    ck_assert_str_eq(why, "c bad");
    cJSON_Delete(j);
    j = parse("{\"c\": 1735689600, \"u\": \"yesterday\"}");
    ck_assert_int_eq(map_record_times(j, "c", "c bad", "u", "u bad", &resp, &why), -1);
    ck_assert_str_eq(why, "u bad");
    cJSON_Delete(j);
}
END_TEST

START_TEST(token_time)
{
    checkpoint cp = {0};
    ck_assert_int_eq(checkpoint_token_time(&cp), 0); /* no token */
    const struct {
        const char *tok;
        int64_t want;
    } cases[] = {
        {"1735689600", 1735689600},  {"0", 0}, {"-5", 0}, {"", 0}, {"12x", 0},
        {"99999999999999999999", 0}, /* out of range */
        {"cursor-abc", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ck_assert_int_eq(checkpoint_set_token(&cp, cases[i].tok), 0);
        ck_assert_msg(checkpoint_token_time(&cp) == cases[i].want, "token \"%s\"", cases[i].tok);
    }
    checkpoint_free(&cp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("record_head");
    TCase *t = tcase_create("pure");
    tcase_add_test(t, record_id);
    tcase_add_test(t, record_times);
    tcase_add_test(t, token_time);
    suite_add_tcase(s, t);
    return run_suite(s);
}
