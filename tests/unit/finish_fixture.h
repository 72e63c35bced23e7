/* finish_fixture.h — what the tests of the summaries, analyses that only
 * read the results of others (test_summary_small.c,
 * test_metric_summary_small.c), share: one analysis made with
 * --min-responses MIN and finished over a result the test built.
 * Included by one .c file per program. */
#ifndef CX_FINISH_FIXTURE_H
#define CX_FINISH_FIXTURE_H

#include <check.h>
#include <string.h>

#include "stats/analysis.h"

/* A's accumulator, finished into RES at a 95% confidence; the caller
 * destroys it (A->destroy). */
static inline void *finish_with_min(const analysis *a, stats_result *res, int min)
{
    stats_opts o;
    memset(&o, 0, sizeof o);
    o.confidence = 0.95;
    o.min_responses = min;
    analysis_env env = {&o, NULL, NULL};
    void *acc = a->create(&env);
    ck_assert_ptr_nonnull(acc);
    char err[128];
    ck_assert_int_eq(a->finish(acc, res, err, sizeof err), 0);
    return acc;
}

#endif
