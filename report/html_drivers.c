/* html_drivers.c — "Why did NPS move?": for each --by dimension, the change
 * of NPS from the month before the report month split into rate effects
 * (segments scoring differently) and mix effects (the mix of responses
 * shifting), from the run's drivers (stats/drivers.c).
 */
#include "core/xsort.h"
#include "report/fmt.h"
#include "report/html.h"
#include "report/outputs.h"

#include <math.h>
#include <stdlib.h>

#define DRIVER_ROWS_MAX 20

/* Larger |total effect| first; the table's order (segment) between equals. */
static int by_total(const void *a, const void *b)
{
    const driver_row *x = *(const driver_row *const *)a, *y = *(const driver_row *const *)b;
    double ax = fabs(x->total), ay = fabs(y->total);
    if (ax != ay) return ax > ay ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* "+1.2", "-0.4", "0.0": a value that rounds to zero has no sign. */
static void signed_num(FILE *f, double v)
{
    if (!isnan(v) && fabs(v) < 0.05) v = 0.0;
    if (!isnan(v) && v > 0) fputc('+', f);
    html_num(f, v, 1);
}

static void dimension(FILE *f, const stats_result *res, const drivers *d, size_t k)
{
    const driver_dim *dd = &d->dims[k];
    fputs("<h3>By ", f);
    html_label(f, res, stats_dim_name(res, k + 1));
    fputs("</h3>\n<p>", f);
    if (dd->count == 0) {
        fputs("No responses with this dimension in one of the two months.</p>\n", f);
        return;
    }
    double rate = 0, mix = 0;
    for (size_t i = dd->first; i < dd->first + dd->count; i++) {
        rate += d->rows[i].rate;
        mix += d->rows[i].mix;
    }
    fputs("NPS of the responses that have one went from ", f);
    html_num(f, dd->nps_prev, 1);
    fputs(" to ", f);
    html_num(f, dd->nps, 1);
    fputs(" (", f);
    signed_num(f, dd->nps - dd->nps_prev);
    fputs("): ", f);
    signed_num(f, rate);
    fputs(" from segments scoring differently and ", f);
    signed_num(f, mix);
    fputs(" from the mix of responses shifting between them.</p>\n", f);
    fputs("<div class=\"tw\"><table>\n<thead><tr><th>Segment</th><th>Responses</th><th>NPS</th>"
          "<th>Score effect</th><th>Mix effect</th><th>Total</th><th>Score change test</th>"
          "</tr></thead>\n<tbody>\n",
          f);
    /* The largest effects first; a dimension with many segments shows the
     * first DRIVER_ROWS_MAX (drivers.csv has them all). */
    const driver_row **order = malloc(dd->count * sizeof *order);
    size_t shown = dd->count < DRIVER_ROWS_MAX ? dd->count : DRIVER_ROWS_MAX;
    if (!order) shown = 0;
    for (size_t i = 0; order && i < dd->count; i++) order[i] = &d->rows[dd->first + i];
    cx_qsort(order, dd->count, sizeof *order, by_total);
    for (size_t i = 0; i < shown; i++) {
        const driver_row *r = order[i];
        fputs("<tr><td>", f);
        html_label(f, res, r->segment);
        fputs("</td><td>", f);
        html_count(f, (double)r->n_prev);
        fputs(" &rarr; ", f);
        html_count(f, (double)r->n);
        fputs("</td><td>", f);
        html_num(f, r->nps_prev, 1);
        fputs(" &rarr; ", f);
        html_num(f, r->nps, 1);
        fputs(r->significant == 1 ? "</td><td><b>" : "</td><td>", f);
        signed_num(f, r->rate);
        fputs(r->significant == 1 ? "</b></td><td>" : "</td><td>", f);
        signed_num(f, r->mix);
        fputs("</td><td>", f);
        signed_num(f, r->total);
        fputs("</td><td>", f);
        if (isnan(r->p_rate)) /* absent from a month, or no spread in either (SE 0: drivers.csv) */
            fputs(r->n == 0 || r->n_prev == 0 ? "<span class=\"muted\">not in both months</span>"
                                              : "<span class=\"muted\">no spread to test</span>",
                  f);
        else {
            fputs(r->significant == 1 ? "<span class=\"sig\">" : "<span class=\"muted\">", f);
            html_p(f, r->p_rate);
            fputs("</span>", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    free(order);
    if (shown < dd->count)
        fprintf(f,
                "<p class=\"muted\">The %zu %s with the largest effects of %zu; every "
                "segment is in drivers.csv.</p>\n",
                shown, fmt_noun((double)shown, "segment", "segments"), dd->count);
}

static void drivers_section(FILE *f, const stats_result *res, const charts *ch)
{
    (void)ch;
    const drivers *d = res->drivers;
    if (!d || d->month == 0 || res->n_by == 0) return;
    char m0[40], m1[40];
    fmt_month(d->prev_month, m0, sizeof m0);
    fmt_month(d->month, m1, sizeof m1);
    fprintf(f,
            "<section id=\"drivers\"><h2>Why did NPS move?<span class=\"period\">%s to %s</span>"
            "</h2>\n<p class=\"muted\">The change of each dimension's NPS splits exactly into score "
            "effects (a segment scoring differently, weighted by its share) and mix effects (its "
            "share of responses changing). Bold score effects are statistically significant.</p>\n",
            m0, m1);
    for (size_t k = 0; k < d->n_by; k++) dimension(f, res, d, k);
    fputs("</section>\n", f);
}

const report_section html_drivers = {"drivers", 0, drivers_section};
