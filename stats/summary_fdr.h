/* summary_fdr.h — the correction for multiple comparisons that the
 * summary's findings pass through (docs/methods.md §Summary): Benjamini
 * and Hochberg's step-up adjusted p-values, which hold the false-discovery
 * rate of the comparisons called significant at the chosen level.
 * Owner: stats/summary_fdr.c.
 */
#ifndef CX_SUMMARY_FDR_H
#define CX_SUMMARY_FDR_H

#include <stddef.h>

/* Q[i] = the Benjamini–Hochberg adjusted p-value of P[i] among the M
 * p-values: min over j with p_(j) ≥ P[i] of min(1, M·p_(j)/j), p_(j) the
 * j-th smallest (what R's p.adjust(p, "BH") gives).  Every P[i] must be a
 * number in [0, 1].  Comparisons with q < α are significant at a
 * false-discovery rate of α.  0 ok, -1 out of memory (Q untouched). */
int fdr_bh_adjust(const double *p, size_t m, double *q);

#endif
