/* html_page.h — the frame of the one-page HTML report.
 * Owner: report/html_page.c.  Used by report/outputs.c, which hands it the
 * sections of its table.
 */
#ifndef CX_HTML_PAGE_H
#define CX_HTML_PAGE_H

#include "report/html.h"

/* The page: head, styles, header, then WRITE_SECTIONS, then the end. */
void html_page(FILE *f, const stats_result *r, const charts *ch,
               void (*write_sections)(FILE *f, const stats_result *r, const charts *ch));

#endif
