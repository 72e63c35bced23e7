/* text_agents.c — the terminal table of `cxpulse agents`: a header with
 * the population NPS, m and ρ, then aligned columns by tier (clearly above,
 * typical, clearly below the population, then the agents with too few
 * responses), ranked only inside their tier.
 */
#include "report/fmt.h"
#include "report/report.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Agent ids longer than this overflow their column rather than being cut. */
#define ID_COL_MAX 32

/* Writes S padded to WIDTH bytes; control characters (C0, DEL and the C1
 * range U+0080..U+009F, which some terminals obey) become '?' so an id
 * cannot move the cursor or clear the terminal. */
static void put_id(FILE *f, const char *s, int width)
{
    int len = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, len++) {
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            fputc('?', f);
            p++;
            len++;
        } else {
            fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
        }
    }
    for (; len < width; len++) fputc(' ', f);
}

static void put_num(FILE *f, double v, int width, int dec)
{
    if (isnan(v)) fprintf(f, " %*s", width, "-");
    else if (isinf(v)) fprintf(f, " %*s", width, v > 0 ? "inf" : "-inf");
    else fprintf(f, " %*.*f", width, dec, v);
}

static void put_rank(FILE *f, int rank, int width)
{
    if (rank > 0) fprintf(f, "%*d", width, rank);
    else fprintf(f, "%*s", width, "-");
}

static void header(FILE *f, const agents_result *a)
{
    const agents_prior *pr = (&a->all);
    agents_spearman_t s = a->rank_agreement;
    fprintf(f, "agents: %zu (%zu ranked with n >= %d), %lld %s; population NPS ", a->n_rows, a->n_ranked,
            a->min_responses, (long long)pr->n, fmt_noun((double)pr->n, "response", "responses"));
    if (isnan(pr->nps)) fputs("-", f);
    else fprintf(f, "%.1f", pr->nps);
    fputs("; m = ", f);
    if (isinf(pr->m)) fputs("inf (full pooling)", f);
    else fprintf(f, "%.4g%s", pr->m, pr->m_given ? " (given)" : "");
    fputs(", rho = ", f);
    if (isnan(pr->rho)) fputs("-", f);
    else fprintf(f, "%.4g", pr->rho);
    fprintf(f, "; %g%% intervals\n", 100.0 * a->confidence);
    fputs("Spearman(feedback rank, AHT rank) = ", f);
    const char *agents = fmt_noun((double)s.n, "agent", "agents");
    if (isnan(s.r)) fprintf(f, "- (%lld %s)\n", (long long)s.n, agents);
    else fprintf(f, "%.3f (p = %.3g, %lld %s)\n", s.r, s.p, (long long)s.n, agents);
}

static const char *tier_name(int tier)
{
    switch (tier) {
    case AGENT_TIER_ABOVE: return "above";
    case AGENT_TIER_TYPICAL: return "typical";
    case AGENT_TIER_BELOW: return "below";
    default: return "too few";
    }
}

static void put_row(FILE *f, const agent_row *r, int w)
{
    fprintf(f, "%-8s", tier_name(r->tier));
    put_rank(f, r->rank_in_tier, 4);
    fputs("  ", f);
    put_id(f, r->id, w);
    fprintf(f, " %7lld", (long long)r->n);
    put_num(f, r->nps_raw, 7, 1);
    put_num(f, r->shrunk.nps, 7, 1);
    put_num(f, r->shrunk.ci_low, 7, 1);
    put_num(f, r->shrunk.ci_high, 7, 1);
    fprintf(f, " %7lld", (long long)r->mot_n);
    put_num(f, r->mot.nps, 7, 1);
    put_num(f, r->aht_s, 7, 0);
    fputc(' ', f);
    put_rank(f, r->rank_aht, 4);
    fputc('\n', f);
}

int report_agents_text(FILE *f, const agents_result *a)
{
    static const int order[] = {AGENT_TIER_ABOVE, AGENT_TIER_TYPICAL, AGENT_TIER_BELOW, AGENT_TIER_NONE};
    size_t n = a->n_rows;
    int w = 5;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen((&a->rows[i])->id);
        if (len > (size_t)w) w = len > ID_COL_MAX ? ID_COL_MAX : (int)len;
    }
    header(f, a);
    fputs("tier: the agent's interval lies clearly above, around (typical) or clearly below "
          "the population NPS; rank: inside the tier\n",
          f);
    fprintf(f, "%-8s%4s  %-*s %7s %7s %7s %7s %7s %7s %7s %7s %4s\n", "tier", "rank", w, "agent", "n", "raw",
            "shrunk", "ci_low", "ci_high", "mot_n", "mot_nps", "aht_s", "aht#");
    /* The rows are ordered by shrunk NPS, so each tier comes out by its rank. */
    for (size_t t = 0; t < sizeof order / sizeof *order; t++)
        for (size_t i = 0; i < n; i++)
            if ((&a->rows[i])->tier == order[t]) put_row(f, (&a->rows[i]), w);
    return ferror(f) ? -1 : 0;
}

static int view(FILE *f, const stats_result *r)
{
    text_period(f, r);
    return report_agents_text(f, r->agents);
}

const report_textview text_agents = {"agents", STATS_RUN_AGENTS, view};
