/* store_pg_read.c — the PostgreSQL backend's reads: scans streamed one row
 * at a time (single-row mode: memory stays flat however big the table)
 * and status; the NPS counts grouped on the server: store_pg_counts.c.  Queries stay within what Citus distributes (docs/scale.md): no
 * correlated subqueries over distributed tables, joins to `customers`
 * (a reference table there) only.  The scans reach the store through one
 * table, pg_read_ops (store_int.h, store_read_ops).
 */
#include "core/store/store_attrs.h"
#include "core/store/store_check.h"
#include "core/store/store_pg_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CX_HAVE_LIBPQ

/* The three filter parameters of PG_FILTER_SQL (store_pg_int.h). */
void pg_filter_params(const store_filter *f, const char *v[3], char buf[2][16])
{
    snprintf(buf[0], sizeof buf[0], "%d", f ? f->month_from : 0);
    snprintf(buf[1], sizeof buf[1], "%d", f ? f->month_to : 0);
    v[0] = f ? f->source : NULL;
    v[1] = buf[0];
    v[2] = buf[1];
}

/* The columns response_row reads, in its order. */
#define RESPONSE_COLS                                                                    \
    "SELECT source, response_id, responded_at, updated_at, score, comment, customer_id," \
    " agent_id, channel, product, interaction_type, handle_time_s, moments, attributes, metric, month"

typedef struct resp_ctx {
    store_response_cb cb;
    void *ctx;
    store *s;        /* for the error of a bad value */
    attrs_buf attrs; /* the row's attributes */
} resp_ctx;

static int response_row(const PGresult *q, void *ctx)
{
    resp_ctx *x = ctx;
    cx_response r;
    cx_response_clear(&r);
    r.source = PQgetvalue(q, 0, 0);
    r.response_id = PQgetvalue(q, 0, 1);
    r.responded_at = col_ll(q, 0, 2);
    r.updated_at = col_ll(q, 0, 3);
    r.score = store_clamp_int(col_ll(q, 0, 4));
    r.comment = PQgetvalue(q, 0, 5);
    r.customer_id = PQgetvalue(q, 0, 6);
    r.agent_id = PQgetvalue(q, 0, 7);
    r.channel = PQgetvalue(q, 0, 8);
    r.product = PQgetvalue(q, 0, 9);
    r.interaction_type = PQgetvalue(q, 0, 10);
    if (!PQgetisnull(q, 0, 11)) {
        r.has_handle_time = 1;
        r.handle_time_s = col_double(q, 0, 11);
    }
    int moments_ok = store_parse_moments(PQgetvalue(q, 0, 12), &r);
    r.metric = cx_metric_from_code(PQgetvalue(q, 0, 14)); /* -1: store_check_response says so */
    if (store_check_response(&r, store_clamp_int(col_ll(q, 0, 15)), moments_ok, x->s->err,
                             sizeof x->s->err) != 0)
        return -1;
    attrs_doc *doc = attrs_scan(PQgetvalue(q, 0, 13), &x->attrs, r.attrs, &r.n_attrs, CX_MAX_ATTRS);
    int ret = x->cb(&r, x->ctx);
    attrs_doc_free(doc);
    return ret;
}

static int pg_scan_responses(store *base, const store_filter *f, store_response_cb cb, void *ctx)
{
    if (!f || (!f->source && !f->month_from && !f->month_to)) return pg_scan_all(PG(base), cb, ctx);
    static const char sql[] =
        RESPONSE_COLS " FROM responses r WHERE" PG_FILTER_SQL " ORDER BY source, response_id";
    const char *v[3];
    char buf[2][16];
    pg_filter_params(f, v, buf);
    resp_ctx x = {cb, ctx, base, {NULL, 0}};
    int rc = pg_stream(PG(base), sql, 3, v, 0, response_row, &x, "scan");
    attrs_buf_free(&x.attrs);
    return rc;
}

int pg_written_after_send(store *base, const char *tx, const char *from_tid)
{
    static const char sql[] =
        RESPONSE_COLS " FROM responses r WHERE " PG_WRITTEN_AFTER " ORDER BY source, response_id";
    /* a TID range scan from FROM_TID, not the whole table */
    static const char sql_from[] = RESPONSE_COLS
        " FROM responses r WHERE ctid >= $2::tid AND " PG_WRITTEN_AFTER " ORDER BY source, response_id";
    const char *v[2] = {tx, from_tid};
    return pg_stream_send(PG(base), from_tid ? sql_from : sql, from_tid ? 2 : 1, v, 0, "scan");
}

int pg_written_after_rows(store *base, store_response_cb cb, void *ctx)
{
    resp_ctx x = {cb, ctx, base, {NULL, 0}};
    int rc = pg_stream_rows(PG(base), response_row, &x, "scan");
    attrs_buf_free(&x.attrs);
    return rc;
}

int pg_scan_written_after(store *base, const char *tx, const char *from_tid, store_response_cb cb, void *ctx)
{
    return pg_written_after_send(base, tx, from_tid) != 0 ? -1 : pg_written_after_rows(base, cb, ctx);
}

typedef struct cust_ctx {
    store_customer_cb cb;
    void *ctx;
    store *s;
} cust_ctx;

static int customer_row(const PGresult *q, void *ctx)
{
    cust_ctx *x = ctx;
    cx_attr attrs[CX_MAX_ATTRS];
    size_t n = 0;
    double v = PQgetisnull(q, 0, 1) ? NAN : col_double(q, 0, 1);
    if (store_check_customer(PQgetvalue(q, 0, 0), v, x->s->err, sizeof x->s->err) != 0) return -1;
    attrs_doc *doc = attrs_from_json(PQgetvalue(q, 0, 2), attrs, &n, CX_MAX_ATTRS);
    int ret = x->cb(PQgetvalue(q, 0, 0), v, attrs, n, x->ctx);
    attrs_doc_free(doc);
    return ret;
}

static int pg_scan_customers(store *base, store_customer_cb cb, void *ctx)
{
    cust_ctx x = {cb, ctx, base};
    return pg_stream(PG(base),
                     "SELECT customer_id, annual_value, attributes FROM customers"
                     " ORDER BY customer_id",
                     0, NULL, 0, customer_row, &x, "customers");
}

typedef struct spend_ctx {
    store_spend_cb cb;
    void *ctx;
    store *s;
} spend_ctx;

static int spend_row(const PGresult *q, void *ctx)
{
    spend_ctx *x = ctx;
    int64_t day = col_ll(q, 0, 1);
    double amount = col_double(q, 0, 2);
    if (store_check_spend(PQgetvalue(q, 0, 0), day, amount, x->s->err, sizeof x->s->err) != 0) return -1;
    return x->cb(PQgetvalue(q, 0, 0), day, amount, x->ctx);
}

static int pg_scan_spend(store *base, store_spend_cb cb, void *ctx)
{
    spend_ctx x = {cb, ctx, base};
    return pg_stream(PG(base),
                     "SELECT customer_id, day, amount FROM spend"
                     " ORDER BY customer_id, day, amount",
                     0, NULL, 0, spend_row, &x, "spend");
}

static int pg_scan_spend_unordered(store *base, store_spend_cb cb, void *ctx)
{
    spend_ctx x = {cb, ctx, base};
    return pg_stream(PG(base), "SELECT customer_id, day, amount FROM spend", 0, NULL, 0, spend_row, &x,
                     "spend");
}

typedef struct range_ctx {
    int64_t *first, *last;
    int found;
} range_ctx;

static int range_row(const PGresult *q, void *ctx)
{
    range_ctx *x = ctx;
    if (PQgetisnull(q, 0, 0) || PQgetisnull(q, 0, 1)) return 0;
    *x->first = col_ll(q, 0, 0);
    *x->last = col_ll(q, 0, 1);
    x->found = 1;
    return 0;
}

static int pg_spend_range(store *base, int64_t *first, int64_t *last)
{
    range_ctx x = {first, last, 0};
    if (pg_stream(PG(base), "SELECT min(day), max(day) FROM spend", 0, NULL, 0, range_row, &x, "spend") != 0)
        return -1;
    return x.found;
}

typedef struct reject_ctx {
    store_reject_cb cb;
    void *ctx;
} reject_ctx;

/* Binary results: text comes as its bytes, raw (bytea) as stored, whole
 * (its length from libpq, NUL bytes included). */
static int reject_row(const PGresult *q, void *ctx)
{
    reject_ctx *x = ctx;
    return x->cb(PQgetvalue(q, 0, 0), PQgetvalue(q, 0, 1), PQgetvalue(q, 0, 2), PQgetvalue(q, 0, 3),
                 (size_t)PQgetlength(q, 0, 3), x->ctx);
}

static int pg_scan_rejects(store *base, const char *source, store_reject_cb cb, void *ctx)
{
    const char *v[1] = {source};
    reject_ctx x = {cb, ctx};
    return pg_stream(PG(base),
                     "SELECT source, location, reason, raw FROM rejects"
                     " WHERE $1::text IS NULL OR source = $1 ORDER BY id",
                     1, v, 1, reject_row, &x, "rejects");
}

/* ---- status ---- */

static int one_row(store *base, const char *sql, long long *out, int n)
{
    pg_store *s = PG(base);
    if (pg_flush(s) != 0) return -1;
    PGresult *r = PQexec(s->conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || PQnfields(r) < n) {
        int rc = pg_fail(s, "status", r);
        PQclear(r);
        return rc;
    }
    for (int i = 0; i < n; i++) out[i] = col_ll(r, 0, i);
    PQclear(r);
    return 0;
}

static int source_row(const PGresult *q, void *ctx)
{
    return store_status_add_source(ctx, PQgetvalue(q, 0, 0), col_ll(q, 0, 1), col_ll(q, 0, 2),
                                   col_ll(q, 0, 3), col_ll(q, 0, 4),
                                   PQgetisnull(q, 0, 5) ? NULL : PQgetvalue(q, 0, 5))
               ? 2
               : 0;
}

int pg_get_status(store *base, store_status *st)
{
    pg_store *s = PG(base);
    if (store_status_totals(base, st, one_row) != 0) return -1;
    int rc = pg_stream(s, STATUS_SOURCES_SQL, 0, NULL, 0, source_row, st, "status");
    if (rc != 0) {
        if (rc > 0) pg_oom(s);
        store_status_free(st);
        return -1;
    }
    return 0;
}

int pg_has_customers(store *base) { return store_status_has_customers(base, one_row); }

typedef struct reason_ctx {
    store_reason_cb cb;
    void *ctx;
} reason_ctx;

static int reason_row(const PGresult *q, void *ctx)
{
    reason_ctx *x = ctx;
    return x->cb(PQgetvalue(q, 0, 0), col_ll(q, 0, 1), x->ctx);
}

static int pg_reject_reasons(store *base, store_reason_cb cb, void *ctx)
{
    reason_ctx x = {cb, ctx};
    return pg_stream(PG(base),
                     "SELECT reason, count(*) AS n FROM rejects GROUP BY reason"
                     " ORDER BY n DESC, reason",
                     0, NULL, 0, reason_row, &x, "rejects");
}

typedef struct name_ctx {
    store_name_cb cb;
    void *ctx;
} name_ctx;

static int name_row(const PGresult *q, void *ctx)
{
    name_ctx *x = ctx;
    return x->cb(PQgetvalue(q, 0, 0), x->ctx);
}

static int pg_attr_names(store *base, store_name_cb cb, void *ctx)
{
    name_ctx x = {cb, ctx};
    return pg_stream(PG(base),
                     "SELECT DISTINCT e.k FROM responses r, json_each(CASE WHEN"
                     " json_typeof(r.attributes) = 'object' THEN r.attributes ELSE '{}'::json END) AS e(k, v)"
                     " WHERE json_typeof(e.v) = 'string'",
                     0, NULL, 0, name_row, &x, "attribute names");
}

#endif /* CX_HAVE_LIBPQ */

const store_read_ops pg_read_ops = STORE_READ_OPS(pg);
