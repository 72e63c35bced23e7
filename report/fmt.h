/* fmt.h — how numbers read on the page: money with thousands separators
 * and a currency, p-values in words ("p < 0.001", two significant digits),
 * durations as m:ss, counts with separators.  Pure functions writing into
 * a caller's buffer (always NUL-terminated, cut to fit); no statistics.
 * Owner: report/fmt.c.  Used by the HTML section writers.
 */
#ifndef CX_FMT_H
#define CX_FMT_H

#include <stddef.h>
#include <stdio.h>

#include "report/noun.h"
#include "stats/result.h"

/* 1234567 → "1,234,567" (rounded to a whole number); NaN → "–". */
void fmt_count(double v, char *buf, size_t len);
/* The same, returning BUF: a count in a sentence's argument list. */
const char *fmt_n(double v, char *buf, size_t len);
/* Money rounded to whole units with separators and CURRENCY (e.g. "$",
 * "€", "EUR"; NULL or "" = none): a symbol goes before the number
 * ("$1,234", "-$80"), a code that ends in a letter after a space before it
 * ("EUR 1,234").  NaN → "–". */
void fmt_money(double v, const char *currency, char *buf, size_t len);
/* "p < 0.001", else "p = " with two significant digits ("p = 0.042",
 * "p = 0.31", "p = 1"); NaN → "p undefined". */
void fmt_p(double p, char *buf, size_t len);
/* Seconds as "m:ss" ("7:05"), "h:mm:ss" from an hour; NaN → "–". */
void fmt_mss(double secs, char *buf, size_t len);

/* Month key → "October 2026"; 0 → "all months". */
void fmt_month(int key, char *buf, size_t len);
/* Month key → "Oct&nbsp;2026": one line a month in a trend table on a
 * phone.  KEY > 0. */
void html_month_short(FILE *f, int key);
/* The N months ending with LAST → "August–October 2026", "November 2025–
 * January 2026", or fmt_month(last) when N ≤ 1. */
void fmt_months(int last, int n, char *buf, size_t len);
/* Day number → "29 January 2027". */
void fmt_day(long long day, char *buf, size_t len);

/* The same, written to F as HTML (the currency is escaped). */
void html_money(FILE *f, double v, const char *currency);
void html_p(FILE *f, double p);
void html_mss(FILE *f, double secs);
void html_count(FILE *f, double v);
/* CODE in words into BUF: its label from the run's "labels" (R->labels),
 * else the code with '_' read as a space (for chart labels, which
 * charts_label escapes for gnuplot).  A text longer than LEN - 1 bytes is
 * cut at a UTF-8 character boundary and ends with "…" (when LEN > 4). */
void fmt_label(const stats_result *r, const char *code, char *buf, size_t len);
/* CODE in words: its label from the run's "labels" (R->labels), else the
 * code with '_' read as a space; escaped. */
void html_label(FILE *f, const stats_result *r, const char *code);
/* Which of a run's monthly rows count as a month's data. */
enum { FMT_NPS = 1, FMT_CSAT = 2, FMT_CES = 4, FMT_ANY = 7 };
/* The months LO..HI that have rows of WHICH with responses or answers
 * (NPS's trend, CSAT's and CES's overall rows, read; either result may be
 * NULL): how many rows (one a month for each metric), and *FIRST and
 * *LAST of their months (left as they are when none has). */
size_t fmt_data_months(const nps_result *nps, const metrics_result *m, int which, int lo, int hi, int *first,
                       int *last);
/* The first of the N months ending with MONTH that has responses or
 * answers in R (its monthly rows, read); MONTH when none has. */
int fmt_first_with_data(const stats_result *r, int month, int n);
/* "<span class=period>August–October 2026</span>": the N months ending
 * with MONTH, from the first of them that has data (a 12-month window
 * over a store that starts in August names August–October). */
void html_period(FILE *f, const stats_result *r, int month, int n);
/* "period: August–October 2026\n": the months a terminal view (agents)
 * covers, the run's --month and --window narrowed to the months with data. */
void text_period(FILE *f, const stats_result *r);
/* The month the page covers: --month, else the run's report month (0:
 * every month).  The trend sections end with it: a page of October does
 * not show November, nor a running month's first days. */
int fmt_page_month(const stats_result *r);
/* Whether MONTH (a monthly row's; 0: a row of every month) is one of the
 * trend's months on a page of month PAGE (fmt_page_month): up to it. */
int fmt_in_trend(int month, int page);
/* What a summary's findings counted (stats/summary_result.h,
 * stats/metric_summary_result.h). */
typedef struct findings_counts {
    size_t n_tests, n_significant, n_findings;
    size_t n_small; /* comparisons not tested: a side under --min-responses (MIN) */
    int min;
    double fdr;
} findings_counts;
/* The paragraph of a summary's findings: with none, "No statistically
 * significant difference [in METRIC] this month (12 comparisons tested).";
 * else, under their list, "12 comparisons tested: 3 are significant, the
 * 3 largest shown. With a false-discovery rate …".  Either way " 5
 * comparisons with fewer than 10 responses on a side were not tested."
 * when some were too small.  METRIC NULL: the NPS summary's words. */
void html_findings_counts(FILE *f, const char *metric, const findings_counts *c);

#endif
