/* html_kpi.h — the headline figures of index.html's summary when the run's
 * metric (stats_result.metric) is CSAT or CES: the month's share
 * satisfied or mean effort, its interval and its change from the month
 * before, read from the CSAT and CES tables (stats/metrics_result.h).
 * Owner: report/html_kpi.c; called by report/html_summary.c.
 */
#ifndef CX_HTML_KPI_H
#define CX_HTML_KPI_H

#include <stdio.h>

#include "stats/result.h"

/* Writes R's metric's headline for MONTH (a month key) to F; nothing when
 * that metric is NPS. */
void html_kpi_metric(FILE *f, const stats_result *r, int month);

#endif
