/* charts_nps.c — NPS trend with CI band, score distribution by class,
 * segments with error bars.  Scripts are fixed text; data go to .dat files. */
#include "report/charts_nps.h"
#include "core/timeparse.h"

#include <stdio.h>

int chart_nps_trend(charts *ch, const stats_result *res)
{
    FILE *f = charts_data(ch, "nps_trend");
    if (!f) return 0;
    const int *months;
    size_t nm = nps_table_months(res->nps, &months);
    for (size_t i = 0; i < nm; i++) {
        const nps_row *r = nps_table_find(res->nps, months[i], 0, "all");
        if (!r) continue;
        char m[16];
        month_format(months[i], m);
        fprintf(f, "%s\t%.6f\t%.6f\t%.6f\n", m, r->e.nps, r->e.ci_low, r->e.ci_high);
    }
    if (charts_data_close(ch, f) != 0 || nm == 0) return 0;
    return charts_plot(ch, "nps_trend", 900, 380,
        "set ylabel 'NPS'\nset yrange [*:*]\nset xtics rotate by -45\nset rmargin 8\nset key top left\n"
        "plot 'nps_trend.dat' using 0:3:4 with filledcurves fc rgb '#c6dbef' fs solid 0.6 "
        "title '95% interval', '' using 0:2:xtic(1) with linespoints lw 2 pt 7 lc rgb '#08519c' title 'NPS'");
}

int chart_score_dist(charts *ch, const stats_result *res)
{
    FILE *f = charts_data(ch, "score_dist");
    if (!f) return 0;
    long long h[11];
    nps_table_histogram(res->nps, res->o->month, h);
    for (int s = 0; s <= 10; s++)
        fprintf(f, "%d\t%lld\t%d\n", s, h[s], s >= 9 ? 0x2ca25f : s >= 7 ? 0xbdbdbd : 0xde2d26);
    if (charts_data_close(ch, f) != 0) return 0;
    return charts_plot(ch, "score_dist", 700, 320,
        "set boxwidth 0.8\nset style fill solid 0.9\nset xrange [-0.6:10.6]\nset xtics 0,1,10\n"
        "set yrange [0:*]\nset ylabel 'responses'\nset xlabel 'score (red detractor, grey passive, green promoter)'\n"
        "plot 'score_dist.dat' using 1:2:3 with boxes lc rgb variable notitle");
}

int chart_segments(charts *ch, const stats_result *res, size_t dim, int month)
{
    char name[32];
    snprintf(name, sizeof name, "segments_%zu", dim);
    FILE *f = charts_data(ch, name);
    if (!f) return 0;
    const nps_row *rows;
    size_t n = nps_table_rows(res->nps, &rows), k = 0;
    for (size_t i = 0; i < n && k < 40; i++) {
        if (rows[i].month != month || rows[i].dim != dim) continue;
        charts_label(f, rows[i].segment);
        fprintf(f, "\t%.6f\t%.6f\t%.6f\n", rows[i].e.nps, rows[i].e.ci_low, rows[i].e.ci_high);
        k++;
    }
    if (charts_data_close(ch, f) != 0 || k == 0) return 0;
    char body[640];
    snprintf(body, sizeof body,
             "set ylabel 'NPS'\nset xrange [-0.7:%zu.7]\nset xtics rotate by -30\nunset key\n"
             "plot '%s.dat' using 0:2:3:4:xtic(1) with yerrorbars pt 7 ps 1.2 lw 1.5 lc rgb '#08519c'",
             k - 1, name);
    return charts_plot(ch, name, 800, 340, body);
}
