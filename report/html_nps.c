/* html_nps.c — headline, trend, distribution, segment and verbatim
 * sections of index.html, from the run's NPS result. */
#include "core/model.h"
#include "report/fmt.h"
#include "report/html.h"
#include "report/outputs.h"
#include "core/timeparse.h"
#include "core/xsort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define month_name html_month_name

static void trend(FILE *f, const stats_result *res, const charts *ch)
{
    char first[40], last[40];
    int page = fmt_page_month(res);
    size_t nt = res->nps->n_trend; /* the months up to the page's (fmt_page_month) */
    while (nt > 0 && !fmt_in_trend(res->nps->trend[nt - 1].month, page)) nt--;
    fmt_month(nt ? res->nps->trend[0].month : 0, first, sizeof first);
    fmt_month(nt ? res->nps->trend[nt - 1].month : 0, last, sizeof last);
    fprintf(f,
            "<section id=\"trend\"><h2>Trend and distribution<span class=\"period\">"
            "every month, %s to %s</span></h2>\n",
            first, last);
    html_chart(f, ch, "nps_trend", "NPS by month with its interval");
    fputs("<div class=\"tw\"><table class=\"compact\"><tr><th>Month</th><th>Responses</th>"
          "<th>NPS</th><th>Interval</th><th>Change</th><th>Test</th></tr>\n",
          f);
    for (size_t i = nt; i-- > 0;) {
        const nps_trend_pt *t = &res->nps->trend[i];
        const nps_row *r = t->row;
        /* "Oct 2026" and "1,662": short enough for the compact table on a phone */
        char n[32];
        fputs("<tr><td>", f);
        html_month_short(f, t->month);
        fprintf(f, "</td><td>%s</td><td>", fmt_n((double)r->e.n, n, sizeof n));
        html_num(f, r->e.nps, 1);
        fputs("</td><td>", f);
        /* "32.2 to 39.7", "-60.2 to -36.8" as everywhere on the page: a dash
         * between negative bounds ("-60.2–-36.8") reads as a subtraction */
        html_interval(f, r->e.ci_low, r->e.ci_high, 1);
        fputs("</td><td>", f);
        const nps_change_row *c = t->change;
        if (c) {
            fprintf(f, "%s%.1f%s</td><td>", c->ch.significant == 1 ? "<b>" : "", c->ch.diff,
                    c->ch.significant == 1 ? "</b>" : "");
            html_p(f, c->ch.p);
        } else {
            fputs("&ndash;</td><td>&ndash;", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table></div><p class=\"muted\">Bold changes are statistically significant.</p>\n", f);
    char m[32];
    month_name(res->month, m, sizeof m);
    fprintf(f, "<h3>Score distribution (%s)</h3>\n", res->month ? m : "every month");
    html_chart(f, ch, "score_dist", "Responses by score 0 to 10, coloured by class");
    fputs("</section>\n", f);
}

/* A page with 100,000 segment rows is unreadable (and megabytes long):
 * beyond this many, the table shows the largest segments and points to
 * nps.csv for the rest. */
#define SEGMENT_ROWS_MAX 200

static void segment_row(FILE *f, const stats_result *res, const nps_row *r)
{
    fputs("<tr><td>", f);
    html_label(f, res, r->segment);
    char n[32];
    fprintf(f, "</td><td>%s</td><td>", fmt_n((double)r->e.n, n, sizeof n));
    html_num(f, r->e.nps, 1);
    fputs("</td><td>", f);
    html_interval(f, r->e.ci_low, r->e.ci_high, 1);
    fputs("</td><td>", f);
    /* The segment against everyone else of its month (stats/nps_analysis.c). */
    nps_change c = res->nps->vs_rest[r - res->nps->rows];
    if (c.significant == 1) {
        fprintf(f, "<span class=\"%s sig\">%s (", c.diff > 0 ? "up" : "down",
                c.diff > 0 ? "higher" : "lower");
        html_p(f, c.p);
        fputs(")</span>", f);
    } else if (isnan(c.p)) { /* a side under --min-responses, or no rest */
        fputs("<span class=\"muted\">not tested</span>", f);
    } else fputs("<span class=\"muted\">no clear difference</span>", f);
    fputs("</td></tr>\n", f);
}

/* Larger n first; the table's own order between equals. */
static int by_n_desc(const void *a, const void *b)
{
    const nps_row *x = *(const nps_row *const *)a, *y = *(const nps_row *const *)b;
    if (x->e.n != y->e.n) return x->e.n > y->e.n ? -1 : 1;
    return x < y ? -1 : x > y;
}

static void segment_table(FILE *f, const stats_result *res, size_t dim, int month)
{
    const nps_row *rows = res->nps->rows;
    size_t n = res->nps->n_rows, count = 0;
    fputs("<div class=\"tw\"><table><tr><th>", f);
    html_text(f, stats_dim_name(res, dim));
    fputs("</th><th>Responses</th><th>NPS</th><th>Interval</th><th>Against the rest</th></tr>\n", f);
    for (size_t i = 0; i < n; i++) count += rows[i].month == month && rows[i].dim == dim;
    const nps_row **top = count > SEGMENT_ROWS_MAX ? malloc(count * sizeof *top) : NULL;
    if (top) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (rows[i].month == month && rows[i].dim == dim) top[k++] = &rows[i];
        cx_qsort(top, count, sizeof *top, by_n_desc);
        for (size_t i = 0; i < SEGMENT_ROWS_MAX; i++) segment_row(f, res, top[i]);
        free(top);
    } else {
        size_t shown = 0;
        for (size_t i = 0; i < n && shown < SEGMENT_ROWS_MAX; i++) {
            if (rows[i].month != month || rows[i].dim != dim) continue;
            segment_row(f, res, &rows[i]);
            shown++;
        }
    }
    fputs("</table></div>\n", f);
    if (count > SEGMENT_ROWS_MAX)
        fprintf(f,
                "<p class=\"muted\">Showing %d of %zu segments (the largest); every segment "
                "is in nps.csv.</p>\n",
                SEGMENT_ROWS_MAX, count);
    char nb[32];
    if (res->missing_segment[dim - 1])
        fprintf(f,
                "<p class=\"muted\">Across all months, %s %s no value for this "
                "dimension (or no customer record to take it from) and count in the overall "
                "figures only.</p>\n",
                fmt_n((double)res->missing_segment[dim - 1], nb, sizeof nb),
                fmt_noun((double)res->missing_segment[dim - 1], "response has", "responses have"));
}

static void segments(FILE *f, const stats_result *res, const charts *ch)
{
    if (res->n_by == 0) return;
    char m[32];
    int month = res->nps->report_month;
    month_name(month, m, sizeof m);
    fprintf(f,
            "<section id=\"segments\"><h2>Segments<span class=\"period\">%s</span></h2>\n"
            "<p class=\"muted\">Each segment is compared with all other responses of the month; "
            "\"higher\" and \"lower\" mark differences that are statistically significant.</p>\n",
            m);
    for (size_t d = 1; d <= res->n_by; d++) {
        fputs("<h3>By ", f);
        html_label(f, res, stats_dim_name(res, d));
        fputs("</h3>\n", f);
        char name[32];
        snprintf(name, sizeof name, "segments_%zu", d);
        html_chart(f, ch, name, "NPS by segment with intervals");
        if (res->nps->current) segment_table(f, res, d, month);
    }
    fputs("</section>\n", f);
}

/* Bytes of one comment shown among the verbatims. */
#define VERBATIM_SHOWN_MAX 2000

static void verbatims(FILE *f, const stats_result *res, const charts *ch)
{
    (void)ch;
    char vm[40];
    month_name(res->nps->report_month, vm, sizeof vm);
    fprintf(f,
            "<section id=\"verbatims\"><h2>Recent verbatims<span class=\"period\">%s</span>"
            "</h2>\n",
            vm);
    if (res->n_verb == 0) fputs("<p class=\"muted\">No comments in this period.</p>\n", f);
    for (size_t i = 0; i < res->n_verb; i++) {
        const verbatim *v = &res->verb[i];
        char when[TIME_ISO_LEN];
        time_format_iso(v->at, when);
        when[10] = '\0';
        fprintf(f, "<blockquote><b class=\"%s\">%d</b> <span class=\"muted\">%s ",
                cx_nps_class(v->score) > 0   ? "up"
                : cx_nps_class(v->score) < 0 ? "down"
                                             : "muted",
                v->score, when);
        html_text(f, v->segment);
        fputs("</span><br>", f);
        /* A comment may be megabytes long: the page shows its start. */
        size_t len = strlen(v->comment), shown = len;
        if (len > VERBATIM_SHOWN_MAX) {
            shown = VERBATIM_SHOWN_MAX;
            while (shown > 0 && ((unsigned char)v->comment[shown] & 0xC0) == 0x80) shown--;
        }
        html_text_n(f, v->comment, shown);
        if (shown < len) fprintf(f, " &hellip; <span class=\"muted\">(%zu bytes)</span>", len);
        fputs("</blockquote>\n", f);
    }
    fputs("</section>\n", f);
}

const report_section html_trend = {"trend", 0, trend};
const report_section html_segments = {"segments", 0, segments};
const report_section html_verbatims = {"verbatims", 0, verbatims};
