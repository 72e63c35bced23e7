/* test_csv.c — unit tests for the record syntax of core/csv.c's reader
 * (byte-order mark, line ends, quotes, empty fields, NUL bytes, errors
 * with line numbers, UTF-16 refused) and utf8_valid.  How it takes its
 * input (errors, blocks, limits, pipes): test_csv_input.c; the
 * differential random tests: test_csv_random.c; the writer:
 * test_csv_write.c; shared checks: csv_fixture.h.
 */
#include "csv_fixture.h"

START_TEST(test_empty_input)
{
    expect_end(open_str(""));
    expect_end(open_str("\xEF\xBB\xBF"));
}
END_TEST

START_TEST(test_bom)
{
    csv_reader *r = open_str("\xEF\xBB\xBFid,score\n1,9\n");
    expect(r, 1, "id|score");
    expect(r, 2, "1|9");
    expect_end(r);
    r = open_str("\xEF\xBBx\n\xEF\xBB\xBFy\n"); /* partial BOM, BOM not at start: data */
    expect(r, 1, "\xEF\xBBx");
    expect(r, 2, "\xEF\xBB\xBFy");
    expect_end(r);
}
END_TEST

START_TEST(test_line_ends)
{
    csv_reader *r = open_str("a,b,c\n1,2,3\n");
    csv_record rec;
    expect(r, 1, "a|b|c");
    expect(r, 2, "1|2|3");
    expect_end(r);
    r = open_str("a,b\r\n1,2\r\n");
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    ck_assert_int_eq(rec.raw_len, 3); /* raw excludes the CRLF */
    ck_assert(memcmp(rec.raw, "a,b", 3) == 0);
    expect(r, 2, "1|2");
    expect_end(r);
    r = open_str("a\rb\r\nc\nd\r\r\ne"); /* lone CR, CRLF, LF, no final end */
    expect(r, 1, "a");
    expect(r, 2, "b");
    expect(r, 3, "c");
    expect(r, 4, "d");
    expect(r, 5, "");
    expect(r, 6, "e");
    expect_end(r);
    r = open_str("x,y\n\n");
    expect(r, 1, "x|y");
    expect(r, 2, ""); /* an empty line is one empty field */
    expect_end(r);
}
END_TEST

START_TEST(test_quotes)
{
    csv_reader *r = open_str("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"
                             "a\"b,c\",\"\"\"\"\n"
                             "\"x\ny\",1\n\"p\r\nq\rr\",2\nlast,\"\n\"\n\"\"");
    expect(r, 1, "a,b|say \"hi\"|");
    expect(r, 2, "a\"b|c\"|\""); /* quotes in unquoted fields are literal */
    expect(r, 3, "x\ny|1");
    expect(r, 5, "p\r\nq\rr|2"); /* embedded CRLF is one line, CR one */
    expect(r, 8, "last|\n");
    expect(r, 10, "");
    expect_end(r);
}
END_TEST

START_TEST(test_empty_fields)
{
    csv_reader *r = open_str(",,\na,b,\n\"\"\na,\"\"\n,\n\"\",\"\"");
    expect(r, 1, "||");
    expect(r, 2, "a|b|"); /* trailing empty field counts */
    expect(r, 3, "");
    expect(r, 4, "a|");
    expect(r, 5, "|");
    expect(r, 6, "|");
    expect_end(r);
}
END_TEST

START_TEST(test_nul_byte)
{
    csv_reader *r = open_buf("a\0b,c\n", 6);
    csv_record rec;
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    ck_assert_int_eq(rec.nfields, 2);
    ck_assert_int_eq(rec.lens[0], 3);
    ck_assert(memcmp(rec.fields[0], "a\0b", 4) == 0);
    expect_end(r);
}
END_TEST

START_TEST(test_junk_after_quote)
{
    csv_reader *r = open_str("ok,1\n\"ab\"c,2\nnext,3\n\"a\nb\"x,\"y\nz\n"
                             "a,\"b\" c,\"d\"\r\n\"q\"\"\" \"\"\rend");
    const char *name = csv_reader_name(r);
    char want[600];
    expect(r, 1, "ok|1");
    snprintf(want, sizeof want, "%s:2: unexpected character after closing quote in field 1", name);
    expect_fail(r, -2, 2, want, "\"ab\"c,2");
    expect(r, 3, "next|3");
    /* After the junk the rest of the line is skipped as unquoted text, so
     * the stray quote in "y does not swallow the next record. */
    snprintf(want, sizeof want, "%s:4: unexpected character after closing quote in field 1", name);
    expect_fail(r, -2, 4, want, "\"a\nb\"x,\"y");
    expect(r, 6, "z");
    snprintf(want, sizeof want, "%s:7: unexpected character after closing quote in field 2", name);
    expect_fail(r, -2, 7, want, "a,\"b\" c,\"d\"");
    snprintf(want, sizeof want, "%s:8: unexpected character after closing quote in field 1", name);
    expect_fail(r, -2, 8, want, "\"q\"\"\" \"\"");
    expect(r, 9, "end");
    expect_end(r);
}
END_TEST

START_TEST(test_unterminated)
{
    csv_reader *r = open_str("a\nb\n\"open,\nmore\n");
    char want[600];
    expect(r, 1, "a");
    expect(r, 2, "b");
    snprintf(want, sizeof want, "%s:3: unterminated quoted field", csv_reader_name(r));
    expect_fail(r, -1, 3, want, "\"open,\nmore\n");
    expect_end(r);              /* after a fatal error: end */
    r = open_str("x,\"ab\"\""); /* a doubled quote is no close */
    snprintf(want, sizeof want, "%s:1: unterminated quoted field", csv_reader_name(r));
    expect_fail(r, -1, 1, want, "x,\"ab\"\"");
    expect_end(r);
}
END_TEST

/* UTF-16 (with or without its byte-order mark, either byte order) is
 * named as such, not read as UTF-8 text with NUL bytes. */
START_TEST(test_utf16)
{
    static const struct {
        const char *s;
        size_t n;
    } in[] = {
        {"\xFF\xFEi\0d\0\n\0", 8}, {"\xFE\xFF\0i\0d\0\n", 8}, {"i\0d\0,\0x\0\n\0", 10},
        {"\0i\0d\0,\0x\0\n", 10},  {"\xFF\xFE", 2},
    };
    csv_record rec;
    for (size_t k = 0; k < sizeof in / sizeof *in; k++) {
        csv_reader *r = open_buf(in[k].s, in[k].n);
        ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), -1);
        ck_assert_msg(strstr(err, ":1: the file is UTF-16: convert it to UTF-8") != NULL, "%zu: %s", k, err);
        ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 0);
        csv_reader_free(r);
    }
    csv_reader *r = open_buf("i\0d\n", 4); /* one NUL is a bad field, not UTF-16 */
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    csv_reader_free(r);
}
END_TEST

START_TEST(test_utf8)
{
    static const char *ok[] = {"",
                               "plain",
                               "caf\xC3\xA9",
                               "\xE2\x82\xAC",
                               "\xF0\x9D\x84\x9E",
                               "\xF4\x8F\xBF\xBF",
                               "\xED\x9F\xBF",
                               "\xEE\x80\x80",
                               "\xE0\xA0\x80",
                               "\xC2\x80",
                               "\xEF\xBF\xBF",
                               "\xF0\x90\x80\x80"};
    static const char *bad[] = {"\xC0\x80",
                                "\xC1\xBF",
                                "\xE0\x80\x80",
                                "\xE0\x9F\xBF",
                                "\xED\xA0\x80",
                                "\xED\xBF\xBF",
                                "\xF0\x80\x80\x80",
                                "\xF0\x8F\xBF\xBF",
                                "\xF4\x90\x80\x80",
                                "\xF5\x80\x80\x80",
                                "\xF8\x88\x80\x80\x80",
                                "\xFF",
                                "\xFE",
                                "\x80",
                                "a\xBF",
                                "\xC3",
                                "\xE2\x82",
                                "\xF0\x9D\x84",
                                "\xC3\x41",
                                "\xE2\x41\xAC",
                                "\xE2\x82\x41",
                                "\xF0\x9D\x41\x9E",
                                "\xF0\x9D\x84\x41",
                                "ok\xC3"};
    for (size_t k = 0; k < sizeof ok / sizeof *ok; k++)
        ck_assert_msg(utf8_valid(ok[k], strlen(ok[k])), "ok[%zu] rejected", k);
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        ck_assert_msg(!utf8_valid(bad[k], strlen(bad[k])), "bad[%zu] accepted", k);
    ck_assert(utf8_valid("a\0b", 3));      /* NUL is valid UTF-8 */
    ck_assert(!utf8_valid("\xC3\xA9", 1)); /* LEN cuts the sequence */
    /* utf8_clean: utf8_valid and no NUL, each case put after 0 to 19
     * ASCII bytes and before 0 to 9 (its word-at-a-time part must hand
     * every place of a sequence over) */
    char buf[64];
    for (size_t pre = 0; pre < 20; pre++)
        for (size_t post = 0; post < 10; post++) {
            for (size_t k = 0; k < sizeof ok / sizeof *ok + sizeof bad / sizeof *bad + 2; k++) {
                size_t nok = sizeof ok / sizeof *ok, nbad = sizeof bad / sizeof *bad;
                const char *v = k < nok           ? ok[k]
                                : k < nok + nbad  ? bad[k - nok]
                                : k == nok + nbad ? "\0"
                                                  : "x\0y";
                size_t n = k == nok + nbad ? 1 : k == nok + nbad + 1 ? 3 : strlen(v);
                memset(buf, 'a', pre);
                memcpy(buf + pre, v, n);
                memset(buf + pre + n, 'z', post);
                int want = k < nok; /* the NUL cases are not clean */
                ck_assert_msg(utf8_clean(buf, pre + n + post) == want, "case %zu after %zu, before %zu", k,
                              pre, post);
            }
        }
    ck_assert(utf8_clean("", 0));
    ck_assert(utf8_clean("abcdefghijklmnop", 16));
    ck_assert(!utf8_clean("abcdefg\x80", 8)); /* the high byte last in a word */
    ck_assert(!utf8_clean("abcdefghijklmno\0", 16));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");
    tcase_add_test(tc, test_empty_input);
    tcase_add_test(tc, test_bom);
    tcase_add_test(tc, test_line_ends);
    tcase_add_test(tc, test_quotes);
    tcase_add_test(tc, test_empty_fields);
    tcase_add_test(tc, test_nul_byte);
    tcase_add_test(tc, test_junk_after_quote);
    tcase_add_test(tc, test_unterminated);
    tcase_add_test(tc, test_utf16);
    tcase_add_test(tc, test_utf8);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
