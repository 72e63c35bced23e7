/* outputs.c — the report's three tables (CSV files, charts, HTML
 * sections) and the loops over them.  A new output is its renderer in its
 * own file plus one row here (and its declaration in report/outputs.h).
 */
#include "report/report.h"
#include "core/afile.h"
#include "report/csvout.h"
#include "report/html.h"
#include "report/html_page.h"
#include "report/outputs.h"

#include <stdlib.h>
#include <string.h>

/* Every CSV file, in the order they are written, with the metric whose
 * responses it reads: --metric writes that metric's files only. */
#define NPS STATS_METRIC_NPS
#define CSAT STATS_METRIC_CSAT
#define CES STATS_METRIC_CES
static const struct csv_output {
    const report_csv *t;
    stats_metric metric;
} csv_outputs[] = {
    {&csv_nps, NPS},          {&csv_nps_change, NPS},   {&csv_drivers, NPS},     {&csv_peak_end, NPS},
    {&csv_mot, NPS},          {&csv_spend_delta, NPS},  {&csv_spend_tests, NPS}, {&csv_pareto, NPS},
    {&csv_hic, NPS},          {&csv_agents, NPS},       {&csv_themes, NPS},      {&csv_verbatim_flags, NPS},
    {&csv_csat, CSAT},        {&csv_csat_change, CSAT}, {&csv_ces, CES},         {&csv_ces_change, CES},
    {&csv_agents_csat, CSAT}, {&csv_agents_ces, CES},
};
#undef NPS
#undef CSAT
#undef CES

/* Which report a chart or section belongs to: the NPS report, the report
 * on CSAT or CES (the run's metric: --metric, or a store without NPS
 * answers), or both.  The analyses that compare promoters with detractors
 * have no CSAT or CES counterpart: html_metric_nps_only says so there. */
enum { FOR_NPS = 1, FOR_METRIC = 2, FOR_BOTH = 3 };

/* Every chart, drawn before the page. */
static const struct chart_output {
    const report_chart *t;
    unsigned report;
} chart_outputs[] = {
    {&chart_nps_trend, FOR_NPS},
    {&chart_score_dist, FOR_NPS},
    {&chart_segments, FOR_NPS},
    {&chart_peak_end, FOR_NPS},
    {&chart_mot, FOR_NPS},
    {&chart_spend, FOR_NPS},
    {&chart_pareto, FOR_NPS},
    {&chart_agents_caterpillar, FOR_NPS},
    {&chart_agents_aht, FOR_NPS},
    {&chart_metric_trend, FOR_METRIC},
    {&chart_metric_segments, FOR_METRIC},
    {&chart_metric_agents, FOR_METRIC},
};

/* The sections of index.html, in page order. */
static const struct section_output {
    const report_section *t;
    unsigned report;
} html_sections[] = {
    {&html_stale, FOR_BOTH},
    {&html_summary, FOR_BOTH},
    {&html_trend, FOR_NPS},
    {&html_segments, FOR_NPS},
    {&html_drivers, FOR_NPS},
    {&html_metrics, FOR_NPS},
    {&html_metric_trend, FOR_METRIC},
    {&html_metric_segments, FOR_METRIC},
    {&html_mot, FOR_NPS},
    {&html_hic, FOR_NPS},
    {&html_peak_end, FOR_NPS},
    {&html_spend, FOR_NPS},
    {&html_agents, FOR_NPS},
    {&html_metric_agents, FOR_METRIC},
    {&html_say, FOR_NPS},
    {&html_verbatims, FOR_NPS},
    {&html_metric_nps_only, FOR_METRIC},
    {&html_quality, FOR_BOTH},
    {&html_methods, FOR_NPS},
    {&html_metric_methods, FOR_METRIC},
};

/* The terminal views. */
static const report_textview *const text_views[] = {
    &text_agents,
    &text_agents_csat,
    &text_agents_ces,
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* 1 when the analysis an output reads ran. */
static int ran(const stats_result *r, unsigned needs) { return (r->analyses & needs) == needs; }

/* 1 when an output of REPORT (FOR_*) belongs in R's report. */
static int shown(const stats_result *r, unsigned report)
{
    int metric = r->metric == STATS_METRIC_CSAT || r->metric == STATS_METRIC_CES;
    return (report & (metric ? FOR_METRIC : FOR_NPS)) != 0;
}

typedef struct csv_ctx {
    const report_csv *t;
    const stats_result *r;
} csv_ctx;

static int csv_rows(csv_writer *w, const void *ctx, char *err, size_t errlen)
{
    const csv_ctx *c = ctx;
    (void)err;
    (void)errlen;
    c->t->rows(w, c->r);
    return 0;
}

int report_csv_all(const stats_result *r, const char *outdir, char *err, size_t errlen)
{
    if (mkdir_p(outdir, err, errlen) != 0) return -1;
    for (size_t i = 0; i < COUNT(csv_outputs); i++) {
        const report_csv *t = csv_outputs[i].t;
        if (!ran(r, t->needs)) continue;
        if (r->metric_asked != STATS_METRIC_ALL && r->metric_asked != csv_outputs[i].metric) continue;
        csv_ctx c = {t, r};
        if (csvout_write(outdir, t->file, t->header, csv_rows, &c, err, errlen) != 0) return -1;
    }
    return 0;
}

static void sections(FILE *f, const stats_result *r, const charts *ch)
{
    for (size_t i = 0; i < COUNT(html_sections); i++)
        if (shown(r, html_sections[i].report) && ran(r, html_sections[i].t->needs))
            html_sections[i].t->write(f, r, ch);
}

int report_html(const stats_result *r, const char *outdir, report_warn_fn warn, void *ctx, char *err,
                size_t errlen)
{
    if (mkdir_p(outdir, err, errlen) != 0) return -1;
    charts *ch = charts_new(outdir, warn, ctx);
    char *path = path_join(outdir, "index.html");
    afile a;
    if (!ch || !path || afile_open(&a, path ? path : outdir, err, errlen) != 0) {
        if (!ch || !path) snprintf(err, errlen, "out of memory");
        charts_free(ch);
        free(path);
        return -1;
    }
    for (size_t i = 0; charts_enabled(ch) && i < COUNT(chart_outputs); i++)
        if (shown(r, chart_outputs[i].report) && ran(r, chart_outputs[i].t->needs))
            chart_outputs[i].t->draw(ch, r);
    html_page(a.f, r, ch, sections);
    int failed = charts_failed(ch);
    charts_free(ch);
    free(path);
    return afile_commit(&a, err, errlen) != 0 ? -1 : failed;
}

int report_text(const stats_result *r, const char *name, FILE *f, char *err, size_t errlen)
{
    for (size_t i = 0; i < COUNT(text_views); i++) {
        const report_textview *v = text_views[i];
        if (strcmp(v->name, name) != 0) continue;
        if (!ran(r, v->needs)) {
            snprintf(err, errlen, "%s: not computed by this run", name);
            return -1;
        }
        if (v->write(f, r) == 0) return 0;
        snprintf(err, errlen, "%s: write failed", name);
        return -1;
    }
    snprintf(err, errlen, "%s: no such view", name);
    return -1;
}
