/* text_agents_metric.c — `cxpulse agents --metric csat|ces`: the agent
 * leaderboard on CSAT or CES for the terminal, from the run's result
 * (stats/agents_metric.c): the terminal views "agents_csat" and
 * "agents_ces".  Grouped by tier (clearly above, typical, clearly below
 * the population, then too few answers) and ranked inside the tier, as the
 * NPS table of text_agents.c; the tiers and ranks are the run's.  Agent
 * ids are printed with control characters replaced, as in text_agents.c. */
#include "report/outputs.h"
#include "report/fmt.h"

#include <math.h>
#include <string.h>

static void put_id(FILE *f, const char *s, int width)
{
    int len = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && len < 40; p++, len++) {
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) { /* C1 controls */
            fputc('?', f);
            p++;
        } else {
            fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
        }
    }
    for (; len < width; len++) fputc(' ', f);
}

static void put_num(FILE *f, double v, int dec)
{
    if (isnan(v)) fprintf(f, " %7s", "-");
    else fprintf(f, " %7.*f", dec, v);
}

/* The tier as `cxpulse agents` (NPS) shows it: the CSV's key, "too few"
 * for an unranked agent. */
static const char *tier_name(const agent_metric_row *r)
{
    const char *k = agent_metric_tier_key(r);
    return *k ? k : "too few";
}

static void put_row(FILE *f, const agent_metric_row *r, int dec)
{
    fprintf(f, "%-8s", tier_name(r));
    if (r->rank_in_tier > 0) fprintf(f, "%4d  ", r->rank_in_tier);
    else fputs("   -  ", f);
    put_id(f, r->agent_id, 16);
    fprintf(f, " %7lld", r->n);
    put_num(f, r->raw, dec);
    put_num(f, r->shrunk, dec);
    put_num(f, r->ci_low, dec);
    put_num(f, r->ci_high, dec);
    put_num(f, r->aht_s, 0);
    if (r->rank_aht > 0) fprintf(f, " %4d\n", r->rank_aht);
    else fputs("    -\n", f);
}

static int leaderboard(FILE *f, const agent_metric_table *t, const char *metric)
{
    int csat = strcmp(metric, "csat") == 0, dec = csat ? 3 : 2;
    const char *what = csat ? "share satisfied" : "mean";
    size_t ranked = 0;
    for (size_t i = 0; i < t->n_rows; i++) ranked += t->rows[i].rank_feedback > 0;
    fprintf(f, "agents on %s: %zu (%zu ranked), population %s ", csat ? "CSAT" : "CES", t->n_rows, ranked,
            what);
    if (isnan(t->prior_mean)) fputs("-", f);
    else fprintf(f, "%.*f", dec, t->prior_mean);
    if (isinf(t->m)) fputs("; m = inf (full pooling)", f);
    else fprintf(f, "; m = %.3g", t->m);
    if (isnan(t->spearman_aht)) fputs("; Spearman(feedback rank, AHT rank) = -\n", f);
    else fprintf(f, "; Spearman(feedback rank, AHT rank) = %.3f\n", t->spearman_aht);
    fprintf(f,
            "tier: the agent's interval lies clearly above, around (typical) or clearly below "
            "the population %s; rank: inside the tier\n",
            what);
    fprintf(f, "%-8s%4s  %-16s %7s %7s %7s %7s %7s %7s %4s\n", "tier", "rank", "agent", "n", "raw", "shrunk",
            "ci_low", "ci_high", "aht_s", "aht#");
    /* The rows are in rank order, so each tier comes out by its rank; the
     * unranked ones last, as the CSV has them. */
    static const char *const order[] = {"above", "typical", "below", ""};
    for (size_t o = 0; o < sizeof order / sizeof *order; o++)
        for (size_t i = 0; i < t->n_rows; i++)
            if (strcmp(agent_metric_tier_key(&t->rows[i]), order[o]) == 0) put_row(f, &t->rows[i], dec);
    return ferror(f) ? -1 : 0;
}

static int write_csat(FILE *f, const stats_result *r)
{
    if (!r->agents_metric) return -1;
    text_period(f, r);
    return leaderboard(f, &r->agents_metric->csat, "csat");
}

static int write_ces(FILE *f, const stats_result *r)
{
    if (!r->agents_metric) return -1;
    text_period(f, r);
    return leaderboard(f, &r->agents_metric->ces, "ces");
}

const report_textview text_agents_csat = {"agents_csat", STATS_RUN_AGENTS, write_csat};
const report_textview text_agents_ces = {"agents_ces", STATS_RUN_AGENTS, write_ces};
