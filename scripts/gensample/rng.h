/* rng.h — gen-sample's random numbers: xoshiro256** seeded by splitmix64
 * (one independent stream per (seed, stream, sub)), uniforms and Marsaglia
 * polar normals.  Own generator, so output is the same on every libc.
 */
#ifndef GS_RNG_H
#define GS_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct {
    uint64_t s[4];
    double spare;
    int has_spare;
} rng_t;

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline void rng_seed(rng_t *r, uint64_t seed, uint64_t stream, uint64_t sub)
{
    uint64_t x = seed;
    uint64_t a = splitmix64(&x);
    x = a ^ (stream * 0xD1B54A32D192ED03ULL);
    uint64_t b = splitmix64(&x);
    x = b ^ (sub * 0xA24BAED4963EE407ULL + 0x632BE59BD9B4E019ULL);
    for (int k = 0; k < 4; k++) r->s[k] = splitmix64(&x);
    r->has_spare = 0;
    r->spare = 0.0;
}

static inline uint64_t rotl64(uint64_t v, int k) { return (v << k) | (v >> (64 - k)); }

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* [0, 1) */
static inline double rng_unif(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }
/* (0, 1) */
static inline double rng_unif_pos(rng_t *r) { return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53; }
/* integer in [0, n), n < 2^53 */
static inline uint64_t rng_below(rng_t *r, uint64_t n) { return (uint64_t)(rng_unif(r) * (double)n); }

static inline double rng_norm(rng_t *r)
{
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * rng_unif(r) - 1.0;
        v = 2.0 * rng_unif(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}

static inline int rng_pick(rng_t *r, const double *p, int n)
{
    double u = rng_unif(r);
    for (int i = 0; i < n - 1; i++) {
        if (u < p[i]) return i;
        u -= p[i];
    }
    return n - 1;
}

#endif
