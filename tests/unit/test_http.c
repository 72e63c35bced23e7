/* test_http.c — the pure parts of ingest: HTTP dates and Retry-After,
 * full-jitter backoff, vendor error messages, URL helpers, checkpoints,
 * dotted field paths and the JSON → response mapping of each vendor. */
#include <check.h>

#include "run_suite.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/http.h"
#include "ingest/vendor.h"

/* ---------------------------------------------------------------- dates */

START_TEST(date_three_forms)
{
    int64_t t;
    ck_assert_int_eq(http_parse_date("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
    ck_assert_int_eq(t, 784111777);
    ck_assert_int_eq(http_parse_date("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
    ck_assert_int_eq(t, 784111777);
    ck_assert_int_eq(http_parse_date("Sun Nov  6 08:49:37 1994", &t), 0);
    ck_assert_int_eq(t, 784111777);
    ck_assert_int_eq(http_parse_date("Thu, 01 Jan 1970 00:00:00 GMT", &t), 0);
    ck_assert_int_eq(t, 0);
    ck_assert_int_eq(http_parse_date("Tue, 29 Feb 2028 23:59:59 GMT", &t), 0);
    ck_assert_int_eq(t, 1835481599);
}
END_TEST

START_TEST(date_rejects_bad)
{
    int64_t t;
    const char *bad[] = {"", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 06 Nov 1994 08:49:37",
                         "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 29 Feb 2027 08:49:37 GMT",
                         "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                         "06 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
                         "Sun Nov  6 08:49:37 1994 extra", "120"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(http_parse_date(bad[i], &t) == -1, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(retry_after_values)
{
    double s;
    ck_assert_int_eq(http_parse_retry_after("120", 0, &s), 0);
    ck_assert_double_eq(s, 120);
    ck_assert_int_eq(http_parse_retry_after(" 0 ", 0, &s), 0);
    ck_assert_double_eq(s, 0);
    /* an HTTP date: seconds from now; in the past: no wait */
    ck_assert_int_eq(http_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111770, &s), 0);
    ck_assert_double_eq(s, 7);
    ck_assert_int_eq(http_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT ", 784111770, &s), 0);
    ck_assert_double_eq(s, 7);
    ck_assert_int_eq(http_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111800, &s), 0);
    ck_assert_double_eq(s, 0);
    ck_assert_int_eq(http_parse_retry_after("-1", 0, &s), -1);
    ck_assert_int_eq(http_parse_retry_after("1.5", 0, &s), -1);
    ck_assert_int_eq(http_parse_retry_after("soon", 0, &s), -1);
    ck_assert_int_eq(http_parse_retry_after("99999999999", 0, &s), -1);
}
END_TEST

/* ---------------------------------------------------------------- backoff */

START_TEST(backoff_full_jitter_bounds)
{
    const double base = 0.5, cap = 30;
    for (int a = 0; a < 80; a++) {
        double ceiling = a < 6 ? base * (double)(1 << a) : cap;
        double lo = 1e9, hi = -1;
        for (int k = 0; k < 1000; k++) {
            double d = http_backoff_delay(a, base, cap, k / 1000.0);
            ck_assert(d >= 0 && d < ceiling + 1e-12);
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
        }
        /* full jitter: the whole range [0, ceiling) is used */
        ck_assert_double_eq(lo, 0);
        ck_assert(hi > 0.99 * ceiling);
    }
    ck_assert(http_backoff_delay(3, base, cap, 1.0) < 4.0);     /* u clamped below 1 */
    ck_assert_double_eq(http_backoff_delay(-5, base, cap, 0.5), 0.25);
    ck_assert_double_eq(http_backoff_delay(1000, base, cap, 0.5), 15);
}
END_TEST

START_TEST(status_classes)
{
    const long again[] = {408, 425, 429, 500, 502, 503, 504, 599};
    const long never[] = {200, 301, 400, 401, 403, 404, 409, 422};
    for (size_t i = 0; i < 8; i++) {
        ck_assert_int_eq(http_status_retryable(again[i]), 1);
        ck_assert_int_eq(http_status_retryable(never[i]), 0);
    }
    ck_assert_int_eq(http_curl_retryable(56), 1);   /* CURLE_RECV_ERROR */
    ck_assert_int_eq(http_curl_retryable(18), 1);   /* CURLE_PARTIAL_FILE */
    ck_assert_int_eq(http_curl_retryable(60), 0);   /* CURLE_PEER_FAILED_VERIFICATION */
    ck_assert_int_eq(http_curl_retryable(3), 0);    /* CURLE_URL_MALFORMAT */
}
END_TEST

/* ---------------------------------------------------------------- errors */

static const char *msg_of(const char *body)
{
    static char out[256];
    http_error_message(body, strlen(body), out, sizeof out);
    return out;
}

START_TEST(error_messages_per_vendor)
{
    ck_assert_str_eq(msg_of("{\"status\":401,\"message\":\"Invalid API key\"}"), "Invalid API key");
    ck_assert_str_eq(msg_of("{\"status\":422,\"message\":\"Validation failed\","
                            "\"errors\":{\"per_page\":[\"must be at most 100\"]}}"),
                     "Validation failed: per_page must be at most 100");
    ck_assert_str_eq(msg_of("{\"meta\":{\"httpStatus\":\"401 - Unauthorized\",\"error\":"
                            "{\"errorMessage\":\"Invalid or missing API token\",\"errorCode\":\"A\"}}}"),
                     "Invalid or missing API token");
    ck_assert_str_eq(msg_of("{\"error\":{\"id\":\"1011\",\"name\":\"Authorization Error\",\"message\":"
                            "\"The authorization token provided was invalid.\",\"http_status_code\":401}}"),
                     "The authorization token provided was invalid.");
    ck_assert_str_eq(msg_of("<html><body>503 Service Unavailable</body></html>"), "");
    ck_assert_str_eq(msg_of("{\"truncated\": \"jso"), "");
    ck_assert_str_eq(msg_of("upstream timed out\nsecond line"), "upstream timed out");
    ck_assert_str_eq(msg_of("{\"message\":\"two\\nlines\\ttab\"}"), "two lines tab");
    ck_assert_str_eq(msg_of(""), "");
}
END_TEST

START_TEST(error_message_cut_on_character)
{
    char out[8];
    const char *body = "{\"message\":\"abcd\xc3\xa9\xc3\xa9\"}";   /* abcdéé */
    http_error_message(body, strlen(body), out, sizeof out);
    ck_assert_str_eq(out, "abcd\xc3\xa9");                       /* 6 bytes, no half é */
}
END_TEST

START_TEST(describe_status_hints)
{
    char out[512];
    const char *b = "{\"status\":401,\"message\":\"Invalid API key\"}";
    http_describe_status(401, b, strlen(b), "DELIGHTED_API_KEY", out, sizeof out);
    ck_assert_str_eq(out, "HTTP 401: Invalid API key (check the token in $DELIGHTED_API_KEY)");
    http_describe_status(404, "", 0, "X", out, sizeof out);
    ck_assert_str_eq(out, "HTTP 404 (check survey_id and base_url)");
    http_describe_status(403, "", 0, "SM_TOKEN", out, sizeof out);
    ck_assert(strstr(out, "$SM_TOKEN") != NULL);
    http_describe_status(422, "{\"message\":\"bad\"}", 17, "X", out, sizeof out);
    ck_assert_str_eq(out, "HTTP 422: bad");
}
END_TEST

START_TEST(url_helpers)
{
    char buf[64], path[64];
    ck_assert_str_eq(http_url_path("https://api.x.com/v3/s/1/bulk?page=2&k=v", path, sizeof path), "/v3/s/1/bulk");
    ck_assert_str_eq(http_url_path("http://127.0.0.1:8080", path, sizeof path), "/");
    snprintf(buf, sizeof buf, "http://h/p");
    ck_assert_int_eq(http_url_add(buf, sizeof buf, "order", "asc:updated_at"), 0);
    ck_assert_int_eq(http_url_add(buf, sizeof buf, "q", "a b&c"), 0);
    ck_assert_str_eq(buf, "http://h/p?order=asc%3Aupdated_at&q=a%20b%26c");
    ck_assert_int_eq(http_url_add(buf, sizeof buf, "x", "0123456789012345678901234567890"), -1);
    ck_assert_str_eq(buf, "http://h/p?order=asc%3Aupdated_at&q=a%20b%26c");   /* unchanged */
}
END_TEST

START_TEST(headers_and_secrets)
{
    char v[16], msg[64];
    const char *line = "x-ratelimit-app-global-minute-remaining:  57 \r\n";
    ck_assert_int_eq(http_header_value(line, strlen(line), "X-Ratelimit-App-Global-Minute-Remaining", v, sizeof v), 0);
    ck_assert_str_eq(v, "57");
    ck_assert_int_eq(http_parse_count(v), 57);
    ck_assert_int_eq(http_header_value(line, strlen(line), "X-Ratelimit-App-Global-Minute", v, sizeof v), -1);
    line = "Retry-After: Sun, 06 Nov 1994 08:49:37 GMT\r\n";
    ck_assert_int_eq(http_header_value(line, strlen(line), "Retry-After", v, sizeof v), 0);
    ck_assert_str_eq(v, "Sun, 06 Nov 199");                     /* cut to the buffer */
    ck_assert_int_eq(http_parse_count("-3"), -1);
    ck_assert_int_eq(http_parse_count("12a"), -1);
    ck_assert_int_eq(http_parse_count(""), -1);
    ck_assert_double_eq(http_parse_scale(NULL), 1);
    ck_assert_double_eq(http_parse_scale("0.05"), 0.05);
    ck_assert_double_eq(http_parse_scale("0"), 0);
    ck_assert_double_eq(http_parse_scale("-1"), 1);
    ck_assert_double_eq(http_parse_scale("fast"), 1);
    snprintf(msg, sizeof msg, "bad key s3cr3t-t0k and s3cr3t-t0k again");
    http_redact(msg, "s3cr3t-t0k");
    ck_assert_str_eq(msg, "bad key *** and *** again");
    http_redact(msg, "***");                                     /* too short: left alone */
    ck_assert_str_eq(msg, "bad key *** and *** again");
}
END_TEST

/* ---------------------------------------------------------------- checkpoint */

START_TEST(checkpoint_round_trip)
{
    checkpoint cp, back;
    ck_assert_int_eq(checkpoint_parse(NULL, &cp), 0);
    ck_assert_int_eq(cp.updated_at, 0);
    ck_assert_int_eq(checkpoint_observe(&cp, "a", 100), 0);
    ck_assert_int_eq(checkpoint_observe(&cp, "b", 100), 0);
    ck_assert_int_eq(checkpoint_observe(&cp, "b", 100), 0);
    ck_assert_int_eq(checkpoint_observe(&cp, "z", 99), 0);       /* older: no change */
    ck_assert_int_eq((int)cp.n_ids, 2);
    ck_assert(checkpoint_seen(&cp, "a", 100) && !checkpoint_seen(&cp, "a", 101) && !checkpoint_seen(&cp, "c", 100));
    ck_assert_int_eq(checkpoint_set_token(&cp, "CT_7"), 0);
    char *text = checkpoint_format(&cp);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(checkpoint_parse(text, &back), 0);
    ck_assert_int_eq(back.updated_at, 100);
    ck_assert_int_eq((int)back.n_ids, 2);
    ck_assert_str_eq(back.token, "CT_7");
    ck_assert_int_eq(checkpoint_observe(&back, "c", 101), 0);  /* a new second starts */
    ck_assert_int_eq((int)back.n_ids, 1);
    checkpoint_move(&back, 102);
    ck_assert_int_eq((int)back.n_ids, 0);
    checkpoint_free(&back);
    ck_assert_int_eq(checkpoint_parse("{\"updated_at\":\"x\"}", &back), -1);
    ck_assert_int_eq(checkpoint_parse("not json", &back), -1);
    free(text);
    checkpoint_free(&cp);
    checkpoint_free(&back);
}
END_TEST

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
        if (strcmp(resp.attrs[i].key, key) == 0)
            return resp.attrs[i].value;
    return NULL;
}

START_TEST(paths_and_scalars)
{
    cJSON *j = cJSON_Parse("{\"a\":{\"Customer ID\":\"C1\",\"n\":12,\"f\":0.5,\"t\":true,\"z\":null},"
                           "\"ts\":\"2025-01-02T03:04:05+01:00\",\"u\":\"1700000000\",\"s\":\"9\",\"x\":9.5}");
    const char *why;
    int64_t t;
    int sc;
    mb.used = 0;
    ck_assert_str_eq(json_text(json_path(j, "a.Customer ID"), &mb), "C1");
    ck_assert_str_eq(json_text(json_path(j, "a.customer id"), &mb), "C1");   /* case-insensitive fallback */
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

static cJSON *last_json;                     /* strings in resp are borrowed from it */

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
    ck_assert_int_eq(map_delighted(
        "{\"id\":\"42\",\"score\":9,\"comment\":\"Great 😊\",\"created_at\":1700000000,\"updated_at\":1700000100,"
        "\"person_properties\":{\"Customer ID\":\"C7\",\"Agent\":\"A1\",\"Channel\":\"phone\",\"Product\":\"card\","
        "\"Interaction Type\":\"card_lost\",\"Handle Time\":\"310.5\",\"Moments\":\"3;4;2\",\"Region\":\"north\","
        "\"Delighted Source\":\"email\"}}", &why), 0);
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
    ck_assert_int_eq(map_delighted("{\"id\":7,\"score\":\"10\",\"comment\":null,\"created_at\":\"1700000000\","
                                   "\"updated_at\":null,\"person_properties\":{\"Handle Time\":95}}", &why), 0);
    ck_assert_str_eq(resp.response_id, "7");
    ck_assert_int_eq(resp.score, 10);
    ck_assert_str_eq(resp.comment, "");
    ck_assert_int_eq(resp.updated_at, 1700000000);                 /* null: created_at */
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
    ck_assert_str_eq(resp.response_id, "1");                       /* the checkpoint still moves */
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":\"nine\",\"created_at\":1}", &why), -1);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":8.5,\"created_at\":1}", &why), -1);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"created_at\":1}", &why), -1);
    ck_assert_str_eq(why, "score is missing");
    ck_assert_int_eq(map_delighted("{\"score\":5,\"created_at\":1}", &why), -1);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":5}", &why), -1);
    ck_assert_int_eq(map_delighted("{\"id\":\"1\",\"score\":5,\"created_at\":1,"
                                   "\"person_properties\":{\"Moments\":\"3;9\"}}", &why), -1);
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
    ck_assert_int_eq(map_delighted("{\"id\":\"5\",\"score\":3,\"created_at\":10,\"updated_at\":20,"
                                   "\"person_properties\":{\"Agent\":\"old\",\"Agent Name\":\"Ann\",\"Tier\":\"gold\"}}",
                                   &why), 0);
    ck_assert_str_eq(resp.agent_id, "Ann");
    ck_assert_str_eq(attr("tier"), "gold");
    ck_assert_str_eq(attr("agent"), "old");                        /* unmapped property: attribute */
    ck_assert_int_eq(checkpoint_observe(&ctx.cp, "5", 20), 0);
    ck_assert_int_eq(map_delighted("{\"id\":\"5\",\"score\":3,\"created_at\":10,\"updated_at\":20}", &why), 1);
    ck_assert_int_eq(map_delighted("{\"id\":\"5\",\"score\":4,\"created_at\":10,\"updated_at\":21}", &why), 0);
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
    ck_assert_ptr_null(attr("ipaddress"));                          /* metadata is not copied */
    cJSON_Delete(j);
    /* configured question ids; no comment; numeric score */
    src.nps_question = (char *)"QID9";
    src.comment_question = (char *)"QID10_TEXT";
    j = cJSON_Parse("{\"responseId\":\"R_2\",\"values\":{\"recordedDate\":\"2025-01-02T03:04:05Z\",\"QID9\":0,"
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
    ck_assert_str_eq(sv.choice_ids[0], "c0");                      /* by position, not array order */
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
    cJSON *j = cJSON_Parse("{\"id\":\"555\",\"date_created\":\"2025-01-02T03:04:05+00:00\","
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
    j = cJSON_Parse("{\"id\":\"556\",\"date_created\":\"2025-01-02T03:04:05+00:00\",\"pages\":[{\"questions\":["
                    "{\"id\":\"901\",\"answers\":[{\"choice_id\":\"nope\"}]},{\"id\":\"902\",\"answers\":[{\"text\":null}]}]}]}");
    cx_response_clear(&resp);
    ck_assert_int_eq(surveymonkey_map(&ctx, j, &sv, &resp, &mb, &why), -1);
    ck_assert(strstr(why, "choice") != NULL);
    cJSON_Delete(j);
    j = cJSON_Parse("{\"id\":557,\"date_created\":\"2025-01-02T03:04:05+00:00\",\"pages\":[{\"questions\":["
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

int main(void)
{
    Suite *s = suite_create("http");
    TCase *t = tcase_create("pure");
    tcase_add_checked_fixture(t, NULL, free_last);
    tcase_add_test(t, date_three_forms);
    tcase_add_test(t, date_rejects_bad);
    tcase_add_test(t, retry_after_values);
    tcase_add_test(t, backoff_full_jitter_bounds);
    tcase_add_test(t, status_classes);
    tcase_add_test(t, error_messages_per_vendor);
    tcase_add_test(t, error_message_cut_on_character);
    tcase_add_test(t, describe_status_hints);
    tcase_add_test(t, url_helpers);
    tcase_add_test(t, headers_and_secrets);
    tcase_add_test(t, checkpoint_round_trip);
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
