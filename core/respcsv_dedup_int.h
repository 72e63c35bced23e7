/* respcsv_dedup_int.h — what the files of the repeated-id filter share
 * (core/respcsv_dedup.c: build and ask; core/respcsv_dedup_pass.c: the
 * passes over the file).  The key hash and the Bloom filter are inline:
 * every row of the file goes through them.  Not for use elsewhere.
 */
#ifndef CX_RESPCSV_DEDUP_INT_H
#define CX_RESPCSV_DEDUP_INT_H

#include "core/hash.h"
#include "core/respcsv_dedup.h"
#include "core/strmap.h"

#include <stdint.h>
#include <string.h>

#define FILTER_MIN ((size_t)1 << 16)
#define FILTER_MAX ((size_t)32 << 20)
#define HASHES 8 /* bits a key sets: one in each word of its line */
/* A filter held to FILTER_MAX below 1/16 of the file's bytes has too few
 * bits a key to bring no false positive back (10M rows of gen-sample kept
 * keys whatever the bits): fewer bits a key then cost less, and a false
 * positive costs only its exact check. */
#define HASHES_CAPPED 4

/* A tracked key: the filter brought it back (a repeat, or a false
 * positive), and every occurrence from then on was seen by the pass. */
typedef struct winner {
    uint64_t hash;
    int64_t updated_at; /* the best tracked row's */
    long long offset;   /* the best tracked row, -1: no valid one */
    long long valid;    /* valid tracked rows */
    long long first;    /* the first tracked occurrence: at most one row of
                                   the key lies before it, its first occurrence */
} winner;

/* What the reading pass learned of a key's row before FIRST (u[]). */
enum { FIRST_SEEN = 1, FIRST_WON = 2 };

struct resp_dedup {
    uint64_t *bits; /* the pass: every key; then: the tracked keys only */
    size_t nbits;
    strmap *keys;
    winner *w;
    size_t n, cap;
    unsigned char *u; /* per key, FIRST_*: written by the reading pass in file order */
    char *source;
    size_t pass0_bytes; /* the pass's filter */
    int k;              /* bits a key sets: HASHES, or HASHES_CAPPED */
    int passes;         /* over the file */
};

/* H with the N bytes of P mixed in, eight at a time: one multiply a word,
 * where a byte-at-a-time hash needs one a byte, and every row of the file
 * is hashed.  The words are read in the machine's byte order: a hash
 * lives only as long as the run. */
static inline uint64_t hash_mix(uint64_t h, const char *p, size_t n)
{
    uint64_t v;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&v, p, 8);
        h = (h ^ v) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
    }
    if (n) {
        v = 0;
        memcpy(&v, p, n);
        h = (h ^ v) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
    }
    return h;
}

/* 64-bit hash of the key's bytes, then a final mix (MurmurHash3's fmix64)
 * so that every bit serves the double hashing below.  The source's length
 * goes in first: ("ab","c") differs from ("a","bc"). */
static inline uint64_t hash_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    uint64_t h = (0x243f6a8885a308d3ull ^ alen) * 0xff51afd7ed558ccdull;
    h = hash_mix(h, a, alen);
    h = (h ^ blen) * 0x9e3779b97f4a7c15ull;
    h = hash_mix(h, b, blen);
    return hash_fmix64(h);
}

/* The key's bit in word J of its line: six bits of a remix of the hash
 * (SplitMix64's finalizer) a word; the line itself is picked by the
 * hash's bits 40 and up.  One bit in each of the line's eight words (a
 * partitioned filter: as few false positives as bits spread freely over
 * the line) is a mask a word, without a branch. */
static inline uint64_t remix(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

/* Sets the key's bits; 1 when they were all set already (seen, or a false
 * positive).  A blocked filter: the HASHES bits of a key lie in one 64-byte
 * line (one cache miss per key); the filter's size is a power of two, so
 * no division. */
static inline int filter_add(resp_dedup *d, uint64_t h)
{
    uint64_t *line = d->bits + ((h >> 40) & (d->nbits / 512 - 1)) * 8, g = remix(h), missing = 0;
    for (int j = 0; j < d->k; j++, g >>= 6) {
        uint64_t m = 1ull << (g & 63);
        missing |= m & ~line[j];
        line[j] |= m;
    }
    return missing == 0;
}

/* Asks for the key's filter line ahead of filter_add. */
static inline void filter_prefetch(const resp_dedup *d, uint64_t h)
{
#ifdef __GNUC__
    __builtin_prefetch(d->bits + ((h >> 40) & (d->nbits / 512 - 1)) * 8, 1);
#else
    (void)d;
    (void)h;
#endif
}

/* 1 when all the key's bits are set (a tracked key, or a false positive). */
static inline int filter_has(const resp_dedup *d, uint64_t h)
{
    const uint64_t *line = d->bits + ((h >> 40) & (d->nbits / 512 - 1)) * 8;
    uint64_t g = remix(h);
    for (int j = 0; j < d->k; j++, g >>= 6)
        if (!(line[j] & (1ull << (g & 63)))) return 0;
    return 1;
}

/* "SRCLEN:" SRC ID into BUF (grown): the exact key.  Its length, or 0 when
 * out of memory or the key holds a NUL byte (no valid row has one). */
size_t dedup_exact_key(char **buf, size_t *cap, const char *src, size_t slen, const char *id, size_t ilen);

/* The pass over PATH's records after the header: every key into the
 * filter, the keys it brings back tracked exactly, and the validity and
 * updated_at of their rows from then on.  dedup_pass_fast reads blocks
 * with the zero-copy scanner: 1 done, 0 when a record does not fit a
 * block (D is then emptied and dedup_pass with csv_read does it all), -1
 * with ERR; dedup_pass: 0 ok, -1 with ERR. */
int dedup_pass_fast(resp_dedup *d, const char *path, const resp_header *h, int lo, int hi, char *err,
                    size_t errlen);
int dedup_pass(resp_dedup *d, const char *path, const resp_header *h, int lo, int hi, char *err,
               size_t errlen);

#endif
