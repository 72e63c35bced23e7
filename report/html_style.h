/* html_style.h — the style sheet of index.html: one column that reads at
 * 390 px and 1280 px without a horizontal scroll of the page, tables that
 * become labelled stacked rows on narrow screens, charts that scale with
 * their box, and a print style for A4.
 * Owner: report/html_style.c (the CSS), report/html_stack.c (the labels of
 * stacked table cells).
 */
#ifndef CX_HTML_STYLE_H
#define CX_HTML_STYLE_H

#include <stddef.h>
#include <stdio.h>

/* The CSS text (static). */
const char *html_style(void);

/* Copies the page body BUF[0..len) to F, giving every <td> without one a
 * data-label attribute: the text of its column's <th> in the table's
 * heading row, so a narrow screen can show each row as a labelled card.
 * The body is our own markup (data in it is escaped: no raw '<'). */
void html_stack_write(FILE *f, const char *buf, size_t len);

#endif
