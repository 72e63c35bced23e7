/* charts_nps.c — NPS trend with CI band, score distribution by class,
 * segments with error bars.  Scripts are fixed text written by the
 * program; data go to .dat files. */
#include "core/model.h"
#include "report/fmt.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void nps_trend(charts *ch, const stats_result *r)
{
    if (!charts_enabled(ch) || r->nps->n_trend == 0) return;
    charts_month *pts = malloc(r->nps->n_trend * sizeof *pts);
    if (!pts) return;
    double lo = INFINITY, hi = -INFINITY;
    size_t n = 0;
    for (size_t i = 0; i < r->nps->n_trend; i++) {
        const nps_trend_pt *t = &r->nps->trend[i];
        if (!t->row) continue;
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

/* Segments of dimension DIM in the report's month → segments_DIM. */
static void segments_of(charts *ch, const stats_result *r, size_t dim)
{
    char name[32];
    int month = r->nps->report_month;
    snprintf(name, sizeof name, "segments_%zu", dim);
    FILE *f = charts_data(ch, name);
    if (!f) return;
    size_t k = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < r->nps->n_rows && k < 40; i++) {
        const nps_row *row = &r->nps->rows[i];
        if (row->month != month || row->dim != dim) continue;
        char label[256];
        fmt_label(r, row->segment, label, sizeof label);
        charts_label(f, label);
        fprintf(f, "\t%.6f\t%.6f\t%.6f\n", row->e.nps, row->e.ci_low, row->e.ci_high);
        lo = fmin(lo, fmin(row->e.nps, row->e.ci_low));
        hi = fmax(hi, fmax(row->e.nps, row->e.ci_high));
        k++;
    }
    if (charts_data_close(ch, f) != 0 || k == 0) return;
    double y0, y1, step = charts_axis(lo, hi, 4, &y0, &y1);
    char body[640];
    snprintf(body, sizeof body,
             "set ylabel 'NPS'\nset yrange [%g:%g]\nset ytics %g\nset xrange [-0.7:%zu.7]\n"
             "set xtics rotate by -30\nunset key\n"
             "plot '%s.dat' using 0:2:3:4:xtic(1) with yerrorbars pt 7 ps 1.2 lw 1.5 lc rgb '#08519c'",
             y0, y1, step, k - 1, name);
    charts_plot(ch, name, 800, 440, body);
}

static void segments(charts *ch, const stats_result *r)
{
    for (size_t d = 1; d <= r->n_by; d++) segments_of(ch, r, d);
}

const report_chart chart_nps_trend = {"nps_trend", 0, nps_trend};
const report_chart chart_score_dist = {"score_dist", 0, score_dist};
const report_chart chart_segments = {"segments_N", 0, segments};
