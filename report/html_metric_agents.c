/* html_metric_agents.c — the "Agents" section of a CSAT or CES report:
 * each agent's shrunk share satisfied (or mean effort) with its interval,
 * the tiers against the population, the agreement with the handle-time
 * ranking, the caterpillar chart and the table.  Every number comes from
 * the run's agents_metric table (stats/agents_metric.c).
 */
#include "report/fmt.h"
#include "report/html.h"
#include "report/html_metric_view.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Agents in the table; every agent is in agents_csat.csv / agents_ces.csv. */
#define TABLE_MAX 100

static const char *tier_label(const agent_metric_row *a)
{
    if (a->rank_feedback == 0) return "Too few responses";
    return a->tier > 0 ? "Clearly above" : a->tier < 0 ? "Clearly below" : "Typical";
}

static void reading(FILE *f, const stats_result *r, const metric_view *v)
{
    const agent_metric_table *t = v->agents;
    fprintf(f,
            "<p>Each agent is scored on the %s of their calls. Small samples are noisy, so each agent's "
            "score is pulled toward the population's ",
            v->name);
    metric_value(f, v, t->prior_mean);
    if (isinf(t->m))
        fputs(", here all the way: agents differ no more than chance would make them (or there is too "
              "little data to tell), so every agent gets the population's score.</p>\n",
              f);
    else {
        fputs(", as if each agent had ", f);
        html_num(f, t->m, t->m < 10 ? 1 : 0);
        fputs(" more answers at the population's level.</p>\n", f);
    }
    fprintf(f,
            "<p>Of %zu ranked %s, <b>%zu clearly above</b> and <b>%zu clearly below</b> the population "
            "(their whole %g%% interval on one side); the others are typical, within noise of it.</p>\n",
            t->ranked, fmt_noun((double)t->ranked, "agent", "agents"), t->above, t->below,
            100.0 * r->confidence);
    fputs("<p><b>Handle time vs feedback.</b> ", f);
    if (isnan(t->spearman_aht))
        fputs("The two rankings cannot be compared (fewer than 3 ranked agents with handle times, or one "
              "ranking is all ties).</p>\n",
              f);
    else {
        fputs("Spearman correlation of the two rankings: ", f);
        html_num(f, t->spearman_aht, 2);
        fputs(".</p>\n", f);
    }
}

static void table(FILE *f, const stats_result *r, const metric_view *v)
{
    const agent_metric_table *t = v->agents;
    fprintf(f,
            "<div class=\"tw\"><table class=\"agents stack\">\n<thead><tr><th>Tier</th><th>Rank</th>"
            "<th>Agent</th><th>Responses</th><th>%s (%g%% interval)</th><th>Raw %s</th><th>Handle time</th>"
            "</tr></thead>\n<tbody>\n",
            v->name, 100.0 * r->confidence, v->name);
    /* By tier (above, typical, below, then too few answers), ranked inside
     * the tier: the rows are in rank order, so each tier comes out by its
     * rank.  The first TABLE_MAX rows of the result, as before. */
    static const char *const order[] = {"above", "typical", "below", ""};
    size_t shown = t->n_rows < TABLE_MAX ? t->n_rows : TABLE_MAX;
    for (size_t o = 0; o < sizeof order / sizeof *order; o++)
        for (size_t i = 0; i < shown; i++) {
            const agent_metric_row *a = &t->rows[i];
            const char *key = agent_metric_tier_key(a);
            if (strcmp(key, order[o]) != 0) continue;
            fprintf(f, "<tr class=\"tier-%s\"><td>%s</td><td>", *key ? key : "few", tier_label(a));
            if (a->rank_in_tier > 0) fprintf(f, "%d", a->rank_in_tier);
            else fputs("&ndash;", f);
            fputs("</td><td>", f);
            html_text(f, a->agent_id);
            fprintf(f, "</td><td>%lld</td><td>", a->n);
            metric_value(f, v, a->shrunk);
            fputs(" <small>(", f);
            html_interval(f, v->scale * a->ci_low, v->scale * a->ci_high, v->dec);
            fputs(")</small></td><td>", f);
            metric_value(f, v, a->raw);
            fputs("</td><td>", f);
            html_mss(f, a->aht_s);
            fputs("</td></tr>\n", f);
        }
    fputs("</tbody>\n</table></div>\n", f);
    fprintf(
        f,
        "<p><small>Ranked: agents with at least the minimum number of answers (--min-responses); "
        "ranks are inside the tier, ties share the lowest rank.%s Every agent is in agents_%s.csv.</small></p>\n",
        t->n_rows > TABLE_MAX ? " The table shows the first 100 in rank order." : "",
        v->is_csat ? "csat" : "ces");
}

static void section(FILE *f, const stats_result *r, const charts *ch)
{
    metric_view v;
    if (metric_view_of(r, &v) != 0 || !v.agents) return;
    fprintf(f, "<section id=\"agents\">\n<h2>Agents: post-call %s", v.name);
    html_period(f, r, v.sum && v.sum->month ? v.sum->month : r->month, r->window);
    fputs("</h2>\n", f);
    if (v.agents->n_rows == 0) {
        fprintf(f, "<p>No %s answers with an agent id in this period.</p>\n</section>\n", v.name);
        return;
    }
    reading(f, r, &v);
    char chart[40], alt[128];
    snprintf(chart, sizeof chart, "%s_agents", v.is_csat ? "csat" : "ces");
    snprintf(alt, sizeof alt, "Agents sorted by shrunk %s with intervals; the line is the population's",
             v.name);
    html_chart(f, ch, chart, alt);
    table(f, r, &v);
    fputs("</section>\n", f);
}

const report_section html_metric_agents = {"agents", STATS_RUN_AGENTS, section};
