/* html_metrics.c — the "CSAT and CES" section of index.html: for the
 * report month, the share satisfied and the mean effort score, overall and
 * per segment, with their intervals and the change from the month before
 * (stats/metrics.c).  Left out when the run had no csat or ces answers. */
#include "report/html.h"
#include "report/outputs.h"

#include <math.h>

/* The month the section shows: the report's, else the latest with rows. */
static int shown_month(const stats_result *r, int latest)
{
    if (r->month) return r->month;
    if (r->nps && r->nps->report_month) return r->nps->report_month;
    return latest;
}

static void change_line(FILE *f, const char *what, double change, double p, int significant, int pct)
{
    fprintf(f, "<p>%s against the month before: ", what);
    html_num(f, pct ? 100 * change : change, pct ? 1 : 2);
    fputs(pct ? " points" : "", f);
    if (significant < 0) fputs(" (no test: too few answers or no spread).</p>\n", f);
    else {
        fputs(significant ? ", a real change (p = " : ", within noise (p = ", f);
        html_num(f, p, 3);
        fputs(").</p>\n", f);
    }
}

/* A table row's first cells: "dimension: segment" ("all" for the whole
 * population) and the answers, leaving the third cell open. */
static void row_lead(FILE *f, const stats_result *r, size_t dim, const char *segment, long long n)
{
    fputs("<tr><td>", f);
    html_text(f, dim ? stats_dim_name(r, dim) : "all");
    if (dim) {
        fputs(": ", f);
        html_text(f, segment);
    }
    fprintf(f, "</td><td>%lld</td><td>", n);
}

static void csat_table(FILE *f, const stats_result *r, const metrics_result *m, int month)
{
    fputs("<h3>CSAT: share satisfied (4-5 of 5, or good)</h3>\n<div class=\"tw\"><table><tr><th>Segment</th>"
          "<th>Answers</th><th>Satisfied</th><th>Interval</th></tr>\n",
          f);
    for (size_t i = 0; i < m->n_csat; i++) {
        const csat_row *x = &m->csat[i];
        if (x->month != month) continue;
        row_lead(f, r, x->dim, x->segment, x->n);
        html_num(f, 100 * x->share, 1);
        fputs("%</td><td>", f);
        html_interval(f, 100 * x->ci_low, 100 * x->ci_high, 1);
        fputs("</td></tr>\n", f);
    }
    fputs("</table></div>\n", f);
    for (size_t i = 0; i < m->n_csat_changes; i++)
        if (m->csat_changes[i].dim == 0 && m->csat_changes[i].month == month)
            change_line(f, "CSAT", m->csat_changes[i].change, m->csat_changes[i].p,
                        m->csat_changes[i].significant, 1);
}

static void ces_table(FILE *f, const stats_result *r, const metrics_result *m, int month)
{
    fputs("<h3>CES: mean effort score (1-7)</h3>\n<div class=\"tw\"><table><tr><th>Segment</th>"
          "<th>Answers</th><th>Mean</th><th>Interval</th></tr>\n",
          f);
    for (size_t i = 0; i < m->n_ces; i++) {
        const ces_row *x = &m->ces[i];
        if (x->month != month) continue;
        row_lead(f, r, x->dim, x->segment, x->n);
        html_num(f, x->mean, 2);
        fputs("</td><td>", f);
        html_interval(f, x->ci_low, x->ci_high, 2);
        fputs("</td></tr>\n", f);
    }
    fputs("</table></div>\n", f);
    for (size_t i = 0; i < m->n_ces_changes; i++)
        if (m->ces_changes[i].dim == 0 && m->ces_changes[i].month == month)
            change_line(f, "CES", m->ces_changes[i].change, m->ces_changes[i].p,
                        m->ces_changes[i].significant, 0);
}

static void metrics_section(FILE *f, const stats_result *r, const charts *ch)
{
    const metrics_result *m = r->metrics;
    (void)ch;
    if (!m || (m->n_csat == 0 && m->n_ces == 0)) return;
    int latest = 0;
    for (size_t i = 0; i < m->n_csat; i++)
        if (m->csat[i].month > latest) latest = m->csat[i].month;
    for (size_t i = 0; i < m->n_ces; i++)
        if (m->ces[i].month > latest) latest = m->ces[i].month;
    int month = shown_month(r, latest);
    char name[32];
    html_month_name(month, name, sizeof name);
    fputs("<section id=\"csat-ces\"><h2>CSAT and CES, ", f);
    html_text(f, name);
    fputs("</h2>\n<p>Answers to satisfaction (CSAT) and effort (CES) questions, kept apart from NPS. "
          "Intervals: Wilson for shares, t for means; changes: two-proportion and Welch tests "
          "(see Methods).</p>\n",
          f);
    if (m->n_csat) csat_table(f, r, m, month);
    if (m->n_ces) ces_table(f, r, m, month);
    fputs("</section>\n", f);
}

const report_section html_metrics = {"csat-ces", 0, metrics_section};
