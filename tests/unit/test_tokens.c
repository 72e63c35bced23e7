/* test_tokens.c — the tokeniser (stats/text/text.h text_tokenize)
 * against an independent reading of its rules: random comments of ASCII
 * of every class, two-byte letters, both apostrophes, separators that
 * break and that do not, a mask, an emoji, ¿ and a byte that is not
 * UTF-8; every token, its brk flag and the Spanish marks compared.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "stats/text/text.h"

#include "run_suite.h"

/* The pieces random comments are made of: ASCII of every class, letters
 * of two bytes (é Ñ Ω), the two apostrophes, separators that do and do
 * not break, a mask, an emoji, ¿, a byte that is not UTF-8. */
static const char *const piece[] = {"a",
                                    "Z",
                                    "q",
                                    "x",
                                    "M",
                                    "0",
                                    "7",
                                    " ",
                                    "  ",
                                    "\t",
                                    ".",
                                    "!",
                                    "\n",
                                    "'",
                                    "\xE2\x80\x99",
                                    "\"",
                                    "(",
                                    "*",
                                    "#",
                                    "\xC3\xA9",
                                    "\xC3\x91",
                                    "\xCE\xA9",
                                    "\xF0\x9F\x98\x80",
                                    "\xC2\xBF",
                                    "\xFF",
                                    "[email]",
                                    "[",
                                    "-"};

/* One code point of the pieces at S: its value, *LEN its bytes (the
 * byte that is not UTF-8: U+FFFD, one byte). */
static unsigned ref_decode(const unsigned char *s, size_t *len)
{
    if (s[0] < 0x80) return *len = 1, s[0];
    if (s[0] == 0xC3 || s[0] == 0xC2 || s[0] == 0xCE) return *len = 2, ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    if (s[0] == 0xE2) return *len = 3, ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    if (s[0] == 0xF0) return *len = 4, 0x1F600;
    return *len = 1, 0xFFFD;
}

/* text.h's rules for the pieces' code points: the expected tokens, each
 * NUL-terminated, into OUT; their brk flags into BRK; the count. */
static size_t ref_tokens(const char *str, char *out, unsigned char *brk_of, unsigned *es)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n = strlen(str), i = 0, k = 0, o = 0, start = 0;
    int in_word = 0, letters = 0, brk = 0;
    *es = 0;
    while (i <= n) {
        size_t l = 1;
        unsigned c = i < n ? ref_decode(s + i, &l) : ' ';
        unsigned low = c >= 'A' && c <= 'Z' ? c + 32 : c == 0xD1 ? 0xF1 : c == 0x3A9 ? 0x3C9 : c;
        int letter = (low >= 'a' && low <= 'z') || low == 0xE9 || low == 0xF1 || low == 0x3C9;
        int digit = c >= '0' && c <= '9';
        size_t nl = 1;
        int apos = (c == '\'' || c == 0x2019) && in_word && i + l < n && ref_decode(s + i + l, &nl) < 0x80 &&
                   ((s[i + l] | 0x20) >= 'a' && (s[i + l] | 0x20) <= 'z');
        if (i < n && (letter || digit || apos)) {
            if (!in_word) start = o, in_word = 1, letters = 0;
            if (!digit) letters = 1;
            unsigned w = apos ? '\'' : low;
            if (w == 0xE9 || w == 0xF1) (*es)++;
            if (w < 0x80) out[o++] = (char)w;
            else if (w < 0x800) out[o++] = (char)(0xC0 | w >> 6), out[o++] = (char)(0x80 | (w & 0x3F));
            i += l;
            continue;
        }
        if (in_word) {
            in_word = 0;
            if (!letters) o = start; /* a number is no word */
            else out[o++] = '\0', brk_of[k++] = (unsigned char)brk, brk = 0;
        }
        if (i == n) break;
        if (c == '[' && strncmp(str + i, "[email]", 7) == 0) {
            i += 7;
            continue;
        }
        if (c == 0xBF) (*es)++;
        if (!strchr(" \t\"'()*_#", (int)c) || c >= 0x80) brk = 1;
        i += l;
    }
    return k;
}

START_TEST(tokens_follow_their_rules)
{
    text_toks tt;
    memset(&tt, 0, sizeof tt);
    static char str[4096], want[8192];
    static unsigned char brk[4096];
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int round = 0; round < 20000; round++) {
        size_t len = 0, pieces = round % 97;
        for (size_t p = 0; p < pieces; p++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* runs of ASCII letters half the time: the fast path's */
            size_t np = sizeof piece / sizeof *piece, pi = x % 2 ? (x >> 8) % 5 : (x >> 8) % np;
            size_t pl = strlen(piece[pi]);
            memcpy(str + len, piece[pi], pl);
            len += pl;
        }
        str[len] = '\0';
        unsigned es;
        size_t k = ref_tokens(str, want, brk, &es);
        ck_assert_int_eq(text_tokenize(&tt, str, len), 0);
        ck_assert_msg(tt.n == k, "\"%s\": %zu tokens, want %zu", str, tt.n, k);
        ck_assert_uint_eq(tt.es_marks, es);
        const char *w = want;
        for (size_t t = 0; t < k; t++) {
            ck_assert_str_eq(tt.buf + tt.t[t].off, w);
            ck_assert_uint_eq(tt.t[t].len, strlen(w));
            ck_assert_msg(tt.t[t].brk == brk[t], "\"%s\": token %zu brk %u, want %u", str, t, tt.t[t].brk,
                          brk[t]);
            w += strlen(w) + 1;
        }
    }
    text_toks_free(&tt);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tokens");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, tokens_follow_their_rules);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
