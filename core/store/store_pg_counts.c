/* store_pg_counts.c — store_nps_counts and store_score_counts on
 * PostgreSQL: the groups counted on the server (GROUP BY, a parallel hash
 * aggregate), so that only the groups travel; SQLite counts them itself
 * (store_sqlite_counts.c).  Queries stay within what Citus distributes
 * (docs/scale.md): the join is to `customers` only, a reference table
 * there.
 */
#include "core/store/store_check.h"
#include "core/store/store_pg_int.h"

#include <stdio.h>

#ifdef CX_HAVE_LIBPQ

/* NPS counts and the score distribution count NPS responses only. */
#define NPS_ONLY " r.metric = 'nps' AND"
/* The fourth count, of scores outside 0..10, must be 0 (store_check.h).
 * The class bounds are core/model.h's. */
#define PAD_SQL                                                                                                 \
    " count(*) FILTER (WHERE r.score >= " CX_STR(                                                               \
        CX_PROMOTER_MIN) "),"                                                                                   \
                         " count(*) FILTER (WHERE r.score >= " CX_STR(CX_PASSIVE_MIN) " AND r.score < " CX_STR( \
                             CX_PROMOTER_MIN) "),"                                                              \
                                              " count(*) FILTER (WHERE r.score < " CX_STR(                      \
                                                  CX_PASSIVE_MIN) "), count(*) FILTER (WHERE r.score NOT BETWEEN 0 AND 10)"

static const char nps_all_sql[] =
    "SELECT r.month, 'all'," PAD_SQL " FROM responses r WHERE" NPS_ONLY PG_FILTER_SQL " GROUP BY r.month";

/* $4 is one of the text fields of store_dim_is_field. */
static const char nps_field_sql[] =
    "SELECT r.month, NULLIF(CASE $4::text WHEN 'source' THEN r.source WHEN 'customer_id' THEN r.customer_id"
    " WHEN 'agent_id' THEN r.agent_id WHEN 'channel' THEN r.channel WHEN 'product' THEN r.product"
    " WHEN 'interaction_type' THEN r.interaction_type END, '') AS seg," PAD_SQL
    " FROM responses r WHERE" NPS_ONLY PG_FILTER_SQL " GROUP BY 1, 2";

/* The response's string attribute $4 when it has one (even empty), else
 * its customer's, as run/run.c.  The customers' values are picked out
 * before the join (a small hash table; 2.5x faster than joining whole
 * rows), and the join is to `customers` only: a reference table on Citus. */
static const char nps_attr_sql[] =
    "SELECT r.month, NULLIF(CASE WHEN json_typeof(r.attributes -> $4::text) = 'string'"
    " THEN r.attributes ->> $4::text ELSE c.v END, '') AS seg," PAD_SQL
    " FROM responses r LEFT JOIN (SELECT customer_id, attributes ->> $4::text AS v FROM customers"
    " WHERE json_typeof(attributes -> $4::text) = 'string') c ON c.customer_id = r.customer_id"
    " WHERE" NPS_ONLY PG_FILTER_SQL " GROUP BY 1, 2";

typedef struct nps_ctx {
    size_t dim;
    store_nps_cb cb;
    void *ctx;
    store *s;
} nps_ctx;

static int nps_row(const PGresult *q, void *ctx)
{
    nps_ctx *x = ctx;
    if (store_check_group(col_ll(q, 0, 0), NULL, x->s->err, sizeof x->s->err) != 0) return -1;
    if (col_ll(q, 0, 5) != 0) {
        snprintf(x->s->err, sizeof x->s->err, "store: responses: %lld scores outside 0..10", col_ll(q, 0, 5));
        return -1;
    }
    store_nps_group g = {
        (int)col_ll(q, 0, 0), x->dim,          PQgetisnull(q, 0, 1) ? NULL : PQgetvalue(q, 0, 1),
        col_ll(q, 0, 2),      col_ll(q, 0, 3), col_ll(q, 0, 4)};
    return x->cb(&g, x->ctx);
}

/* One GROUP BY per dimension, each a parallel hash aggregate on the server. */
int pg_nps_counts(store *base, const store_filter *f, const char *const *dims, size_t n_dims, store_nps_cb cb,
                  void *ctx)
{
    const char *v[4];
    char buf[2][16];
    pg_filter_params(f, v, buf);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i <= n_dims; i++) {
        const char *dim = i ? dims[i - 1] : NULL;
        v[3] = dim;
        const char *sql = !dim ? nps_all_sql : store_dim_is_field(dim) ? nps_field_sql : nps_attr_sql;
        nps_ctx x = {i, cb, ctx, base};
        rc = pg_stream(PG(base), sql, dim ? 4 : 3, v, 0, nps_row, &x, "counts");
    }
    return rc;
}

typedef struct score_ctx {
    store_score_cb cb;
    void *ctx;
    store *s;
} score_ctx;

static int score_row(const PGresult *q, void *ctx)
{
    score_ctx *x = ctx;
    int64_t score = col_ll(q, 0, 1);
    if (store_check_group(col_ll(q, 0, 0), &score, x->s->err, sizeof x->s->err) != 0) return -1;
    return x->cb((int)col_ll(q, 0, 0), (int)col_ll(q, 0, 1), col_ll(q, 0, 2), x->ctx);
}

int pg_score_counts(store *base, const store_filter *f, store_score_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT r.month, r.score, count(*) FROM responses r WHERE" NPS_ONLY PG_FILTER_SQL " GROUP BY 1, 2";
    const char *v[3];
    char buf[2][16];
    pg_filter_params(f, v, buf);
    score_ctx x = {cb, ctx, base};
    return pg_stream(PG(base), sql, 3, v, 0, score_row, &x, "counts");
}

#endif /* CX_HAVE_LIBPQ */
