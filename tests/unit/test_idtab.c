/* test_idtab.c — the compact id set of stats/idtab.c: numbers in the order
 * ids were added, look-ups of present and absent ids (prefixes, longer
 * ids, the empty id), texts that stay where they are while the table
 * grows, and ids longer than a text block.  Expected values by
 * construction (id i is "c" followed by i). */
#include "stats/idtab.h"

#include <check.h>

#include "run_suite.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(numbers_and_lookups)
{
    idtab *t = idtab_new();
    ck_assert_ptr_nonnull(t);
    enum { N = 200000 };
    const char *first = NULL;
    char key[32];
    for (size_t i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "c%zu", i), added = 0;
        ck_assert_uint_eq(idtab_put(t, key, (size_t)n, &added), i);
        ck_assert_int_eq(added, 1);
        if (i == 0) first = idtab_key(t, 0);
    }
    ck_assert_uint_eq(idtab_count(t), N);
    ck_assert_ptr_eq(idtab_key(t, 0), first); /* never moved */
    ck_assert_str_eq(idtab_key(t, 0), "c0");
    ck_assert_str_eq(idtab_key(t, 123456), "c123456");
    ck_assert_ptr_null(idtab_key(t, N));
    for (size_t i = 0; i < N; i += 997) {
        int n = snprintf(key, sizeof key, "c%zu", i), added = 1;
        ck_assert_uint_eq(idtab_get(t, key, (size_t)n), i);
        ck_assert_uint_eq(idtab_put(t, key, (size_t)n, &added), i); /* again: same number */
        ck_assert_int_eq(added, 0);
    }
    /* a prefix and an extension of present ids are other ids */
    ck_assert_uint_eq(idtab_get(t, "c1234", 3), 12); /* "c12" */
    ck_assert_uint_eq(idtab_get(t, "c", 1), (size_t)-1);
    ck_assert_uint_eq(idtab_get(t, "c1999999", 8), (size_t)-1);
    ck_assert_uint_eq(idtab_get(t, "", 0), (size_t)-1);
    int added;
    ck_assert_uint_eq(idtab_put(t, "", 0, &added), N);
    ck_assert_str_eq(idtab_key(t, N), "");
    ck_assert_uint_eq(idtab_get(t, "", 0), N);
    ck_assert(idtab_bytes(t) > N * 4);
    idtab_free(t);
}
END_TEST

START_TEST(long_ids)
{
    idtab *t = idtab_new();
    size_t len = 100000; /* more than a block */
    char *big = malloc(len + 1);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', len);
    big[len] = '\0';
    int added;
    ck_assert_uint_eq(idtab_put(t, "a", 1, &added), 0);
    ck_assert_uint_eq(idtab_put(t, big, len, &added), 1);
    ck_assert_uint_eq(idtab_put(t, "b", 1, &added), 2);
    ck_assert_str_eq(idtab_key(t, 1), big);
    ck_assert_str_eq(idtab_key(t, 0), "a");
    ck_assert_str_eq(idtab_key(t, 2), "b");
    ck_assert_uint_eq(idtab_get(t, big, len - 1), (size_t)-1);
    ck_assert_uint_eq(idtab_get(t, big, len), 1);
    free(big);
    idtab_free(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("idtab");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, numbers_and_lookups);
    tcase_add_test(tc, long_ids);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
