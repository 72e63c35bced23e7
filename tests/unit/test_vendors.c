/* test_vendors.c — the pure parts of ingest's vendor side: dotted field
 * paths and the JSON → response mapping of Delighted, Qualtrics and
 * SurveyMonkey (records, strings and nulls, rejects, field maps).  Ids
 * and vendor properties: test_vendor_props.c. */
#include "vendor_fixture.h"

/* ---------------------------------------------------------------- mapping */

START_TEST(paths_and_scalars)
{
    cJSON *j =
        cJSON_Parse("{\"a\":{\"Customer ID\":\"C1\",\"n\":12,\"f\":0.5,\"t\":true,\"z\":null},"
                    "\"ts\":\"2025-01-02T03:04:05+01:00\",\"u\":\"1700000000\",\"s\":\"9\",\"x\":9.5}");
    const char *why;
    int64_t t;
    int sc;
    mb.used = 0;
    ck_assert_str_eq(json_text(json_path(j, "a.Customer ID"), &mb), "C1");
    ck_assert_str_eq(json_text(json_path(j, "a.customer id"), &mb), "C1"); /* case-insensitive fallback */
    ck_assert_str_eq(json_text(json_path(j, "a.n"), &mb), "12");
    ck_assert_str_eq(json_text(json_path(j, "a.f"), &mb), "0.5");
    ck_assert_str_eq(json_text(json_path(j, "a.t"), &mb), "true");
    ck_assert_ptr_null(json_text(json_path(j, "a.z"), &mb));
    ck_assert_ptr_null(json_path(j, "a.missing"));
    ck_assert_ptr_null(json_path(j, "a.n.deeper"));
    ck_assert_int_eq(json_time(json_path(j, "ts"), &t, &why), 0);
    ck_assert_int_eq(t, 1735783445);
    ck_assert_int_eq(json_time(json_path(j, "u"), &t, &why), 0);
    ck_assert_int_eq(t, 1700000000);
    ck_assert_int_eq(json_time(json_path(j, "a.z"), &t, &why), -1);
    ck_assert_int_eq(json_score(json_path(j, "s"), &sc, &why), 0);
    ck_assert_int_eq(sc, 9);
    ck_assert_int_eq(json_score(json_path(j, "a.n"), &sc, &why), -1);
    ck_assert_int_eq(json_score(json_path(j, "x"), &sc, &why), -1);
    ck_assert_int_eq(json_score(json_path(j, "a.z"), &sc, &why), -1);
    ck_assert_str_eq(why, "score is missing");
    cJSON_Delete(j);
}
END_TEST

START_TEST(delighted_record)
{
    const char *why = NULL;
    setup_ctx("delighted", NULL, 0);
    ck_assert_int_eq(
        map_delighted(
            "{\"id\":\"42\",\"score\":9,\"comment\":\"Great 😊\",\"created_at\":1700000000,\"updated_at\":1700000100,"
            "\"person_properties\":{\"Customer ID\":\"C7\",\"Agent\":\"A1\",\"Channel\":\"phone\",\"Product\":\"card\","
            "\"Interaction Type\":\"card_lost\",\"Handle Time\":\"310.5\",\"Moments\":\"3;4;2\",\"Region\":\"north\","
            "\"Delighted Source\":\"email\"}}",
            &why),
        0);
    ck_assert_str_eq(resp.response_id, "42");
    ck_assert_int_eq(resp.score, 9);
    ck_assert_str_eq(resp.comment, "Great 😊");
    ck_assert_int_eq(resp.responded_at, 1700000000);
    ck_assert_int_eq(resp.updated_at, 1700000100);
    ck_assert_str_eq(resp.customer_id, "C7");
    ck_assert_str_eq(resp.agent_id, "A1");
    ck_assert_str_eq(resp.interaction_type, "card_lost");
    ck_assert(resp.has_handle_time && resp.handle_time_s == 310.5);
    ck_assert_int_eq((int)resp.n_moments, 3);
    ck_assert_int_eq(resp.moments[2], 2);
    ck_assert_str_eq(attr("region"), "north");
    ck_assert_str_eq(attr("delighted_source"), "email");
    ck_assert_ptr_null(attr("agent"));
}
END_TEST

START_TEST(delighted_strings_and_nulls)
{
    const char *why = NULL;
    setup_ctx("delighted", NULL, 0);
    ck_assert_int_eq(
        map_delighted("{\"id\":7,\"score\":\"10\",\"comment\":null,\"created_at\":\"1700000000\","
                      "\"updated_at\":null,\"person_properties\":{\"Handle Time\":95}}",
                      &why),
        0);
    ck_assert_str_eq(resp.response_id, "7");
    ck_assert_int_eq(resp.score, 10);
    ck_assert_str_eq(resp.comment, "");
    ck_assert_int_eq(resp.updated_at, 1700000000); /* null: created_at */
    ck_assert(resp.has_handle_time && resp.handle_time_s == 95);
    ck_assert_str_eq(resp.agent_id, "");
}
END_TEST

START_TEST(delighted_rejects)
{
    const char *why = NULL;
    setup_ctx("delighted", NULL, 0);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":11,\"created_at\":1}", &why), -1);
    ck_assert_str_eq(why, "score is out of range 0..10");
    ck_assert_str_eq(resp.response_id, "1"); /* the checkpoint still moves */
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":\"nine\",\"created_at\":1}", &why), -1);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":8.5,\"created_at\":1}", &why), -1);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"created_at\":1}", &why), -1);
    ck_assert_str_eq(why, "score is missing");
    ck_assert_int_eq(map_delighted("{\"score\":5,\"created_at\":1}", &why), -1);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":5}", &why), -1);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":5,\"created_at\":1,"
                                   "\"person_properties\":{\"Moments\":\"3;9\"}}",
                                   &why),
                     -1);
    ck_assert(strstr(why, "moments") != NULL);
    ck_assert_int_eq(map_delighted("[1,2]", &why), -1);
}
END_TEST

START_TEST(delighted_field_map_and_seen)
{
    const char *why = NULL;
    cx_field_map fm[] = {{(char *)"agent_id", (char *)"person_properties.Agent Name"},
                         {(char *)"tier", (char *)"person_properties.Tier"}};
    setup_ctx("delighted", fm, 2);
    ck_assert_int_eq(
        map_delighted("{\"id\":\"5\",\"score\":3,\"created_at\":10,\"updated_at\":20,"
                      "\"person_properties\":{\"Agent\":\"old\",\"Agent Name\":\"Ann\",\"Tier\":\"gold\"}}",
                      &why),
        0);
    ck_assert_str_eq(resp.agent_id, "Ann");
    ck_assert_str_eq(attr("tier"), "gold");
    ck_assert_str_eq(attr("agent"), "old"); /* unmapped property: attribute */
    ck_assert_int_eq(checkpoint_observe(&ctx.cp, "5", 20), 0);
    ck_assert_int_eq(map_delighted("{\"id\":\"5\",\"score\":3,\"created_at\":10,\"updated_at\":20}", &why),
                     1);
    ck_assert_int_eq(map_delighted("{\"id\":\"5\",\"score\":4,\"created_at\":10,\"updated_at\":21}", &why),
                     0);
    checkpoint_free(&ctx.cp);
}
END_TEST

START_TEST(qualtrics_record)
{
    const char *why = NULL;
    setup_ctx("qualtrics", NULL, 0);
    cJSON *j = cJSON_Parse("{\"responseId\":\"R_1\",\"values\":{\"recordedDate\":\"2025-01-02T03:04:05Z\","
                           "\"QID1\":\"7\",\"QID2_TEXT\":\"fine\",\"agent_id\":\"A9\",\"handle_time\":\"60\","
                           "\"moments\":\"1;5\",\"region\":\"west\",\"ipAddress\":\"10.0.0.1\"}}");
    mb.used = 0;
    ck_assert_int_eq(qualtrics_map(&ctx, j, NULL, &resp, &mb, &why), 0);
    ck_assert_str_eq(resp.response_id, "R_1");
    ck_assert_int_eq(resp.score, 7);
    ck_assert_str_eq(resp.comment, "fine");
    ck_assert_int_eq(resp.responded_at, 1735787045);
    ck_assert_int_eq(resp.updated_at, 1735787045);
    ck_assert_str_eq(resp.agent_id, "A9");
    ck_assert(resp.has_handle_time && resp.handle_time_s == 60);
    ck_assert_str_eq(attr("region"), "west");
    ck_assert_ptr_null(attr("ipaddress")); /* metadata is not copied */
    cJSON_Delete(j);
    /* configured question ids; no comment; numeric score */
    src.nps_question = (char *)"QID9";
    src.comment_question = (char *)"QID10_TEXT";
    j = cJSON_Parse(
        "{\"responseId\":\"R_2\",\"values\":{\"recordedDate\":\"2025-01-02T03:04:05Z\",\"QID9\":0,"
        "\"QID1\":10}}");
    cx_response_clear(&resp);
    ck_assert_int_eq(qualtrics_map(&ctx, j, NULL, &resp, &mb, &why), 0);
    ck_assert_int_eq(resp.score, 0);
    ck_assert_str_eq(resp.comment, "");
    cJSON_Delete(j);
    j = cJSON_Parse("{\"responseId\":\"R_3\",\"values\":{\"recordedDate\":\"2025-01-02T03:04:05Z\"}}");
    ck_assert_int_eq(qualtrics_map(&ctx, j, NULL, &resp, &mb, &why), -1);
    ck_assert_str_eq(why, "score is missing");
    cJSON_Delete(j);
}
END_TEST

static const char details_json[] =
    "{\"id\":\"123\",\"pages\":[{\"id\":\"p\",\"questions\":["
    "{\"id\":\"900\",\"family\":\"single_choice\",\"answers\":{\"choices\":[{\"id\":\"1\"},{\"id\":\"2\"}]}},"
    "{\"id\":\"901\",\"family\":\"matrix\",\"answers\":{\"rows\":[{\"id\":\"r\"}],\"choices\":["
    "{\"id\":\"c10\",\"position\":11},{\"id\":\"c0\",\"position\":1},{\"id\":\"c1\",\"position\":2},"
    "{\"id\":\"c2\",\"position\":3},{\"id\":\"c3\",\"position\":4},{\"id\":\"c4\",\"position\":5},"
    "{\"id\":\"c5\",\"position\":6},{\"id\":\"c6\",\"position\":7},{\"id\":\"c7\",\"position\":8},"
    "{\"id\":\"c8\",\"position\":9},{\"id\":\"c9\",\"position\":10}]}},"
    "{\"id\":\"902\",\"family\":\"open_ended\"}]}]}";

START_TEST(surveymonkey_details)
{
    char err[256];
    sm_survey sv;
    cJSON *d = cJSON_Parse(details_json);
    ck_assert_int_eq(sm_survey_from_details(d, NULL, NULL, &sv, err, sizeof err), 0);
    ck_assert_str_eq(sv.nps_id, "901");
    ck_assert_str_eq(sv.choice_ids[0], "c0"); /* by position, not array order */
    ck_assert_str_eq(sv.choice_ids[10], "c10");
    ck_assert_str_eq(sv.comment_id, "902");
    ck_assert_int_eq(sm_survey_from_details(d, "Q2", "Q3", &sv, err, sizeof err), 0);
    ck_assert_str_eq(sv.nps_id, "901");
    ck_assert_int_eq(sm_survey_from_details(d, "901", "902", &sv, err, sizeof err), 0);
    ck_assert_int_eq(sm_survey_from_details(d, "900", NULL, &sv, err, sizeof err), -1);
    ck_assert(strstr(err, "2 choices") != NULL);
    ck_assert_int_eq(sm_survey_from_details(d, "777", NULL, &sv, err, sizeof err), -1);
    ck_assert_int_eq(sm_survey_from_details(d, NULL, "Q9", &sv, err, sizeof err), -1);
    cJSON_Delete(d);
}
END_TEST

START_TEST(surveymonkey_record)
{
    char err[256];
    const char *why = NULL;
    sm_survey sv;
    cJSON *d = cJSON_Parse(details_json);
    ck_assert_int_eq(sm_survey_from_details(d, NULL, NULL, &sv, err, sizeof err), 0);
    cJSON_Delete(d);
    setup_ctx("surveymonkey", NULL, 0);
    cJSON *j =
        cJSON_Parse("{\"id\":\"555\",\"date_created\":\"2025-01-02T03:04:05+00:00\","
                    "\"date_modified\":\"2025-01-03T03:04:05+00:00\",\"total_time\":\"95\","
                    "\"custom_variables\":{\"agent_id\":\"A3\",\"channel\":\"chat\",\"handle_time\":\"42\","
                    "\"region\":\"east\"},\"pages\":[{\"id\":\"p\",\"questions\":["
                    "{\"id\":\"901\",\"answers\":[{\"choice_id\":\"c8\",\"row_id\":\"r\"}]},"
                    "{\"id\":\"902\",\"answers\":[{\"text\":\"line1\\nline2\"}]}]}]}");
    mb.used = 0;
    ck_assert_int_eq(surveymonkey_map(&ctx, j, &sv, &resp, &mb, &why), 0);
    ck_assert_str_eq(resp.response_id, "555");
    ck_assert_int_eq(resp.score, 8);
    ck_assert_str_eq(resp.comment, "line1\nline2");
    ck_assert_int_eq(resp.responded_at, 1735787045);
    ck_assert_int_eq(resp.updated_at, 1735873445);
    ck_assert_str_eq(resp.agent_id, "A3");
    ck_assert_str_eq(resp.channel, "chat");
    ck_assert(resp.has_handle_time && resp.handle_time_s == 42);
    ck_assert_str_eq(attr("region"), "east");
    cJSON_Delete(j);
    j = cJSON_Parse(
        "{\"id\":\"556\",\"date_created\":\"2025-01-02T03:04:05+00:00\",\"pages\":[{\"questions\":["
        "{\"id\":\"901\",\"answers\":[{\"choice_id\":\"nope\"}]},{\"id\":\"902\",\"answers\":[{\"text\":null}]}]}]}");
    cx_response_clear(&resp);
    ck_assert_int_eq(surveymonkey_map(&ctx, j, &sv, &resp, &mb, &why), -1);
    ck_assert(strstr(why, "choice") != NULL);
    cJSON_Delete(j);
    j = cJSON_Parse(
        "{\"id\":557,\"date_created\":\"2025-01-02T03:04:05+00:00\",\"pages\":[{\"questions\":["
        "{\"id\":\"901\",\"answers\":[{\"choice_id\":\"c0\"}]},{\"id\":\"902\",\"answers\":[{\"text\":null}]}]}]}");
    cx_response_clear(&resp);
    ck_assert_int_eq(surveymonkey_map(&ctx, j, &sv, &resp, &mb, &why), 0);
    ck_assert_str_eq(resp.response_id, "557");
    ck_assert_int_eq(resp.score, 0);
    ck_assert_str_eq(resp.comment, "");
    ck_assert_int_eq(resp.updated_at, resp.responded_at);
    cJSON_Delete(j);
    j = cJSON_Parse("{\"id\":\"558\",\"date_created\":\"2025-01-02T03:04:05+00:00\",\"pages\":[]}");
    ck_assert_int_eq(surveymonkey_map(&ctx, j, &sv, &resp, &mb, &why), -1);
    ck_assert(strstr(why, "missing") != NULL);
    cJSON_Delete(j);
}
END_TEST

/* Ids above 2^53 keep their own text: 9007199254740993 is not a double
 * (it reads back as ...992), nor is 12345678901234567890 an int64; 1e15
 * .. 2^53 print as integers, not "1e+15".  Shorter numbers, strings and
 * the order of duplicate keys are untouched. */
int main(void)
{
    Suite *s = suite_create("vendors");
    TCase *t = tcase_create("pure");
    tcase_add_checked_fixture(t, NULL, free_last);
    tcase_add_test(t, paths_and_scalars);
    tcase_add_test(t, delighted_record);
    tcase_add_test(t, delighted_strings_and_nulls);
    tcase_add_test(t, delighted_rejects);
    tcase_add_test(t, delighted_field_map_and_seen);
    tcase_add_test(t, qualtrics_record);
    tcase_add_test(t, surveymonkey_details);
    tcase_add_test(t, surveymonkey_record);
    suite_add_tcase(s, t);
    return run_suite(s);
}
