/* html_page.c — the frame of index.html: head and styles, the header
 * (month, responses analysed, when generated), then the sections, with
 * table cells labelled for narrow screens on the way out. */
#include "report/html_page.h"
#include "report/fmt.h"
#include "report/html_metric_view.h"
#include "report/html_style.h"
#include "report/noun.h"
#include "core/timeparse.h"

#include <stdlib.h>

static void page_header(FILE *f, const stats_result *r)
{
    char m[32], stamp[TIME_ISO_LEN], nb[32];
    html_month_name(r->nps->report_month, m, sizeof m);
    time_format_iso(r->finished_at, stamp);
    const char *what;
    long long n = report_responses(r, &what); /* a CSAT or CES report counts its own */
    fprintf(f,
            "<header><div><h1>Customer experience report &mdash; %s</h1>"
            "<p>cxpulse &middot; %s %s%s%s analysed &middot; generated %s</p>"
            "</div></header>\n",
            m, fmt_n((double)n, nb, sizeof nb), what, *what ? " " : "",
            fmt_noun((double)n, "response", "responses"), stamp);
}

/* The body is written to memory first so that its table cells can be
 * labelled for narrow screens on the way out (html_stack_write). */
void html_page(FILE *f, const stats_result *r, const charts *ch,
               void (*write_sections)(FILE *f, const stats_result *r, const charts *ch))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "img-src 'self' file: data:; style-src 'unsafe-inline'\">\n",
          f);
    char month[32]; /* the period in the title too: a tab or a bookmark says which report */
    html_month_name(r->nps->report_month, month, sizeof month);
    fprintf(f, "<title>cxpulse report &mdash; %s</title>\n<style>", month);
    fputs(html_style(), f);
    fputs("</style></head><body>\n", f);
    FILE *body = m ? m : f; /* out of memory: the page without cell labels */
    page_header(body, r);
    fputs("<main>\n<p class=\"printonly muted\">Printed edition: the detail tables (every "
          "month, every segment, every agent) are left out here; they are on the screen page "
          "and in the CSV files beside it.</p>\n",
          body);
    write_sections(body, r, ch);
    fputs("</main>\n", body);
    if (m && fclose(m) == 0) html_stack_write(f, buf, len);
    free(buf);
    fputs("</body></html>\n", f);
}
