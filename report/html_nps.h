/* html_nps.h — the NPS sections of index.html and the page's closing
 * sections (verbatims, data quality, methods).
 * Owner: report/html_nps.c, report/html_quality.c. */
#ifndef CX_HTML_NPS_H
#define CX_HTML_NPS_H

#include <stdio.h>
#include "core/store/store.h"
#include "report/charts.h"
#include "stats/run.h"

void html_nps_header(FILE *f, const stats_result *res);
void html_nps_headline(FILE *f, const stats_result *res);
void html_nps_trend(FILE *f, const stats_result *res, charts *ch);
void html_nps_segments(FILE *f, const stats_result *res, charts *ch);
void html_verbatims(FILE *f, const stats_result *res);
void html_quality(FILE *f, const stats_result *res, const store_status *st, store *s);
/* A "Stale data" section naming each source whose last sync failed and
 * since when its data is missing (nothing when every sync worked). */
void html_stale(FILE *f, const store_status *st);
void html_methods(FILE *f, const stats_result *res);

#endif
