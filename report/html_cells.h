/* html_cells.h — table cells and small readings shared by the CX sections
 * of the page (peak-end, moments of truth: report/html_cx.c; spend impact,
 * high-impact customers: report/html_value.c).  Owner: report/html_cells.c.
 */
#ifndef CX_HTML_CELLS_H
#define CX_HTML_CELLS_H

#include <stdint.h>
#include <stdio.h>

#include "stats/result.h"

/* " (95% CI lo to hi)", or why there is none. */
void cell_ci(FILE *f, double conf, double lo, double hi, int dec);
/* A share as a percentage with one decimal. */
void cell_pct(FILE *f, double share);
/* A share with its Wilson interval and n. */
void cell_pct_ci(FILE *f, double conf, const cx_share *s);
void cell_p_text(FILE *f, double p);
void cell_td_num(FILE *f, double v, int dec);
void cell_td_int(FILE *f, int64_t v);
/* "lo to hi" in one cell, as numbers with DEC decimals or as money. */
void cell_td_num_range(FILE *f, double lo, double hi, int dec);
void cell_td_money(FILE *f, double v, const char *currency);
/* Money in a number cell. */
void cell_td_amount(FILE *f, double v, const char *currency);
void cell_td_money_range(FILE *f, double lo, double hi, const char *currency);
/* A share as a percentage in a number cell. */
void cell_td_pct(FILE *f, double share);
/* A code in words (config "labels", else '_' read as a space). */
void cell_td_label(FILE *f, const stats_result *res, const char *code);
void cell_td_text(FILE *f, const char *s);
/* Opens a table in its scroll box with the heading row COLS (NULL-ended). */
void cell_th_row(FILE *f, const char *const *cols);
/* The same for a table whose first two columns are a dimension and its
 * segment: on a phone its cards are headed "dimension: segment". */
void cell_th_row_pair(FILE *f, const char *const *cols);

#endif
