/* test_cache_widths.c — core/store/cache*.c: a text column's codes take
 * one, two or four bytes as its block's dictionary needs, the moments one
 * byte or four, and every row reads back the same (the round trip of
 * ordinary rows: test_cache.c).  A column whose first TEXT_PROBE values
 * of a block are almost all new (fewer than 1 in 16 found again) takes
 * the rest as they are, one code each, a value given again included; one
 * found again as often or more keeps one code a value.  A dictionary
 * tells apart values of every length up to 40 bytes that differ in one
 * byte only, wherever it is, and finds each again (short ones are hashed
 * and compared a word at a time from both ends). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store/cache.h"
#include "core/store/cache_int.h"
#include "core/timeparse.h"
#include "tests/unit/cache_fixture.h"
#include "tests/unit/run_suite.h"

#define ROWS (CACHE_BLOCK_ROWS + 100) /* two blocks, the second short */

static char path[256];

static void setup(void)
{
    snprintf(path, sizeof path, "/tmp/cx-test-cache-widths-%ld", (long)getpid());
    unlink(path);
}

static void teardown(void) { unlink(path); }

/* Row I of a block whose columns cannot be narrow: five attributes of
 * values never seen twice (81920 in a block: four-byte codes) and, in
 * the first block, moments past a byte. */
static void wide_row(size_t i, cx_response *r, char *id, char (*val)[24])
{
    static const char *const keys[] = {"a", "b", "c", "d", "e"};
    cx_response_clear(r);
    snprintf(id, 32, "w%07zu", i);
    r->source = "csv";
    r->response_id = id;
    r->responded_at = 1767225600 + (int64_t)i;
    r->updated_at = r->responded_at;
    r->score = (int)(i % 11);
    r->n_moments = 2;
    r->moments[0] = i < CACHE_BLOCK_ROWS ? 500 + (int)(i % 7) : (int)(i % 5);
    r->moments[1] = i < CACHE_BLOCK_ROWS ? -300 : -128;
    r->n_attrs = 5;
    for (size_t a = 0; a < 5; a++) {
        snprintf(val[a], 24, "v%zu.%zu", i, a);
        r->attrs[a].key = keys[a];
        r->attrs[a].value = val[a];
    }
}

static void same_wide_row(size_t i, const cx_response *got, void *ctx)
{
    char id[32], val[5][24];
    cx_response want;
    (void)ctx;
    wide_row(i, &want, id, val);
    ck_assert_str_eq(got->response_id, want.response_id);
    ck_assert_uint_eq(got->n_moments, 2);
    ck_assert_int_eq(got->moments[0], want.moments[0]);
    ck_assert_int_eq(got->moments[1], want.moments[1]);
    ck_assert_uint_eq(got->n_attrs, 5);
    for (size_t a = 0; a < 5; a++) {
        ck_assert_str_eq(got->attrs[a].key, want.attrs[a].key);
        ck_assert_str_eq(got->attrs[a].value, want.attrs[a].value);
    }
}

/* Codes and moments as narrow as each block allows, read back the same:
 * one-byte codes (channel), two (response ids), four (81920 attribute
 * values); moments of one byte and of four. */
START_TEST(code_widths)
{
    char err[512], id[32], val[5][24];
    cache_writer *w = cache_create(path, "store-a", "7", err, sizeof err);
    ck_assert_ptr_nonnull(w);
    for (size_t i = 0; i < ROWS; i++) {
        cx_response r;
        wide_row(i, &r, id, val);
        ck_assert_int_eq(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err), 0);
    }
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    cache_reader *rd;
    ck_assert_int_eq(cache_open(path, "store-a", "7", &rd, err, sizeof err), 1);
    cache_block b;
    ck_assert_int_eq(cache_next(rd, CACHE_ALL_COLS, &b, err, sizeof err), 1);
    ck_assert_uint_eq(b.text[CC_ATTR_VALUE - CC_FIRST_TEXT].width, 4);
    ck_assert_uint_eq(b.text[CC_ATTR_KEY - CC_FIRST_TEXT].width, 1);
    ck_assert_uint_eq(b.text[CC_RESPONSE_ID - CC_FIRST_TEXT].width, 2);
    ck_assert_uint_eq(b.moment_width, 4);
    ck_assert_int_eq(cache_moment(&b, 0), 500);
    ck_assert_int_eq(cache_next(rd, CACHE_ALL_COLS, &b, err, sizeof err), 1);
    ck_assert_uint_eq(b.text[CC_ATTR_VALUE - CC_FIRST_TEXT].width, 2); /* 500 values */
    ck_assert_uint_eq(b.text[CC_RESPONSE_ID - CC_FIRST_TEXT].width, 1);
    ck_assert_uint_eq(b.moment_width, 1);
    ck_assert_int_eq(cache_moment(&b, 1), -128);
    cache_close(rd);
    cache_read_back(path, "store-a", "7", same_wide_row, NULL, 2, ROWS);
}
END_TEST

/* Row I of the probe test: customer ids new for the block's first
 * TEXT_PROBE rows, then given again; agents found again 31 times in those
 * rows (then as they are), products 32 times (kept one code a value). */
static void probe_row(size_t i, cx_response *r, char *id, char *cust, char *agent, char *product)
{
    static const char *const ch[] = {"phone", "chat", "email", ""};
    cx_response_clear(r);
    snprintf(id, 32, "p%07zu", i);
    snprintf(cust, 32, "c%zu", i < TEXT_PROBE ? i : i % 600);
    snprintf(agent, 32, "a%zu", i < TEXT_PROBE ? i % (TEXT_PROBE - 31) : i % 700);
    snprintf(product, 32, "p%zu", i < TEXT_PROBE ? i % (TEXT_PROBE - 32) : i % 700);
    r->source = "csv";
    r->response_id = id;
    r->customer_id = cust;
    r->agent_id = agent;
    r->product = product;
    r->channel = ch[i % 4];
    r->responded_at = 1767225600 + (int64_t)i;
    r->updated_at = r->responded_at;
    r->score = (int)(i % 11);
}

#define PROBE_ROWS 2000

static void same_probe_row(size_t i, const cx_response *got, void *ctx)
{
    char id[32], cust[32], agent[32], product[32];
    cx_response want;
    (void)ctx;
    probe_row(i, &want, id, cust, agent, product);
    ck_assert_str_eq(got->response_id, want.response_id);
    ck_assert_str_eq(got->customer_id, want.customer_id);
    ck_assert_str_eq(got->agent_id, want.agent_id);
    ck_assert_str_eq(got->product, want.product);
    ck_assert_str_eq(got->channel, want.channel);
}

START_TEST(new_values_as_they_are)
{
    char err[512], id[32], cust[32], agent[32], product[32];
    cache_writer *w = cache_create(path, "store-a", "7", err, sizeof err);
    ck_assert_ptr_nonnull(w);
    for (size_t i = 0; i < PROBE_ROWS; i++) {
        cx_response r;
        probe_row(i, &r, id, cust, agent, product);
        ck_assert_int_eq(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err), 0);
    }
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    cache_reader *rd;
    ck_assert_int_eq(cache_open(path, "store-a", "7", &rd, err, sizeof err), 1);
    cache_block b;
    ck_assert_int_eq(cache_next(rd, CACHE_ALL_COLS, &b, err, sizeof err), 1);
    /* as they are after the probe: one code a row from there */
    ck_assert_uint_eq(b.text[CC_RESPONSE_ID - CC_FIRST_TEXT].n_dict, PROBE_ROWS);
    ck_assert_uint_eq(b.text[CC_CUSTOMER_ID - CC_FIRST_TEXT].n_dict, PROBE_ROWS);
    ck_assert_uint_eq(b.text[CC_AGENT_ID - CC_FIRST_TEXT].n_dict, TEXT_PROBE - 31 + PROBE_ROWS - TEXT_PROBE);
    /* found again 32 times in the probe: one code a value (p0..p699) */
    ck_assert_uint_eq(b.text[CC_PRODUCT - CC_FIRST_TEXT].n_dict, 700);
    ck_assert_uint_eq(b.text[CC_CHANNEL - CC_FIRST_TEXT].n_dict, 4);
    cache_close(rd);
    cache_read_back(path, "store-a", "7", same_probe_row, NULL, 1, PROBE_ROWS);
}
END_TEST

START_TEST(short_values_told_apart)
{
    tcol t;
    memset(&t, 0, sizeof t);
    char v[48];
    uint32_t code, again;
    for (size_t len = 0; len <= 40; len++) {
        text_reset(&t);
        memset(v, 'a', sizeof v);
        ck_assert_int_eq(text_code(&t, v, len, &code), 0);
        ck_assert_uint_eq(code, 0);
        for (size_t i = 0; i < len; i++) { /* one byte changed, at each place */
            v[i] = 'b';
            ck_assert_int_eq(text_code(&t, v, len, &code), 0);
            ck_assert_uint_eq(code, 1 + i);
            v[i] = 'a';
        }
        /* a byte past LEN differs: the same value */
        v[len] = 'z';
        ck_assert_int_eq(text_code(&t, v, len, &again), 0);
        ck_assert_uint_eq(again, 0);
        v[len] = 'a';
        for (size_t i = 0; i < len; i++) {
            v[i] = 'b';
            ck_assert_int_eq(text_code(&t, v, len, &again), 0);
            ck_assert_uint_eq(again, 1 + i);
            v[i] = 'a';
        }
        ck_assert_uint_eq(t.n_dict, 1 + len);
    }
    free(t.data.p);
    free(t.off);
    free(t.code);
    free(t.slot);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cache_widths");
    TCase *t = tcase_create("cache_widths");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, code_widths);
    tcase_add_test(t, new_values_as_they_are);
    tcase_add_test(t, short_values_told_apart);
    suite_add_tcase(s, t);
    return run_suite(s);
}
