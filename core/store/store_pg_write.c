/* store_pg_write.c — the PostgreSQL backend's writes: the response upsert
 * (one statement; RETURNING (xmax = 0) tells a new row from an updated
 * one, no row means the stored one was newer), customers, spend, rejects,
 * the import log, checkpoints, sync records and the per-source sync locks.
 * Inside a transaction customers, spend and rejects go to the deferred COPY
 * buffers (store_pg_int.h): an import of a million spend rows is then a few
 * COPY statements instead of a million round trips.
 */
#include "core/store/store_attrs.h"
#include "core/store/store_pg_int.h"
#include "core/timeparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef CX_HAVE_LIBPQ

static const char *nz(const char *v) { return v ? v : ""; }

int pg_upsert_response(store *base, const cx_response *r, store_upsert_result *res)
{
    pg_store *s = PG(base);
    char resp[24], upd[24], month[16], score[8], ht[32], moments[CX_MAX_MOMENTS * 12];
    snprintf(resp, sizeof resp, "%lld", (long long)r->responded_at);
    snprintf(upd, sizeof upd, "%lld", (long long)r->updated_at);
    snprintf(month, sizeof month, "%d", time_month_key(r->responded_at));
    snprintf(score, sizeof score, "%d", r->score);
    snprintf(ht, sizeof ht, "%.17g", r->handle_time_s);
    cx_format_moments(r->moments, r->n_moments, moments, sizeof moments);
    char *attrs = attrs_to_json(r->attrs, r->n_attrs);
    if (!attrs) return pg_oom(s);
    const char *v[16] = {nz(r->source),
                         nz(r->response_id),
                         resp,
                         upd,
                         month,
                         score,
                         nz(r->comment),
                         nz(r->customer_id),
                         nz(r->agent_id),
                         nz(r->channel),
                         nz(r->product),
                         nz(r->interaction_type),
                         r->has_handle_time ? ht : NULL,
                         moments,
                         attrs,
                         cx_metric_code(r->metric)};
    PGresult *q = pg_prep(s, P_UPSERT, 16, v, NULL, NULL, "upsert");
    free(attrs);
    if (!q) return -1;
    if (PQntuples(q) != 1) {
        snprintf(s->base.err, sizeof s->base.err, "store: upsert: %d rows, want 1", PQntuples(q));
        PQclear(q);
        return -1;
    }
    if (!PQgetisnull(q, 0, 0)) *res = PQgetvalue(q, 0, 0)[0] == 't' ? STORE_INSERTED : STORE_REPLACED;
    else /* nothing written: the stored row is newer, or equal to R (its
          * updated_at then is R's: the upsert writes a newer or different one) */
        *res = !PQgetisnull(q, 0, 1) && strtoll(PQgetvalue(q, 0, 1), NULL, 10) == (long long)r->updated_at
                   ? STORE_UNCHANGED
                   : STORE_IGNORED;
    PQclear(q);
    return 0;
}

int pg_merge_customers(pg_store *s)
{
    /* store_customer_counts: each staged row against the stored customer
     * (its key's first row) or the key's previous staged row. */
    static const char count_sql[] =
        "WITH k AS (SELECT customer_id, annual_value, attributes,"
        " lag(annual_value) OVER w AS pv, lag(attributes) OVER w AS pa, row_number() OVER w AS rn"
        " FROM cx_cstage WINDOW w AS (PARTITION BY customer_id ORDER BY seq))"
        " SELECT count(*) FILTER (WHERE k.rn = 1 AND c.customer_id IS NULL),"
        " count(*) FILTER (WHERE (k.rn = 1 AND c.customer_id IS NOT NULL AND (c.annual_value IS DISTINCT FROM"
        " k.annual_value OR c.attributes::text IS DISTINCT FROM k.attributes)) OR (k.rn > 1 AND"
        " (k.pv IS DISTINCT FROM k.annual_value OR k.pa IS DISTINCT FROM k.attributes))), count(*)"
        " FROM k LEFT JOIN customers c ON c.customer_id = k.customer_id AND k.rn = 1";
    PGresult *q = PQexec(s->conn, count_sql);
    if (PQresultStatus(q) != PGRES_TUPLES_OK || PQntuples(q) != 1) {
        int rc = pg_fail(s, "customers", q);
        PQclear(q);
        return rc;
    }
    long long n_new = strtoll(PQgetvalue(q, 0, 0), NULL, 10), n_chg = strtoll(PQgetvalue(q, 0, 1), NULL, 10);
    s->base.cust.inserted += n_new;
    s->base.cust.replaced += n_chg;
    s->base.cust.ignored += strtoll(PQgetvalue(q, 0, 2), NULL, 10) - n_new - n_chg;
    PQclear(q);
    static const char sql[] = "INSERT INTO customers AS c (customer_id, annual_value, attributes)"
                              " SELECT DISTINCT ON (customer_id) customer_id, annual_value, attributes::json"
                              " FROM cx_cstage ORDER BY customer_id, seq DESC"
                              " ON CONFLICT (customer_id) DO UPDATE SET annual_value = excluded.annual_value,"
                              " attributes = excluded.attributes;"
                              "TRUNCATE cx_cstage";
    PGresult *r = PQexec(s->conn, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pg_fail(s, "customers", r);
    PQclear(r);
    s->cust_seq = 0;
    return rc;
}

int pg_upsert_customer(store *base, const char *customer_id, double annual_value, const cx_attr *attrs,
                       size_t n_attrs)
{
    pg_store *s = PG(base);
    char *json = attrs_to_json(attrs, n_attrs);
    if (!json) return pg_oom(s);
    int rc;
    if (s->in_tx) {
        pg_buf *b = &s->buf[B_CUSTOMERS];
        rc = buf_ll(b, ++s->cust_seq, '\t') || buf_text(b, nz(customer_id), '\t') ||
                     (isnan(annual_value) ? buf_null(b, '\t') : buf_double(b, annual_value, '\t')) ||
                     buf_text(b, json, '\n')
                 ? pg_oom(s)
                 : buf_row_done(s, B_CUSTOMERS);
    } else {
        char v2[32];
        snprintf(v2, sizeof v2, "%.17g", annual_value);
        const char *v[3] = {nz(customer_id), isnan(annual_value) ? NULL : v2, json};
        rc = pg_prep_done(s, P_CUSTOMER, 3, v, "customer");
    }
    free(json);
    return rc;
}

long long pg_spend_clear(store *base, const char *source)
{
    const char *v[1] = {nz(source)};
    if (pg_spend_keep_old(PG(base), source) != 0) return -1;
    PGresult *r = pg_prep(PG(base), P_SPEND_CLEAR, 1, v, NULL, NULL, "spend");
    if (!r) return -1;
    long long n = strtoll(PQcmdTuples(r), NULL, 10); /* "DELETE n": rows removed */
    PQclear(r);
    return n;
}

long long pg_rejects_forget(store *base, const char *source, const char *file)
{
    size_t n = strlen(file);
    char *prefix = malloc(n + 2);
    if (!prefix) return pg_oom(PG(base));
    memcpy(prefix, file, n);
    memcpy(prefix + n, ":", 2);
    const char *v[2] = {nz(source), prefix};
    PGresult *r = pg_prep(PG(base), P_REJECTS_FORGET, 2, v, NULL, NULL, "rejects");
    free(prefix);
    if (!r) return -1;
    long long k = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return k;
}

int pg_add_spend(store *base, const char *source, const char *customer_id, int64_t day, double amount)
{
    pg_store *s = PG(base);
    if (s->in_tx) {
        pg_buf *b = &s->buf[B_SPEND];
        if (buf_text(b, nz(source), '\t') || buf_text(b, nz(customer_id), '\t') ||
            buf_ll(b, (long long)day, '\t') || buf_double(b, amount, '\n'))
            return pg_oom(s);
        return buf_row_done(s, B_SPEND);
    }
    char d[24], a[32];
    snprintf(d, sizeof d, "%lld", (long long)day);
    snprintf(a, sizeof a, "%.17g", amount);
    const char *v[4] = {nz(source), nz(customer_id), d, a};
    return pg_prep_done(s, P_SPEND_ADD, 4, v, "spend");
}

int pg_add_reject(store *base, const char *source, const char *where, const char *reason, const char *raw,
                  size_t raw_len)
{
    pg_store *s = PG(base);
    long long now = (long long)time(NULL);
    if (!raw) raw_len = 0;
    if (s->in_tx) {
        pg_buf *b = &s->buf[B_REJECTS];
        if (buf_text(b, nz(source), '\t') || buf_ll(b, now, '\t') || buf_text(b, nz(where), '\t') ||
            buf_text(b, nz(reason), '\t') || buf_bytea(b, raw ? raw : "", raw_len, '\n'))
            return pg_oom(s);
        return buf_row_done(s, B_REJECTS);
    }
    char at[24];
    snprintf(at, sizeof at, "%lld", now);
    const char *v[5] = {nz(source), at, nz(where), nz(reason), raw ? raw : ""};
    const int lens[5] = {0, 0, 0, 0, (int)raw_len};
    const int fmts[5] = {0, 0, 0, 0, 1};
    PGresult *r = pg_prep(s, P_REJECT, 5, v, lens, fmts, "reject");
    PQclear(r);
    return r ? 0 : -1;
}

int pg_log_import(store *base, const store_import_stats *x)
{
    char n[7][24];
    const long long counts[] = {(long long)time(NULL), x->rows,     x->inserted, x->replaced, x->ignored,
                                x->rejected,           x->unchanged};
    for (int i = 0; i < 7; i++) snprintf(n[i], sizeof n[i], "%lld", counts[i]);
    const char *v[9] = {n[0], nz(x->kind), nz(x->file), n[1], n[2], n[3], n[4], n[5], n[6]};
    return pg_prep_done(PG(base), P_IMPORT_LOG, 9, v, "import log");
}

int pg_checkpoint_get(store *base, const char *source, char **out)
{
    pg_store *s = PG(base);
    const char *v[1] = {nz(source)};
    *out = NULL;
    PGresult *r = pg_prep(s, P_CKPT_GET, 1, v, NULL, NULL, "checkpoint");
    if (!r) return -1;
    if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)) {
        size_t n = (size_t)PQgetlength(r, 0, 0) + 1;
        *out = malloc(n);
        if (*out) memcpy(*out, PQgetvalue(r, 0, 0), n);
    }
    PQclear(r);
    return 0;
}

int pg_checkpoint_put(store *base, const char *source, const char *checkpoint)
{
    const char *v[2] = {nz(source), nz(checkpoint)};
    return pg_prep_done(PG(base), P_CKPT_PUT, 2, v, "checkpoint");
}

int pg_checkpoint_clear(store *base, const char *source)
{
    const char *v[1] = {nz(source)};
    return pg_prep_done(PG(base), P_CKPT_CLEAR, 1, v, "checkpoint");
}

int pg_sync_record(store *base, const char *source, int64_t at, long long fetched, const char *error)
{
    char a[24], f[24];
    snprintf(a, sizeof a, "%lld", (long long)at);
    snprintf(f, sizeof f, "%lld", fetched);
    const char *v[4] = {nz(source), a, f, error};
    return pg_prep_done(PG(base), P_SYNC_RECORD, 4, v, "sync record");
}

/* Session advisory locks rather than row locks: an ingest commits every
 * page in its own transaction, and a row lock ends with each of them. */
int pg_lock_source(store *base, const char *source, int wait)
{
    const char *v[1] = {nz(source)};
    PGresult *r = pg_prep(PG(base), wait ? P_LOCK : P_TRY_LOCK, 1, v, NULL, NULL, "sync lock");
    if (!r) return -1;
    int busy = !wait && !(PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't');
    PQclear(r);
    if (!busy) PG(base)->locked = 1;
    return busy;
}

int pg_unlock_source(store *base, const char *source)
{
    const char *v[1] = {nz(source)};
    return pg_prep_done(PG(base), P_UNLOCK, 1, v, "sync unlock");
}

#endif /* CX_HAVE_LIBPQ */
