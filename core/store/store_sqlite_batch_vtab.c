/* store_sqlite_batch_vtab.c — the virtual table `cx_batch` that shows a
 * batch of responses (store_sqlite_batch.h) to SQL, so that one
 * INSERT … SELECT writes a whole batch: each row's columns in
 * SQ_RESPONSE_COLS order, then seq; the rows in the batch's order
 * (sorted or not), the set-aside ones shown apart. */
#include "core/store/store_sqlite_batch.h"
#include "core/model.h"

#include <string.h>

enum {
    C_SOURCE,
    C_ID,
    C_RESPONDED,
    C_UPDATED,
    C_MONTH,
    C_SCORE,
    C_COMMENT,
    C_CUSTOMER,
    C_AGENT,
    C_CHANNEL,
    C_PRODUCT,
    C_ITYPE,
    C_HANDLE,
    C_MOMENTS,
    C_ATTRS,
    C_METRIC,
    C_SEQ
};

typedef struct bvtab {
    sqlite3_vtab base;
    sq_batch *const *cur;
} bvtab;

typedef struct bcur {
    sqlite3_vtab_cursor base;
    const sq_batch *b;
    size_t i;
    const sq_brow *r; /* row i, in the batch's order (its columns read once a row, not once a column) */
    int metric_len[CX_METRIC_COUNT]; /* of each cx_metric_code: no strlen a row */
} bcur;

static int b_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                     char **err)
{
    (void)argc;
    (void)argv;
    (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(source, response_id, responded_at, updated_at, month,"
                                      " score, comment, customer_id, agent_id, channel, product,"
                                      " interaction_type, handle_time_s, moments, attributes, metric, seq)");
    if (rc != SQLITE_OK) return rc;
    bvtab *t = sqlite3_malloc(sizeof *t);
    if (!t) return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->cur = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int b_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

static int b_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
    bvtab *v = (bvtab *)t;
    const sq_batch *b = *v->cur;
    info->estimatedCost = b ? (double)b->n + 1 : 1;
    info->estimatedRows = b ? (sqlite3_int64)b->n : 0;
    return SQLITE_OK;
}

static int b_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    (void)t;
    bcur *c = sqlite3_malloc(sizeof *c);
    if (!c) return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    for (int m = 0; m < CX_METRIC_COUNT; m++) c->metric_len[m] = (int)strlen(cx_metric_code(m));
    *out = &c->base;
    return SQLITE_OK;
}

static int b_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

static void skip_set_aside(bcur *c)
{
    const sq_batch *b = c->b;
    c->r = NULL;
    if (!b) return;
    for (; c->i < b->n; c->i++) {
        const sq_brow *r = &b->row[b->order[c->i]];
        if (r->skip == b->show_skipped) {
            c->r = r;
            return;
        }
    }
}

static int b_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv)
{
    (void)idx;
    (void)idx_str;
    (void)argc;
    (void)argv;
    bcur *c = (bcur *)cur;
    c->b = *((bvtab *)cur->pVtab)->cur;
    c->i = 0;
    skip_set_aside(c);
    return SQLITE_OK;
}

static int b_next(sqlite3_vtab_cursor *cur)
{
    bcur *c = (bcur *)cur;
    c->i++;
    skip_set_aside(c);
    return SQLITE_OK;
}

static int b_eof(sqlite3_vtab_cursor *cur)
{
    const bcur *c = (const bcur *)cur;
    return !c->b || c->i >= c->b->n;
}

static void text(sqlite3_context *ctx, const sq_batch *b, const sq_brow *r, int t)
{
    sqlite3_result_text(ctx, b->arena + r->off[t], (int)r->len[t], SQLITE_STATIC);
}

static int b_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const bcur *c = (const bcur *)cur;
    const sq_batch *b = c->b;
    const sq_brow *r = c->r;
    static const int text_of[] = {
        [C_SOURCE] = SQB_SOURCE,     [C_ID] = SQB_ID,       [C_COMMENT] = SQB_COMMENT,
        [C_CUSTOMER] = SQB_CUSTOMER, [C_AGENT] = SQB_AGENT, [C_CHANNEL] = SQB_CHANNEL,
        [C_PRODUCT] = SQB_PRODUCT,   [C_ITYPE] = SQB_ITYPE, [C_MOMENTS] = SQB_MOMENTS,
        [C_ATTRS] = SQB_ATTRS};
    switch (col) {
    case C_RESPONDED: sqlite3_result_int64(ctx, r->responded_at); break;
    case C_UPDATED: sqlite3_result_int64(ctx, r->updated_at); break;
    case C_MONTH: sqlite3_result_int(ctx, r->month); break;
    case C_SCORE: sqlite3_result_int(ctx, r->score); break;
    case C_HANDLE:
        if (r->has_handle_time) sqlite3_result_double(ctx, r->handle_time_s);
        else sqlite3_result_null(ctx);
        break;
    case C_METRIC:
        sqlite3_result_text(ctx, cx_metric_code(r->metric),
                            (unsigned)r->metric < CX_METRIC_COUNT ? c->metric_len[r->metric] : 0,
                            SQLITE_STATIC);
        break;
    case C_SEQ: sqlite3_result_int64(ctx, r->seq); break;
    default: text(ctx, b, r, text_of[col]);
    }
    return SQLITE_OK;
}

static int b_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    const bcur *c = (const bcur *)cur;
    *rowid = c->r->seq;
    return SQLITE_OK;
}

static const sqlite3_module batch_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE */
    .xConnect = b_connect,
    .xBestIndex = b_best_index,
    .xDisconnect = b_disconnect,
    .xDestroy = b_disconnect,
    .xOpen = b_open,
    .xClose = b_close,
    .xFilter = b_filter,
    .xNext = b_next,
    .xEof = b_eof,
    .xColumn = b_column,
    .xRowid = b_rowid,
};

int sq_batch_module(sqlite3 *db, sq_batch *const *cur)
{
    return sqlite3_create_module_v2(db, "cx_batch", &batch_module, (void *)cur, NULL);
}
