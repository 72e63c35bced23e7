/* html_agents.c — the "Agents" section of index.html: the two charts, a
 * plain-language reading and the leaderboard table.  Every value from data
 * goes through html_text; every number was computed in stats/agents.c
 * and comes from the run's agents_result.
 */
#include "report/fmt.h"
#include "report/html.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>

/* Above this many agents the table shows the top and bottom of the
 * ranking only (agents.csv has every agent). */
#define TABLE_ALL_MAX 100
#define TABLE_EDGE 50
/* Names listed in one sentence before "and N more". */
#define LIST_MAX 10

static void put_range(FILE *f, double lo, double hi)
{
    html_num(f, lo, 1);
    fputs(" to ", f);
    html_num(f, hi, 1);
}

static void list_item(FILE *f, const agent_row *r, size_t shown)
{
    if (shown) fputs(", ", f);
    fputs("<b>", f);
    html_text(f, r->id);
    fputs("</b> (", f);
    html_num(f, r->shrunk.nps, 1);
    fprintf(f, ", n&nbsp;=&nbsp;%lld)", (long long)r->n);
}

/* "a (45.1, n = 30), b (40.2, n = 12) and 3 more" for the agents of
 * TIER, from the far end of the ranking inward.  Returns how many agents
 * the tier has. */
static size_t list_tier(FILE *f, const agents_result *a, int tier)
{
    size_t ranked = a->n_ranked, shown = 0, total = 0;
    for (size_t i = 0; i < ranked; i++)
        if ((&a->rows[i])->tier == tier) total++;
    for (size_t j = 0; j < ranked && shown < LIST_MAX; j++) {
        size_t i = tier == AGENT_TIER_ABOVE ? j : ranked - 1 - j;
        const agent_row *r = (&a->rows[i]);
        if (r->tier == tier) list_item(f, r, shown++);
    }
    if (total > shown) fprintf(f, " and %zu more", total - shown);
    return total;
}

static const char *strength_word(double r)
{
    double x = fabs(r);
    return x < 0.1 ? "negligible" : x < 0.3 ? "weak" : x < 0.5 ? "moderate" : "strong";
}

static void reading_prior(FILE *f, const agents_result *a)
{
    const agents_prior *pr = &a->all;
    fputs("<p>Each agent is scored on how customers felt at the end of the call "
          "(post-call NPS), not on handle time.  Small samples are noisy, so each "
          "agent's NPS is pulled toward the population NPS of ",
          f);
    html_num(f, pr->nps, 1);
    fputs(" (", f);
    html_count(f, (double)pr->n);
    fprintf(f, " %s, ", fmt_noun((double)pr->n, "response", "responses"));
    html_count(f, (double)pr->k);
    fprintf(f, " %s), ", fmt_noun((double)pr->k, "agent", "agents"));
    if (isinf(pr->m)) {
        fputs("here all the way: agents differ no more than chance would make them (or there "
              "is too little data to tell), so every agent gets the population NPS.</p>\n",
              f);
    } else {
        fputs("as if each agent had ", f);
        html_num(f, pr->m, pr->m < 10.0 ? 1 : 0);
        fprintf(f, " more %s at the population's mix", fmt_noun(pr->m, "response", "responses"));
        fputs(pr->m_given ? " (set with --prior-strength).</p>\n"
                          : ", a weight estimated from how much agents differ beyond chance.</p>\n",
              f);
    }
}

static void reading_outliers(FILE *f, const agents_result *a)
{
    fprintf(f,
            "<p>Agents with at least %d %s fall in three tiers.  "
            "<b>Clearly above the population</b> (the whole %g%% interval is above it): ",
            a->min_responses, fmt_noun(a->min_responses, "response", "responses"), 100.0 * a->confidence);
    if (list_tier(f, a, AGENT_TIER_ABOVE) == 0) fputs("none", f);
    fputs(".<br>\n<b>Clearly below</b>: ", f);
    if (list_tier(f, a, AGENT_TIER_BELOW) == 0) fputs("none", f);
    fputs(".<br>\n<b>Typical</b>: everyone else, within noise of the population.  "
          "Agents are ranked only inside their tier: the order inside the typical tier "
          "is not a meaningful difference.</p>\n",
          f);
}

static void reading_aht(FILE *f, const agents_result *a)
{
    agents_spearman_t s = a->rank_agreement;
    fprintf(f,
            "<p><b>Handle time vs feedback.</b> Over %lld ranked %s with "
            "handle times, ",
            (long long)s.n, fmt_noun((double)s.n, "agent", "agents"));
    if (isnan(s.r)) {
        fputs("the two rankings cannot be compared (fewer than 3 agents, or one "
              "ranking is all ties).</p>\n",
              f);
        return;
    }
    fputs("the Spearman correlation of the feedback ranking with the AHT ranking is ", f);
    html_num(f, s.r, 2);
    fputs(" (", f);
    html_p(f, s.p);
    fputs("; Spearman of shrunk NPS with AHT ", f);
    html_num(f, a->nps_aht.r, 2);
    fputs("): ", f);
    if (!(s.p < 1.0 - a->confidence)) {
        fputs("no evidence that they agree &mdash; ranking agents by handle time "
              "would not pick the agents customers rate best.",
              f);
    } else if (s.r > 0) {
        fprintf(f,
                "a %s agreement &mdash; agents customers rate well tend also to "
                "be the faster ones.",
                strength_word(s.r));
    } else {
        fprintf(f,
                "a %s disagreement &mdash; the faster agents tend to get worse "
                "feedback, so an AHT target works against customer feeling.",
                strength_word(s.r));
    }
    fputs("</p>\n", f);
}

static void reading_mot(FILE *f, const agents_result *a)
{
    const agents_prior *mp = (&a->mot);
    fputs("<p><b>Moments of truth.</b> ", f);
    if (mp->n == 0) {
        fputs("No agent response has an interaction type listed in mot_types.</p>\n", f);
        return;
    }
    fprintf(f, "%lld %s of moment-of-truth types over %lld %s, NPS ", (long long)mp->n,
            fmt_noun((double)mp->n, "response", "responses"), (long long)mp->k,
            fmt_noun((double)mp->k, "agent", "agents"));
    html_num(f, mp->nps, 1);
    fputs(".  ", f);
    const size_t *idx = a->mot_best;
    size_t k = a->n_mot_best;
    if (k == 0) {
        fputs("No agent handles them better than the moment-of-truth population.</p>\n", f);
        return;
    }
    fputs("Best handlers, candidates to route such calls to: ", f);
    int any_clear = 0;
    long long need = a->min_responses;
    for (size_t i = 0; i < k; i++) {
        const agent_row *r = (&a->rows[idx[i]]);
        /* "clearly above" only on as many calls as a ranking needs: an
         * interval of one or two calls can be narrow by accident (a
         * prior of m = 0 when the few repeated calls agree) */
        int clear = r->mot_vs_population > 0 && r->mot_n >= need;
        if (i) fputs(", ", f);
        fputs("<b>", f);
        html_text(f, r->id);
        fputs("</b> (MoT NPS ", f);
        html_num(f, r->mot.nps, 1);
        fprintf(f, ", %lld %s%s)", (long long)r->mot_n, fmt_noun((double)r->mot_n, "call", "calls"),
                clear ? ", clearly above" : "");
        any_clear |= clear;
    }
    if (any_clear)
        fprintf(f,
                ".  &ldquo;Clearly above&rdquo;: the agent's whole interval lies above the "
                "moment-of-truth population, on at least %lld %s; the others lead on the estimate "
                "only.</p>\n",
                need, fmt_noun((double)need, "call", "calls"));
    else
        fprintf(f,
                ".  None is clearly above the moment-of-truth population yet (on at least %lld %s, "
                "with the whole interval above it): treat these as candidates to watch.</p>\n",
                need, fmt_noun((double)need, "call", "calls"));
}

static const char *tier_label(int tier)
{
    switch (tier) {
    case AGENT_TIER_ABOVE: return "Clearly above";
    case AGENT_TIER_TYPICAL: return "Typical";
    case AGENT_TIER_BELOW: return "Clearly below";
    default: return "Too few responses";
    }
}

static void table_row(FILE *f, const agent_row *r)
{
    static const char *const cls[] = {"few", "above", "typical", "below"};
    fprintf(f, "<tr class=\"tier-%s\"><td data-label=\"Tier\">%s</td><td data-label=\"Rank in tier\">",
            cls[r->tier >= AGENT_TIER_ABOVE && r->tier <= AGENT_TIER_BELOW ? r->tier : 0],
            tier_label(r->tier));
    if (r->rank_in_tier > 0) fprintf(f, "%d", r->rank_in_tier);
    else fputs("&ndash;", f);
    fputs("</td><td data-label=\"Agent\">", f);
    html_text(f, r->id);
    fprintf(f, "</td><td data-label=\"Responses\">%lld</td><td data-label=\"NPS (interval)\">",
            (long long)r->n);
    html_num(f, r->shrunk.nps, 1);
    fputs(" <small>(", f);
    put_range(f, r->shrunk.ci_low, r->shrunk.ci_high);
    fputs(")</small></td><td data-label=\"Raw NPS\">", f);
    html_num(f, r->nps_raw, 1);
    fputs("</td><td data-label=\"Moments of truth NPS (calls)\">", f);
    html_num(f, r->mot.nps, 1);
    fprintf(f, " <small>(%lld)</small></td><td data-label=\"Handle time\">", (long long)r->mot_n);
    html_mss(f, r->aht_s);
    fputs("</td></tr>\n", f);
}

/* The rows of TIER in rank order, at most MAX of them; how many are left. */
static size_t tier_rows(FILE *f, const agents_result *a, int tier, size_t max)
{
    size_t n = a->n_rows, shown = 0, left = 0;
    for (size_t i = 0; i < n; i++) {
        const agent_row *r = (&a->rows[i]);
        if (r->tier != tier) continue;
        if (shown < max) {
            table_row(f, r);
            shown++;
        } else left++;
    }
    return left;
}

static void table(FILE *f, const agents_result *a)
{
    size_t n = a->n_rows;
    fprintf(f,
            "<div class=\"tw\"><table class=\"agents stack\">\n<thead><tr><th>Tier</th>"
            "<th>Rank in tier</th><th>Agent</th><th>Responses</th><th>NPS (%g%% interval)</th>"
            "<th>Raw NPS</th><th>Moments of truth NPS (calls)</th><th>Handle time</th>"
            "</tr></thead>\n<tbody>\n",
            100.0 * a->confidence);
    /* A long table keeps the two outer tiers and says what it leaves out. */
    size_t max = n <= TABLE_ALL_MAX ? n : TABLE_EDGE;
    size_t left = tier_rows(f, a, AGENT_TIER_ABOVE, max);
    size_t typical = tier_rows(f, a, AGENT_TIER_TYPICAL, n <= TABLE_ALL_MAX ? n : 0);
    left += tier_rows(f, a, AGENT_TIER_BELOW, max);
    size_t few = tier_rows(f, a, AGENT_TIER_NONE, n <= TABLE_ALL_MAX ? n : 0);
    if (typical + few + left > 0)
        fprintf(f,
                "<tr><td colspan=\"8\">%zu typical %s, %zu with too few responses "
                "and %zu more of the outer tiers are not shown</td></tr>\n",
                typical, fmt_noun((double)typical, "agent", "agents"), few, left);
    fputs("</tbody>\n</table></div>\n", f);
    fprintf(f,
            "<p><small>Tiers and ranks: agents with at least %d %s; ties share the "
            "lowest rank.  Every agent is in agents.csv.</small></p>\n",
            a->min_responses, fmt_noun(a->min_responses, "response", "responses"));
}

static void section(FILE *f, const stats_result *r, const charts *ch)
{
    const agents_result *a = r->agents;
    fputs("<section id=\"agents\">\n<h2>Agents: post-call feedback", f);
    html_period(f, r, r->nps->report_month, r->window);
    fputs("</h2>\n", f);
    if (a->n_rows == 0) {
        fputs("<p>No responses with an agent id in this period.</p>\n</section>\n", f);
        return;
    }
    reading_prior(f, a);
    reading_outliers(f, a);
    reading_aht(f, a);
    reading_mot(f, a);
    html_chart(f, ch, "agents_caterpillar",
               "Agents sorted by shrunk NPS with intervals; the line is the population NPS");
    html_chart(f, ch, "agents_aht_scatter", "Average handle time against shrunk NPS per agent");
    table(f, a);
    fputs("</section>\n", f);
}

const report_section html_agents = {"agents", STATS_RUN_AGENTS, section};
