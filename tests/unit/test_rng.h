/* test_rng.h — a reproducible generator for the unit tests that draw
 * their data (xorshift64*, Vigna 2014): test_rng_seed, then
 * test_rng_next for 64 bits or test_rng_uniform for [0, 1).  One state a
 * program (static). */
#ifndef CX_TEST_RNG_H
#define CX_TEST_RNG_H

#include <stdint.h>

static uint64_t test_rng_state;

static inline void test_rng_seed(uint64_t seed) { test_rng_state = seed * 0x9E3779B97F4A7C15ULL + 1; }

static inline uint64_t test_rng_next(void)
{
    test_rng_state ^= test_rng_state >> 12;
    test_rng_state ^= test_rng_state << 25;
    test_rng_state ^= test_rng_state >> 27;
    return test_rng_state * 2685821657736338717ULL;
}

static inline double test_rng_uniform(void) { return (double)(test_rng_next() >> 11) / 9007199254740992.0; }

#endif
