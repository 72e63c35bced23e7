/* html_metric_view.c — see html_metric_view.h. */
#include "report/html_metric_view.h"
#include "report/fmt.h"
#include "report/html.h"
#include "report/noun.h"

#include <math.h>

int metric_view_of(const stats_result *r, metric_view *v)
{
    const metric_summary *s = r->metric_summary;
    const agents_metric_result *a = r->agents_metric;
    if (r->metric == STATS_METRIC_CSAT) {
        *v = (metric_view){1,
                           "CSAT",
                           "share satisfied (4-5 of 5, or good)",
                           "csat.csv",
                           100,
                           1,
                           s ? &s->csat : NULL,
                           a ? &a->csat : NULL};
        return 0;
    }
    if (r->metric == STATS_METRIC_CES) {
        *v = (metric_view){0, "CES", "mean effort score (1-7)", "ces.csv",
                           1, 2,     s ? &s->ces : NULL,        a ? &a->ces : NULL};
        return 0;
    }
    return -1;
}

size_t metric_rows(const stats_result *r, const metric_view *v)
{
    const metrics_result *m = r->metrics;
    return !m ? 0 : v->is_csat ? m->n_csat : m->n_ces;
}

metric_cell metric_row(const stats_result *r, const metric_view *v, size_t i)
{
    const metrics_result *m = r->metrics;
    if (v->is_csat) {
        const csat_row *x = &m->csat[i];
        return (metric_cell){x->month, x->dim,    x->segment, x->n,
                             x->share, x->ci_low, x->ci_high, &m->csat_vs_rest[i]};
    }
    const ces_row *x = &m->ces[i];
    return (metric_cell){x->month, x->dim,    x->segment, x->n,
                         x->mean,  x->ci_low, x->ci_high, &m->ces_vs_rest[i]};
}

int metric_change(const stats_result *r, const metric_view *v, int month, double *prev, double *change,
                  double *p, int *significant)
{
    const metrics_result *m = r->metrics;
    size_t n = !m ? 0 : v->is_csat ? m->n_csat_changes : m->n_ces_changes;
    for (size_t i = 0; i < n; i++) {
        if (v->is_csat) {
            const csat_change_row *c = &m->csat_changes[i];
            if (c->dim != 0 || c->month != month) continue;
            *prev = c->prev_share, *change = c->change, *p = c->p, *significant = c->significant;
        } else {
            const ces_change_row *c = &m->ces_changes[i];
            if (c->dim != 0 || c->month != month) continue;
            *prev = c->prev_mean, *change = c->change, *p = c->p, *significant = c->significant;
        }
        return 1;
    }
    return 0;
}

long long report_responses(const stats_result *r, const char **name)
{
    metric_view v;
    *name = "";
    if (metric_view_of(r, &v) != 0) return r->responses;
    *name = v.is_csat ? "CSAT" : "CES";
    size_t n = metric_rows(r, &v);
    for (size_t i = 0; i < n; i++) {
        metric_cell c = metric_row(r, &v, i);
        if (c.month == 0 && c.dim == 0) return c.n;
    }
    return 0;
}

void metric_value(FILE *f, const metric_view *v, double value)
{
    html_num(f, v->scale * value, v->dec);
    if (v->is_csat && !isnan(value)) fputs("%", f);
}

void metric_diff(FILE *f, const metric_view *v, double diff)
{
    html_num(f, v->scale * diff, v->dec);
    if (v->is_csat) fputs(" points", f);
}

static void finding_line(FILE *f, const stats_result *r, const metric_view *v, const finding *x)
{
    static const char *const kinds[] = {"segment", "driver", "mot", "hic", "agents"};
    fprintf(f, "<li data-kind=\"%s\" data-effect=\"%.10g\" data-q=\"%.10g\">", kinds[x->kind], x->effect,
            x->q);
    if (x->kind == FIND_SEGMENT) {
        fputs("<b><bdi>", f);
        html_label(f, r, x->name);
        fputs("</bdi></b> (<bdi>", f);
        html_label(f, r, stats_dim_name(r, x->dim));
        fputs("</bdi>", f);
        fprintf(f, "): %s ", v->name);
        metric_value(f, v, x->value);
        fputs(", ", f);
        metric_diff(f, v, fabs(x->effect));
        fputs(x->effect >= 0 ? " above" : " below", f);
        fputs(" the rest of the month (", f);
        metric_value(f, v, x->other);
        fputs("; ", f);
        html_count(f, (double)x->n);
        fputs(x->n == 1 ? " response, adjusted " : " responses, adjusted ", f);
        html_p(f, x->q);
        fputs(").", f);
    } else {
        fprintf(f, "<b>Agents</b>: %d clearly above and %d clearly below the population %s of ", x->above,
                x->below, v->name);
        metric_value(f, v, x->other);
        fputs(" (their interval lies on one side, and they stay significant after the correction).", f);
    }
    fputs("</li>\n", f);
}

void html_metric_findings(FILE *f, const stats_result *r, const char *m)
{
    metric_view v;
    if (metric_view_of(r, &v) != 0 || !v.sum) return;
    const metric_summary_part *s = v.sum;
    fprintf(f, "<h3>What stands out in %s</h3>\n", m);
    if (s->n_findings > 0) {
        fputs("<ol id=\"findings\">\n", f);
        for (size_t i = 0; i < s->n_findings; i++) finding_line(f, r, &v, &s->findings[i]);
        fputs("</ol>\n", f);
    }
    findings_counts c = {s->n_tests, s->n_significant, s->n_findings, s->n_small, s->min_responses, s->fdr};
    html_findings_counts(f, v.name, &c);
}
