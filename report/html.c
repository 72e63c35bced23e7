/* html.c — escaping helpers and the page frame of index.html. */
#include "report/html.h"
#include "core/csv.h"
#include "core/timeparse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
                    if (c == 0xc2 && (unsigned char)s[1] < 0xa0) fputc(' ', f);   /* C1 control */
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
    if (isnan(v) || isinf(v)) { fputs("&ndash;", f); return; }
    if (v == 0) v = 0;   /* no "-0.0" */
    fprintf(f, "%.*f", dec, v);
}

void html_interval(FILE *f, double lo, double hi, int dec)
{
    if (isnan(lo) || isnan(hi)) { fputs("&ndash;", f); return; }
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

static const char *css =
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;"
    "margin:0;background:#f6f7f9}main{max-width:1000px;margin:0 auto;padding:1rem}"
    "header{background:#08306b;color:#fff;padding:1.2rem 1rem}header h1{margin:0;font-size:1.4rem}"
    "header p{margin:.2rem 0 0;opacity:.85}section{background:#fff;border-radius:8px;"
    "padding:1rem 1.2rem;margin:1rem 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}"
    "h2{font-size:1.15rem;margin:.2rem 0 .6rem;color:#08306b}.big{font-size:2.6rem;font-weight:700}"
    ".stale{border-left:6px solid #b42318}.muted{color:#666}.sig{font-weight:600}.up{color:#1a7f37}.down{color:#b42318}"
    "figure{margin:.5rem 0}img{max-width:100%;height:auto}"
    ".tw{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}"
    "th,td{padding:.3rem .5rem;border-bottom:1px solid #e5e5e5;text-align:right;white-space:nowrap}"
    "th:first-child,td:first-child{text-align:left}th{background:#f0f3f7}"
    "blockquote{margin:.4rem 0;padding:.4rem .8rem;border-left:4px solid #c6dbef;background:#fafbfc;"
    "white-space:pre-wrap;word-break:break-word}code{font-size:.85em}"
    "@media (max-width:600px){.big{font-size:2rem}section{padding:.8rem}}";

void html_month_name(int key, char *buf, size_t cap)
{
    static const char *const names[] = {"January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December"};
    if (key <= 0) { snprintf(buf, cap, "all months"); return; }
    snprintf(buf, cap, "%s %d", names[key % 12], key / 12);
}

static void page_header(FILE *f, const stats_result *r)
{
    char m[32], stamp[TIME_ISO_LEN];
    html_month_name(r->nps->report_month, m, sizeof m);
    time_format_iso((int64_t)time(NULL), stamp);
    fprintf(f, "<header><h1>Customer experience report &mdash; %s</h1>"
               "<p>cxpulse &middot; %lld responses analysed &middot; generated %s</p></header>\n",
            m, r->responses, stamp);
}

void html_page(FILE *f, const stats_result *r, const charts *ch,
               void (*write_sections)(FILE *f, const stats_result *r, const charts *ch))
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "img-src 'self' file: data:; style-src 'unsafe-inline'\">\n<title>cxpulse report</title>\n<style>", f);
    fputs(css, f);
    fputs("</style></head><body>\n", f);
    page_header(f, r);
    fputs("<main>\n", f);
    write_sections(f, r, ch);
    fputs("</main></body></html>\n", f);
}
