/* test_dsort.c — cx_sort_doubles (stats/dsort.c) against GSL's gsl_sort,
 * bit for bit: every length from 0 to 300 and 100,000 values, drawn
 * uniformly, from few distinct values (long runs of equal keys), already
 * sorted, reversed, organ-pipe, all equal, and an interleaved
 * shape; and with the quicksort levels capped at 0 and 3, so that its
 * heapsort sorts whole arrays and what is left of them.  Values negative,
 * positive, zero and subnormal. */
#include <check.h>
#include <gsl/gsl_sort.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "run_suite.h"
#include "stats/dsort.h"
#include "test_rng.h"

enum { UNIFORM, FEW, SORTED, REVERSED, PIPE, EQUAL, KILLER, N_SHAPES };

static void fill(double *d, size_t n, int shape)
{
    for (size_t i = 0; i < n; i++) {
        switch (shape) {
        case UNIFORM: d[i] = (test_rng_uniform() - 0.5) * 1e6; break;
        case FEW: d[i] = (double)(test_rng_next() % 7) - 3.0; break;
        case SORTED: d[i] = (double)i * 0.25 - 10.0; break;
        case REVERSED: d[i] = (double)(n - i) * 1.5; break;
        case PIPE: d[i] = (double)(i < n / 2 ? i : n - i); break;
        case EQUAL: d[i] = 42.5; break;
        default: d[i] = (double)(i % 2 ? i : n - i) + (i % 3 ? 5e-324 : 0); break;
        }
    }
}

/* DEPTH: the quicksort levels (UINT_MAX: as cx_sort_doubles takes them). */
static void same_as_gsl_depth(size_t n, int shape, unsigned depth)
{
    double *a = malloc((n ? n : 1) * sizeof *a), *b = malloc((n ? n : 1) * sizeof *b);
    ck_assert(a && b);
    fill(a, n, shape);
    memcpy(b, a, n * sizeof *a);
    if (depth == UINT_MAX) cx_sort_doubles(a, n);
    else cx_sort_doubles_depth(a, n, depth);
    if (n) gsl_sort(b, 1, n);
    ck_assert_msg(memcmp(a, b, n * sizeof *a) == 0, "n %zu shape %d depth %u: differs from gsl_sort", n,
                  shape, depth);
    free(a);
    free(b);
}

static void same_as_gsl(size_t n, int shape) { same_as_gsl_depth(n, shape, UINT_MAX); }

START_TEST(every_short_length)
{
    test_rng_seed(5);
    for (int shape = 0; shape < N_SHAPES; shape++)
        for (size_t n = 0; n <= 300; n++) same_as_gsl(n, shape);
}
END_TEST

START_TEST(long_arrays)
{
    test_rng_seed(6);
    for (int shape = 0; shape < N_SHAPES; shape++) same_as_gsl(100000, shape);
}
END_TEST

/* The heapsort that takes over past the depth: the whole array (0), and
 * ranges left after three levels of partitions. */
START_TEST(heapsort_past_the_depth)
{
    test_rng_seed(7);
    for (int shape = 0; shape < N_SHAPES; shape++)
        for (unsigned depth = 0; depth <= 3; depth += 3) {
            for (size_t n = 0; n <= 100; n++) same_as_gsl_depth(n, shape, depth);
            same_as_gsl_depth(50000, shape, depth);
        }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dsort");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_short_length);
    tcase_add_test(tc, long_arrays);
    tcase_add_test(tc, heapsort_past_the_depth);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
