/* store_sqlite_bulk_merge.c — the end of a staged bulk: the staged rows
 * counted and merged into responses (owned by the SQLite bulk upsert,
 * store_sqlite_bulk.c).
 *
 * Staging (PostgreSQL's way, store_pg_merge.c): the rows go into a
 * connection-private table without indexes (temp.cx_stage, in file order
 * by seq) and are merged into `responses` at store_bulk_end.  While the
 * keys come in ascending order (an export re-imported) and the store holds
 * no other source, the rows equal to or older than their stored row are
 * only counted and their keys noted (temp.cx_dropped): they would change
 * nothing, and the lookups run on the writer thread in key order.  Two
 * paths at the end:
 *
 * 1. No staged source has rows yet: a plain INSERT … SELECT in key order.
 *    A key twice fails it with a constraint error, and the statement is
 *    undone by SQLite: go on with 2.
 * 2. One pass over the staged rows sorted by key (unsorted when they came
 *    in key order) beside their stored rows classifies them as row-by-row
 *    upserts in file order would (count_staged): new, replacing (newer or
 *    equal), unchanged, older.  A row is unchanged when it equals the
 *    version the store held before the bulk while that is still the key's
 *    version: no earlier row of the key in the file wrote one of its own.
 *    Once one has, a later row not older replaces, a copy of an earlier
 *    row too, as in a first import (docs/cli.md).  A left-out row is
 *    its key's first in the file and wrote nothing: the staged rows of its
 *    key still meet the stored version.  When a row changes
 *    something, window functions pick per key the last row holding the
 *    greatest updated_at and write it through the same ON CONFLICT …
 *    WHERE newer-or-equal as the row upsert.  Re-importing an unchanged
 *    export writes nothing.
 */
#include "core/store/store_sqlite_bulk_int.h"

#include <stdlib.h>
#include <string.h>

#define COLS SQ_RESPONSE_COLS

/* Path 1. */
static const char insert_new_sql[] =
    "INSERT INTO responses (" COLS ") SELECT " COLS " FROM temp.cx_stage ORDER BY source, response_id";

/* Path 2: the staged rows sorted by key (then file order) beside their
 * stored row, so the stored rows are read in key order, not all over the
 * table when the ids came shuffled; count_staged classifies them. */
static const char scan_sql[] =
    "SELECT k.source, k.response_id, k.updated_at, o.updated_at,"
    " o.updated_at = k.updated_at AND " SQ_CONTENT("o") " IS " SQ_CONTENT(
        "k") " FROM (SELECT * FROM temp.cx_stage ORDER BY source, response_id, seq LIMIT -1) k"
             " LEFT JOIN responses o ON o.source = k.source AND o.response_id = k.response_id";

/* The same when the rows came in key order: in file order, unsorted. */
static const char scan_ascending_sql[] =
    "SELECT k.source, k.response_id, k.updated_at, o.updated_at,"
    " o.updated_at = k.updated_at AND " SQ_CONTENT("o") " IS " SQ_CONTENT(
        "k") " FROM temp.cx_stage k LEFT JOIN responses o ON o.source = k.source AND o.response_id = k.response_id";

/* Path 2, the write, when the counts say a row changes something: per
 * key, the last row with the greatest updated_at. */
static const char merge_exact_sql[] =
    "INSERT INTO responses (" COLS ") SELECT " COLS " FROM (SELECT s.*,"
    " max(updated_at) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max,"
    " max(updated_at) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_max"
    " FROM temp.cx_stage s WINDOW w AS (PARTITION BY source, response_id ORDER BY seq)) k"
    " WHERE (k.prev_max IS NULL OR k.updated_at >= k.prev_max)"
    " AND (k.next_max IS NULL OR k.updated_at > k.next_max)" SQ_ON_CONFLICT;

static const char dropped_again_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM temp.cx_stage k JOIN temp.cx_dropped d"
    " ON d.source = k.source AND d.response_id = k.response_id LIMIT 1)";

/* Runs SQL; with V, reads NV counts of its one row into V.  0, 1 when it
 * failed on a PRIMARY KEY or UNIQUE constraint and ALLOW_DUP, or -1. */
static int run(sq_store *s, const char *sql, int allow_dup, long long *v, int nv)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "bulk upsert");
    int rc = sqlite3_step(st);
    if (v && rc == SQLITE_ROW) {
        for (int i = 0; i < nv; i++) v[i] = sqlite3_column_int64(st, i);
        rc = sqlite3_step(st);
    }
    int ext = sqlite3_extended_errcode(s->db);
    int dup = ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE;
    int ret = rc == SQLITE_DONE ? 0 : allow_dup && dup ? 1 : -1;
    if (ret < 0) sq_fail(s, "bulk upsert");
    sqlite3_finalize(st);
    return ret;
}

/* Each staged row's class, as row-by-row upserts in file order give it,
 * against the stored row and the key's earlier staged rows: V[0] new,
 * V[1] newer or equal (replaces), V[2] among those, equal to the stored
 * row in updated_at and content while no earlier staged row of the key
 * wrote a version of its own (unchanged), V[3] rows of keys staged more
 * than once.  Before a key's first writing row its earlier rows are all
 * older than the stored row or equal to it, so an equal row is also
 * newer or equal to them. */
static int count_staged(sq_store *s, long long v[4])
{
    sqlite3_stmt *st;
    memset(v, 0, 4 * sizeof *v);
    const char *sql = s->bulk->ascending ? scan_ascending_sql : scan_sql;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "bulk upsert");
    char *key = NULL;
    size_t key_len = 0, key_cap = 0;
    long long group_max = 0, group_n = 0;
    int wrote = 0; /* an earlier staged row of the key wrote a version of its own */
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_text(st, 0);
        size_t sl = (size_t)sqlite3_column_bytes(st, 0);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        size_t il = (size_t)sqlite3_column_bytes(st, 1);
        if (!src || !id) {
            ret = sqb_oom(s);
            break;
        }
        long long u = sqlite3_column_int64(st, 2);
        int stored = sqlite3_column_type(st, 3) != SQLITE_NULL;
        long long uo = sqlite3_column_int64(st, 3);
        int again = key && key_len == sl + il + 1 && !memcmp(key, src, sl) && key[sl] == '\0' &&
                    !memcmp(key + sl + 1, id, il);
        if (!again) {
            if (sl + il + 1 > key_cap) {
                char *k = realloc(key, sl + il + 1);
                if (!k) {
                    ret = sqb_oom(s);
                    break;
                }
                key = k;
                key_cap = sl + il + 1;
            }
            memcpy(key, src, sl);
            key[sl] = '\0';
            memcpy(key + sl + 1, id, il);
            key_len = sl + il + 1;
            group_n = 0;
            wrote = 0;
        }
        int fresh = !stored && !group_n;
        int newer = !fresh && (!stored || u >= uo) && (!group_n || u >= group_max);
        int same = !wrote && stored && sqlite3_column_int(st, 4);
        v[0] += fresh;
        v[1] += newer;
        v[2] += same;
        if ((fresh || newer) && !same) wrote = 1;
        if (group_n == 1) v[3] += 2;
        else if (group_n > 1) v[3]++;
        group_max = !group_n || u > group_max ? u : group_max;
        group_n++;
    }
    free(key);
    if (ret == 0 && rc != SQLITE_DONE) ret = sq_fail(s, "bulk upsert");
    sqlite3_finalize(st);
    return ret;
}

/* The end of a staged bulk (RC: 0, 1 or -1 so far): the staged rows
 * counted and merged into responses (path 1 or 2 above) as row-by-row
 * upserts would, their counts into C.  0 or -1. */
int sqb_stage_end(sq_store *s, int rc, store_bulk_counts *c)
{
    sq_bulk *b = s->bulk;
    long long v[4] = {0, 0, 0, 0}; /* new, replacing, equal to the stored row, rows of repeated keys */
    long long again = 0;           /* a staged key also among the rows left out */
    if (rc == 0) rc = s->bulk_rows == 0 ? 0 : sqb_sources_are_new(s);
    if (rc == 1) { /* path 1 */
        rc = run(s, insert_new_sql, 1, NULL, 0);
        v[0] = s->bulk_rows;
    } else if (rc == 0 && s->bulk_rows > 0) {
        rc = 1;
    }
    if (rc == 1) { /* path 2 */
        rc = count_staged(s, v);
        if (rc == 0 && b->drop_older + b->drop_equal > 0 && !b->ascending)
            rc = run(s, dropped_again_sql, 0, &again, 1);
        /* Late rows: the store was empty, every stored row they meet is
         * one this bulk loaded straight, an earlier row of its key in the
         * file (a copy of it replaces it). */
        if (b->late > 0) v[2] = 0;
        if (rc == 0 && v[0] + v[1] - v[2] > 0) rc = run(s, merge_exact_sql, 0, NULL, 0);
    }
    int rep = v[3] > 0 || again > 0 || b->late > 0; /* a late row of a loaded key: a repeat */
    /* the rows loaded straight beside the late ones (none once every row
     * went to staging: sqb_to_stage moved them) are new */
    c->inserted = v[0] + b->direct;
    c->straight = b->direct;
    c->replaced = v[1] - v[2];
    c->unchanged = v[2] + b->drop_equal; /* a left-out equal row: its key's first, as stored */
    if (rc == 0)
        c->ignored = s->bulk_rows + b->direct + b->drop_older + b->drop_equal - c->inserted - c->replaced -
                     c->unchanged;
    if (rc == 0 && sqlite3_exec(s->db, "DELETE FROM temp.cx_stage", NULL, NULL, NULL) != SQLITE_OK)
        rc = sq_fail(s, "bulk upsert");
    s->bulk_unique = rc == 0 && !rep;
    return rc;
}
