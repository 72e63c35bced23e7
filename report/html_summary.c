/* html_summary.c — the executive summary at the top of index.html: NPS of
 * the report month with its interval, its change against last month and
 * the same month last year in plain words with their tests, the 12-month
 * trend as a slope, and the significant findings, largest first.  Every
 * number comes from the run's summary (stats/summary.c).  When the run's
 * metric is CSAT or CES (--metric, or a store without NPS answers) that
 * metric's figures lead instead (report/html_kpi.c).
 */
#include "report/fmt.h"
#include "report/html.h"
#include "report/html_kpi.h"
#include "report/html_metric_view.h"
#include "report/outputs.h"

#include <math.h>

static void sig_words(FILE *f, const nps_change *c, double conf)
{
    if (c->significant < 0) {
        fputs("significance cannot be judged (no variation in one of the months)", f);
        return;
    }
    fputs(c->significant ? "<b>statistically significant</b> (" : "not statistically significant (", f);
    html_p(f, c->p);
    fprintf(f, c->significant ? ", at the %g%% level)" : "): within sampling noise", 100.0 * (1.0 - conf));
}

static void change_line(FILE *f, const char *what, int has, const nps_est *then, const nps_change *c,
                        int month, double conf)
{
    char m[40];
    fmt_month(month, m, sizeof m);
    fprintf(f, "<li>%s: ", what);
    if (!has) {
        fprintf(f, "no responses in %s to compare with.</li>\n", m);
        return;
    }
    double d = c->diff;
    fputs(d > 0 ? "up " : d < 0 ? "down " : "unchanged, ", f);
    if (d != 0) {
        html_num(f, fabs(d), 1);
        fputs(" points ", f);
    }
    fprintf(f, "from %s (", m);
    html_num(f, then->nps, 1);
    fputs("), ", f);
    sig_words(f, c, conf);
    fputs(".</li>\n", f);
}

/* "Trend over August–October 2026": the months that have responses, not
 * the 12 the trend may span; when no slope could be fitted, why. */
static void trend_line(FILE *f, const stats_result *res, const summary *s)
{
    char span[64];
    int first = s->month, last = s->month;
    size_t with = fmt_data_months(res->nps, NULL, FMT_NPS, s->month - SUMMARY_TREND_MONTHS + 1, s->month,
                                  &first, &last);
    fmt_months(last, last - first + 1, span, sizeof span);
    fprintf(f, "<li>Trend over %s: ", span);
    const trend_fit *t = &s->trend;
    if (isnan(t->slope)) {
        if (with < 3) fputs("fewer than three months with responses, no trend fitted.</li>\n", f);
        else /* months of one class only have no SE and are left out (docs/methods.md, Summary) */
            fprintf(f,
                    "fewer than three months with a usable standard error (%zu of the %zu months with "
                    "responses; a month whose responses are all in one class has none), no trend "
                    "fitted.</li>\n",
                    t->k, with);
        return;
    }
    fputs(t->slope >= 0 ? "rising by " : "falling by ", f);
    html_num(f, fabs(t->slope), 2);
    fprintf(f, " points a month (%g%% interval ", 100.0 * s->confidence);
    html_interval(f, t->lo, t->hi, 2);
    fprintf(f, ", %zu %s), ", t->k, fmt_noun((double)t->k, "month", "months"));
    if (t->significant == 1) {
        fputs("<b>a clear trend</b> (", f);
        html_p(f, t->p);
        fputs(").</li>\n", f);
    } else {
        fputs("no clear trend (", f);
        html_p(f, t->p);
        fputs(").</li>\n", f);
    }
}

static void points(FILE *f, double effect, const char *more, const char *less)
{
    html_num(f, fabs(effect), 1);
    fprintf(f, " points %s", effect >= 0 ? more : less);
}

/* The comparison's p-value after the correction for their number. */
static void adjusted_p(FILE *f, const finding *x)
{
    fputs("adjusted ", f);
    html_p(f, x->q);
}

/* "<b>west</b> (<b>region</b>" of a segment's or driver's finding. */
static void segment_name(FILE *f, const stats_result *res, const finding *x)
{
    fputs("<b><bdi>", f);
    html_label(f, res, x->name);
    fputs("</bdi></b> (<bdi>", f);
    html_label(f, res, stats_dim_name(res, x->dim));
    fputs("</bdi>", f);
}

/* "-12.0, 8.1 points below" OTHERS "120 responses, adjusted p = 0.003)."
 * (the count when WITH_N): a finding's NPS against the rest. */
static void versus(FILE *f, const finding *x, const char *others, int with_n)
{
    html_num(f, x->value, 1);
    fputs(", ", f);
    points(f, x->effect, "above", "below");
    fputs(others, f);
    if (with_n) {
        html_count(f, (double)x->n);
        fprintf(f, " %s, ", fmt_noun((double)x->n, "response", "responses"));
    }
    adjusted_p(f, x);
    fputs(").", f);
}

static void finding_line(FILE *f, const stats_result *res, const finding *x)
{
    const summary *s = res->summary;
    char prev[40], win[64];
    fmt_month(s->month - 1, prev, sizeof prev);
    fmt_months(s->month, s->window > 0 ? s->window : 1, win, sizeof win);
    static const char *const kinds[] = {"segment", "driver", "mot", "hic", "agents"};
    fprintf(f, "<li data-kind=\"%s\" data-effect=\"%.10g\" data-q=\"%.10g\">", kinds[x->kind], x->effect,
            x->q);
    switch (x->kind) {
    case FIND_SEGMENT:
        segment_name(f, res, x);
        fputs("): NPS ", f);
        versus(f, x, " the rest of the month (", 1);
        break;
    case FIND_DRIVER:
        segment_name(f, res, x);
        fprintf(f, ") %s the overall NPS by ", x->effect >= 0 ? "raised" : "lowered");
        html_num(f, fabs(x->effect), 1);
        fprintf(f, " points since %s: its own NPS went from ", prev);
        html_num(f, x->other, 1);
        fputs(" to ", f);
        html_num(f, x->value, 1);
        fputs(" (", f);
        adjusted_p(f, x);
        fputs(").", f);
        break;
    case FIND_MOT:
        fputs("<b><bdi>", f);
        html_label(f, res, x->name);
        fputs("</bdi></b> (moment of truth): NPS ", f);
        versus(f, x, " routine contacts (", 1);
        break;
    case FIND_HIC:
        fputs("<b>Top customers by value</b>: NPS ", f);
        versus(f, x, " the other customers (", 0);
        break;
    case FIND_AGENTS:
        fprintf(f,
                "<b>Agents</b> (%s): %d clearly above and %d clearly below the population "
                "NPS of ",
                win, x->above, x->below);
        html_num(f, x->other, 1);
        fputs(" (their interval lies on one side, and they stay significant after the "
              "correction).",
              f);
        break;
    }
    fputs("</li>\n", f);
}

static void findings_block(FILE *f, const stats_result *res, const char *m);

static void summary_section(FILE *f, const stats_result *res, const charts *ch)
{
    (void)ch;
    const summary *s = res->summary;
    char m[40];
    if (res->metric == STATS_METRIC_CSAT || res->metric == STATS_METRIC_CES) { /* --metric: its headline */
        int month = s && s->month ? s->month : res->month;
        fmt_month(month, m, sizeof m);
        fprintf(f, "<section id=\"summary\"><h2>Summary &mdash; %s</h2>\n", m);
        html_kpi_metric(f, res, month);
        html_metric_findings(f, res, m); /* that metric's findings (report/html_metric_view.c) */
        fputs("</section>\n", f);
        return;
    }
    fmt_month(s ? s->month : 0, m, sizeof m);
    fprintf(f, "<section id=\"summary\"><h2>Summary &mdash; %s</h2>\n", m);
    if (!s || !s->current) {
        fputs("<p>No responses in this month.</p></section>\n", f);
        return;
    }
    const nps_row *r = s->current;
    fputs("<div class=\"kpi\"><div class=\"big\">", f);
    html_num(f, r->e.nps, 1);
    fprintf(f, "</div><div>NPS in %s from ", m);
    html_count(f, (double)r->e.n);
    fprintf(f, " %s; %g%% interval ", fmt_noun((double)r->e.n, "response", "responses"),
            100.0 * s->confidence);
    html_interval(f, r->e.ci_low, r->e.ci_high, 1);
    fputs(".</div></div>\n<ul class=\"facts\">\n", f);
    change_line(f, "Against last month", s->has_prev, &s->prev, &s->vs_prev, s->month - 1, s->confidence);
    change_line(f, "Against the same month last year", s->has_year, &s->year, &s->vs_year, s->month - 12,
                s->confidence);
    trend_line(f, res, s);
    fputs("</ul>\n", f);
    findings_block(f, res, m);
    fputs("</section>\n", f);
}

/* "What stands out in M": the significant findings of the month, largest
 * first, and what was counted. */
static void findings_block(FILE *f, const stats_result *res, const char *m)
{
    const summary *s = res->summary;
    fprintf(f, "<h3>What stands out in %s</h3>\n", m);
    if (s->n_findings > 0) {
        fputs("<ol id=\"findings\">\n", f);
        for (size_t i = 0; i < s->n_findings; i++) finding_line(f, res, &s->findings[i]);
        fputs("</ol>\n", f);
    }
    findings_counts c = {s->n_tests, s->n_significant, s->n_findings, s->n_small, s->min_responses, s->fdr};
    html_findings_counts(f, NULL, &c);
}

const report_section html_summary = {"summary", 0, summary_section};
