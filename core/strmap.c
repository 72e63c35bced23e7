/* strmap.c — see strmap.h.  FNV-1a hashing, linear probing, load ≤ 0.5.
 * Each slot keeps the key's hash and length, so a probe compares bytes
 * only when both match; keys are looked up by length, never by strlen. */
#include "core/strmap.h"
#include "core/hash.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t hash;
    size_t pos; /* insertion position + 1; 0 = empty */
} slot;

struct strmap {
    slot *slots;
    size_t cap;   /* power of two */
    char **keys;  /* insertion order */
    size_t *lens; /* key lengths */
    size_t *values;
    size_t n, keycap;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = hash_fnv1a(HASH_TABLE_SEED, s, len);
    return h ? h : 1;
}

strmap *strmap_new(void)
{
    strmap *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void strmap_free(strmap *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) free(m->keys[i]);
    free(m->keys);
    free(m->lens);
    free(m->values);
    free(m->slots);
    free(m);
}

void strmap_clear(strmap *m)
{
    for (size_t i = 0; i < m->n; i++) free(m->keys[i]);
    memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->n = 0;
}

static size_t find(const strmap *m, const char *key, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->slots[i].pos) {
        size_t k = m->slots[i].pos - 1;
        if (m->slots[i].hash == h && m->lens[k] == len && memcmp(m->keys[k], key, len) == 0) return i;
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

size_t strmap_get_n(const strmap *m, const char *key, size_t len)
{
    size_t i = find(m, key, len, hash_bytes(key, len));
    return m->slots[i].pos ? m->values[m->slots[i].pos - 1] : (size_t)-1;
}

size_t strmap_get(const strmap *m, const char *key) { return strmap_get_n(m, key, strlen(key)); }

static int grow(strmap *m)
{
    size_t cap = m->cap * 2;
    slot *s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].pos) continue;
        size_t j = (size_t)m->slots[i].hash & (cap - 1);
        while (s[j].pos) j = (j + 1) & (cap - 1);
        s[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = s;
    m->cap = cap;
    return 0;
}

/* Room for one more key in the insertion-order arrays.  0 ok, -1 OOM. */
static int reserve_key(strmap *m)
{
    if (m->n < m->keycap) return 0;
    size_t kc = m->keycap ? m->keycap * 2 : 16;
    char **k = realloc(m->keys, kc * sizeof *k);
    if (!k) return -1;
    m->keys = k;
    size_t *l = realloc(m->lens, kc * sizeof *l);
    if (!l) return -1;
    m->lens = l;
    size_t *v = realloc(m->values, kc * sizeof *v);
    if (!v) return -1;
    m->values = v;
    m->keycap = kc;
    return 0;
}

size_t strmap_put_n(strmap *m, const char *key, size_t len, size_t next_index, int *added)
{
    uint64_t h = hash_bytes(key, len);
    size_t i = find(m, key, len, h);
    *added = 0;
    if (m->slots[i].pos) return m->values[m->slots[i].pos - 1];
    if (reserve_key(m) != 0) return (size_t)-1;
    char *copy = malloc(len + 1);
    if (!copy) return (size_t)-1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    m->keys[m->n] = copy;
    m->lens[m->n] = len;
    m->values[m->n] = next_index;
    m->slots[i].hash = h;
    m->slots[i].pos = ++m->n;
    *added = 1;
    if (m->n * 2 > m->cap && grow(m) != 0) return (size_t)-1;
    return next_index;
}

size_t strmap_put(strmap *m, const char *key, size_t next_index, int *added)
{
    return strmap_put_n(m, key, strlen(key), next_index, added);
}

size_t strmap_count(const strmap *m) { return m->n; }

const char *strmap_key(const strmap *m, size_t pos) { return pos < m->n ? m->keys[pos] : NULL; }
