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
    store *noted;  /* names from this store's note (may be more than it holds) */
} attr_limit;

/* Reads the store's names (inside the import's transaction).  0, or -1
 * with the reason in ERR. */
int attr_limit_load(attr_limit *l, store *s, char *err, size_t errlen);
/* As attr_limit_load, from the note of the last import when it holds for
 * the store as it is (store_attr_names_noted: no pass over the
 * responses): those names may be more than the store holds, so a refusal
 * by attr_limit_admit reads the store's own names and decides again.
 * 0, or -1 with the reason in ERR. */
int attr_limit_load_noted(attr_limit *l, store *s, char *err, size_t errlen);
/* Notes L's names as holding every name of the store's responses once
 * the import's transaction commits (store_attr_names_note): called after
 * its rows are written.  0, or -1 (store_error). */
int attr_limit_note(const attr_limit *l, store *s);
/* Admits NAMES (N of them, repeats allowed): 0 when the store's names and
 * the new ones together are at most CX_MAX_ATTRS (they are then counted as
 * the store's), 1 when they are more, with ERR saying how many, the limit
 * and the names that would be added; -1 out of memory. */
int attr_limit_admit(attr_limit *l, const char *const *names, size_t n, char *err, size_t errlen);
void attr_limit_free(attr_limit *l);

#endif
