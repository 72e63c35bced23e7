/* test_cache_bytes.c — core/store/cache_write.c and cache_wrows.c: a
 * block ends at CACHE_BLOCK_BYTES of its rows' texts as well as at
 * CACHE_BLOCK_ROWS rows.  Rows of long comments (1,000 to 5,000 bytes)
 * written with cache_add make blocks of the sizes the rule gives, summed
 * here from the rows' own strings; cache_add_ends says beforehand which
 * add ends a block; the same rows copied by code (cache_rows_fit,
 * cache_add_rows) in runs of several lengths make the same blocks with the
 * same rows; a row longer than the limit ends a block of its own. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store/cache.h"
#include "core/timeparse.h"
#include "tests/unit/cache_fixture.h"
#include "tests/unit/run_suite.h"

#define ROWS 4000
#define HUGE_AT 2000                     /* this row's comment alone passes the limit */
#define HUGE_LEN (CACHE_BLOCK_BYTES + 5) /* its length */

static char src[256], dst[256];
static char *comment_buf;

static void setup(void)
{
    snprintf(src, sizeof src, "/tmp/cx-test-bytes-a-%ld", (long)getpid());
    snprintf(dst, sizeof dst, "/tmp/cx-test-bytes-b-%ld", (long)getpid());
    unlink(src);
    unlink(dst);
    comment_buf = malloc(HUGE_LEN + 1);
    ck_assert_ptr_nonnull(comment_buf);
}

static void teardown(void)
{
    unlink(src);
    unlink(dst);
    free(comment_buf);
}

static size_t comment_len(size_t i) { return i == HUGE_AT ? HUGE_LEN : 1000 + (i * 7919) % 4000; }

/* Row I (its id in ID); its comment in comment_buf, valid until the next. */
static void row(size_t i, cx_response *r, char *id)
{
    cx_response_clear(r);
    snprintf(id, 32, "r%07zu", i);
    size_t n = comment_len(i);
    memset(comment_buf, 'a' + (int)(i % 26), n);
    comment_buf[n] = '\0';
    r->source = "csv";
    r->response_id = id;
    r->comment = comment_buf;
    r->channel = i % 2 ? "phone" : "chat";
    r->agent_id = "a01";
    r->responded_at = 1767225600 + (int64_t)i * 60;
    r->updated_at = r->responded_at;
    r->score = (int)(i % 11);
    r->metric = CX_METRIC_NPS;
    r->n_attrs = i % 2;
    r->attrs[0].key = "region";
    r->attrs[0].value = "west";
}

/* The rule, from the strings row() sets: each block's rows, into SIZES. */
static size_t expected_blocks(size_t *sizes)
{
    size_t nb = 0, rows = 0, bytes = 0;
    for (size_t i = 0; i < ROWS; i++) {
        bytes += 3 + 8 + comment_len(i) + (i % 2 ? 5 : 4) + 3 + (i % 2 ? 6 + 4 : 0);
        rows++;
        if (rows == CACHE_BLOCK_ROWS || bytes >= CACHE_BLOCK_BYTES) {
            sizes[nb++] = rows;
            rows = bytes = 0;
        }
    }
    if (rows) sizes[nb++] = rows;
    return nb;
}

static size_t read_sizes(const char *path, const char *gen, size_t *sizes)
{
    char err[512];
    cache_reader *r;
    cache_block b;
    ck_assert_int_eq(cache_open(path, "store-a", gen, &r, err, sizeof err), 1);
    size_t nb = 0;
    int rc;
    while ((rc = cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err)) > 0) sizes[nb++] = b.rows;
    ck_assert_msg(rc == 0, "%s", err);
    cache_close(r);
    return nb;
}

static void same_row(size_t i, const cx_response *got, void *ctx)
{
    char id[32];
    cx_response w;
    (void)ctx;
    row(i, &w, id);
    ck_assert_str_eq(got->response_id, w.response_id);
    ck_assert_str_eq(got->comment, w.comment);
    ck_assert_str_eq(got->channel, w.channel);
    ck_assert_int_eq(got->score, w.score);
    ck_assert_uint_eq(got->n_attrs, w.n_attrs);
}

START_TEST(blocks_end_at_bytes)
{
    char err[512], id[32];
    size_t want[ROWS], got[ROWS], copied[ROWS];
    size_t n_want = expected_blocks(want);
    ck_assert_uint_gt(n_want, 5); /* the limit, not the rows, ends them */

    cache_writer *w = cache_create(src, "store-a", "1", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    for (size_t i = 0; i < ROWS; i++) {
        cx_response r;
        row(i, &r, id);
        int ends = cache_add_ends(w, &r);
        ck_assert_int_eq(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err), 0);
        ck_assert_int_eq(ends, cache_pending(w) == 0);
    }
    ck_assert_int_ge(cache_flush(w, err, sizeof err), 0);
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(read_sizes(src, "1", got), n_want);
    for (size_t k = 0; k < n_want; k++) ck_assert_uint_eq(got[k], want[k]);
    size_t huge_block = 0, at = 0;
    while (at + got[huge_block] <= HUGE_AT) at += got[huge_block++];
    ck_assert_uint_eq(at + got[huge_block] - 1, HUGE_AT); /* it ends its block */

    /* the same rows by code, in runs cut where the block ends */
    cache_reader *r;
    ck_assert_int_eq(cache_open(src, "store-a", "1", &r, err, sizeof err), 1);
    w = cache_create(dst, "store-a", "2", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    static const size_t lens[] = {1, 37, 500, 3, 2000};
    cache_block b;
    unsigned long long serial = 0;
    size_t k = 0;
    int rc;
    while ((rc = cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err)) > 0) {
        size_t i = 0, cur[2] = {0, 0};
        serial++;
        while (i < b.rows) {
            size_t n = lens[k++ % (sizeof lens / sizeof *lens)];
            int ends;
            if (n > b.rows - i) n = b.rows - i;
            size_t fit = cache_rows_fit(w, &b, i, i + n, cur, &ends);
            ck_assert_uint_ge(fit, 1);
            ck_assert_msg(cache_add_rows(w, &b, serial, i, i + fit, cur, err, sizeof err) == 0, "%s", err);
            ck_assert_int_eq(ends, cache_pending(w) == 0);
            i += fit;
        }
    }
    ck_assert_msg(rc == 0, "%s", err);
    cache_close(r);
    ck_assert_int_ge(cache_flush(w, err, sizeof err), 0);
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(read_sizes(dst, "2", copied), n_want);
    for (size_t j = 0; j < n_want; j++) ck_assert_uint_eq(copied[j], want[j]);
    cache_read_back(dst, "store-a", "2", same_row, NULL, n_want, ROWS);
}
END_TEST

/* A run past the block's bytes is refused: the first block's rows but
 * its last gathered (just under the limit), then the whole second block,
 * whose first few rows already reach it. */
START_TEST(run_past_the_bytes_refused)
{
    char err[512], id[32];
    cache_writer *w = cache_create(src, "store-a", "1", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    for (size_t i = 0; i < ROWS; i++) {
        cx_response r;
        row(i, &r, id);
        ck_assert_int_eq(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err), 0);
    }
    ck_assert_int_ge(cache_flush(w, err, sizeof err), 0);
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    cache_reader *r;
    cache_block b1, b2;
    ck_assert_int_eq(cache_open(src, "store-a", "1", &r, err, sizeof err), 1);
    ck_assert_int_eq(cache_next(r, CACHE_ALL_COLS, &b1, err, sizeof err), 1);
    ck_assert_int_eq(cache_next(r, CACHE_ALL_COLS, &b2, err, sizeof err), 1);
    ck_assert_uint_gt(b2.rows, 10);
    w = cache_create(dst, "store-a", "2", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    size_t c1[2] = {0, 0}, c2[2] = {0, 0};
    int ends;
    ck_assert_uint_eq(cache_rows_fit(w, &b1, 0, b1.rows, c1, &ends), b1.rows);
    ck_assert_int_eq(ends, 1);
    ck_assert_int_eq(cache_add_rows(w, &b1, 1, 0, b1.rows - 1, c1, err, sizeof err), 0);
    ck_assert_uint_eq(cache_pending(w), b1.rows - 1);
    size_t fit = cache_rows_fit(w, &b2, 0, b2.rows, c2, &ends);
    ck_assert_int_eq(ends, 1);
    ck_assert_uint_lt(fit, b2.rows);
    ck_assert_int_eq(cache_add_rows(w, &b2, 2, 0, b2.rows, c2, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "do not fit the block") != NULL, "%s", err);
    cache_discard(w);
    cache_close(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cache_bytes");
    TCase *t = tcase_create("bytes");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, blocks_end_at_bytes);
    tcase_add_test(t, run_past_the_bytes_refused);
    suite_add_tcase(s, t);
    return run_suite(s);
}
