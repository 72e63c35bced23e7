/* test_run_head.c — core/store/resp_runs_head.c: the packed head
 * of a row in a sorted run's file.  Every head read back equals the one
 * written (times before 1970 and past 2038, updated_at 0, a seq past
 * 2^32, months and scores at their ends, a handle time or none, text
 * lengths 0 to UINT32_MAX); a head cut anywhere reads as "not all here"
 * (0), never as a row, and is not read past (under ASan); a first byte this code never writes, or a varint
 * longer than 64 bits, is refused (-1); heads one after another read in
 * turn; and the packing is as small as it says (the reason it exists:
 * 88 bytes a row before). */
#include <check.h>

#include "run_suite.h"
#include "test_rng.h"
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/store/resp_runs.h"

static run_rec sample(int i)
{
    static const int64_t times[] = {0, -1, 1735689600, -2208988800LL, 4102444800LL, INT64_MAX, INT64_MIN};
    static const uint32_t lens[] = {0, 1, 127, 128, 16383, 16384, UINT32_MAX};
    run_rec h;
    memset(&h, 0, sizeof h);
    h.responded_at = times[i % 7];
    h.updated_at = i % 3 ? times[(i + 2) % 7] : 0;
    h.seq = i % 5 == 4 ? (int64_t)1 << 40 : 1 + (int64_t)(test_rng_next() >> 34);
    h.month = i % 4 == 0 ? 0 : i % 4 == 1 ? 24321 : i % 4 == 2 ? INT32_MAX : INT32_MIN;
    h.score = i % 11;
    h.metric = i % CX_METRIC_COUNT;
    h.has_handle_time = i % 2;
    h.handle_time_s = h.has_handle_time ? (i % 6 == 1 ? DBL_MAX : 0.5 * i) : 0;
    for (int t = 0; t < SQB_NTEXT; t++) h.len[t] = lens[(i + t) % 7];
    return h;
}

static void same(const run_rec *a, const run_rec *b)
{
    ck_assert(a->responded_at == b->responded_at && a->updated_at == b->updated_at && a->seq == b->seq);
    ck_assert(a->month == b->month && a->score == b->score && a->metric == b->metric);
    ck_assert(a->has_handle_time == b->has_handle_time && a->handle_time_s == b->handle_time_s);
    ck_assert(memcmp(a->len, b->len, sizeof a->len) == 0);
}

START_TEST(round_trip_and_cut)
{
    test_rng_seed(7);
    for (int i = 0; i < 200; i++) {
        run_rec h = sample(i), g;
        unsigned char buf[RUN_HEAD_MAX + 1];
        size_t n = resp_run_head_put(buf, &h);
        ck_assert_uint_le(n, RUN_HEAD_MAX);
        ck_assert_int_eq(resp_run_head_get(buf, n, &g), (long)n);
        same(&h, &g);
        for (size_t cut = 0; cut < n; cut++) { /* exactly CUT bytes: a read past them is ASan's */
            unsigned char *p = malloc(cut ? cut : 1);
            ck_assert_ptr_nonnull(p);
            memcpy(p, buf, cut);
            ck_assert_int_eq(resp_run_head_get(p, cut, &g), 0);
            free(p);
        }
    }
}
END_TEST

START_TEST(heads_in_turn)
{
    test_rng_seed(11);
    unsigned char buf[64 * RUN_HEAD_MAX];
    run_rec in[64], g;
    size_t at = 0;
    for (int i = 0; i < 64; i++) {
        in[i] = sample(i * 3 + 1);
        at += resp_run_head_put(buf + at, &in[i]);
    }
    size_t pos = 0;
    for (int i = 0; i < 64; i++) {
        long n = resp_run_head_get(buf + pos, at - pos, &g);
        ck_assert_int_gt(n, 0);
        same(&in[i], &g);
        pos += (size_t)n;
    }
    ck_assert_uint_eq(pos, at);
}
END_TEST

START_TEST(malformed)
{
    unsigned char bad[RUN_HEAD_MAX + 16];
    run_rec g;
    memset(bad, 0, sizeof bad);
    bad[0] = 16; /* a bit never written */
    ck_assert_int_eq(resp_run_head_get(bad, sizeof bad, &g), -1);
    bad[0] = CX_METRIC_COUNT; /* no such metric */
    ck_assert_int_eq(resp_run_head_get(bad, sizeof bad, &g), -1);
    bad[0] = 0;
    memset(bad + 1, 0xff, 12); /* a varint of 84 bits */
    ck_assert_int_eq(resp_run_head_get(bad, sizeof bad, &g), -1);
}
END_TEST

START_TEST(small_for_a_usual_row)
{
    /* a response of gen-sample's shape: 2025, no updated_at, row 9,999,999 */
    run_rec h;
    memset(&h, 0, sizeof h);
    h.responded_at = 1750000000;
    h.seq = 9999999;
    h.month = 24306;
    h.score = 9;
    h.has_handle_time = 1;
    h.handle_time_s = 307;
    uint32_t lens[SQB_NTEXT] = {3, 8, 30, 7, 3, 5, 9, 15, 7, 17};
    memcpy(h.len, lens, sizeof lens);
    unsigned char buf[RUN_HEAD_MAX];
    /* 1 + 5 + 1 + 4 + 3 + 1 + 8 + 10 */
    ck_assert_uint_eq(resp_run_head_put(buf, &h), 33);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("run_head");
    TCase *t = tcase_create("run_head");
    tcase_add_test(t, round_trip_and_cut);
    tcase_add_test(t, heads_in_turn);
    tcase_add_test(t, malformed);
    tcase_add_test(t, small_for_a_usual_row);
    suite_add_tcase(s, t);
    return run_suite(s);
}
