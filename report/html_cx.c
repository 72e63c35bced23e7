/* html_cx.c — the report's CX sections: peak-end, moments of truth, spend
 * impact and high-impact customers, each with a plain-language reading
 * (including when a difference is NOT significant), a table and a chart.
 * Reads cx_results only; every value from data goes through html_text.
 */
#include "report/fmt.h"
#include "report/html.h"
#include "stats/period.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/timeparse.h"

/* The figures published with the MoT research the seeds reproduce. */
#define PUBLISHED_UP_AFTER_POSITIVE 0.85
#define PUBLISHED_DOWN_AFTER_NEGATIVE 0.70

static void ci(FILE *f, double conf, double lo, double hi, int dec)
{
    if (isnan(lo) || isnan(hi)) { fputs(" (no interval: too few responses)", f); return; }
    fprintf(f, " (%g%% CI ", 100.0 * conf);
    html_num(f, lo, dec);
    fputs(" to ", f);
    html_num(f, hi, dec);
    fputc(')', f);
}

static void pct(FILE *f, double share)
{
    html_num(f, 100.0 * share, 1);
    if (!isnan(share)) fputc('%', f);
}

static void pct_ci(FILE *f, double conf, const cx_share *s)
{
    pct(f, s->share);
    if (isnan(s->share)) return;
    fprintf(f, " (%g%% CI ", 100.0 * conf);
    pct(f, s->lo);
    fputs(" to ", f);
    pct(f, s->hi);
    fprintf(f, ", n = %lld)", (long long)s->n);
}

static void p_text(FILE *f, double p)
{
    html_p(f, p);
}

static void td_num(FILE *f, double v, int dec)
{
    fputs("<td class=\"num\">", f);
    html_num(f, v, dec);
    fputs("</td>", f);
}

static void td_int(FILE *f, int64_t v) { fprintf(f, "<td class=\"num\">%lld</td>", (long long)v); }

/* A code in words (config "labels", else '_' read as a space). */
static void td_label(FILE *f, const stats_result *res, const char *code)
{
    fputs("<td>", f);
    html_label(f, res, code);
    fputs("</td>", f);
}

static void td_text(FILE *f, const char *s)
{
    fputs("<td>", f);
    html_text(f, s);
    fputs("</td>", f);
}

static void th_row(FILE *f, const char *const *cols)
{
    fputs("<div class=\"tw\"><table>\n<thead><tr>", f);
    for (size_t i = 0; cols[i]; i++) fprintf(f, "<th>%s</th>", cols[i]);
    fputs("</tr></thead>\n<tbody>\n", f);
}

/* ---- peak-end ---- */

static void peak_reading(FILE *f, const cx_results *r, const cx_peak_row *all)
{
    const cx_corr *pe = &all->r_peak_end, *mn = &all->r_mean;
    fprintf(f, "<p>%lld responses carry in-interaction ratings. ", (long long)all->n);
    if (isnan(pe->r) || isnan(mn->r)) {
        fputs("Too few of them (or too little variation) to say whether the peak-end "
              "score or the plain mean predicts the recommendation score.</p>\n", f);
        return;
    }
    fputs("The peak-end score (the mean of the most extreme and the last moment) "
          "correlates with the likelihood to recommend at ", f);
    html_num(f, pe->r, 3);
    ci(f, r->confidence, pe->lo, pe->hi, 3);
    fputs("; the plain mean of the moments at ", f);
    html_num(f, mn->r, 3);
    ci(f, r->confidence, mn->lo, mn->hi, 3);
    fprintf(f, ". %s predicts the score better here",
            pe->r > mn->r ? "Peak-end" : pe->r < mn->r ? "The plain mean" : "Neither");
    int clear = !isnan(pe->lo) && !isnan(mn->lo) && (pe->lo > mn->hi || mn->lo > pe->hi);
    fputs(clear ? ", and the intervals do not overlap: the difference is clear.</p>\n"
                : ", but the intervals overlap: the difference is not clear.</p>\n", f);
}

static void section_peak_end(FILE *f, const cx_results *r, const stats_result *res, const charts *ch)
{
    fputs("<section id=\"peak-end\">\n<h2>Peak-end: what customers remember", f);
    html_period(f, res->nps->report_month, res->window);
    fputs("</h2>\n", f);
    if (r->n_peak == 0 || r->peak[0].n == 0) {
        fputs("<p>No response carries in-interaction ratings (moments), so there is no "
              "peak-end analysis.</p>\n</section>\n", f);
        return;
    }
    peak_reading(f, r, &r->peak[0]);
    html_chart(f, ch, "cx_peak_end", "Mean score by peak-end and by mean of moments");
    static const char *const cols[] = { "Dimension", "Segment", "n", "Mean peak-end",
        "Mean of moments", "Correlation, peak-end", "Interval", "Correlation, mean", "Interval", NULL };
    th_row(f, cols);
    for (size_t i = 0; i < r->n_peak; i++) {
        const cx_peak_row *p = &r->peak[i];
        fputs("<tr>", f);
        td_label(f, res, p->dimension);
        td_label(f, res, p->segment);
        td_int(f, p->n);
        td_num(f, p->mean_peak_end, 2);
        td_num(f, p->mean_moments, 2);
        td_num(f, p->r_peak_end.r, 3);
        fputs("<td>", f); html_num(f, p->r_peak_end.lo, 3); fputs(" to ", f);
        html_num(f, p->r_peak_end.hi, 3); fputs("</td>", f);
        td_num(f, p->r_mean.r, 3);
        fputs("<td>", f); html_num(f, p->r_mean.lo, 3); fputs(" to ", f);
        html_num(f, p->r_mean.hi, 3); fputs("</td>", f);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n</section>\n", f);
}

/* ---- moments of truth ---- */

static void published(FILE *f, const cx_share *s, double figure)
{
    fputs("; the published figure is ", f);
    pct(f, figure);
    if (isnan(s->lo)) { fputs(".", f); return; }
    fputs(s->lo <= figure && figure <= s->hi ? ", inside our interval."
                                             : ", outside our interval.", f);
}

/* One row of the moments-of-truth table; TOTAL: the pooled row. */
static void mot_tr(FILE *f, const cx_results *r, const stats_result *res, const cx_mot_row *t,
                   int total)
{
    fputs(total ? "<tr class=\"total\">" : "<tr>", f);
    fputs("<td>", f);
    if (!total) html_label(f, res, t->type);
    else html_text(f, t->type);
    fputs("</td>", f);
    td_int(f, t->nps.n);
    td_num(f, t->nps.nps, 1);
    fputs("<td>", f); html_num(f, t->nps.ci_low, 1); fputs(" to ", f);
    html_num(f, t->nps.ci_high, 1); fputs("</td>", f);
    td_num(f, t->mean_peak_end, 2);
    td_int(f, t->positive_n);
    td_int(f, t->negative_n);
    td_int(f, t->spend_n);
    fputs("<td>", f); pct_ci(f, r->confidence, &t->up_after_positive); fputs("</td>", f);
    fputs("<td>", f); pct_ci(f, r->confidence, &t->down_after_negative); fputs("</td>", f);
    fputs("</tr>\n", f);
}

/* The sentence on the routine responses whose comment marks a moment of
 * truth (the row CX_MOT_UNLABELLED), when there are any. */
static void mot_unlabelled(FILE *f, const cx_results *r, const stats_result *res)
{
    for (size_t i = 0; i < r->n_mot; i++) {
        const cx_mot_row *t = &r->mot[i];
        if (strcmp(t->type, CX_MOT_UNLABELLED) != 0) continue;
        fprintf(f, "<p>Besides, %lld routine responses were moments of truth by what the customer "
                "wrote (row &ldquo;", (long long)t->nps.n);
        html_label(f, res, t->type);
        fputs("&rdquo;, not in the total): NPS ", f);
        html_num(f, t->nps.nps, 1);
        ci(f, r->confidence, t->nps.ci_low, t->nps.ci_high, 1);
        fputs(".</p>\n", f);
    }
}

static void section_mot(FILE *f, const cx_results *r, const stats_result *res, const charts *ch)
{
    fputs("<section id=\"moments-of-truth\">\n<h2>Moments of truth", f);
    html_period(f, res->nps->report_month, 1);
    fputs("</h2>\n", f);
    if (r->n_mot == 0) {
        fputs("<p>No response of a moment-of-truth type (config <code>mot_types</code>) "
              "in this period.</p>\n</section>\n", f);
        return;
    }
    const cx_mot_row *m = &r->mot_all;
    fprintf(f, "<p>%lld responses were moments of truth: NPS ", (long long)m->nps.n);
    html_num(f, m->nps.nps, 1);
    ci(f, r->confidence, m->nps.ci_low, m->nps.ci_high, 1);
    fputs(", against ", f);
    html_num(f, r->routine_nps.nps, 1);
    fprintf(f, " for the %lld routine responses.</p>\n", (long long)r->routine_nps.n);
    mot_unlabelled(f, r, res);
    if (m->spend_n == 0) {
        fprintf(f, "<p>None of these responses has complete %d-day spend windows yet, so the "
                "share who spent more after a positive outcome and less after a negative one "
                "cannot be measured for this month (see Spend impact for the date they "
                "complete).</p>\n", r->window_days);
    } else {
        fprintf(f, "<p>Spend %d days after against %d days before (%lld MoT responses with "
                "complete spend windows): after a positive outcome ",
                r->window_days, r->window_days, (long long)m->spend_n);
        pct_ci(f, r->confidence, &m->up_after_positive);
        fputs(" spent more", f);
        published(f, &m->up_after_positive, PUBLISHED_UP_AFTER_POSITIVE);
        fputs(" After a negative outcome ", f);
        pct_ci(f, r->confidence, &m->down_after_negative);
        fputs(" spent less", f);
        published(f, &m->down_after_negative, PUBLISHED_DOWN_AFTER_NEGATIVE);
        fputs(" (Wilson score intervals.)</p>\n", f);
    }
    html_chart(f, ch, "cx_mot", "NPS by moment-of-truth type");
    static const char *const cols[] = { "Type", "n", "NPS", "Interval", "Mean peak-end",
        "Positive", "Negative", "With spend windows", "Spent more after positive",
        "Spent less after negative", NULL };
    th_row(f, cols);
    /* the mot_types rows, their total, then the unlabelled row (routine
     * responses, not in the total) */
    const cx_mot_row *unl = NULL;
    for (size_t i = 0; i <= r->n_mot; i++) {
        const cx_mot_row *t = i < r->n_mot ? &r->mot[i] : &r->mot_all;
        if (i < r->n_mot && strcmp(t->type, CX_MOT_UNLABELLED) == 0) { unl = t; continue; }
        mot_tr(f, r, res, t, i == r->n_mot);
    }
    if (unl) mot_tr(f, r, res, unl, 0);
    fputs("</tbody></table></div>\n</section>\n", f);
}

/* ---- spend impact ---- */

static void test_reading(FILE *f, const cx_results *r, const cx_spend_test *t,
                         const char *a, const char *b)
{
    fprintf(f, "<li>Spend of %s changed on average by ", a);
    html_num(f, t->mean_a, 2);
    fprintf(f, " (n = %lld), of %s by ", (long long)t->n_a, b);
    html_num(f, t->mean_b, 2);
    fprintf(f, " (n = %lld): a difference of ", (long long)t->n_b);
    html_num(f, t->diff, 2);
    if (t->significant < 0) {
        fputs(", which cannot be tested (too few responses or no variation).</li>\n", f);
        return;
    }
    fputs(" (Welch t = ", f);
    html_num(f, t->t, 2);
    fputs(", df = ", f);
    html_num(f, t->df, 1);
    fputs(", ", f);
    p_text(f, t->p);
    fprintf(f, "): %s at the %g%% level.</li>\n",
            t->significant ? "significant" : "NOT significant, it may be noise",
            100.0 * (1.0 - r->confidence));
}

static void section_spend(FILE *f, const cx_results *r, const stats_result *res, const charts *ch)
{
    fputs("<section id=\"spend-impact\">\n<h2>Spend impact", f);
    html_period(f, res->nps->report_month, res->window);
    fputs("</h2>\n", f);
    if (res->nps->report_month > 0) {
        /* The windows of the report month close W days after its end. */
        char done[48];
        fmt_day(period_spend_complete_day(res->nps->report_month, r->window_days), done,
                sizeof done);
        fprintf(f, "<p>Spend is compared over %d days before and after each response, so the "
                "responses of the last months are not all complete yet: those of ", r->window_days);
        html_period(f, res->nps->report_month, 1);
        fprintf(f, " have complete windows from <b>%s</b>, once spend data up to that day is "
                "imported.</p>\n", done);
    }
    if (!r->has_spend) {
        fputs("<p>No spend data: import a billing export with "
              "<code>cxpulse import spend FILE</code>.</p>\n</section>\n", f);
        return;
    }
    char first[16], last[16];
    date_format(r->spend_first, first);
    date_format(r->spend_last, last);
    fprintf(f, "<p>Spend in the %d days after each response minus the %d days before "
            "(spend data %s to %s). %lld responses used; %lld left out because a "
            "window falls outside the spend data; %lld without a customer id.</p>\n",
            r->window_days, r->window_days, first, last, r->spend_used,
            r->spend_excluded, r->spend_no_customer);
    if (r->spend_used == 0) {
        fputs("<p>No response has complete spend windows, so there is nothing to "
              "compare.</p>\n</section>\n", f);
        return;
    }
    fputs("<ul>\n", f);
    test_reading(f, r, &r->tests[0], "promoters", "detractors");
    test_reading(f, r, &r->tests[1], "customers after a positive moment of truth",
                 "customers after a negative one");
    fputs("</ul>\n", f);
    html_chart(f, ch, "cx_spend", "Spend delta by group with confidence intervals");
    static const char *const cols[] = { "By", "Group", "n", "Mean before", "Mean after",
        "Mean delta", "Interval", "Median delta", "Up", "Down", "t", "p", "Reading", NULL };
    th_row(f, cols);
    double alpha = 1.0 - r->confidence;
    for (size_t i = 0; i < r->n_spend; i++) {
        const cx_spend_row *s = &r->spend[i];
        fputs("<tr>", f);
        td_label(f, res, s->group_by);
        td_label(f, res, s->group);
        td_int(f, s->n);
        td_num(f, s->mean_pre, 2);
        td_num(f, s->mean_post, 2);
        td_num(f, s->mean_delta, 2);
        fputs("<td>", f); html_num(f, s->ci_low, 2); fputs(" to ", f);
        html_num(f, s->ci_high, 2); fputs("</td>", f);
        td_num(f, s->median_delta, 2);
        fputs("<td class=\"num\">", f); pct(f, s->up_share); fputs("</td>", f);
        fputs("<td class=\"num\">", f); pct(f, s->down_share); fputs("</td>", f);
        td_num(f, s->t, 2);
        td_num(f, s->p, 4);
        const char *reading = isnan(s->p) ? "cannot be tested"
            : s->p < alpha ? (s->mean_delta > 0 ? "spend rose" : "spend fell")
            : "no clear change";
        fprintf(f, "<td>%s</td></tr>\n", reading);
    }
    fputs("</tbody></table></div>\n</section>\n", f);
}

/* ---- high-impact customers ---- */

static void hic_lead(FILE *f, const cx_results *r)
{
    const cx_hic_row *h = &r->hic[0], *o = &r->hic[1];
    fprintf(f, "<p class=\"lead\">The top %g%% of customers bring ", 100.0 * r->hic_top);
    html_num(f, 100.0 * h->revenue_share, 1);
    fputs("% of revenue; their NPS is ", f);
    html_num(f, h->nps.nps, 1);
    ci(f, r->confidence, h->nps.ci_low, h->nps.ci_high, 1);
    fputs(" vs ", f);
    html_num(f, o->nps.nps, 1);
    fputs(" for the rest", f);
    const nps_change *c = &r->hic_vs_other;
    if (c->significant < 0) fputs(" (the difference cannot be tested).</p>\n", f);
    else {
        fputs(c->significant ? ": a significant difference ("
                             : ": the difference is NOT significant, it may be noise (", f);
        p_text(f, c->p);
        fputs(").</p>\n", f);
    }
}

static void section_hic(FILE *f, const cx_results *r, const stats_result *res, const charts *ch)
{
    fputs("<section id=\"high-impact-customers\">\n<h2>High-impact customers", f);
    html_period(f, res->nps->report_month, 1);
    fputs("</h2>\n", f);
    if (r->n_customers == 0) {
        fputs("<p>No customers data: import a CRM export with "
              "<code>cxpulse import customers FILE</code>.</p>\n</section>\n", f);
        return;
    }
    hic_lead(f, r);
    fputs("<p>", f);
    html_count(f, (double)r->n_customers);
    fprintf(f, " customers; lifetime value = yearly value over %g years", r->clv_years);
    if (r->discount_rate > 0) fprintf(f, " discounted at %g%% a year", 100.0 * r->discount_rate);
    fputs(". Revenue at risk (lifetime value of customers whose latest response is a "
          "detractor): <b>", f);
    html_money(f, r->hic[2].revenue_at_risk, res->currency);
    fputs("</b> of ", f);
    html_money(f, r->hic[2].clv, res->currency);
    fputs(", of which ", f);
    html_money(f, r->hic[0].revenue_at_risk, res->currency);
    fputs(" with high-impact customers.</p>\n", f);
    html_chart(f, ch, "cx_pareto", "Pareto curve of revenue by customer");

    static const char *const pcols[] = { "Top customers", "Customers", "Share of revenue", NULL };
    th_row(f, pcols);
    for (size_t i = 0; i < CX_N_PARETO; i++) {
        fputs("<tr><td class=\"num\">", f);
        pct(f, r->pareto[i].top_share);
        fputs("</td>", f);
        td_int(f, r->pareto[i].customers);
        fputs("<td class=\"num\">", f); pct(f, r->pareto[i].revenue_share); fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);

    static const char *const hcols[] = { "Group", "Customers", "Responses", "NPS", "Interval",
        "Lifetime value", "Revenue at risk", NULL };
    th_row(f, hcols);
    for (size_t i = 0; i < 3; i++) {
        const cx_hic_row *h = &r->hic[i];
        fputs("<tr>", f);
        td_text(f, i == 0 ? "High-impact customers" : i == 1 ? "Other customers" : "All customers");
        td_int(f, h->customers);
        td_int(f, h->nps.n);
        td_num(f, h->nps.nps, 1);
        fputs("<td>", f); html_num(f, h->nps.ci_low, 1); fputs(" to ", f);
        html_num(f, h->nps.ci_high, 1); fputs("</td>", f);
        fputs("<td class=\"num\">", f); html_money(f, h->clv, res->currency); fputs("</td>", f);
        fputs("<td class=\"num\">", f); html_money(f, h->revenue_at_risk, res->currency); fputs("</td>", f);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);

    if (r->n_risk == 0) { fputs("</section>\n", f); return; }
    fputs("<h3>Revenue at risk by segment</h3>\n<p>Segment of each customer's latest "
          "response.</p>\n", f);
    static const char *const rcols[] = { "Dimension", "Segment", "Customers",
        "At risk", "Lifetime value", "Revenue at risk", NULL };
    th_row(f, rcols);
    for (size_t i = 0; i < r->n_risk; i++) {
        const cx_risk_row *k = &r->risk[i];
        fputs("<tr>", f);
        td_label(f, res, k->dimension);
        td_label(f, res, k->segment);
        td_int(f, k->customers);
        td_int(f, k->at_risk);
        fputs("<td class=\"num\">", f); html_money(f, k->clv, res->currency); fputs("</td>", f);
        fputs("<td class=\"num\">", f); html_money(f, k->revenue_at_risk, res->currency); fputs("</td>", f);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n</section>\n", f);
}

#define CX_SECTION(fn) \
    static void fn##_cx(FILE *f, const stats_result *r, const charts *ch) { fn(f, r->cx, r, ch); }
CX_SECTION(section_peak_end)
CX_SECTION(section_mot)
CX_SECTION(section_spend)
CX_SECTION(section_hic)

const report_section html_peak_end = { "peak-end", STATS_RUN_CX, section_peak_end_cx };
const report_section html_mot = { "mot", STATS_RUN_CX, section_mot_cx };
const report_section html_spend = { "spend", STATS_RUN_CX, section_spend_cx };
const report_section html_hic = { "hic", STATS_RUN_CX, section_hic_cx };
