/* test_cache_rows.c — core/store/cache_wrows.c cache_add_rows: the rows
 * of blocks read from one cache added by code to another, in runs of
 * every length, new rows (cache_add) among them, a run cut where a block
 * fills and rows left out, read back field for field in the order given.
 * A value of few (a channel, a region) keeps one code a block even when
 * old rows of two blocks and new rows give it; the ids and comments, each
 * given once, go in as they are.  A run past the room of the block or past
 * its block's moments is refused. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store/cache.h"
#include "core/timeparse.h"
#include "tests/unit/cache_fixture.h"
#include "tests/unit/run_suite.h"

#define OLD (2 * CACHE_BLOCK_ROWS + 700) /* three blocks, the last short */

static char src[256], dst[256];

static void setup(void)
{
    snprintf(src, sizeof src, "/tmp/cx-test-rows-a-%ld", (long)getpid());
    snprintf(dst, sizeof dst, "/tmp/cx-test-rows-b-%ld", (long)getpid());
    unlink(src);
    unlink(dst);
}

static void teardown(void)
{
    unlink(src);
    unlink(dst);
}

/* Row I: old rows below OLD, new ones from NEW_AT on (their channel,
 * agent and region values the old rows' own, their ids and comments new). */
#define NEW_AT 1000000
static void row(size_t i, cx_response *r, char *id, char *comment)
{
    static const char *const ch[] = {"phone", "chat", "email", ""};
    static const char *const keys[] = {"region", "tier"};
    cx_response_clear(r);
    snprintf(id, 32, "r%07zu", i);
    snprintf(comment, 48, i % 3 ? "comment %zu" : "", i);
    r->source = "csv";
    r->response_id = id;
    r->comment = comment;
    r->channel = ch[i % 4];
    r->agent_id = i % 2 ? "a01" : "a02";
    r->product = i >= NEW_AT ? "new" : "";
    r->responded_at = 1767225600 + (int64_t)(i % NEW_AT) * 60;
    r->updated_at = r->responded_at + 5;
    r->score = (int)(i % 11);
    r->metric = i % 13 ? CX_METRIC_NPS : CX_METRIC_CSAT;
    if (r->metric == CX_METRIC_CSAT) r->score = 1 + (int)(i % 5);
    r->has_handle_time = i % 5 != 0;
    r->handle_time_s = r->has_handle_time ? (double)i / 4 : 0;
    r->n_moments = i % 4;
    for (size_t k = 0; k < r->n_moments; k++) r->moments[k] = (int)(k + i % 7) - 3 + (i == 5 ? 200 : 0);
    r->n_attrs = i % 3;
    for (size_t a = 0; a < r->n_attrs; a++) {
        r->attrs[a].key = keys[a];
        r->attrs[a].value = a ? "gold" : (i % 2 ? "north" : "south");
    }
}

static void write_src(void)
{
    char err[512], id[32], comment[48];
    cache_writer *w = cache_create(src, "store-a", "1", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    for (size_t i = 0; i < OLD; i++) {
        cx_response r;
        row(i, &r, id, comment);
        ck_assert_int_eq(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err), 0);
    }
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
}

/* What the copy holds, in order: row numbers for row(). */
static size_t *want;
static size_t n_want;

static void same_row(size_t i, const cx_response *got, void *ctx)
{
    char id[32], comment[48];
    cx_response w;
    (void)ctx;
    ck_assert_uint_lt(i, n_want);
    row(want[i], &w, id, comment);
    ck_assert_str_eq(got->source, w.source);
    ck_assert_str_eq(got->response_id, w.response_id);
    ck_assert_str_eq(got->comment, w.comment);
    ck_assert_str_eq(got->channel, w.channel);
    ck_assert_str_eq(got->agent_id, w.agent_id);
    ck_assert_str_eq(got->product, w.product);
    ck_assert_int_eq(got->responded_at, w.responded_at);
    ck_assert_int_eq(got->updated_at, w.updated_at);
    ck_assert_int_eq(got->score, w.score);
    ck_assert_int_eq(got->metric, w.metric);
    ck_assert_int_eq(got->has_handle_time, w.has_handle_time);
    ck_assert(got->handle_time_s == w.handle_time_s);
    ck_assert_uint_eq(got->n_moments, w.n_moments);
    for (size_t m = 0; m < got->n_moments; m++) ck_assert_int_eq(got->moments[m], w.moments[m]);
    ck_assert_uint_eq(got->n_attrs, w.n_attrs);
    for (size_t a = 0; a < got->n_attrs; a++) {
        ck_assert_str_eq(got->attrs[a].key, w.attrs[a].key);
        ck_assert_str_eq(got->attrs[a].value, w.attrs[a].value);
    }
}

/* The distinct values of text T (a dictionary may hold one twice). */
static uint32_t distinct(const cache_text *t)
{
    uint32_t n = 0;
    for (uint32_t c = 0; c < t->n_dict; c++) {
        uint32_t d = 0;
        while (d < c && strcmp(cache_str(t, d), cache_str(t, c)) != 0) d++;
        n += d == c;
    }
    return n;
}

START_TEST(rows_by_code)
{
    write_src();
    char err[512], id[32], comment[48];
    cache_reader *r;
    ck_assert_int_eq(cache_open(src, "store-a", "1", &r, err, sizeof err), 1);
    cache_writer *w = cache_create(dst, "store-a", "2", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    want = malloc(2 * OLD * sizeof *want);
    n_want = 0;
    cache_block b;
    size_t base = 0, n_new = 0, lens[] = {1, 96, 500, 7, CACHE_BLOCK_ROWS, 3000};
    unsigned long long serial = 0;
    int rc;
    while ((rc = cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err)) > 0) {
        size_t i = 0, cur[2] = {0, 0}, k = 0;
        serial++;
        while (i < b.rows) {
            size_t n = lens[k++ % (sizeof lens / sizeof *lens)];
            int ends;
            if (n > b.rows - i) n = b.rows - i;
            n = cache_rows_fit(w, &b, i, i + n, cur, &ends);
            if (k % 5 == 4 && n > 1) { /* the run's last row left out, as a row replaced is */
                ck_assert_msg(cache_add_rows(w, &b, serial, i, i + n - 1, cur, err, sizeof err) == 0, "%s",
                              err);
                for (size_t j = i; j < i + n - 1; j++) want[n_want++] = base + j;
                cur[0] += b.row_attrs[i + n - 1];
                cur[1] += b.row_moments[i + n - 1];
            } else {
                ck_assert_msg(cache_add_rows(w, &b, serial, i, i + n, cur, err, sizeof err) == 0, "%s", err);
                for (size_t j = i; j < i + n; j++) want[n_want++] = base + j;
            }
            i += n;
            if (i < b.rows) { /* a new row after each run */
                cx_response nr;
                size_t ni = NEW_AT + base + i;
                row(ni, &nr, id, comment);
                ck_assert_int_eq(cache_add(w, &nr, time_month_key(nr.responded_at), err, sizeof err), 0);
                want[n_want++] = ni;
                n_new++;
            }
        }
        ck_assert_uint_eq(cur[0], b.n_attrs);
        ck_assert_uint_eq(cur[1], b.n_moments);
        base += b.rows;
    }
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(base, OLD);
    ck_assert_uint_ge(n_new, 9);
    ck_assert_int_ge(cache_flush(w, err, sizeof err), 0);
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    cache_close(r);

    cache_read_back(dst, "store-a", "2", same_row, NULL, (n_want + CACHE_BLOCK_ROWS - 1) / CACHE_BLOCK_ROWS,
                    n_want);

    /* a block spans old rows of two blocks and new rows: its values of
     * few stay one code each; the ids, each given once, one code a row */
    ck_assert_int_eq(cache_open(dst, "store-a", "2", &r, err, sizeof err), 1);
    size_t blocks = 0;
    while ((rc = cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err)) > 0) {
        blocks++;
        static const int few[] = {CC_SOURCE,      CC_CHANNEL,          CC_AGENT_ID, CC_PRODUCT,
                                  CC_CUSTOMER_ID, CC_INTERACTION_TYPE, CC_ATTR_KEY, CC_ATTR_VALUE};
        for (size_t c = 0; c < sizeof few / sizeof *few; c++) {
            const cache_text *t = &b.text[few[c] - CC_FIRST_TEXT];
            ck_assert_msg(t->n_dict == distinct(t), "block %zu column %d: %u codes for %u values", blocks,
                          few[c], t->n_dict, distinct(t));
        }
        ck_assert_uint_eq(b.text[CC_RESPONSE_ID - CC_FIRST_TEXT].n_dict, b.rows);
    }
    ck_assert_msg(rc == 0, "%s", err);
    cache_close(r);
    free(want);
}
END_TEST

START_TEST(refused)
{
    write_src();
    char err[512];
    cache_reader *r;
    ck_assert_int_eq(cache_open(src, "store-a", "1", &r, err, sizeof err), 1);
    cache_block b;
    ck_assert_int_eq(cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err), 1);
    cache_writer *w = cache_create(dst, "store-a", "2", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    size_t cur[2] = {0, 0};
    ck_assert_int_eq(cache_add_rows(w, &b, 1, 0, 10, cur, err, sizeof err), 0);
    size_t again[2] = {0, 0};
    ck_assert_int_eq(cache_add_rows(w, &b, 1, 0, b.rows, again, err, sizeof err), -1); /* past the room */
    ck_assert_ptr_nonnull(strstr(err, "do not fit"));
    cache_discard(w);
    w = cache_create(dst, "store-a", "2", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    size_t past[2] = {0, b.n_moments}; /* cursors that already took every moment */
    ck_assert_int_eq(cache_add_rows(w, &b, 1, 0, 10, past, err, sizeof err), -1);
    ck_assert_ptr_nonnull(strstr(err, "moments"));
    cache_discard(w);
    cache_close(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cache_rows");
    TCase *t = tcase_create("core");
    tcase_set_timeout(t, 60);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, rows_by_code);
    tcase_add_test(t, refused);
    suite_add_tcase(s, t);
    return run_suite(s);
}
