/* strmap.h — a string-keyed open-addressing hash map to a caller's index
 * (size_t).  The map copies and owns its keys.  Used for groups, customers
 * and agents: anything whose memory must grow with distinct keys only.
 * Owner: core/strmap.c.
 */
#ifndef CX_STRMAP_H
#define CX_STRMAP_H

#include <stddef.h>

typedef struct strmap strmap;

strmap *strmap_new(void);
void strmap_free(strmap *m);
/* Forgets every key; the map keeps its memory for reuse. */
void strmap_clear(strmap *m);
/* Index stored for KEY, or (size_t)-1 when absent. */
size_t strmap_get(const strmap *m, const char *key);
/* Index for KEY; when absent, stores NEXT_INDEX for it and sets *added.
 * Returns (size_t)-1 when out of memory. */
size_t strmap_put(strmap *m, const char *key, size_t next_index, int *added);
/* The same for a key given as LEN bytes (not NUL-terminated; it must not
 * contain a NUL byte).  The stored copy is NUL-terminated. */
size_t strmap_get_n(const strmap *m, const char *key, size_t len);
size_t strmap_put_n(strmap *m, const char *key, size_t len, size_t next_index, int *added);
size_t strmap_count(const strmap *m);
/* The key stored for an index given at insertion (borrowed), or NULL. Keys
 * are kept in insertion order, so index i of a map filled with
 * next_index = strmap_count() is key i. */
const char *strmap_key(const strmap *m, size_t insertion_pos);

#endif
