/* charts_metric.c — the charts of a CSAT or CES report: the metric by
 * month with its interval band, its segments with error bars, and the
 * agents' shrunk scores with their intervals.  Data go to .dat files
 * (labels through charts_label); the gnuplot scripts are fixed text
 * written by the program, holding only numbers it formats (charts.h).
 * SVG and PNG like the NPS charts; without gnuplot none is drawn.
 */
#include "core/xsort.h"
#include "report/fmt.h"
#include "report/html_metric_view.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Segments drawn per chart (the largest by answers when the month has
 * more, which the chart's title says) and agents with a label; labels are
 * cut to CHARTS_LABEL_CHARS characters, one 24-unit row a segment, as in the
 * NPS charts (report/charts_nps.c). */
#define SEGMENTS_MAX 30
#define AGENT_LABEL_MAX 60
#define ROW_UNITS 24

static const char *prefix(const metric_view *v) { return v->is_csat ? "csat" : "ces"; }

/* The y axis of values in [LO, HI] (the page's units): at most MAXN
 * steps of a round size, kept inside the scale (0..100% for CSAT, 1..7 for
 * CES), as the NPS charts do (report/charts_nps.c).  Writes "set ylabel
 * ...; set yrange ...; set ytics ..." into BUF: numbers the program
 * formats, never data. */
static void y_axis(const metric_view *v, double lo, double hi, int maxn, char *buf, size_t cap)
{
    double min = v->is_csat ? 0 : 1, max = v->is_csat ? 100 : 7;
    double y0, y1, step = charts_axis(lo, hi, maxn, &y0, &y1);
    snprintf(buf, cap, "set ylabel '%s'\nset yrange [%g:%g]\nset ytics %g\n",
             v->is_csat ? "CSAT, % satisfied" : "CES, mean effort (1-7)", fmax(y0, min), fmin(y1, max), step);
}

static void metric_trend(charts *ch, const stats_result *r)
{
    metric_view v;
    if (!charts_enabled(ch) || metric_view_of(r, &v) != 0) return;
    char name[32];
    snprintf(name, sizeof name, "%s_trend", prefix(&v));
    size_t n = metric_rows(r, &v), k = 0;
    charts_month *pts = n ? malloc(n * sizeof *pts) : NULL;
    if (!pts) return;
    double lo = INFINITY, hi = -INFINITY;
    int page = fmt_page_month(r); /* up to the page's month */
    for (size_t i = 0; i < n; i++) {
        metric_cell c = metric_row(r, &v, i);
        if (c.dim != 0 || !fmt_in_trend(c.month, page)) continue;
        /* an undefined interval (one answer) is drawn at the point */
        double a = v.scale * (isnan(c.lo) ? c.value : c.lo), b = v.scale * (isnan(c.hi) ? c.value : c.hi);
        pts[k++] = (charts_month){c.month, v.scale * c.value, a, b};
        lo = fmin(lo, a);
        hi = fmax(hi, b);
    }
    /* at most 5 steps on y; months on x by the calendar (charts_trend) */
    char axis[160];
    y_axis(&v, lo, hi, 5, axis, sizeof axis);
    if (k > 0) charts_trend(ch, name, pts, k, axis, r->confidence, v.name);
    free(pts);
}

/* A segment: its row of the metric's table and its answers. */
typedef struct seg_ref {
    size_t row;
    long long n;
} seg_ref;

/* Larger n first; the table's order between equals. */
static int by_n_desc(const void *a, const void *b)
{
    const seg_ref *x = a, *y = b;
    if (x->n != y->n) return x->n > y->n ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Segments of dimension DIM in the summary's month: one row each, in the
 * table's order (largest first when they are cut), the value and its
 * interval across. */
static void segments_of(charts *ch, const stats_result *r, const metric_view *v, size_t dim)
{
    size_t n = metric_rows(r, v), all = 0;
    seg_ref *seg = n ? malloc(n * sizeof *seg) : NULL;
    if (!seg) return;
    for (size_t i = 0; i < n; i++) {
        metric_cell c = metric_row(r, v, i);
        if (c.month == v->sum->month && c.dim == dim) seg[all++] = (seg_ref){i, c.n};
    }
    size_t k = all;
    if (k > SEGMENTS_MAX) {
        cx_qsort(seg, k, sizeof *seg, by_n_desc);
        k = SEGMENTS_MAX;
    }
    char name[48];
    snprintf(name, sizeof name, "%s_segments_%zu", prefix(v), dim);
    FILE *f = k ? charts_data(ch, name) : NULL;
    if (!f) {
        free(seg);
        return;
    }
    size_t chars = 4; /* the x axis's first number, centred on the axis */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        metric_cell c = metric_row(r, v, seg[i].row);
        char label[256];
        fmt_label(r, c.segment, label, sizeof label);
        size_t w = charts_label_fit(f, label);
        if (w > chars) chars = w;
        double a = v->scale * (isnan(c.lo) ? c.value : c.lo), b = v->scale * (isnan(c.hi) ? c.value : c.hi);
        fprintf(f, "\t%.6f\t%.6f\t%.6f\n", v->scale * c.value, a, b);
        lo = fmin(lo, a);
        hi = fmax(hi, b);
    }
    free(seg);
    if (charts_data_close(ch, f) != 0) return;
    /* The value's axis across (at most 4 steps), written as y_axis
     * writes it for y; numbers the program formats and fixed text only. */
    double min = v->is_csat ? 0 : 1, max = v->is_csat ? 100 : 7;
    double x0, x1, step = charts_axis(lo, hi, 4, &x0, &x1);
    char title[64] = "set tmargin 1\n";
    if (all > k) snprintf(title, sizeof title, "set title 'largest %zu of %zu segments'\n", k, all);
    char body[900];
    snprintf(body, sizeof body,
             "%sunset grid\nset grid xtics\nset xlabel '%s'\nset xrange [%g:%g]\nset xtics %g\n"
             "set yrange [%zu.6:-0.6]\nset ytics nomirror scale 0\nset lmargin at screen %.4f\n"
             "set rmargin 3\nunset key\n"
             "plot '%s.dat' using 2:0:3:4:ytic(1) with xerrorbars pt 7 ps 1.2 lw 1.5 lc rgb '#08519c'",
             title, v->is_csat ? "CSAT, % satisfied" : "CES, mean effort (1-7)", fmax(x0, min), fmin(x1, max),
             step, k - 1, charts_label_margin(chars), name);
    /* The SVG 520 units wide (charts.c), the PNG 800 px as before. */
    int h = 100 + ROW_UNITS * (int)k + (all > k ? 40 : 0);
    charts_plot(ch, name, 800, (h * 800 + 260) / 520, body);
}

static void metric_segments(charts *ch, const stats_result *r)
{
    metric_view v;
    if (metric_view_of(r, &v) != 0 || !v.sum || !v.sum->month) return;
    for (size_t d = 1; d <= r->n_by; d++) segments_of(ch, r, &v, d);
}

/* Agents in the table's order (best first), drawn bottom to top, with
 * the population's score as a dashed line. */
static void metric_agents(charts *ch, const stats_result *r)
{
    metric_view v;
    if (metric_view_of(r, &v) != 0 || !v.agents || v.agents->n_rows == 0) return;
    const agent_metric_table *t = v.agents;
    char name[32], pop[40];
    snprintf(name, sizeof name, "%s_agents", prefix(&v));
    snprintf(pop, sizeof pop, "%s_agents_pop", prefix(&v));
    FILE *f = charts_data(ch, name);
    if (!f) return;
    size_t n = t->n_rows, chars = 4; /* at least the x axis's first number */
    for (size_t i = n; i-- > 0;) {
        const agent_metric_row *a = &t->rows[i];
        /* the tier's colour: clearly above, typical, clearly below, unranked */
        int colour = a->rank_feedback == 0 ? 0x999999
                     : a->tier > 0         ? 0x1a7f37
                     : a->tier < 0         ? 0xcf222e
                                           : 0x57606a;
        fprintf(f, "%.6f\t%zu\t%.6f\t%.6f\t", v.scale * a->shrunk, n - 1 - i, v.scale * a->ci_low,
                v.scale * a->ci_high);
        size_t w = charts_label_fit(f, a->agent_id);
        if (w > chars) chars = w;
        fprintf(f, "\t%d\n", colour);
    }
    if (charts_data_close(ch, f) != 0) return;
    FILE *p = charts_data(ch, pop);
    if (!p) return;
    fprintf(p, "%.6f\t-1\n%.6f\t%zu\n", v.scale * t->prior_mean, v.scale * t->prior_mean, n);
    if (charts_data_close(ch, p) != 0) return;
    /* Sized for the page's 520-unit SVG (charts.c): one 17-unit label a
     * 24-unit row, a left margin that holds the longest label shown; the
     * key names the tiers' colours, one entry a line (the plot beside the
     * labels is too narrow for two columns of it). */
    char body[1400];
    snprintf(body, sizeof body,
             "set xlabel 'shrunk %s (empirical Bayes)'\nset lmargin at screen %.4f\n%s"
             "set offsets graph 0.03, graph 0.03, 1, 1\nset grid xtics\nset rmargin 3\n"
             "set key tmargin center horizontal Left reverse maxcols 2 samplen 1\n%s"
             "plot '%s.dat' using 1:2:3:4:6%s with xerrorbars pt 7 ps 0.6 lc rgb variable notitle, "
             "NaN with points pt 7 lc rgb '#1a7f37' title 'clearly above', "
             "NaN with points pt 7 lc rgb '#57606a' title 'typical', "
             "NaN with points pt 7 lc rgb '#cf222e' title 'clearly below', "
             "NaN with points pt 7 lc rgb '#999999' title 'too few answers', "
             "'%s.dat' using 1:2 with lines dt 2 lw 2 lc rgb '#0550ae' title 'population'",
             v.name, charts_label_margin(n <= AGENT_LABEL_MAX ? chars : 4),
             v.is_csat ? "set xrange [0:100]\n" : "set xrange [1:7]\n",
             n <= AGENT_LABEL_MAX ? "set ytics nomirror\n" : "set ytics format ''\n", name,
             n <= AGENT_LABEL_MAX ? ":ytic(5)" : "", pop);
    charts_plot(ch, name, 520, n <= AGENT_LABEL_MAX ? 260 + 24 * (int)n : 720, body);
}

const report_chart chart_metric_trend = {"metric_trend", 0, metric_trend};
const report_chart chart_metric_segments = {"metric_segments_N", 0, metric_segments};
const report_chart chart_metric_agents = {"metric_agents", STATS_RUN_AGENTS, metric_agents};
