/* charts_agents.c — the agent caterpillar (shrunk NPS ± interval, sorted,
 * coloured by tier, population NPS as a line) and the AHT-vs-feedback scatter.  Data go to
 * .dat files; the gnuplot scripts are fixed text (charts.h).
 */
#include "report/outputs.h"
#include "core/xsort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Above this many agents the caterpillar drops its per-agent labels. */
#define CAT_LABEL_MAX 60
/* Agent ids (often e-mail addresses) are cut to this many characters: 20
 * characters of 17-unit text take about 220 of the SVG's 520 units and
 * leave the plot the rest (as the segment charts, report/charts_nps.c). */

static const char cat_common[] = "set datafile separator \"\\t\"\n"
                                 "set termoption noenhanced\n"
                                 "set xlabel \"shrunk NPS (empirical Bayes)\"\n"
                                 "set offsets graph 0.03, graph 0.03, 1, 1\n"
                                 "set grid xtics\n"
                                 "set key tmargin center horizontal Left reverse maxcols 2 samplen 1.5\n";

/* One series per tier (clearly above / typical / clearly below the
 * population, and unranked), so the colours and the key say the tier. */
/* Left as written by clang-format, which would line the pieces of these
 * strings up on the macro's arguments, hundreds of columns wide. */
/* clang-format off */
#define CAT_SERIES(using, ps) \
    "plot 'agents_caterpillar_above.dat' using " using " with xerrorbars pt 7 ps " ps " " \
    "lc rgb \"#1a7f37\" title \"clearly above\", \\\n" \
    "     'agents_caterpillar.dat' using " using " with xerrorbars pt 7 ps " ps " " \
    "lc rgb \"#57606a\" title \"typical\", \\\n" \
    "     'agents_caterpillar_below.dat' using " using " with xerrorbars pt 7 ps " ps " " \
    "lc rgb \"#cf222e\" title \"clearly below\", \\\n" \
    "     'agents_caterpillar_few.dat' using " using " with xerrorbars pt 6 ps " ps " " \
    "lc rgb \"#999999\" title \"too few responses\", \\\n" \
    "     'agents_pop.dat' using 1:2 with lines dt 2 lw 2 lc rgb \"#0550ae\" " \
    "title \"population NPS\"\n"

static const char cat_plot_labelled[] =
    "set ytics nomirror\n"
    CAT_SERIES("2:1:3:4:ytic(5)", "0.6");

static const char cat_plot_plain[] =
    "set ytics format \"\"\n"
    "set ylabel \"agents, sorted by shrunk NPS\"\n"
    CAT_SERIES("2:1:3:4", "0.3");
/* clang-format on */

/* No title (the section heads the chart), handle time as m:ss; the axes'
 * ranges and steps are numbers the program formats (at most 5 steps a
 * side, so 17-unit labels never touch on the page's 520-unit SVG). */
static const char scatter_script[] =
    "set datafile separator \"\\t\"\n"
    "set termoption noenhanced\n"
    "set xlabel \"average handle time (m:ss)\"\n"
    "set ylabel \"shrunk NPS\"\n"
    "set xrange [%g:%g]\nset xtics %g\nset format x '%%1tM:%%02tS' timedate\n"
    "set yrange [%g:%g]\nset ytics %g\n"
    "set grid\nset rmargin 3\n"
    "set key tmargin left Left reverse vertical maxrows 3 samplen 1.5\n"
    "plot 'agents_aht_scatter.dat' using 1:2 with points pt 7 ps 0.9 "
    "lc rgb \"#1f77b4\" title \"ranked\", \\\n"
    "     'agents_aht_scatter_few.dat' using 1:2 with points pt 6 ps 0.9 "
    "lc rgb \"#999999\" title \"too few responses (unranked)\", \\\n"
    "     'agents_aht_pop.dat' using 1:2 with lines dt 2 lw 2 lc rgb \"#d62728\" "
    "title \"population NPS\"\n";

/* A range [*LO, *HI] on multiples of a 1-2-5 step cutting it into at most
 * MAXN parts (a unit of UNIT: 60 makes steps whole minutes when the span
 * allows); returns the step. */
static double axis(double *lo, double *hi, int maxn, double unit)
{
    double span = *hi - *lo, step = charts_nice_step(span / unit, maxn) * unit;
    if (span / unit < 1) step = charts_nice_step(span, maxn);
    double a = floor(*lo / step) * step, b = ceil(*hi / step) * step;
    if (!(b > a)) {
        a -= step;
        b += step;
    }
    *lo = a;
    *hi = b;
    return step;
}

typedef struct by_nps {
    double nps;
    size_t row;
} by_nps;

static int by_nps_cmp(const void *pa, const void *pb)
{
    const by_nps *x = pa, *y = pb;
    if (x->nps < y->nps) return -1;
    if (x->nps > y->nps) return 1;
    /* Rows are in output order: a later row sits lower on equal NPS. */
    return x->row > y->row ? -1 : (x->row < y->row);
}

static int close_all(charts *ch, FILE **f, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (f[i] && charts_data_close(ch, f[i]) != 0) rc = -1;
    return rc;
}

/* Sorted ascending so that the best agent is drawn at the top. */
static int caterpillar(charts *ch, const agents_result *a)
{
    size_t n = a->n_rows;
    if (n == 0) return 0;
    by_nps *k = malloc(n * sizeof *k);
    if (!k) return 0;
    for (size_t i = 0; i < n; i++) k[i] = (by_nps){(&a->rows[i])->shrunk.nps, i};
    cx_qsort(k, n, sizeof *k, by_nps_cmp);
    /* Indexed by AGENT_TIER_*; the typical tier keeps the old file name. */
    FILE *f[5] = {
        charts_data(ch, "agents_caterpillar_few"),
        charts_data(ch, "agents_caterpillar_above"),
        charts_data(ch, "agents_caterpillar"),
        charts_data(ch, "agents_caterpillar_below"),
        charts_data(ch, "agents_pop"),
    };
    if (!f[0] || !f[1] || !f[2] || !f[3] || !f[4]) {
        close_all(ch, f, 5);
        free(k);
        return 0;
    }
    size_t chars = 4; /* the x axis's first number, centred on the axis */
    double pop = a->all.nps, lo = isfinite(pop) ? pop : INFINITY, hi = isfinite(pop) ? pop : -INFINITY;
    for (size_t j = 0; j < n; j++) {
        const agent_row *r = (&a->rows[k[j].row]);
        const double b[3] = {r->shrunk.nps, r->shrunk.ci_low, r->shrunk.ci_high};
        for (int i = 0; i < 3; i++)
            if (isfinite(b[i])) {
                lo = fmin(lo, b[i]);
                hi = fmax(hi, b[i]);
            }
        FILE *out = f[r->tier >= AGENT_TIER_ABOVE && r->tier <= AGENT_TIER_BELOW ? r->tier : 0];
        fprintf(out, "%zu\t%.10g\t%.10g\t%.10g\t", j + 1, r->shrunk.nps, r->shrunk.ci_low, r->shrunk.ci_high);
        size_t c = charts_label_fit(out, r->id);
        if (c > chars) chars = c;
        fputc('\n', out);
    }
    fprintf(f[4], "%.10g\t0.5\n%.10g\t%.10g\n", pop, pop, (double)n + 0.5);
    free(k);
    if (close_all(ch, f, 5) != 0) return 0;

    /* Fixed text and numbers: one of two scripts chosen by the agent
     * count, a left margin that holds the longest label shown, and at
     * most 4 steps on x (from the run's own bounds, within -100..100), so
     * that their numbers stay apart on the narrowest plot. */
    if (!(hi >= lo)) {
        lo = -100;
        hi = 100;
    }
    double x0, x1, step = charts_axis(fmax(lo, -100), fmin(hi, 100), 4, &x0, &x1);
    char body[4096];
    snprintf(body, sizeof body, "%sset xrange [%g:%g]\nset xtics %g\nset lmargin at screen %.4f\n%s",
             cat_common, fmax(x0, -100), fmin(x1, 100), step,
             charts_label_margin(n <= CAT_LABEL_MAX ? chars : 4),
             n <= CAT_LABEL_MAX ? cat_plot_labelled : cat_plot_plain);
    /* Sized for the page's 520-unit SVG (charts.c): one 17-unit label a
     * 24-unit row, below a key of one entry a line (the plot beside the
     * labels is too narrow for two columns of it). */
    int h = n <= CAT_LABEL_MAX ? 240 + 24 * (int)n : 720;
    return charts_plot(ch, "agents_caterpillar", 520, h, body);
}

static int scatter(charts *ch, const agents_result *a)
{
    size_t n = a->n_rows, shown = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double t = (&a->rows[i])->aht_s;
        if (isnan(t)) continue;
        shown++;
        lo = fmin(lo, t);
        hi = fmax(hi, t);
    }
    if (shown == 0) return 0;
    FILE *f[3] = {
        charts_data(ch, "agents_aht_scatter"),
        charts_data(ch, "agents_aht_scatter_few"),
        charts_data(ch, "agents_aht_pop"),
    };
    if (!f[0] || !f[1] || !f[2]) {
        close_all(ch, f, 3);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const agent_row *r = (&a->rows[i]);
        if (isnan(r->aht_s)) continue;
        FILE *out = r->rank_feedback > 0 ? f[0] : f[1];
        fprintf(out, "%.10g\t%.10g\t", r->aht_s, r->shrunk.nps);
        charts_label(out, r->id);
        fputc('\n', out);
    }
    double pop = a->all.nps;
    fprintf(f[2], "%.10g\t%.10g\n%.10g\t%.10g\n", lo, pop, hi, pop);
    if (close_all(ch, f, 3) != 0) return 0;
    double ylo = isfinite(pop) ? pop : INFINITY, yhi = isfinite(pop) ? pop : -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const agent_row *r = (&a->rows[i]);
        if (isnan(r->aht_s) || !isfinite(r->shrunk.nps)) continue;
        ylo = fmin(ylo, r->shrunk.nps);
        yhi = fmax(yhi, r->shrunk.nps);
    }
    if (!(yhi >= ylo)) {
        ylo = -100;
        yhi = 100;
    }
    double xstep = axis(&lo, &hi, 5, 60), ystep = axis(&ylo, &yhi, 4, 1);
    char body[2048];
    snprintf(body, sizeof body, scatter_script, lo, hi, xstep, ylo, yhi, ystep);
    return charts_plot(ch, "agents_aht_scatter", 520, 420, body);
}

static void draw_caterpillar(charts *ch, const stats_result *r) { caterpillar(ch, r->agents); }

static void draw_scatter(charts *ch, const stats_result *r) { scatter(ch, r->agents); }

const report_chart chart_agents_caterpillar = {"agents_caterpillar", STATS_RUN_AGENTS, draw_caterpillar};
const report_chart chart_agents_aht = {"agents_aht_scatter", STATS_RUN_AGENTS, draw_scatter};
