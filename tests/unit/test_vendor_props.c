/* test_vendor_props.c — a vendor record's ids and properties: big integer
 * ids kept exact, the attribute limit, and properties named like the
 * model's fields or a mapped attribute kept as attr_NAME (Delighted's
 * mapping; the shared set-up: vendor_fixture.h). */
#include "vendor_fixture.h"

START_TEST(big_integer_ids_exact)
{
    const char *text = "\xEF\xBB\xBF [ {\"id\":9007199254740993,\"n\":1e300,\"s\":\"9007199254740993\"},"
                       "{\"id\":9007199254740992,\"id\":-12345678901234567890,\"x\":[1,2.5e3,"
                       "1000000000000000]},\n{\"id\":12345678901234567890.0} ]";
    cJSON *j = cJSON_ParseWithLength(text, strlen(text));
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(http_keep_text(j, strdup(text), strlen(text)), 0);
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
    ck_assert_int_eq(http_keep_text(j, strdup("[1,2,3]"), 7), -1); /* not its text */
    cJSON_Delete(j);
}
END_TEST

/* Whether REC's kept text is WANT, byte for byte. */
static int text_is(const cJSON *rec, const char *want)
{
    size_t n = 0;
    const char *t = http_record_text(rec, &n);
    return t != NULL && n == strlen(want) && memcmp(t, want, n) == 0;
}

static int has_text(const cJSON *rec)
{
    size_t n;
    return http_record_text(rec, &n) != NULL;
}

/* A record's text as the vendor sent it (a rejected record's raw text):
 * the bytes of each object that is an array's element and within no other
 * such, from the body as sent when mending changed it (http_request.c's
 * order: keep a copy, mend, parse the mended body, walk the copy). */
START_TEST(record_text_as_sent)
{
    const char *sent = "{\"data\": [ {\"id\":\"a\",  \"n\": 12345678901234567890, \"c\":\"x\\u0000y\\/\","
                       " \"nested\":[{\"k\":1.50}]} ,{\"id\":\"b\"} , 3, [ {\"deep\" : true} ] ],"
                       " \"links\":{\"next\":null}}";
    size_t n = strlen(sent);
    ck_assert_int_eq(http_json_would_mend(sent, n), 1);
    char *body = strdup(sent);
    size_t m = http_json_mend(body, n);
    ck_assert_uint_lt(m, n); /* mended: the text cJSON parses is not the one sent */
    cJSON *j = cJSON_ParseWithLength(body, m);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(http_keep_text(j, strdup(sent), n), 0); /* the tree's from now on */
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "data");
    const cJSON *a = cJSON_GetArrayItem(d, 0), *b = cJSON_GetArrayItem(d, 1);
    ck_assert(text_is(a, "{\"id\":\"a\",  \"n\": 12345678901234567890, \"c\":\"x\\u0000y\\/\","
                         " \"nested\":[{\"k\":1.50}]}"));
    ck_assert(text_is(b, "{\"id\":\"b\"}"));
    ck_assert(text_is(cJSON_GetArrayItem(cJSON_GetArrayItem(d, 3), 0), "{\"deep\" : true}"));
    /* within a record, the root and an object's member: no text of their own */
    ck_assert(!has_text(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a, "nested"), 0)));
    ck_assert(!has_text(j));
    ck_assert(!has_text(cJSON_GetObjectItemCaseSensitive(j, "links")));
    ck_assert(!has_text(cJSON_GetArrayItem(d, 2))); /* not an object */
    /* a copy of a record shares its text until it forgets it (genesys_record.c) */
    cJSON *dup = cJSON_Duplicate(b, 1);
    ck_assert(text_is(dup, "{\"id\":\"b\"}"));
    http_record_text_drop(dup);
    ck_assert(!has_text(dup));
    cJSON_Delete(dup);
    ck_assert(text_is(b, "{\"id\":\"b\"}")); /* the record's own stays */
    /* the big integer's text is kept too, read from the text as sent */
    mb.used = 0;
    ck_assert_str_eq(json_text(cJSON_GetObjectItemCaseSensitive(a, "n"), &mb), "12345678901234567890");
    cJSON_Delete(j);
    free(body);
    /* an object made by the program has none */
    j = cJSON_CreateObject();
    ck_assert(!has_text(j));
    cJSON_Delete(j);
    /* what mending would change, and what it would not */
    static const struct {
        const char *s;
        int want;
    } cases[] = {{"[\"\\u0000\"]", 1},        {"[\"\\uD83D\"]", 1},   {"[\"\\udfff\"]", 1},
                 {"[\"\\uD83D\\uDE00\"]", 1}, {"[\"\\\\u0000\"]", 0}, {"[\"\\u00e9\\n\"]", 0},
                 {"[\"\\u000\"]", 0},         {"[\"\\\"]", 0},        {"[1]", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_msg(http_json_would_mend(cases[i].s, strlen(cases[i].s)) == cases[i].want, "%s",
                      cases[i].s);
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
    Suite *s = suite_create("vendor_props");
    TCase *t = tcase_create("pure");
    tcase_add_checked_fixture(t, NULL, free_last);
    tcase_add_test(t, big_integer_ids_exact);
    tcase_add_test(t, record_text_as_sent);
    tcase_add_test(t, too_many_properties_rejected);
    tcase_add_test(t, delighted_field_named_properties_kept);
    suite_add_tcase(s, t);
    return run_suite(s);
}
