/* test_vendors.c — the pure parts of ingest's vendor side: dotted field
 * paths and the JSON → response mapping of Delighted, Qualtrics and
 * SurveyMonkey (records, strings and nulls, rejects, field maps). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/http.h"
#include "ingest/vendor.h"

#include "run_suite.h"

/* ---------------------------------------------------------------- mapping */

static cx_source_cfg src;
static sync_ctx ctx;
static map_buf mb;
static cx_response resp;

static void setup_ctx(const char *vendor, cx_field_map *fields, size_t n)
{
    memset(&src, 0, sizeof src);
    memset(&ctx, 0, sizeof ctx);
    src.name = (char *)"test";
    src.vendor = (char *)vendor;
    src.fields = fields;
    src.n_fields = n;
    ctx.src = &src;
    mb.used = 0;
    cx_response_clear(&resp);
}

static const char *attr(const char *key)
{
    for (size_t i = 0; i < resp.n_attrs; i++)
        if (strcmp(resp.attrs[i].key, key) == 0) return resp.attrs[i].value;
    return NULL;
}

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

static cJSON *last_json; /* strings in resp are borrowed from it */

static void free_last(void)
{
    cJSON_Delete(last_json);
    last_json = NULL;
}

static int map_delighted(const char *json, const char **why)
{
    free_last();
    cJSON *j = last_json = cJSON_Parse(json);
    ck_assert_ptr_nonnull(j);
    mb.used = 0;
    cx_response_clear(&resp);
    return delighted_map(&ctx, j, NULL, &resp, &mb, why);
}

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
START_TEST(big_integer_ids_exact)
{
    const char *text = "\xEF\xBB\xBF [ {\"id\":9007199254740993,\"n\":1e300,\"s\":\"9007199254740993\"},"
                       "{\"id\":9007199254740992,\"id\":-12345678901234567890,\"x\":[1,2.5e3,"
                       "1000000000000000]},\n{\"id\":12345678901234567890.0} ]";
    cJSON *j = cJSON_ParseWithLength(text, strlen(text));
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(http_keep_number_text(j, text, strlen(text)), 0);
    const cJSON *a = cJSON_GetArrayItem(j, 0), *b = cJSON_GetArrayItem(j, 1), *c = cJSON_GetArrayItem(j, 2);
    mb.used = 0;
    ck_assert_str_eq(json_text(cJSON_GetObjectItemCaseSensitive(a, "id"), &mb), "9007199254740993");
    ck_assert_str_eq(json_text(cJSON_GetObjectItemCaseSensitive(b, "id"), &mb), "9007199254740992");
    ck_assert_str_eq(json_text(b->child->next, &mb), "-12345678901234567890"); /* the duplicate key */
    ck_assert_str_eq(json_text(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "x"), 2), &mb),
                     "1000000000000000");
    ck_assert_str_eq(json_text(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "x"), 1), &mb), "2500");
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(a, "n")->valuestring); /* not an integer literal */
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring);
    ck_assert_str_eq(json_text(cJSON_GetObjectItemCaseSensitive(a, "s"), &mb), "9007199254740993");
    cJSON_Delete(j);
    j = cJSON_Parse("[1,2]");
    ck_assert_int_eq(http_keep_number_text(j, "[1,2,3]", 7), -1); /* not its text */
    cJSON_Delete(j);
}
END_TEST

/* A record with more properties than CX_MAX_ATTRS is rejected whole, with
 * the limit in the message; none is dropped silently. */
START_TEST(too_many_properties_rejected)
{
    char json[32768];
    size_t n = (size_t)snprintf(json, sizeof json,
                                "{\"id\":\"p\",\"created_at\":1767225600,\"score\":9,"
                                "\"person_properties\":{");
    for (int k = 0; k <= CX_MAX_ATTRS; k++)
        n += (size_t)snprintf(json + n, sizeof json - n, "%s\"P%d\":\"v\"", k ? "," : "", k);
    snprintf(json + n, sizeof json - n, "}}");
    const char *why = NULL;
    setup_ctx("delighted", NULL, 0);
    cJSON *j = cJSON_Parse(json);
    ck_assert_int_eq(delighted_map(&ctx, j, NULL, &resp, &mb, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "more than 64 attributes"));
    cJSON_DeleteItemFromObject(cJSON_GetObjectItemCaseSensitive(j, "person_properties"), "P0");
    cx_response_clear(&resp);
    mb.used = 0;
    ck_assert_int_eq(delighted_map(&ctx, j, NULL, &resp, &mb, &why), 0); /* exactly the limit */
    ck_assert_uint_eq(resp.n_attrs, CX_MAX_ATTRS);
    cJSON_Delete(j);

    /* two properties that normalise to one name: the same value is one
     * attribute, different values reject the record (none dropped) */
    j = cJSON_Parse("{\"id\":\"n\",\"created_at\":1767225600,\"score\":9,"
                    "\"person_properties\":{\"Region\":\"north\",\"region\":\"north\"}}");
    cx_response_clear(&resp);
    mb.used = 0;
    ck_assert_int_eq(delighted_map(&ctx, j, NULL, &resp, &mb, &why), 0);
    ck_assert_str_eq(attr("region"), "north");
    cJSON_SetValuestring(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "person_properties"), "region"),
        "south");
    cx_response_clear(&resp);
    mb.used = 0;
    ck_assert_int_eq(delighted_map(&ctx, j, NULL, &resp, &mb, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "one name once lower-cased"));
    cJSON_Delete(j);
}
END_TEST

/* A property named like a model field that it does not fill (source,
 * metric and score come from the source and the record; comment only from
 * the record; channel mapped elsewhere already) is kept as attr_NAME, as
 * the Delighted CSV import keeps such a column (docs/formats.md), not
 * dropped; one that repeats the field's value adds nothing. */
START_TEST(delighted_field_named_properties_kept)
{
    const char *why = NULL;
    cx_field_map fm[] = {{(char *)"channel", (char *)"meta.channel"}};
    setup_ctx("delighted", fm, 1);
    ck_assert_int_eq(
        map_delighted("{\"id\":\"7\",\"score\":9,\"created_at\":10,\"comment\":\"ok\","
                      "\"meta\":{\"channel\":\"phone\"},\"person_properties\":{\"Source\":\"web\","
                      "\"Metric\":\"csat\",\"Score\":\"3\",\"Comment\":\"note\",\"Channel\":\"sms\","
                      "\"Product\":\"card\"}}",
                      &why),
        0);
    ck_assert_str_eq(resp.channel, "phone");
    ck_assert_str_eq(resp.comment, "ok");
    ck_assert_int_eq(resp.score, 9);
    ck_assert_str_eq(resp.product, "card"); /* an empty field takes it */
    ck_assert_str_eq(attr("attr_source"), "web");
    ck_assert_str_eq(attr("attr_metric"), "csat");
    ck_assert_str_eq(attr("attr_score"), "3");
    ck_assert_str_eq(attr("attr_comment"), "note");
    ck_assert_str_eq(attr("attr_channel"), "sms");
    ck_assert_ptr_null(attr("source"));
    ck_assert_ptr_null(attr("attr_product"));
    ck_assert_uint_eq(resp.n_attrs, 5);
    cx_response_clear(&resp);
    mb.used = 0;
    ck_assert_int_eq(
        map_delighted("{\"id\":\"8\",\"score\":9,\"created_at\":10,\"meta\":{\"channel\":\"phone\"},"
                      "\"person_properties\":{\"Channel\":\"phone\"}}",
                      &why),
        0);
    ck_assert_uint_eq(resp.n_attrs, 0); /* the same value as the field: nothing lost, nothing added */

    /* a mapped attribute takes its name: an unmapped property of that
     * name is attr_NAME (the record was rejected as a clash of two) */
    cx_field_map fr[] = {{(char *)"region", (char *)"person_properties.Area"}};
    setup_ctx("delighted", fr, 1);
    ck_assert_int_eq(map_delighted("{\"id\":\"9\",\"score\":9,\"created_at\":10,"
                                   "\"person_properties\":{\"Area\":\"EMEA\",\"Region\":\"eu-west-1\"}}",
                                   &why),
                     0);
    ck_assert_str_eq(attr("region"), "EMEA");
    ck_assert_str_eq(attr("attr_region"), "eu-west-1");

    /* an array or object property is its compact JSON text, not dropped */
    setup_ctx("delighted", NULL, 0);
    ck_assert_int_eq(map_delighted("{\"id\":\"10\",\"score\":9,\"created_at\":10,\"person_properties\":"
                                   "{\"Tags\":[\"vip\", 2],\"Geo\":{\"c\":\"FR\"},\"Gone\":null}}",
                                   &why),
                     0);
    ck_assert_str_eq(attr("tags"), "[\"vip\",2]");
    ck_assert_str_eq(attr("geo"), "{\"c\":\"FR\"}");
    ck_assert_ptr_null(attr("gone"));

    /* more property text than a record's scratch space: rejected with the
     * reason, never a property dropped (130 spellings of a 126-byte name
     * filled it, and "Region" after them was lost) */
    static char big[40000];
    size_t n = (size_t)snprintf(big, sizeof big,
                                "{\"id\":\"11\",\"score\":9,\"created_at\":10,\"person_properties\":{");
    for (int k = 0; k < 130; k++) {
        char name[128];
        for (int j = 0; j < 126; j++) name[j] = (char)((k >> (j % 8)) & 1 ? 'A' + j % 26 : 'a' + j % 26);
        name[126] = '\0';
        n += (size_t)snprintf(big + n, sizeof big - n, "\"%s\":\"v\",", name);
    }
    snprintf(big + n, sizeof big - n, "\"Region\":\"EU\"}}");
    ck_assert_int_eq(map_delighted(big, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "more text than a record may hold"));
}
END_TEST

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
    tcase_add_test(t, big_integer_ids_exact);
    tcase_add_test(t, too_many_properties_rejected);
    tcase_add_test(t, delighted_field_named_properties_kept);
    suite_add_tcase(s, t);
    return run_suite(s);
}
