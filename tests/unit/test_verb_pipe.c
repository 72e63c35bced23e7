/* test_verb_pipe.c — the verbatim analysis's thread (stats/text/verb_pipe.h):
 * copied responses and batches read in place reach the thread in push
 * order, every batch is DONE once (also after a failure, without being
 * read), the ring of blocks never waits on the feeder, and a failure is
 * reported by sync and end.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "stats/text/verb_pipe.h"

#include "run_suite.h"

/* What the thread saw: "id:month," per response (month -1: not given). */
typedef struct seen {
    char log[8192];
    size_t len;
    const char *fail_on; /* a response id whose call fails */
} seen;

static int record(void *ctx, const cx_response *r, int month, const char *const *seg)
{
    seen *s = ctx;
    int n = snprintf(s->log + s->len, sizeof s->log - s->len, "%s:%d:%s,", r->response_id,
                     month == VERB_PIPE_NO_MONTH ? -1 : month, seg && seg[0] ? seg[0] : "-");
    if (n > 0 && (size_t)n < sizeof s->log - s->len) s->len += (size_t)n;
    return s->fail_on && strcmp(r->response_id, s->fail_on) == 0 ? -1 : 0;
}

/* A batch: N responses named PREFIX0.., all of month MONTH. */
typedef struct batch {
    const char *prefix;
    int n, month;
    int read, done; /* times EACH and DONE ran */
} batch;

static int each(void *arg, verb_pipe_fn fn, void *ctx)
{
    batch *b = arg;
    b->read++;
    for (int i = 0; i < b->n; i++) {
        char id[32];
        snprintf(id, sizeof id, "%s%d", b->prefix, i);
        cx_response r;
        cx_response_clear(&r);
        r.response_id = id;
        const char *seg[1] = {"web"};
        if (fn(ctx, &r, b->month, seg) != 0) return -1;
    }
    return 0;
}

static void done(void *arg) { ((batch *)arg)->done++; }

static void push_one(verb_pipe *p, const char *id, const char *channel)
{
    cx_response r;
    cx_response_clear(&r);
    r.response_id = id;
    r.comment = "a comment";
    const char *seg[1] = {channel};
    ck_assert_int_eq(verb_pipe_push(p, &r, seg), 0);
}

START_TEST(responses_and_batches_in_push_order)
{
    seen s = {0};
    verb_pipe *p = verb_pipe_new(1, record, &s);
    ck_assert_ptr_nonnull(p);
    batch b1 = {"b", 2, 7, 0, 0}, b2 = {"c", 1, 8, 0, 0};
    push_one(p, "a", "phone");
    ck_assert_int_eq(verb_pipe_push_batch(p, each, done, &b1), 0);
    push_one(p, "x", NULL);
    ck_assert_int_eq(verb_pipe_push_batch(p, each, done, &b2), 0);
    push_one(p, "z", "web");
    ck_assert_int_eq(verb_pipe_sync(p), 0);
    /* after sync every batch is done: its memory may be reused */
    ck_assert_int_eq(b1.done, 1);
    ck_assert_int_eq(b2.done, 1);
    ck_assert_str_eq(s.log, "a:-1:phone,b0:7:web,b1:7:web,x:-1:-,c0:8:web,z:-1:web,");
    ck_assert_int_eq(verb_pipe_end(p), 0);
    ck_assert_int_eq(b1.read, 1);
    verb_pipe_free(p);
}
END_TEST

/* More batches than blocks in the ring, none synced: the feeder waits
 * for the thread when the ring is full, never the other way round. */
START_TEST(many_batches_without_sync)
{
    seen s = {0};
    verb_pipe *p = verb_pipe_new(1, record, &s);
    ck_assert_ptr_nonnull(p);
    batch b[40];
    for (int i = 0; i < 40; i++) {
        b[i] = (batch){"m", 1, i, 0, 0};
        ck_assert_int_eq(verb_pipe_push_batch(p, each, done, &b[i]), 0);
    }
    ck_assert_int_eq(verb_pipe_end(p), 0);
    for (int i = 0; i < 40; i++) ck_assert_int_eq(b[i].done, 1);
    char want[8192];
    size_t k = 0;
    for (int i = 0; i < 40; i++) k += (size_t)snprintf(want + k, sizeof want - k, "m0:%d:web,", i);
    ck_assert_str_eq(s.log, want);
    verb_pipe_free(p);
}
END_TEST

/* A failing call fails the pipe: later batches are not read but DONE
 * all the same (their owner waits for it), and sync and end say it. */
START_TEST(failure_still_ends_every_batch)
{
    seen s = {0};
    s.fail_on = "bad";
    verb_pipe *p = verb_pipe_new(1, record, &s);
    ck_assert_ptr_nonnull(p);
    batch b1 = {"b", 1, 3, 0, 0}, b2 = {"c", 1, 4, 0, 0};
    ck_assert_int_eq(verb_pipe_push_batch(p, each, done, &b1), 0);
    push_one(p, "bad", "web");
    verb_pipe_push_batch(p, each, done, &b2); /* may see the failure already */
    push_one(p, "after", "web");
    ck_assert_int_eq(verb_pipe_sync(p), -1);
    ck_assert_int_eq(b1.read, 1);
    ck_assert_int_eq(b1.done, 1);
    ck_assert_int_eq(b2.read, 0);
    ck_assert_int_eq(b2.done, 1);
    ck_assert_str_eq(s.log, "b0:3:web,bad:-1:web,");
    ck_assert_int_eq(verb_pipe_end(p), -1);
    verb_pipe_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("verb_pipe");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, responses_and_batches_in_push_order);
    tcase_add_test(tc, many_batches_without_sync);
    tcase_add_test(tc, failure_still_ends_every_batch);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
