/* test_drivers.c — Kitagawa's symmetric decomposition of an NPS change
 * into rate and mix effects (stats/drivers.c, docs/methods.md §Drivers).
 * The worked example is the one in docs/methods.md, computed by hand; its
 * standard error and p were computed independently with Python 3 + scipy:
 *   se0 = 100*sqrt(.69/10); se1 = 100*sqrt(.56/10)
 *   se = .375*sqrt(se0**2 + se1**2); z = -3.75/se; p = 2*norm.sf(abs(z))
 */
#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats/drivers.h"
#include "stats/trend.h"

#define M0 (2026 * 12 + 8) /* 2026-09 */
#define M1 (M0 + 1)        /* 2026-10 */

/* N responses of SEGMENT (dimension 1) in MONTH with SCORE. */
static void add_n(nps_table *t, int month, const char *segment, int score, int n)
{
    const char *seg[1] = {segment};
    for (int i = 0; i < n; i++) ck_assert_int_eq(nps_table_add(t, month, score, seg), 0);
}

/* web 6/2/2 and phone 3/3/4 in m0; web 12/4/4, phone 2/4/4, store 5/5/0 in m1. */
static nps_table *example(void)
{
    nps_table *t = nps_table_new(1);
    ck_assert_ptr_nonnull(t);
    add_n(t, M0, "web", 10, 6);
    add_n(t, M0, "web", 8, 2);
    add_n(t, M0, "web", 3, 2);
    add_n(t, M0, "phone", 9, 3);
    add_n(t, M0, "phone", 7, 3);
    add_n(t, M0, "phone", 0, 4);
    add_n(t, M1, "web", 9, 12);
    add_n(t, M1, "web", 7, 4);
    add_n(t, M1, "web", 6, 4);
    add_n(t, M1, "phone", 10, 2);
    add_n(t, M1, "phone", 8, 4);
    add_n(t, M1, "phone", 1, 4);
    add_n(t, M1, "store", 9, 5);
    add_n(t, M1, "store", 7, 5);
    add_n(t, M1, NULL, 0, 7);      /* no channel: not in the decomposition */
    add_n(t, M0 - 1, "web", 0, 3); /* an older month: not used */
    ck_assert_int_eq(nps_table_finish(t, 0.95), 0);
    return t;
}

START_TEST(worked_example)
{
    nps_table *t = example();
    drivers *d = drivers_new(t, 1, M1, 0.95);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->month, M1);
    ck_assert_int_eq(d->prev_month, M0);
    ck_assert_uint_eq(d->nrows, 3);
    ck_assert_int_eq(d->dims[0].n_prev, 20);
    ck_assert_int_eq(d->dims[0].n, 40);
    ck_assert_double_eq_tol(d->dims[0].nps_prev, 15.0, 1e-12);
    ck_assert_double_eq_tol(d->dims[0].nps, 27.5, 1e-12);

    const driver_row *phone = &d->rows[0], *store = &d->rows[1], *web = &d->rows[2];
    ck_assert_str_eq(phone->segment, "phone");
    ck_assert_str_eq(store->segment, "store");
    ck_assert_str_eq(web->segment, "web");

    ck_assert_int_eq(phone->n_prev, 10);
    ck_assert_int_eq(phone->n, 10);
    ck_assert_double_eq_tol(phone->nps_prev, -10.0, 1e-12);
    ck_assert_double_eq_tol(phone->nps, -20.0, 1e-12);
    ck_assert_double_eq_tol(phone->rate, -3.75, 1e-12);
    ck_assert_double_eq_tol(phone->mix, 3.75, 1e-12);
    ck_assert_double_eq_tol(phone->total, 0.0, 1e-12);
    ck_assert_double_eq_tol(phone->se_rate, 13.258252147247763, 1e-9);
    ck_assert_double_eq_tol(phone->p_rate, 0.7772974107895215, 1e-9);
    ck_assert_int_eq(phone->significant, 0);

    /* Absent in m0: takes its m1 NPS there, so no rate effect and no test. */
    ck_assert_int_eq(store->n_prev, 0);
    ck_assert(isnan(store->nps_prev));
    ck_assert_double_eq_tol(store->nps, 50.0, 1e-12);
    ck_assert_double_eq_tol(store->rate, 0.0, 1e-12);
    ck_assert_double_eq_tol(store->mix, 12.5, 1e-12);
    ck_assert(isnan(store->se_rate) && isnan(store->p_rate));
    ck_assert_int_eq(store->significant, -1);

    ck_assert_double_eq_tol(web->rate, 0.0, 1e-12);
    ck_assert_double_eq_tol(web->mix, 0.0, 1e-12);

    drivers_free(d);
    nps_table_free(t);
}
END_TEST

/* Random tables: the effects add up to the change of the dimension's NPS,
 * with segments absent in either month. */
START_TEST(effects_sum_to_the_change)
{
    srand(12345);
    for (int trial = 0; trial < 200; trial++) {
        nps_table *t = nps_table_new(2);
        ck_assert_ptr_nonnull(t);
        static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
        for (int i = 0; i < 300; i++) {
            int month = M0 + rand() % 2;
            const char *seg[2] = {names[rand() % 6], rand() % 3 ? names[rand() % 3] : NULL};
            if (month == M0 && seg[0][0] == 'f') seg[0] = "e"; /* f only in m1 */
            if (month == M1 && seg[0][0] == 'a') seg[0] = "b"; /* a only in m0 */
            ck_assert_int_eq(nps_table_add(t, month, rand() % 11, seg), 0);
        }
        ck_assert_int_eq(nps_table_finish(t, 0.95), 0);
        drivers *d = drivers_new(t, 2, M1, 0.95);
        ck_assert_ptr_nonnull(d);
        for (size_t k = 0; k < 2; k++) {
            const driver_dim *dd = &d->dims[k];
            double sum = 0.0, wsum0 = 0.0, wsum1 = 0.0;
            for (size_t i = dd->first; i < dd->first + dd->count; i++) {
                const driver_row *r = &d->rows[i];
                ck_assert_uint_eq(r->dim, k + 1);
                ck_assert_double_eq_tol(r->total, r->rate + r->mix, 1e-12);
                sum += r->total;
                wsum0 += r->w_prev;
                wsum1 += r->w;
            }
            ck_assert_double_eq_tol(sum, dd->nps - dd->nps_prev, 1e-9);
            ck_assert_double_eq_tol(wsum0, 1.0, 1e-12);
            ck_assert_double_eq_tol(wsum1, 1.0, 1e-12);
        }
        ck_assert_uint_eq(d->dims[0].count, 6);
        drivers_free(d);
        nps_table_free(t);
    }
}
END_TEST

START_TEST(no_previous_month_no_rows)
{
    nps_table *t = example();
    drivers *d = drivers_new(t, 1, M0 - 5, 0.95); /* nothing in that month or before */
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nrows, 0);
    drivers_free(d);
    d = drivers_new(t, 1, 0, 0.95);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nrows, 0);
    ck_assert_int_eq(d->month, 0);
    drivers_free(d);
    nps_table_free(t);
}
END_TEST

/* The tester's reproducer f4_drivers_se0.sh: web all promoters in both
 * months, so both Wald SEs are 0, the change has no test and se_rate is
 * empty (NaN) with z and p_rate, as docs/methods.md §Drivers says ("a zero
 * SE leaves se_rate and p_rate empty"); it used to be 0.  phone keeps its
 * test: se0 = 100*sqrt((.5 - .5**2)/2) (a detractor and a passive), se1 = 0
 * (one detractor), wbar = (2/4 + 1/4)/2, so se_rate = .375*se0 =
 * 13.258252147247766 (python3). */
START_TEST(zero_se_leaves_se_rate_empty)
{
    nps_table *t = nps_table_new(1);
    ck_assert_ptr_nonnull(t);
    add_n(t, M0, "web", 10, 1);
    add_n(t, M0, "web", 9, 1);
    add_n(t, M0, "phone", 3, 1);
    add_n(t, M0, "phone", 8, 1);
    add_n(t, M1, "web", 10, 2);
    add_n(t, M1, "web", 9, 1);
    add_n(t, M1, "phone", 0, 1);
    ck_assert_int_eq(nps_table_finish(t, 0.95), 0);
    drivers *d = drivers_new(t, 1, M1, 0.95);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->nrows, 2);
    const driver_row *phone = &d->rows[0], *web = &d->rows[1];
    ck_assert_str_eq(web->segment, "web");
    ck_assert_double_eq_tol(web->total, 25.0, 1e-12);
    ck_assert(isnan(web->se_rate) && isnan(web->z) && isnan(web->p_rate));
    ck_assert_int_eq(web->significant, -1);
    ck_assert_str_eq(phone->segment, "phone");
    ck_assert_double_eq_tol(phone->se_rate, 13.258252147247766, 1e-12);
    ck_assert(isfinite(phone->p_rate));
    drivers_free(d);
    nps_table_free(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("drivers");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, worked_example);
    tcase_add_test(tc, effects_sum_to_the_change);
    tcase_add_test(tc, no_previous_month_no_rows);
    tcase_add_test(tc, zero_se_leaves_se_rate_empty);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
