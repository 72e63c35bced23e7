/* cache_wtext.c — the writer's buffers and a block's text dictionaries
 * (cache_int.h): a value found or added through a small hash table a
 * column, or added as it is (cache_add_rows), and its code appended.
 * Used by cache_write.c and cache_wrows.c. */
#include "core/store/cache_int.h"
#include "core/hash.h"
#include "core/grow.h"

#include <stdlib.h>
#include <string.h>

int cbuf_grow(cbuf *b, size_t n)
{
    char *q = grow_array(b->p, &b->cap, b->n + n, 1, 4096, 0, 0);
    if (!q) return -1;
    b->p = q;
    return 0;
}

int grow32_slow(uint32_t **a, size_t *cap, size_t need)
{
    uint32_t *q = grow_array(*a, cap, need, sizeof *q, 1024, 0, 0);
    if (!q) return -1;
    *a = q;
    return 0;
}

/* A dictionary's hash of V (LEN bytes), kept in memory only.  Values of
 * at most 16 bytes (channels, products, agents: most of the lookups) are
 * read as two words from both ends, as hashes for short keys do, instead
 * of byte by byte; the words and LEN together say every byte. */
static inline uint64_t word_at(const char *v, size_t n)
{
    uint64_t w = 0;
    if (n >= 8) memcpy(&w, v, 8);
    else if (n >= 4) {
        uint32_t x;
        memcpy(&x, v, 4);
        w = x;
    } else {
        for (size_t i = 0; i < n; i++) w |= (uint64_t)(unsigned char)v[i] << (8 * i);
    }
    return w;
}

static inline uint32_t dict_hash(const char *v, size_t len)
{
    if (len > 16) return (uint32_t)cache_hash(v, len);
    size_t w = len >= 8 ? 8 : len >= 4 ? 4 : len;
    uint64_t a = word_at(v, w), b = word_at(v + len - w, w);
    return (uint32_t)hash_fmix64(a * 0x9e3779b97f4a7c15ull ^ (b + len) * 0xc2b2ae3d27d4eb4full);
}

/* X and Y, LEN bytes each, the same: short ones read as dict_hash does. */
static inline int same_bytes(const char *x, const char *y, size_t len)
{
    if (len > 16) return memcmp(x, y, len) == 0;
    size_t w = len >= 8 ? 8 : len >= 4 ? 4 : len;
    return word_at(x, w) == word_at(y, w) && word_at(x + len - w, w) == word_at(y + len - w, w);
}

/* Doubles T's hash table and puts its values back. */
static int rehash(tcol *t)
{
    size_t n = t->n_slot ? 2 * t->n_slot : 1024;
    struct tslot *s = calloc(n, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < t->n_slot; i++) {
        if (!t->slot[i].code1) continue;
        size_t k = t->slot[i].hash & (n - 1);
        while (s[k].code1) k = (k + 1) & (n - 1);
        s[k] = t->slot[i];
    }
    free(t->slot);
    t->slot = s;
    t->n_slot = n;
    return 0;
}

int text_entry(tcol *t, const char *v, size_t len, uint32_t *code)
{
    if (t->data.n + len + 1 > UINT32_MAX / 2) return -1;
    if (grow32(&t->off, &t->off_cap, t->n_dict + 2) != 0) return -1;
    if (t->n_dict == 0) t->off[0] = 0;
    if (cbuf_put(&t->data, v, len) != 0 || cbuf_put(&t->data, "", 1) != 0) return -1;
    *code = (uint32_t)t->n_dict++;
    t->off[t->n_dict] = (uint32_t)t->data.n;
    return 0;
}

int text_code(tcol *t, const char *v, size_t len, uint32_t *code)
{
    if (2 * (t->n_dict + 1) > t->n_slot && rehash(t) != 0) return -1;
    uint32_t h = dict_hash(v, len);
    size_t k = h & (t->n_slot - 1);
    for (;;) {
        const struct tslot *s = &t->slot[k];
        if (!s->code1) break;
        if (s->hash == h) {
            size_t o = t->off[s->code1 - 1], l = t->off[s->code1] - o - 1;
            if (l == len && same_bytes(t->data.p + o, v, len)) {
                *code = s->code1 - 1;
                return 0;
            }
        }
        k = (k + 1) & (t->n_slot - 1);
    }
    if (text_entry(t, v, len, code) != 0) return -1;
    t->slot[k] = (struct tslot){*code + 1, h};
    return 0;
}

int text_add(tcol *t, const char *v, size_t len)
{
    uint32_t code;
    if (t->as_is) {
        if (text_entry(t, v, len, &code) != 0) return -1;
    } else {
        size_t had = t->n_dict;
        if (text_code(t, v, len, &code) != 0) return -1;
        /* ids and the like (at most 1 in 16 found again): no hash, no
         * compare for the rest of the block; a value given twice then
         * has two codes */
        if (t->n_code < TEXT_PROBE) {
            t->hits += t->n_dict == had;
            if (t->n_code + 1 == TEXT_PROBE) t->as_is = t->hits * 16 < TEXT_PROBE;
        }
    }
    if (grow32(&t->code, &t->code_cap, t->n_code + 1) != 0) return -1;
    t->code[t->n_code++] = code;
    return 0;
}

void text_reset(tcol *t)
{
    t->data.n = 0;
    t->n_dict = t->n_code = 0;
    t->hits = 0;
    t->as_is = 0;
    if (t->slot) memset(t->slot, 0, t->n_slot * sizeof *t->slot);
}
