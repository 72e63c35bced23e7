/* test_csv_write.c — core/csv.c's writer: quoting, formula escaping,
 * numbers, write failures, and a write-then-read round trip.  Shared
 * checks: csv_fixture.h.
 */
#include "csv_fixture.h"
#include "core/model.h"
#include "core/num.h"
#include "core/respcsv.h"

static char *wbuf;
static size_t wlen;

static csv_writer *mem_writer(FILE **f, int escape)
{
    csv_writer *w;
    *f = open_memstream(&wbuf, &wlen);
    ck_assert_ptr_nonnull(*f);
    w = csv_writer_new(*f, escape);
    ck_assert_ptr_nonnull(w);
    return w;
}

/* WANT is a string literal: its length counts embedded NULs. */
#define writer_done(f, w, want) writer_check(f, w, want, sizeof(want) - 1)

static void writer_check(FILE *f, csv_writer *w, const char *want, size_t n)
{
    ck_assert(!csv_writer_failed(w));
    csv_writer_free(w);
    fclose(f);
    ck_assert_msg(wlen == n && memcmp(wbuf, want, n) == 0, "wrote \"%s\"", wbuf);
    free(wbuf);
}

START_TEST(test_writer_quoting)
{
    FILE *f;
    csv_writer *w = mem_writer(&f, 0);
    static const char *in[] = {"a",      "a,b", "say \"hi\"", "x\ny", "x\rz", " lead",
                               "trail ", "\"",  "",           NULL,   "=1+2", "-x"};
    for (size_t k = 0; k < sizeof in / sizeof *in; k++) csv_put_text(w, in[k]);
    csv_end_record(w);
    csv_put_text_len(w, "a\0b", 3);
    csv_put_empty(w);
    csv_put_int(w, -5);
    csv_end_record(w);
    writer_done(f, w,
                "a,\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"x\rz\",\" lead\",\"trail \","
                "\"\"\"\",,,=1+2,-x\r\na\0b,,-5\r\n");
}
END_TEST

START_TEST(test_writer_formula)
{
    FILE *f;
    csv_writer *w = mem_writer(&f, 1);
    static const char *in[] = {"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=a,b", "a=b", " =x", "'=x", ""};
    for (size_t k = 0; k < sizeof in / sizeof *in; k++) csv_put_text(w, in[k]);
    csv_put_int(w, -5); /* numbers are never escaped */
    csv_put_double(w, -2.5);
    csv_end_record(w);
    writer_done(f, w, "'=1+2,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",\"'=a,b\",a=b,\" =x\",''=x,,-5,-2.5\r\n");
}
END_TEST

/* The escape is one-to-one: a value that starts with ' gets one more, so
 * -1 and '-1 (=a and '=a, a channel and an agent id of the defect) come
 * out as '-1 and ''-1, and dropping one leading ' from a cell read back
 * gives each value again. */
START_TEST(test_writer_formula_injective)
{
    static const char *v[] = {"-1",    "'-1",  "''-1", "=a",  "'=a",  "'",    "''",   "x",
                              "'x",    "@b",   "'@b",  "+1",  "'+1",  "\tt",  "'\tt", "=a,b",
                              "'=a,b", "'a,b", "a,b",  "\"q", "'\"q", "' sp", "it's", "'\rz"};
    size_t nv = sizeof v / sizeof *v;
    FILE *f;
    csv_writer *w = mem_writer(&f, 1);
    for (size_t k = 0; k < nv; k++) csv_put_text(w, v[k]);
    csv_end_record(w);
    ck_assert(!csv_writer_failed(w));
    csv_writer_free(w);
    fclose(f);
    csv_reader *r = open_buf(wbuf, wlen);
    csv_record rec;
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    ck_assert_int_eq(rec.nfields, nv);
    for (size_t k = 0; k < nv; k++) {
        const char *cell = rec.fields[k];
        int escaped = strchr("=+-@\t\r'", v[k][0]) != NULL;
        ck_assert_msg(escaped == (cell[0] == '\''), "%zu: cell [%s] for [%s]", k, cell, v[k]);
        ck_assert_str_eq(cell + escaped, v[k]);
        for (size_t j = 0; j < k; j++) ck_assert_str_ne(rec.fields[j], cell);
    }
    expect_end(r);
    free(wbuf);
}
END_TEST

START_TEST(test_writer_numbers)
{
    FILE *f;
    csv_writer *w = mem_writer(&f, 1);
    csv_put_double(w, 1.0 / 3);
    csv_put_double(w, 33.333333333333);
    csv_put_double(w, 1e21);
    csv_put_double(w, 123456789012.0);
    csv_put_double(w, 0.000001234);
    csv_put_double(w, -0.0);
    csv_put_double(w, NAN);
    csv_put_double(w, INFINITY);
    csv_put_double(w, -INFINITY);
    csv_put_double(w, 42);
    csv_end_record(w);
    csv_put_int(w, 0);
    csv_put_int(w, -9223372036854775807LL - 1);
    csv_end_record(w);
    writer_done(f, w,
                "0.333333333333333,33.333333333333,1e+21,123456789012,1.234e-06,0,,,,42\r\n"
                "0,-9223372036854775808\r\n");
}
END_TEST

/* cx_num_put_int, moments and an export's handle time, written by hand,
 * against what snprintf writes ("%lld"; "%d" joined by ';'; the shorter of
 * "%.15g" and "%.17g" that reads back). */
START_TEST(test_by_hand_as_printf)
{
    char got[64], want[64];
    const long long ints[] = {0,
                              1,
                              -1,
                              9,
                              10,
                              -10,
                              99,
                              100,
                              123456789,
                              -987654321,
                              9223372036854775807LL,
                              -9223372036854775807LL - 1,
                              1000000000000000LL};
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        size_t n = cx_num_put_int(got, ints[i]);
        got[n] = '\0';
        snprintf(want, sizeof want, "%lld", ints[i]);
        ck_assert_str_eq(got, want);
        ck_assert_uint_eq(n, strlen(want));
    }
    for (long long v = -100000; v <= 100000; v += 7) {
        got[cx_num_put_int(got, v * 92233720368LL)] = '\0';
        snprintf(want, sizeof want, "%lld", v * 92233720368LL);
        ck_assert_str_eq(got, want);
    }
    /* moments: one digit by hand, others and a short buffer by snprintf */
    const int m[] = {3, 0, 9, 10, -1, 4, 7};
    for (size_t n = 0; n <= 7; n++)
        for (size_t cap = 1; cap <= 24; cap++) {
            char g[24], w2[24];
            size_t k = 0;
            cx_format_moments(m, n, g, cap);
            w2[0] = '\0';
            for (size_t i = 0; i < n && k < cap; i++) {
                int wn = snprintf(w2 + k, cap - k, i ? ";%d" : "%d", m[i]);
                if (wn < 0) break;
                k += (size_t)wn;
            }
            if (strcmp(g, w2) != 0) ck_abort_msg("%zu moments in %zu bytes: %s, snprintf %s", n, cap, g, w2);
        }
    /* handle times through resp_write_record's field */
    const double hts[] = {707,
                          0,
                          -0.0,
                          1,
                          -5,
                          2.5,
                          999999999999999.0,
                          1e15,
                          -1e15,
                          1e20,
                          0.1,
                          123456789012345.0,
                          -999999999999999.0,
                          4503599627370497.0};
    for (size_t i = 0; i < sizeof hts / sizeof *hts; i++) {
        cx_response r;
        cx_response_clear(&r);
        r.source = "csv";
        r.response_id = "r1";
        r.has_handle_time = 1;
        r.handle_time_s = hts[i];
        FILE *f;
        csv_writer *w = mem_writer(&f, 0);
        resp_write_record(w, &r, NULL, 0);
        ck_assert(!csv_writer_failed(w));
        csv_writer_free(w);
        fclose(f);
        snprintf(want, sizeof want, "%.15g", hts[i]);
        if (strtod(want, NULL) != hts[i]) snprintf(want, sizeof want, "%.17g", hts[i]);
        /* the field after the comment and the five texts: the 12th */
        const char *p = wbuf;
        for (int c = 0; c < 11; c++) p = strchr(p, ',') + 1;
        size_t len = strcspn(p, ",");
        ck_assert_msg(len == strlen(want) && memcmp(p, want, len) == 0, "%.17g: %.*s, snprintf %s", hts[i],
                      (int)len, p, want);
        free(wbuf);
    }
}
END_TEST

/* Raw bytes (records another writer made) go out as they are, between
 * the records of this writer: no quoting, no formula escape, no separator. */
START_TEST(test_writer_raw)
{
    FILE *f;
    csv_writer *w = mem_writer(&f, 1);
    csv_put_text(w, "a");
    csv_end_record(w);
    csv_put_raw(w, "=x,\"q\"\r\n", 8);
    csv_put_raw(w, "", 0);
    csv_put_text(w, "=b");
    csv_put_text(w, "c");
    csv_end_record(w);
    writer_done(f, w, "a\r\n=x,\"q\"\r\n'=b,c\r\n");
}
END_TEST

START_TEST(test_writer_failure)
{
    FILE *f = fopen("/dev/null", "r"); /* writes to a read-only stream fail */
    csv_writer *w;
    ck_assert_ptr_nonnull(f);
    w = csv_writer_new(f, 0);
    ck_assert_ptr_nonnull(w);
    ck_assert(!csv_writer_failed(w));
    csv_put_text(w, "x");
    csv_end_record(w);
    ck_assert(csv_writer_failed(w));
    csv_writer_free(w);
    fclose(f);
    ck_assert_ptr_null(csv_writer_new(NULL, 0));
}
END_TEST

/* What the writer writes, the reader reads back unchanged. */
START_TEST(test_round_trip)
{
    static const char *v[] = {"plain", "a,b", "q\"uo\"\"te", "multi\nline\r\nx\ry", " sp ", "=not escaped",
                              "",      "\"",  "\"\"",        "caf\xC3\xA9",         ","};
    size_t nv = sizeof v / sizeof *v;
    FILE *f;
    csv_writer *w = mem_writer(&f, 0);
    csv_reader *r;
    csv_record rec;

    for (int row = 0; row < 3; row++) {
        for (size_t k = 0; k < nv; k++) csv_put_text(w, v[(k + (size_t)row) % nv]);
        csv_end_record(w);
    }
    ck_assert(!csv_writer_failed(w));
    csv_writer_free(w);
    fclose(f);
    r = open_buf(wbuf, wlen);
    for (int row = 0; row < 3; row++) {
        ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
        ck_assert_int_eq(rec.nfields, nv);
        for (size_t k = 0; k < nv; k++) ck_assert_str_eq(rec.fields[k], v[(k + (size_t)row) % nv]);
    }
    expect_end(r);
    free(wbuf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv_write");
    TCase *tc = tcase_create("csv_write");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_writer_quoting);
    tcase_add_test(tc, test_writer_formula);
    tcase_add_test(tc, test_writer_formula_injective);
    tcase_add_test(tc, test_writer_numbers);
    tcase_add_test(tc, test_writer_raw);
    tcase_add_test(tc, test_writer_failure);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_by_hand_as_printf);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
