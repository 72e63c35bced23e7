/* store.c — store.h's entry points: dispatches every call through the
 * backend's table of operations (store_int.h).  What the backends share is
 * beside it: the target and its display without a password
 * (store_target.c), source sets and status totals (store_status.c).  Opening,
 * which picks the backend, is store_open.c's: the backends sit between the
 * two, so that no loop ties this file to them.
 */
#include "core/store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_dim_is_field(const char *name) { return cx_dim_field(name) >= 0; }

/* ---- dispatch ---- */

void store_close(store *s)
{
    if (s) s->ops->close(s);
}

const char *store_error(const store *s) { return s->err; }
const char *store_backend(const store *s) { return s->backend; }
int store_schema(const store *s) { return s->schema ? s->schema : STORE_SCHEMA_VERSION; }

int store_begin(store *s)
{
    int rc = s->ops->begin(s);
    s->in_tx = rc == 0;
    return rc;
}
int store_begin_load(store *s)
{
    int rc = s->ops->begin_load ? s->ops->begin_load(s) : s->ops->begin(s);
    s->in_tx = rc == 0;
    return rc;
}
int store_commit(store *s)
{
    s->in_tx = 0;
    return s->ops->commit(s);
}
int store_rollback(store *s)
{
    s->in_tx = 0;
    return s->ops->rollback(s);
}

/* A write outside a transaction, on a backend whose generation moves at
 * commit, runs in a transaction of its own (store_int.h gen_at_commit). */
static int own_begin(store *s) { return s->gen_at_commit && !s->in_tx ? (store_begin(s) == 0 ? 1 : -1) : 0; }
static int own_end(store *s, int own, int rc)
{
    if (own <= 0) return rc;
    if (rc >= 0 && store_commit(s) == 0) return rc;
    if (rc >= 0) {
        char keep[sizeof s->err];
        memcpy(keep, s->err, sizeof keep);
        store_rollback(s);
        memcpy(s->err, keep, sizeof keep);
        return -1;
    }
    store_rollback(s);
    return rc;
}

static int upsert_response(store *s, const cx_response *r, store_upsert_result *res);

int store_upsert_response(store *s, const cx_response *r, store_upsert_result *res)
{
    int own = own_begin(s);
    if (own < 0) return -1;
    char keep[sizeof s->err];
    int rc = upsert_response(s, r, res);
    if (rc != 0) memcpy(keep, s->err, sizeof keep);
    rc = own_end(s, own, rc);
    if (own > 0 && rc != 0) memcpy(s->err, keep, sizeof keep);
    return rc;
}

static int upsert_response(store *s, const cx_response *r, store_upsert_result *res)
{
    if (!s->allow_dup_ids) {
        int h = s->ops->held_by(s, r->source, r->response_id, s->held, sizeof s->held);
        if (h < 0) return -1;
        if (h) {
            *res = STORE_HELD_ELSEWHERE;
            return 0;
        }
    }
    return s->ops->upsert_response(s, r, res);
}

void store_allow_duplicate_ids(store *s, int allow) { s->allow_dup_ids = allow; }

int store_spend_counts(store *s, const char *source, store_bulk_counts *c)
{
    memset(c, 0, sizeof *c);
    return s->ops->spend_counts(s, source, c);
}

int store_customer_counts(store *s, store_bulk_counts *c)
{
    *c = s->cust;
    memset(&s->cust, 0, sizeof s->cust);
    return 0;
}

void store_on_held(store *s, store_held_cb cb, void *ctx)
{
    s->held_cb = cb;
    s->held_ctx = ctx;
}

void store_on_sorted(store *s, store_response_cb cb, void *ctx)
{
    s->sorted_cb = cb;
    s->sorted_ctx = ctx;
}

int store_bulk_sorting(const store *s) { return s->sorting; }

const char *store_held_by(const store *s) { return s->held; }

int store_scan_responses(store *s, const store_filter *f, store_response_cb cb, void *ctx)
{
    return s->ops->read->scan_responses(s, f, cb, ctx);
}

int store_upsert_customer(store *s, const char *customer_id, double annual_value, const cx_attr *attrs,
                          size_t n_attrs)
{
    int own = own_begin(s);
    if (own < 0) return -1;
    return own_end(s, own, s->ops->upsert_customer(s, customer_id, annual_value, attrs, n_attrs));
}

int store_scan_customers(store *s, store_customer_cb cb, void *ctx)
{
    return s->ops->read->scan_customers(s, cb, ctx);
}

long long store_spend_clear(store *s, const char *source)
{
    int own = own_begin(s);
    if (own < 0) return -1;
    long long n = s->ops->spend_clear(s, source);
    return own_end(s, own, n < 0 ? -1 : 0) < 0 ? -1 : n;
}

int store_add_spend(store *s, const char *source, const char *customer_id, int64_t day, double amount)
{
    int own = own_begin(s);
    if (own < 0) return -1;
    return own_end(s, own, s->ops->add_spend(s, source, customer_id, day, amount));
}

int store_scan_spend(store *s, store_spend_cb cb, void *ctx) { return s->ops->read->scan_spend(s, cb, ctx); }

int store_spend_range(store *s, int64_t *first, int64_t *last)
{
    return s->ops->read->spend_range(s, first, last);
}

int store_scan_spend_unordered(store *s, store_spend_cb cb, void *ctx)
{
    return s->ops->read->scan_spend_unordered(s, cb, ctx);
}

int store_add_reject(store *s, const char *source, const char *where, const char *reason, const char *raw,
                     size_t raw_len)
{
    return s->ops->add_reject(s, source, where, reason, raw, raw_len);
}

long long store_rejects_forget(store *s, const char *source, const char *file)
{
    return s->ops->rejects_forget(s, source, file);
}

int store_scan_rejects(store *s, const char *source, store_reject_cb cb, void *ctx)
{
    return s->ops->read->scan_rejects(s, source, cb, ctx);
}

int store_log_import(store *s, const store_import_stats *st) { return s->ops->log_import(s, st); }

int store_import_seen_get(store *s, const char *source, const char *file, const char *digest,
                          store_import_seen *v)
{
    memset(v, 0, sizeof *v);
    return s->ops->import_seen_get ? s->ops->import_seen_get(s, source, file, digest, v) : 0;
}

int store_import_seen_put(store *s, const char *source, const char *file, const char *digest,
                          const store_import_seen *v)
{
    return s->ops->import_seen_put ? s->ops->import_seen_put(s, source, file, digest, v) : 0;
}

char *store_file_prefix(store *s, const char *file)
{
    size_t n = strlen(file);
    char *p = malloc(n + 2);
    if (!p) {
        snprintf(s->err, sizeof s->err, "store: import again: out of memory");
        return NULL;
    }
    memcpy(p, file, n);
    memcpy(p + n, ":", 2);
    return p;
}

long long store_rejects_again(store *s, const char *source, const char *file, store_reject_cb cb, void *ctx)
{
    if (!s->ops->rejects_again) {
        snprintf(s->err, sizeof s->err, "store: import again: not on this backend");
        return -1;
    }
    return s->ops->rejects_again(s, source, file, cb, ctx);
}

int store_checkpoint_get(store *s, const char *source, char **out)
{
    return s->ops->checkpoint_get(s, source, out);
}

int store_checkpoint_put(store *s, const char *source, const char *checkpoint)
{
    return s->ops->checkpoint_put(s, source, checkpoint);
}

int store_checkpoint_clear(store *s, const char *source) { return s->ops->checkpoint_clear(s, source); }

int store_sync_record(store *s, const char *source, int64_t at, long long fetched, const char *error)
{
    return s->ops->sync_record(s, source, at, fetched, error);
}

int store_get_status(store *s, store_status *st) { return s->ops->get_status(s, st); }

int store_reject_reasons(store *s, store_reason_cb cb, void *ctx)
{
    return s->ops->read->reject_reasons(s, cb, ctx);
}

int store_attr_names(store *s, store_name_cb cb, void *ctx) { return s->ops->read->attr_names(s, cb, ctx); }

int store_attr_names_noted(store *s, store_name_cb cb, void *ctx)
{
    return s->ops->attr_names_noted ? s->ops->attr_names_noted(s, cb, ctx) : 0;
}

int store_attr_names_note(store *s, const char *const *names, size_t n)
{
    return s->ops->attr_names_note ? s->ops->attr_names_note(s, names, n) : 0;
}

int store_lock_source(store *s, const char *source, int wait) { return s->ops->lock_source(s, source, wait); }

int store_unlock_source(store *s, const char *source) { return s->ops->unlock_source(s, source); }

int store_bulk_begin(store *s)
{
    int own = own_begin(s);
    if (own < 0) return -1;
    int rc = s->ops->bulk_begin(s);
    if (rc != 0) return own_end(s, own, rc);
    s->bulk_tx = own;
    return 0;
}
int store_bulk_add(store *s, const cx_response *r) { return s->ops->bulk_add(s, r); }

int store_bulk_end(store *s, store_bulk_counts *c)
{
    long long held = 0;
    memset(c, 0, sizeof *c);
    if (!s->allow_dup_ids && s->ops->bulk_set_aside(s, s->held_cb, s->held_ctx, &held) != 0) {
        store_bulk_counts ignore;
        char keep[sizeof s->err];
        memcpy(keep, s->err, sizeof keep);
        s->ops->bulk_end(s, &ignore); /* ends the bulk; its result is not wanted */
        int own = s->bulk_tx;
        s->bulk_tx = 0;
        own_end(s, own, -1);
        memcpy(s->err, keep, sizeof keep);
        return -1;
    }
    int rc = s->ops->bulk_end(s, c);
    c->held_elsewhere = held;
    int own = s->bulk_tx;
    s->bulk_tx = 0;
    return own_end(s, own, rc);
}

int store_nps_counts(store *s, const store_filter *f, const char *const *dims, size_t n_dims, store_nps_cb cb,
                     void *ctx)
{
    return s->ops->count_nps(s, f, dims, n_dims, cb, ctx);
}

int store_generation(store *s, char *id, char *gen)
{
    id[0] = gen[0] = '\0';
    return s->ops->generation(s, id, gen);
}

int store_row_mark(store *s, long long *mark)
{
    *mark = 0;
    return s->ops->grow ? s->ops->grow->mark(s, mark) : 1;
}

int store_appended(store *s, const char *gen, long long mark, long long rows, long long *added,
                   long long *changed)
{
    long long c = 0;
    *added = 0;
    int rc = s->ops->grow ? s->ops->grow->appended(s, gen, mark, rows, added, &c) : 0;
    if (changed) *changed = c;
    return rc;
}

int store_scan_appended(store *s, const char *gen, long long mark, store_response_cb cb, void *ctx)
{
    if (!s->ops->grow) {
        snprintf(s->err, sizeof s->err, "store: this backend numbers no rows");
        return -1;
    }
    return s->ops->grow->scan_appended(s, gen, mark, cb, ctx);
}

void store_scan_appended_ahead(store *s, const char *gen, long long mark)
{
    if (s->ops->grow && s->ops->grow->scan_ahead) s->ops->grow->scan_ahead(s, gen, mark);
}

void store_ahead_drop(store *s)
{
    if (s->ops->grow && s->ops->grow->ahead_drop) s->ops->grow->ahead_drop(s);
}

int store_first_appended(store *s, const char *gen, long long mark, char *key, size_t cap)
{
    if (!s->ops->grow || !s->ops->grow->first_appended) return 0;
    return s->ops->grow->first_appended(s, gen, mark, key, cap);
}

long long store_gen_moves(store *s, const char *from, const char *to)
{
    return s->ops->grow ? s->ops->grow->moves(from, to) : -1;
}

int store_last_net_rows(store *s, long long *net)
{
    *net = 0;
    return s->ops->grow && s->ops->grow->net_rows ? s->ops->grow->net_rows(s, net) : 1;
}

int store_scan_table_order(store *s, store_response_cb cb, void *ctx)
{
    if (!s->ops->grow || !s->ops->grow->scan_table) return store_scan_responses(s, NULL, cb, ctx);
    return s->ops->grow->scan_table(s, cb, ctx);
}

int store_score_counts(store *s, const store_filter *f, store_score_cb cb, void *ctx)
{
    return s->ops->score_counts(s, f, cb, ctx);
}

int store_has_customers(store *s) { return s->ops->has_customers(s); }
