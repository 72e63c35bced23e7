/* store_sqlite_bulk_drop.c — a re-import's rows that would change
 * nothing left out of the stage (owned by the SQLite bulk upsert,
 * store_sqlite_bulk.c).  While the keys come in ascending order (an
 * export re-imported) and the store holds no other source, the rows equal
 * to or older than their stored row are only counted and their keys noted
 * (temp.cx_dropped, so that a key coming again later is still seen as a
 * repeat); the stored rows are read on the writer thread in key order.
 */
#include "core/store/store_sqlite_bulk_int.h"

#include <string.h>

/* Staged rows that need not be: equal to (or older than) their stored row
 * (column 1: older), read while the keys come in ascending order. */
static const char classify_sql[] =
    "SELECT k.seq, o.updated_at > k.updated_at FROM cx_batch k CROSS JOIN responses o"
    " ON o.source = k.source AND o.response_id = k.response_id WHERE o.updated_at > k.updated_at"
    " OR (o.updated_at = k.updated_at AND " SQ_CONTENT("o") " IS " SQ_CONTENT("k") ")";

static const char range_sql[] =
    "SELECT response_id, updated_at, responded_at, score, comment, customer_id, agent_id, channel, product,"
    " interaction_type, handle_time_s, moments, attributes, metric FROM responses"
    " WHERE source = ?1 AND response_id BETWEEN ?2 AND ?3 ORDER BY response_id";

static const char drop_keys_sql[] =
    "INSERT INTO temp.cx_dropped (source, response_id) SELECT source, response_id FROM cx_batch";

static const char other_source_sql[] =
    "SELECT (SELECT min(source) FROM responses) IS NOT ?1 OR (SELECT max(source) FROM responses) IS NOT ?1";

/* 1 when rows may be left out of the stage (drop_batch): one source, the
 * store's only one (or duplicate ids allowed: no held check to make), and
 * no row loaded straight; 0; -1. */
int sqb_may_drop(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (s->bulk_src.n != 1 || b->mode != MODE_STAGE || s->bulk_rows > 0 || b->direct > 0) return 0;
    if (s->base.allow_dup_ids) return 1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, other_source_sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "bulk upsert");
    sqlite3_bind_text(st, 1, s->bulk_src.name[0], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), other = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return other < 0 ? sq_fail(s, "bulk upsert") : !other;
}

/* Column COL of ST is the text of R's field T (bytes and length). */
static int same_text(sqlite3_stmt *st, int col, const sq_batch *bt, const sq_brow *r, int t)
{
    if (sqlite3_column_type(st, col) != SQLITE_TEXT) return 0;
    const unsigned char *z = sqlite3_column_text(st, col);
    int len = sqlite3_column_bytes(st, col);
    return z && (size_t)len == r->len[t] && memcmp(z, sq_brow_text(bt, r, t), (size_t)len) == 0;
}

/* Whether the stored row of range_sql in ST has R's content (CONTENT's
 * columns).  Only a sure yes: a value of another type than cxpulse writes
 * says no, and the row is staged and compared by SQL at the end. */
static int same_content(sqlite3_stmt *st, const sq_batch *bt, const sq_brow *r)
{
    int ht = sqlite3_column_type(st, 10);
    const unsigned char *metric = sqlite3_column_text(st, 13);
    const char *code = cx_metric_code(r->metric);
    return sqlite3_column_type(st, 2) == SQLITE_INTEGER && sqlite3_column_int64(st, 2) == r->responded_at &&
           sqlite3_column_type(st, 3) == SQLITE_INTEGER && sqlite3_column_int64(st, 3) == r->score &&
           same_text(st, 4, bt, r, SQB_COMMENT) && same_text(st, 5, bt, r, SQB_CUSTOMER) &&
           same_text(st, 6, bt, r, SQB_AGENT) && same_text(st, 7, bt, r, SQB_CHANNEL) &&
           same_text(st, 8, bt, r, SQB_PRODUCT) && same_text(st, 9, bt, r, SQB_ITYPE) &&
           (r->has_handle_time ? ht == SQLITE_FLOAT && sqlite3_column_double(st, 10) == r->handle_time_s
                               : ht == SQLITE_NULL) &&
           same_text(st, 11, bt, r, SQB_MOMENTS) && same_text(st, 12, bt, r, SQB_ATTRS) &&
           sqlite3_column_type(st, 13) == SQLITE_TEXT && metric && code &&
           strcmp((const char *)metric, code) == 0;
}

/* Bytes A (AL) against B (BL) as the BINARY collation orders them. */
static int cmp_bytes(const void *a, size_t al, const void *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

/* drop_batch's classification when every row of the batch has one
 * source: one read of the stored rows of the batch's key range, in key
 * order, beside the batch's rows (ascending), compared in C instead of one
 * key lookup per row.  1 when the batch holds several sources or a stored
 * updated_at is not an integer (classify_sql then), 0, -1. */
static int drop_range(sq_store *s, long long *n)
{
    sq_bulk *b = s->bulk;
    sq_batch *bt = b->cur;
    const sq_brow *r0 = &bt->row[0], *rl = &bt->row[bt->n - 1];
    const char *src = sq_brow_text(bt, r0, SQB_SOURCE);
    size_t sl = r0->len[SQB_SOURCE];
    for (size_t i = 1; i < bt->n; i++)
        if (cmp_bytes(sq_brow_text(bt, &bt->row[i], SQB_SOURCE), bt->row[i].len[SQB_SOURCE], src, sl))
            return 1;
    if (sqb_prepare(s, &b->range_q, range_sql) != 0) return -1;
    sqlite3_bind_text(b->range_q, 1, src, (int)sl, SQLITE_STATIC);
    sqlite3_bind_text(b->range_q, 2, sq_brow_text(bt, r0, SQB_ID), (int)r0->len[SQB_ID], SQLITE_STATIC);
    sqlite3_bind_text(b->range_q, 3, sq_brow_text(bt, rl, SQB_ID), (int)rl->len[SQB_ID], SQLITE_STATIC);
    size_t i = 0;
    long long older = 0, equal = 0;
    int rc = SQLITE_DONE, odd = 0, misses = 0;
    while (i < bt->n && (rc = sqlite3_step(b->range_q)) == SQLITE_ROW) {
        const unsigned char *id = sqlite3_column_text(b->range_q, 0);
        size_t il = (size_t)sqlite3_column_bytes(b->range_q, 0);
        if (!id) {
            rc = SQLITE_NOMEM;
            break;
        }
        int c = -1;
        while (i < bt->n &&
               (c = cmp_bytes(sq_brow_text(bt, &bt->row[i], SQB_ID), bt->row[i].len[SQB_ID], id, il)) < 0)
            i++;
        if (i == bt->n) continue;
        if (c > 0) {
            /* A stored row the batch does not hold: after a few, seek to
             * the batch's next key instead of reading on (a file of a few
             * rows spread over a large source reads only around them). */
            if (++misses >= 8) {
                misses = 0;
                sqlite3_reset(b->range_q);
                sqlite3_bind_text(b->range_q, 2, sq_brow_text(bt, &bt->row[i], SQB_ID),
                                  (int)bt->row[i].len[SQB_ID], SQLITE_STATIC);
            }
            continue;
        }
        misses = 0;
        if (sqlite3_column_type(b->range_q, 1) != SQLITE_INTEGER) { /* not cxpulse's: as classify_sql says */
            odd = 1;
            break;
        }
        sq_brow *r = &bt->row[i++];
        long long u = sqlite3_column_int64(b->range_q, 1);
        if (u > r->updated_at) older++;
        else if (u == r->updated_at && same_content(b->range_q, bt, r)) equal++;
        else continue;
        r->skip = 1;
    }
    if (i == bt->n || odd) rc = SQLITE_DONE; /* the rest of the range holds no key of the batch */
    sqlite3_bind_null(b->range_q, 1);
    sqlite3_bind_null(b->range_q, 2);
    sqlite3_bind_null(b->range_q, 3);
    sqlite3_reset(b->range_q);
    if (rc != SQLITE_DONE) return sq_fail(s, "bulk upsert");
    if (odd) {
        for (size_t j = 0; j < bt->n; j++) bt->row[j].skip = 0;
        return 1;
    }
    b->drop_older += older;
    b->drop_equal += equal;
    *n = older + equal;
    return 0;
}

/* Leaves out of the stage the batch's rows equal to or older than their
 * stored row (keys ascending: the stored rows are read in key order);
 * *N how many. */
int sqb_drop_batch(sq_store *s, long long *n)
{
    sq_bulk *b = s->bulk;
    sq_batch *bt = b->cur;
    long long first = bt->row[0].seq;
    int rc;
    *n = 0;
    if (sqb_prepare(s, &b->drop_q, drop_keys_sql) != 0) return -1;
    if ((rc = drop_range(s, n)) < 0) return -1;
    if (rc == 1) {
        if (sqb_prepare(s, &b->classify_q, classify_sql) != 0) return -1;
        while ((rc = sqlite3_step(b->classify_q)) == SQLITE_ROW) {
            long long seq = sqlite3_column_int64(b->classify_q, 0);
            bt->row[seq - first].skip = 1;
            if (sqlite3_column_int(b->classify_q, 1)) b->drop_older++;
            else b->drop_equal++;
            (*n)++;
        }
        sqlite3_reset(b->classify_q);
        if (rc != SQLITE_DONE) return sq_fail(s, "bulk upsert");
    }
    if (*n == 0) return 0;
    bt->show_skipped = 1;
    rc = sqb_step(s, b->drop_q, 0);
    bt->show_skipped = 0;
    return rc;
}
