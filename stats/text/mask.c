/* mask.c — personal data out of comments shown anywhere (text.h): e-mail
 * addresses, phone numbers and card-like numbers become placeholders, and
 * bytes that are not UTF-8 become U+FFFD.  The store keeps the original. */
#include "stats/text/text.h"
#include "stats/text/utf8.h"

#include <stdlib.h>
#include <string.h>

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}
static int email_local(unsigned char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
static int email_domain(unsigned char c) { return is_alnum(c) || c == '.' || c == '-'; }

/* An e-mail address around the '@' at S[at]: its span [*b, *e). */
static int email_span(const unsigned char *s, size_t n, size_t at, size_t *b, size_t *e)
{
    size_t i = at;
    while (i > 0 && email_local(s[i - 1])) i--;
    if (i == at) return 0;
    size_t j = at + 1, dot = 0;
    while (j < n && email_domain(s[j])) j++;
    while (j > at + 1 && (s[j - 1] == '.' || s[j - 1] == '-')) j--; /* sentence full stop */
    for (size_t k = at + 1; k < j; k++)
        if (s[k] == '.') dot = k;
    if (!dot || dot + 1 >= j || dot == at + 1) return 0;
    *b = i;
    *e = j;
    return 1;
}

/* Spaces, tabs, line breaks and dashes: at most this many of them in a
 * row still join two digit groups ("4111 - 1111", "4111  1111", a number
 * broken over lines). */
#define SEP_RUN_MAX 3

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int run_sep(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '-'; }

/* 1 when S[i..] is a date written YYYY-MM-DD, not followed by a digit. */
static int date_at(const unsigned char *s, size_t n, size_t i)
{
    if (i + 10 > n || (i + 10 < n && is_digit(s[i + 10]))) return 0;
    for (size_t k = 0; k < 10; k++)
        if (k == 4 || k == 7 ? s[i + k] != '-' : !is_digit(s[i + k])) return 0;
    return 1;
}

/* A number at S[i] (digit, or '+'/'(' before a digit) of digit groups
 * separated by one '.', '/' or parenthesis, or by a run of at most
 * SEP_RUN_MAX spaces, tabs, line breaks and dashes: its end and digit
 * count.  A date written YYYY-MM-DD is not a number to mask (nor joined
 * to the numbers around it). */
static size_t number_span(const unsigned char *s, size_t n, size_t i, int *ndig)
{
    size_t j = i, last = i;
    int d = 0;
    if (date_at(s, n, i)) {
        *ndig = 0;
        return i + 10;
    }
    if (s[j] == '+' || s[j] == '(') j++;
    while (j < n) {
        if (is_digit(s[j])) {
            d++;
            j++;
            last = j;
            continue;
        }
        size_t r = j;
        while (r < n && r - j < SEP_RUN_MAX && run_sep(s[r])) r++;
        if (r == j && (s[j] == '.' || s[j] == '(' || s[j] == ')' || s[j] == '/')) r = j + 1;
        if (r > j && r < n && (is_digit(s[r]) || s[r] == '(') && !date_at(s, n, r)) {
            j = r;
            continue;
        }
        if (s[j] == ')') {
            j++;
            continue;
        }
        break;
    }
    *ndig = d;
    return last;
}

char *text_mask(const char *str, size_t n, size_t *outlen)
{
    const unsigned char *s = (const unsigned char *)str;
    /* worst case: every byte invalid (3 bytes each), or a 5-byte address
     * becoming "[email]" */
    size_t cap = 3 * n + 8, k = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == '@') {
            size_t b, e;
            /* the local part was already copied: take it back */
            if (email_span(s, n, i, &b, &e) && i - b <= k) {
                k -= i - b;
                memcpy(out + k, "[email]", 7);
                k += 7;
                i = e;
                continue;
            }
        }
        int starts_num = (c >= '0' && c <= '9') ||
                         ((c == '+' || c == '(') && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9');
        if (starts_num && (i == 0 || !is_alnum(s[i - 1]))) {
            int d;
            size_t e = number_span(s, n, i, &d);
            int word_after = e < n && ((s[e] | 0x20) >= 'a' && (s[e] | 0x20) <= 'z');
            const char *m = NULL;
            if (!word_after && d >= 13 && d <= 19 && c != '+') m = "[card]";
            else if (!word_after && ((d >= 7 && d <= 15) || (c == '+' && d >= 6 && d <= 15))) m = "[phone]";
            else if (!word_after && d > 19) m = "[card]";
            if (m) {
                size_t ml = strlen(m);
                memcpy(out + k, m, ml);
                k += ml;
                i = e;
                continue;
            }
            /* a short number: copy its digits as they are */
            while (i < e) out[k++] = (char)s[i++];
            continue;
        }
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (l == 0) {
            memcpy(out + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
            continue;
        }
        memcpy(out + k, s + i, l);
        k += l;
        i += l;
    }
    out[k] = '\0';
    *outlen = k;
    return out;
}
