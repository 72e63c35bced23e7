/* attr_limit.h — the one limit on attribute names, applied where data
 * enters the store.  Owner: ingest/attr_limit.c.
 *
 * An export writes one column per distinct attribute name of the stored
 * responses, and an import reads at most CX_MAX_ATTRS attribute columns:
 * so the store's responses may never hold more than CX_MAX_ATTRS distinct
 * names, whatever number of imports brought them.  An import that would
 * take the store past it is refused whole (docs/formats.md).
 */
#ifndef CX_ATTR_LIMIT_H
#define CX_ATTR_LIMIT_H

#include <stddef.h>
#include "core/store/store.h"
#include "core/strmap.h"

typedef struct attr_limit {
    strmap *names; /* the store's names, then those admitted since */
} attr_limit;

/* Reads the store's names (inside the import's transaction).  0, or -1
 * with the reason in ERR. */
int attr_limit_load(attr_limit *l, store *s, char *err, size_t errlen);
/* Admits NAMES (N of them, repeats allowed): 0 when the store's names and
 * the new ones together are at most CX_MAX_ATTRS (they are then counted as
 * the store's), 1 when they are more, with ERR saying how many, the limit
 * and the names that would be added; -1 out of memory. */
int attr_limit_admit(attr_limit *l, const char *const *names, size_t n, char *err, size_t errlen);
void attr_limit_free(attr_limit *l);

#endif
