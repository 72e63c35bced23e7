/* store_pg_int.h — internals shared by the PostgreSQL backend's files:
 *   store_pg.c        connect, schema and migrations, transactions, errors
 *   store_pg_io.c     statement helpers, streamed scans, deferred COPY buffers
 *   store_pg_write.c  upserts, spend, rejects, import log, checkpoints, locks
 *   store_pg_read.c   scans, status
 *   store_pg_counts.c NPS and score counts pushed down to the server
 *   store_pg_scan.c   the scan of every response, as a binary COPY
 *   store_pg_bulk.c   bulk upsert of responses: COPY to a staging table
 *   store_pg_merge.c  … and its merge into responses
 *   store_pg_seen.c   the note of an imported file (an unchanged re-import)
 * Not for use outside core/store/store_pg*.c.
 *
 * Deferred writes: inside a transaction, customers, spend rows and rejects
 * (and always the rows of a bulk upsert) are appended to in-memory COPY
 * buffers.  A full buffer is sent into a COPY … FROM STDIN left open, so
 * the server parses while cxpulse reads the next rows; before any other
 * statement runs the COPY is ended and every buffer sent (pg_flush), so a
 * reader never misses rows, and their errors surface at the latest at
 * store_commit.  store_rollback drops what was not sent.
 */
#ifndef CX_STORE_PG_INT_H
#define CX_STORE_PG_INT_H

#include "core/store/keybuf.h"
#include "core/store/store_int.h"

/* Built only where libpq's header is found (pkg-config --cflags libpq in
 * the Makefile's PKGS); elsewhere store_pg_open says PostgreSQL support is
 * missing and the rest of this backend compiles to nothing. */
#if defined(__has_include)
#if __has_include(<libpq-fe.h>)
#define CX_HAVE_LIBPQ 1
#endif
#endif

#ifdef CX_HAVE_LIBPQ
#include <libpq-fe.h>

enum {
    P_UPSERT,
    P_CUSTOMER,
    P_SPEND_CLEAR,
    P_SPEND_ADD,
    P_REJECT,
    P_REJECTS_FORGET,
    P_IMPORT_LOG,
    P_CKPT_GET,
    P_CKPT_PUT,
    P_CKPT_CLEAR,
    P_SYNC_RECORD,
    P_LOCK,
    P_TRY_LOCK,
    P_UNLOCK,
    P_COUNT
};

/* Deferred COPY buffers, one per target table. */
enum { B_STAGE, B_CUSTOMERS, B_SPEND, B_REJECTS, B_COUNT };

typedef struct pg_buf {
    char *p;
    size_t n, cap;
} pg_buf;

typedef struct pg_store {
    store base; /* first: a store * is a pg_store * */
    PGconn *conn;
    int in_tx;             /* between store_begin and commit/rollback */
    int locked;            /* a sync lock was taken (pg_lock_source): released before closing */
    int bulk_on;           /* between store_bulk_begin and store_bulk_end */
    long long bulk_rows;   /* rows staged by this bulk */
    store_srcset bulk_src; /* the sources of those rows */
    /* The last key staged (source, NUL, response_id) while each came
     * after the one before; bulk_ascending 0 once one did not: the first
     * import's merge then has the server sort them (store_pg_merge.c). */
    keybuf bulk_key;
    int bulk_ascending;
    /* the last bulk merged held no key twice (or a note answered for its
     * file): store_import_seen_put may note it (store_pg_seen.c) */
    int bulk_unique;
    long long cust_seq; /* customers staged since the last merge */
    int copy_open;      /* the buffer whose COPY is in progress, -1: none */
    pg_buf buf[B_COUNT];
    /* the smallest key the last store_appended counted (store_pg_grow.c):
     * source, NUL, response_id, NUL; for that generation and mark only */
    char *grow_first;
    size_t grow_first_len; /* 0: none known */
    long long grow_mark;
    char grow_gen[STORE_GEN_MAX];
    /* the least ctid of a row written after grow_mark at grow_gen ("":
     * none known): store_scan_appended reads from there on */
    char grow_tid[32];
    /* store_scan_appended_ahead sent the scan of the rows written after
     * ahead_mark at ahead_gen; its rows not read yet */
    int ahead;
    long long ahead_mark;
    char ahead_gen[STORE_GEN_MAX];
    int citus; /* pg_citus: 0 not asked yet, 1 no, 2 yes */
} pg_store;

static inline pg_store *PG(store *s) { return (pg_store *)s; }

/* min(tid), the least ctid of rows: PostgreSQL 14 on. */
static inline int pg_has_min_tid(pg_store *s) { return PQserverVersion(s->conn) >= 140000; }

/* store_pg.c */
extern const char *const pg_queries[P_COUNT];
int pg_fail(pg_store *s, const char *what, const PGresult *r); /* sets err; -1 */
/* The connection to TARGET (store_pg_conn.c): NULL with ERR (never the
 * password) when the target holds a password or the server cannot be
 * reached. */
PGconn *pg_connect(const char *target, const store_open_opts *o, char *err, size_t errlen);
/* MSG into OUT on one line: runs of white space become one space. */
void pg_one_line(char *out, size_t cap, const char *msg);
int pg_oom(pg_store *s);
/* 1 when the server is a Citus coordinator (pg_dist_partition there),
 * 0 when not, -1 with the error; asked once a connection. */
int pg_citus(pg_store *s);

/* store_pg_io.c */
/* Sends every deferred buffer (and merges staged customers).  0 / -1. */
int pg_flush(pg_store *s);
/* Drops every deferred buffer unsent. */
void pg_drop_buffers(pg_store *s);
/* Sends buffer B with COPY (no other flush).  KEEP_OPEN leaves the COPY
 * in progress, so that the server parses the rows while the caller makes
 * the next ones; any other statement ends it first (pg_flush).  0 / -1. */
int pg_copy_out(pg_store *s, int b, int keep_open);
/* Runs SQL (no parameters) after pg_flush; 0 / -1. */
int pg_exec(pg_store *s, const char *sql, const char *what);
/* Runs SQL (no parameters) at once, leaving the deferred buffers as they
 * are (the schema, a rollback); 0 / -1. */
int pg_exec_now(pg_store *s, const char *sql, const char *what);
/* Runs prepared query Q with N text parameters (NULL = SQL NULL); LENS and
 * FMTS may be NULL (all text).  Returns the result (caller PQclears) or
 * NULL with the error set. */
PGresult *pg_prep(pg_store *s, int q, int n, const char *const *vals, const int *lens, const int *fmts,
                  const char *what);
/* pg_prep for statements whose result is not needed: 0 / -1. */
int pg_prep_done(pg_store *s, int q, int n, const char *const *vals, const char *what);
/* Streams the rows of SQL one at a time (single-row mode) to FN; FN returns
 * nonzero to stop, which pg_stream then returns.  BINARY asks for binary
 * results (bytea).  -1 on a store error. */
typedef int (*pg_row_fn)(const PGresult *row, void *ctx);
int pg_stream(pg_store *s, const char *sql, int n, const char *const *vals, int binary, pg_row_fn fn,
              void *ctx, const char *what);
/* pg_stream in two: the query sent (0 / -1), then its rows read, which
 * nothing else on the connection may come between. */
int pg_stream_send(pg_store *s, const char *sql, int n, const char *const *vals, int binary,
                   const char *what);
int pg_stream_rows(pg_store *s, pg_row_fn fn, void *ctx, const char *what);
/* The scan asked ahead (s->ahead: store_scan_appended_ahead) and not
 * read, ended: cancelled outside a transaction, its rows dropped.  Every
 * other use of the connection comes after it (pg_flush calls it). */
void pg_ahead_drop(pg_store *s);

/* Appending to a deferred buffer: text fields escaped for COPY's text
 * format.  Each returns 0 / -1 (out of memory). */
int buf_text(pg_buf *b, const char *v, char sep);
int buf_null(pg_buf *b, char sep);
int buf_ll(pg_buf *b, long long v, char sep);
int buf_double(pg_buf *b, double v, char sep);
int buf_bytea(pg_buf *b, const char *v, size_t n, char sep);
/* After a row: sends buffer B when it is over the flush size. */
int buf_row_done(pg_store *s, int b);

/* store_pg_scan.c: every response, in key order, as one binary COPY
 * (store_scan_responses with no filter). */
int pg_scan_all(pg_store *s, store_response_cb cb, void *ctx);

/* Column values of a text-format row. */
long long col_ll(const PGresult *r, int row, int i);
double col_double(const PGresult *r, int row, int i);

/* store_pg_write.c, store_pg_read.c, store_pg_bulk.c: the operations. */
int pg_upsert_response(store *s, const cx_response *r, store_upsert_result *res);
int pg_upsert_customer(store *s, const char *customer_id, double annual_value, const cx_attr *attrs,
                       size_t n_attrs);
long long pg_spend_clear(store *s, const char *source);
long long pg_rejects_forget(store *s, const char *source, const char *file);
int pg_add_spend(store *s, const char *source, const char *customer_id, int64_t day, double amount);
int pg_add_reject(store *s, const char *source, const char *where, const char *reason, const char *raw,
                  size_t raw_len);
int pg_log_import(store *s, const store_import_stats *st);
int pg_checkpoint_get(store *s, const char *source, char **out);
int pg_checkpoint_put(store *s, const char *source, const char *checkpoint);
int pg_checkpoint_clear(store *s, const char *source);
int pg_sync_record(store *s, const char *source, int64_t at, long long fetched, const char *error);
int pg_lock_source(store *s, const char *source, int wait);
int pg_unlock_source(store *s, const char *source);
extern const store_read_ops pg_read_ops; /* store_pg_read.c */
int pg_get_status(store *s, store_status *st);
int pg_has_customers(store *s);
/* The reads' filter (store_filter: $1 source, $2 and $3 the months; the
 * table as r) and its three parameters, BUF holding the two months
 * (store_pg_read.c). */
#define PG_FILTER_SQL                                                         \
    " ($1::text IS NULL OR r.source = $1) AND ($2::int = 0 OR r.month >= $2)" \
    " AND ($3::int = 0 OR r.month <= $3)"
void pg_filter_params(const store_filter *f, const char *v[3], char buf[2][16]);
/* store_pg_counts.c */
int pg_nps_counts(store *s, const store_filter *f, const char *const *dims, size_t n_dims, store_nps_cb cb,
                  void *ctx);
int pg_score_counts(store *s, const store_filter *f, store_score_cb cb, void *ctx);
/* store_pg_gen.c: the generation (store.h store_generation).  A
 * statement-level trigger on each table the analyses read notes the
 * writing transaction in cx_changes (one row a transaction, inserted in
 * it: no lock another writer waits for); the generation is how many such
 * transactions committed, and the sum of their ids. */
#define PG_GENERATION_MIGRATION                                                                                         \
    "CREATE TABLE cx_store (id text NOT NULL);"                                                                         \
    "INSERT INTO cx_store VALUES (md5(random()::text || clock_timestamp()::text));"                                     \
    "CREATE TABLE cx_changes (tx bigint PRIMARY KEY);"                                                                  \
    "CREATE FUNCTION cx_note_change() RETURNS trigger LANGUAGE plpgsql AS"                                              \
    " 'BEGIN INSERT INTO cx_changes VALUES (txid_current()) ON CONFLICT DO NOTHING; RETURN NULL; END';" PG_GEN_TRIGGER( \
        "responses") PG_GEN_TRIGGER("customers") PG_GEN_TRIGGER("spend")
/* 3 -> 4: customers and spend no longer move the generation (the cache
 * holds only responses). */
#define PG_GEN_RESPONSES_ONLY_MIGRATION \
    "DROP TRIGGER cx_changes_customers ON customers; DROP TRIGGER cx_changes_spend ON spend;"
/* 5 -> 6: each statement on responses also adds a row to cx_xids, in the
 * (sub)transaction that runs it: that row's xmin is the transaction id the
 * statement's rows carry as theirs (a savepoint's own, not the top
 * one's), and CUT says it may have taken rows out (a DELETE or TRUNCATE).
 * The rows written since a cache was built are then those whose xmin is
 * one of the xmins of cx_xids rows of the transactions after it
 * (store_pg_grow.c). */
#define PG_XIDS_MIGRATION                                                                \
    "CREATE TABLE cx_xids (tx bigint NOT NULL, cut boolean NOT NULL);"                   \
    "CREATE INDEX cx_xids_tx ON cx_xids(tx);"                                            \
    "CREATE OR REPLACE FUNCTION cx_note_change() RETURNS trigger LANGUAGE plpgsql AS"    \
    " 'BEGIN INSERT INTO cx_changes VALUES (txid_current()) ON CONFLICT DO NOTHING;"     \
    " INSERT INTO cx_xids VALUES (txid_current(), TG_OP IN (''DELETE'', ''TRUNCATE''));" \
    " RETURN NULL; END';"
/* 7 -> 8: the bulk merges of cxpulse note what they wrote (one row a
 * merge, in the merge's own (sub)transaction, so with its rows' xmin): how
 * many rows inserted (ins) and replaced (rep), the least key (k) and ctid
 * (t) among them (store_pg_merge.c).  When every (sub)transaction in
 * cx_xids after a cache's mark has such a note, the run that extends the
 * cache reads the notes instead of counting the table (store_pg_grow.c). */
#define PG_WROTE_MIGRATION                                                                 \
    "CREATE TABLE cx_wrote (tx bigint NOT NULL, ins bigint NOT NULL, rep bigint NOT NULL," \
    " k text[] COLLATE \"C\", t tid);"                                                     \
    "CREATE INDEX cx_wrote_tx ON cx_wrote(tx);"
/* The (sub)transaction ids noted in cx_xids by the statements of
 * transactions after $1 (bigint). */
#define PG_WRITTEN_XIDS "SELECT xmin FROM cx_xids WHERE tx > $1::bigint"
/* The transaction-scoped lock that serialises schema changes: the
 * migrations (store_pg.c), and the note table's making
 * (store_pg_seen.c). */
#define PG_MIGRATION_LOCK "SELECT pg_advisory_xact_lock(7468327001)"
/* The rejects of a file: $1 the source, $2 "FILE:" (they are at
 * "FILE:LINE"; P_REJECTS_FORGET, store_pg_seen.c). */
#define PG_REJECTS_OF \
    " source = $1 AND left(location, length($2)) = $2 AND substr(location, length($2) + 1) ~ '^[0-9]+$'"
/* A row of responses written by a statement of a transaction after $1:
 * its xmin is one of those. */
#define PG_WRITTEN_AFTER "xmin IN (" PG_WRITTEN_XIDS ")"
/* Run by cxpulse before it commits a transaction: the rows its statements
 * added to cx_xids kept once a (sub)transaction id and kind, so that
 * row-by-row upserts (a vendor sync) leave one row, not one a response.
 * No row when the transaction wrote nothing (no id assigned). */
#define PG_XIDS_ONCE                                                                \
    "DELETE FROM cx_xids a USING cx_xids b WHERE a.tx = txid_current_if_assigned()" \
    " AND b.tx = a.tx AND a.xmin = b.xmin AND a.cut = b.cut AND a.ctid > b.ctid"
#define PG_GEN_TRIGGER(t)                                                                \
    "CREATE TRIGGER cx_changes_" t " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON " t \
    " FOR EACH STATEMENT EXECUTE PROCEDURE cx_note_change();"
int pg_generation(store *s, char *id, char *gen);
/* store_pg_grow.c: store.h store_row_mark, store_appended,
 * store_scan_appended. */
extern const store_grow_ops pg_grow_ops;
/* store_pg_read.c: the responses written by the transactions after TX
 * (text), in key order, as pg_scan_responses; FROM_TID (NULL: none) a
 * ctid no such row lies before. */
int pg_scan_written_after(store *s, const char *tx, const char *from_tid, store_response_cb cb, void *ctx);
/* pg_scan_written_after in two: asked (0 / -1), then its rows to CB. */
int pg_written_after_send(store *s, const char *tx, const char *from_tid);
int pg_written_after_rows(store *s, store_response_cb cb, void *ctx);
/* store_pg_seen.c: store.h store_import_seen_get/put,
 * store_rejects_again. */
int pg_import_seen_get(store *s, const char *source, const char *file, const char *digest,
                       store_import_seen *v);
int pg_import_seen_put(store *s, const char *source, const char *file, const char *digest,
                       const store_import_seen *v);
long long pg_rejects_again(store *s, const char *source, const char *file, store_reject_cb cb, void *ctx);
int pg_bulk_begin(store *s);
int pg_bulk_add(store *s, const cx_response *r);
int pg_bulk_end(store *s, store_bulk_counts *c);
/* store_pg_held.c */
int pg_held_by(store *s, const char *source, const char *response_id, char *buf, size_t cap);
int pg_bulk_set_aside(store *s, store_held_cb cb, void *ctx, long long *n);
/* store_pg_spend.c */
int pg_spend_keep_old(pg_store *s, const char *source);
int pg_spend_counts(store *s, const char *source, store_bulk_counts *c);
/* Merges the staged customers (last row per customer_id wins). */
int pg_merge_customers(pg_store *s);
/* Forgets the sources of the bulk upsert. */
void pg_bulk_forget(pg_store *s);
/* store_pg_merge.c: merges cx_stage into responses (own transaction when
 * none is open); 0 / -1. */
int pg_merge_stage(pg_store *s, store_bulk_counts *c);

#endif /* CX_HAVE_LIBPQ */
#endif
