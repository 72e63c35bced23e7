/* metric_summary_compare.h — the test behind the CSAT/CES summary's
 * segment findings (a segment against the rest of its month;
 * docs/methods.md "A segment against the rest of its month").  The tables'
 * tests (stats/metric_stats.h: the pooled two-proportion z-test, Welch's
 * t-test) break down for small segments: one dissatisfied answer against
 * a month at 99% satisfied gives z = −9.5, p = 2e−21 (Fisher's exact p is
 * 0.011), and a segment whose answers are all alike has a CES standard
 * error from the rest alone (two answers of 7 against a month at mean 3:
 * p = 4e−229).  Here a CSAT share is compared on adjusted counts
 * (Agresti and Caffo 2000), a CES mean with the variance pooled over the
 * month, so neither side's standard error is 0 for want of spread; and
 * groups with fewer than --min-responses answers are not tested at all
 * (stats/summary_compare.h summary_testable).
 * Owner: stats/metric_stats.c, beside the tests they adjust.  Pure
 * functions; no allocation.
 */
#ifndef CX_METRIC_SUMMARY_COMPARE_H
#define CX_METRIC_SUMMARY_COMPARE_H

#include "stats/metrics_result.h"

/* CSAT: X satisfied of N against XR of NR, on adjusted counts (x + 1 of
 * n + 2 on each side): z = (p'_a − p'_b) / √(p'_a(1−p'_a)/n'_a +
 * p'_b(1−p'_b)/n'_b), p = 2·Q(|z|).  OUT's rest and diff are the raw
 * shares' (the effect shown); stat and p the adjusted test's, df NaN.
 * A side without answers: all NaN, significant −1. */
void csat_compare_adjusted(double x, double n, double xr, double nr, double confidence, metric_vs_rest *out);

/* CES: N answers with sum S and sum of squares SS against NR, SR, SSR:
 * Student's two-sample t-test with the variance pooled over both sides,
 * t = (m_a − m_b) / (s_p·√(1/n_a + 1/n_b)), df = n_a + n_b − 2, as the
 * CSAT tables pool the share.  OUT's rest and diff are the raw means';
 * stat, df and p the test's.  No test (NaN, −1) when a side has no
 * answers or the month has no spread within its sides. */
void ces_compare_pooled(double n, double s, double ss, double nr, double sr, double ssr, double confidence,
                        metric_vs_rest *out);

#endif
