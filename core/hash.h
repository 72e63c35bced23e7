/* hash.h — the final mix of a 64-bit hash (MurmurHash3's fmix64, Appleby
 * 2011): every bit of the input reaches every bit of the output, so a table
 * may take its slot from the low bits.  Owner: this header (no .c); used by
 * the duplicate-id filter (core/respcsv_dedup_int.h), the text module's
 * maps (stats/text/vocab.c) and the analysis cache (core/store/cache_hash.c). */
#ifndef CX_HASH_H
#define CX_HASH_H

#include <stdint.h>

static inline uint64_t hash_fmix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

#endif
