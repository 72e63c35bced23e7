/* store_sqlite_batch.h — a batch of responses held in memory for the
 * SQLite bulk upsert (store_sqlite_bulk.c), and the virtual table
 * `cx_batch` that shows the current batch to SQL, so that one
 * INSERT … SELECT writes a whole batch instead of one bound statement per
 * row.  Each row's text (attributes as their JSON object, moments as
 * "3;4;2") is copied into the batch's arena when it is added: the
 * caller's cx_response is a view valid only for the call.  A row's texts
 * lie one after another in the arena, each followed by a NUL (not counted
 * in its len), so a row's texts are copied whole in one piece
 * (sq_brow_block) and each can be shown as a C string.
 *
 * Owner: core/store/store_sqlite_batch.c (the batch),
 * core/store/store_sqlite_batch_sort.c (its order by key),
 * core/store/store_sqlite_batch_vtab.c (cx_batch).  Not for use outside
 * core/store/store_sqlite*.c and the sorted runs of responses that
 * gather their rows in it (core/store/resp_runs.h).
 */
#ifndef CX_STORE_SQLITE_BATCH_H
#define CX_STORE_SQLITE_BATCH_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "core/model.h"

/* The texts of a row, in the arena. */
enum {
    SQB_SOURCE,
    SQB_ID,
    SQB_COMMENT,
    SQB_CUSTOMER,
    SQB_AGENT,
    SQB_CHANNEL,
    SQB_PRODUCT,
    SQB_ITYPE,
    SQB_MOMENTS,
    SQB_ATTRS,
    SQB_NTEXT
};

typedef struct sq_brow {
    uint32_t off[SQB_NTEXT], len[SQB_NTEXT];
    int64_t responded_at, updated_at;
    double handle_time_s;
    long long seq; /* 1 + the row's index in its bulk (file order) */
    int month, score, metric;
    unsigned char has_handle_time;
    unsigned char skip; /* set aside: not shown by cx_batch */
} sq_brow;

typedef struct sq_batch {
    sq_brow *row;
    size_t n, cap;
    char *arena;
    size_t used, arena_cap;
    uint32_t *order;  /* the order cx_batch shows the rows in (sq_batch_sort) */
    size_t head;      /* sq_batch_sort: the bytes every id shares at its head; (size_t)-1: several sources */
    int sorted;       /* 0: arrival order */
    int merged;       /* the rows came in key order, each key once (the runs' merge): nothing to sort */
    int show_skipped; /* cx_batch shows the set-aside rows only (else the others) */
} sq_batch;

/* Appends R (numbered SEQ).  0, or -1 when out of memory. */
int sq_batch_add(sq_batch *b, const cx_response *r, long long seq);
/* Appends a row whose numbers (and seq, month, lengths) are H's and
 * whose texts are TXT (each H->len[t] bytes): a row of another batch or
 * of a run file.  Texts that already lie one after another, each with its
 * NUL (sq_brow_block), are copied in one piece.  0, or -1 when out of
 * memory. */
int sq_batch_add_raw(sq_batch *b, const sq_brow *h, const char *const txt[SQB_NTEXT]);
/* Empties B, keeping its memory. */
void sq_batch_reset(sq_batch *b);
void sq_batch_free(sq_batch *b);
/* Orders B by (source, response_id) as SQLite's BINARY collation does;
 * returns 1 when two rows have the same key, else 0 (-1 out of memory).
 * A merged batch is taken as it came (its head then (size_t)-1). */
int sq_batch_sort(sq_batch *b);

static inline const char *sq_brow_text(const sq_batch *b, const sq_brow *r, int t)
{
    return b->arena + r->off[t];
}

/* The bytes of R's texts with their NULs, from its first text on. */
static inline size_t sq_brow_block(const sq_brow *r)
{
    return r->off[SQB_NTEXT - 1] + r->len[SQB_NTEXT - 1] + 1 - r->off[0];
}

/* The 8 bytes of ID (LEN bytes) from FROM on, big-endian, zeros past its
 * end: between two ids that share their first FROM bytes, a different
 * number orders them as their bytes do (a text before a longer one it
 * begins, as SQLite's BINARY collation), an equal one says nothing.  The
 * batch sort's key, and the runs' merge's (resp_runs_merge.c). */
static inline uint64_t sq_id_eight(const char *id, size_t len, size_t from)
{
    uint64_t v = 0;
    for (size_t j = 0; j < 8; j++) v = v << 8 | (from + j < len ? (unsigned char)id[from + j] : 0u);
    return v;
}

/* Registers the eponymous virtual table `cx_batch` on DB; it shows *CUR
 * (NULL: no rows).  Columns: those of responses in SQ_RESPONSE_COLS order,
 * then seq. */
int sq_batch_module(sqlite3 *db, sq_batch *const *cur);

/* The attribute JSON of attrs_to_json (cJSON's unformatted print of an
 * object of strings), appended to B's arena; exposed for tests: writes
 * into OUT (CAP bytes, NUL-terminated), returns the length or -1 when it
 * does not fit. */
long sq_attrs_json(const cx_attr *a, size_t n, char *out, size_t cap);

#endif
