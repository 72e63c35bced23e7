/* run_suite.h — the end of every unit test program's main: run the Check
 * suite (CK_ENV: CK_VERBOSITY picks the output) and exit non-zero when a
 * case failed. */
#ifndef CX_RUN_SUITE_H
#define CX_RUN_SUITE_H

#include <check.h>
#include <stdlib.h>

static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
