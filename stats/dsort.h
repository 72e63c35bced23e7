/* dsort.h — doubles sorted ascending in place, without a buffer: an
 * introsort (Musser 1997: quicksort with the median of three, insertion
 * sort for short ranges, heapsort past 2·log2(n) levels), for the spend
 * deltas' medians (stats/spend.c), where GSL's heapsort (gsl_sort) was a
 * tenth of a 10M run's CPU.  GSL has no other sort, and the C library's
 * qsort (glibc 2.36) is a merge sort that allocates a copy of the array
 * (68 MB for the 8.5M deltas of a 10M run).  8.5M random doubles:
 * gsl_sort 3.3 s, qsort 1.6 s, this 0.8 s.  The values must not be NaN.  Equal doubles
 * are the same bits but for -0 and +0, so any correct sort of values
 * without a signed zero gives the same array as gsl_sort.
 *
 * Owner: stats/dsort.c. */
#ifndef CX_DSORT_H
#define CX_DSORT_H

#include <stddef.h>

void cx_sort_doubles(double *d, size_t n);
/* The same with the quicksort levels capped at DEPTH (cx_sort_doubles
 * takes 2·log2(n)); past them a range is heapsorted: 0 heapsorts the
 * whole array (the tests reach that path with it). */
void cx_sort_doubles_depth(double *d, size_t n, unsigned depth);

#endif
