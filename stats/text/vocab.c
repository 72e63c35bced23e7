/* vocab.c — interned strings and 64-bit maps (vocab.h). */
#include "stats/text/vocab.h"
#include "core/hash.h"
#include "core/grow.h"

#include <stdlib.h>
#include <string.h>

uint64_t vocab_hash(const char *s, size_t len, unsigned salt)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)salt * 0x9E3779B97F4A7C15ULL);
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint32_t u64map_get(const u64map *m, uint64_t key)
{
    if (!m->cap) return VOCAB_NONE;
    size_t mask = m->cap - 1, i = (size_t)hash_fmix64(key) & mask;
    while (m->val[i] != VOCAB_NONE) {
        if (m->key[i] == key) return m->val[i];
        i = (i + 1) & mask;
    }
    return VOCAB_NONE;
}

static int rehash(u64map *m, size_t cap)
{
    uint64_t *k = malloc(cap * sizeof *k);
    uint32_t *v = malloc(cap * sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    memset(v, 0xFF, cap * sizeof *v);
    for (size_t j = 0; j < m->cap; j++) {
        if (m->val[j] == VOCAB_NONE) continue;
        size_t i = (size_t)hash_fmix64(m->key[j]) & (cap - 1);
        while (v[i] != VOCAB_NONE) i = (i + 1) & (cap - 1);
        k[i] = m->key[j];
        v[i] = m->val[j];
    }
    free(m->key);
    free(m->val);
    m->key = k;
    m->val = v;
    m->cap = cap;
    return 0;
}

int u64map_put(u64map *m, uint64_t key, uint32_t val)
{
    if ((m->n + 1) * 4 > m->cap * 3 && rehash(m, m->cap ? m->cap * 2 : 64) != 0) return -1;
    size_t mask = m->cap - 1, i = (size_t)hash_fmix64(key) & mask;
    while (m->val[i] != VOCAB_NONE) {
        if (m->key[i] == key) {
            m->val[i] = val;
            return 0;
        }
        i = (i + 1) & mask;
    }
    m->key[i] = key;
    m->val[i] = val;
    m->n++;
    return 0;
}

void u64map_free(u64map *m)
{
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

uint32_t strtab_find(const strtab *t, const char *s, size_t len, unsigned salt)
{
    uint64_t h = vocab_hash(s, len, salt);
    for (uint32_t id = u64map_get(&t->idx, h); id != VOCAB_NONE; id = t->next[id])
        if (t->hash[id] == h && t->len[id] == len && memcmp(t->arena + t->off[id], s, len) == 0) return id;
    return VOCAB_NONE;
}

uint32_t strtab_intern(strtab *t, const char *s, size_t len, unsigned salt)
{
    uint32_t id = strtab_find(t, s, len, salt);
    if (id != VOCAB_NONE) return id;
    if (t->n >= VOCAB_NONE - 1 || len > UINT32_MAX / 2) return VOCAB_NONE;
    if (t->n == t->ncap) {
        size_t cap = t->ncap ? t->ncap * 2 : 256;
        uint32_t *o = realloc(t->off, cap * sizeof *o);
        if (o) t->off = o;
        uint32_t *l = realloc(t->len, cap * sizeof *l);
        if (l) t->len = l;
        uint32_t *nx = realloc(t->next, cap * sizeof *nx);
        if (nx) t->next = nx;
        uint64_t *hs = realloc(t->hash, cap * sizeof *hs);
        if (hs) t->hash = hs;
        if (!o || !l || !nx || !hs) return VOCAB_NONE;
        t->ncap = cap;
    }
    if (t->alen + len + 1 > t->acap) {
        char *a = grow_array(t->arena, &t->acap, t->alen + len + 1, 1, 4096, UINT32_MAX, 0);
        if (!a) return VOCAB_NONE;
        t->arena = a;
    }
    uint64_t h = vocab_hash(s, len, salt);
    id = (uint32_t)t->n;
    memcpy(t->arena + t->alen, s, len);
    t->arena[t->alen + len] = '\0';
    t->off[id] = (uint32_t)t->alen;
    t->len[id] = (uint32_t)len;
    t->hash[id] = h;
    t->next[id] = u64map_get(&t->idx, h);
    if (u64map_put(&t->idx, h, id) != 0) return VOCAB_NONE;
    t->alen += len + 1;
    t->n++;
    return id;
}

void strtab_free(strtab *t)
{
    u64map_free(&t->idx);
    free(t->arena);
    free(t->off);
    free(t->len);
    free(t->next);
    free(t->hash);
    memset(t, 0, sizeof *t);
}
