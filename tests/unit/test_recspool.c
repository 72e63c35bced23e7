/* test_recspool.c — records written once and read back in order, again
 * after each rewind: few enough to stay in memory, and enough to go
 * through the temporary file (3 MiB of 24-byte records, the buffer holds
 * 1 MiB); no put once reading has started; the file lives in $TMPDIR and
 * is gone at once.  Expected values by construction (record i holds i). */
#include "stats/recspool.h"

#include <check.h>

#include "run_suite.h"
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct rec {
    uint64_t i, twice;
    uint32_t tag, pad;
} rec;

static void write_read(size_t n)
{
    recspool *s = recspool_new(sizeof(rec));
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++) {
        rec r = {i, 2 * i, (uint32_t)(i * 7u), 0};
        ck_assert_int_eq(recspool_put(s, &r), 0);
    }
    ck_assert_uint_eq(recspool_count(s), n);
    for (int pass = 0; pass < 3; pass++) {
        ck_assert_int_eq(recspool_rewind(s), 0);
        size_t stop = pass == 1 ? n / 3 : n; /* a pass may stop early */
        for (size_t i = 0; i < stop; i++) {
            rec r;
            ck_assert_int_eq(recspool_next(s, &r), 1);
            ck_assert_uint_eq(r.i, i);
            ck_assert_uint_eq(r.twice, 2 * i);
            ck_assert_uint_eq(r.tag, (uint32_t)(i * 7u));
        }
        rec r;
        if (stop == n) ck_assert_int_eq(recspool_next(s, &r), 0);
    }
    rec r = {0, 0, 0, 0};
    ck_assert_int_eq(recspool_put(s, &r), -1); /* reading has started */
    ck_assert_int_eq(recspool_errno(s), 0);
    recspool_free(s);
}

START_TEST(in_memory) { write_read(1000); }
END_TEST

START_TEST(empty) { write_read(0); }
END_TEST

START_TEST(through_a_file)
{
    char dir[] = "/tmp/cx-recspool-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("TMPDIR", dir, 1);
    write_read(3 * (1u << 20) / sizeof(rec) + 17);
    DIR *d = opendir(dir); /* nothing left behind */
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(d)) != NULL) files += e->d_name[0] != '.';
    closedir(d);
    ck_assert_int_eq(files, 0);
    ck_assert_int_eq(rmdir(dir), 0);
    unsetenv("TMPDIR");
}
END_TEST

START_TEST(no_temporary_directory)
{
    setenv("TMPDIR", "/nonexistent/cx-recspool", 1);
    recspool *s = recspool_new(sizeof(rec));
    int rc = 0;
    for (size_t i = 0; i < (1u << 20) / sizeof(rec) + 1 && rc == 0; i++) {
        rec r = {i, 0, 0, 0};
        rc = recspool_put(s, &r);
    }
    ck_assert_int_eq(rc, -1); /* the file cannot be made */
    ck_assert_int_ne(recspool_errno(s), 0);
    ck_assert_int_eq(recspool_rewind(s), -1);
    recspool_free(s);
    unsetenv("TMPDIR");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("recspool");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, in_memory);
    tcase_add_test(tc, empty);
    tcase_add_test(tc, through_a_file);
    tcase_add_test(tc, no_temporary_directory);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
