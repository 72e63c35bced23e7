/* store_attrs.h — attributes <-> JSON object text, for the store backends.
 * Owner: core/store/store_attrs.c.
 */
#ifndef CX_STORE_ATTRS_H
#define CX_STORE_ATTRS_H

#include <stddef.h>
#include "core/model.h"

/* {"key":"value",…} in the given order; malloc'd, NULL when out of memory. */
char *attrs_to_json(const cx_attr *attrs, size_t n);

/* Parses JSON text into OUT (at most CAP pairs, string values only; other
 * values are skipped).  The strings are borrowed from the returned
 * document, which the caller frees with attrs_doc_free after use. */
typedef struct attrs_doc attrs_doc;
attrs_doc *attrs_from_json(const char *json, cx_attr *out, size_t *n, size_t cap);
void attrs_doc_free(attrs_doc *d);

/* As attrs_from_json, the same pairs, but with no parse tree for the plain
 * form — an object of string values with no escape, spaces at most
 * between the tokens (as attrs_to_json writes it and PostgreSQL prints a
 * jsonb): its strings are copied into B, valid until its next use (NULL
 * returned).  Any other text goes to attrs_from_json (its document
 * returned, freed by the caller).  B: zeroed at first, freed with
 * attrs_buf_free. */
typedef struct attrs_buf {
    char *p;
    size_t cap;
} attrs_buf;
attrs_doc *attrs_scan(const char *json, attrs_buf *b, cx_attr *out, size_t *n, size_t cap);
void attrs_buf_free(attrs_buf *b);

#endif
