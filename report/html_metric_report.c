/* html_metric_report.c — the sections of index.html that a CSAT or CES
 * report shows in place of the NPS ones (the run's metric, --metric or a
 * store without NPS answers): the metric by month with its chart, its
 * segments against the rest of the month, the one line on the analyses
 * that exist for NPS only, and the methods.  The agents are in
 * report/html_metric_agents.c.  Every number comes from the run's CSAT or
 * CES tables (stats/metrics.c); report/outputs.c picks these sections or
 * the NPS ones by the run's metric.
 */
#include "report/fmt.h"
#include "report/html.h"
#include "report/html_metric_view.h"
#include "report/outputs.h"
#include "core/timeparse.h"
#include "core/xsort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Segment rows shown per dimension; every one is in csat.csv / ces.csv. */
#define SEGMENT_ROWS_MAX 200

static void trend(FILE *f, const stats_result *r, const charts *ch)
{
    metric_view v;
    if (metric_view_of(r, &v) != 0) return;
    size_t n = metric_rows(r, &v);
    int first = 0, last = 0, page = fmt_page_month(r); /* the months up to the page's */
    for (size_t i = 0; i < n; i++) {
        metric_cell c = metric_row(r, &v, i);
        if (c.dim != 0 || !fmt_in_trend(c.month, page)) continue;
        if (!first) first = c.month;
        last = c.month;
    }
    char a[40], b[40], chart[32], alt[96];
    fmt_month(first, a, sizeof a);
    fmt_month(last, b, sizeof b);
    fprintf(f,
            "<section id=\"trend\"><h2>%s by month<span class=\"period\">every month, %s to %s</span></h2>\n",
            v.name, a, b);
    snprintf(chart, sizeof chart, "%s_trend", v.is_csat ? "csat" : "ces");
    snprintf(alt, sizeof alt, "%s by month with its interval", v.name);
    html_chart(f, ch, chart, alt);
    fprintf(f,
            "<div class=\"tw\"><table class=\"compact\"><tr><th>Month</th><th>Responses</th><th>%s</th>"
            "<th>Interval</th><th>Change</th><th>Test</th></tr>\n",
            v.name);
    for (size_t i = n; i-- > 0;) { /* newest first, as the NPS trend table */
        metric_cell c = metric_row(r, &v, i);
        if (c.dim != 0 || !fmt_in_trend(c.month, page)) continue;
        /* one line a month on a phone, as the NPS trend table: "Oct 2026",
         * "1,662", "60.8–71.4" */
        char cnt[32];
        fputs("<tr><td>", f);
        html_month_short(f, c.month);
        fprintf(f, "</td><td>%s</td><td>", fmt_n((double)c.n, cnt, sizeof cnt));
        metric_value(f, &v, c.value);
        fputs("</td><td>", f);
        if (isnan(c.lo) || isnan(c.hi)) fputs("&ndash;", f);
        else {
            html_num(f, v.scale * c.lo, v.dec);
            fputs("&ndash;", f);
            html_num(f, v.scale * c.hi, v.dec);
        }
        fputs("</td><td>", f);
        double prev, change, p;
        int sig;
        if (metric_change(r, &v, c.month, &prev, &change, &p, &sig)) {
            fputs(sig == 1 ? "<b>" : "", f);
            html_num(f, v.scale * change, v.dec);
            fputs(sig == 1 ? "</b></td><td>" : "</td><td>", f);
            html_p(f, p);
        } else {
            fputs("&ndash;</td><td>&ndash;", f);
        }
        fputs("</td></tr>\n", f);
    }
    fprintf(
        f,
        "</table></div><p class=\"muted\">Bold changes are statistically significant (%s).</p>\n</section>\n",
        v.is_csat ? "two-proportion z-test" : "Welch's t-test");
}

static void segment_row(FILE *f, const stats_result *r, const metric_view *v, const metric_cell *c)
{
    fputs("<tr><td>", f);
    html_label(f, r, c->segment);
    fprintf(f, "</td><td>%lld</td><td>", c->n);
    metric_value(f, v, c->value);
    fputs("</td><td>", f);
    html_interval(f, v->scale * c->lo, v->scale * c->hi, v->dec);
    fputs("</td><td>", f);
    const metric_vs_rest *x = c->vs_rest;
    if (x->significant == 1) {
        fprintf(f, "<span class=\"%s sig\">%s (", x->diff > 0 ? "up" : "down",
                x->diff > 0 ? "higher" : "lower");
        html_p(f, x->p);
        fputs(")</span>", f);
    } else {
        fputs("<span class=\"muted\">no clear difference</span>", f);
    }
    fputs("</td></tr>\n", f);
}

/* A segment row's place in the table and its answers, for the order by size. */
typedef struct sized_row {
    long long n;
    size_t i;
} sized_row;

/* More answers first; the table's own order between equals. */
static int by_n_desc(const void *a, const void *b)
{
    const sized_row *x = a, *y = b;
    if (x->n != y->n) return x->n > y->n ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The rows of MONTH and dimension DIM; when there are more than
 * SEGMENT_ROWS_MAX, the largest by answers (as the NPS table:
 * report/html_nps.c), in the order of size. */
static void segment_table(FILE *f, const stats_result *r, const metric_view *v, size_t dim, int month)
{
    size_t n = metric_rows(r, v), count = 0;
    for (size_t i = 0; i < n; i++) {
        metric_cell c = metric_row(r, v, i);
        count += c.month == month && c.dim == dim;
    }
    sized_row *top = count > SEGMENT_ROWS_MAX ? malloc(count * sizeof *top) : NULL;
    int largest = top != NULL;
    if (top) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            metric_cell c = metric_row(r, v, i);
            if (c.month == month && c.dim == dim) top[k++] = (sized_row){c.n, i};
        }
        cx_qsort(top, count, sizeof *top, by_n_desc);
        for (size_t k2 = 0; k2 < SEGMENT_ROWS_MAX; k2++) {
            metric_cell c = metric_row(r, v, top[k2].i);
            segment_row(f, r, v, &c);
        }
        free(top);
    } else { /* all of them, or (out of memory) the first */
        size_t shown = 0;
        for (size_t i = 0; i < n && shown < SEGMENT_ROWS_MAX; i++) {
            metric_cell c = metric_row(r, v, i);
            if (c.month != month || c.dim != dim) continue;
            segment_row(f, r, v, &c);
            shown++;
        }
    }
    fputs("</table></div>\n", f);
    if (count > SEGMENT_ROWS_MAX)
        fprintf(f, "<p class=\"muted\">Showing %d of %zu segments (%s); every segment is in %s.</p>\n",
                SEGMENT_ROWS_MAX, count, largest ? "the largest" : "the first", v->file);
}

static void segments(FILE *f, const stats_result *r, const charts *ch)
{
    metric_view v;
    if (r->n_by == 0 || metric_view_of(r, &v) != 0 || !v.sum) return;
    int month = v.sum->month;
    char m[40];
    fmt_month(month, m, sizeof m);
    fprintf(f,
            "<section id=\"segments\"><h2>Segments<span class=\"period\">%s</span></h2>\n"
            "<p class=\"muted\">%s of each segment, compared with all other answers of the month "
            "(%s); \"higher\" and \"lower\" mark differences that are statistically significant.</p>\n",
            m, v.name, v.is_csat ? "two-proportion z-test" : "Welch's t-test");
    for (size_t d = 1; d <= r->n_by; d++) {
        fputs("<h3>By ", f);
        html_label(f, r, stats_dim_name(r, d));
        fputs("</h3>\n", f);
        char name[48], alt[96];
        snprintf(name, sizeof name, "%s_segments_%zu", v.is_csat ? "csat" : "ces", d);
        snprintf(alt, sizeof alt, "%s by segment with intervals", v.name);
        html_chart(f, ch, name, alt);
        fputs("<div class=\"tw\"><table><tr><th>", f);
        html_text(f, stats_dim_name(r, d));
        fprintf(f, "</th><th>Responses</th><th>%s</th><th>Interval</th><th>Against the rest</th></tr>\n",
                v.name);
        segment_table(f, r, &v, d, month);
    }
    fputs("</section>\n", f);
}

/* The analyses that read NPS classes (promoters, detractors) have no CSAT
 * or CES counterpart: one line says so instead of empty or NPS sections. */
static void nps_only(FILE *f, const stats_result *r, const charts *ch)
{
    (void)ch;
    metric_view v;
    if (metric_view_of(r, &v) != 0) return;
    fprintf(f,
            "<section id=\"nps-only\"><h2>Not in this %s report</h2>\n<p>The drivers of the change, "
            "moments of truth, peak-end, spend impact, high-impact customers and the verbatims with their "
            "themes compare promoters with detractors, so they exist for NPS answers only and are left out "
            "here; <code>cxpulse report --metric nps</code> shows them%s.</p>\n</section>\n",
            v.name, r->nps && r->nps->n_trend ? "" : " (this store holds no NPS answers)");
}

static void methods(FILE *f, const stats_result *r, const charts *ch)
{
    (void)ch;
    metric_view v;
    if (metric_view_of(r, &v) != 0) return;
    fputs("<section id=\"methods\"><details><summary>Methods<span class=\"period\">how the figures "
          "for every period above are computed</span></summary>\n",
          f);
    if (v.is_csat)
        fprintf(
            f,
            "<p>CSAT is the share of answers that are satisfied: 4 or 5 on the 1&ndash;5 scale, or "
            "&ldquo;good&rdquo;. Intervals are %.0f%% Wilson score intervals, which stay inside 0&ndash;100%% "
            "and hold their coverage for small samples. A change between two months, and a segment "
            "against the rest of its month, is tested with the pooled two-proportion z-test, two-sided; "
            "&ldquo;significant&rdquo; means p &lt; %.2g. Agents' shares are shrunk toward the "
            "population share with a beta prior (beta-binomial empirical Bayes).",
            r->confidence * 100, 1 - r->confidence);
    else
        fprintf(f,
                "<p>CES is the mean effort score on the 1&ndash;7 scale. Intervals are %.0f%% t intervals "
                "of the mean, clipped to 1&ndash;7 (a mean of 1&ndash;7 scores cannot lie outside). A change "
                "between two months, and a segment against the rest of its month, is tested with Welch's "
                "t-test, two-sided; &ldquo;significant&rdquo; means p &lt; %.2g. Agents' means are shrunk "
                "toward the population mean with a normal prior (empirical Bayes).",
                r->confidence * 100, 1 - r->confidence);
    if (v.sum) /* docs/methods.md "A segment against the rest of its month" */
        fprintf(f,
                " For the summary's findings a segment is tested only when it and the rest of its month each "
                "have at least %d %s, and with a test that stays honest for a few answers all alike: %s.",
                v.sum->min_responses, v.sum->min_responses == 1 ? "answer" : "answers",
                v.is_csat
                    ? "the shares on adjusted counts, one satisfied and one dissatisfied answer added to "
                      "each side (Agresti&ndash;Caffo)"
                    : "Student's t-test, with the variance pooled over both sides");
    fputs(" Agents whose whole interval lies above or below the population are put in the outer tiers; "
          "the weight of the population is (1&minus;&rho;)/&rho; with &rho; the share of the variation "
          "that lies between agents. The summary's findings are the significant comparisons with the "
          "largest effects. Full formulas: docs/methods.md in the cxpulse sources.</p></details></section>\n",
          f);
}

const report_section html_metric_trend = {"trend", 0, trend};
const report_section html_metric_segments = {"segments", 0, segments};
const report_section html_metric_nps_only = {"nps-only", 0, nps_only};
const report_section html_metric_methods = {"methods", 0, methods};
