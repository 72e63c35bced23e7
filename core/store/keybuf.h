/* keybuf.h — a response's key (source, response_id) kept across rows, to
 * tell whether keys come in the stores' order (bytes, a text before a
 * longer one it begins): the SQLite bulk's ascending and loaded keys, the
 * sorted runs' shared head (resp_runs.h), PostgreSQL's bulk in key order
 * or not.  Owner: core/store/keybuf.c.
 */
#ifndef CX_KEYBUF_H
#define CX_KEYBUF_H

#include <stddef.h>

/* Source, NUL, response_id (not NUL-terminated). */
typedef struct keybuf {
    char *k;
    size_t len, cap; /* len 0: none */
} keybuf;

/* The key SRC (SL bytes), ID (IL bytes) into KB: 0, or -1 out of memory
 * (KB then empty). */
int keybuf_set(keybuf *kb, const char *src, size_t sl, const char *id, size_t il);
/* The key SRC (SL bytes), ID (IL bytes) compared with KB's (set): <0, 0,
 * >0. */
int keybuf_cmp(const keybuf *kb, const char *src, size_t sl, const char *id, size_t il);

#endif
