/* report.h — the outputs of a run, each a renderer of its finished result
 * (stats/result.h), read const: the CSV summaries, the charts, index.html
 * and the terminal agent table (docs/formats.md).  report/ never computes a
 * statistic, never opens the store and never prints: a warning goes to
 * the caller's callback.
 * Owner: report/outputs.c (the tables of outputs and the loops over them);
 * one file per renderer (report/csv_*.c, charts_*.c, html_*.c, text_*.c).
 */
#ifndef CX_REPORT_H
#define CX_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "stats/result.h"

/* Told about a problem that does not stop the report (gnuplot missing, a
 * chart that could not be drawn).  MSG is borrowed for the call. */
typedef void (*report_warn_fn)(void *ctx, const char *msg);

/* Every CSV table of the analyses R ran, in OUTDIR (created), each
 * written atomically.  0 ok, -1 with "PATH: why" in ERR. */
int report_csv_all(const stats_result *r, const char *outdir, char *err, size_t errlen);

/* OUTDIR/index.html and its charts (OUTDIR/charts/).  WARN (may be NULL)
 * hears about charts that could not be drawn.  Returns how many charts
 * could not be drawn (0: all, or gnuplot is not installed) once the page
 * is written, or -1 with ERR. */
int report_html(const stats_result *r, const char *outdir, report_warn_fn warn, void *ctx, char *err,
                size_t errlen);

/* The terminal view NAME ("agents": the `cxpulse agents` table) of R on
 * F.  0 ok, -1 with ERR (no such view, its analysis did not run, a write
 * failed). */
int report_text(const stats_result *r, const char *name, FILE *f, char *err, size_t errlen);
/* The agents table itself (report/text_agents.c).  0 ok, -1 when a write
 * failed. */
int report_agents_text(FILE *f, const agents_result *a);

#endif
