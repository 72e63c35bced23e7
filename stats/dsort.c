/* dsort.c — see dsort.h. */
#include "stats/dsort.h"

#include <stdint.h>

#define SHORT 16 /* ranges up to this long: insertion sort */

static void insertion(double *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = a[i];
        size_t j = i;
        for (; j > 0 && v < a[j - 1]; j--) a[j] = a[j - 1];
        a[j] = v;
    }
}

static void sift(double *a, size_t root, size_t n)
{
    double v = a[root];
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) break;
        if (child + 1 < n && a[child] < a[child + 1]) child++;
        if (!(v < a[child])) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(double *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;) sift(a, i, n);
    for (size_t end = n; end-- > 1;) {
        double t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift(a, 0, end);
    }
}

static void swap(double *a, size_t i, size_t j)
{
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
}

/* Hoare's partition of A (N ≥ 3) around the median of its first, middle
 * and last values: the index k of the last element of the lower part
 * (0 ≤ k < n − 1); every value up to k is ≤ every value after it. */
static size_t partition(double *a, size_t n)
{
    size_t m = n / 2;
    if (a[m] < a[0]) swap(a, m, 0);
    if (a[n - 1] < a[0]) swap(a, n - 1, 0);
    if (a[n - 1] < a[m]) swap(a, n - 1, m);
    double p = a[m];
    size_t i = 0, j = n - 1;
    for (;;) {
        while (a[i] < p) i++;
        while (p < a[j]) j--;
        if (i >= j) return j;
        swap(a, i, j);
        i++;
        j--;
    }
}

static void intro(double *a, size_t n, unsigned depth)
{
    while (n > SHORT) {
        if (depth-- == 0) {
            heapsort(a, n);
            return;
        }
        size_t k = partition(a, n) + 1; /* [0, k) and [k, n), both non-empty */
        if (k < n - k) {                /* the shorter side by recursion: log2(n) deep */
            intro(a, k, depth);
            a += k;
            n -= k;
        } else {
            intro(a + k, n - k, depth);
            n = k;
        }
    }
    insertion(a, n);
}

void cx_sort_doubles_depth(double *d, size_t n, unsigned depth)
{
    if (n >= 2 && d) intro(d, n, depth);
}

void cx_sort_doubles(double *d, size_t n)
{
    unsigned depth = 0;
    for (size_t m = n; m > 1; m >>= 1) depth += 2;
    cx_sort_doubles_depth(d, n, depth);
}
