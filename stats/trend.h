/* trend.h — the NPS table: counts per period (UTC month and `all`) ×
 * dimension × segment, with estimates, and month-over-month changes
 * (nps.csv and nps_change.csv, docs/methods.md, docs/formats.md).  Memory grows with groups.
 * Owner: stats/trend.c.  Rows and their strings are owned by the table.
 */
#ifndef CX_TREND_H
#define CX_TREND_H

#include <stddef.h>
#include <stdint.h>
#include "core/csvscan.h"
#include "stats/nps.h"
#include "stats/nps_result.h"

typedef struct nps_table nps_table;

nps_table *nps_table_new(size_t n_by);
void nps_table_free(nps_table *t);
/* Adds one response: month key, score 0..10, and its segment for each
 * --by dimension (NULL = missing: counted in `all` only).  0 ok, -1 OOM. */
int nps_table_add(nps_table *t, int month, int score, const char *const *seg);
/* The same with segments as spans (len 0 = missing). */
int nps_table_add_n(nps_table *t, int month, int score, const csv_span *seg);
/* Adds a score histogram H (counts of scores 0..10) of month MONTH to
 * dimension DIM (0 = overall, SEG ignored) and segment SEG[0..len); the
 * overall one also goes to the score histograms.  0 ok, -1 OOM. */
int nps_table_add_hist(nps_table *t, int month, size_t dim, const char *seg, size_t len,
                       const uint32_t h[11]);
/* Adds every count of PART (an unfinished table with the same --by
 * dimensions, e.g. one chunk's) to INTO, also unfinished.  0 ok, -1 OOM. */
int nps_table_merge(nps_table *into, const nps_table *part);
/* Empties an unfinished table for reuse. */
void nps_table_clear(nps_table *t);
/* Sorts and estimates.  Rows are ordered by period (months ascending, then
 * `all`), then dimension (overall first, then --by order), then segment
 * (byte order).  Changes are ordered by dimension, segment, month. */
int nps_table_finish(nps_table *t, double confidence);
size_t nps_table_rows(const nps_table *t, const nps_row **rows);
size_t nps_table_changes(const nps_table *t, const nps_change_row **rows);
/* Distinct months seen, ascending (borrowed array). */
size_t nps_table_months(const nps_table *t, const int **months);
/* Score histogram (11 counts) of month MONTH, or of every month when 0. */
void nps_table_histogram(const nps_table *t, int month, long long out[11]);
/* The row for (month, dim, segment), or NULL. */
const nps_row *nps_table_find(const nps_table *t, int month, size_t dim, const char *segment);

/* The result of a finished table (stats/nps_analysis.c): MONTH is --month
 * (0 = all).  R points into T and lives as long as it; free with
 * nps_result_free.  0 ok, -1 out of memory. */
int nps_result_build(nps_result *r, const nps_table *t, int month, double confidence, int min_responses);
void nps_result_free(nps_result *r);

#endif
