/* html.h — helpers for writing the one-page HTML report, and the section
 * writers each analysis provides.  Everything that comes from data goes
 * through html_text (escaped).
 * Owner: report/html.c (helpers; the page frame is report/html_page.h's);
 * section writers live beside the analysis they present (report/html_*.c),
 * listed in report/outputs.c.
 */
#ifndef CX_HTML_H
#define CX_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "report/charts.h"
#include "stats/result.h"

/* Escapes & < > " ', drops control characters (C0 other than TAB/LF, DEL,
 * C1) and writes bytes that are not UTF-8 as U+FFFD: the page stays valid
 * UTF-8 with no markup from data.  The bidi embedding, override and
 * isolate controls (U+202A-U+202E, U+2066-U+2069) become U+FFFD too, so
 * data cannot reverse the text around it. */
void html_text(FILE *f, const char *s);
/* html_text of at most the first N bytes of S. */
void html_text_n(FILE *f, const char *s, size_t n);
/* Number with DEC decimals; NaN prints an en dash. */
void html_num(FILE *f, double v, int dec);
/* "33.3 (95% CI 12.1 to 50.0)"-style interval text. */
void html_interval(FILE *f, double lo, double hi, int dec);
/* <img> of charts/NAME.svg with ALT text (ALT is escaped); nothing when the
 * chart was not drawn (CH may be NULL). */
void html_chart(FILE *f, const charts *ch, const char *name, const char *alt);
/* "October 2026"; "all months" for 0. */
void html_month_name(int key, char *buf, size_t cap);

#endif
