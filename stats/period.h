/* period.h — which responses each table of a report covers: the report
 * month (--month, by default the latest complete month) for NPS, segments,
 * moments of truth, high-impact customers and verbatims; a trailing window
 * of months ending with it (--window 3m|6m|12m) for the analyses that need
 * more data than a month: agents, peak-end and spend deltas.  And the
 * dates that go with them (when a spend window completes).
 * Owner: stats/period.c.  Pure functions on month keys and day numbers
 * (core/timeparse.h); no allocation.
 */
#ifndef CX_PERIOD_H
#define CX_PERIOD_H

#include <stdint.h>

/* The default report month: the latest month with responses (LAST_AT, the
 * greatest responded_at; 0 = no responses) that has ended by NOW; when
 * that month is still running, the month before it.  0 when there are no
 * responses. */
int period_default_month(int64_t last_at, int64_t now);

/* "3m", "6m" or "12m" → 3, 6, 12 in *MONTHS.  0 ok, -1 anything else. */
int period_parse_window(const char *s, int *months);

/* Day number of the last day of month key MONTH. */
int64_t period_month_last_day(int month);

/* The day on which the spend windows of every response of months up to
 * MONTH are complete: the month's last day + WINDOW_DAYS. */
int64_t period_spend_complete_day(int month, int window_days);

#endif
