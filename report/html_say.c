/* html_say.c — the report's "What customers say" section: the top
 * detractor and promoter themes with an example quote, the themes new or
 * growing against the month before (with --month), and the unlabelled
 * moments of truth.  Reads result->themes (stats/text/verbatims.h); every
 * text from data goes through html_text, and quotes were masked when they
 * were kept. */
#include "report/fmt.h"
#include "report/html.h"
#include "report/outputs.h"
#include "stats/text/verbatims.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TOP_SHOWN 5
#define QUOTE_SHOWN 140 /* bytes of the example shown under a theme */

static const char *lang_name(text_lang l) { return l == TEXT_ES ? "Spanish" : "English"; }

static void theme_table(FILE *f, const verb_result *v, text_lang l, int dir)
{
    size_t shown = 0;
    for (size_t i = 0; i < v->n_themes && shown < TOP_SHOWN; i++) {
        const verb_theme *t = &v->themes[i];
        if (strcmp(t->scope, "all") != 0 || t->lang != l || t->direction != dir) continue;
        if (shown == 0)
            fprintf(f,
                    "<h3>%s: what %s write about</h3>\n<div class=\"tw\"><table class=\"stack\">\n"
                    "<thead><tr><th>Theme (and what one customer wrote)</th><th>Mentions</th>"
                    "<th>NPS when mentioned</th><th>NPS otherwise</th></tr></thead>\n<tbody>\n",
                    lang_name(l), dir < 0 ? "detractors" : "promoters");
        fputs("<tr><td data-label=\"Theme\"><b>", f);
        html_text(f, t->theme);
        fprintf(f,
                "</b></td><td data-label=\"Mentions\">%lld (%lld %s, %lld %s)</td>"
                "<td data-label=\"NPS when mentioned\">",
                t->mentions, t->detractor_mentions,
                fmt_noun((double)t->detractor_mentions, "detractor", "detractors"), t->promoter_mentions,
                fmt_noun((double)t->promoter_mentions, "promoter", "promoters"));
        html_num(f, t->nps_with, 1);
        fputs(" <small>", f);
        html_interval(f, t->nps_with_low, t->nps_with_high, 1);
        fputs("</small></td><td data-label=\"NPS otherwise\">", f);
        html_num(f, t->nps_without, 1);
        fputs("</td></tr>\n", f);
        if (t->example_text[0]) {
            /* a row of its own under the theme, so that a long quote does
             * not widen the table; masked and cut when it was kept */
            size_t len = strlen(t->example_text[0]), cut = len;
            if (cut > QUOTE_SHOWN) {
                cut = QUOTE_SHOWN;
                while (cut > 0 && ((unsigned char)t->example_text[0][cut] & 0xC0) == 0x80) cut--;
            }
            fputs("<tr><td colspan=\"4\" data-label=\"One customer wrote\"><small class=\"muted\">&ldquo;",
                  f);
            html_text_n(f, t->example_text[0], cut);
            fputs(cut < len ? "&hellip;&rdquo; (" : "&rdquo; (", f);
            html_text(f, t->example_ids[0]);
            fputs(")</small></td></tr>\n", f);
        }
        shown++;
    }
    if (shown) fputs("</tbody>\n</table></div>\n", f);
}

/* Themes of the month that were absent the month before, or grew by half. */
static void new_or_growing(FILE *f, const verb_result *v)
{
    if (!v->month) {
        fputs("<p class=\"muted\">Themes are over all months; with <code>--month</code> they are "
              "compared with the month before.</p>\n",
              f);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < v->n_themes; i++) {
        const verb_theme *t = &v->themes[i];
        if (strcmp(t->scope, "all") != 0 || t->direction > 0 || t->prev_mentions < 0) continue;
        int is_new = t->prev_mentions == 0;
        if (!is_new && (double)t->mentions < 1.5 * (double)t->prev_mentions) continue;
        if (n++ == 0) fputs("<p><b>New or growing detractor themes:</b> ", f);
        else fputs("; ", f);
        html_text(f, t->theme);
        if (is_new)
            fprintf(f, " (new: %lld %s)", t->mentions, fmt_noun((double)t->mentions, "mention", "mentions"));
        else fprintf(f, " (%lld, from %lld)", t->mentions, t->prev_mentions);
    }
    if (n) fputs(".</p>\n", f);
    else fputs("<p>No detractor theme is new or grew by half against the month before.</p>\n", f);
}

static void moments(FILE *f, const verb_result *v)
{
    char b1[32], b2[32];
    fprintf(f,
            "<h3>Moments of truth nobody labelled</h3>\n<p>%s of %s %s on routine "
            "calls %s strongly charged (fear, distress, despair or relief): the customer lived a "
            "moment of truth.",
            fmt_n((double)v->flagged, b1, sizeof b1), fmt_n((double)v->routine_comments, b2, sizeof b2),
            fmt_noun((double)v->routine_comments, "comment", "comments"),
            fmt_noun((double)v->flagged, "is", "are"));
    if (nps_counts_n(&v->mot_nps) > 0) {
        const nps_est e = v->mot_est;
        fputs(" Their NPS: ", f);
        html_num(f, e.nps, 1);
        fputs(" <small>", f);
        html_interval(f, e.ci_low, e.ci_high, 1);
        fputs("</small>.", f);
    }
    fputs(" Every one is in verbatim_flags.csv.</p>\n", f);
    for (size_t i = 0; i < v->n_mot_ex; i++) {
        const verb_mot_example *m = &v->mot_ex[i];
        fprintf(f, "<blockquote><b class=\"%s\">%d</b> <span class=\"muted\">",
                cx_nps_class(m->score) > 0   ? "up"
                : cx_nps_class(m->score) < 0 ? "down"
                                             : "muted",
                m->score);
        html_text(f, m->response_id);
        fputs(", ", f);
        html_text(f, *m->interaction_type ? m->interaction_type : "no interaction type");
        fputs("</span><br>", f);
        html_text(f, m->text);
        fputs("</blockquote>\n", f);
    }
}

static void section(FILE *f, const stats_result *r, const charts *ch)
{
    (void)ch;
    const verb_result *v = r->themes;
    fputs("<section id=\"say\">\n<h2>What customers say", f);
    html_period(f, r, r->nps->report_month, 1);
    fputs("</h2>\n", f);
    char b1[32], b2[32], b3[32];
    fprintf(f,
            "<p>%s %s in English, %s in Spanish, %s in neither or too short to tell. "
            "Themes are the words and pairs of words that detractors use far more than promoters "
            "(and back), by Dunning's log-likelihood; e-mail addresses, phone and card numbers are "
            "masked.</p>\n",
            fmt_n((double)v->comments[TEXT_EN], b1, sizeof b1),
            fmt_noun((double)v->comments[TEXT_EN], "comment", "comments"),
            fmt_n((double)v->comments[TEXT_ES], b2, sizeof b2),
            fmt_n((double)v->comments[TEXT_UND], b3, sizeof b3));
    for (int l = TEXT_EN; l <= TEXT_ES; l++) {
        theme_table(f, v, (text_lang)l, -1);
        theme_table(f, v, (text_lang)l, +1);
    }
    new_or_growing(f, v);
    moments(f, v);
    fputs("</section>\n", f);
}

const report_section html_say = {"say", STATS_RUN_TEXT, section};
