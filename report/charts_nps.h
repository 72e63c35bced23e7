/* charts_nps.h — the NPS charts of the report.  Owner: report/charts_nps.c.
 * Each returns 1 when the chart was drawn. */
#ifndef CX_CHARTS_NPS_H
#define CX_CHARTS_NPS_H

#include "report/charts.h"
#include "stats/run.h"

int chart_nps_trend(charts *ch, const stats_result *res);
int chart_score_dist(charts *ch, const stats_result *res);
/* Segments of dimension DIM in period MONTH (0 = all) → segments_DIM. */
int chart_segments(charts *ch, const stats_result *res, size_t dim, int month);

#endif
