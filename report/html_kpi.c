/* html_kpi.c — see html_kpi.h.  CSAT leads with the share satisfied
 * (Wilson interval, two-proportion z-test for the change), CES with the
 * mean effort (t interval, Welch's test): the same figures as csat.csv,
 * csat_change.csv, ces.csv and ces_change.csv (docs/methods.md); then,
 * as the NPS summary, the same month a year before and the 12-month trend
 * (stats/metric_summary.c). */
#include "report/html_kpi.h"
#include "report/fmt.h"
#include "report/html.h"

#include <math.h>

/* One metric's overall figures for a month, and its change from the
 * month before; PCT: a share shown in percent and points. */
typedef struct kpi {
    const char *name, *what;
    int pct;
    long long n;
    double value, lo, hi;
    int has_change;
    double prev, change, p;
    int significant;
} kpi;

static void sig_words(FILE *f, int significant, double p, double conf)
{
    if (significant < 0) {
        fputs("significance cannot be judged (too few answers or no spread in one of the months)", f);
        return;
    }
    fputs(significant ? "<b>statistically significant</b> (" : "not statistically significant (", f);
    html_p(f, p);
    fprintf(f, significant ? ", at the %g%% level)" : "): within sampling noise", 100.0 * (1.0 - conf));
}

/* "<li>WHAT: up 12.5 points from M (40.0%), ...</li>": the change from
 * THEN (a month key) when HAS, else that there is nothing to compare. */
static void change_line(FILE *f, const kpi *k, const char *what, int has, int then, double prev,
                        double change, double p, int significant, double conf)
{
    const double scale = k->pct ? 100.0 : 1.0;
    const int dec = k->pct ? 1 : 2;
    char m[40];
    fmt_month(then, m, sizeof m);
    fprintf(f, "<li>%s: ", what);
    if (!has) {
        fprintf(f, "no %s responses in %s to compare with.</li>\n", k->name, m);
        return;
    }
    double d = scale * change;
    fputs(d > 0 ? "up " : d < 0 ? "down " : "unchanged, ", f);
    if (d != 0) {
        html_num(f, fabs(d), dec);
        fputs(k->pct ? " points " : " ", f);
    }
    fprintf(f, "from %s (", m);
    html_num(f, scale * prev, dec);
    fprintf(f, "%s), ", k->pct ? "%" : "");
    sig_words(f, significant, p, conf);
    fputs(".</li>\n", f);
}

/* The 12-month trend as a slope, in the words of the NPS summary: over
 * the months that have answers, and when no slope was fitted, why. */
static void trend_line(FILE *f, const kpi *k, const metrics_result *m, int is_csat,
                       const metric_summary_part *s, double conf)
{
    const double scale = k->pct ? 100.0 : 1.0;
    const trend_fit *t = &s->trend;
    char span[64];
    int first = s->month, last = s->month;
    size_t with = fmt_data_months(NULL, m, is_csat ? FMT_CSAT : FMT_CES, s->month - SUMMARY_TREND_MONTHS + 1,
                                  s->month, &first, &last);
    fmt_months(last, last - first + 1, span, sizeof span);
    fprintf(f, "<li>Trend over %s: ", span);
    if (isnan(t->slope)) {
        if (with < 3) fputs("fewer than three months with responses, no trend fitted.</li>\n", f);
        else /* months without spread have no SE and are left out (docs/methods.md, Summary) */
            fprintf(f,
                    "fewer than three months with a usable standard error (%zu of the %zu months with "
                    "responses; a month whose answers are all alike has none), no trend fitted.</li>\n",
                    t->k, with);
        return;
    }
    fputs(t->slope >= 0 ? "rising by " : "falling by ", f);
    html_num(f, fabs(scale * t->slope), k->pct ? 2 : 3);
    fprintf(f, "%s a month (%g%% interval ", k->pct ? " points" : "", 100.0 * conf);
    html_interval(f, scale * t->lo, scale * t->hi, k->pct ? 2 : 3);
    fprintf(f, ", %zu %s), %s (", t->k, fmt_noun((double)t->k, "month", "months"),
            t->significant == 1 ? "<b>a clear trend</b>" : "no clear trend");
    html_p(f, t->p);
    fputs(").</li>\n", f);
}

/* TABLES: the CSAT and CES tables (IS_CSAT picks one), for the trend's
 * months. */
static void kpi_write(FILE *f, const kpi *k, const metrics_result *tables, int is_csat,
                      const metric_summary_part *s, int month, double conf)
{
    char m[40];
    const double scale = k->pct ? 100.0 : 1.0;
    const int dec = k->pct ? 1 : 2;
    fmt_month(month, m, sizeof m);
    if (k->n == 0) {
        fprintf(f, "<p>No %s responses in this month.</p>\n", k->name);
        return;
    }
    fputs("<div class=\"kpi\"><div class=\"big\">", f);
    html_num(f, scale * k->value, dec);
    fprintf(f, "%s</div><div>%s (%s) in %s from ", k->pct ? "%" : "", k->name, k->what, m);
    html_count(f, (double)k->n);
    fprintf(f, k->n == 1 ? " response; %g%% interval " : " responses; %g%% interval ", 100.0 * conf);
    html_interval(f, scale * k->lo, scale * k->hi, dec);
    fprintf(f, "%s.</div></div>\n<ul class=\"facts\">\n", k->pct ? "%" : "");
    change_line(f, k, "Against last month", k->has_change, month - 1, k->prev, k->change, k->p,
                k->significant, conf);
    if (s && s->month == month) {
        change_line(f, k, "Against the same month last year", s->has_year, month - 12, s->year_value,
                    s->year_change, s->year_p, s->year_significant, conf);
        trend_line(f, k, tables, is_csat, s, conf);
    }
    fputs("</ul>\n", f);
}

static kpi csat_kpi(const metrics_result *m, int month)
{
    kpi k = {"CSAT", "share satisfied: 4-5 of 5, or good", 1, 0, NAN, NAN, NAN, 0, NAN, NAN, NAN, -1};
    for (size_t i = 0; m && i < m->n_csat; i++) {
        const csat_row *r = &m->csat[i];
        if (r->dim != 0 || r->month != month) continue;
        k.n = r->n, k.value = r->share, k.lo = r->ci_low, k.hi = r->ci_high;
    }
    for (size_t i = 0; m && i < m->n_csat_changes; i++) {
        const csat_change_row *c = &m->csat_changes[i];
        if (c->dim != 0 || c->month != month) continue;
        k.has_change = 1, k.prev = c->prev_share, k.change = c->change, k.p = c->p,
        k.significant = c->significant;
    }
    return k;
}

static kpi ces_kpi(const metrics_result *m, int month)
{
    kpi k = {"CES", "mean effort score, 1-7", 0, 0, NAN, NAN, NAN, 0, NAN, NAN, NAN, -1};
    for (size_t i = 0; m && i < m->n_ces; i++) {
        const ces_row *r = &m->ces[i];
        if (r->dim != 0 || r->month != month) continue;
        k.n = r->n, k.value = r->mean, k.lo = r->ci_low, k.hi = r->ci_high;
    }
    for (size_t i = 0; m && i < m->n_ces_changes; i++) {
        const ces_change_row *c = &m->ces_changes[i];
        if (c->dim != 0 || c->month != month) continue;
        k.has_change = 1, k.prev = c->prev_mean, k.change = c->change, k.p = c->p,
        k.significant = c->significant;
    }
    return k;
}

void html_kpi_metric(FILE *f, const stats_result *r, int month)
{
    if (r->metric != STATS_METRIC_CSAT && r->metric != STATS_METRIC_CES) return;
    kpi k = r->metric == STATS_METRIC_CSAT ? csat_kpi(r->metrics, month) : ces_kpi(r->metrics, month);
    const metric_summary *ms = r->metric_summary;
    int is_csat = r->metric == STATS_METRIC_CSAT;
    kpi_write(f, &k, r->metrics, is_csat, !ms ? NULL : is_csat ? &ms->csat : &ms->ces, month, r->confidence);
}
