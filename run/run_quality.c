/* run_quality.c — the data-quality facts of a run from the store: its
 * status, its sources and the reasons of rejected rows, copied into the
 * result so that the report needs no store. */
#include "run/run_int.h"

#include <stdlib.h>
#include <string.h>

static int add_reason(const char *reason, long long count, void *ctx)
{
    stats_quality *q = ctx;
    quality_reason *r = realloc(q->reasons, (q->n_reasons + 1) * sizeof *r);
    if (!r) return -1;
    q->reasons = r;
    if (!(r[q->n_reasons].reason = strdup(reason ? reason : ""))) return -1;
    r[q->n_reasons++].rows = count;
    return 0;
}

static int copy_sources(stats_quality *q, const store_status *st)
{
    if (st->n_sources == 0) return 0;
    q->sources = calloc(st->n_sources, sizeof *q->sources);
    if (!q->sources) return -1;
    for (size_t i = 0; i < st->n_sources; i++) {
        const store_source_status *x = &st->sources[i];
        quality_source *y = &q->sources[q->n_sources++];
        y->responses = x->responses;
        y->rejects = x->rejects;
        y->last_sync = x->last_sync;
        if (!(y->source = strdup(x->source ? x->source : ""))) return -1;
        if (x->last_error && !(y->last_error = strdup(x->last_error))) return -1;
    }
    return 0;
}

int run_store_quality(stats_result *r, store *s, char *err, size_t errlen)
{
    store_status st;
    stats_quality *q = &r->quality;
    if (store_get_status(s, &st) != 0) {
        snprintf(err, errlen, "%s", store_error(s));
        return -1;
    }
    q->from_store = 1;
    q->store_responses = st.responses;
    q->imported_rows = st.imported_rows;
    q->replaced = st.replaced;
    q->unchanged = st.unchanged;
    q->ignored = st.ignored;
    q->imports_before = st.imports_before;
    q->held_before = st.held_before;
    q->rejects = st.rejects;
    q->customers = st.customers;
    q->spend_rows = st.spend_rows;
    q->last_import = st.last_import;
    int rc = copy_sources(q, &st);
    store_status_free(&st);
    if (rc != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (q->rejects && store_reject_reasons(s, add_reason, q) != 0) {
        snprintf(err, errlen, "%s", store_error(s)[0] ? store_error(s) : "out of memory");
        return -1;
    }
    return 0;
}

static int put_reject(const char *source, const char *where, const char *reason, const char *raw,
                      size_t raw_len, void *ctx)
{
    rejects_put(ctx, source, where, reason, raw, raw_len);
    return 0;
}

int run_store_rejects(store *s, const char *source, rejects_sink *k, char *err, size_t errlen)
{
    if (store_scan_rejects(s, source, put_reject, k) == 0) return 0;
    snprintf(err, errlen, "%s", store_error(s)[0] ? store_error(s) : "out of memory");
    return -1;
}
