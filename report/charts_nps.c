/* charts_nps.c — NPS trend with CI band, score distribution by class,
 * segments with error bars.  Scripts are fixed text written by the
 * program; data go to .dat files. */
#include "core/model.h"
#include "core/xsort.h"
#include "report/fmt.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void nps_trend(charts *ch, const stats_result *r)
{
    if (!charts_enabled(ch) || r->nps->n_trend == 0) return;
    charts_month *pts = malloc(r->nps->n_trend * sizeof *pts);
    if (!pts) return;
    double lo = INFINITY, hi = -INFINITY;
    size_t n = 0;
    int page = fmt_page_month(r); /* up to the page's month */
    for (size_t i = 0; i < r->nps->n_trend; i++) {
        const nps_trend_pt *t = &r->nps->trend[i];
        if (!t->row || !fmt_in_trend(t->month, page)) continue;
        pts[n++] = (charts_month){t->month, t->row->e.nps, t->row->e.ci_low, t->row->e.ci_high};
        lo = fmin(lo, fmin(t->row->e.nps, t->row->e.ci_low));
        hi = fmax(hi, fmax(t->row->e.nps, t->row->e.ci_high));
    }
    /* Axes from the run's own numbers (the page computes no statistic):
     * at most 5 steps on y; months on x by the calendar (charts_trend). */
    double y0, y1, step = charts_axis(lo, hi, 5, &y0, &y1);
    char head[160];
    snprintf(head, sizeof head, "set ylabel 'NPS'\nset yrange [%g:%g]\nset ytics %g\n", y0, y1, step);
    if (n > 0) charts_trend(ch, "nps_trend", pts, n, head, r->confidence, "NPS");
    free(pts);
}

static void score_dist(charts *ch, const stats_result *r)
{
    FILE *f = charts_data(ch, "score_dist");
    if (!f) return;
    const long long *h = r->nps->score_hist;
    long long top = 0;
    for (int s = 0; s <= 10; s++) {
        fprintf(f, "%d\t%lld\t%d\n", s, h[s],
                cx_nps_class(s) > 0    ? 0x2ca25f
                : cx_nps_class(s) == 0 ? 0xbdbdbd
                                       : 0xde2d26);
        if (h[s] > top) top = h[s];
    }
    if (charts_data_close(ch, f) != 0) return;
    /* at most 4 steps on y, whole responses */
    double step = fmax(1.0, charts_nice_step((double)top, 4));
    char body[640];
    snprintf(body, sizeof body,
             "set boxwidth 0.8\nset style fill solid 0.9\nset xrange [-0.6:10.6]\nset xtics 0,1,10\n"
             "set yrange [0:%g]\nset ytics %g\nset ylabel 'responses'\nset xlabel 'score'\n"
             "set key tmargin center horizontal Left reverse samplen 1\n"
             "plot 'score_dist.dat' using 1:2:3 with boxes lc rgb variable notitle, "
             "NaN with boxes lc rgb '#de2d26' title 'detractor', "
             "NaN with boxes lc rgb '#bdbdbd' title 'passive', "
             "NaN with boxes lc rgb '#2ca25f' title 'promoter'",
             fmax(step, ceil((double)top / step) * step), step);
    charts_plot(ch, "score_dist", 700, 420, body);
}

/* A segment chart has one 24-unit row a segment, its label at the left:
 * at most SEGMENTS_MAX rows (the largest segments by responses when the
 * month has more, which the chart's title says).  Labels are cut to
 * CHARTS_LABEL_CHARS characters: 20 characters of 17-unit text take about
 * 220 of the SVG's 520 units and leave the plot the rest. */
#define SEGMENTS_MAX 30
#define ROW_UNITS 24

/* Larger n first; the run's order between equals. */
static int by_n_desc(const void *a, const void *b)
{
    const nps_row *x = *(const nps_row *const *)a, *y = *(const nps_row *const *)b;
    if (x->e.n != y->e.n) return x->e.n > y->e.n ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Segments of dimension DIM in the report's month → segments_DIM: one
 * row each, in the run's order (largest first when they are cut), the
 * NPS and its interval across. */
static void segments_of(charts *ch, const stats_result *r, size_t dim)
{
    const nps_row *rows = r->nps->rows;
    size_t all = 0;
    for (size_t i = 0; i < r->nps->n_rows; i++)
        all += rows[i].month == r->nps->report_month && rows[i].dim == dim;
    const nps_row **seg = all ? malloc(all * sizeof *seg) : NULL;
    if (!seg) return;
    size_t k = 0;
    for (size_t i = 0; i < r->nps->n_rows; i++)
        if (rows[i].month == r->nps->report_month && rows[i].dim == dim) seg[k++] = &rows[i];
    if (k > SEGMENTS_MAX) {
        cx_qsort(seg, k, sizeof *seg, by_n_desc);
        k = SEGMENTS_MAX;
    }
    char name[32];
    snprintf(name, sizeof name, "segments_%zu", dim);
    FILE *f = charts_data(ch, name);
    if (!f) {
        free(seg);
        return;
    }
    size_t chars = 4; /* the x axis's first number, centred on the axis */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        char label[256];
        fmt_label(r, seg[i]->segment, label, sizeof label);
        size_t c = charts_label_fit(f, label);
        if (c > chars) chars = c;
        const nps_est *e = &seg[i]->e;
        fprintf(f, "\t%.6f\t%.6f\t%.6f\n", e->nps, e->ci_low, e->ci_high);
        lo = fmin(lo, fmin(e->nps, e->ci_low));
        hi = fmax(hi, fmax(e->nps, e->ci_high));
    }
    free(seg);
    if (charts_data_close(ch, f) != 0 || k == 0) return;
    /* Numbers the program formats and fixed text only; at most 4 steps
     * on x, so that their numbers stay apart on the narrowest plot. */
    char title[96] = "set tmargin 1\n"; /* room for two 20-digit counts */
    if (all > k) snprintf(title, sizeof title, "set title 'largest %zu of %zu segments'\n", k, all);
    double x0, x1, step = charts_axis(lo, hi, 4, &x0, &x1);
    char body[768];
    snprintf(body, sizeof body,
             "%sunset grid\nset grid xtics\nset xlabel 'NPS'\nset xrange [%g:%g]\nset xtics %g\n"
             "set yrange [%zu.6:-0.6]\nset ytics nomirror scale 0\nset lmargin at screen %.4f\n"
             "set rmargin 3\nunset key\n"
             "plot '%s.dat' using 2:0:3:4:ytic(1) with xerrorbars pt 7 ps 1.2 lw 1.5 lc rgb '#08519c'",
             title, x0, x1, step, k - 1, charts_label_margin(chars), name);
    /* The SVG 520 units wide (charts.c), the PNG 800 px as before. */
    int h = 100 + ROW_UNITS * (int)k + (all > k ? 40 : 0);
    charts_plot(ch, name, 800, (h * 800 + 260) / 520, body);
}

static void segments(charts *ch, const stats_result *r)
{
    for (size_t d = 1; d <= r->n_by; d++) segments_of(ch, r, d);
}

const report_chart chart_nps_trend = {"nps_trend", 0, nps_trend};
const report_chart chart_score_dist = {"score_dist", 0, score_dist};
const report_chart chart_segments = {"segments_N", 0, segments};
