/* test_core.c — model parsing, numbers, dimensions, atomic files, the
 * string map and the customers table.  Expected values are by hand from
 * docs/formats.md.  Loading the config: test_config.c. */
#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/afile.h"
#include "core/csv.h"
#include "core/grow.h"
#include "core/model.h"
#include "core/num.h"
#include "core/strmap.h"
#include "stats/customers.h"
#include "stats/peakend.h"

START_TEST(scores)
{
    static const struct {
        const char *in;
        int ok, v;
        const char *why;
    } k[] = {
        {"0", 1, 0, NULL},
        {"10", 1, 10, NULL},
        {"9", 1, 9, NULL},
        {"9.0", 1, 9, NULL},
        {"7.", 1, 7, NULL},
        {"11", 0, 0, "out of range"},
        {"-1", 0, 0, "not a number"},
        {"9.5", 0, 0, "whole"},
        {"nine", 0, 0, "not a number"},
        {"", 0, 0, "empty"},
        {" 9", 0, 0, "not a number"},
        {"9 ", 0, 0, "not a number"},
        {"1e1", 0, 0, "not a number"},
        {"00010", 0, 0, "not a number"},
        {"100000", 0, 0, "not a number"},
        {"0010", 1, 10, NULL},
    };
    for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
        int v = -1;
        const char *why = NULL;
        int rc = cx_parse_score(k[i].in, &v, &why);
        ck_assert_msg((rc == 0) == k[i].ok, "score '%s'", k[i].in);
        if (k[i].ok) ck_assert_int_eq(v, k[i].v);
        else ck_assert_msg(strstr(why, k[i].why) != NULL, "'%s': %s", k[i].in, why);
    }
}
END_TEST

START_TEST(moments)
{
    int m[CX_MAX_MOMENTS];
    size_t n;
    const char *why;
    ck_assert_int_eq(cx_parse_moments("3;4;2", 1, 5, m, &n, &why), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(m[2], 2);
    ck_assert_int_eq(cx_parse_moments("", 1, 5, m, &n, &why), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(cx_parse_moments("1, 5 ,3", 1, 5, m, &n, &why), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(cx_parse_moments("3;6", 1, 5, m, &n, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "scale"));
    ck_assert_int_eq(cx_parse_moments("3;x", 1, 5, m, &n, &why), -1);
    ck_assert_int_eq(cx_parse_moments("3;;4", 1, 5, m, &n, &why), -1);
    char buf[64];
    int v[] = {3, 4, 2};
    cx_format_moments(v, 3, buf, sizeof buf);
    ck_assert_str_eq(buf, "3;4;2");
    /* Check values by hand (docs/methods.md "Peak-end"): peak = farthest from neutral 3, first on ties */
    int a[] = {3, 4, 2, 5, 4}, b[] = {3, 1, 4, 5}, c[] = {4};
    ck_assert_double_eq(peakend_value(a, 5, 1, 5), 4.5);
    ck_assert_double_eq(peakend_value(b, 4, 1, 5), 3.0);
    ck_assert_double_eq(peakend_value(c, 1, 1, 5), 4.0);
    ck_assert(isnan(peakend_value(c, 0, 1, 5)));
}
END_TEST

START_TEST(numbers)
{
    double v;
    const char *why;
    ck_assert_int_eq(cx_parse_number("12.5", 0, &v, &why), 0);
    ck_assert_double_eq(v, 12.5);
    ck_assert_int_eq(cx_parse_number("-3", 0, &v, &why), -1);
    ck_assert_int_eq(cx_parse_number("-3", 1, &v, &why), 0);
    ck_assert_int_eq(cx_parse_number("nan", 1, &v, &why), -1);
    ck_assert_int_eq(cx_parse_number("inf", 1, &v, &why), -1);
    ck_assert_int_eq(cx_parse_number("12abc", 1, &v, &why), -1);
    ck_assert_int_eq(cx_parse_number("", 1, &v, &why), -1);
}
END_TEST

/* One strict grammar for every numeric field (core/num.h): what strtod
 * would also take (spaces, hex, hex floats, inf, '+', ".5") is refused,
 * and so is anything beyond CX_NUM_MAX, so sums cannot overflow. */
START_TEST(numbers_strict)
{
    static const char *bad[] = {
        " 300",    "300 ",     "\t1",         "0x10", "0X1A",  "0x1p4",  "+5",
        ".5",      "5.",       "1e",          "1e+",  "1,5",   "1.2.3",  "--1",
        "- 1",     "infinity", "NaN",         "1e16", "1e308", "-1e308", "1000000000000001",
        "1e-400x", "12e3.5",   "\xef\xbc\x91" /* fullwidth 1 */};
    static const struct {
        const char *s;
        double v;
    } good[] = {
        {"0", 0},
        {"300", 300},
        {"12.5", 12.5},
        {"-0", 0},
        {"1e3", 1000},
        {"2.5E-1", 0.25},
        {"1000000000000000", 1e15},
        {"1e15", 1e15},
        {"0.1", 0.1},
        {"007", 7},
        {"123456789012345", 123456789012345.0},
        {"1.00000000000000000001", 1.0},
    };
    double v;
    const char *why;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(cx_num_parse(bad[i], strlen(bad[i]), 1, &v, &why) == -1, "accepted '%s'", bad[i]);
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        ck_assert_msg(cx_num_parse(good[i].s, strlen(good[i].s), 1, &v, &why) == 0, "'%s': %s", good[i].s,
                      why);
        ck_assert_msg(v == good[i].v, "'%s' read as %.17g", good[i].s, v);
    }
    ck_assert_int_eq(cx_num_parse("-2", 2, 0, &v, &why), -1);
    ck_assert_str_eq(why, "negative number");
    ck_assert_int_eq(cx_num_parse("1e300", 5, 1, &v, &why), -1);
    ck_assert_str_eq(why, "number out of range");
    ck_assert_int_eq(cx_num_parse("0x10", 4, 1, &v, &why), -1);
    ck_assert_str_eq(why, "not a number");
    ck_assert_int_eq(cx_num_parse("12", 1, 1, &v, &why), 0); /* LEN bounds the text */
    ck_assert(v == 1);
    /* The fast path gives strtod's double on random plain decimals. */
    srand(7);
    for (int k = 0; k < 200000; k++) {
        char buf[40];
        long long ip = rand() % 1000000000;
        int fd = rand() % 7, frac = rand() % 1000000;
        int n = fd ? snprintf(buf, sizeof buf, "%lld.%0*d", ip, fd, frac % (int)pow(10, fd))
                   : snprintf(buf, sizeof buf, "%lld", ip);
        if (cx_num_parse(buf, (size_t)n, 0, &v, &why) != 0 || v != strtod(buf, NULL))
            ck_abort_msg("'%s' read as %.17g, strtod gives %.17g", buf, v, strtod(buf, NULL));
    }
    int m[CX_MAX_MOMENTS];
    size_t nm;
    ck_assert_int_eq(cx_parse_moments("+3;4", 1, 5, m, &nm, &why), -1);
    ck_assert_int_eq(cx_parse_moments("3;\t4", 1, 5, m, &nm, &why), -1);
    ck_assert_int_eq(cx_parse_moments("3; 4", 1, 5, m, &nm, &why), 0); /* plain spaces between items */
    ck_assert(cx_num_ok(1e15, 0) && !cx_num_ok(1e15 * 1.0000001, 1) && !cx_num_ok(-1, 0) &&
              !cx_num_ok(NAN, 1));
}
END_TEST

START_TEST(dimensions)
{
    cx_response r;
    cx_response_clear(&r);
    r.channel = "phone";
    r.attrs[0].key = "region";
    r.attrs[0].value = "north";
    r.n_attrs = 1;
    ck_assert_str_eq(cx_response_dim(&r, "channel"), "phone");
    ck_assert_str_eq(cx_response_dim(&r, "region"), "north");
    ck_assert_str_eq(cx_response_dim(&r, "product"), "");
    ck_assert_ptr_null(cx_response_dim(&r, "tier"));
    ck_assert_int_eq(cx_field_lookup("moments"), CX_F_MOMENTS);
    ck_assert_int_eq(cx_field_lookup("nope"), -1);
}
END_TEST

START_TEST(atomic_files)
{
    char dir[] = "/tmp/cxafXXXXXX", err[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *p = path_join(dir, "out.csv");
    afile a;
    ck_assert_int_eq(afile_open(&a, p, err, sizeof err), 0);
    fputs("old\n", a.f);
    ck_assert_int_eq(afile_commit(&a, err, sizeof err), 0);
    ck_assert_int_eq(afile_open(&a, p, err, sizeof err), 0);
    fputs("new but abandoned\n", a.f);
    afile_abort(&a);
    FILE *f = fopen(p, "r");
    char buf[64] = "";
    ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
    fclose(f);
    ck_assert_str_eq(buf, "old\n"); /* the abandoned write left the old file */
    char *sub = path_join(dir, "a/b/c");
    ck_assert_int_eq(mkdir_p(sub, err, sizeof err), 0);
    ck_assert_int_eq(mkdir_p(p, err, sizeof err), -1); /* a file is not a directory */
    ck_assert_int_eq(afile_open(&a, "/nonexistent-dir/x.csv", err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.csv"));
    unlink(p);
    rmdir(sub);
    free(sub);
    sub = path_join(dir, "a/b");
    rmdir(sub);
    free(sub);
    sub = path_join(dir, "a");
    rmdir(sub);
    free(sub);
    rmdir(dir);
    free(p);
}
END_TEST

START_TEST(string_map)
{
    strmap *m = strmap_new();
    char key[32];
    int added;
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        ck_assert_uint_eq(strmap_put(m, key, (size_t)i, &added), (size_t)i);
        ck_assert(added);
    }
    ck_assert_uint_eq(strmap_put(m, "k42", 99999, &added), 42);
    ck_assert(!added);
    ck_assert_uint_eq(strmap_get(m, "k9999"), 9999);
    ck_assert_uint_eq(strmap_get(m, "nope"), (size_t)-1);
    ck_assert_uint_eq(strmap_count(m), 10000);
    ck_assert_str_eq(strmap_key(m, 123), "k123");
    strmap_free(m);
}
END_TEST

START_TEST(grow_arrays)
{
    /* Capacities by hand: from FIRST, doubled until NEED fits. */
    size_t cap = 0;
    int *a = grow_array(NULL, &cap, 9, sizeof *a, 4, 0, 1);
    ck_assert_ptr_nonnull(a);
    ck_assert_uint_eq(cap, 16);
    for (size_t i = 0; i < cap; i++) ck_assert_int_eq(a[i], 0);
    for (size_t i = 0; i < cap; i++) a[i] = (int)i + 1;
    int *b = grow_array(a, &cap, 17, sizeof *b, 4, 0, 1);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(cap, 32);
    for (size_t i = 0; i < 16; i++) ck_assert_int_eq(b[i], (int)i + 1); /* kept */
    for (size_t i = 16; i < 32; i++) ck_assert_int_eq(b[i], 0);         /* zeroed */
    /* Past MAX: NULL, the array and its capacity as they were. */
    int *c = grow_array(b, &cap, 33, sizeof *c, 4, 40, 1);
    ck_assert_ptr_null(c);
    ck_assert_uint_eq(cap, 32);
    ck_assert_int_eq(b[15], 16);
    /* MAX reached exactly is allowed. */
    c = grow_array(b, &cap, 33, sizeof *c, 4, 64, 0);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(cap, 64);
    /* A capacity that would wrap, or a byte size past SIZE_MAX: NULL. */
    size_t before = cap;
    ck_assert_ptr_null(grow_array(c, &cap, SIZE_MAX, sizeof *c, 4, 0, 0));
    ck_assert_ptr_null(grow_array(c, &cap, SIZE_MAX / 2 + 2, 1, 4, 0, 0));
    ck_assert_ptr_null(grow_array(c, &cap, SIZE_MAX / 2, sizeof *c, 4, 0, 0));
    ck_assert_uint_eq(cap, before);
    free(c);
    /* No FIRST: grown from one element. */
    size_t cap2 = 0;
    char *d = grow_array(NULL, &cap2, 3, 1, 0, 0, 0);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(cap2, 4);
    free(d);
}
END_TEST

START_TEST(customers_table)
{
    cust_table *t = cust_table_new();
    cx_attr a1[] = {{"tier", "gold"}}, a2[] = {{"country", "FR"}}, a3[] = {{"tier", "silver"}};
    ck_assert_int_eq(cust_table_add(t, "c1", 100, a1, 1), 0);
    ck_assert_int_eq(cust_table_add(t, "c2", NAN, a2, 1), 0);
    ck_assert_int_eq(cust_table_add(t, "c1", 200, a3, 1), 0); /* replaces */
    ck_assert_uint_eq(cust_table_count(t), 2);
    const cust_rec *c1 = cust_table_get(t, "c1"), *c2 = cust_table_get(t, "c2");
    ck_assert_double_eq(c1->annual_value, 200);
    ck_assert_str_eq(cust_attr(t, c1, "tier"), "silver");
    ck_assert_str_eq(cust_attr(t, c1, "country"), "");
    ck_assert_str_eq(cust_attr(t, c2, "country"), "FR");
    ck_assert(isnan(c2->annual_value));
    ck_assert_ptr_null(cust_attr(t, c1, "region"));
    ck_assert(cust_table_has_key(t, "tier"));
    ck_assert_ptr_null(cust_table_get(t, "c3"));
    cust_table_free(t);
}
END_TEST

START_TEST(error_reason_with_spaces_in_path)
{
    char dir[] = "/tmp/cx dir XXXXXX", err[512];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *p = path_join(dir, "my file: 1.csv");
    FILE *f = fopen(p, "w");
    fputs("a,b\n1,\"open\n", f);
    fclose(f);
    csv_reader *r = csv_reader_open(p, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    csv_record rec;
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), -1);
    ck_assert_str_eq(csv_error_reason(r, err), "unterminated quoted field");
    ck_assert_str_eq(csv_error_reason(r, "other shape"), "other shape");
    csv_reader_free(r);
    unlink(p);
    rmdir(dir);
    free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, scores);
    tcase_add_test(tc, moments);
    tcase_add_test(tc, numbers);
    tcase_add_test(tc, numbers_strict);
    tcase_add_test(tc, dimensions);
    tcase_add_test(tc, atomic_files);
    tcase_add_test(tc, string_map);
    tcase_add_test(tc, grow_arrays);
    tcase_add_test(tc, customers_table);
    tcase_add_test(tc, error_reason_with_spaces_in_path);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
