/* charts.h — gnuplot charts, run as an external process (execvp, no shell)
 * with the data in separate files.  Data never goes into script text: a
 * label could carry gnuplot commands.  Each chart is written as SVG and PNG
 * into OUTDIR/charts/.
 * Owner: report/charts.c (runner); chart definitions live in
 * report/charts_*.c beside the section that shows them.
 */
#ifndef CX_CHARTS_H
#define CX_CHARTS_H

#include <stdio.h>

typedef struct charts charts;

/* Told about a chart problem (gnuplot missing, a chart not drawn). */
typedef void (*charts_warn_fn)(void *ctx, const char *msg);

/* CHART DIR is OUTDIR/charts (created).  Never fails for want of gnuplot:
 * charts_enabled() then says 0 and WARN (may be NULL) hears it once. */
charts *charts_new(const char *outdir, charts_warn_fn warn, void *ctx);
void charts_free(charts *c);
int charts_enabled(const charts *c);

/* Opens OUTDIR/charts/NAME.dat for writing (tab-separated columns).
 * Returns NULL when charts are disabled or on error. Close with
 * charts_data_close (0 ok). */
FILE *charts_data(charts *c, const char *name);
int charts_data_close(charts *c, FILE *f);
/* Writes a label field: tabs, newlines and control characters become
 * spaces, '"' becomes '\'', a backslash is doubled (gnuplot reads data
 * strings with C-like escapes: CORP\nancy would be drawn on two lines), bidi
 * embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069)
 * U+FFFD, and an empty label becomes "-", so a data line always has the
 * same number of fields.  The scripts read data with no comment
 * character, so a label may start with '#'; the terminals are noenhanced,
 * so ^ _ @ & { } ~ are drawn as they are. */
void charts_label(FILE *f, const char *s);

/* Labels down a chart's side (segments, agents, types, groups) are cut to
 * this many characters (docs/report.md, Layout). */
#define CHARTS_LABEL_CHARS 20
/* Writes label S as charts_label does, cut after CHARTS_LABEL_CHARS - 1
 * characters with "…" when longer (never inside a UTF-8 character, and
 * no space left before the "…"); returns its length in characters. */
size_t charts_label_fit(FILE *f, const char *s);
/* "set lmargin at screen F": room for a y tic label of CHARS characters,
 * which gnuplot ends 12 units left of the axis: 0.65 em a character of
 * the SVG's 17-unit text (sans capitals run wider than gnuplot's 0.6 em),
 * 520 units wide. */
static inline double charts_label_margin(size_t chars) { return (24 + 11.05 * (double)chars) / 520; }

/* Runs gnuplot on BODY (FIXED text written by the program, which refers to
 * data files by their plain names "NAME.dat"; gnuplot runs in a private
 * directory beside them) to draw NAME.svg and NAME.png of W×H pixels.
 * Returns 1 when both were drawn (and remembers NAME), 0 otherwise (WARN
 * told). */
int charts_plot(charts *c, const char *name, int w, int h, const char *body);
/* How many charts could not be drawn (gnuplot failed, a file could not be
 * made); 0 also when gnuplot is not installed (then there are none). */
int charts_failed(const charts *c);
/* 1 when chart NAME was drawn by charts_plot. */
int charts_drawn(const charts *c, const char *name);

/* One month of a trend chart: its key (core/timeparse.h, ascending in a
 * chart), the value and its interval. */
typedef struct charts_month {
    int month;
    double v, lo, hi;
} charts_month;
/* Draws trend chart NAME (900×560) of the N months PTS: writes NAME.dat, a
 * row a month "YYYY-MM, value, low, high, x, labelled, alone", where x is
 * the month's ordinal counted from the first month (so months are spaced
 * by the calendar, a gap of months stays a gap), labelled says the month
 * is named on the x axis (at most 5 names, at least a fifth of the span
 * apart) and alone that neither neighbouring month has data; a blank line
 * comes before a month that does not follow the previous one, where
 * gnuplot breaks the line and the interval band.  A month alone shows its
 * interval as an error bar.  HEAD is the script's y axis (fixed text and
 * numbers), TITLE the value's name in the key, CONF the interval's level. */
int charts_trend(charts *c, const char *name, const charts_month *pts, size_t n, const char *head,
                 double conf, const char *title);

/* A step of 1, 2 or 5 times a power of ten that cuts SPAN into at most
 * MAXN parts: a y axis with at most MAXN + 1 labels, which the chart's
 * height holds without overlap.  1 when SPAN is not positive. */
double charts_nice_step(double span, int maxn);
/* An axis over LO..HI in that step: *A0 and *A1 on whole steps around
 * them (one step either side when they meet).  Returns the step. */
double charts_axis(double lo, double hi, int maxn, double *a0, double *a1);

#endif
