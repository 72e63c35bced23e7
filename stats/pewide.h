/* pewide.h — the exact integers of the peak-end table (stats/peakend.c):
 * 128-bit sums, 384-bit products for its finish, and the one rounding to
 * the 15 digits peak_end.csv prints.  Header only (static inline); owned
 * by stats/peakend.c, tested through tests/unit/test_peakend_order.c. */
#ifndef CX_PEWIDE_H
#define CX_PEWIDE_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Sums of up to 2^63 responses of values below 2^16 in magnitude, squared
 * (2^95 at most): 128 bits, a GCC and Clang extension on 64-bit targets. */
__extension__ typedef __int128 pe_i128;
__extension__ typedef unsigned __int128 pe_u128;

/* Exact integers of 384 bits (two's complement), for the finish.  The
 * widest value is n·Σ(P·L/Q)² with n < 2^63, |P| ≤ 64000 < 2^16 and
 * the common denominator L ≤ lcm(1..64) < 2^90: below 2^340. */

#define PE_LIMBS 6

typedef struct pe_wide {
    uint64_t w[PE_LIMBS]; /* least significant first */
} pe_wide;

static inline pe_wide wide_of(pe_i128 v)
{
    pe_wide r;
    pe_u128 u = (pe_u128)v;
    r.w[0] = (uint64_t)u;
    r.w[1] = (uint64_t)(u >> 64);
    for (int i = 2; i < PE_LIMBS; i++) r.w[i] = v < 0 ? UINT64_MAX : 0;
    return r;
}

static inline pe_wide wide_add(pe_wide a, pe_wide b)
{
    pe_wide r;
    uint64_t carry = 0;
    for (int i = 0; i < PE_LIMBS; i++) {
        pe_u128 t = (pe_u128)a.w[i] + b.w[i] + carry;
        r.w[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    return r;
}

static inline pe_wide wide_neg(pe_wide a)
{
    for (int i = 0; i < PE_LIMBS; i++) a.w[i] = ~a.w[i];
    return wide_add(a, wide_of(1));
}

static inline pe_wide wide_sub(pe_wide a, pe_wide b) { return wide_add(a, wide_neg(b)); }

/* The low 384 bits of A·B: the signed product, as it fits. */
static inline pe_wide wide_mul(pe_wide a, pe_wide b)
{
    pe_wide r = {{0}};
    for (int i = 0; i < PE_LIMBS; i++) {
        uint64_t carry = 0;
        for (int j = 0; i + j < PE_LIMBS; j++) {
            pe_u128 t = (pe_u128)a.w[i] * b.w[j] + r.w[i + j] + carry;
            r.w[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
    }
    return r;
}

static inline int wide_sign(pe_wide a)
{
    if (a.w[PE_LIMBS - 1] >> 63) return -1;
    for (int i = 0; i < PE_LIMBS; i++)
        if (a.w[i]) return 1;
    return 0;
}

/* A as a long double, from its top 128 bits: within 2^-63 of it. */
static inline long double wide_ld(pe_wide a)
{
    int neg = wide_sign(a) < 0;
    if (neg) a = wide_neg(a);
    int k = PE_LIMBS - 1;
    while (k > 0 && !a.w[k]) k--;
    long double v = k == 0 ? (long double)a.w[0]
                           : ldexpl((long double)a.w[k] * 0x1p64L + (long double)a.w[k - 1], 64 * (k - 1));
    return neg ? -v : v;
}

/* NUM/DEN (DEN > 0): correctly rounded when both are below 2^64. */
static inline long double wide_ratio(pe_wide num, pe_wide den) { return wide_ld(num) / wide_ld(den); }

/* V rounded to 15 significant digits, the precision of peak_end.csv
 * ("%.15g"), as the double nearest them, which prints them back.  V is
 * within a few parts in 2^63 of the exact value, so these are the exact
 * value's digits, unless it is that close to half a unit of the 15th;
 * V rounded to the nearest double first could land on the other side
 * (0.79106592790797152… is the double 0.791065927907971477…, printed
 * ...971).  NaN stays. */
static inline double digits15(long double v)
{
    char buf[64], *end;
    if (!isfinite(v)) return (double)v;
    int k = snprintf(buf, sizeof buf, "%.14Le", v);
    if (k <= 0 || (size_t)k >= sizeof buf) return (double)v;
    double d = strtod(buf, &end);
    return *end ? (double)v : d;
}

static inline pe_u128 gcd_u128(pe_u128 a, pe_u128 b)
{
    while (b) {
        pe_u128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

#endif
