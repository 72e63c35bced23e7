/* test_resp_fields.c — core/respcsv.c resp_from_record: a record's fields
 * laid one after another, each followed by a NUL (as csv_read gives them),
 * are checked in one pass while they are ASCII with no NUL of their own;
 * a field holding a NUL, a byte over 0x7f that is not UTF-8, or valid
 * UTF-8, is then judged field by field as before: the first two refused
 * with the field's name and why, the third taken.  Fields not laid out
 * that way (another caller's) get the same answers.  A response taken
 * says the lengths of its eight texts (the store copies them by those):
 * each what strlen finds, whether its source was the file's, the
 * default or forced, and its absent columns "".  A record checked on one
 * thread and filled on another (resp_check_record, resp_from_checked)
 * gives what resp_from_record gives.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "core/respcsv.h"
#include "tests/unit/run_suite.h"

static const char *const cols[] = {"response_id", "responded_at", "score", "comment", "channel"};
enum { NC = 5 };

/* H from a header of the N column NAMES (at most 8). */
static void header_of(resp_header *h, const char *const *names, size_t n)
{
    char *f[8];
    size_t l[8];
    for (size_t i = 0; i < n; i++) {
        f[i] = (char *)names[i];
        l[i] = strlen(names[i]);
    }
    csv_record rec = {n, f, l, 1, "", 0};
    char why[256];
    memset(h, 0, sizeof *h);
    ck_assert_int_eq(resp_header_init(h, &rec, why, sizeof why), 0);
}

static void header(resp_header *h) { header_of(h, cols, NC); }

/* Record of VALS (their lengths LENS) laid out as csv_read does when
 * TOGETHER, else each in a buffer of its own; resp_from_record's answer. */
static int judge(const resp_header *h, const char *const vals[NC], const size_t lens[NC], int together,
                 const char **field, const char **why)
{
    static char buf[512], own[NC][64];
    char *f[NC];
    size_t l[NC], at = 0;
    for (int i = 0; i < NC; i++) {
        char *to = together ? buf + at : own[i];
        memcpy(to, vals[i], lens[i]);
        to[lens[i]] = '\0';
        f[i] = to;
        l[i] = lens[i];
        at += lens[i] + 1;
    }
    csv_record rec = {NC, f, l, 2, "", 0};
    cx_response r;
    return resp_from_record(h, &rec, "csv", 0, 1, 5, &r, field, why);
}

START_TEST(fields_judged)
{
    resp_header h;
    header(&h);
    const char *field, *why;
    for (int together = 0; together < 2; together++) {
        const char *ok[NC] = {"r1", "2026-01-05T10:00:00Z", "9", "long enough to fill words, plain", "phone"};
        size_t len[NC];
        for (int i = 0; i < NC; i++) len[i] = strlen(ok[i]);
        ck_assert_int_eq(judge(&h, ok, len, together, &field, &why), 0);
        /* valid UTF-8: taken */
        const char *utf[NC] = {"r2", "2026-01-05T10:00:00Z", "9", "caf\xc3\xa9 tr\xc3\xa8s bien", "phone"};
        for (int i = 0; i < NC; i++) len[i] = strlen(utf[i]);
        ck_assert_int_eq(judge(&h, utf, len, together, &field, &why), 0);
        /* a NUL of its own, at every place of the comment */
        for (size_t at = 0; at < len[3]; at++) {
            char c[64];
            memcpy(c, ok[3], strlen(ok[3]));
            c[at] = '\0';
            const char *bad[NC] = {ok[0], ok[1], ok[2], c, ok[4]};
            size_t bl[NC] = {2, strlen(ok[1]), 1, strlen(ok[3]), 5};
            ck_assert_int_eq(judge(&h, bad, bl, together, &field, &why), -1);
            ck_assert_str_eq(field, "comment");
            ck_assert_str_eq(why, "NUL byte in a field");
        }
        /* a byte over 0x7f that is not UTF-8, in the last field */
        const char *inv[NC] = {"r3", "2026-01-05T10:00:00Z", "9", "fine", "ph\xffone"};
        for (int i = 0; i < NC; i++) len[i] = strlen(inv[i]);
        ck_assert_int_eq(judge(&h, inv, len, together, &field, &why), -1);
        ck_assert_str_eq(field, "channel");
        ck_assert_str_eq(why, "invalid UTF-8");
    }
    resp_header_free(&h);
}
END_TEST

/* The eight texts of R, in cx_response's text_len order. */
static void texts_of(const cx_response *r, const char *t[8])
{
    const char *x[8] = {r->source,   r->response_id, r->comment, r->customer_id,
                        r->agent_id, r->channel,     r->product, r->interaction_type};
    memcpy(t, x, sizeof x);
}

/* The record of the N texts VALS laid out in BUF as csv_read lays them
 * (each followed by a NUL), F and L its fields and lengths. */
static csv_record laid(const char *const *vals, size_t n, char *buf, char **f, size_t *l)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(vals[i]);
        memcpy(buf + at, vals[i], len + 1);
        f[i] = buf + at;
        l[i] = len;
        at += len + 1;
    }
    return (csv_record){n, f, l, 2, "", 0};
}

START_TEST(text_lengths)
{
    static const char *const hc[] = {"product", "source", "response_id", "responded_at", "score", "comment"};
    enum { HN = 6 };
    char *f[HN];
    size_t l[HN];
    resp_header h;
    header_of(&h, hc, HN);
    static const char *const rows[][HN] = {
        {"cards", "zendesk", "r1", "2026-01-05T10:00:00Z", "9", "caf\xc3\xa9, long enough"},
        {"", "", "r-22", "2026-01-05T10:00:00Z", "0", ""},
        {"loans and more", "qualtrics", "R_abc", "1767607200", "10", "x"},
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
        for (int force = 0; force < 2; force++) {
            char buf[256];
            csv_record rec = laid(rows[k], HN, buf, f, l);
            cx_response r;
            const char *field, *why, *t[8];
            ck_assert_int_eq(resp_from_record(&h, &rec, "default-src", force, 1, 5, &r, &field, &why), 0);
            ck_assert_int_eq(r.lens_known, 1);
            ck_assert_str_eq(r.source, force || !*rows[k][1] ? "default-src" : rows[k][1]);
            texts_of(&r, t);
            for (int i = 0; i < 8; i++) ck_assert_uint_eq(r.text_len[i], strlen(t[i]));
        }
    /* a response cleared knows no lengths */
    cx_response c;
    cx_response_clear(&c);
    ck_assert_int_eq(c.lens_known, 0);
    resp_header_free(&h);
}
END_TEST

/* A record checked on one thread and filled on another
 * (resp_check_record, then resp_from_checked, its moments in a buffer of
 * the checker's): the same response, or the same refusal, as
 * resp_from_record gives; the moments copied, not borrowed. */
START_TEST(checked_then_filled)
{
    static const char *const hc[] = {"response_id", "responded_at", "score", "moments", "region", "comment"};
    enum { HN = 6 };
    resp_header h;
    header_of(&h, hc, HN);
    static const char *const rows[][HN] = {
        {"r1", "2026-01-05T10:00:00Z", "9", "4;5;1", "north", "fine"},
        {"r2", "2026-01-05T10:00:00Z", "11", "4", "south", ""},                    /* score off the scale */
        {"r3", "2026-02-30T10:00:00Z", "3", "", "", ""},                           /* no such day */
        {"r4", "2026-01-06T11:00:00Z", "0", "4;x;3", "east", ""},                  /* a moment not a number */
        {"r5", "2026-01-07T12:00:00Z", "10", "", "west", "caf\xc3\xa9"},           /* UTF-8, no moments */
        {"r6", "2026-01-07T12:00:00Z", "7", "1;2;3;4;5;5;4;3;2;1", "", "caf\xe9"}, /* not UTF-8 */
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        char *f[HN], buf[256];
        size_t l[HN];
        csv_record rec = laid(rows[k], HN, buf, f, l);
        cx_response a, b;
        const char *fa = "", *wa = "", *fb = "", *wb = "";
        int ra = resp_from_record(&h, &rec, "csv", 0, 1, 5, &a, &fa, &wa);
        resp_cache cache;
        memset(&cache, 0, sizeof cache);
        int moments[CX_MAX_MOMENTS];
        resp_checked c;
        resp_check_record(&h, &rec, &cache, 1, 5, moments, &c);
        int rb = resp_from_checked(&h, &rec, &c, moments, "csv", 0, &b, &fb, &wb);
        ck_assert_int_eq(ra, rb);
        ck_assert_int_eq(ra, k == 0 || k == 4 ? 0 : -1);
        if (ra != 0) {
            ck_assert_str_eq(fa, fb);
            ck_assert_str_eq(wa, wb);
            continue;
        }
        ck_assert_str_eq(a.response_id, b.response_id);
        ck_assert_str_eq(a.source, b.source);
        ck_assert_str_eq(a.comment, b.comment);
        ck_assert(a.responded_at == b.responded_at && a.updated_at == b.updated_at);
        ck_assert_int_eq(a.score, b.score);
        ck_assert_int_eq(a.metric, b.metric);
        ck_assert_uint_eq(a.n_moments, b.n_moments);
        ck_assert_uint_eq(b.n_moments, k == 0 ? 3 : 0);
        for (size_t i = 0; i < a.n_moments; i++) ck_assert_int_eq(a.moments[i], b.moments[i]);
        ck_assert_ptr_ne(b.moments, moments);
        ck_assert_uint_eq(a.n_attrs, b.n_attrs);
        for (size_t i = 0; i < a.n_attrs; i++) {
            ck_assert_str_eq(a.attrs[i].key, b.attrs[i].key);
            ck_assert_str_eq(a.attrs[i].value, b.attrs[i].value);
        }
        for (int i = 0; i < 8; i++) ck_assert_uint_eq(a.text_len[i], b.text_len[i]);
    }
    resp_header_free(&h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resp_fields");
    TCase *t = tcase_create("resp_fields");
    tcase_add_test(t, fields_judged);
    tcase_add_test(t, text_lengths);
    tcase_add_test(t, checked_then_filled);
    suite_add_tcase(s, t);
    return run_suite(s);
}
