/* vocab.h — the hash tables of the verbatim analysis (stats/text only):
 * interned strings and 64-bit keys, both open addressing with linear
 * probing, growing by doubling.  Owner: stats/text/vocab.c. */
#ifndef CX_TEXT_VOCAB_H
#define CX_TEXT_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#define VOCAB_NONE UINT32_MAX

typedef struct u64map {
    uint64_t *key;
    uint32_t *val; /* VOCAB_NONE = empty slot */
    size_t cap, n;
} u64map;

/* Value of KEY, or VOCAB_NONE. */
uint32_t u64map_get(const u64map *m, uint64_t key);
/* Sets KEY to VAL (VAL != VOCAB_NONE).  0 ok, -1 out of memory. */
int u64map_put(u64map *m, uint64_t key, uint32_t val);
void u64map_free(u64map *m);

typedef struct strtab {
    u64map idx;  /* hash -> first id with that hash (chained in next) */
    char *arena; /* each string NUL-terminated */
    size_t alen, acap;
    uint32_t *off, *len, *next;
    uint64_t *hash;
    size_t n, ncap;
} strtab;

uint64_t vocab_hash(const char *s, size_t len, unsigned salt);
/* Id of S[0..len) (salted with SALT: the same bytes under another salt are
 * another string), or VOCAB_NONE. */
uint32_t strtab_find(const strtab *t, const char *s, size_t len, unsigned salt);
/* Id of S, added when new.  VOCAB_NONE when out of memory. */
uint32_t strtab_intern(strtab *t, const char *s, size_t len, unsigned salt);
static inline const char *strtab_str(const strtab *t, uint32_t id) { return t->arena + t->off[id]; }
void strtab_free(strtab *t);

#endif
