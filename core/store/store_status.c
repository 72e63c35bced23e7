/* store_status.c — what both backends' `status` share: the set of sources
 * a load touched (store_srcset_*), the totals read by one query each
 * (store_status_totals), whether customers are held
 * (store_status_has_customers) and the per-source lines
 * (store_status_add_source, store_status_free). */
#include "core/store/store_int.h"

#include "core/timeparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_srcset_note(store_srcset *set, const char *source)
{
    int n = set->n;
    if (n < 0 || (n > 0 && !strcmp(set->name[n - 1], source))) return 0;
    for (int i = 0; i < n; i++)
        if (!strcmp(set->name[i], source)) return 0;
    if (n == STORE_SRC_MAX) {
        store_srcset_clear(set);
        set->n = -1;
        return 0;
    }
    if (!(set->name[n] = strdup(source))) return -1;
    set->n = n + 1;
    return 0;
}

void store_srcset_clear(store_srcset *set)
{
    for (int i = 0; i < set->n; i++) free(set->name[i]);
    set->n = 0;
}

int store_status_has_customers(store *s, store_one_row_fn one_row)
{
    long long n;
    if (one_row(s, "SELECT count(*) FROM (SELECT 1 FROM customers LIMIT 1) AS c", &n, 1) != 0) return -1;
    return n > 0;
}

int store_status_totals(store *s, store_status *st, store_one_row_fn one_row)
{
    memset(st, 0, sizeof *st);
    long long v[4];
    if (one_row(s,
                "SELECT count(*), coalesce(min(responded_at),0), coalesce(max(responded_at),0)"
                " FROM responses",
                v, 3) != 0)
        return -1;
    st->responses = v[0];
    st->first_at = v[1];
    st->last_at = v[2];
    /* Read back like input (store_check.h): a time out of range is an error. */
    if (st->responses && (v[1] < CX_TIME_MIN || v[2] > CX_TIME_MAX)) {
        snprintf(s->err, sizeof s->err,
                 "store: responses: responded_at %lld is outside the accepted time range",
                 v[1] < CX_TIME_MIN ? v[1] : v[2]);
        return -1;
    }
    if (one_row(s,
                "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM spend),"
                " (SELECT count(*) FROM rejects)",
                v, 3) != 0)
        return -1;
    st->customers = v[0];
    st->spend_rows = v[1];
    st->rejects = v[2];
    /* A row of the log with no unchanged count was written before schema
     * 10: its replaced held the unchanged rows of an import of responses,
     * customers or spend, its ignored those of a sync; its rows already
     * held are summed apart.  A store opened read-only at an older schema
     * has no such column: every row is such a row. */
    long long w[7];
    if (one_row(
            s,
            s->schema == 0 || s->schema >= 10
                ? "SELECT coalesce(sum(rows),0), coalesce(sum(CASE WHEN unchanged IS NOT NULL THEN replaced END),0),"
                  " coalesce(sum(unchanged),0), coalesce(sum(CASE WHEN unchanged IS NOT NULL THEN ignored END),0),"
                  " count(*) - count(unchanged),"
                  " coalesce(sum(CASE WHEN unchanged IS NULL THEN replaced + ignored END),0),"
                  " coalesce(max(at),0) FROM imports"
                : "SELECT coalesce(sum(rows),0), 0, 0, 0, count(*), coalesce(sum(replaced + ignored),0),"
                  " coalesce(max(at),0) FROM imports",
            w, 7) != 0)
        return -1;
    st->imported_rows = w[0];
    st->replaced = w[1];
    st->unchanged = w[2];
    st->ignored = w[3];
    st->imports_before = w[4];
    st->held_before = w[5];
    st->last_import = w[6];
    return 0;
}

int store_status_add_source(store_status *st, const char *source, long long responses, long long rejects,
                            long long last_sync, long long last_fetched, const char *last_error)
{
    store_source_status *grown = realloc(st->sources, (st->n_sources + 1) * sizeof *grown);
    if (!grown) return -1;
    st->sources = grown;
    store_source_status *x = &st->sources[st->n_sources++];
    memset(x, 0, sizeof *x);
    x->source = strdup(source ? source : "");
    x->last_error = last_error ? strdup(last_error) : NULL;
    x->responses = responses;
    x->rejects = rejects;
    x->last_sync = last_sync;
    x->last_fetched = last_fetched;
    return x->source && (x->last_error || !last_error) ? 0 : -1;
}

void store_status_free(store_status *st)
{
    for (size_t i = 0; i < st->n_sources; i++) {
        free(st->sources[i].source);
        free(st->sources[i].last_error);
    }
    free(st->sources);
    st->sources = NULL;
    st->n_sources = 0;
}
