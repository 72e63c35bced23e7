/* xsort.h — qsort for arrays that may be empty.
 *
 * qsort(NULL, 0, ...) is undefined behaviour (its pointer is declared
 * nonnull) and an empty table's array is often NULL; UBSan stops there.
 * Every sort in cxpulse goes through cx_qsort, which does nothing for
 * fewer than two elements.  tests/e2e/lint_unsafe.sh keeps it that way.
 */
#ifndef CX_XSORT_H
#define CX_XSORT_H

#include <stdlib.h>

static inline void cx_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1 && base) qsort(base, n, size, cmp);
}

#endif
