/* test_vendor_table.c — the vendor table (ingest/vendors.c): a config is
 * checked against it (unknown vendor, a key the vendor needs, a metric it
 * cannot supply, each named), and the Delighted CSV export's column map
 * (ingest/delighted_csv.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "ingest/delighted_csv.h"
#include "ingest/ingest.h"
#include "ingest/vendor.h"

#include "run_suite.h"

/* Loads a config whose one source is SOURCE_JSON and checks it: returns
 * the check's result, the message in ERR. */
static int check_source(const char *source_json, char *err, size_t errlen)
{
    char path[] = "/tmp/cx-vt-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "{\"sources\":[%s]}", source_json);
    fclose(f);
    cx_config *c = config_load(path, 0, err, errlen);
    unlink(path);
    ck_assert_msg(c != NULL, "config_load: %s", err);
    int rc = ingest_check_config(c, err, errlen);
    config_free(c);
    return rc;
}

#define BASE "\"base_url\":\"https://example.com\",\"token_env\":\"T\""

START_TEST(config_against_table)
{
    char err[512];
    ck_assert_int_eq(check_source("{\"name\":\"d\",\"vendor\":\"delighted\"," BASE "}", err, sizeof err), 0);
    ck_assert_int_eq(check_source("{\"name\":\"x\",\"vendor\":\"medallia\"," BASE "}", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "source x: vendor: unknown vendor \"medallia\"") && strstr(err, "qualtrics"),
                  "%s", err);
    ck_assert_int_eq(check_source("{\"name\":\"q\",\"vendor\":\"qualtrics\"," BASE "}", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "source q: survey_id: is required for vendor qualtrics") != NULL, "%s", err);
    ck_assert_int_eq(check_source("{\"name\":\"q\",\"vendor\":\"qualtrics\",\"survey_id\":\"SV_1\"," BASE "}",
                                  err, sizeof err),
                     0);
    ck_assert_int_eq(check_source("{\"name\":\"s\",\"vendor\":\"surveymonkey\",\"survey_id\":\"1\","
                                  "\"metric\":\"ces\"," BASE "}",
                                  err, sizeof err),
                     -1);
    ck_assert_msg(strstr(err, "source s: metric: \"ces\" is not one vendor surveymonkey supplies (nps)") !=
                      NULL,
                  "%s", err);
    ck_assert_int_eq(
        check_source("{\"name\":\"z\",\"vendor\":\"zendesk\",\"email\":\"a@b\",\"metric\":\"nps\"," BASE "}",
                     err, sizeof err),
        -1);
    ck_assert_msg(strstr(err, "source z: metric: \"nps\" is not one vendor zendesk supplies (csat)") != NULL,
                  "%s", err);
    ck_assert_int_eq(check_source("{\"name\":\"z\",\"vendor\":\"zendesk\"," BASE "}", err, sizeof err), -1);
    ck_assert_msg(strstr(err, "source z: email: is required for vendor zendesk") != NULL, "%s", err);
    ck_assert_int_eq(check_source("{\"name\":\"g\",\"vendor\":\"genesys\",\"login_url\":\"https://l\"," BASE
                                  "}",
                                  err, sizeof err),
                     -1);
    ck_assert_msg(strstr(err, "source g: client_id_env: is required for vendor genesys") != NULL, "%s", err);
    ck_assert_int_eq(check_source("{\"name\":\"f\",\"vendor\":\"formbricks\",\"survey_id\":\"s\","
                                  "\"nps_question\":\"q\",\"metric\":\"stars\"," BASE "}",
                                  err, sizeof err),
                     -1);
    ck_assert_msg(strstr(err, "source f: metric: unknown metric \"stars\"") != NULL, "%s", err);
    ck_assert_int_eq(check_source("{\"name\":\"f\",\"vendor\":\"formbricks\",\"survey_id\":\"s\","
                                  "\"nps_question\":\"q\",\"metric\":\"ces\"," BASE "}",
                                  err, sizeof err),
                     0);
}
END_TEST

START_TEST(table_rows)
{
    const char *names[] = {"delighted", "qualtrics", "surveymonkey", "formbricks", "genesys", "zendesk"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const vendor_def *v = vendor_find(names[i]);
        ck_assert_ptr_nonnull(v);
        ck_assert_str_eq(v->name, names[i]);
        ck_assert_ptr_nonnull(v->sync);
        ck_assert_ptr_nonnull(v->defaults);
        int agent = 0; /* every vendor knows where the agent is */
        for (size_t k = 0; v->defaults[k]; k += 2) agent |= strcmp(v->defaults[k], "agent_id") == 0;
        ck_assert_msg(agent, "%s: no default path for agent_id", names[i]);
        ck_assert_str_eq(v->metrics[0], strcmp(names[i], "zendesk") == 0 ? "csat" : "nps");
    }
    ck_assert_ptr_null(vendor_find("Delighted"));
    ck_assert_ptr_null(vendor_find(NULL));
}
END_TEST

START_TEST(delighted_columns)
{
    char b[64];
    ck_assert_str_eq(delighted_column("Response ID", b, sizeof b), "response_id");
    ck_assert_str_eq(delighted_column("response timestamp", b, sizeof b), "responded_at");
    ck_assert_str_eq(delighted_column("Person property: Agent", b, sizeof b), "agent_id");
    ck_assert_str_eq(delighted_column("Person property: Home Region", b, sizeof b), "home_region");
    ck_assert_str_eq(delighted_column("Email", b, sizeof b), "email");
    char *fields[] = {"Response ID", "Score", "Response timestamp", "Updated timestamp", "Agent"};
    size_t lens[] = {11, 5, 18, 17, 5};
    csv_record h = {5, fields, lens, 1, NULL, 0};
    delighted_names dn;
    char err[128];
    ck_assert_int_eq(delighted_header(&h, &dn, err, sizeof err), 0);
    ck_assert_str_eq(h.fields[3], "updated_at");
    ck_assert_int_eq(h.lens[4], 8);
    ck_assert_int_eq(dn.time_col[0], 2);
    ck_assert_int_eq(dn.time_col[1], 3);
    char t0[] = "1", t1[] = "2", t2[] = "2026-05-04 13:02:11 -0700", t3[] = "2026-05-04 13:02:11 UTC",
         t4[] = "A";
    char *row[] = {t0, t1, t2, t3, t4};
    size_t rl[] = {1, 1, strlen(t2), strlen(t3), 1};
    csv_record r = {5, row, rl, 2, NULL, 0};
    delighted_row(&dn, &r);
    ck_assert_str_eq(r.fields[2], "2026-05-04 13:02:11-0700");
    ck_assert_int_eq(r.lens[2], 24);
    ck_assert_str_eq(r.fields[3], "2026-05-04 13:02:11Z");
    ck_assert_int_eq(r.lens[3], 20);
    delighted_names_free(&dn);
}
END_TEST

/* ---------------------------------------------------------------- mapping */

static cx_source_cfg src;
static sync_ctx ctx;
static map_buf mb;
static cx_response resp;

static void setup_ctx(const char *vendor)
{
    memset(&src, 0, sizeof src);
    memset(&ctx, 0, sizeof ctx);
    src.name = (char *)"test";
    src.vendor = (char *)vendor;
    src.nps_question = (char *)"nps";
    src.comment_question = (char *)"reason";
    ctx.src = &src;
    mb.used = 0;
    cx_response_clear(&resp);
}

/* Maps JSON with FN; returns its result, *WHY set on -1. */
static int map_json(record_map_fn fn, const char *json, void *x, const char **why)
{
    cJSON *j = cJSON_Parse(json);
    ck_assert_ptr_nonnull(j);
    mb.used = 0;
    cx_response_clear(&resp);
    *why = "";
    int rc = fn(&ctx, j, x, &resp, &mb, why);
    static cJSON *last; /* RESP borrows from it until the next call */
    cJSON_Delete(last);
    last = j;
    return rc;
}

START_TEST(formbricks_records)
{
    const char *why;
    setup_ctx("formbricks");
    ck_assert_int_eq(
        map_json(
            formbricks_map,
            "{\"id\":\"r1\",\"createdAt\":\"2026-11-30T10:00:00.123Z\",\"updatedAt\":\"2026-11-30T10:05:00.000Z\","
            "\"finished\":true,\"data\":{\"nps\":\"9\",\"reason\":\"fast\",\"agent_id\":\"A1\",\"region\":\"north\"},"
            "\"contact\":{\"userId\":\"C7\"}}",
            NULL, &why),
        0);
    ck_assert_str_eq(resp.response_id, "r1");
    ck_assert_int_eq(resp.responded_at, 1796032800);
    ck_assert_int_eq(resp.updated_at, 1796033100);
    ck_assert_int_eq(resp.score, 9);
    ck_assert_str_eq(resp.comment, "fast");
    ck_assert_str_eq(resp.agent_id, "A1");
    ck_assert_str_eq(resp.customer_id, "C7");
    ck_assert_int_eq(resp.n_attrs, 1);
    ck_assert_str_eq(resp.attrs[0].value, "north");
    /* Not finished and no score yet: skipped (read again once answered). */
    ck_assert_int_eq(map_json(formbricks_map,
                              "{\"id\":\"r2\",\"createdAt\":\"2026-11-30T10:00:00Z\","
                              "\"finished\":false,\"data\":{}}",
                              NULL, &why),
                     1);
    /* Finished without a score, or out of scale: rejected with the reason. */
    ck_assert_int_eq(map_json(formbricks_map,
                              "{\"id\":\"r3\",\"createdAt\":\"2026-11-30T10:00:00Z\","
                              "\"finished\":true,\"data\":{\"reason\":\"x\"}}",
                              NULL, &why),
                     -1);
    ck_assert_str_eq(why, "score is missing");
    ck_assert_int_eq(map_json(formbricks_map,
                              "{\"id\":\"r4\",\"createdAt\":\"2026-11-30T10:00:00Z\","
                              "\"finished\":true,\"data\":{\"nps\":12}}",
                              NULL, &why),
                     -1);
    ck_assert_str_eq(why, "score is out of range 0..10");
    /* Updated before the last complete walk began: skipped, no write
     * (times from python3 calendar.timegm). */
    int64_t mark[1] = {1796033101};
    ck_assert_int_eq(map_json(formbricks_map,
                              "{\"id\":\"r1\",\"createdAt\":\"2026-11-30T10:00:00Z\","
                              "\"updatedAt\":\"2026-11-30T10:05:00Z\",\"data\":{\"nps\":9}}",
                              mark, &why),
                     1);
    mark[0] = 1796033100;
    ck_assert_int_eq(map_json(formbricks_map,
                              "{\"id\":\"r1\",\"createdAt\":\"2026-11-30T10:00:00Z\","
                              "\"updatedAt\":\"2026-11-30T10:05:00Z\",\"data\":{\"nps\":9}}",
                              mark, &why),
                     0);
}
END_TEST

START_TEST(genesys_surveys)
{
    const char *why;
    setup_ctx("genesys");
    ck_assert_int_eq(
        map_json(
            genesys_map,
            "{\"surveyId\":\"s-1\",\"surveyStatus\":\"Finished\",\"surveyPromoterScore\":6,"
            "\"surveyCompletedDate\":\"2026-11-30T10:00:00.000Z\",\"eventTime\":\"2026-11-30T10:05:00.000Z\","
            "\"userId\":\"u-7\",\"queueId\":\"q-1\",\"mediaType\":\"voice\",\"conversationId\":\"c-1\","
            "\"surveyComment\":\"slow\",\"handleTimeS\":312.5}",
            NULL, &why),
        0);
    ck_assert_int_eq(resp.has_handle_time, 1);
    ck_assert(resp.handle_time_s == 312.5);
    ck_assert_str_eq(resp.response_id, "s-1");
    ck_assert_int_eq(resp.score, 6);
    ck_assert_int_eq(resp.responded_at, 1796032800); /* python3 calendar.timegm */
    ck_assert_int_eq(resp.updated_at, 1796033100);   /* the later eventTime */
    ck_assert_str_eq(resp.agent_id, "u-7");
    ck_assert_str_eq(resp.channel, "voice");
    ck_assert_str_eq(resp.comment, "slow");
    ck_assert_int_eq(resp.n_attrs, 2);
    ck_assert_str_eq(resp.attrs[0].key, "queue");
    ck_assert_str_eq(resp.attrs[0].value, "q-1");
    ck_assert_int_eq(map_json(genesys_map, "{\"surveyId\":\"s-2\",\"surveyStatus\":\"Pending\"}", NULL, &why),
                     1);
    ck_assert_int_eq(map_json(genesys_map,
                              "{\"surveyId\":\"s-3\",\"surveyStatus\":\"Finished\","
                              "\"surveyCompletedDate\":\"2026-11-30T10:00:00Z\"}",
                              NULL, &why),
                     -1);
    ck_assert_str_eq(why, "score is missing");
    int64_t before[1] = {1796032801};
    ck_assert_int_eq(map_json(genesys_map,
                              "{\"surveyId\":\"s-4\",\"surveyStatus\":\"Finished\","
                              "\"surveyPromoterScore\":9,\"surveyCompletedDate\":\"2026-11-30T10:00:00Z\"}",
                              before, &why),
                     1);
}
END_TEST

START_TEST(zendesk_ratings)
{
    const char *why;
    setup_ctx("zendesk");
    ck_assert_int_eq(
        map_json(
            zendesk_map,
            "{\"id\":35436,\"assignee_id\":360000007,\"requester_id\":12,\"group_id\":3,\"ticket_id\":501,"
            "\"score\":\"bad\",\"comment\":\"slow\",\"reason\":\"Some other reason\","
            "\"created_at\":\"2026-11-30T10:00:00Z\",\"updated_at\":\"2026-11-30T10:05:00Z\"}",
            NULL, &why),
        0);
    ck_assert_str_eq(resp.response_id, "35436");
    ck_assert_int_eq(resp.metric, CX_METRIC_CSAT_BINARY);
    ck_assert_int_eq(resp.score, 0);
    ck_assert_str_eq(resp.agent_id, "360000007");
    ck_assert_str_eq(resp.customer_id, "12");
    ck_assert_int_eq(resp.updated_at, 1796033100); /* python3 calendar.timegm */
    ck_assert_int_eq(map_json(zendesk_map,
                              "{\"id\":2,\"score\":\"good\",\"comment\":null,"
                              "\"created_at\":\"2026-11-30T10:00:00Z\"}",
                              NULL, &why),
                     0);
    ck_assert_int_eq(resp.score, 1);
    ck_assert_str_eq(resp.comment, "");
    ck_assert_int_eq(map_json(zendesk_map,
                              "{\"id\":3,\"score\":\"offered\",\"created_at\":\"2026-11-30T10:00:00Z\"}",
                              NULL, &why),
                     1);
    ck_assert_int_eq(map_json(zendesk_map, "{\"id\":4,\"score\":\"unoffered\"}", NULL, &why), 1);
    ck_assert_int_eq(map_json(zendesk_map,
                              "{\"id\":5,\"score\":\"great\",\"created_at\":\"2026-11-30T10:00:00Z\"}", NULL,
                              &why),
                     -1);
    ck_assert_str_eq(why, "score is not good or bad");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vendor_table");
    TCase *t = tcase_create("table");
    tcase_add_test(t, config_against_table);
    tcase_add_test(t, table_rows);
    tcase_add_test(t, delighted_columns);
    tcase_add_test(t, formbricks_records);
    tcase_add_test(t, genesys_surveys);
    tcase_add_test(t, zendesk_ratings);
    suite_add_tcase(s, t);
    return run_suite(s);
}
