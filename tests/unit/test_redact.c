/* test_redact.c — core/redact: every form a vendor can echo a credential
 * in is found and masked, ordinary text is left alone.  The base64 and
 * percent-encoded texts below were computed independently with Python:
 *   base64.b64encode(b"Kx9-secretToken-42zz:")   -> S3g5LXNlY3JldFRva2VuLTQyeno6
 *   base64.b64encode(b"user:Kx9-secretToken-42zz") -> dXNlcjpLeDktc2VjcmV0VG9rZW4tNDJ6eg==
 *   base64.b64encode(b"Kx9-secretToken-42zz")    -> S3g5LXNlY3JldFRva2VuLTQyeno=
 *   "".join("%%%02x" % ord(c) for c in t)          -> %4b%78%39%2d...
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/redact.h"
#include "tests/unit/run_suite.h"

#define KEY "Kx9-secretToken-42zz"

static cx_redact *red;

static void setup(void) { red = cx_redact_new(KEY); }
static void teardown(void) { cx_redact_free(red); }

/* IN masked equals WANT. */
static void masks(const char *in, const char *want)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", in);
    cx_redact_mask(red, buf);
    ck_assert_msg(strcmp(buf, want) == 0, "mask(%s) = %s, want %s", in, buf, want);
    ck_assert_msg(!cx_redact_has(red, buf), "masked text still holds the key: %s", buf);
}

START_TEST(raw_and_case_folded)
{
    ck_assert_ptr_nonnull(red);
    masks("bad key " KEY " and " KEY "!", "bad key *** and ***!");
    masks("KX9-SECRETTOKEN-42ZZ", "***");
    masks("kx9-secrettoken-42zz.", "***.");
}
END_TEST

START_TEST(partial_runs_of_eight)
{
    masks("key ends in ken-42zz", "key ends in ***"); /* 8 characters of the key */
    masks("prefix Kx9-secr...", "prefix ***...");
    masks("only en-42zz here", "only en-42zz here"); /* 7: ordinary text */
    masks("SECRETTO", "***");
}
END_TEST

START_TEST(percent_encoded)
{
    masks("%4b%78%39%2d%73%65%63%72%65%74%54%6f%6b%65%6e%2d%34%32%7a%7a", "***");
    masks("?key=Kx9%2DsecretToken%2D42zz&x=1", "?key=***&x=1");
    masks("%4B%58%39%2D%53%45%43%52", "***"); /* upper-case hex, folded key */
    masks("100%25 sure", "100%25 sure");
    masks("next=%254b%2578%2539%252d%2573%2565%2563%2572&", "next=***&"); /* encoded twice */
}
END_TEST

START_TEST(base64_forms)
{
    masks("Authorization: Basic S3g5LXNlY3JldFRva2VuLTQyeno6", "Authorization: Basic ***");
    masks("you sent dXNlcjpLeDktc2VjcmV0VG9rZW4tNDJ6eg==",
          "you sent dXNlcjp***g=="); /* only characters mixing other bytes stay */
    masks("S3g5LXNlY3JldFRva2VuLTQyeno=", "***");
    masks("S3g5LXNlY3JldFRva2VuLTQyeno%3D", "***"); /* percent-encoded padding */
    masks("tail LTQyeno6 only", "tail *** only");   /* 8 characters of the pair */
}
END_TEST

START_TEST(find_reports_the_run)
{
    size_t at = 0, span = 0;
    const char *s = "x=Kx9%2dsecretToken-42zz;";
    ck_assert(cx_redact_find(red, s, strlen(s), &at, &span));
    ck_assert_uint_eq(at, 2);
    ck_assert_uint_eq(span, strlen("Kx9%2dsecretToken-42zz"));
    ck_assert(!cx_redact_find(red, s, 9, NULL, NULL)); /* "x=Kx9%2ds": 5 characters */
    int oom = 1;
    ck_assert_ptr_null(cx_redact_dup(red, "nothing here", &oom));
    ck_assert_int_eq(oom, 0);
    char *d = cx_redact_dup(red, "a " KEY " b", &oom);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d, "a *** b");
    free(d);
}
END_TEST

START_TEST(short_or_no_secret)
{
    cx_redact *none = cx_redact_new(NULL), *tiny = cx_redact_new("abc"), *four = cx_redact_new("Ab12");
    char buf[64];
    ck_assert(none && tiny && four);
    ck_assert(!cx_redact_has(none, "anything at all"));
    ck_assert(!cx_redact_has(tiny, "abc abc")); /* too short to tell from text */
    snprintf(buf, sizeof buf, "x aB12 y ab1");
    ck_assert_uint_eq(cx_redact_mask(four, buf), 1); /* a short key: the whole of it */
    ck_assert_str_eq(buf, "x *** y ab1");
    cx_redact_free(none);
    cx_redact_free(tiny);
    cx_redact_free(four);
}
END_TEST

/* A secret may itself hold "%41" or '*': its literal text is still found,
 * and a run made across a mask is masked too. */
START_TEST(odd_secrets)
{
    cx_redact *pct = cx_redact_new("ab%41cdefgh"), *star = cx_redact_new("**x*****y**");
    char buf[128];
    ck_assert(pct && star);
    snprintf(buf, sizeof buf, "key=ab%%41cdefgh;");
    ck_assert_uint_ge(cx_redact_mask(pct, buf), 1);
    ck_assert_str_eq(buf, "key=***;");
    snprintf(buf, sizeof buf, "a **x*****y** b");
    cx_redact_mask(star, buf);
    ck_assert(!cx_redact_has(star, buf));
    cx_redact_free(pct);
    cx_redact_free(star);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("redact");
    TCase *t = tcase_create("redact");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, raw_and_case_folded);
    tcase_add_test(t, partial_runs_of_eight);
    tcase_add_test(t, percent_encoded);
    tcase_add_test(t, base64_forms);
    tcase_add_test(t, find_reports_the_run);
    tcase_add_test(t, short_or_no_secret);
    tcase_add_test(t, odd_secrets);
    suite_add_tcase(s, t);
    return run_suite(s);
}
