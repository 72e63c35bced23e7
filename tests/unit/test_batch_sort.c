/* test_batch_sort.c — core/store/store_sqlite_batch_sort.c: a batch's
 * rows ordered by (source, response_id) as SQLite's BINARY collation
 * orders them, rows of one key in arrival order, and whether a key comes
 * twice.  Every case is checked against a plain merge sort written
 * here from that definition (memcmp over the shorter text, then the
 * shorter first, then the arrival order; a merge sort): ids of the vendors' shape in
 * random order, ids sharing a long head, ids that begin others, equal in
 * their first bytes past the head and different after, bytes over 0x7f,
 * keys given twice, rows already in order, several sources, batches of
 * 0, 1 and 2 rows.  And the arena's layout the sorted runs copy whole
 * (store_sqlite_batch.h): each row's texts one after another, each with
 * its NUL, whether added from a response or from another batch's row (one
 * copy) or from texts lying apart (copied one by one). */
#include <check.h>

#include "run_suite.h"
#include "test_rng.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/store/store_sqlite_batch.h"

enum { MAXN = 30000, IDLEN = 40 };

static char ids[MAXN][IDLEN];
static const char *srcs[MAXN];

static int cmp_text(const char *a, const char *b)
{
    size_t an = strlen(a), bn = strlen(b);
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

static int before(size_t x, size_t y)
{
    int c = cmp_text(srcs[x], srcs[y]);
    if (!c) c = cmp_text(ids[x], ids[y]);
    return c ? c < 0 : x < y;
}

/* A plain stable merge sort by before(). */
static void merge_sort(size_t *a, size_t *tmp, size_t n)
{
    if (n < 2) return;
    size_t h = n / 2, i = 0, j = h, k = 0;
    merge_sort(a, tmp, h);
    merge_sort(a + h, tmp, n - h);
    while (i < h && j < n) tmp[k++] = before(a[j], a[i]) ? a[j++] : a[i++];
    while (i < h) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

/* Adds rows 0..N to a batch, sorts it, and checks the order and the
 * duplicate flag against the merge sort. */
static void check_batch(size_t n)
{
    sq_batch b;
    memset(&b, 0, sizeof b);
    for (size_t i = 0; i < n; i++) {
        cx_response r;
        cx_response_clear(&r);
        r.source = srcs[i];
        r.response_id = ids[i];
        r.comment = "";
        ck_assert_int_eq(sq_batch_add(&b, &r, (long long)i + 1), 0);
    }
    int dup = sq_batch_sort(&b);
    size_t *want = malloc((n ? n : 1) * sizeof *want), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    ck_assert_ptr_nonnull(want);
    ck_assert_ptr_nonnull(tmp);
    for (size_t i = 0; i < n; i++) want[i] = i;
    merge_sort(want, tmp, n);
    free(tmp);
    int want_dup = 0;
    for (size_t i = 1; i < n; i++)
        if (!cmp_text(srcs[want[i]], srcs[want[i - 1]]) && !cmp_text(ids[want[i]], ids[want[i - 1]]))
            want_dup = 1;
    ck_assert_int_eq(dup, want_dup);
    ck_assert_int_eq(b.sorted, 1);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(b.order[i] == want[i], "row %zu: %u, want %zu", i, b.order[i], want[i]);
    free(want);
    sq_batch_free(&b);
}

static void one_source(size_t n, const char *src)
{
    for (size_t i = 0; i < n; i++) srcs[i] = src;
}

static void shuffle(size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(test_rng_next() % i);
        char t[IDLEN];
        memcpy(t, ids[i - 1], IDLEN);
        memcpy(ids[i - 1], ids[j], IDLEN);
        memcpy(ids[j], t, IDLEN);
        const char *s = srcs[i - 1];
        srcs[i - 1] = srcs[j];
        srcs[j] = s;
    }
}

START_TEST(vendor_ids_in_random_order)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    test_rng_seed(1);
    size_t n = 20000;
    one_source(n, "qualtrics");
    for (size_t i = 0; i < n; i++) {
        memcpy(ids[i], "R_", 2);
        for (int j = 2; j < 17; j++) ids[i][j] = al[test_rng_next() % 62];
        ids[i][17] = '\0';
    }
    check_batch(n);
    memcpy(ids[n - 1], ids[5], IDLEN); /* a key given again, last */
    check_batch(n);
}
END_TEST

START_TEST(long_shared_head_and_repeats)
{
    test_rng_seed(2);
    size_t n = 25000;
    one_source(n, "csv");
    for (size_t i = 0; i < n; i++) snprintf(ids[i], IDLEN, "response-000000%06zu", i % 20000);
    shuffle(n);
    check_batch(n);
    for (size_t i = 0; i < n; i++) snprintf(ids[i], IDLEN, "r%07zu", i); /* in order */
    check_batch(n);
    snprintf(ids[n / 2], IDLEN, "r%07zu", n / 2 - 1); /* one out of order, equal to the one before */
    check_batch(n);
}
END_TEST

START_TEST(equal_past_the_head_and_prefixes)
{
    static const char *const t[] = {
        "a",
        "ab",
        "abc",
        "abcdefgh",
        "abcdefghi",
        "abcdefghij",
        "abcdefghijA",
        "abcdefghijB",
        "abcdefghij",
        "abcdefgh\x7f",
        "abcdefgh\x80",
        "abcdefgh\xff",
        "abcdefgh\xc3\xa9",
        "abd",
        "",
        "abcdefghiZZZZZZZZZZZ",
        "abcdefghiZZZZZZZZZZY",
        "abcdefghiZZZZZZZZZZZ",
        "b",
        "\xff",
        "\xff\xff",
        "ABCDEFGH",
        "ABCDEFGH ",
    };
    size_t k = sizeof t / sizeof *t;
    test_rng_seed(3);
    for (int round = 0; round < 40; round++) {
        size_t n = 2 + (size_t)(test_rng_next() % 300);
        one_source(n, "s");
        for (size_t i = 0; i < n; i++) snprintf(ids[i], IDLEN, "%s", t[test_rng_next() % k]);
        check_batch(n);
        /* the same with a shared head of seven bytes before each */
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(ids[i]);
            memmove(ids[i] + 7, ids[i], len + 1);
            memcpy(ids[i], "HEAD123", 7);
        }
        check_batch(n);
    }
}
END_TEST

START_TEST(several_sources)
{
    static const char *const s[] = {"b", "a", "ab", "a\xc3\xa9"};
    test_rng_seed(4);
    size_t n = 5000;
    for (size_t i = 0; i < n; i++) {
        srcs[i] = s[test_rng_next() % 4];
        snprintf(ids[i], IDLEN, "x%03u", (unsigned)(test_rng_next() % 2000));
    }
    check_batch(n);
    for (size_t i = 0; i < n; i++) snprintf(ids[i], IDLEN, "x%05zu", i); /* no key twice */
    check_batch(n);
}
END_TEST

START_TEST(small_batches)
{
    one_source(2, "s");
    check_batch(0);
    snprintf(ids[0], IDLEN, "only");
    check_batch(1);
    snprintf(ids[0], IDLEN, "b");
    snprintf(ids[1], IDLEN, "a");
    check_batch(2);
    snprintf(ids[1], IDLEN, "b");
    check_batch(2);
}
END_TEST

/* Each text of row I of B is WANT[t] and lies right after the one before
 * it, its NUL after it. */
static void check_texts(const sq_batch *b, size_t i, const char *const want[SQB_NTEXT])
{
    const sq_brow *w = &b->row[i];
    size_t total = 0;
    for (int t = 0; t < SQB_NTEXT; t++) {
        const char *p = sq_brow_text(b, w, t);
        ck_assert_uint_eq(w->len[t], strlen(want[t]));
        ck_assert_msg(memcmp(p, want[t], w->len[t]) == 0 && p[w->len[t]] == '\0', "row %zu text %d", i, t);
        if (t > 0) ck_assert_uint_eq(w->off[t], w->off[t - 1] + w->len[t - 1] + 1);
        total += w->len[t] + 1;
    }
    ck_assert_uint_eq(sq_brow_block(w), total);
}

START_TEST(texts_one_after_another)
{
    sq_batch a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    cx_response r;
    cx_response_clear(&r);
    r.source = "csv";
    r.response_id = "r1";
    r.comment = "a comment, \"quoted\"";
    r.customer_id = "";
    r.agent_id = "a7";
    r.channel = "phone";
    r.product = NULL;
    r.interaction_type = "x";
    r.n_moments = 3;
    r.moments[0] = 4, r.moments[1] = -2, r.moments[2] = 10;
    r.n_attrs = 1;
    r.attrs[0].key = "region";
    r.attrs[0].value = "north";
    ck_assert_int_eq(sq_batch_add(&a, &r, 1), 0);
    r.response_id = "r2";
    r.comment = "";
    r.n_moments = 0;
    r.n_attrs = 0;
    ck_assert_int_eq(sq_batch_add(&a, &r, 2), 0);
    const char *one[SQB_NTEXT] = {"csv", "r1",      "a comment, \"quoted\"", "", "a7", "phone", "",
                                  "x",   "4;-2;10", "{\"region\":\"north\"}"};
    const char *two[SQB_NTEXT] = {"csv", "r2", "", "", "a7", "phone", "", "x", "", "{}"};
    check_texts(&a, 0, one);
    check_texts(&a, 1, two);
    /* a row of a batch into another: one piece; then texts lying apart,
     * with other bytes between them */
    for (size_t i = 0; i < 2; i++) {
        const char *txt[SQB_NTEXT];
        for (int t = 0; t < SQB_NTEXT; t++) txt[t] = sq_brow_text(&a, &a.row[1 - i], t);
        ck_assert_int_eq(sq_batch_add_raw(&b, &a.row[1 - i], txt), 0);
    }
    char apart[SQB_NTEXT][32];
    const char *txt[SQB_NTEXT];
    sq_brow h = a.row[0];
    for (int t = 0; t < SQB_NTEXT; t++) {
        snprintf(apart[t], sizeof apart[t], "%s", one[t]);
        apart[t][h.len[t]] = ';'; /* not NUL-terminated where it ends */
        txt[t] = apart[t];
    }
    ck_assert_int_eq(sq_batch_add_raw(&b, &h, txt), 0);
    /* texts one after another but with other bytes between: NULs put in */
    char packed[256];
    size_t k = 0;
    for (int t = 0; t < SQB_NTEXT; t++) {
        memcpy(packed + k, one[t], h.len[t]);
        txt[t] = packed + k;
        k += h.len[t];
        packed[k++] = '|';
    }
    ck_assert_int_eq(sq_batch_add_raw(&b, &h, txt), 0);
    check_texts(&b, 0, two);
    check_texts(&b, 1, one);
    check_texts(&b, 2, one);
    check_texts(&b, 3, one);
    ck_assert_uint_eq(b.used, 3 * sq_brow_block(&a.row[0]) + sq_brow_block(&a.row[1]));
    sq_batch_free(&a);
    sq_batch_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("batch_sort");
    TCase *t = tcase_create("batch_sort");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, vendor_ids_in_random_order);
    tcase_add_test(t, long_shared_head_and_repeats);
    tcase_add_test(t, equal_past_the_head_and_prefixes);
    tcase_add_test(t, several_sources);
    tcase_add_test(t, small_batches);
    tcase_add_test(t, texts_one_after_another);
    suite_add_tcase(s, t);
    return run_suite(s);
}
