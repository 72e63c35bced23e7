/* test_csv_write.c — core/csv.c's writer: quoting, formula escaping,
 * numbers, write failures, and a write-then-read round trip.  Shared
 * checks: csv_fixture.h.
 */
#include "csv_fixture.h"

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
    writer_done(f, w, "'=1+2,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",\"'=a,b\",a=b,\" =x\",'=x,,-5,-2.5\r\n");
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
    tcase_add_test(tc, test_writer_numbers);
    tcase_add_test(tc, test_writer_raw);
    tcase_add_test(tc, test_writer_failure);
    tcase_add_test(tc, test_round_trip);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
