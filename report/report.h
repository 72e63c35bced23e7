/* report.h — writing a run's outputs into --out DIR (SPEC §8): the CSV
 * summaries, the charts and index.html.  report/ never computes a
 * statistic: it only formats what stats/ produced.
 * Owner: report/csv_nps.c (CSV), report/html.c (page).
 */
#ifndef CX_REPORT_H
#define CX_REPORT_H

#include "core/store/store.h"
#include "stats/run.h"

/* Name of dimension DIM of a run: "all" for 0, else the --by name. */
const char *report_dim_name(const stats_result *res, size_t dim);

/* nps.csv and nps_change.csv.  0 ok, -1 with ERR. */
int report_csv_nps(const stats_result *res, const char *outdir, char *err, size_t errlen);
/* drivers.csv (header only when the run has no drivers rows). */
int report_csv_drivers(const stats_result *res, const char *outdir, char *err, size_t errlen);
/* rejects.csv from the store (S may be NULL: then nothing is written). */
int report_csv_rejects(store *s, const char *outdir, char *err, size_t errlen);
/* Every CSV of the run. */
int report_csv_all(const stats_result *res, store *s, const char *outdir, char *err, size_t errlen);

/* index.html with its charts.  ST (may be NULL) feeds the data-quality
 * section.  0 ok, -1 with ERR. */
int report_html(const stats_result *res, const store_status *st, store *s,
                const char *outdir, int quiet, char *err, size_t errlen);

#endif
