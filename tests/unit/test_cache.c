/* test_cache.c — core/store/cache*.c: responses written to the analysis
 * cache come back field for field over several blocks; the store's id and
 * generation pick the file; and a file whose hashes were recomputed after
 * a hostile edit (a dictionary code past its dictionary, an offset past
 * its data, a moment count that does not add up, a score off its scale)
 * is refused as damaged, never read past its buffers.  Blocks whose
 * writes were deferred make the same file.  Codes and moments as narrow
 * as a block allows: test_cache_widths.c.  The attributes' scan:
 * test_store_attrs.c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store/cache.h"
#include "core/store/cache_int.h"
#include "core/store/store_attrs.h"
#include "core/timeparse.h"
#include "tests/unit/cache_fixture.h"
#include "tests/unit/run_suite.h"

#define ROWS (CACHE_BLOCK_ROWS + 100) /* two blocks, the second short */

static char path[256];

static void setup(void)
{
    snprintf(path, sizeof path, "/tmp/cx-test-cache-%ld", (long)getpid());
    unlink(path);
}

static void teardown(void) { unlink(path); }

/* Row I of the test data. */
static void row(size_t i, cx_response *r, char *id, char *comment)
{
    static const char *const ch[] = {"phone", "chat", "email", ""};
    cx_response_clear(r);
    snprintf(id, 32, "r%07zu", i);
    snprintf(comment, 48, i % 3 ? "comment %zu" : "", i);
    r->source = i % 2 ? "csv" : "vendor";
    r->response_id = id;
    r->comment = comment;
    r->channel = ch[i % 4];
    r->agent_id = "a01";
    r->responded_at = 1767225600 + (int64_t)i * 60; /* 2026-01-01 on */
    r->updated_at = r->responded_at + 5;
    r->score = (int)(i % 11);
    r->has_handle_time = i % 5 != 0;
    r->handle_time_s = r->has_handle_time ? (double)i / 4 : 0;
    r->n_moments = i % 4;
    for (size_t k = 0; k < r->n_moments; k++) r->moments[k] = (int)(k + i % 7) - 3;
    r->n_attrs = i % 3;
    static const char *const keys[] = {"region", "tier"};
    for (size_t a = 0; a < r->n_attrs; a++) {
        r->attrs[a].key = keys[a];
        r->attrs[a].value = a ? "gold" : (i % 2 ? "north" : "south");
    }
}

static void write_cache(void)
{
    char err[512], id[32], comment[48];
    cache_writer *w = cache_create(path, "store-a", "7", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    for (size_t i = 0; i < ROWS; i++) {
        cx_response r;
        row(i, &r, id, comment);
        ck_assert_int_eq(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err), 0);
    }
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
}

/* Row I read back: every field as written. */
static void same_row(size_t i, const cx_response *got, void *ctx)
{
    char id[32], comment[48];
    cx_response want;
    (void)ctx;
    row(i, &want, id, comment);
    ck_assert_str_eq(got->source, want.source);
    ck_assert_str_eq(got->response_id, want.response_id);
    ck_assert_str_eq(got->comment, want.comment);
    ck_assert_str_eq(got->channel, want.channel);
    ck_assert_str_eq(got->agent_id, want.agent_id);
    ck_assert_str_eq(got->product, "");
    ck_assert_int_eq(got->responded_at, want.responded_at);
    ck_assert_int_eq(got->updated_at, want.updated_at);
    ck_assert_int_eq(got->score, want.score);
    ck_assert_int_eq(got->metric, CX_METRIC_NPS);
    ck_assert_int_eq(got->has_handle_time, want.has_handle_time);
    ck_assert(got->handle_time_s == want.handle_time_s);
    ck_assert_uint_eq(got->n_moments, want.n_moments);
    for (size_t m = 0; m < got->n_moments; m++) ck_assert_int_eq(got->moments[m], want.moments[m]);
    ck_assert_uint_eq(got->n_attrs, want.n_attrs);
    for (size_t a = 0; a < got->n_attrs; a++) {
        ck_assert_str_eq(got->attrs[a].key, want.attrs[a].key);
        ck_assert_str_eq(got->attrs[a].value, want.attrs[a].value);
    }
}

START_TEST(round_trip)
{
    write_cache();
    char err[512];
    cache_reader *r;
    ck_assert_int_eq(cache_open(path, "store-a", "8", &r, err, sizeof err), 0); /* another generation */
    ck_assert_int_eq(cache_open(path, "store-b", "7", &r, err, sizeof err), 0); /* another store */
    ck_assert_int_eq(cache_open(path, "store-a", "7", &r, err, sizeof err), 1);
    ck_assert_int_eq(cache_rows(r), ROWS);
    size_t rows;
    ck_assert_uint_eq(cache_each_row(r, same_row, NULL, &rows), 2);
    ck_assert_uint_eq(rows, ROWS);
    cache_close(r);
}
END_TEST

/* The file, column C of its first block edited by EDIT, every hash made
 * right again: cache_next (and cache_row) must refuse it. */
typedef void (*edit_fn)(unsigned char *col, size_t len);

static void forge_and_expect_damaged(int c, edit_fn edit, const char *why)
{
    write_cache();
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    cache_bhead h;
    ck_assert_int_eq(fseek(f, (long)CACHE_HEAD, SEEK_SET), 0);
    ck_assert_uint_eq(fread(&h, sizeof h, 1, f), 1);
    unsigned char *col = malloc(h.col[c].len);
    long at = (long)(CACHE_HEAD + sizeof h + h.col[c].off);
    ck_assert_int_eq(fseek(f, at, SEEK_SET), 0);
    ck_assert_uint_eq(fread(col, 1, h.col[c].len, f), h.col[c].len);
    edit(col, h.col[c].len);
    h.col[c].hash = cache_hash(col, h.col[c].len);
    h.hash = cache_hash(&h, offsetof(cache_bhead, hash));
    ck_assert_int_eq(fseek(f, at, SEEK_SET), 0);
    ck_assert_uint_eq(fwrite(col, 1, h.col[c].len, f), h.col[c].len);
    ck_assert_int_eq(fseek(f, (long)CACHE_HEAD, SEEK_SET), 0);
    ck_assert_uint_eq(fwrite(&h, sizeof h, 1, f), 1);
    fclose(f);
    free(col);

    char err[512];
    cache_reader *r;
    ck_assert_int_eq(cache_open(path, "store-a", "7", &r, err, sizeof err), 1);
    cache_block b;
    int rc = cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err);
    if (rc > 0) { /* the block's shape holds: its rows must not */
        size_t cur[2] = {0, 0};
        cx_response resp;
        for (size_t k = 0; rc > 0 && k < b.rows; k++) {
            cx_response_clear(&resp);
            if (cache_row(&b, k, &resp, cur, err, sizeof err) != 0) rc = -1;
        }
    }
    ck_assert_msg(rc < 0, "a forged %s was read", why);
    ck_assert_msg(strstr(err, why) != NULL, "'%s' does not say '%s'", err, why);
    cache_close(r);
}

static void code_past_dictionary(unsigned char *col, size_t len)
{
    uint32_t nd, big;
    memcpy(&nd, col, 4);
    big = nd; /* the last code of the column: one past the last value */
    unsigned w = cache_code_width(nd);
    ck_assert_uint_eq(w, 1); /* a channel: a few values */
    col[len - 1] = (unsigned char)big;
}

static void offset_past_data(unsigned char *col, size_t len)
{
    (void)len;
    uint32_t huge = 0x7fffffff;
    memcpy(col + 4 + 4, &huge, 4); /* off[1] */
}

static void moment_count(unsigned char *col, size_t len)
{
    (void)len;
    col[1] = (unsigned char)(col[1] + 1); /* row 1 says one moment more than the block holds */
}

static void score_off_scale(unsigned char *col, size_t len)
{
    (void)len;
    col[3] = 42;
}

START_TEST(forged_code) { forge_and_expect_damaged(CC_CHANNEL, code_past_dictionary, "codes"); }
END_TEST
START_TEST(forged_offset) { forge_and_expect_damaged(CC_RESPONSE_ID, offset_past_data, "codes"); }
END_TEST
START_TEST(forged_moments) { forge_and_expect_damaged(CC_N_MOMENTS, moment_count, "add up"); }
END_TEST
START_TEST(forged_score) { forge_and_expect_damaged(CC_SCORE, score_off_scale, "score"); }
END_TEST

START_TEST(cut_and_flipped)
{
    write_cache();
    char err[512];
    cache_reader *r;
    cache_block b;
    /* a flipped byte in a column: its hash says so */
    FILE *f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, (long)(CACHE_HEAD + sizeof(cache_bhead) + 40), SEEK_SET), 0);
    int c = fgetc(f);
    ck_assert_int_eq(fseek(f, -1, SEEK_CUR), 0);
    fputc(c ^ 0x55, f);
    fclose(f);
    ck_assert_int_eq(cache_open(path, "store-a", "7", &r, err, sizeof err), 1);
    ck_assert_int_eq(cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "hash") != NULL, "%s", err);
    cache_close(r);
    /* cut in its second block */
    write_cache();
    ck_assert_int_eq(truncate(path, (off_t)CACHE_HEAD + 200000), 0);
    ck_assert_int_eq(cache_open(path, "store-a", "7", &r, err, sizeof err), 1);
    int rc;
    while ((rc = cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err)) > 0) {}
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "cut short") != NULL, "%s", err);
    cache_close(r);
    /* not a cache at all */
    f = fopen(path, "wb");
    for (int i = 0; i < 600; i++) fputc('x', f);
    fclose(f);
    ck_assert_int_eq(cache_open(path, "store-a", "7", &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "not a cxpulse cache") != NULL, "%s", err);
}
END_TEST

/* The file's bytes, malloc'd, into *N. */
static char *slurp(const char *file, size_t *n)
{
    FILE *f = fopen(file, "rb");
    ck_assert_ptr_nonnull(f);
    char *b = NULL;
    size_t cap = 0;
    *n = 0;
    for (;;) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 1 << 20;
            b = realloc(b, cap);
            ck_assert_ptr_nonnull(b);
        }
        size_t got = fread(b + *n, 1, cap - *n, f);
        if (!got) break;
        *n += got;
    }
    fclose(f);
    return b;
}

/* A new cache at OTHER with writes deferred, the ROWS rows added;
 * IN_ORDER: its first block written as soon as it is made. */
static cache_writer *deferred(const char *other, int in_order)
{
    char err[512], id[32], comment[48];
    cache_writer *w = cache_create(other, "store-a", "7", err, sizeof err);
    ck_assert_ptr_nonnull(w);
    cache_defer_writes(w, CACHE_WRITER_KEPT);
    for (size_t i = 0; i < ROWS; i++) {
        cx_response r;
        row(i, &r, id, comment);
        ck_assert_int_eq(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err), 0);
        if (in_order && i == CACHE_BLOCK_ROWS - 1)
            ck_assert_int_eq(cache_write_block(w, 0, err, sizeof err), 0);
    }
    return w;
}

/* Deferred writes (a build's blocks written by the thread that feeds the
 * run): the same file, byte for byte, as written at once, in order or
 * not; block K must be
 * written before block K + 2 is made, and every block before the commit. */
START_TEST(deferred_writes)
{
    char err[512], id[32], comment[48], other[300];
    write_cache();
    size_t n_want, n_got;
    char *want = slurp(path, &n_want);
    snprintf(other, sizeof other, "%s-deferred", path);
    cache_writer *w = deferred(other, 0);
    ck_assert_int_eq(cache_flush(w, err, sizeof err), 1);
    ck_assert_int_eq(cache_write_block(w, 2, err, sizeof err), -1); /* none such */
    ck_assert_int_eq(cache_write_block(w, 1, err, sizeof err), 0);
    ck_assert_int_eq(cache_write_block(w, 0, err, sizeof err), 0);
    ck_assert_int_eq(cache_write_block(w, 0, err, sizeof err), -1); /* once */
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    char *got = slurp(other, &n_got);
    ck_assert_uint_eq(n_got, n_want);
    ck_assert(memcmp(got, want, n_want) == 0);
    free(got);
    unlink(other);

    /* written in order, as an import's thread writes them: past the page
     * cache where it can (core/dstream.c), the same bytes */
    w = deferred(other, 1);
    ck_assert_int_eq(cache_flush(w, err, sizeof err), 1);
    ck_assert_int_eq(cache_write_block(w, 1, err, sizeof err), 0);
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    got = slurp(other, &n_got);
    ck_assert_uint_eq(n_got, n_want);
    ck_assert(memcmp(got, want, n_want) == 0);
    free(got);
    free(want);
    unlink(other);

    /* a block made while the one CACHE_WRITER_KEPT before it waits (its
     * memory): refused */
    w = cache_create(other, "store-a", "7", err, sizeof err);
    ck_assert_ptr_nonnull(w);
    cache_defer_writes(w, CACHE_WRITER_KEPT);
    int rc = 0;
    size_t i;
    for (i = 0; i < (CACHE_WRITER_KEPT + 1) * CACHE_BLOCK_ROWS && rc == 0; i++) {
        cx_response r;
        row(i, &r, id, comment);
        rc = cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err);
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_eq(i, (CACHE_WRITER_KEPT + 1) * CACHE_BLOCK_ROWS);
    ck_assert_msg(strstr(err, "before block 0 was written") != NULL, "%s", err);
    cache_discard(w);

    /* kept two (an import's writer thread): refused at the third block,
     * the first two blocks' bytes as written at once */
    w = cache_create(other, "store-a", "7", err, sizeof err);
    ck_assert_ptr_nonnull(w);
    cache_defer_writes(w, 2);
    for (i = 0, rc = 0; i < 3 * CACHE_BLOCK_ROWS && rc == 0; i++) {
        cx_response r;
        row(i, &r, id, comment);
        rc = cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err);
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_eq(i, 3 * CACHE_BLOCK_ROWS);
    ck_assert_msg(strstr(err, "before block 0 was written") != NULL, "%s", err);
    cache_discard(w);

    /* a commit with a block not written: refused, nothing left */
    w = cache_create(other, "store-a", "7", err, sizeof err);
    ck_assert_ptr_nonnull(w);
    cache_defer_writes(w, CACHE_WRITER_KEPT);
    for (i = 0; i < CACHE_BLOCK_ROWS; i++) {
        cx_response r;
        row(i, &r, id, comment);
        ck_assert_int_eq(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err), 0);
    }
    ck_assert_int_eq(cache_commit(w, err, sizeof err), -1);
    ck_assert_int_eq(access(other, F_OK), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cache");
    TCase *t = tcase_create("cache");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, round_trip);
    tcase_add_test(t, forged_code);
    tcase_add_test(t, forged_offset);
    tcase_add_test(t, forged_moments);
    tcase_add_test(t, forged_score);
    tcase_add_test(t, cut_and_flipped);
    tcase_add_test(t, deferred_writes);
    suite_add_tcase(s, t);
    return run_suite(s);
}
