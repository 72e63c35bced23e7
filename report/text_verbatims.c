/* text_verbatims.c — `cxpulse verbatims` on the terminal: the themes of
 * each scope and language, detractor themes first, or the comments of one
 * theme (verbatims_out.h). */
#include "report/fmt.h"
#include "report/verbatims_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void verb_put_safe(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            fputc('?', f);
            p++;
            continue;
        }
        if (*p == '\n' || *p == '\r' || *p == '\t') fputc(' ', f);
        else fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
    }
}

static void put_num(FILE *f, double v, int width, int dec)
{
    if (isnan(v)) fprintf(f, " %*s", width, "-");
    else fprintf(f, " %*.*f", width, dec, v);
}

int verb_themes_print(FILE *f, const verb_result *res)
{
    fprintf(f,
            "comments: %lld en, %lld es, %lld und; unlabelled moments of truth: %lld of %lld "
            "routine %s\n",
            res->comments[TEXT_EN], res->comments[TEXT_ES], res->comments[TEXT_UND], res->flagged,
            res->routine_comments, fmt_noun((double)res->routine_comments, "comment", "comments"));
    if (res->dropped_terms)
        fprintf(f, "vocabulary full: %lld term occurrences not counted\n", res->dropped_terms);
    const char *scope = NULL;
    int lang = -1, dir = 0;
    for (size_t i = 0; i < res->n_themes; i++) {
        const verb_theme *t = &res->themes[i];
        if (!scope || strcmp(scope, t->scope) != 0 || lang != (int)t->lang || dir != t->direction) {
            scope = t->scope;
            lang = (int)t->lang;
            dir = t->direction;
            fputs("\n", f);
            verb_put_safe(f, scope);
            fprintf(f, " [%s] %s themes\n", text_lang_code(t->lang), dir < 0 ? "detractor" : "promoter");
            fprintf(f, "  %-28s %8s %6s %6s %8s %6s %7s %15s %7s %8s %6s\n", "theme", "mentions", "det",
                    "pro", "G2", "LR", "NPS", "95% CI", "without", "p", "prev");
        }
        fputs("  ", f);
        int len = 0;
        for (const char *p = t->theme; *p; p++) len += ((unsigned char)*p & 0xC0) != 0x80;
        verb_put_safe(f, t->theme);
        for (; len < 28; len++) fputc(' ', f);
        fprintf(f, " %8lld %6lld %6lld", t->mentions, t->detractor_mentions, t->promoter_mentions);
        put_num(f, t->g2, 8, 1);
        put_num(f, t->log_ratio, 6, 2);
        put_num(f, t->nps_with, 7, 1);
        fprintf(f, "  [%6.1f,%6.1f]", t->nps_with_low, t->nps_with_high);
        put_num(f, t->nps_without, 7, 1);
        if (isnan(t->p_value)) fprintf(f, " %8s", "-");
        else fprintf(f, " %8.2g", t->p_value);
        if (t->prev_mentions >= 0) fprintf(f, " %6lld", t->prev_mentions);
        else fprintf(f, " %6s", "-");
        fputc('\n', f);
        if (t->example_text[0]) {
            fputs("      e.g. ", f);
            verb_put_safe(f, t->example_ids[0]);
            fputs(": \"", f);
            verb_put_safe(f, t->example_text[0]);
            fputs("\"\n", f);
        }
    }
    return ferror(f) ? -1 : 0;
}

int verb_comment_print(FILE *f, const cx_response *r, text_lang lang)
{
    size_t n;
    char *m = text_mask(r->comment, strlen(r->comment), &n);
    if (!m) return -1;
    verb_put_safe(f, r->response_id);
    fprintf(f, "  %2d  %-3s  ", r->score, text_lang_code(lang));
    verb_put_safe(f, m);
    fputc('\n', f);
    free(m);
    return ferror(f) ? -1 : 0;
}
