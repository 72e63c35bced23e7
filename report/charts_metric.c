/* charts_metric.c — the charts of a CSAT or CES report: the metric by
 * month with its interval band, its segments with error bars, and the
 * agents' shrunk scores with their intervals.  Data go to .dat files
 * (labels through charts_label); the gnuplot scripts are fixed text
 * written by the program, holding only numbers it formats (charts.h).
 * SVG and PNG like the NPS charts; without gnuplot none is drawn.
 */
#include "report/fmt.h"
#include "report/html_metric_view.h"
#include "report/outputs.h"
#include "core/timeparse.h"

#include <math.h>
#include <stdio.h>

/* Segments drawn per chart and agents with a label. */
#define SEGMENTS_MAX 40
#define AGENT_LABEL_MAX 60

static const char *prefix(const metric_view *v)
{
    return v->is_csat ? "csat" : "ces";
}

/* The y axis: 0..100% for CSAT, the 1..7 scale for CES. */
static const char *axis(const metric_view *v)
{
    return v->is_csat ? "set ylabel 'CSAT, % satisfied'\nset yrange [0:100]\n"
                      : "set ylabel 'CES, mean effort (1-7)'\nset yrange [1:7]\n";
}

static void metric_trend(charts *ch, const stats_result *r)
{
    metric_view v;
    if (metric_view_of(r, &v) != 0) return;
    char name[32];
    snprintf(name, sizeof name, "%s_trend", prefix(&v));
    FILE *f = charts_data(ch, name);
    if (!f) return;
    size_t n = metric_rows(r, &v), k = 0;
    for (size_t i = 0; i < n; i++) {
        metric_cell c = metric_row(r, &v, i);
        if (c.dim != 0 || c.month == 0) continue;
        char m[16];
        month_format(c.month, m);
        /* an undefined interval (one answer) is drawn at the point */
        fprintf(f, "%s\t%.6f\t%.6f\t%.6f\n", m, v.scale * c.value, v.scale * (isnan(c.lo) ? c.value : c.lo),
                v.scale * (isnan(c.hi) ? c.value : c.hi));
        k++;
    }
    if (charts_data_close(ch, f) != 0 || k == 0) return;
    char body[768];
    snprintf(body, sizeof body,
             "%sset xtics rotate by -45\nset rmargin 8\nset key outside bottom center horizontal\n"
             "plot '%s.dat' using 0:3:4 with filledcurves fc rgb '#c6dbef' fs solid 0.6 "
             "title '%.0f%% interval', '' using 0:2:xtic(1) with linespoints lw 2 pt 7 lc rgb '#08519c' title '%s'",
             axis(&v), name, r->confidence * 100, v.name);
    charts_plot(ch, name, 900, 380, body);
}

static void segments_of(charts *ch, const stats_result *r, const metric_view *v, size_t dim)
{
    char name[48];
    snprintf(name, sizeof name, "%s_segments_%zu", prefix(v), dim);
    FILE *f = charts_data(ch, name);
    if (!f) return;
    size_t n = metric_rows(r, v), k = 0;
    for (size_t i = 0; i < n && k < SEGMENTS_MAX; i++) {
        metric_cell c = metric_row(r, v, i);
        if (c.month != v->sum->month || c.dim != dim) continue;
        char label[256];
        fmt_label(r, c.segment, label, sizeof label);
        charts_label(f, label);
        fprintf(f, "\t%.6f\t%.6f\t%.6f\n", v->scale * c.value, v->scale * (isnan(c.lo) ? c.value : c.lo),
                v->scale * (isnan(c.hi) ? c.value : c.hi));
        k++;
    }
    if (charts_data_close(ch, f) != 0 || k == 0) return;
    char body[768];
    snprintf(body, sizeof body,
             "%sset xrange [-0.7:%zu.7]\n"
             "set xtics rotate by -30\nunset key\n"
             "plot '%s.dat' using 0:2:3:4:xtic(1) with yerrorbars pt 7 ps 1.2 lw 1.5 lc rgb '#08519c'",
             axis(v), k - 1, name);
    charts_plot(ch, name, 800, 340, body);
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
    size_t n = t->n_rows;
    for (size_t i = n; i-- > 0;) {
        const agent_metric_row *a = &t->rows[i];
        fprintf(f, "%.6f\t%zu\t%.6f\t%.6f\t", v.scale * a->shrunk, n - 1 - i, v.scale * a->ci_low,
                v.scale * a->ci_high);
        charts_label(f, a->agent_id);
        fputc('\n', f);
    }
    if (charts_data_close(ch, f) != 0) return;
    FILE *p = charts_data(ch, pop);
    if (!p) return;
    fprintf(p, "%.6f\t-1\n%.6f\t%zu\n", v.scale * t->prior_mean, v.scale * t->prior_mean, n);
    if (charts_data_close(ch, p) != 0) return;
    char body[1024];
    snprintf(body, sizeof body,
             "set xlabel '%s (empirical-Bayes, shrunk toward the population)'\n%s"
             "set offsets graph 0.03, graph 0.03, 1, 1\nset grid xtics\nset key outside bottom center horizontal\n%s"
             "plot '%s.dat' using 1:2:3:4%s with xerrorbars pt 7 ps 0.6 lc rgb '#57606a' title 'agents', "
             "'%s.dat' using 1:2 with lines dt 2 lw 2 lc rgb '#0550ae' title 'population'",
             v.name, v.is_csat ? "set xrange [0:100]\n" : "set xrange [1:7]\n",
             n <= AGENT_LABEL_MAX ? "set ytics nomirror\n" : "set ytics format ''\n", name,
             n <= AGENT_LABEL_MAX ? ":ytic(5)" : "", pop);
    charts_plot(ch, name, 800, n <= AGENT_LABEL_MAX ? (int)(n < 10 ? 300 : 160 + 14 * n) : 600, body);
}

const report_chart chart_metric_trend = { "metric_trend", 0, metric_trend };
const report_chart chart_metric_segments = { "metric_segments_N", 0, metric_segments };
const report_chart chart_metric_agents = { "metric_agents", STATS_RUN_AGENTS, metric_agents };
