/* recent.c — the most recent comments in scope (the report's "Recent
 * verbatims"), as a row of the table of analyses.  It runs with the CX
 * tables (STATS_RUN_CX).  Memory: VERBATIM_MAX comments. */
#include "stats/analysis.h"
#include "core/timeparse.h"
#include "stats/text/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct verb_acc {
    int month;                   /* --month; 0 = all */
    verbatim verb[VERBATIM_MAX]; /* newest first */
    size_t n;
} verb_acc;

static void *verb_create(const analysis_env *env)
{
    verb_acc *a = calloc(1, sizeof *a);
    if (a) a->month = env->o->month;
    return a;
}

/* Keeps the VERBATIM_MAX most recent non-empty comments in scope, the
 * earlier one first among equal times: responses must come in input
 * order. */
static int verb_add(void *acc, const cx_response *r, const char *const *seg)
{
    verb_acc *a = acc;
    (void)seg;
    if (!r->comment[0] || !stats_month_in_scope(a->month, time_month_key(r->responded_at))) return 0;
    size_t n = a->n, i = n;
    while (i > 0 && a->verb[i - 1].at < r->responded_at) i--;
    if (i >= VERBATIM_MAX) return 0;
    if (n == VERBATIM_MAX) {
        free(a->verb[n - 1].comment);
        free(a->verb[n - 1].segment);
        n--;
    }
    memmove(&a->verb[i + 1], &a->verb[i], (n - i) * sizeof *a->verb);
    verbatim *v = &a->verb[i];
    v->at = r->responded_at;
    v->score = r->score;
    size_t masked_len; /* shown in the report: personal data masked (stats/text/mask.c) */
    v->comment = text_mask(r->comment, strlen(r->comment), &masked_len);
    v->segment = strdup(r->channel);
    a->n = n + 1;
    return v->comment && v->segment ? 0 : -1;
}

/* The comments move into the result, which frees them. */
static int verb_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    verb_acc *a = acc;
    (void)err;
    (void)errlen;
    memcpy(out->verb, a->verb, a->n * sizeof *a->verb);
    out->n_verb = a->n;
    a->n = 0;
    return 0;
}

static void verb_destroy(void *acc)
{
    verb_acc *a = acc;
    if (!a) return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->verb[i].comment);
        free(a->verb[i].segment);
    }
    free(a);
}

const analysis analysis_recent = {
    NULL, STATS_RUN_CX, ANALYSIS_RECENT, verb_create, verb_add, verb_finish, verb_destroy,
};
