/* outputs.c — the report's three tables (CSV files, charts, HTML
 * sections) and the loops over them.  A new output is its renderer in its
 * own file plus one row here (and its declaration in report/outputs.h).
 */
#include "report/report.h"
#include "core/afile.h"
#include "report/csvout.h"
#include "report/html.h"
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
    {&csv_nps, NPS}, {&csv_nps_change, NPS}, {&csv_drivers, NPS},
    {&csv_peak_end, NPS}, {&csv_mot, NPS}, {&csv_spend_delta, NPS}, {&csv_spend_tests, NPS},
    {&csv_pareto, NPS}, {&csv_hic, NPS},
    {&csv_agents, NPS}, {&csv_themes, NPS}, {&csv_verbatim_flags, NPS},
    {&csv_csat, CSAT}, {&csv_csat_change, CSAT}, {&csv_ces, CES}, {&csv_ces_change, CES},
    {&csv_agents_csat, CSAT}, {&csv_agents_ces, CES},
};
#undef NPS
#undef CSAT
#undef CES

/* Every chart, drawn before the page. */
static const report_chart *const chart_outputs[] = {
    &chart_nps_trend, &chart_score_dist, &chart_segments,
    &chart_peak_end, &chart_mot, &chart_spend, &chart_pareto,
    &chart_agents_caterpillar, &chart_agents_aht,
};

/* The sections of index.html, in page order. */
static const report_section *const html_sections[] = {
    &html_stale, &html_summary, &html_trend, &html_segments, &html_drivers,
    &html_metrics,
    &html_mot, &html_hic, &html_peak_end, &html_spend,
    &html_agents,
    &html_say, &html_verbatims, &html_quality, &html_methods,
};

/* The terminal views. */
static const report_textview *const text_views[] = {
    &text_agents, &text_agents_csat, &text_agents_ces,
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* 1 when the analysis an output reads ran. */
static int ran(const stats_result *r, unsigned needs)
{
    return (r->analyses & needs) == needs;
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
        if (ran(r, html_sections[i]->needs)) html_sections[i]->write(f, r, ch);
}

int report_html(const stats_result *r, const char *outdir, report_warn_fn warn, void *ctx,
                char *err, size_t errlen)
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
        if (ran(r, chart_outputs[i]->needs)) chart_outputs[i]->draw(ch, r);
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
        if (!ran(r, v->needs)) { snprintf(err, errlen, "%s: not computed by this run", name); return -1; }
        if (v->write(f, r) == 0) return 0;
        snprintf(err, errlen, "%s: write failed", name);
        return -1;
    }
    snprintf(err, errlen, "%s: no such view", name);
    return -1;
}
