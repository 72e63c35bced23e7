/* tokens.c — splitting a comment into lower-cased word tokens (text.h),
 * and removing accents from a token. */
#include "stats/text/text.h"
#include "stats/text/utf8.h"
#include "core/grow.h"

#include <stdlib.h>
#include <string.h>

/* Letters: ASCII, Latin-1 and Latin Extended A/B, Greek to the end of the
 * general scripts block, kana and CJK, Hangul.  Everything else (digits
 * aside) separates words. */
static int is_letter(uint32_t c)
{
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return 1;
    if (c < 0xC0) return 0;
    if (c == 0xD7 || c == 0xF7) return 0;
    if (c <= 0x24F) return 1;
    if (c >= 0x370 && c <= 0x1FFF) return 1;
    if (c >= 0x3040 && c <= 0x9FFF) return 1;
    return c >= 0xAC00 && c <= 0xD7AF;
}

/* Simple lower case for the Latin ranges and Greek/Cyrillic capitals. */
static uint32_t to_lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c >= 0x100 && c <= 0x17F) {
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
        if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
        return (c & 1) ? c : c + 1;
    }
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

/* An ASCII letter lower-cased, a digit as it is; 0 for any other byte. */
#define AW_DIGITS(b) ['0' + (b)] = '0' + (b)
#define AW_LETTER(b) ['a' + (b)] = 'a' + (b), ['A' + (b)] = 'a' + (b)
static const unsigned char ascii_word[256] = {
    AW_DIGITS(0),  AW_DIGITS(1),  AW_DIGITS(2),  AW_DIGITS(3),  AW_DIGITS(4),  AW_DIGITS(5),
    AW_DIGITS(6),  AW_DIGITS(7),  AW_DIGITS(8),  AW_DIGITS(9),  AW_LETTER(0),  AW_LETTER(1),
    AW_LETTER(2),  AW_LETTER(3),  AW_LETTER(4),  AW_LETTER(5),  AW_LETTER(6),  AW_LETTER(7),
    AW_LETTER(8),  AW_LETTER(9),  AW_LETTER(10), AW_LETTER(11), AW_LETTER(12), AW_LETTER(13),
    AW_LETTER(14), AW_LETTER(15), AW_LETTER(16), AW_LETTER(17), AW_LETTER(18), AW_LETTER(19),
    AW_LETTER(20), AW_LETTER(21), AW_LETTER(22), AW_LETTER(23), AW_LETTER(24), AW_LETTER(25),
};
#undef AW_DIGITS
#undef AW_LETTER

/* Spanish evidence: ñ, ¿, ¡ and the acute vowels. */
static int es_mark(uint32_t c)
{
    return c == 0xF1 || c == 0xBF || c == 0xA1 || c == 0xE1 || c == 0xE9 || c == 0xED || c == 0xF3 ||
           c == 0xFA;
}

static int grow(text_toks *tt, size_t need)
{
    if (tt->len + need <= tt->cap) return 0;
    char *b = grow_array(tt->buf, &tt->cap, tt->len + need, 1, 256, 0, 0);
    if (!b) return -1;
    tt->buf = b;
    return 0;
}

static int push_tok(text_toks *tt, size_t off, uint8_t brk)
{
    if (tt->n == tt->tcap) {
        text_tok *t = grow_array(tt->t, &tt->tcap, tt->n + 1, sizeof *t, 64, 0, 0);
        if (!t) return -1;
        tt->t = t;
    }
    tt->t[tt->n].off = (uint32_t)off;
    tt->t[tt->n].len = (uint32_t)(tt->len - off);
    tt->t[tt->n].brk = brk;
    tt->n++;
    tt->buf[tt->len++] = '\0';
    return 0;
}

/* Length of a mask placeholder at S (text_mask writes them), else 0. */
static size_t mask_at(const char *s, size_t n)
{
    static const char *const masks[] = {"[email]", "[phone]", "[card]"};
    for (size_t i = 0; i < 3; i++) {
        size_t l = strlen(masks[i]);
        if (n >= l && memcmp(s, masks[i], l) == 0) return l;
    }
    return 0;
}

int text_tokenize(text_toks *tt, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    tt->len = 0;
    tt->n = 0;
    tt->es_marks = 0;
    /* Lower case never lengthens a code point here and every token ends in
     * one NUL, so the tokens of N bytes fit in N + N/2 + 2 bytes: reserve
     * once, for at most the bytes that TEXT_MAX_TOKENS tokens can use. */
    if (grow(tt, n + n / 2 + 2) != 0) return -1;
    size_t i = 0, start = 0;
    int in_word = 0, digits = 0;
    uint8_t brk = 0;
    while (i < n && tt->n < TEXT_MAX_TOKENS) {
        /* ASCII letters and digits: the common case, a whole run of them
         * copied lower-cased without decoding (the room was reserved) */
        if (ascii_word[u[i]]) {
            if (!in_word) {
                start = tt->len;
                in_word = 1;
                digits = 1;
            }
            char *out = tt->buf + tt->len;
            unsigned letters = 0;
            for (unsigned char c; i < n && (c = ascii_word[u[i]]) != 0; i++) {
                *out++ = (char)c;
                letters |= c > '9';
            }
            if (letters) digits = 0;
            tt->len = (size_t)(out - tt->buf);
            continue;
        }
        uint32_t c = u[i]; /* ASCII (a space, punctuation) as it is */
        size_t l = 1;
        if (c >= 0x80 && (l = utf8_decode(u + i, n - i, &c)) == 0) {
            c = 0xFFFD;
            l = 1;
        }
        int letter = c >= 0x80 && is_letter(c); /* the ASCII letters took the path above */
        int apos = (c == '\'' || c == 0x2019) && in_word && i + l < n && u[i + l] < 0x80 &&
                   ((u[i + l] | 0x20) >= 'a' && (u[i + l] | 0x20) <= 'z');
        if (letter || apos) {
            if (!in_word) {
                start = tt->len;
                in_word = 1;
            }
            digits = 0;
            uint32_t lc = apos ? '\'' : to_lower(c);
            if (es_mark(lc)) tt->es_marks++;
            tt->len += utf8_encode(lc, tt->buf + tt->len);
            i += l;
            continue;
        }
        if (in_word) {
            if (digits) tt->len = start; /* numbers are not words */
            else if (push_tok(tt, start, brk) != 0) return -1;
            else brk = 0;
            in_word = 0;
        }
        size_t m = c == '[' ? mask_at(s + i, n - i) : 0;
        if (m) {
            i += m;
            continue;
        }
        if (c == 0xBF || c == 0xA1) tt->es_marks++;
        if (!(c == ' ' || c == '\t' || c == 0xA0 || c == '"' || c == '\'' || c == '(' || c == ')' ||
              c == '*' || c == '_' || c == '#'))
            brk = 1;
        i += l;
    }
    if (in_word && tt->n < TEXT_MAX_TOKENS) {
        if (digits) tt->len = start;
        else if (push_tok(tt, start, brk) != 0) return -1;
    }
    return 0;
}

void text_toks_free(text_toks *tt)
{
    free(tt->buf);
    free(tt->t);
    memset(tt, 0, sizeof *tt);
}

/* Base letter of a lower-case Latin-1 accented letter, 0 when none. */
static char base_of(uint32_t c, int keep_enye)
{
    if (c >= 0xE0 && c <= 0xE5) return 'a';
    if (c == 0xE7) return 'c';
    if (c >= 0xE8 && c <= 0xEB) return 'e';
    if (c >= 0xEC && c <= 0xEF) return 'i';
    if (c == 0xF1) return keep_enye ? 0 : 'n';
    if (c >= 0xF2 && c <= 0xF6) return 'o';
    if (c >= 0xF9 && c <= 0xFC) return 'u';
    if (c == 0xFD || c == 0xFF) return 'y';
    return 0;
}

size_t text_strip_accents(const char *word, char *out, int keep_enye)
{
    const unsigned char *u = (const unsigned char *)word;
    size_t n = strlen(word), i = 0, k = 0;
    while (i < n) {
        uint32_t c;
        size_t l = utf8_decode(u + i, n - i, &c);
        if (l == 0) {
            out[k++] = word[i++];
            continue;
        }
        char b = base_of(c, keep_enye);
        if (b) out[k++] = b;
        else {
            memmove(out + k, word + i, l);
            k += l;
        }
        i += l;
    }
    out[k] = '\0';
    return k;
}
