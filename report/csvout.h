/* csvout.h — one output table written atomically: OUTDIR/NAME gets a
 * header row and the rows a callback writes, through a formula-escaping
 * CSV writer; the file appears only if every write succeeded.
 * Owner: report/csvout.c.  Used by every report/csv_*.c writer.
 */
#ifndef CX_CSVOUT_H
#define CX_CSVOUT_H

#include <stddef.h>
#include <stdio.h>
#include "core/csv.h"
#include "stats/nps_types.h"

/* Writes the rows of one table; returns 0, or -1 with a message in ERR. */
typedef int (*csvout_rows_fn)(csv_writer *w, const void *ctx, char *err, size_t errlen);

/* HEADER is NULL-terminated.  0 ok; -1 with "PATH: why" in ERR. */
int csvout_write(const char *outdir, const char *name, const char *const *header, csvout_rows_fn rows,
                 const void *ctx, char *err, size_t errlen);
/* The same table on F, an open afile's stream, left to its owner to
 * commit or abort (a set of files that land together: core/afile.h);
 * PATH names it in ERR.  0 ok; -1 with "PATH: why" in ERR. */
int csvout_write_to(FILE *f, const char *path, const char *const *header, csvout_rows_fn rows,
                    const void *ctx, char *err, size_t errlen);

/* Cells every table writes the same way: a month key as YYYY-MM, or `all`
 * for 0; a test's verdict as true/false, empty when undefined (< 0). */
void csvout_put_month(csv_writer *w, int month);
void csvout_put_significant(csv_writer *w, int significant);

/* The cells that lead a row of a per-period table (period, dimension,
 * segment) and of a change table (dimension, segment, period,
 * prev_period); DIM is the dimension's name. */
void csvout_put_lead(csv_writer *w, int month, const char *dim, const char *segment);
void csvout_put_change_lead(csv_writer *w, const char *dim, const char *segment, int month, int prev_month);

/* An NPS estimate with its counts: n, promoters, passives, detractors, nps. */
void csvout_put_nps(csv_writer *w, const nps_est *e, const nps_counts *c);

#endif
