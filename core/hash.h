/* hash.h — FNV-1a over bytes (hash_fnv1a: the string tables core/strmap.c,
 * stats/idtab.c and stats/agents.c, and the sync checkpoint's keys in
 * ingest/) and the final mix of a 64-bit hash (MurmurHash3's fmix64,
 * Appleby 2011): every bit of the input reaches every bit of the output, so
 * a table may take its slot from the low bits.  Owner: this header (no .c);
 * the mix is also used by the duplicate-id filter (core/respcsv_dedup_int.h),
 * the text module's maps (stats/text/vocab.c) and the analysis cache
 * (core/store/cache_hash.c). */
#ifndef CX_HASH_H
#define CX_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a's 64-bit offset basis, where a hash of text written down starts
 * (the sync checkpoint's keys). */
#define HASH_FNV_OFFSET 14695981039346656037ull
/* Where the in-memory string tables start: any seed serves a table, and
 * theirs has always been this one. */
#define HASH_TABLE_SEED 1469598103934665603ull

/* FNV-1a over the N bytes at P, continuing from H (a seed above, or the
 * hash of what came before). */
static inline uint64_t hash_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

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
