/* idtab.h — a compact set of ids (customer ids, attribute values) numbered
 * in the order they were added, for tables that hold one entry per
 * customer: about 16 bytes an id plus its text, with no allocation per id.
 * (core/strmap.h copies each key into an allocation of its own and keeps
 * three words per key beside a 16-byte slot: about 90 bytes an id.)
 *
 * Owner: stats/idtab.c.  The table owns the texts; a pointer returned by
 * idtab_key stays valid until idtab_free (texts are never moved). */
#ifndef CX_IDTAB_H
#define CX_IDTAB_H

#include <stddef.h>

typedef struct idtab idtab;

/* NULL when out of memory. */
idtab *idtab_new(void);
void idtab_free(idtab *t);
/* Number of KEY (LEN bytes, no NUL byte inside); when new, it is added as
 * number idtab_count() and *ADDED is set.  (size_t)-1 when out of memory
 * or the table is full (2^32 - 2 ids or 2^16 blocks of text: 4 GiB). */
size_t idtab_put(idtab *t, const char *key, size_t len, int *added);
/* Number of KEY, or (size_t)-1 when it is not in the table. */
size_t idtab_get(const idtab *t, const char *key, size_t len);
/* The NUL-terminated text of id I (borrowed), or NULL. */
const char *idtab_key(const idtab *t, size_t i);
size_t idtab_count(const idtab *t);
/* Bytes held by the table (for the memory figures). */
size_t idtab_bytes(const idtab *t);

#endif
