/* html.c — the helpers every section writes the page with: escaping,
 * numbers, intervals, charts, month names.  The page frame: html_page.c. */
#include "report/html.h"
#include "core/csv.h"

#include <math.h>
#include <string.h>

void html_text(FILE *f, const char *s)
{
    if (s) html_text_n(f, s, strlen(s));
}

void html_text_n(FILE *f, const char *s, size_t n)
{
    const char *e = memchr(s, '\0', n);
    if (!e) e = s + n;
    while (s < e) {
        unsigned char c = (unsigned char)*s;
        size_t k = 1;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if (c >= 0x80) {
                /* A whole UTF-8 character, or U+FFFD for a byte that is not
                 * one: the page stays valid UTF-8 whatever the data held. */
                size_t left = (size_t)(e - s);
                for (k = 2; k <= 4 && k <= left && !utf8_valid(s, k); k++)
                    ;
                if (k <= 4 && k <= left) {
                    if (c == 0xc2 && (unsigned char)s[1] < 0xa0) fputc(' ', f); /* C1 control */
                    else if (k == 3 && utf8_bidi_control(s)) fputs("&#xFFFD;", f);
                    else fwrite(s, 1, k, f);
                } else {
                    fputs("&#xFFFD;", f);
                    k = 1;
                }
            } else if (c >= 0x20 && c != 0x7f) {
                fputc(c, f);
            } else if (c == '\t' || c == '\n') {
                fputc(c, f);
            } else if (c != '\r') {
                fputc(' ', f);
            }
        }
        s += k;
    }
}

void html_num(FILE *f, double v, int dec)
{
    if (isnan(v) || isinf(v)) {
        fputs("&ndash;", f);
        return;
    }
    if (v == 0) v = 0; /* no "-0.0" */
    fprintf(f, "%.*f", dec, v);
}

void html_interval(FILE *f, double lo, double hi, int dec)
{
    if (isnan(lo) || isnan(hi)) {
        fputs("&ndash;", f);
        return;
    }
    html_num(f, lo, dec);
    fputs(" to ", f);
    html_num(f, hi, dec);
}

void html_chart(FILE *f, const charts *ch, const char *name, const char *alt)
{
    if (!charts_drawn(ch, name)) return;
    fputs("<figure><img src=\"charts/", f);
    html_text(f, name);
    fputs(".svg\" alt=\"", f);
    html_text(f, alt);
    fputs("\" loading=\"lazy\"></figure>\n", f);
}

void html_month_name(int key, char *buf, size_t cap)
{
    static const char *const names[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
    if (key <= 0) {
        snprintf(buf, cap, "all months");
        return;
    }
    snprintf(buf, cap, "%s %d", names[key % 12], key / 12);
}
