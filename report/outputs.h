/* outputs.h — the members of the report's three families, each one row of
 * a table in report/outputs.c: CSV tables, charts and HTML sections.
 * A renderer reads the finished result (const) and nothing else.  The
 * terminal views are a fourth, small table.
 * Owner: report/outputs.c (the tables); each member lives in the file
 * named beside it.
 */
#ifndef CX_OUTPUTS_H
#define CX_OUTPUTS_H

#include <stdio.h>

#include "core/afile.h"
#include "core/csv.h"
#include "report/charts.h"
#include "report/report.h"
#include "stats/result.h"

/* One CSV file: header and rows.  NEEDS: the STATS_RUN_* analysis whose
 * result it reads (0: the NPS table, always there). */
typedef struct report_csv {
    const char *file;
    const char *const *header; /* NULL-terminated */
    unsigned needs;
    void (*rows)(csv_writer *w, const stats_result *r);
} report_csv;

/* One chart (or a family of charts, e.g. one per --by dimension), drawn
 * before the page; sections then show what was drawn (html_chart). */
typedef struct report_chart {
    const char *name;
    unsigned needs;
    void (*draw)(charts *ch, const stats_result *r);
} report_chart;

/* One <section> of index.html, in page order. */
typedef struct report_section {
    const char *id;
    unsigned needs;
    void (*write)(FILE *f, const stats_result *r, const charts *ch);
} report_section;

/* One terminal view, by name (`cxpulse agents`). */
typedef struct report_textview {
    const char *name;
    unsigned needs;
    int (*write)(FILE *f, const stats_result *r); /* 0 ok, -1 write failed */
} report_textview;

/* A run's outputs as one set (docs/formats.md, "All or none"): every file
 * is written to its temporary name first, and report_out_commit renames
 * them into place only when all were written, the tables first and
 * index.html last; report_out_free (without a commit) removes them all,
 * the folder's old outputs untouched.  report_csv_all and report_html
 * (report/report.h) are each one such set.
 * Owner: report/outputs.c. */
typedef struct report_out report_out;

/* For OUTDIR (created).  NULL with "PATH: why" in ERR. */
report_out *report_out_new(const char *outdir, char *err, size_t errlen);
/* Every CSV table of the analyses R ran.  0 ok, -1 with ERR. */
int report_out_csv(report_out *o, const stats_result *r, char *err, size_t errlen);
/* Finishes A (opened by the caller on a file of OUTDIR, e.g. rejects.csv)
 * and adds it to the set; A is emptied.  0 ok, -1 with ERR. */
int report_out_add(report_out *o, afile *a, char *err, size_t errlen);
/* index.html and its charts (as report_html): how many charts could not
 * be drawn, or -1 with ERR. */
int report_out_html(report_out *o, const stats_result *r, report_warn_fn warn, void *ctx, char *err,
                    size_t errlen);
/* Renames every file into place.  0 ok; -1 with "PATH: why" in ERR (the
 * files not renamed are removed). */
int report_out_commit(report_out *o, char *err, size_t errlen);
/* Removes what was not committed and frees O (NULL is fine). */
void report_out_free(report_out *o);

/* report/csv_nps.c */
extern const report_csv csv_nps, csv_nps_change;
/* report/csv_drivers.c */
extern const report_csv csv_drivers;
/* report/csv_cx.c */
extern const report_csv csv_peak_end, csv_mot, csv_spend_delta, csv_spend_tests, csv_pareto, csv_hic;
/* report/csv_agents.c */
extern const report_csv csv_agents;
/* report/csv_verbatims.c */
extern const report_csv csv_themes, csv_verbatim_flags;
/* report/csv_metrics.c */
extern const report_csv csv_csat, csv_csat_change, csv_ces, csv_ces_change;
/* report/csv_agents_metric.c */
extern const report_csv csv_agents_csat, csv_agents_ces;

/* report/charts_nps.c */
extern const report_chart chart_nps_trend, chart_score_dist, chart_segments;
/* report/charts_cx.c */
extern const report_chart chart_peak_end, chart_mot, chart_spend, chart_pareto;
/* report/charts_agents.c */
extern const report_chart chart_agents_caterpillar, chart_agents_aht;
/* report/charts_metric.c: a CSAT or CES report's */
extern const report_chart chart_metric_trend, chart_metric_segments, chart_metric_agents;

/* report/html_nps.c */
extern const report_section html_trend, html_segments, html_verbatims;
/* report/html_cx.c */
extern const report_section html_peak_end, html_mot, html_spend, html_hic;
/* report/html_agents.c */
extern const report_section html_agents;
/* report/html_metrics.c */
extern const report_section html_metrics;
/* report/html_metric_report.c, report/html_metric_agents.c: a CSAT or CES report's */
extern const report_section html_metric_trend, html_metric_segments, html_metric_nps_only,
    html_metric_methods;
extern const report_section html_metric_agents;
/* report/html_say.c */
extern const report_section html_say;
/* report/html_summary.c, report/html_drivers.c */
extern const report_section html_summary, html_drivers;
/* report/html_quality.c */
extern const report_section html_stale, html_quality, html_methods;

/* report/text_agents.c */
extern const report_textview text_agents;
/* report/text_agents_metric.c */
extern const report_textview text_agents_csat, text_agents_ces;

#endif
