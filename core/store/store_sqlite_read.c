/* store_sqlite_read.c — the SQLite backend's scans but the responses':
 * customers, spend, rejects, reject reasons and attribute names, each
 * streamed row by row to the caller's callback through one prepared
 * statement and one loop (sq_each_row), so memory stays flat however big
 * the store; the connection of a scan's own (sq_own_conn).  Every scan
 * reaches the store through one table, sq_read_ops (store_int.h,
 * store_read_ops); the responses' are store_sqlite_scan.c.
 */
#include "core/store/store_attrs.h"
#include "core/store/store_check.h"
#include "core/store/store_sqlite_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sq_each_row(sq_store *s, sqlite3_stmt *st, const char *what, sq_row_fn row, void *ctx)
{
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((ret = row(s, st, ctx)) != 0) break;
    if (!ret && rc != SQLITE_DONE) ret = sq_fail(s, what);
    sqlite3_finalize(st);
    return ret;
}

/* The caller's callback of a scan, as sq_each_row's context. */
typedef struct scan_to {
    union {
        store_customer_cb customer;
        store_spend_cb spend;
        store_reject_cb reject;
        store_reason_cb reason;
        store_name_cb name;
    } cb;
    void *ctx;
} scan_to;

/* The scans that take no parameter, one query each (attribute names: sq_attr_names). */
static const char customers_sql[] =
    "SELECT customer_id, annual_value, attributes FROM customers ORDER BY customer_id";
static const char reasons_sql[] =
    "SELECT reason, count(*) AS n FROM rejects GROUP BY reason ORDER BY n DESC, reason";

/* A read-only connection of the scan's own, in SQLite's multi-thread mode
 * (no mutex taken by each call: it is used by the scanning thread only and
 * closed before the scan returns), or NULL, when the scan then uses the
 * store's connection: a store with no file, a transaction open on the
 * store's connection (rows it wrote, not yet committed, would not be
 * seen; a bulk load keeps one open), a store opened read-only (maybe
 * `immutable`, its WAL not read: another connection could see other
 * rows), or a file that cannot be opened again so.  A scan is one read transaction either way; the cache checks
 * that no write landed during it (the generation before and after). */
sqlite3 *sq_own_conn(sq_store *s)
{
    if (s->bulk || !sqlite3_get_autocommit(s->db) || sqlite3_db_readonly(s->db, "main") != 0) return NULL;
    const char *file = sqlite3_db_filename(s->db, "main");
    sqlite3 *db = NULL;
    if (!file || !file[0] ||
        sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    return db;
}

/* Runs SQL (no parameters) and hands each row to ROW with TO, on a
 * connection of the scan's own when there can be one (sq_own_conn: the
 * customers and the spend rows of a run, millions of rows, without a
 * mutex taken by each column call); WHAT names the scan in errors. */
static int sq_query_each(sq_store *s, const char *sql, const char *what, sq_row_fn row, scan_to *to)
{
    sqlite3_stmt *st;
    sqlite3 *own = sq_own_conn(s);
    if (own && sqlite3_prepare_v2(own, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_close(own);
        own = NULL;
    }
    if (!own) {
        if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, what);
        return sq_each_row(s, st, what, row, to);
    }
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((ret = row(s, st, to)) != 0) break;
    if (!ret && rc != SQLITE_DONE) {
        snprintf(s->base.err, sizeof s->base.err, "store: %s: %s", what, sqlite3_errmsg(own));
        ret = -1;
    }
    sqlite3_finalize(st);
    sqlite3_close(own);
    return ret;
}

static int customer_row(sq_store *s, sqlite3_stmt *st, void *ctx)
{
    const scan_to *to = ctx;
    cx_attr attrs[CX_MAX_ATTRS];
    int type = sqlite3_column_type(st, 1);
    double v = type == SQLITE_NULL ? NAN : sqlite3_column_double(st, 1);
    size_t n = 0;
    if (type == SQLITE_TEXT || type == SQLITE_BLOB)
        return store_check_type("customers", col_text(st, 0), NULL, "annual_value", s->base.err,
                                sizeof s->base.err);
    int ret = store_check_customer(col_text(st, 0), v, s->base.err, sizeof s->base.err);
    if (ret) return ret;
    attrs_doc *doc = attrs_from_json(col_text(st, 2), attrs, &n, CX_MAX_ATTRS);
    ret = to->cb.customer(col_text(st, 0), v, attrs, n, to->ctx);
    attrs_doc_free(doc);
    return ret;
}

static int sq_scan_customers(store *base, store_customer_cb cb, void *ctx)
{
    scan_to to = {.cb.customer = cb, .ctx = ctx};
    return sq_query_each(SQ(base), customers_sql, "customers", customer_row, &to);
}

static int spend_row(sq_store *s, sqlite3_stmt *st, void *ctx)
{
    const scan_to *to = ctx;
    int at = sqlite3_column_type(st, 2);
    if (sqlite3_column_type(st, 1) != SQLITE_INTEGER || (at != SQLITE_INTEGER && at != SQLITE_FLOAT))
        return store_check_type("spend", col_text(st, 0), NULL, "day or amount", s->base.err,
                                sizeof s->base.err);
    int64_t day = sqlite3_column_int64(st, 1);
    double amount = sqlite3_column_double(st, 2);
    int ret = store_check_spend(col_text(st, 0), day, amount, s->base.err, sizeof s->base.err);
    return ret ? ret : to->cb.spend(col_text(st, 0), day, amount, to->ctx);
}

static int scan_spend_sql(store *base, const char *sql, store_spend_cb cb, void *ctx)
{
    scan_to to = {.cb.spend = cb, .ctx = ctx};
    return sq_query_each(SQ(base), sql, "spend", spend_row, &to);
}

static int sq_scan_spend(store *base, store_spend_cb cb, void *ctx)
{
    return scan_spend_sql(
        base, "SELECT customer_id, day, amount FROM spend ORDER BY customer_id, day, amount", cb, ctx);
}

static int sq_scan_spend_unordered(store *base, store_spend_cb cb, void *ctx)
{
    return scan_spend_sql(base, "SELECT customer_id, day, amount FROM spend", cb, ctx);
}

static int reject_row(sq_store *s, sqlite3_stmt *st, void *ctx)
{
    const scan_to *to = ctx;
    (void)s;
    /* As a blob, whole: text would end at the first NUL byte.  SQLite
     * ends a blob read with no terminator, so col_text (which adds
     * one) gives the same bytes with a NUL after them. */
    const char *raw = col_text(st, 3);
    return to->cb.reject(col_text(st, 0), col_text(st, 1), col_text(st, 2), raw,
                         (size_t)sqlite3_column_bytes(st, 3), to->ctx);
}

static int sq_scan_rejects(store *base, const char *source, store_reject_cb cb, void *ctx)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT source, location, reason, CAST(raw AS BLOB) FROM rejects"
                           " WHERE ?1 IS NULL OR source = ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "rejects");
    if (source) sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, 1);
    scan_to to = {.cb.reject = cb, .ctx = ctx};
    return sq_each_row(s, st, "rejects", reject_row, &to);
}

static int reason_row(sq_store *s, sqlite3_stmt *st, void *ctx)
{
    const scan_to *to = ctx;
    (void)s;
    return to->cb.reason(col_text(st, 0), sqlite3_column_int64(st, 1), to->ctx);
}

static int sq_reject_reasons(store *base, store_reason_cb cb, void *ctx)
{
    scan_to to = {.cb.reason = cb, .ctx = ctx};
    return sq_query_each(SQ(base), reasons_sql, "rejects", reason_row, &to);
}

static int name_row(sq_store *s, sqlite3_stmt *st, void *ctx)
{
    const scan_to *to = ctx;
    (void)s;
    return to->cb.name(col_text(st, 0), to->ctx);
}

/* A damaged attributes text (not a JSON object) has no names, as a scan
 * reads it.  Each distinct attributes text is parsed once: a store's rows
 * mostly share a few (an import checks the names before every load:
 * 0.1 s of CPU at 1M rows against 0.37 s parsing every row's). */
static int sq_attr_names(store *base, store_name_cb cb, void *ctx)
{
    scan_to to = {.cb.name = cb, .ctx = ctx};
    return sq_query_each(SQ(base),
                         "SELECT DISTINCT a.key FROM (SELECT DISTINCT attributes AS t FROM responses) r,"
                         " json_each(CASE WHEN json_valid(r.t) AND json_type(r.t) = 'object'"
                         " THEN r.t ELSE '{}' END) a WHERE a.type = 'text'",
                         "attribute names", name_row, &to);
}

const store_read_ops sq_read_ops = STORE_READ_OPS(sq);
