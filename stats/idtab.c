/* idtab.c — see idtab.h.  Texts go one after the other into blocks of
 * 64 KiB that never move (a longer text gets a block of its own); per id
 * the table keeps where its text is (block and offset in 32 bits) and a
 * 32-bit hash, and the open-addressing slots (linear probing, load at
 * most 0.7) hold id numbers + 1, four bytes each. */
#include "stats/idtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

#define BLOCK ((size_t)1 << 16)
#define FULL ((size_t)UINT32_MAX - 1)

struct idtab {
    uint32_t *slots;  /* id + 1; 0 = empty */
    size_t cap;       /* power of two */
    uint32_t *keys;   /* by id: block << 16 | offset in it */
    uint32_t *hashes; /* by id */
    size_t n, keycap;
    char **blocks; /* the texts */
    size_t n_blocks, cap_blocks;
    size_t used;      /* bytes used in the last block */
    size_t last_size; /* its size */
    size_t text;      /* bytes of every block */
};

static uint32_t hash_key(const char *s, size_t len)
{
    return (uint32_t)hash_fmix64(hash_fnv1a(HASH_TABLE_SEED, s, len));
}

idtab *idtab_new(void)
{
    idtab *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->cap = 64;
    t->slots = calloc(t->cap, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    return t;
}

void idtab_free(idtab *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n_blocks; i++) free(t->blocks[i]);
    free(t->blocks);
    free(t->keys);
    free(t->hashes);
    free(t->slots);
    free(t);
}

static const char *text_at(const idtab *t, uint32_t loc) { return t->blocks[loc >> 16] + (loc & 0xffff); }

/* The slot of KEY, or the empty slot where it would go. */
static size_t find(const idtab *t, const char *key, size_t len, uint32_t h)
{
    size_t i = h & (t->cap - 1);
    for (uint32_t s; (s = t->slots[i]) != 0; i = (i + 1) & (t->cap - 1)) {
        const char *k = text_at(t, t->keys[s - 1]);
        if (t->hashes[s - 1] == h && strncmp(k, key, len) == 0 && k[len] == '\0') return i;
    }
    return i;
}

size_t idtab_get(const idtab *t, const char *key, size_t len)
{
    uint32_t s = t->slots[find(t, key, len, hash_key(key, len))];
    return s ? (size_t)s - 1 : (size_t)-1;
}

static int grow_slots(idtab *t)
{
    size_t cap = 2 * t->cap;
    uint32_t *s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t id = 0; id < t->n; id++) {
        size_t j = t->hashes[id] & (cap - 1);
        while (s[j]) j = (j + 1) & (cap - 1);
        s[j] = (uint32_t)(id + 1);
    }
    free(t->slots);
    t->slots = s;
    t->cap = cap;
    return 0;
}

/* Room for LEN + 1 bytes of text, and where it is in *LOC; NULL when out
 * of memory or at 2^16 blocks. */
static char *text_room(idtab *t, size_t len, uint32_t *loc)
{
    if (t->n_blocks == 0 || t->last_size - t->used < len + 1) {
        if (t->n_blocks == (size_t)1 << 16) return NULL;
        if (t->n_blocks == t->cap_blocks) {
            size_t cap = t->cap_blocks ? 2 * t->cap_blocks : 16;
            char **b = realloc(t->blocks, cap * sizeof *b);
            if (!b) return NULL;
            t->blocks = b;
            t->cap_blocks = cap;
        }
        size_t size = len + 1 > BLOCK ? len + 1 : BLOCK;
        char *b = malloc(size);
        if (!b) return NULL;
        t->blocks[t->n_blocks++] = b;
        t->used = 0;
        t->last_size = size;
        t->text += size;
    }
    char *p = t->blocks[t->n_blocks - 1] + t->used;
    *loc =
        (uint32_t)((t->n_blocks - 1) << 16 | t->used); /* used < 2^16: a block is 64 KiB, or one text at 0 */
    t->used += len + 1;
    return p;
}

size_t idtab_put(idtab *t, const char *key, size_t len, int *added)
{
    uint32_t h = hash_key(key, len);
    size_t i = find(t, key, len, h);
    *added = 0;
    if (t->slots[i]) return (size_t)t->slots[i] - 1;
    if (t->n >= FULL) return (size_t)-1;
    if (t->n == t->keycap) {
        size_t cap = t->keycap ? 2 * t->keycap : 64;
        uint32_t *k = realloc(t->keys, cap * sizeof *k);
        if (!k) return (size_t)-1;
        t->keys = k;
        uint32_t *hs = realloc(t->hashes, cap * sizeof *hs);
        if (!hs) return (size_t)-1;
        t->hashes = hs;
        t->keycap = cap;
    }
    uint32_t loc;
    char *copy = text_room(t, len, &loc);
    if (!copy) return (size_t)-1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    size_t id = t->n++;
    t->keys[id] = loc;
    t->hashes[id] = h;
    t->slots[i] = (uint32_t)(id + 1);
    *added = 1;
    /* load at most 0.7; the new id stays findable if growing fails */
    if (10 * t->n > 7 * t->cap && grow_slots(t) != 0) return (size_t)-1;
    return id;
}

const char *idtab_key(const idtab *t, size_t i) { return i < t->n ? text_at(t, t->keys[i]) : NULL; }

size_t idtab_count(const idtab *t) { return t->n; }

size_t idtab_bytes(const idtab *t)
{
    return t->cap * sizeof *t->slots + t->keycap * (sizeof *t->keys + sizeof *t->hashes) +
           t->cap_blocks * sizeof *t->blocks + t->text;
}
