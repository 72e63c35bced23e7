/* html_cells.c — the small writers the CX sections share (report/html_cx.c,
 * report/html_value.c): intervals, percentages, table cells and heads.
 * Every value from data goes through html_text.
 */
#include "report/html_cells.h"
#include "report/fmt.h"
#include "report/html.h"

#include <math.h>

void cell_ci(FILE *f, double conf, double lo, double hi, int dec)
{
    if (isnan(lo) || isnan(hi)) {
        fputs(" (no interval: too few responses)", f);
        return;
    }
    fprintf(f, " (%g%% CI ", 100.0 * conf);
    html_num(f, lo, dec);
    fputs(" to ", f);
    html_num(f, hi, dec);
    fputc(')', f);
}

void cell_pct(FILE *f, double share)
{
    html_num(f, 100.0 * share, 1);
    if (!isnan(share)) fputc('%', f);
}

void cell_pct_ci(FILE *f, double conf, const cx_share *s)
{
    cell_pct(f, s->share);
    if (isnan(s->share)) return;
    fprintf(f, " (%g%% CI ", 100.0 * conf);
    cell_pct(f, s->lo);
    fputs(" to ", f);
    cell_pct(f, s->hi);
    fprintf(f, ", n = %lld)", (long long)s->n);
}

void cell_p_text(FILE *f, double p) { html_p(f, p); }

void cell_td_num(FILE *f, double v, int dec)
{
    fputs("<td class=\"num\">", f);
    html_num(f, v, dec);
    fputs("</td>", f);
}

void cell_td_num_range(FILE *f, double lo, double hi, int dec)
{
    fputs("<td>", f);
    html_num(f, lo, dec);
    fputs(" to ", f);
    html_num(f, hi, dec);
    fputs("</td>", f);
}

void cell_td_money(FILE *f, double v, const char *currency)
{
    fputs("<td>", f);
    html_money(f, v, currency);
    fputs("</td>", f);
}

void cell_td_amount(FILE *f, double v, const char *currency)
{
    fputs("<td class=\"num\">", f);
    html_money(f, v, currency);
    fputs("</td>", f);
}

void cell_td_money_range(FILE *f, double lo, double hi, const char *currency)
{
    fputs("<td>", f);
    html_money(f, lo, currency);
    fputs(" to ", f);
    html_money(f, hi, currency);
    fputs("</td>", f);
}

void cell_td_pct(FILE *f, double share)
{
    fputs("<td class=\"num\">", f);
    cell_pct(f, share);
    fputs("</td>", f);
}

void cell_td_int(FILE *f, int64_t v)
{
    char b[32];
    fprintf(f, "<td class=\"num\">%s</td>", fmt_n((double)v, b, sizeof b)); /* "1,335" */
}

/* A code in words (config "labels", else '_' read as a space). */
void cell_td_label(FILE *f, const stats_result *res, const char *code)
{
    fputs("<td>", f);
    html_label(f, res, code);
    fputs("</td>", f);
}

void cell_td_text(FILE *f, const char *s)
{
    fputs("<td>", f);
    html_text(f, s);
    fputs("</td>", f);
}

void cell_th_row(FILE *f, const char *const *cols)
{
    fputs("<div class=\"tw\"><table>\n<thead><tr>", f);
    for (size_t i = 0; cols[i]; i++) fprintf(f, "<th>%s</th>", cols[i]);
    fputs("</tr></thead>\n<tbody>\n", f);
}

void cell_th_row_pair(FILE *f, const char *const *cols)
{
    fputs("<div class=\"tw\"><table data-pair>\n<thead><tr>", f);
    for (size_t i = 0; cols[i]; i++) fprintf(f, "<th>%s</th>", cols[i]);
    fputs("</tr></thead>\n<tbody>\n", f);
}
