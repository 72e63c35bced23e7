/* grow.h — an array grown by doubling its capacity: the pattern of the
 * growing buffers that keep a capacity beside them (the notes file's
 * record body, vocabulary codes and word arena, run/run_notes_*.c; the
 * peak-end cells, stats/peakend.c; the SQLite batch's arena,
 * core/store/store_sqlite_batch.c).  Owner: this header. */
#ifndef CX_GROW_H
#define CX_GROW_H

#include <stdlib.h>
#include <string.h>

/* P (NULL at first), an array of *CAP elements of SIZE bytes, grown to
 * hold NEED elements (more than *CAP): its capacity doubled, from FIRST
 * when it has none, until it does; the new elements zeroed when ZERO.
 * MAX: the most elements it may have (0: no bound).  The array, *CAP
 * set; NULL (out of memory, or past MAX) leaves P and *CAP as they
 * were. */
static inline void *grow_array(void *p, size_t *cap, size_t need, size_t size, size_t first, size_t max,
                               int zero)
{
    size_t n = *cap ? *cap : first;
    while (n < need) n *= 2;
    if (max && n > max) return NULL;
    char *q = realloc(p, n * size);
    if (!q) return NULL;
    if (zero) memset(q + *cap * size, 0, (n - *cap) * size);
    *cap = n;
    return q;
}

#endif
