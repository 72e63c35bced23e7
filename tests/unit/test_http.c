/* test_http.c — the pure parts of ingest's HTTP side: HTTP dates and
 * Retry-After, full-jitter backoff, vendor error messages, URL helpers,
 * headers and secrets, checkpoints.  The vendors' JSON mapping:
 * test_vendors.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/http.h"
#include "ingest/vendor.h"

#include "run_suite.h"

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
    const char *bad[] = {"",
                         "Sun, 06 Nov 1994 08:49:37 PST",
                         "Sun, 06 Nov 1994 08:49:37",
                         "Sun, 31 Feb 1994 08:49:37 GMT",
                         "Sun, 29 Feb 2027 08:49:37 GMT",
                         "Sun, 06 Foo 1994 08:49:37 GMT",
                         "Sun, 06 Nov 1994 25:49:37 GMT",
                         "06 Nov 1994 08:49:37 GMT",
                         "Sun, 6 Nov 1994 08:49:37 GMT",
                         "Sun Nov  6 08:49:37 1994 extra",
                         "120"};
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
    ck_assert(http_backoff_delay(3, base, cap, 1.0) < 4.0); /* u clamped below 1 */
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
    ck_assert_int_eq(http_curl_retryable(56), 1); /* CURLE_RECV_ERROR */
    ck_assert_int_eq(http_curl_retryable(18), 1); /* CURLE_PARTIAL_FILE */
    ck_assert_int_eq(http_curl_retryable(60), 0); /* CURLE_PEER_FAILED_VERIFICATION */
    ck_assert_int_eq(http_curl_retryable(3), 0);  /* CURLE_URL_MALFORMAT */
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
    const char *body = "{\"message\":\"abcd\xc3\xa9\xc3\xa9\"}"; /* abcdéé */
    http_error_message(body, strlen(body), out, sizeof out);
    ck_assert_str_eq(out, "abcd\xc3\xa9"); /* 6 bytes, no half é */
}
END_TEST

START_TEST(describe_status_hints)
{
    char out[512];
    const char *b = "{\"status\":401,\"message\":\"Invalid API key\"}";
    http_describe_status(401, b, strlen(b), "DELIGHTED_API_KEY", NULL, out, sizeof out);
    ck_assert_str_eq(out, "HTTP 401: Invalid API key (check the token in $DELIGHTED_API_KEY)");
    http_describe_status(404, "", 0, "X", NULL, out, sizeof out);
    ck_assert_str_eq(out, "HTTP 404 (check survey_id and base_url)");
    http_describe_status(403, "", 0, "SM_TOKEN", NULL, out, sizeof out);
    ck_assert(strstr(out, "$SM_TOKEN") != NULL);
    http_describe_status(422, "{\"message\":\"bad\"}", 17, "X", NULL, out, sizeof out);
    ck_assert_str_eq(out, "HTTP 422: bad");
}
END_TEST

/* A redirect is not followed: the message says so, points at base_url and
 * shows where the answer points, scheme and host only, when they are plain. */
START_TEST(describe_status_redirect)
{
    char out[512], o[64];
    http_describe_status(301, "", 0, "X", "https://api.example.com/v1/survey_responses.json?k=v", out,
                         sizeof out);
    ck_assert_str_eq(out, "HTTP 301 (redirects are not followed: check base_url; the answer points to "
                          "https://api.example.com)");
    const long codes[] = {302, 303, 307, 308};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        http_describe_status(codes[i], "", 0, "X", NULL, out, sizeof out);
        ck_assert(strstr(out, "(redirects are not followed: check base_url)") != NULL);
    }
    http_describe_status(302, "", 0, "X", "https://u:secret@h.example:8443/p", out, sizeof out);
    ck_assert(strstr(out, "points to https://h.example:8443)") != NULL && strstr(out, "secret") == NULL);
    ck_assert_str_eq(http_url_origin("https://evil\x1b[2J.example/x", o, sizeof o), "");
    ck_assert_str_eq(http_url_origin("/relative/only", o, sizeof o), "");
    ck_assert_str_eq(http_url_origin(NULL, o, sizeof o), "");
    ck_assert_str_eq(http_url_origin("http://127.0.0.1:8080", o, sizeof o), "http://127.0.0.1:8080");
    ck_assert_str_eq(http_url_origin("https://a-very-long-host-name.example.com/", o, 20), "");
}
END_TEST

START_TEST(url_helpers)
{
    char buf[64], path[64];
    ck_assert_str_eq(http_url_path("https://api.x.com/v3/s/1/bulk?page=2&k=v", path, sizeof path),
                     "/v3/s/1/bulk");
    ck_assert_str_eq(http_url_path("http://127.0.0.1:8080", path, sizeof path), "/");
    snprintf(buf, sizeof buf, "http://h/p");
    ck_assert_int_eq(http_url_add(buf, sizeof buf, "order", "asc:updated_at"), 0);
    ck_assert_int_eq(http_url_add(buf, sizeof buf, "q", "a b&c"), 0);
    ck_assert_str_eq(buf, "http://h/p?order=asc%3Aupdated_at&q=a%20b%26c");
    ck_assert_int_eq(http_url_add(buf, sizeof buf, "x", "0123456789012345678901234567890"), -1);
    ck_assert_str_eq(buf, "http://h/p?order=asc%3Aupdated_at&q=a%20b%26c"); /* unchanged */
}
END_TEST

START_TEST(headers_and_secrets)
{
    char v[16], msg[64];
    const char *line = "x-ratelimit-app-global-minute-remaining:  57 \r\n";
    ck_assert_int_eq(
        http_header_value(line, strlen(line), "X-Ratelimit-App-Global-Minute-Remaining", v, sizeof v), 0);
    ck_assert_str_eq(v, "57");
    ck_assert_int_eq(http_parse_count(v), 57);
    ck_assert_int_eq(http_header_value(line, strlen(line), "X-Ratelimit-App-Global-Minute", v, sizeof v), -1);
    line = "Retry-After: Sun, 06 Nov 1994 08:49:37 GMT\r\n";
    ck_assert_int_eq(http_header_value(line, strlen(line), "Retry-After", v, sizeof v), 0);
    ck_assert_str_eq(v, "Sun, 06 Nov 199"); /* cut to the buffer */
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
    http_redact(msg, "***"); /* too short: left alone */
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
    ck_assert_int_eq(checkpoint_observe(&cp, "z", 99), 0); /* older: no change */
    ck_assert_int_eq((int)cp.n_ids, 2);
    ck_assert(checkpoint_seen(&cp, "a", 100) && !checkpoint_seen(&cp, "a", 101) &&
              !checkpoint_seen(&cp, "c", 100));
    ck_assert_int_eq(checkpoint_set_token(&cp, "CT_7"), 0);
    char *text = checkpoint_format(&cp);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(checkpoint_parse(text, &back), 0);
    ck_assert_int_eq(back.updated_at, 100);
    ck_assert_int_eq((int)back.n_ids, 2);
    ck_assert_str_eq(back.token, "CT_7");
    ck_assert_int_eq(checkpoint_observe(&back, "c", 101), 0); /* a new second starts */
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

/* http_json_mend: "\u0000" and a surrogate escape without its pair become
 * bytes that are not UTF-8 (C0 80; ED and the surrogate's low bits), in
 * place; a whole pair, other escapes, an escaped backslash before "u0000"
 * and text outside strings stay as they are. */
START_TEST(json_mend_escapes)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"[\"R\\u0000A\"]", "[\"R\xC0\x80"
                            "A\"]"},
        {"{\"c\":\"x\\ud83d\"}", "{\"c\":\"x\xED\xA0\xBD\"}"},
        {"{\"c\":\"\\uDE00y\"}", "{\"c\":\"\xED\xB8\x80y\"}"},
        {"{\"c\":\"\\ud83d\\ude00\"}", "{\"c\":\"\\ud83d\\ude00\"}"},
        {"{\"c\":\"\\ud83d\\u0041\"}", "{\"c\":\"\xED\xA0\xBD\\u0041\"}"},
        {"{\"c\":\"C:\\\\u0000\"}", "{\"c\":\"C:\\\\u0000\"}"},
        {"{\"c\":\"\\\"\\u0000\\n\"}", "{\"c\":\"\\\"\xC0\x80\\n\"}"},
        {"{\"k\\u0000\":1}", "{\"k\xC0\x80\":1}"},
        {"[\"\\u00", "[\"\\u00"},
        {"[1] \\u0000", "[1] \\u0000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[64];
        size_t n = strlen(cases[i].in);
        memcpy(buf, cases[i].in, n + 1);
        size_t m = http_json_mend(buf, n);
        ck_assert_msg(m == strlen(cases[i].out) && memcmp(buf, cases[i].out, m) == 0, "case %zu: %.*s", i,
                      (int)m, buf);
    }
    /* cJSON reads the mended text: the NUL's bytes stay in the string */
    char body[] = "[\"R\\u0000A\",\"R\\u0000B\"]";
    size_t m = http_json_mend(body, strlen(body));
    cJSON *j = cJSON_ParseWithLength(body, m);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(cJSON_GetArrayItem(j, 0)->valuestring, "R\xC0\x80"
                                                            "A");
    ck_assert_str_ne(cJSON_GetArrayItem(j, 0)->valuestring, cJSON_GetArrayItem(j, 1)->valuestring);
    cJSON_Delete(j);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("http");
    TCase *t = tcase_create("pure");
    tcase_add_test(t, date_three_forms);
    tcase_add_test(t, date_rejects_bad);
    tcase_add_test(t, retry_after_values);
    tcase_add_test(t, backoff_full_jitter_bounds);
    tcase_add_test(t, status_classes);
    tcase_add_test(t, error_messages_per_vendor);
    tcase_add_test(t, error_message_cut_on_character);
    tcase_add_test(t, describe_status_hints);
    tcase_add_test(t, describe_status_redirect);
    tcase_add_test(t, url_helpers);
    tcase_add_test(t, headers_and_secrets);
    tcase_add_test(t, checkpoint_round_trip);
    tcase_add_test(t, json_mend_escapes);
    suite_add_tcase(s, t);
    return run_suite(s);
}
