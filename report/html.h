/* html.h — helpers for writing the one-page HTML report, and the section
 * writers each analysis provides.  Everything that comes from data goes
 * through html_text (escaped).
 * Owner: report/html.c (page frame, NPS sections); section writers live
 * beside the analysis they present (report/html_*.c).
 */
#ifndef CX_HTML_H
#define CX_HTML_H

#include <stdio.h>

/* Escapes & < > " ' and drops control characters other than TAB/LF. */
void html_text(FILE *f, const char *s);
/* Number with DEC decimals; NaN prints an en dash. */
void html_num(FILE *f, double v, int dec);
/* "33.3 (95% CI 12.1 to 50.0)"-style interval text. */
void html_interval(FILE *f, double lo, double hi, int dec);
/* <img> of charts/NAME.svg with ALT text (ALT is escaped); nothing when the
 * chart was not drawn (CHART_OK 0). */
void html_chart(FILE *f, const char *name, const char *alt, int chart_ok);

#endif
