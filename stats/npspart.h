/* npspart.h — NPS counts of one part of the input (a chunk of `stats
 * --input`), kept as score histograms per (month, dimension, segment) in
 * small flat arrays, then added to an nps_table.  A part is the hot path
 * of the chunk workers: a response costs a month compare, a short segment
 * compare per --by dimension and a few increments.  Parts that outgrow
 * the arrays (many months or segments in one chunk) count the rest in an
 * nps_table of their own, so any input gives the same totals.
 *
 * Owner: stats/npspart.c.  Segment bytes are copied.
 */
#ifndef CX_NPSPART_H
#define CX_NPSPART_H

#include <stddef.h>
#include "core/csvscan.h"
#include "stats/trend.h"

typedef struct nps_part nps_part;

nps_part *nps_part_new(size_t n_by);
void nps_part_free(nps_part *p);
/* Empties the part, keeping its memory. */
void nps_part_clear(nps_part *p);
/* One response: month key, score 0..10, segment per --by dimension (len 0
 * = missing).  0 ok, -1 out of memory. */
int nps_part_add(nps_part *p, int month, int score, const csv_span *seg);
/* Adds the part's counts to T (not finished).  0 ok, -1 out of memory. */
int nps_part_merge(nps_table *t, const nps_part *p);

#endif
