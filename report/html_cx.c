/* html_cx.c — the report's CX sections on what customers lived: peak-end
 * and moments of truth, each with a plain-language reading (including
 * when a difference is NOT significant), a table and a chart.  Spend
 * impact and high-impact customers: report/html_value.c.  Reads
 * cx_results only; every value from data goes through html_text.
 */
#include "report/fmt.h"
#include "report/html_cells.h"
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

/* ---- peak-end ---- */

static void peak_reading(FILE *f, const cx_results *r, const cx_peak_row *all)
{
    const cx_corr *pe = &all->r_peak_end, *mn = &all->r_mean;
    char nb[32];
    fprintf(f, "<p>%s %s in-interaction ratings. ", fmt_n((double)all->n, nb, sizeof nb),
            fmt_noun((double)all->n, "response carries", "responses carry"));
    if (isnan(pe->r) || isnan(mn->r)) {
        fputs("Too few of them (or too little variation) to say whether the peak-end "
              "score or the plain mean predicts the recommendation score.</p>\n",
              f);
        return;
    }
    fputs("The peak-end score (the mean of the most extreme and the last moment) "
          "correlates with the likelihood to recommend at ",
          f);
    html_num(f, pe->r, 3);
    cell_ci(f, r->confidence, pe->lo, pe->hi, 3);
    fputs("; the plain mean of the moments at ", f);
    html_num(f, mn->r, 3);
    cell_ci(f, r->confidence, mn->lo, mn->hi, 3);
    fprintf(f, ". %s predicts the score better here",
            pe->r > mn->r   ? "Peak-end"
            : pe->r < mn->r ? "The plain mean"
                            : "Neither");
    int clear = !isnan(pe->lo) && !isnan(mn->lo) && (pe->lo > mn->hi || mn->lo > pe->hi);
    fputs(clear ? ", and the intervals do not overlap: the difference is clear.</p>\n"
                : ", but the intervals overlap: the difference is not clear.</p>\n",
          f);
}

static void section_peak_end(FILE *f, const cx_results *r, const stats_result *res, const charts *ch)
{
    fputs("<section id=\"peak-end\">\n<h2>Peak-end: what customers remember", f);
    html_period(f, res, res->nps->report_month, res->window);
    fputs("</h2>\n", f);
    if (r->n_peak == 0 || r->peak[0].n == 0) {
        fputs("<p>No response carries in-interaction ratings (moments), so there is no "
              "peak-end analysis.</p>\n</section>\n",
              f);
        return;
    }
    peak_reading(f, r, &r->peak[0]);
    html_chart(f, ch, "cx_peak_end", "Mean score by peak-end and by mean of moments");
    static const char *const cols[] = {"Dimension",       "Segment",
                                       "Responses",       "Mean peak-end",
                                       "Mean of moments", "Correlation, peak-end",
                                       "Interval",        "Correlation, mean",
                                       "Interval",        NULL};
    cell_th_row_pair(f, cols);
    for (size_t i = 0; i < r->n_peak; i++) {
        const cx_peak_row *p = &r->peak[i];
        fputs("<tr>", f);
        cell_td_label(f, res, p->dimension);
        cell_td_label(f, res, p->segment);
        cell_td_int(f, p->n);
        cell_td_num(f, p->mean_peak_end, 2);
        cell_td_num(f, p->mean_moments, 2);
        cell_td_num(f, p->r_peak_end.r, 3);
        cell_td_num_range(f, p->r_peak_end.lo, p->r_peak_end.hi, 3);
        cell_td_num(f, p->r_mean.r, 3);
        cell_td_num_range(f, p->r_mean.lo, p->r_mean.hi, 3);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></div>\n</section>\n", f);
}

/* ---- moments of truth ---- */

static void published(FILE *f, const cx_share *s, double figure)
{
    fputs("; the published figure is ", f);
    cell_pct(f, figure);
    if (isnan(s->lo)) {
        fputs(".", f);
        return;
    }
    fputs(s->lo <= figure && figure <= s->hi ? ", inside our interval." : ", outside our interval.", f);
}

/* One row of the moments-of-truth table; TOTAL: the pooled row. */
static void mot_tr(FILE *f, const cx_results *r, const stats_result *res, const cx_mot_row *t, int total)
{
    fputs(total ? "<tr class=\"total\">" : "<tr>", f);
    fputs("<td>", f);
    if (!total) html_label(f, res, t->type);
    else fputs("All moments of truth", f);
    fputs("</td>", f);
    cell_td_int(f, t->nps.n);
    cell_td_num(f, t->nps.nps, 1);
    cell_td_num_range(f, t->nps.ci_low, t->nps.ci_high, 1);
    cell_td_num(f, t->mean_peak_end, 2);
    cell_td_int(f, t->positive_n);
    cell_td_int(f, t->negative_n);
    cell_td_int(f, t->spend_n);
    fputs("<td>", f);
    cell_pct_ci(f, r->confidence, &t->up_after_positive);
    fputs("</td>", f);
    fputs("<td>", f);
    cell_pct_ci(f, r->confidence, &t->down_after_negative);
    fputs("</td>", f);
    fputs("</tr>\n", f);
}

/* The sentence on the routine responses whose comment marks a moment of
 * truth (the row CX_MOT_UNLABELLED), when there are any. */
static void mot_unlabelled(FILE *f, const cx_results *r, const stats_result *res)
{
    for (size_t i = 0; i < r->n_mot; i++) {
        const cx_mot_row *t = &r->mot[i];
        if (strcmp(t->type, CX_MOT_UNLABELLED) != 0) continue;
        fprintf(
            f,
            "<p>Besides, %lld routine %s by what the customer "
            "wrote (row &ldquo;",
            (long long)t->nps.n,
            fmt_noun((double)t->nps.n, "response was a moment of truth", "responses were moments of truth"));
        html_label(f, res, t->type);
        fputs("&rdquo;, not in the total): NPS ", f);
        html_num(f, t->nps.nps, 1);
        cell_ci(f, r->confidence, t->nps.ci_low, t->nps.ci_high, 1);
        fputs(".</p>\n", f);
    }
}

static void section_mot(FILE *f, const cx_results *r, const stats_result *res, const charts *ch)
{
    fputs("<section id=\"moments-of-truth\">\n<h2>Moments of truth", f);
    html_period(f, res, res->nps->report_month, 1);
    fputs("</h2>\n", f);
    if (r->n_mot == 0) {
        fputs("<p>No response of a moment-of-truth type (config <code>mot_types</code>) "
              "in this period.</p>\n</section>\n",
              f);
        return;
    }
    const cx_mot_row *m = &r->mot_all;
    char nb[32];
    fprintf(f, "<p>%s %s: NPS ", fmt_n((double)m->nps.n, nb, sizeof nb),
            fmt_noun((double)m->nps.n, "response was a moment of truth", "responses were moments of truth"));
    html_num(f, m->nps.nps, 1);
    cell_ci(f, r->confidence, m->nps.ci_low, m->nps.ci_high, 1);
    fputs(", against ", f);
    html_num(f, r->routine_nps.nps, 1);
    fprintf(f, " for the %s routine %s.</p>\n", fmt_n((double)r->routine_nps.n, nb, sizeof nb),
            fmt_noun((double)r->routine_nps.n, "response", "responses"));
    mot_unlabelled(f, r, res);
    if (m->spend_n == 0) {
        fprintf(f,
                "<p>None of these responses has complete %d-day spend windows yet, so the "
                "share who spent more after a positive outcome and less after a negative one "
                "cannot be measured for this month (see Spend impact for the date they "
                "complete).</p>\n",
                r->window_days);
    } else {
        const char *days = fmt_noun(r->window_days, "day", "days");
        fprintf(f,
                "<p>Spend %d %s after against %d %s before (%s MoT %s with "
                "complete spend windows): after a positive outcome ",
                r->window_days, days, r->window_days, days, fmt_n((double)m->spend_n, nb, sizeof nb),
                fmt_noun((double)m->spend_n, "response", "responses"));
        cell_pct_ci(f, r->confidence, &m->up_after_positive);
        fputs(" spent more", f);
        published(f, &m->up_after_positive, PUBLISHED_UP_AFTER_POSITIVE);
        fputs(" After a negative outcome ", f);
        cell_pct_ci(f, r->confidence, &m->down_after_negative);
        fputs(" spent less", f);
        published(f, &m->down_after_negative, PUBLISHED_DOWN_AFTER_NEGATIVE);
        fputs(" (Wilson score intervals.)</p>\n", f);
    }
    html_chart(f, ch, "cx_mot", "NPS by moment-of-truth type");
    static const char *const cols[] = {"Type",
                                       "Responses",
                                       "NPS",
                                       "Interval",
                                       "Mean peak-end",
                                       "Positive",
                                       "Negative",
                                       "With spend windows",
                                       "Spent more after positive",
                                       "Spent less after negative",
                                       NULL};
    cell_th_row(f, cols);
    /* the mot_types rows, their total, then the unlabelled row (routine
     * responses, not in the total) */
    const cx_mot_row *unl = NULL;
    for (size_t i = 0; i <= r->n_mot; i++) {
        const cx_mot_row *t = i < r->n_mot ? &r->mot[i] : &r->mot_all;
        if (i < r->n_mot && strcmp(t->type, CX_MOT_UNLABELLED) == 0) {
            unl = t;
            continue;
        }
        mot_tr(f, r, res, t, i == r->n_mot);
    }
    if (unl) mot_tr(f, r, res, unl, 0);
    fputs("</tbody></table></div>\n</section>\n", f);
}

#define CX_SECTION(fn) \
    static void fn##_cx(FILE *f, const stats_result *r, const charts *ch) { fn(f, r->cx, r, ch); }
CX_SECTION(section_peak_end)
CX_SECTION(section_mot)

const report_section html_peak_end = {"peak-end", STATS_RUN_CX, section_peak_end_cx};
const report_section html_mot = {"mot", STATS_RUN_CX, section_mot_cx};
