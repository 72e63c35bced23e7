/* html_value.c — the report's CX sections on what customers are worth:
 * spend impact (spend before and after a response, by group, with the two
 * Welch tests) and high-impact customers (Pareto, revenue at risk), each
 * with a plain-language reading, a table and a chart.  Reads cx_results
 * only; every value from data goes through html_text.
 */
#include "report/fmt.h"
#include "report/html.h"
#include "report/html_cells.h"
#include "stats/period.h"
#include "report/outputs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/timeparse.h"

/* ---- spend impact ---- */

/* In money and words; the test's t and degrees of freedom are in
 * spend_tests.csv (the methods section names the test). */
static void test_reading(FILE *f, const cx_results *r, const stats_result *res, const cx_spend_test *t,
                         const char *a, const char *b)
{
    char n1[32], n2[32];
    fprintf(f, "<li>Spend of %s changed on average by ", a);
    html_money(f, t->mean_a, res->currency);
    fprintf(f, " (%s %s), of %s by ", fmt_n((double)t->n_a, n1, sizeof n1),
            fmt_noun((double)t->n_a, "response", "responses"), b);
    html_money(f, t->mean_b, res->currency);
    fprintf(f, " (%s): a difference of ", fmt_n((double)t->n_b, n2, sizeof n2));
    html_money(f, t->diff, res->currency);
    if (t->significant < 0) {
        fputs(", which cannot be tested (too few responses or no variation).</li>\n", f);
        return;
    }
    fputs(" (Welch&rsquo;s test, ", f);
    cell_p_text(f, t->p);
    fprintf(f, "): %s at the %g%% level.</li>\n",
            t->significant ? "significant" : "NOT significant, it may be noise",
            100.0 * (1.0 - r->confidence));
}

static void section_spend(FILE *f, const cx_results *r, const stats_result *res, const charts *ch)
{
    fputs("<section id=\"spend-impact\">\n<h2>Spend impact", f);
    html_period(f, res, res->nps->report_month, res->window);
    fputs("</h2>\n", f);
    if (res->nps->report_month > 0) {
        /* The windows of the report month close W days after its end: to
         * wait for that day only while the spend data ends before it. */
        long long complete = period_spend_complete_day(res->nps->report_month, r->window_days);
        char done[48], month[32];
        fmt_day(complete, done, sizeof done);
        fmt_month(res->nps->report_month, month, sizeof month);
        if (r->cover.has_spend && r->cover.spend_last >= complete)
            fprintf(f,
                    "<p>Spend is compared over %d %s before and after each response; the "
                    "responses of %s have complete windows from %s, and the spend data reaches "
                    "that day.</p>\n",
                    r->window_days, fmt_noun(r->window_days, "day", "days"), month, done);
        else
            fprintf(f,
                    "<p>Spend is compared over %d %s before and after each response, so the "
                    "responses of the last months are not all complete yet: those of %s have "
                    "complete windows from <b>%s</b>, once spend data up to that day is "
                    "imported.</p>\n",
                    r->window_days, fmt_noun(r->window_days, "day", "days"), month, done);
    }
    if (!r->cover.has_spend) {
        fputs("<p>No spend data: import a billing export with "
              "<code>cxpulse import spend FILE</code>.</p>\n</section>\n",
              f);
        return;
    }
    const char *days = fmt_noun(r->window_days, "day", "days");
    char d0[48], d1[48], n1[32], n2[32], n3[32];
    fmt_day(r->cover.spend_first, d0, sizeof d0);
    fmt_day(r->cover.spend_last, d1, sizeof d1);
    fprintf(f,
            "<p>Spend in the %d %s after each response minus the %d %s before "
            "(spend data %s to %s). %s %s used; %s left out because a "
            "window falls outside the spend data; %s without a customer id.</p>\n",
            r->window_days, days, r->window_days, days, d0, d1,
            fmt_n((double)r->cover.spend_used, n1, sizeof n1),
            fmt_noun((double)r->cover.spend_used, "response", "responses"),
            fmt_n((double)r->cover.spend_excluded, n2, sizeof n2),
            fmt_n((double)r->cover.spend_no_customer, n3, sizeof n3));
    if (r->cover.spend_used == 0) {
        fputs("<p>No response has complete spend windows, so there is nothing to "
              "compare.</p>\n</section>\n",
              f);
        return;
    }
    fputs("<ul>\n", f);
    test_reading(f, r, res, &r->tests[0], "promoters", "detractors");
    test_reading(f, r, res, &r->tests[1], "customers after a positive moment of truth",
                 "customers after a negative one");
    fputs("</ul>\n", f);
    html_chart(f, ch, "cx_spend", "Spend delta by group with confidence intervals");
    /* Money as the rest of the page writes it, p in words; the t statistic
     * and the exact figures are in spend_delta.csv. */
    static const char *const cols[] = {
        "By", "Group", "Responses", "Mean before", "Mean after", "Mean change", "Interval", "Median change",
        "Up", "Down",  "Test",      "Reading",     NULL};
    cell_th_row_pair(f, cols);
    double alpha = 1.0 - r->confidence;
    const char *cur = res->currency;
    for (size_t i = 0; i < r->n_spend; i++) {
        const cx_spend_row *s = &r->spend[i];
        fputs("<tr>", f);
        cell_td_label(f, res, s->group_by);
        cell_td_label(f, res, s->group);
        cell_td_int(f, s->n);
        cell_td_money(f, s->mean_pre, cur);
        cell_td_money(f, s->mean_post, cur);
        cell_td_money(f, s->mean_delta, cur);
        cell_td_money_range(f, s->ci_low, s->ci_high, cur);
        cell_td_money(f, s->median_delta, cur);
        cell_td_pct(f, s->up_share);
        cell_td_pct(f, s->down_share);
        fputs("<td>", f);
        html_p(f, s->p);
        fputs("</td>", f);
        const char *reading = isnan(s->p)    ? "cannot be tested"
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
    cell_ci(f, r->confidence, h->nps.ci_low, h->nps.ci_high, 1);
    fputs(" vs ", f);
    html_num(f, o->nps.nps, 1);
    fputs(" for the rest", f);
    const nps_change *c = &r->hic_vs_other;
    if (c->significant < 0) fputs(" (the difference cannot be tested).</p>\n", f);
    else {
        fputs(c->significant ? ": a significant difference ("
                             : ": the difference is NOT significant, it may be noise (",
              f);
        cell_p_text(f, c->p);
        fputs(").</p>\n", f);
    }
}

static void section_hic(FILE *f, const cx_results *r, const stats_result *res, const charts *ch)
{
    fputs("<section id=\"high-impact-customers\">\n<h2>High-impact customers", f);
    html_period(f, res, res->nps->report_month, 1);
    fputs("</h2>\n", f);
    if (r->n_customers == 0) {
        fputs("<p>No customers data: import a CRM export with "
              "<code>cxpulse import customers FILE</code>.</p>\n</section>\n",
              f);
        return;
    }
    hic_lead(f, r);
    fputs("<p>", f);
    html_count(f, (double)r->n_customers);
    fprintf(f, " %s; lifetime value = yearly value over %g %s",
            fmt_noun((double)r->n_customers, "customer", "customers"), r->clv_years,
            fmt_noun(r->clv_years, "year", "years"));
    if (r->discount_rate > 0) fprintf(f, " discounted at %g%% a year", 100.0 * r->discount_rate);
    fputs(". Revenue at risk (lifetime value of customers whose latest response is a "
          "detractor): <b>",
          f);
    html_money(f, r->hic[2].revenue_at_risk, res->currency);
    fputs("</b> of ", f);
    html_money(f, r->hic[2].clv, res->currency);
    fputs(", of which ", f);
    html_money(f, r->hic[0].revenue_at_risk, res->currency);
    fputs(" with high-impact customers.</p>\n", f);
    html_chart(f, ch, "cx_pareto", "Pareto curve of revenue by customer");

    static const char *const pcols[] = {"Top customers", "Customers", "Share of revenue", NULL};
    cell_th_row(f, pcols);
    for (size_t i = 0; i < CX_N_PARETO; i++) {
        fputs("<tr><td class=\"num\">", f);
        cell_pct(f, r->pareto[i].top_share);
        fputs("</td>", f);
        cell_td_int(f, r->pareto[i].customers);
        fputs("<td class=\"num\">", f);
        cell_pct(f, r->pareto[i].revenue_share);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);

    static const char *const hcols[] = {"Group",    "Customers",      "Responses",       "NPS",
                                        "Interval", "Lifetime value", "Revenue at risk", NULL};
    cell_th_row(f, hcols);
    for (size_t i = 0; i < 3; i++) {
        const cx_hic_row *h = &r->hic[i];
        fputs("<tr>", f);
        cell_td_text(f, i == 0 ? "High-impact customers" : i == 1 ? "Other customers" : "All customers");
        cell_td_int(f, h->customers);
        cell_td_int(f, h->nps.n);
        cell_td_num(f, h->nps.nps, 1);
        cell_td_num_range(f, h->nps.ci_low, h->nps.ci_high, 1);
        cell_td_amount(f, h->clv, res->currency);
        cell_td_amount(f, h->revenue_at_risk, res->currency);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);

    if (r->n_risk == 0) {
        fputs("</section>\n", f);
        return;
    }
    fputs("<h3>Revenue at risk by segment</h3>\n<p>Segment of each customer's latest "
          "response.</p>\n",
          f);
    static const char *const rcols[] = {"Dimension",      "Segment",         "Customers", "At risk",
                                        "Lifetime value", "Revenue at risk", NULL};
    cell_th_row_pair(f, rcols);
    for (size_t i = 0; i < r->n_risk; i++) {
        const cx_risk_row *k = &r->risk[i];
        fputs("<tr>", f);
        cell_td_label(f, res, k->dimension);
        cell_td_label(f, res, k->segment);
        cell_td_int(f, k->customers);
        cell_td_int(f, k->at_risk);
        cell_td_amount(f, k->clv, res->currency);
        cell_td_amount(f, k->revenue_at_risk, res->currency);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n</section>\n", f);
}

#define CX_SECTION(fn) \
    static void fn##_cx(FILE *f, const stats_result *r, const charts *ch) { fn(f, r->cx, r, ch); }
CX_SECTION(section_spend)
CX_SECTION(section_hic)

const report_section html_spend = {"spend", STATS_RUN_CX, section_spend_cx};
const report_section html_hic = {"hic", STATS_RUN_CX, section_hic_cx};
