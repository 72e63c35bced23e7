/* test_dedup.c — core/respcsv_dedup.c: the store's rule for a repeated
 * response_id in a CSV read straight through.  Expected winners by hand
 * from docs/formats.md (a newer updated_at replaces, an older is ignored, a tie
 * goes to the later row; a rejected row replaces nothing) — the rule
 * store_upsert_response applies; tests/e2e/hostile_store_input.sh checks
 * stats --input against import on the same file.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_suite.h"
#include "core/respcsv_dedup.h"

static char path[64], err[512];

/* Writes TEXT to a temp file; the header of its first line into *H. */
static void file_of(const char *text, resp_header *h)
{
    snprintf(path, sizeof path, "/tmp/cxpulse_test_dedup_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    csv_reader *r = csv_reader_open(path, err, sizeof err);
    csv_record rec;
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    ck_assert_int_eq(resp_header_init(h, &rec, err, sizeof err), 0);
    csv_reader_free(r);
}

/* The rows that count, as their response_id and score ("a9 b3 ..."),
 * reading the file with csv_read and asking resp_dedup_keep. */
static void kept(resp_dedup *d, const resp_header *h, char *out, size_t cap)
{
    csv_reader *r = csv_reader_open(path, err, sizeof err);
    csv_record rec;
    cx_response x;
    const char *field, *why;
    out[0] = '\0';
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    for (;;) {
        long long off = csv_reader_tell(r, NULL);
        int rc = csv_read(r, &rec, err, sizeof err);
        if (rc == 0) break;
        if (rc != 1 || resp_from_record(h, &rec, "csv", 0, 1, 5, &x, &field, &why) != 0) continue;
        if (!resp_dedup_keep(d, x.source, strlen(x.source), x.response_id, strlen(x.response_id), off,
                             x.updated_at))
            continue;
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s%d", n ? " " : "", x.response_id, x.score);
    }
    csv_reader_free(r);
}

START_TEST(latest_then_later_row)
{
    resp_header h;
    char got[256];
    file_of("response_id,responded_at,updated_at,score,source\n"
            "a,2026-01-01T00:00:00Z,2026-01-05T00:00:00Z,1,\n"
            "b,2026-01-01T00:00:00Z,,2,\n"
            "a,2026-01-01T00:00:00Z,2026-01-04T00:00:00Z,3,\n" /* older: ignored */
            "c,2026-01-01T00:00:00Z,,4,\n"
            "b,2026-01-01T00:00:00Z,,5,\n"  /* tie: the later row */
            "c,2026-01-01T00:00:00Z,,11,\n" /* rejected: does not replace */
            "d,2026-01-01T00:00:00Z,,6,x\n"
            "d,2026-01-01T00:00:00Z,,7,\n" /* another source: both count */
            "e,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,8,\n"
            "\"e\",2026-01-01T00:00:00Z,2026-02-01T00:00:00Z,9,csv\n", /* newer; source csv = empty */
            &h);
    resp_dedup *d = resp_dedup_build(path, &h, "csv", 1, 5, err, sizeof err);
    ck_assert_msg(d != NULL, "%s", err);
    ck_assert_int_eq(resp_dedup_passes(d), 1);
    kept(d, &h, got, sizeof got);
    ck_assert_str_eq(got, "a1 c4 b5 d6 d7 e9");
    ck_assert_int_eq(resp_dedup_replaced(d), 3);
    ck_assert_uint_ge(resp_dedup_tracked(d), 3);
    resp_dedup_free(d);
    resp_header_free(&h);
    unlink(path);
}
END_TEST

/* Many distinct ids and a few repeats: every distinct id counts once, the
 * tracked keys stay near the repeats (the filter's false positives are
 * few), and a NULL dedup keeps everything. */
START_TEST(many_ids_few_repeats)
{
    size_t n = 200000, cap = n * 40 + 64;
    char *text = malloc(cap);
    size_t k = (size_t)snprintf(text, cap, "response_id,responded_at,score\n");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, cap - k, "id%zu,2026-01-01T00:00:00Z,%zu\n", i % (n - 50), i % 11);
    resp_header h;
    file_of(text, &h);
    resp_dedup *d = resp_dedup_build(path, &h, "csv", 1, 5, err, sizeof err);
    ck_assert_ptr_nonnull(d);
    /* keys came back, and the file was still read once: the reading pass
     * settles them (before, a second pass found their winners) */
    ck_assert_uint_ge(resp_dedup_tracked(d), 50);
    ck_assert_int_eq(resp_dedup_passes(d), 1);
    char *got = malloc(n * 12);
    kept(d, &h, got, n * 12);
    size_t words = 1;
    for (const char *p = got; *p; p++) words += *p == ' ';
    ck_assert_uint_eq(words, n - 50);
    ck_assert_int_eq(resp_dedup_replaced(d), 50);
    ck_assert_uint_lt(resp_dedup_tracked(d), 50 + 200);
    ck_assert_int_eq(resp_dedup_keep(NULL, "csv", 3, "id1", 3, 0, 0), 1);
    ck_assert_int_eq(resp_dedup_keep(d, "", 0, "nosuch", 6, 12345, 0), 1);
    free(got);
    resp_dedup_free(d);
    resp_header_free(&h);
    free(text);
    unlink(path);
}
END_TEST

/* A file without repeats, 100k rows of 76 bytes: the first pass brings no
 * key back (no false positive either: 8 filter bits a key, and 1/16 to 1/8
 * of the file's bytes of filter, 42 bits a key here), so no second pass is
 * needed and every row counts.  With 4 bits a key this file gave 4 false
 * positives, and each key brought back costs the second pass. */
START_TEST(no_repeats_no_key_back)
{
    size_t n = 100000, cap = n * 80 + 64;
    char *text = malloc(cap);
    size_t k = (size_t)snprintf(text, cap, "response_id,responded_at,score,comment\n");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, cap - k, "r%07zu,2026-01-01T00:00:00Z,%zu,%s\n", i, i % 11,
                              "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    resp_header h;
    file_of(text, &h);
    resp_dedup *d = resp_dedup_build(path, &h, "csv", 1, 5, err, sizeof err);
    ck_assert_msg(d != NULL, "%s", err);
    ck_assert_uint_eq(resp_dedup_tracked(d), 0);
    ck_assert_int_eq(resp_dedup_replaced(d), 0);
    ck_assert_int_eq(resp_dedup_keep(d, "", 0, "r0000001", 8, 0, 0), 1);
    resp_dedup_free(d);
    resp_header_free(&h);
    free(text);
    unlink(path);
}
END_TEST

/* Reading threads ask about rows in any order (resp_dedup_class, before
 * any first row is recorded); the thread that takes them in file order
 * records the first rows and settles the pending ones.  a: its first row
 * is the newest, so it wins against the best later row (the later of two
 * ties), which was pending; b: its first row is older, the later one
 * counts.  By hand from the rule of docs/formats.md. */
START_TEST(first_row_settles_pending)
{
    resp_header h;
    file_of("response_id,responded_at,updated_at,score\n"
            "a,2026-01-01T00:00:00Z,2026-01-05T00:00:00Z,1\n"
            "b,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,2\n"
            "a,2026-01-01T00:00:00Z,2026-01-04T00:00:00Z,3\n"
            "a,2026-01-01T00:00:00Z,2026-01-04T00:00:00Z,4\n"
            "b,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,5\n",
            &h);
    resp_dedup *d = resp_dedup_build(path, &h, "csv", 1, 5, err, sizeof err);
    ck_assert_msg(d != NULL, "%s", err);
    csv_reader *r = csv_reader_open(path, err, sizeof err);
    csv_record rec;
    cx_response x;
    const char *field, *why;
    int cls[5];
    size_t key[5];
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    for (int i = 0; i < 5; i++) { /* as the workers: no first row recorded yet */
        long long off = csv_reader_tell(r, NULL);
        ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
        ck_assert_int_eq(resp_from_record(&h, &rec, "csv", 0, 1, 5, &x, &field, &why), 0);
        cls[i] = resp_dedup_class(d, x.source, strlen(x.source), x.response_id, strlen(x.response_id), off,
                                  x.updated_at, &key[i]);
    }
    csv_reader_free(r);
    ck_assert_int_eq(cls[0], DEDUP_FIRST_WON);
    ck_assert_int_eq(cls[1], DEDUP_FIRST_LOST);
    ck_assert_int_eq(cls[2], DEDUP_DROP);
    ck_assert_int_eq(cls[3], DEDUP_PENDING);
    ck_assert_int_eq(cls[4], DEDUP_PENDING);
    resp_dedup_first(d, key[0], 1); /* then in file order */
    resp_dedup_first(d, key[1], 0);
    ck_assert_int_eq(resp_dedup_settle(d, key[3]), 0);
    ck_assert_int_eq(resp_dedup_settle(d, key[4]), 1);
    ck_assert_int_eq(resp_dedup_replaced(d), 3);
    resp_dedup_free(d);
    resp_header_free(&h);
    unlink(path);
}
END_TEST

/* Keys with "" pairs (undone in place, so taken at once) among keys
 * without (batched for the filter), quoted or not: the rule is the same.
 * By hand. */
START_TEST(quoted_keys)
{
    resp_header h;
    char got[256];
    file_of("response_id,responded_at,updated_at,score\n"
            "\"q\"\"1\",2026-01-01T00:00:00Z,2026-01-03T00:00:00Z,1\n"
            "\"p\",2026-01-01T00:00:00Z,,2\n"
            "q1,2026-01-01T00:00:00Z,2026-01-09T00:00:00Z,3\n"
            "\"q\"\"1\",2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,4\n"  /* older */
            "p,2026-01-01T00:00:00Z,,5\n"                               /* tie: later */
            "\"q\"\"1\",2026-01-01T00:00:00Z,2026-01-04T00:00:00Z,6\n", /* newer */
            &h);
    resp_dedup *d = resp_dedup_build(path, &h, "csv", 1, 5, err, sizeof err);
    ck_assert_msg(d != NULL, "%s", err);
    kept(d, &h, got, sizeof got);
    ck_assert_str_eq(got, "q13 p5 q\"16");
    ck_assert_int_eq(resp_dedup_replaced(d), 3);
    resp_dedup_free(d);
    resp_header_free(&h);
    unlink(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dedup");
    TCase *tc = tcase_create("dedup");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, latest_then_later_row);
    tcase_add_test(tc, many_ids_few_repeats);
    tcase_add_test(tc, no_repeats_no_key_back);
    tcase_add_test(tc, first_row_settles_pending);
    tcase_add_test(tc, quoted_keys);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
