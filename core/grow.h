/* grow.h — an array grown by doubling its capacity: the one rule of the
 * growing buffers that keep a capacity beside them (the CSV reader's
 * fields, the cache writer's texts and codes, the notes file, the
 * tokeniser and vocabulary, the peak-end cells, the spend batches, the
 * SQLite batch's arena, PostgreSQL's COPY buffers).  A caller keeps its
 * own test that the array is full, so the common path is one compare.
 * Owner: this header. */
#ifndef CX_GROW_H
#define CX_GROW_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* P (NULL at first), an array of *CAP elements of SIZE bytes, grown to
 * hold NEED elements (more than *CAP): its capacity doubled, from FIRST
 * when it has none, until it does; the new elements zeroed when ZERO.
 * MAX: the most elements it may have (0: no bound).  The array, *CAP
 * set; NULL (out of memory, past MAX, or a size that does not fit a
 * size_t) leaves P and *CAP as they were. */
static inline void *grow_array(void *p, size_t *cap, size_t need, size_t size, size_t first, size_t max,
                               int zero)
{
    size_t n = *cap ? *cap : first ? first : 1;
    while (n < need) {
        if (n > SIZE_MAX / 2) return NULL;
        n *= 2;
    }
    if ((max && n > max) || n > SIZE_MAX / size) return NULL;
    char *q = realloc(p, n * size);
    if (!q) return NULL;
    if (zero) memset(q + *cap * size, 0, (n - *cap) * size);
    *cap = n;
    return q;
}

#endif
