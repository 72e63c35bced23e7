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

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static void sections(FILE *f, const stats_result *r, const charts *ch)
{
    for (size_t i = 0; i < COUNT(html_sections); i++)
        if (shown(r, html_sections[i].report) && ran(r, html_sections[i].t->needs))
            html_sections[i].t->write(f, r, ch);
}

/* A run's outputs, each written to its temporary file first and put in
 * place together by report_out_commit (core/afile.h, afile_group). */
struct report_out {
    char *outdir;
    afile_group files; /* the tables, what the caller adds, the charts */
    afile page;        /* index.html, finished: renamed last */
    int has_page;
    char *stage; /* OUTDIR/.charts.tmp.XXXXXX: the charts are drawn in its charts/ */
};

/* Seconds after which a run's temporary file in OUTDIR is another, killed
 * run's: a run writes its outputs in seconds, not hours. */
#define STALE_S 3600

/* 1 when NAME ends with ".tmp." and six more characters (afile_open's and
 * mkdtemp's XXXXXX). */
static int temp_name(const char *name)
{
    size_t n = strlen(name);
    return n > 11 && memcmp(name + n - 11, ".tmp.", 5) == 0;
}

static void stage_remove(report_out *o);

/* What killed runs left in OUTDIR (docs/formats.md, "All or none"): its
 * files NAME.tmp.XXXXXX and stages .charts.tmp.XXXXXX/charts/ older than
 * STALE_S, removed; a run under way now is younger and left alone. */
static void sweep_stale(const char *outdir)
{
    DIR *d = opendir(outdir);
    struct dirent *e;
    time_t now = time(NULL);
    while (d && (e = readdir(d)) != NULL) {
        struct stat st;
        if (!temp_name(e->d_name)) continue;
        char *p = path_join(outdir, e->d_name);
        if (p && lstat(p, &st) == 0 && now - st.st_mtime > STALE_S) {
            if (S_ISREG(st.st_mode)) {
                unlink(p);
            } else if (S_ISDIR(st.st_mode) && strncmp(e->d_name, ".charts.tmp.", 12) == 0) {
                report_out stale = {.stage = p};
                p = NULL;
                stage_remove(&stale); /* frees the path */
            }
        }
        free(p);
    }
    if (d) closedir(d);
}

report_out *report_out_new(const char *outdir, char *err, size_t errlen)
{
    if (mkdir_p(outdir, err, errlen) != 0) return NULL;
    sweep_stale(outdir);
    report_out *o = calloc(1, sizeof *o);
    if (o) o->outdir = strdup(outdir);
    if (!o || !o->outdir) {
        snprintf(err, errlen, "%s: out of memory", outdir);
        free(o);
        return NULL;
    }
    afile_group_init(&o->files);
    return o;
}

int report_out_csv(report_out *o, const stats_result *r, char *err, size_t errlen)
{
    for (size_t i = 0; i < COUNT(csv_outputs); i++) {
        const report_csv *t = csv_outputs[i].t;
        if (!ran(r, t->needs)) continue;
        if (r->metric_asked != STATS_METRIC_ALL && r->metric_asked != csv_outputs[i].metric) continue;
        char *path = path_join(o->outdir, t->file);
        afile a;
        if (!path) snprintf(err, errlen, "%s: out of memory", o->outdir);
        if (!path || afile_open(&a, path, err, errlen) != 0) {
            free(path);
            return -1;
        }
        csv_ctx c = {t, r};
        int rc = csvout_write_to(a.f, path, t->header, csv_rows, &c, err, errlen);
        if (rc == 0) rc = afile_group_add(&o->files, &a, err, errlen);
        else afile_abort(&a);
        free(path);
        if (rc != 0) return -1;
    }
    return 0;
}

int report_out_add(report_out *o, afile *a, char *err, size_t errlen)
{
    return afile_group_add(&o->files, a, err, errlen);
}

/* Removes the stage and whatever is left in it. */
static void stage_remove(report_out *o)
{
    if (!o->stage) return;
    char *dir = path_join(o->stage, "charts");
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char *p = path_join(dir, e->d_name);
        if (p) unlink(p);
        free(p);
    }
    if (d) closedir(d);
    if (dir) rmdir(dir);
    free(dir);
    rmdir(o->stage);
    free(o->stage);
    o->stage = NULL;
}

/* The charts drawn in the stage's charts/, each to go to OUTDIR/charts/
 * under its name.  0 ok, -1 with ERR. */
static int stage_take(report_out *o, char *err, size_t errlen)
{
    char *dir = path_join(o->stage, "charts"), *to_dir = path_join(o->outdir, "charts");
    DIR *d = dir && to_dir ? opendir(dir) : NULL;
    int rc = d ? 0 : -1;
    if (!d)
        snprintf(err, errlen, "%s: %s", dir ? dir : o->stage,
                 dir && to_dir ? strerror(errno) : "out of memory");
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char *from = path_join(dir, e->d_name), *to = path_join(to_dir, e->d_name);
        if (!from || !to) snprintf(err, errlen, "%s: out of memory", to_dir);
        rc = from && to ? afile_group_add_file(&o->files, from, to, err, errlen) : -1;
        free(from);
        free(to);
    }
    if (d) closedir(d);
    free(dir);
    free(to_dir);
    return rc;
}

/* 1 when OUTDIR is on the file system of ST (a rename between them works). */
static int same_device(const char *outdir, const struct stat *st)
{
    struct stat o;
    return stat(outdir, &o) == 0 && o.st_dev == st->st_dev;
}

/* The charts of OUTDIR, drawn in a stage (OUTDIR/.charts.tmp.XXXXXX) so
 * that none lands in OUTDIR/charts/ before the page does.  When charts/
 * cannot take the charts (not a real directory, not writable, another
 * file system), charts_new on OUTDIR says so as it always did (no chart
 * drawn).  NULL with ERR. */
static charts *stage_charts(report_out *o, report_warn_fn warn, void *ctx, char *err, size_t errlen)
{
    char *dir = path_join(o->outdir, "charts"), *stage = path_join(o->outdir, ".charts.tmp.XXXXXX");
    char why[512];
    struct stat st;
    charts *ch = NULL;
    if (!dir || !stage) {
        snprintf(err, errlen, "%s: out of memory", o->outdir);
    } else if (mkdir_p(dir, why, sizeof why) != 0 || lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
               access(dir, W_OK | X_OK) != 0 || !same_device(o->outdir, &st)) {
        /* charts/ cannot take the charts (a file, a link, a folder this
         * user may not write, another file system): drawn nowhere, said,
         * as charts_new does; the tables and the page still land */
        ch = charts_new(o->outdir, warn, ctx);
    } else if (!mkdtemp(stage)) {
        snprintf(err, errlen, "%s: %s", o->outdir, strerror(errno));
    } else {
        o->stage = stage;
        stage = NULL;
        ch = charts_new(o->stage, warn, ctx);
    }
    if (!ch && !err[0]) snprintf(err, errlen, "%s: out of memory", o->outdir);
    free(dir);
    free(stage);
    return ch;
}

int report_out_html(report_out *o, const stats_result *r, report_warn_fn warn, void *ctx, char *err,
                    size_t errlen)
{
    char *path = path_join(o->outdir, "index.html");
    if (!path) {
        snprintf(err, errlen, "%s: out of memory", o->outdir);
        return -1;
    }
    int rc = afile_open(&o->page, path, err, errlen);
    free(path);
    if (rc != 0) return -1;
    o->has_page = 1;
    err[0] = '\0';
    charts *ch = stage_charts(o, warn, ctx, err, errlen);
    if (!ch) return -1;
    for (size_t i = 0; charts_enabled(ch) && i < COUNT(chart_outputs); i++)
        if (shown(r, chart_outputs[i].report) && ran(r, chart_outputs[i].t->needs))
            chart_outputs[i].t->draw(ch, r);
    html_page(o->page.f, r, ch, sections);
    int failed = charts_failed(ch);
    charts_free(ch); /* the scripts and data join the charts */
    if (afile_finish(&o->page, err, errlen) != 0) {
        o->has_page = 0;
        return -1;
    }
    if (o->stage && stage_take(o, err, errlen) != 0) return -1;
    return failed;
}

int report_out_commit(report_out *o, char *err, size_t errlen)
{
    int rc = 0;
    if (o->has_page) { /* last: the page shows what is already there */
        rc = afile_group_add_file(&o->files, o->page.tmp, o->page.path, err, errlen);
        free(o->page.tmp);
        free(o->page.path);
        memset(&o->page, 0, sizeof o->page);
        o->has_page = 0;
    }
    if (rc == 0) rc = afile_group_commit(&o->files, err, errlen);
    stage_remove(o);
    return rc;
}

void report_out_free(report_out *o)
{
    if (!o) return;
    afile_group_abort(&o->files);
    if (o->has_page) afile_abort(&o->page);
    stage_remove(o);
    free(o->outdir);
    free(o);
}

int report_csv_all(const stats_result *r, const char *outdir, char *err, size_t errlen)
{
    report_out *o = report_out_new(outdir, err, errlen);
    int rc = o ? report_out_csv(o, r, err, errlen) : -1;
    if (rc == 0) rc = report_out_commit(o, err, errlen);
    report_out_free(o);
    return rc;
}

int report_html(const stats_result *r, const char *outdir, report_warn_fn warn, void *ctx, char *err,
                size_t errlen)
{
    report_out *o = report_out_new(outdir, err, errlen);
    int failed = o ? report_out_html(o, r, warn, ctx, err, errlen) : -1;
    if (failed >= 0 && report_out_commit(o, err, errlen) != 0) failed = -1;
    report_out_free(o);
    return failed;
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
