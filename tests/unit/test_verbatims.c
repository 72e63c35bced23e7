/* test_verbatims.c — the verbatim accumulator (stats/text/verbatims.h):
 * charged words with negation and intensifiers in English and Spanish,
 * themes end to end on a small stream whose
 * counts are known, scopes, the previous month, hostile comments and the
 * vocabulary cap.  Moments of truth: test_verbatims_mot.c.
 *
 * Independent values, computed ONCE with Debian's /usr/bin/python3
 * (scipy 1.10.1): for 20 of 30 detractor comments against 2 of 30
 * promoter comments,
 *   chi2_contingency([[20,10],[2,28]], correction=False,
 *                    lambda_="log-likelihood")[0] = 25.972279674313974
 *   log2((20/30)/(2/30)) = 3.321928094887362
 *   NPS with (P,A,D = 2,0,20) = -81.81818181818181, without (28,0,10) =
 *   47.368421052631575, p = 2*norm.sf(|diff|/hypot(se1, se2)) with the
 *   Wald SEs = 6.763592456476275e-12.
 * Charges are by hand from the lexicon's intensities (stats/text/lexicon_*.tsv).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/csv.h"
#include "stats/text/verbatims.h"

#include "run_suite.h"

#include "verb_fixture.h"

/* ---- charge ---- */

static const struct charge_case {
    const char *comment;
    double neg, pos;
    const char *terms;
    text_lang lang;
} charge_cases[] = {
    {"I was worried about my account", 2, 0, "worried", TEXT_EN},
    {"I was not worried at all", 0, 0, "", TEXT_EN},
    {"I wasn't worried, the agent was great", 0, 0, "", TEXT_EN},
    {"I was really worried", 3, 0, "worried", TEXT_EN},          /* 2 x 1.5 */
    {"a bit annoyed with the wait", 0.5, 0, "annoyed", TEXT_EN}, /* 1 x 0.5 */
    {"not worried. Terrified!", 3, 0, "terrified", TEXT_EN},     /* the full stop ends "not" */
    {"I panicked, then I was so relieved", 3, 3, "panicked;so relieved", TEXT_EN}, /* a phrase */
    {"stranded abroad with no money", 6, 0, "stranded;no money", TEXT_EN}, /* a phrase, not a negation */
    {"I am not grateful", 0.75, 0, "NOT grateful", TEXT_EN}, /* negated positive: half, negative */
    {"Thank you, you saved me", 0, 4, "thank;saved me", TEXT_EN},
    {"No estaba preocupado por nada", 0, 0, "", TEXT_ES},
    {"Estaba muy preocupada por mi cuenta", 0 + 3, 0, "preocupada", TEXT_ES},
    {"estaba preocupadísimo y desesperado", 3, 0, "desesperado", TEXT_ES},
    {"me quedé sin dinero en el extranjero", 3, 0, "sin dinero", TEXT_ES},
    {"qué alivio, gracias a dios", 0, 6, "qué alivio;gracias a dios", TEXT_ES},
    {"nunca tuve miedo", 0, 0, "", TEXT_ES},
};

START_TEST(charge_with_negation_and_intensifiers)
{
    const struct charge_case *c = &charge_cases[_i];
    verb_acc *a = acc_new(0);
    verb_flag f;
    ck_assert_int_eq(add(a, "r1", 5, "", c->comment, 24300, &f), 1);
    ck_assert_msg(f.lang == c->lang, "'%s': language %s", c->comment, text_lang_code(f.lang));
    ck_assert_msg(fabs(f.charge_neg - c->neg) < 1e-9 && fabs(f.charge_pos - c->pos) < 1e-9,
                  "'%s': charge %g/%g, want %g/%g (%s)", c->comment, f.charge_neg, f.charge_pos, c->neg,
                  c->pos, f.terms);
    ck_assert_str_eq(f.terms, c->terms);
    verb_free(a);
}
END_TEST

/* ---- themes ---- */

static void feed_theme_stream(verb_acc *a, int month)
{
    char id[32];
    verb_flag f;
    for (int i = 0; i < 30; i++) { /* detractors: 20 hidden fees, 10 slow answers */
        snprintf(id, sizeof id, "d%02d", i);
        ck_assert_int_eq(add(a, id, 2, "", i < 20 ? "Hidden fees again!" : "slow answer", month, &f), 1);
    }
    for (int i = 0; i < 30; i++) { /* promoters: 2 hidden fees, 28 friendly staff */
        snprintf(id, sizeof id, "p%02d", i);
        ck_assert_int_eq(add(a, id, 10, "", i < 2 ? "hidden fees" : "friendly staff", month, &f), 1);
    }
}

static const verb_theme *find_theme(const verb_result *res, const char *scope, const char *theme)
{
    for (size_t i = 0; i < res->n_themes; i++)
        if (!strcmp(res->themes[i].scope, scope) && !strcmp(res->themes[i].theme, theme))
            return &res->themes[i];
    return NULL;
}

START_TEST(themes_on_a_known_stream)
{
    verb_acc *a = acc_new(0);
    feed_theme_stream(a, 24300);
    /* a CSAT comment: charged and flagged, but no theme or NPS count */
    cx_response r;
    cx_response_clear(&r);
    r.response_id = "c1";
    r.score = 1;
    r.metric = CX_METRIC_CSAT;
    r.comment = "hidden fees, I was terrified";
    verb_flag f;
    ck_assert_int_eq(verb_add(a, &r, 24300, &f), 1);
    ck_assert(f.unlabelled_mot);
    const verb_result *res = verb_finish(a);
    ck_assert_ptr_nonnull(res);
    ck_assert_int_eq(res->comments[TEXT_EN], 61);
    ck_assert_int_eq(res->flagged, 1);
    ck_assert_int_eq(nps_counts_n(&res->mot_nps), 0);
    const verb_theme *t = find_theme(res, "all", "hidden fees");
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->direction, -1);
    ck_assert_int_eq(t->lang, TEXT_EN);
    ck_assert_int_eq(t->mentions, 22);
    ck_assert_int_eq(t->detractor_mentions, 20);
    ck_assert_int_eq(t->promoter_mentions, 2);
    ck_assert_double_eq_tol(t->g2, 25.972279674313974, 1e-9);
    ck_assert_double_eq_tol(t->log_ratio, 3.321928094887362, 1e-12);
    ck_assert_double_eq_tol(t->nps_with, -81.81818181818181, 1e-9);
    ck_assert_double_eq_tol(t->nps_without, 47.368421052631575, 1e-9);
    ck_assert_double_eq_tol(t->p_value, 6.763592456476275e-12, 1e-20);
    ck_assert_int_eq(t->prev_mentions, -1); /* no --month */
    ck_assert_str_eq(t->example_ids[0], "d00");
    ck_assert_str_eq(t->example_ids[2], "d02");
    ck_assert_str_eq(t->example_text[0], "Hidden fees again!");
    /* "hidden" and "fees" alone are the same theme: left out */
    ck_assert_ptr_null(find_theme(res, "all", "hidden"));
    ck_assert_ptr_null(find_theme(res, "all", "fees"));
    /* promoters' theme, and per --by segment nothing but themes of that segment */
    const verb_theme *p = find_theme(res, "all", "friendly staff");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->direction, 1);
    ck_assert_double_lt(p->log_ratio, 0);
    verb_free(a);
}
END_TEST

/* Comments read (and their tokens packed) by two other accumulators, as
 * the chunk workers of `stats --input` do, then counted by a third that
 * maps each reader's surface ids to its own (verb_flag.toks_from): the
 * same themes as counting the comments directly.  The readers met other
 * words first, so their ids for the stream's words differ from each
 * other's and from the counter's. */
START_TEST(tokens_packed_by_other_readers)
{
    /* words of no lexicon, so that each reader numbers them as it meets them */
    static const char *const said[4] = {"the zorblax fizzwick was there again", "the plomp was there",
                                        "the zorblax fizzwick was there", "the quibbly snorf was there"};
    verb_acc *direct = acc_new(0), *count = acc_new(0), *rd[2];
    for (int k = 0; k < 2; k++) {
        char err[256];
        verb_opts o;
        memset(&o, 0, sizeof o);
        o.so = &so;
        o.pack_tokens = 1;
        rd[k] = verb_new(&o, err, sizeof err);
        ck_assert_msg(rd[k] != NULL, "%s", err);
    }
    cx_response r;
    verb_flag note, f;
    cx_response_clear(&r);
    r.interaction_type = "";
    r.comment = "the snorf quibbly plomp was there";
    ck_assert_int_eq(verb_read(rd[0], &r, &note), 1);
    r.comment = "the fizzwick was there with a wombat";
    ck_assert_int_eq(verb_read(rd[1], &r, &note), 1);
    char id[32];
    for (int i = 0; i < 60; i++) { /* detractors: 20 + 10, promoters: 2 + 28 */
        snprintf(id, sizeof id, "%c%02d", i < 30 ? 'd' : 'p', i % 30);
        const char *c = said[i < 20 ? 0 : i < 30 ? 1 : i < 32 ? 2 : 3];
        ck_assert_int_eq(add(direct, id, i < 30 ? 2 : 10, "", c, 24300, &f), 1);
        cx_response_clear(&r);
        r.source = "t";
        r.response_id = id;
        r.score = i < 30 ? 2 : 10;
        r.interaction_type = "";
        r.comment = c;
        ck_assert_int_eq(verb_read(rd[i % 2], &r, &note), 1);
        note.toks_from = 1 + (unsigned)(i % 2);
        r.note = &note;
        ck_assert_int_eq(verb_add(count, &r, 24300, &f), 1);
    }
    const verb_result *want = verb_finish(direct), *got = verb_finish(count);
    ck_assert_ptr_nonnull(want);
    ck_assert_ptr_nonnull(got);
    ck_assert_ptr_nonnull(find_theme(want, "all", "zorblax fizzwick"));
    ck_assert_ptr_nonnull(find_theme(want, "all", "quibbly snorf"));
    ck_assert_uint_eq(got->n_themes, want->n_themes);
    for (size_t i = 0; i < want->n_themes; i++) {
        ck_assert_str_eq(got->themes[i].theme, want->themes[i].theme);
        ck_assert_int_eq(got->themes[i].mentions, want->themes[i].mentions);
        ck_assert_int_eq(got->themes[i].detractor_mentions, want->themes[i].detractor_mentions);
        ck_assert_double_eq(got->themes[i].g2, want->themes[i].g2);
    }
    for (int k = 0; k < 2; k++) verb_free(rd[k]);
    verb_free(count);
    verb_free(direct);
}
END_TEST

START_TEST(themes_per_segment_and_previous_month)
{
    so.by[0] = "channel";
    so.n_by = 1;
    so.month = 24300;
    verb_acc *a = acc_new(0);
    feed_theme_stream(a, 24300);
    verb_flag f;
    /* the month before: 4 mentions; the month after: out of scope */
    for (int i = 0; i < 4; i++) ck_assert_int_eq(add(a, "old", 1, "", "hidden fees", 24299, &f), 0);
    ck_assert_int_eq(add(a, "new", 1, "", "hidden fees", 24301, &f), 0);
    const verb_result *res = verb_finish(a);
    const verb_theme *t = find_theme(res, "all", "hidden fees");
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->mentions, 22);
    ck_assert_int_eq(t->prev_mentions, 4);
    /* channel=phone holds only detractors: no promoter corpus, no themes */
    ck_assert_ptr_null(find_theme(res, "channel=phone", "hidden fees"));
    so.n_by = 0;
    so.month = 0;
    verb_free(a);
}
END_TEST

START_TEST(negated_words_are_their_own_theme)
{
    verb_acc *a = acc_new(0);
    text_lang l;
    ck_assert_int_eq(verb_mentions(a, "I was not happy with the app", "not happy", &l), 1);
    ck_assert_int_eq(l, TEXT_EN);
    ck_assert_int_eq(verb_mentions(a, "I was not happy with the app", "happy", &l), 0);
    ck_assert_int_eq(verb_mentions(a, "I was happy with the app", "not happy", &l), 0);
    ck_assert_int_eq(verb_mentions(a, "I was happy with the app", "happy", &l), 1);
    ck_assert_int_eq(verb_mentions(a, "la aplicación no funciona nunca", "no funciona", &l), 1);
    ck_assert_int_eq(l, TEXT_ES);
    ck_assert_int_eq(verb_mentions(a, "la aplicacion funciona bien", "aplicación", &l), 1);
    ck_assert_int_eq(verb_mentions(a, "la aplicacion funciona bien", "no funciona", &l), 0);
    /* the negation reaches the first content word only, within a phrase */
    ck_assert_int_eq(verb_mentions(a, "not happy. App crashed", "app crashed", &l), 1);
    verb_free(a);
}
END_TEST

/* ---- bad input ---- */

START_TEST(hostile_comments)
{
    verb_acc *a = acc_new(0);
    verb_flag f;
    size_t n = 1 << 20;
    char *big = malloc(n + 1);
    ck_assert_ptr_nonnull(big);
    for (size_t i = 0; i < n; i++) big[i] = "I was terrified "[i % 16];
    big[n] = '\0';
    const char *s[] = {"\xFF\xFE\xFD broken",
                       "<script>alert('x')</script>",
                       "=cmd|' /C calc'!A0",
                       "\xF0\x9F\x98\xA1\xF0\x9F\x98\xA1\xF0\x9F\x98\xA1",
                       "1234567890",
                       "+33 6 12 34 56 78",
                       "I was scared pero muy agradecida",
                       big,
                       "\xC3"};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
        ck_assert_int_eq(add(a, "h", 5, "", s[i], 24300, &f), 1);
        ck_assert(!isnan(f.charge_neg) && f.charge_neg >= 0 && f.charge_pos >= 0);
        ck_assert_uint_lt(strlen(f.terms), sizeof f.terms);
    }
    /* emoji only and numbers only: no language */
    ck_assert_int_eq(add(a, "h", 5, "", s[3], 24300, &f), 1);
    ck_assert_int_eq(f.lang, TEXT_UND);
    ck_assert_int_eq(add(a, "h", 5, "", s[4], 24300, &f), 1);
    ck_assert_int_eq(f.lang, TEXT_UND);
    /* the 1 MB comment counts its first TEXT_MAX_TOKENS words */
    ck_assert_int_eq(add(a, "h", 5, "", big, 24300, &f), 1);
    ck_assert_double_eq_tol(f.charge_neg, 3.0 * (TEXT_MAX_TOKENS / 3), 1e-9);
    ck_assert_ptr_nonnull(verb_finish(a));
    free(big);
    verb_free(a);
}
END_TEST

START_TEST(vocabulary_is_capped)
{
    verb_acc *a = acc_new(64);
    verb_flag f;
    char c[128];
    for (int i = 0; i < 2000; i++) {
        /* letters only: every comment brings two new words */
        snprintf(c, sizeof c, "service zq%c%c%c xk%c%c%c", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676,
                 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676);
        ck_assert_int_eq(add(a, "v", i % 11, "", c, 24300, &f), 1);
    }
    const verb_result *res = verb_finish(a);
    ck_assert_uint_le(res->distinct_terms, 64);
    ck_assert_int_gt(res->dropped_terms, 0);
    verb_free(a);
}
END_TEST

/* The flags row built in a buffer (the statistics run's hot path) has the
 * bytes a formula-escaping csv_writer gives (report/, `cxpulse
 * verbatims`): quoting, doubled quotes, formula leads, empty fields, whole
 * and fractional charges; a row that does not fit is refused. */
START_TEST(flags_row_text_matches_writer)
{
    static const char *const vals[] = {"csv",   "",    "a,b",         "say \"hi\"", "=1+2",
                                       "-x",    "@me", " lead",       "trail ",     "x\ny",
                                       "\tTab", "r1",  "plain;terms", "+\"q\""};
    static const double charges[] = {0, 1, 3, 1.5, 2.25, 0.1, 1e7, 2.0 / 3.0};
    size_t nv = sizeof vals / sizeof *vals, nc = sizeof charges / sizeof *charges;
    for (size_t i = 0; i < nv * nc; i++) {
        verb_flag f;
        memset(&f, 0, sizeof f);
        f.lang = (text_lang)(i % TEXT_NLANG);
        f.charge_neg = charges[i % nc];
        f.charge_pos = charges[(i / nc + i) % nc];
        snprintf(f.terms, sizeof f.terms, "%s", vals[(i + 3) % nv]);
        f.unlabelled_mot = (int)(i & 1);
        const char *src = vals[i % nv], *id = vals[(i / nc) % nv], *type = vals[(i + 5) % nv];
        char *want = NULL;
        size_t want_len = 0;
        FILE *m = open_memstream(&want, &want_len);
        ck_assert_ptr_nonnull(m);
        csv_writer *w = csv_writer_new(m, 1);
        verb_flag_csv_row(w, src, id, type, &f);
        csv_writer_free(w);
        fclose(m);
        char got[512];
        size_t n = verb_flag_csv_text(got, sizeof got, src, id, type, &f);
        ck_assert_msg(n == want_len && memcmp(got, want, n) == 0, "row %zu: got '%.*s', want '%s'", i, (int)n,
                      got, want);
        ck_assert_uint_eq(verb_flag_csv_text(got, want_len - 1, src, id, type, &f), 0);
        free(want);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("verbatims");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, charge_with_negation_and_intensifiers, 0,
                        (int)(sizeof charge_cases / sizeof *charge_cases));
    tcase_add_test(tc, themes_on_a_known_stream);
    tcase_add_test(tc, themes_per_segment_and_previous_month);
    tcase_add_test(tc, tokens_packed_by_other_readers);
    tcase_add_test(tc, flags_row_text_matches_writer);
    tcase_add_test(tc, negated_words_are_their_own_theme);
    tcase_add_test(tc, hostile_comments);
    tcase_add_test(tc, vocabulary_is_capped);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
