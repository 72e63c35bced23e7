/* strmap.c — see strmap.h.  FNV-1a hashing, linear probing, load ≤ 0.5. */
#include "core/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t hash;
    size_t pos;       /* insertion position + 1; 0 = empty */
} slot;

struct strmap {
    slot *slots;
    size_t cap;       /* power of two */
    char **keys;      /* insertion order */
    size_t *values;
    size_t n, keycap;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

strmap *strmap_new(void)
{
    strmap *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) { free(m); return NULL; }
    return m;
}

void strmap_free(strmap *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) free(m->keys[i]);
    free(m->keys);
    free(m->values);
    free(m->slots);
    free(m);
}

static size_t find(const strmap *m, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->slots[i].pos) {
        if (m->slots[i].hash == h && strcmp(m->keys[m->slots[i].pos - 1], key) == 0) return i;
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

size_t strmap_get(const strmap *m, const char *key)
{
    size_t i = find(m, key, hash_str(key));
    return m->slots[i].pos ? m->values[m->slots[i].pos - 1] : (size_t)-1;
}

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

size_t strmap_put(strmap *m, const char *key, size_t next_index, int *added)
{
    uint64_t h = hash_str(key);
    size_t i = find(m, key, h);
    *added = 0;
    if (m->slots[i].pos) return m->values[m->slots[i].pos - 1];
    if (m->n == m->keycap) {
        size_t kc = m->keycap ? m->keycap * 2 : 16;
        char **k = realloc(m->keys, kc * sizeof *k);
        if (!k) return (size_t)-1;
        m->keys = k;
        size_t *v = realloc(m->values, kc * sizeof *v);
        if (!v) return (size_t)-1;
        m->values = v;
        m->keycap = kc;
    }
    size_t len = strlen(key) + 1;
    char *copy = malloc(len);
    if (!copy) return (size_t)-1;
    memcpy(copy, key, len);
    m->keys[m->n] = copy;
    m->values[m->n] = next_index;
    m->slots[i].hash = h;
    m->slots[i].pos = ++m->n;
    *added = 1;
    if (m->n * 2 > m->cap && grow(m) != 0) return (size_t)-1;
    return next_index;
}

size_t strmap_count(const strmap *m) { return m->n; }

const char *strmap_key(const strmap *m, size_t pos)
{
    return pos < m->n ? m->keys[pos] : NULL;
}
