/* store_sqlite_scan.c — the SQLite backend's scans of responses (owned
 * here; the other scans are store_sqlite_read.c): in key order, one
 * source and a range of months at most (sq_scan_responses); in the
 * table's own order, each row checked to come after the one before
 * (sq_scan_table, the analysis cache's build); and the rows a cache lacks
 * (sq_scan_appended), read by rowid when they rise, else sorted apart.
 * Each row is checked as every row read from the store is
 * (store_check.h), on a connection of the scan's own when there can be
 * one.
 */
#include "core/store/store_attrs.h"
#include "core/store/store_check.h"
#include "core/store/store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The caller's callback of a responses scan, as the row function's
 * context. */
typedef struct resp_to {
    store_response_cb cb;
    void *ctx;
    /* responses in the table's own order (sq_scan_table): the key of the
     * row before, each row's checked to come after it */
    int check_order;
    char *prev;
    size_t prev_src, prev_len, prev_cap;
    attrs_buf attrs; /* their attributes, a row at a time */
} resp_to;

/* 1 when the key (source, response_id) of row ST comes after the one
 * before it (TO->prev) in the order of ORDER BY source, response_id (the
 * BINARY collation: bytes, then the shorter first), and keeps it; 0 when
 * not, or when either is not text (an integer id sorts before text), or
 * out of memory: the caller then scans in key order. */
static int key_after(resp_to *to, sqlite3_stmt *st)
{
    if (sqlite3_column_type(st, 0) != SQLITE_TEXT || sqlite3_column_type(st, 1) != SQLITE_TEXT) return 0;
    const char *src = (const char *)sqlite3_column_text(st, 0),
               *id = (const char *)sqlite3_column_text(st, 1);
    size_t ls = (size_t)sqlite3_column_bytes(st, 0), li = (size_t)sqlite3_column_bytes(st, 1);
    if (!src || !id) return 0;
    if (to->prev) {
        size_t ps = to->prev_src, pi = to->prev_len - ps;
        int c = memcmp(to->prev, src, ps < ls ? ps : ls);
        if (c == 0 && ps == ls) {
            c = memcmp(to->prev + ps, id, pi < li ? pi : li);
            if (c == 0) c = pi < li ? -1 : pi > li ? 1 : 0;
        } else if (c == 0) {
            c = ps < ls ? -1 : 1;
        }
        if (c >= 0) return 0;
    }
    if (ls + li > to->prev_cap) {
        size_t cap = (ls + li) * 2 + 64;
        char *p = realloc(to->prev, cap);
        if (!p) return 0;
        to->prev = p;
        to->prev_cap = cap;
    }
    if (!to->prev) return 0;
    memcpy(to->prev, src, ls);
    memcpy(to->prev + ls, id, li);
    to->prev_src = ls;
    to->prev_len = ls + li;
    return 1;
}

static int response_row(sq_store *s, sqlite3_stmt *st, void *ctx)
{
    resp_to *to = ctx;
    if (to->check_order && !key_after(to, st)) return STORE_SCAN_DISORDER;
    cx_response r;
    cx_response_clear(&r);
    r.source = col_text(st, 0);
    r.response_id = col_text(st, 1);
    /* SQLite keeps a value of any type in any column: what is not an
     * integer (a number) here would read as 0 and pass for one. */
    static const int ints[] = {2, 3, 4, 15};
    const char *bad = NULL;
    for (size_t k = 0; k < sizeof ints / sizeof *ints; k++)
        if (sqlite3_column_type(st, ints[k]) != SQLITE_INTEGER) bad = sqlite3_column_name(st, ints[k]);
    int ht = sqlite3_column_type(st, 11);
    if (ht != SQLITE_NULL && ht != SQLITE_INTEGER && ht != SQLITE_FLOAT) bad = "handle_time_s";
    if (bad)
        return store_check_type("responses", r.source, r.response_id, bad, s->base.err, sizeof s->base.err);
    r.responded_at = sqlite3_column_int64(st, 2);
    r.updated_at = sqlite3_column_int64(st, 3);
    r.score = store_clamp_int(sqlite3_column_int64(st, 4));
    r.comment = col_text(st, 5);
    r.customer_id = col_text(st, 6);
    r.agent_id = col_text(st, 7);
    r.channel = col_text(st, 8);
    r.product = col_text(st, 9);
    r.interaction_type = col_text(st, 10);
    if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
        r.has_handle_time = 1;
        r.handle_time_s = sqlite3_column_double(st, 11);
    }
    int moments_ok = store_parse_moments(col_text(st, 12), &r);
    r.metric = cx_metric_from_code(col_text(st, 14)); /* -1: store_check_response says so */
    int ret = store_check_response(&r, store_clamp_int(sqlite3_column_int64(st, 15)), moments_ok, s->base.err,
                                   sizeof s->base.err);
    if (ret) return ret;
    attrs_doc *doc = attrs_scan(col_text(st, 13), &to->attrs, r.attrs, &r.n_attrs, CX_MAX_ATTRS);
    ret = to->cb(&r, to->ctx);
    attrs_doc_free(doc);
    return ret;
}

/* The responses of SQL (its ?1 .. ?3 bound from F, or MARK and GEN to ?1
 * and ?2 when MARK >= 0) to TO, on a connection of the scan's own when
 * there can be one (sq_own_conn), else on the store's: 0, TO's callback's
 * nonzero value, or -1 (s->err). */
static int scan_sql(sq_store *s, const char *sql, const store_filter *f, long long mark, long long gen,
                    resp_to *to)
{
    sqlite3 *own = sq_own_conn(s);
    sqlite3_stmt *st = NULL;
    if (own && sqlite3_prepare_v2(own, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_close(own); /* e.g. a store opened immutable: the store's connection then */
        own = NULL;
    }
    sqlite3 *db = own ? own : s->db;
    if (!own && sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "scan");
    if (f) {
        if (f->source) sqlite3_bind_text(st, 1, f->source, -1, SQLITE_STATIC);
        else sqlite3_bind_null(st, 1);
        sqlite3_bind_int(st, 2, f->month_from);
        sqlite3_bind_int(st, 3, f->month_to);
    } else if (mark >= 0) {
        sqlite3_bind_int64(st, 1, mark);
        sqlite3_bind_int64(st, 2, gen);
    }
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((ret = response_row(s, st, to)) != 0) break;
    if (!ret && rc != SQLITE_DONE) {
        snprintf(s->base.err, sizeof s->base.err, "store: scan: %s", sqlite3_errmsg(db));
        ret = -1;
    }
    sqlite3_finalize(st);
    sqlite3_close(own);
    free(to->prev);
    to->prev = NULL;
    attrs_buf_free(&to->attrs);
    return ret;
}

#define RESPONSE_COL_LIST                                                                            \
    "source, response_id, responded_at, updated_at, score, comment, customer_id, agent_id, channel," \
    " product, interaction_type, handle_time_s, moments, attributes, metric, month"
#define RESPONSE_COLS "SELECT " RESPONSE_COL_LIST " FROM responses"

int sq_scan_responses(store *base, const store_filter *f, store_response_cb cb, void *ctx)
{
    static const store_filter all = {NULL, 0, 0};
    resp_to to = {.cb = cb, .ctx = ctx};
    return scan_sql(SQ(base),
                    RESPONSE_COLS " WHERE (?1 IS NULL OR source = ?1) AND (?2 = 0 OR month >= ?2)"
                                  " AND (?3 = 0 OR month <= ?3) ORDER BY source, response_id",
                    f ? f : &all, -1, 0, &to);
}

/* Every response in the table's own order (rowid: no lookup from the key's
 * index into the table a row), which is the key order when they were
 * loaded in it; STORE_SCAN_DISORDER at the first row that is not. */
int sq_scan_table(store *base, store_response_cb cb, void *ctx)
{
    resp_to to = {.cb = cb, .ctx = ctx, .check_order = 1};
    return scan_sql(SQ(base), RESPONSE_COLS " ORDER BY rowid", NULL, -1, 0, &to);
}

static int key_in_order(sq_store *s, sqlite3_stmt *st, void *ctx)
{
    (void)s;
    return key_after(ctx, st) ? 0 : 1;
}

/* 1 when no key was noted changed since generation G and the rows after
 * MARK come in key order by rowid (an import in key order at the store's
 * end): they are then read so, not sorted apart.  0 when not (or when
 * key_after cannot tell: they are sorted apart), -1 with the error.  A
 * pass over their keys alone. */
static int appended_in_order(sq_store *s, long long mark, long long g)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT EXISTS (SELECT 1 FROM cx_changed WHERE gen > ?1)", -1, &st, NULL) !=
        SQLITE_OK)
        return sq_fail(s, "scan");
    sqlite3_bind_int64(st, 1, g);
    int changed = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (changed < 0) return sq_fail(s, "scan");
    if (changed) return 0;
    if (sqlite3_prepare_v2(s->db, "SELECT source, response_id FROM responses WHERE rowid > ?1 ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "scan");
    sqlite3_bind_int64(st, 1, mark);
    resp_to to = {.check_order = 1};
    int rc = sq_each_row(s, st, "scan", key_in_order, &to);
    free(to.prev);
    return rc < 0 ? -1 : rc == 0;
}

/* The rows after MARK, and the older ones changed since generation GEN
 * (each once: a row after MARK may have been changed too), in key order:
 * sorted apart by SQLite, or read by rowid when that is key order
 * (100,000 rows after 10M: 0.03 s for the check and 0.03 s for the rows
 * against 0.18 s sorted). */
int sq_scan_appended(store *base, const char *gen, long long mark, store_response_cb cb, void *ctx)
{
    resp_to to = {.cb = cb, .ctx = ctx};
    long long g;
    if (sq_gen_number(gen, &g) != 0 || mark < 0) {
        snprintf(SQ(base)->base.err, sizeof SQ(base)->base.err, "store: scan: not a generation: %s", gen);
        return -1;
    }
    int in_order = appended_in_order(SQ(base), mark, g);
    if (in_order < 0) return -1;
    if (in_order)
        return scan_sql(SQ(base), RESPONSE_COLS " WHERE rowid > ?1 ORDER BY rowid", NULL, mark, g, &to);
    return scan_sql(SQ(base),
                    "SELECT * FROM " SQ_APPENDED_ROWS(RESPONSE_COL_LIST) " ORDER BY +source, +response_id",
                    NULL, mark, g, &to);
}
