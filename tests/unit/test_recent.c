/* test_recent.c — the report's recent verbatims (stats/recent.c): the
 * VERBATIM_MAX newest non-empty comments of the month in scope, newest
 * first and the earlier one first among equal times, against a stable
 * sort of the same responses written here; personal data masked in the
 * ones kept. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timeparse.h"
#include "stats/analysis.h"

#include "run_suite.h"
#include "test_rng.h"

#define next test_rng_next /* reproducible sequences */

#define N 600
#define BASE 1790000000LL /* 2026-09-21 */

typedef struct row {
    long long at;
    int score, order;
    char comment[320], channel[8];
} row;

/* Newest first; among equal times the earlier given first. */
static int by_time(const void *a, const void *b)
{
    const row *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? 1 : -1;
    return (x->order > y->order) - (x->order < y->order);
}

/* N rows: times drawn from SPAN seconds (ties when small; rising when
 * RISING), a comment of 0 to 300 letters (a fifth empty). */
static void make_rows(row *rows, uint64_t seed, long long span, int rising)
{
    test_rng_seed(seed);
    for (int i = 0; i < N; i++) {
        row *r = &rows[i];
        r->at = rising ? BASE + i * 60 : BASE + (long long)(next() % (uint64_t)span);
        r->score = (int)(next() % 11);
        r->order = i;
        size_t len = next() % 5 == 0 ? 0 : 1 + next() % 300;
        for (size_t k = 0; k < len; k++) r->comment[k] = (char)('a' + (i + k * 7) % 26);
        r->comment[len] = '\0';
        snprintf(r->channel, sizeof r->channel, "ch%d", (int)(next() % 4));
    }
}

/* ROWS through the analysis with --month MONTH (0: all), checked against
 * the reference. */
static void check_rows(const row *rows, int month)
{
    stats_opts o;
    memset(&o, 0, sizeof o);
    o.month = month;
    analysis_env env = {&o, NULL, NULL};
    void *acc = analysis_recent.create(&env);
    ck_assert_ptr_nonnull(acc);
    static row want[N];
    size_t n_want = 0;
    for (int i = 0; i < N; i++) {
        cx_response r;
        cx_response_clear(&r);
        r.responded_at = rows[i].at;
        r.score = rows[i].score;
        r.comment = rows[i].comment;
        r.channel = rows[i].channel;
        ck_assert_int_eq(analysis_recent.add(acc, &r, NULL), 0);
        if (rows[i].comment[0] && (!month || time_month_key(rows[i].at) == month)) want[n_want++] = rows[i];
    }
    qsort(want, n_want, sizeof *want, by_time);
    if (n_want > VERBATIM_MAX) n_want = VERBATIM_MAX;
    stats_result out;
    memset(&out, 0, sizeof out);
    char err[64];
    ck_assert_int_eq(analysis_recent.finish(acc, &out, err, sizeof err), 0);
    analysis_recent.destroy(acc);
    ck_assert_uint_eq(out.n_verb, n_want);
    for (size_t i = 0; i < n_want; i++) {
        ck_assert_int_eq(out.verb[i].at, want[i].at);
        ck_assert_int_eq(out.verb[i].score, want[i].score);
        ck_assert_str_eq(out.verb[i].comment, want[i].comment);
        ck_assert_str_eq(out.verb[i].segment, want[i].channel);
        free(out.verb[i].comment);
        free(out.verb[i].segment);
    }
}

START_TEST(newest_first_against_a_sort)
{
    static row rows[N];
    for (uint64_t seed = 1; seed <= 20; seed++) {
        make_rows(rows, seed, seed % 2 ? 50 : 86400 * 40, 0); /* many ties, or spread over months */
        check_rows(rows, 0);
        check_rows(rows, time_month_key(BASE));
        check_rows(rows, time_month_key(BASE + 86400 * 30));
    }
    make_rows(rows, 99, 0, 1); /* in time order: every row the newest when it comes */
    check_rows(rows, 0);
    rows[N - 1].comment[0] = '\0';   /* the newest without a comment */
    rows[N - 2].at = rows[N - 3].at; /* a tie */
    check_rows(rows, 0);
}
END_TEST

START_TEST(kept_comments_are_masked)
{
    stats_opts o;
    memset(&o, 0, sizeof o);
    analysis_env env = {&o, NULL, NULL};
    void *acc = analysis_recent.create(&env);
    char text[64];
    for (int i = 0; i < 40; i++) {
        cx_response r;
        cx_response_clear(&r);
        snprintf(text, sizeof text, "write to jane.doe%d@example.com please", i);
        r.responded_at = BASE + i;
        r.comment = text;
        r.channel = "email";
        ck_assert_int_eq(analysis_recent.add(acc, &r, NULL), 0);
    }
    stats_result out;
    memset(&out, 0, sizeof out);
    char err[64];
    ck_assert_int_eq(analysis_recent.finish(acc, &out, err, sizeof err), 0);
    analysis_recent.destroy(acc);
    ck_assert_uint_eq(out.n_verb, VERBATIM_MAX);
    for (size_t i = 0; i < out.n_verb; i++) {
        ck_assert_int_eq(out.verb[i].at, BASE + 39 - (long long)i);
        ck_assert_ptr_null(strstr(out.verb[i].comment, "example.com"));
        ck_assert_ptr_nonnull(strstr(out.verb[i].comment, "write to "));
        free(out.verb[i].comment);
        free(out.verb[i].segment);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("recent");
    TCase *t = tcase_create("recent");
    tcase_add_test(t, newest_first_against_a_sort);
    tcase_add_test(t, kept_comments_are_masked);
    suite_add_tcase(s, t);
    return run_suite(s);
}
