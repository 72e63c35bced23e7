/* recent.c — the most recent comments in scope (the report's "Recent
 * verbatims"), as a row of the table of analyses.  It runs with the CX
 * tables (STATS_RUN_CX).  Memory: VERBATIM_MAX comments. */
#include "stats/analysis.h"
#include "core/timeparse.h"
#include "stats/text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A comment kept so far, in buffers reused as rows come and go: most
 * rows in time order are the newest when they come, and are pushed out
 * again VERBATIM_MAX rows later, so nothing is masked or allocated a row. */
typedef struct kept {
    int64_t at;
    int score;
    char *comment, *segment; /* raw; masked at the end */
    size_t comment_cap, segment_cap;
} kept;

typedef struct verb_acc {
    int month;            /* --month; 0 = all */
    kept v[VERBATIM_MAX]; /* newest first */
    size_t n;
} verb_acc;

static void *verb_create(const analysis_env *env)
{
    verb_acc *a = calloc(1, sizeof *a);
    if (a) a->month = env->o->month;
    return a;
}

/* S into *BUF (*CAP bytes, grown).  0, -1 OOM. */
static int put(char **buf, size_t *cap, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > *cap) {
        char *p = realloc(*buf, n);
        if (!p) return -1;
        *buf = p;
        *cap = n;
    }
    memcpy(*buf, s, n);
    return 0;
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
    while (i > 0 && a->v[i - 1].at < r->responded_at) i--;
    if (i >= VERBATIM_MAX) return 0;
    kept k = a->v[n == VERBATIM_MAX ? n - 1 : n]; /* its buffers reused */
    if (n == VERBATIM_MAX) n--;
    memmove(&a->v[i + 1], &a->v[i], (n - i) * sizeof *a->v);
    a->v[i] = k;
    a->n = n + 1;
    kept *v = &a->v[i];
    v->at = r->responded_at;
    v->score = r->score;
    return put(&v->comment, &v->comment_cap, r->comment) || put(&v->segment, &v->segment_cap, r->channel) ? -1
                                                                                                          : 0;
}

/* The comments kept, into the result, which frees them. */
static int verb_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    verb_acc *a = acc;
    for (size_t i = 0; i < a->n; i++) {
        const kept *k = &a->v[i];
        verbatim *v = &out->verb[i];
        size_t masked_len; /* shown in the report: personal data masked (stats/text/mask.c) */
        v->at = k->at;
        v->score = k->score;
        v->comment = text_mask(k->comment, strlen(k->comment), &masked_len);
        v->segment = strdup(k->segment);
        out->n_verb = i + 1;
        if (!v->comment || !v->segment) {
            snprintf(err, errlen, "stats: out of memory");
            return -1;
        }
    }
    return 0;
}

static void verb_destroy(void *acc)
{
    verb_acc *a = acc;
    if (!a) return;
    for (size_t i = 0; i < VERBATIM_MAX; i++) {
        free(a->v[i].comment);
        free(a->v[i].segment);
    }
    free(a);
}

const analysis analysis_recent = {
    NULL, STATS_RUN_CX, ANALYSIS_RECENT, verb_create, verb_add, verb_finish, verb_destroy, NULL,
};
