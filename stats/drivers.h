/* drivers.h — why did NPS move: the change of NPS between the month before
 * the report month (m0) and the report month (m1), split for each --by
 * dimension into a rate effect (segments scoring differently) and a mix
 * effect (the response mix shifting between segments) with Kitagawa's
 * symmetric decomposition (drivers.csv; docs/methods.md §Drivers).
 *
 * Computed from the finished NPS table (counts per month × dimension ×
 * segment), so every run that has the NPS table has the drivers.
 * Owner: stats/drivers.c.  The table owns its rows and their strings.
 */
#ifndef CX_DRIVERS_H
#define CX_DRIVERS_H

#include <stddef.h>
#include <stdint.h>
#include "stats/drivers_result.h"
#include "stats/trend.h"

/* Decomposes the change from MONTH − 1 to MONTH (a month key; 0 gives an
 * empty table) for each of the N_BY dimensions of the finished table T.
 * A dimension without responses in one of the two months has no rows.
 * NULL when out of memory. */
drivers *drivers_new(const nps_table *t, size_t n_by, int month, double confidence);
void drivers_free(drivers *d);

#endif
