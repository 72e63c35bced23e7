/* num.h — the one strict decimal parser for every numeric field of every
 * input (handle_time_s, annual_value, amount, and the bounds of a score or
 * moment), and the bounds that values read back from a store are held to.
 *
 * Accepted: an optional '-' (where negatives are allowed), decimal digits,
 * optionally '.' and at least one more digit, optionally an exponent
 * e/E [+-] digits.  Not accepted: spaces anywhere, '+', hex ("0x10"), hex
 * floats ("0x1p4"), "inf", "nan", ".5", "5.", a locale's decimal comma.
 * The value must be finite and |v| <= CX_NUM_MAX, so that sums of up to
 * 10^290 of them stay finite: an undefined result is then always empty,
 * never inf, nan or a 0 from an overflowed sum.
 *
 * Written back (cx_num_put_int): an integer as "%lld" writes it, by hand:
 * exports and the store's bulk write several a row.
 *
 * Owner: core/num.c.  No allocation, no locale, no errno.
 */
#ifndef CX_NUM_H
#define CX_NUM_H

#include <stddef.h>

#define CX_NUM_MAX 1e15

/* Parses S[0..len) (need not be NUL-terminated).  ALLOW_NEG 0 rejects a
 * negative value.  0 ok (*OUT set); -1 with *WHY a static message. */
int cx_num_parse(const char *s, size_t len, int allow_neg, double *out, const char **why);

/* 1 when V is a value cx_num_parse can return (finite, |V| <= CX_NUM_MAX,
 * and >= 0 unless ALLOW_NEG). */
int cx_num_ok(double v, int allow_neg);

/* The decimal of V at P, as "%lld" writes it, no NUL: the bytes written,
 * at most CX_NUM_INT_MAX. */
#define CX_NUM_INT_MAX 20
size_t cx_num_put_int(char *p, long long v);

#endif
