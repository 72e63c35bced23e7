/* test_store_attrs.c — the attributes' JSON text read by the store's own
 * scanner (core/store/store_attrs.h attrs_scan, as the analysis cache's
 * build uses it) against cJSON (attrs_from_json): the same pairs, in the
 * same order, on plain texts and on texts only cJSON's tree reads. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store/store_attrs.h"
#include "tests/unit/run_suite.h"

/* attrs_scan against attrs_from_json (cJSON) on TEXT: the same pairs, in
 * order, at most CAP; 1 when attrs_scan needed no parse tree. */
static int same_attrs(const char *text, size_t cap)
{
    cx_attr want[8], got[8];
    size_t nw = 0, ng = 0;
    attrs_buf b = {NULL, 0};
    attrs_doc *dw = attrs_from_json(text, want, &nw, cap);
    attrs_doc *dg = attrs_scan(text, &b, got, &ng, cap);
    ck_assert_msg(nw == ng, "%s: %zu pairs, cJSON %zu", text, ng, nw);
    for (size_t i = 0; i < nw; i++) {
        ck_assert_msg(strcmp(want[i].key, got[i].key) == 0, "%s: key %zu", text, i);
        ck_assert_msg(strcmp(want[i].value, got[i].value) == 0, "%s: value %zu", text, i);
    }
    int fast = dg == NULL;
    attrs_doc_free(dw);
    attrs_doc_free(dg);
    attrs_buf_free(&b);
    return fast;
}

START_TEST(attrs_scan_reads_as_cjson)
{
    /* plain texts (as attrs_to_json and PostgreSQL's jsonb write them): no parse tree */
    static const char *const plain[] = {
        "{\"region\":\"west\"}",
        "{\"region\":\"west\",\"tier\":\"gold\"}",
        "{\"a\": \"b\", \"c\": \"d\"}",
        "{ \"a\" : \"\" }",
        "{\"\":\"empty key\"}",
        "{\"k\":\"caf\xc3\xa9 \xe2\x82\xac\"}",
        "{\"k\":\"\xff\xfe\"}",
        "{\"dup\":\"1\",\"dup\":\"2\"}",
        "{\"k\":\"=cmd|' /C calc'!A0\"}",
        "{\"k\":\"<script>\"}",
        "{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\",\"e\":\"5\"}",
        "{ }",
    };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        ck_assert_msg(same_attrs(plain[i], 8), "%s: parsed with cJSON", plain[i]);
        ck_assert(same_attrs(plain[i], 2)); /* at most CAP pairs */
    }
    /* anything else: cJSON's reading, whatever it is */
    static const char *const other[] = {
        "",
        "{}",
        "[]",
        "null",
        "\"s\"",
        "{",
        "}",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":\"b\"",
        "{\"a\":\"b\",}",
        "{\"a\":\"b\"}x",
        "{\"a\":\"b\"} ",
        " {\"a\":\"b\"}",
        "{\"a\":\"b\\\"c\"}",
        "{\"a\\u0041\":\"b\"}",
        "{\"a\":\"\\u00e9\\n\"}",
        "{\"a\":\"tab\there\"}",
        "{\"a\":1,\"b\":\"2\"}",
        "{\"a\":null,\"b\":\"x\"}",
        "{\"a\":{\"b\":\"c\"},\"d\":\"e\"}",
        "{\"a\":[\"b\"],\"c\":\"d\"}",
        "{\"a\":true}",
        "{\"a\":\"b\"\n}",
        "{\"a\":\"b\",\"c\":\"d\",\"e\":\"f\" garbage",
        "{\"a\":\"b\" \"c\":\"d\"}",
        "{\"a\"\t:\"b\"}",
        "{\"a\":\"b\",\"c\":\"d\",\"e\":\"f\",\"g\":1.5e3}",
        "{'a':'b'}",
    };
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        same_attrs(other[i], 8);
        same_attrs(other[i], 2);
    }
    /* random texts made of the tokens that matter */
    static const char *const tok[] = {"{",    "}", "\"", "a", "b",  ":",        ",",           " ",   "\\",
                                      "\\\"", "1", "[",  "]", "\t", "\xc3\xa9", "\"k\":\"v\"", "null"};
    unsigned seed = 19;
    for (int n = 0; n < 20000; n++) {
        char text[128] = "{";
        size_t len = 1;
        int parts = 1 + n % 12;
        for (int k = 0; k < parts; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *t = tok[(seed >> 16) % (sizeof tok / sizeof *tok)];
            size_t tl = strlen(t);
            if (len + tl + 2 >= sizeof text) break;
            memcpy(text + len, t, tl);
            len += tl;
        }
        if (n % 3) text[len++] = '}';
        text[len] = '\0';
        same_attrs(text, 1 + n % 8);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_attrs");
    TCase *t = tcase_create("attrs");
    tcase_add_test(t, attrs_scan_reads_as_cjson);
    suite_add_tcase(s, t);
    return run_suite(s);
}
