/* charts_cx.c — the CX charts (gnuplot through report/charts.h): mean score
 * by peak-end and by moments mean, MoT NPS by type with error bars, spend
 * delta by group with CIs, and the Pareto (Lorenz) curve with the HIC cut.
 * Every value and label goes into a .dat file; the scripts are fixed text.
 */
#include "report/fmt.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Every chart is drawn for the page's 520-unit SVG (charts.c) with
 * 17-unit text; the heights give that text room.  Labels down the side
 * (types, groups, dimensions) are cut to CHARTS_LABEL_CHARS characters, as
 * in the segment charts (report/charts_nps.c), one ROW_UNITS row each. */
#define CHART_W 520
#define ROW_UNITS 30

/* The runner sets terminal and output; each script starts with this. */
#define SCRIPT_HEAD                    \
    "set datafile separator \"\\t\"\n" \
    "set datafile missing \"?\"\n"     \
    "set termoption noenhanced\n"      \
    "set grid ytics\n"

/* A number column; "?" (gnuplot's missing marker here) for NaN. */
static void put_num(FILE *f, double v)
{
    if (isfinite(v)) fprintf(f, "\t%.10g", v);
    else fputs("\t?", f);
}

/* A value with its interval, ending the data line. */
static void put_interval(FILE *f, double v, double lo, double hi)
{
    put_num(f, v);
    put_num(f, lo);
    put_num(f, hi);
    fputc('\n', f);
}

/* Closes the (last) data file F of chart NAME and draws it H units high
 * with SCRIPT.  1 when drawn. */
static int plot(charts *ch, FILE *f, const char *name, int h, const char *script)
{
    if (charts_data_close(ch, f) != 0) return 0;
    return charts_plot(ch, name, CHART_W, h, script);
}

static int cx_chart_peak_end(charts *ch, const cx_results *r)
{
    if (!ch || !charts_enabled(ch) || r->n_bins == 0) return 0;
    int any = 0;
    for (size_t i = 0; i < r->n_bins; i++) any |= r->bins[i].n_peak_end > 0;
    if (!any) return 0;
    FILE *f = charts_data(ch, "cx_peak_end");
    if (!f) return 0;
    for (size_t i = 0; i < r->n_bins; i++) {
        const cx_bin *b = &r->bins[i];
        fprintf(f, "%.10g", b->x);
        put_num(f, b->score_peak_end);
        put_num(f, b->score_mean);
        fprintf(f, "\t%lld\t%lld\n", (long long)b->n_peak_end, (long long)b->n_mean);
    }
    /* No title (the section heads the chart); the key above the plot,
     * out of the lines' way; sized for the page's 520-unit SVG. */
    return plot(
        ch, f, "cx_peak_end", 360,
        SCRIPT_HEAD
        "set xlabel \"moment rating (half-point bins)\"\n"
        "set ylabel \"mean score (0-10)\"\n"
        "set yrange [0:10]\nset ytics 0,2,10\n"
        "set xtics 1,0.5\nset rmargin 3\n"
        "set key outside top center horizontal samplen 2\n"
        "plot \"cx_peak_end.dat\" using 1:2 with linespoints pt 7 lw 2 title \"by peak-end\", \\\n"
        "     \"cx_peak_end.dat\" using 1:3 with linespoints pt 5 lw 2 dt 2 title \"by mean of moments\"\n");
}

/* One row a type, then routine responses for comparison, top to bottom:
 * the NPS as a bar from zero with its interval, the type's name at the
 * left. */
static int cx_chart_mot(charts *ch, const cx_results *r, const stats_result *res)
{
    if (!ch || !charts_enabled(ch) || r->n_mot == 0) return 0;
    FILE *f = charts_data(ch, "cx_mot");
    if (!f) return 0;
    size_t chars = 4; /* the x axis's first number, centred on the axis */
    for (size_t i = 0; i <= r->n_mot; i++) {
        char label[256];
        fmt_label(res, i < r->n_mot ? r->mot[i].type : "routine", label, sizeof label);
        const nps_est *e = i < r->n_mot ? &r->mot[i].nps : &r->routine_nps;
        fprintf(f, "%zu\t", i);
        size_t c = charts_label_fit(f, label);
        if (c > chars) chars = c;
        put_interval(f, e->nps, e->ci_low, e->ci_high);
    }
    /* No title (the section heads the chart); numbers the program
     * formats and fixed text only. */
    char body[1024];
    snprintf(body, sizeof body,
             SCRIPT_HEAD
             "unset grid\nset grid xtics\n"
             "set xlabel \"NPS\"\n"
             "set xrange [-100:100]\nset xtics 50\n"
             "set yrange [%zu.6:-0.6]\nset ytics nomirror scale 0\n"
             "set lmargin at screen %.4f\nset rmargin 3\nunset key\n"
             "set style fill solid 0.4\n"
             "plot \"cx_mot.dat\" using ($3 / 2):1:(abs($3) / 2):(0.3):ytic(2) with boxxyerror, \\\n"
             "     \"cx_mot.dat\" using 3:1:4:5 with xerrorbars pt 7 lc rgb \"black\"\n",
             r->n_mot, charts_label_margin(chars));
    return plot(ch, f, "cx_mot", 100 + ROW_UNITS * (int)(r->n_mot + 1), body);
}

/* One row a group, top to bottom in the run's order, under a heading row
 * that names its dimension (written inside the plot, at its left edge);
 * each group's mean delta drawn across with its interval.  Sized for the
 * page's 520-unit SVG (charts.c): one 17-unit label a 26-unit row, at
 * most 5 steps on the x axis. */
static int cx_chart_spend(charts *ch, const cx_results *r, const stats_result *res)
{
    if (!ch || !charts_enabled(ch)) return 0;
    size_t shown = 0;
    for (size_t i = 0; i < r->n_spend; i++) shown += r->spend[i].n > 0;
    if (shown == 0) return 0;
    FILE *f = charts_data(ch, "cx_spend");
    FILE *d = charts_data(ch, "cx_spend_dims");
    if (!f || !d) {
        if (f) charts_data_close(ch, f);
        if (d) charts_data_close(ch, d);
        return 0;
    }
    int y = -1;
    size_t chars = 4;      /* the x axis's first number, centred on the axis */
    double lo = 0, hi = 0; /* the axis keeps zero in view */
    const char *dim = NULL;
    for (size_t i = 0; i < r->n_spend; i++) {
        const cx_spend_row *s = &r->spend[i];
        if (s->n == 0) continue;
        char label[256];
        if (!dim || strcmp(dim, s->group_by) != 0) {
            dim = s->group_by;
            fmt_label(res, dim, label, sizeof label);
            fprintf(d, "%d\t", ++y);
            charts_label_fit(d, label); /* inside the plot, which is wider */
            fputc('\n', d);
        }
        double l = isnan(s->ci_low) ? s->mean_delta : s->ci_low;
        double h = isnan(s->ci_high) ? s->mean_delta : s->ci_high;
        fmt_label(res, s->group, label, sizeof label);
        fprintf(f, "%d\t", ++y);
        size_t c = charts_label_fit(f, label);
        if (c > chars) chars = c;
        put_interval(f, s->mean_delta, l, h);
        if (isfinite(l)) lo = fmin(lo, l);
        if (isfinite(h)) hi = fmax(hi, h);
    }
    int bad = charts_data_close(ch, d) != 0;
    if (charts_data_close(ch, f) != 0 || bad) return 0;
    /* Steps at least 70 units apart on the plot the labels leave (its
     * numbers, like "-1500", stay apart), at most 5. */
    double plot_w = CHART_W * (1 - charts_label_margin(chars)) - 36;
    int steps = plot_w / 70 < 2 ? 2 : plot_w / 70 > 5 ? 5 : (int)(plot_w / 70);
    double x0, x1, step = charts_axis(lo, hi, steps, &x0, &x1);
    /* Fixed text and numbers the program formats; labels stay in the data. */
    char body[1024];
    snprintf(body, sizeof body,
             SCRIPT_HEAD "unset grid\nset grid xtics\n"
                         "set xlabel \"mean spend after minus before\"\n"
                         "set xrange [%g:%g]\nset xtics %g\n"
                         "set yrange [%d.6:-0.6]\nset ytics nomirror scale 0\n"
                         "set yzeroaxis lt -1\nunset key\nset lmargin at screen %.4f\nset rmargin 3\n"
                         "plot \"cx_spend.dat\" using 3:1:4:5:ytic(2) with xerrorbars pt 7 ps 1.1 "
                         "lc rgb \"#08519c\", \\\n"
                         "     \"cx_spend_dims.dat\" using (%g):1:2 with labels left offset 0.4,0 "
                         "tc rgb \"#1f2328\"\n",
             x0, x1, step, y, charts_label_margin(chars), x0);
    return charts_plot(ch, "cx_spend", CHART_W, 100 + 26 * (y + 1), body);
}

static int cx_chart_pareto(charts *ch, const cx_results *r)
{
    if (!ch || !charts_enabled(ch) || r->n_curve == 0) return 0;
    FILE *f = charts_data(ch, "cx_pareto");
    if (!f) return 0;
    for (size_t i = 0; i < r->n_curve; i++) {
        fprintf(f, "%.10g", 100.0 * r->curve[i].customer_share);
        put_num(f, 100.0 * r->curve[i].revenue_share);
        fputc('\n', f);
    }
    if (charts_data_close(ch, f) != 0) return 0;
    /* The HIC cut is data too: a vertical segment in its own file. */
    FILE *c = charts_data(ch, "cx_pareto_cut");
    if (!c) return 0;
    fprintf(c, "%.10g\t0\n%.10g\t100\n", 100.0 * r->hic_cut, 100.0 * r->hic_cut);
    /* No title (the section heads the chart); the key in the empty
     * corner under the diagonal, off the curves. */
    return plot(
        ch, c, "cx_pareto", 380,
        SCRIPT_HEAD
        "set xlabel \"top customers by yearly value (%)\"\n"
        "set ylabel \"share of revenue (%)\"\n"
        "set xrange [0:100]\n"
        "set yrange [0:100]\nset xtics 20\nset ytics 20\nset rmargin 3\n"
        "set key inside bottom right Left reverse samplen 2\n"
        "plot \"cx_pareto.dat\" using 1:2 with lines lw 2 title \"cumulative share\", \\\n"
        "     x with lines dt 2 lc rgb \"gray\" title \"equal shares\", \\\n"
        "     \"cx_pareto_cut.dat\" using 1:2 with lines lw 2 lc rgb \"red\" title \"high-impact cut\"\n");
}

/* Each chart is drawn when its section shows it (report/html_cx.c). */
static void draw_peak_end(charts *ch, const stats_result *res)
{
    const cx_results *r = res->cx;
    if (r->n_peak > 0 && r->peak[0].n > 0) cx_chart_peak_end(ch, r);
}

static void draw_mot(charts *ch, const stats_result *res)
{
    if (res->cx->n_mot > 0) cx_chart_mot(ch, res->cx, res);
}

static void draw_spend(charts *ch, const stats_result *res)
{
    if (res->cx->cover.has_spend && res->cx->cover.spend_used > 0) cx_chart_spend(ch, res->cx, res);
}

static void draw_pareto(charts *ch, const stats_result *res)
{
    if (res->cx->n_customers > 0) cx_chart_pareto(ch, res->cx);
}

const report_chart chart_peak_end = {"cx_peak_end", STATS_RUN_CX, draw_peak_end};
const report_chart chart_mot = {"cx_mot", STATS_RUN_CX, draw_mot};
const report_chart chart_spend = {"cx_spend", STATS_RUN_CX, draw_spend};
const report_chart chart_pareto = {"cx_pareto", STATS_RUN_CX, draw_pareto};
