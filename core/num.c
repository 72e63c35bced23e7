/* num.c — see num.h.  The grammar is checked by hand first, so strtod only
 * ever sees a plain decimal (never hex, inf, nan, spaces or a locale's
 * comma); short plain decimals skip strtod altogether. */
#include "core/num.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NUM_MAX_LEN 400 /* longer text is no number a person wrote */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of the run of digits at S[i..len). */
static size_t digits(const char *s, size_t i, size_t len)
{
    size_t k = i;
    while (k < len && is_digit(s[k])) k++;
    return k - i;
}

int cx_num_ok(double v, int allow_neg)
{
    return isfinite(v) && fabs(v) <= CX_NUM_MAX && (allow_neg || v >= 0);
}

int cx_num_parse(const char *s, size_t len, int allow_neg, double *out, const char **why)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    size_t i = 0, n_int, n_frac = 0;
    int neg = 0, plain;
    double v;

    if (len == 0) {
        *why = "empty number";
        return -1;
    }
    if (s[0] == '-') {
        neg = 1;
        i++;
    }
    n_int = digits(s, i, len);
    if (n_int == 0) {
        *why = "not a number";
        return -1;
    }
    i += n_int;
    if (i < len && s[i] == '.') {
        n_frac = digits(s, i + 1, len);
        if (n_frac == 0) {
            *why = "not a number";
            return -1;
        }
        i += 1 + n_frac;
    }
    plain = i == len;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) i++;
        size_t n_exp = digits(s, i, len);
        if (n_exp == 0) {
            *why = "not a number";
            return -1;
        }
        i += n_exp;
    }
    if (i != len) {
        *why = "not a number";
        return -1;
    }
    if (len > NUM_MAX_LEN) {
        *why = "number out of range";
        return -1;
    }
    if (neg && !allow_neg) {
        *why = "negative number";
        return -1;
    }
    if (plain && n_int + n_frac <= 15) {
        /* Up to 15 digits are exact in a double, and so is 10^k for
         * k <= 15: one correctly rounded division gives what strtod
         * gives (Clinger's fast path). */
        uint64_t m = 0;
        for (size_t k = (size_t)neg; k < len; k++)
            if (s[k] != '.') m = m * 10 + (uint64_t)(s[k] - '0');
        v = (double)m / pow10[n_frac];
        if (neg) v = -v;
    } else {
        char buf[NUM_MAX_LEN + 1];
        memcpy(buf, s, len);
        buf[len] = '\0';
        v = strtod(buf, NULL); /* the grammar above is a subset of strtod's */
    }
    if (v == 0) v = 0; /* "-0" is 0 */
    if (!cx_num_ok(v, 1)) {
        *why = "number out of range";
        return -1;
    }
    *out = v;
    return 0;
}

size_t cx_num_put_int(char *p, long long v)
{
    if (v >= 0 && v < 10) { /* one digit: most moments, scores, counts */
        *p = (char)('0' + v);
        return 1;
    }
    char tmp[CX_NUM_INT_MAX];
    size_t n = 0, k = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) p[k++] = '-';
    while (n) p[k++] = tmp[--n];
    return k;
}
