/* store.h — the ONLY way the program touches the store (docs/sources.md, docs/scale.md).
 *
 * Owner: core/store/store.c dispatches each call to the backend that opened the
 * store: core/store/store_sqlite*.c (SQLite) or core/store/store_pg*.c (PostgreSQL,
 * libpq).  Every SQL statement of the program lives behind this API.
 *
 * Errors: functions return 0 on success and -1 on failure; the message is
 * then in store_error(s) (borrowed, valid until the next call).  Strings
 * handed to callbacks are borrowed for the duration of the callback.
 */
#ifndef CX_STORE_H
#define CX_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "core/model.h"

#define STORE_SCHEMA_VERSION 10

typedef struct store store;

/* What a batch of writes did (bulk upserts, customers, spend). */
typedef struct store_bulk_counts {
    long long inserted, replaced, ignored;
    long long held_elsewhere; /* set aside: response_id held under another source */
    long long unchanged;      /* bulk upserts: equal to the version stored before the batch (same
                                 * updated_at and content) while no earlier row of the batch wrote
                                 * that key, nothing written; apart from replaced (docs/cli.md) */
    long long straight;       /* bulk upserts (SQLite): rows loaded straight into an empty store,
                                 * numbered 1.. in key order; 0 when none or when staged */
} store_bulk_counts;

/* Opens (creating and migrating when needed) the store at TARGET: a file
 * path for SQLite, or a PostgreSQL connection string (see
 * store_target_is_pg).  Returns NULL with the reason in ERR, which starts
 * with "store: " and never holds a password. */
store *store_open(const char *target, char *err, size_t errlen);
void store_close(store *s);
const char *store_error(const store *s);
/* "sqlite 3.40.1" and the like (borrowed). */
const char *store_backend(const store *s);
/* The schema version of the store as it is: STORE_SCHEMA_VERSION, or an
 * older one a read-only store was read at (it could not be migrated). */
int store_schema(const store *s);

/* Transactions.  Writes outside a transaction run in their own. */
int store_begin(store *s);
/* store_begin for a transaction that loads many responses (an import):
 * the same, except that a SQLite store holding no response yet takes the
 * load through a rollback journal, written once, instead of the WAL,
 * written and then copied into the store at the checkpoint; it goes back
 * to WAL at the commit or rollback.  Meanwhile other processes opening
 * that store wait for the load (docs/performance.md, "Import"). */
int store_begin_load(store *s);
int store_commit(store *s);
int store_rollback(store *s);

/* ---- responses ---- */
typedef enum {
    STORE_INSERTED = 0,   /* new (source, response_id) */
    STORE_REPLACED,       /* existed with updated_at <= the new one: replaced */
    STORE_IGNORED,        /* existed with a newer updated_at: kept the old, nothing written */
    STORE_HELD_ELSEWHERE, /* its response_id is held under another source: not written
                           * (store_held_by names it; see store_allow_duplicate_ids) */
    STORE_UNCHANGED       /* existed equal to this one (same updated_at and content):
                           * nothing written */
} store_upsert_result;

/* Upserts R by (source, response_id); newer-or-equal updated_at wins. */
int store_upsert_response(store *s, const cx_response *r, store_upsert_result *res);

typedef struct store_filter {
    const char *source;       /* NULL = every source */
    int month_from, month_to; /* month keys, inclusive; 0 = unbounded */
} store_filter;

/* Calls CB for every response (ordered by source, response_id).  CB
 * returns 0 to go on, nonzero to stop (store_scan_responses then returns
 * that value).  */
typedef int (*store_response_cb)(const cx_response *r, void *ctx);
int store_scan_responses(store *s, const store_filter *f, store_response_cb cb, void *ctx);

/* ---- customers and spend ---- */
/* ANNUAL_VALUE NaN = empty (T1 then comes from spend). */
int store_upsert_customer(store *s, const char *customer_id, double annual_value, const cx_attr *attrs,
                          size_t n_attrs);
typedef int (*store_customer_cb)(const char *customer_id, double annual_value, const cx_attr *attrs,
                                 size_t n_attrs, void *ctx);
int store_scan_customers(store *s, store_customer_cb cb, void *ctx);

/* Spend rows belong to a source; importing a spend file replaces that
 * source's rows (store_spend_clear then store_add_spend, in one transaction). */
/* Removes SOURCE's spend rows: how many (>= 0), or -1 on error.  The
 * removed rows are kept aside for store_spend_counts. */
long long store_spend_clear(store *s, const char *source);
/* After a spend_clear and its adds (same transaction): inserted = rows that
 * were not held before, replaced = rows held before and gone now, ignored =
 * rows held before and given again unchanged. */
int store_spend_counts(store *s, const char *source, store_bulk_counts *c);
int store_add_spend(store *s, const char *source, const char *customer_id, int64_t day, double amount);
/* Ordered by customer_id, then day. */
typedef int (*store_spend_cb)(const char *customer_id, int64_t day, double amount, void *ctx);
int store_scan_spend(store *s, store_spend_cb cb, void *ctx);
/* The same rows in the order the store finds them cheapest (no sort): for
 * readers that sum, where the order does not matter. */
int store_scan_spend_unordered(store *s, store_spend_cb cb, void *ctx);
/* Earliest and latest day of the whole spend data, without reading it
 * row by row into memory: 1 and *FIRST, *LAST set when there is spend,
 * 0 when there is none, -1 on error (store_error). */
int store_spend_range(store *s, int64_t *first, int64_t *last);

/* ---- rejects and import log ---- */
/* WHERE is "line 12" or "page 3"; RAW may hold any bytes (stored as text). */
int store_add_reject(store *s, const char *source, const char *where, const char *reason, const char *raw,
                     size_t raw_len);
/* Removes SOURCE's rejects of FILE (WHERE "FILE:LINE"), for a re-import of
 * FILE, whose rejects replace them: how many (>= 0), or -1 on error.  FILE
 * is the import's file key (ingest/import.c file_key: a regular file's
 * real path, "customers:" or "spend:" before it for those kinds, "-"). */
long long store_rejects_forget(store *s, const char *source, const char *file);
/* RAW is RAW_LEN bytes, whole (NUL bytes included), NUL-terminated after. */
typedef int (*store_reject_cb)(const char *source, const char *where, const char *reason, const char *raw,
                               size_t raw_len, void *ctx);
int store_scan_rejects(store *s, const char *source, store_reject_cb cb, void *ctx);

/* ---- a responses file imported again unchanged (docs/performance.md) ----
 * Inside an import's transaction, after its store_bulk_end:
 * store_import_seen_put notes that SOURCE's FILE with DIGEST (the file's
 * bytes and everything else that decides how its rows read) was imported,
 * with V: what importing it again would report while nothing changes the
 * store (every row loaded or equal to its stored row unchanged, the older
 * ones ignored, the same rejects and rows held elsewhere).  DIGEST NULL
 * (the file is not known), or a bulk that held a key twice: the note of
 * SOURCE's FILE, if any, is dropped instead.  Both backends
 * note (store_sqlite_seen.c, store_pg_seen.c).  0 / -1.
 * store_import_seen_get, inside the next import's transaction, answers 1
 * with V when that note holds: the same digest, the same duplicate-id
 * setting, no response changed since the noting transaction
 * (store_generation) and as many rejects of FILE; DIGEST NULL: any digest (a note holds for SOURCE's
 * FILE: worth computing the file's).  0 when not, -1 on error.
 * store_rejects_again then writes SOURCE's rejects of FILE again, as
 * store_rejects_forget and adding them back would (in their order, CB
 * called for each, may be NULL): how many, or -1. */
typedef struct store_import_seen {
    long long rows, unchanged, ignored, rejected, held;
    char held_by[64];
} store_import_seen;
int store_import_seen_get(store *s, const char *source, const char *file, const char *digest,
                          store_import_seen *v);
int store_import_seen_put(store *s, const char *source, const char *file, const char *digest,
                          const store_import_seen *v);
long long store_rejects_again(store *s, const char *source, const char *file, store_reject_cb cb, void *ctx);

typedef struct store_import_stats {
    const char *kind; /* "responses", "customers", "spend", or a source name for ingest */
    const char *file; /* file name or URL path (never a token) */
    long long rows, inserted, replaced, ignored, rejected;
    /* Rows given again equal to what the store held (responses: the same
     * updated_at and content; customers and spend: the same row).  REPLACED
     * counts the rows that changed a stored one, IGNORED the older versions
     * of stored responses only. */
    long long unchanged;
} store_import_stats;
int store_log_import(store *s, const store_import_stats *st);

/* ---- sync state (ingest) ---- */
/* Checkpoint of SOURCE as opaque text (JSON chosen by ingest/sync.c);
 * *out is malloc'd (caller frees) or NULL when never synced. */
int store_checkpoint_get(store *s, const char *source, char **out);
/* Call inside the same transaction as the page it follows. */
int store_checkpoint_put(store *s, const char *source, const char *checkpoint);
int store_checkpoint_clear(store *s, const char *source);
/* Records the end of a sync run: ERROR NULL for success.  last_sync (in
 * store_status) stays the time of the last SUCCESSFUL run, so a failed run
 * leaves "stale since" readable; last_error is the latest run's. */
int store_sync_record(store *s, const char *source, int64_t at, long long fetched, const char *error);

/* ---- status ---- */
typedef struct store_source_status {
    char *source;
    long long responses;
    long long rejects;
    int64_t last_sync; /* last successful sync; 0 = never */
    long long last_fetched;
    char *last_error; /* NULL = none */
} store_source_status;

typedef struct store_status {
    long long responses, customers, spend_rows, rejects;
    long long imported_rows, replaced, unchanged, ignored; /* sums over the import log */
    /* Imports logged before the log told unchanged rows apart (schema 9
     * and older): how many, and the rows they found already held
     * (replaced, unchanged or older), not in the three sums above. */
    long long imports_before, held_before;
    int64_t first_at, last_at; /* responded_at range, 0 if empty */
    int64_t last_import;       /* 0 = never */
    store_source_status *sources;
    size_t n_sources;
} store_status;

int store_get_status(store *s, store_status *st);
void store_status_free(store_status *st);

/* Reject reasons grouped with counts, most frequent first. */
typedef int (*store_reason_cb)(const char *reason, long long count, void *ctx);
int store_reject_reasons(store *s, store_reason_cb cb, void *ctx);

/* The distinct attribute names of the stored responses (keys with a text
 * value, as a scan reads them), in no particular order: CB once per name,
 * borrowed for the call; CB nonzero stops (returned).  Imports hold the
 * store to CX_MAX_ATTRS of them (ingest/attr_limit.h). */
typedef int (*store_name_cb)(const char *name, void *ctx);
int store_attr_names(store *s, store_name_cb cb, void *ctx);
/* The attribute names an import noted (store_attr_names_note), when the
 * note holds for the store as it is now (no response changed since, by
 * this program or another): CB once per name, 1; 0 when there is no such
 * note (ask store_attr_names), -1 on error.  They hold every name of the
 * stored responses and may hold more (a name whose last response was
 * replaced since, a column whose values were all empty): enough to admit
 * names under CX_MAX_ATTRS, not to refuse them.  A backend that notes
 * nothing answers 0. */
int store_attr_names_noted(store *s, store_name_cb cb, void *ctx);
/* Notes NAMES (N of them) as holding every attribute name of the stored
 * responses once the open transaction commits (called inside it, after
 * its writes).  0, or -1. */
int store_attr_names_note(store *s, const char *const *names, size_t n);

/* ==== Additions for PostgreSQL (docs/scale.md).  Implemented by both backends;
 * core/store/store.c dispatches to core/store/store_sqlite*.c or core/store/store_pg*.c.
 * On PostgreSQL a scan streams its rows over the store's one connection:
 * a scan callback must not call the store itself. ==== */

/* 1 when TARGET names a PostgreSQL database: it starts with postgresql://
 * or postgres://, or contains "dbname=" or "host=" (libpq key=value). */
int store_target_is_pg(const char *target);

/* TARGET for display in BUF (always terminated): a PostgreSQL connection
 * string with any password taken out; a path unchanged. */
void store_target_redact(const char *target, char *buf, size_t cap);

typedef struct store_open_opts {
    /* NAME of an environment variable holding the PostgreSQL password (the
     * config's "password_env"), or NULL: libpq then uses PGPASSWORD or
     * ~/.pgpass.  A password written in TARGET itself is refused. */
    const char *password_env;
} store_open_opts;
/* store_open with options (O may be NULL). */
store *store_open_with(const char *target, const store_open_opts *o, char *err, size_t errlen);

/* Serialises syncs of SOURCE across processes sharing the store, so that two
 * `cxpulse ingest` at once cannot leave an older checkpoint behind: take it
 * before store_checkpoint_get, release it after the last page.  PostgreSQL:
 * a session advisory lock; SQLite: a POSIX record lock on "<db>-sync".
 * Returns 0 when held, 1 when another process holds it and WAIT is 0, -1 on
 * error.  Released by store_unlock_source, store_close or the process's end. */
int store_lock_source(store *s, const char *source, int wait);
int store_unlock_source(store *s, const char *source);

/* Bulk upsert of responses (imports).  The end result and the counts equal
 * store_upsert_response on every row in order, but PostgreSQL streams the
 * rows with COPY into a staging table and merges them in one statement at
 * store_bulk_end, so a row's classification is known only then.  Use inside
 * store_begin .. store_commit; other calls (store_add_reject …) may come in
 * between and do not see the pending rows; store_rollback drops them. */
int store_bulk_begin(store *s);
/* A bulk's rows are numbered from 0 in store_bulk_add order; CB (set with
 * store_on_held, may be NULL) is called at store_bulk_end for each row set
 * aside because its response_id is held under another source, with the
 * holding source (borrowed for the call).  CB may call the store. */
int store_bulk_add(store *s, const cx_response *r);
int store_bulk_end(store *s, store_bulk_counts *c);

/* What the customer upserts since the last call did (then reset):
 * inserted = new customer_id, replaced = changed a stored customer (or an
 * earlier row of the same batch), ignored = equal to it (annual value and
 * attributes).  On PostgreSQL rows written inside a transaction are merged
 * at the next flush: call after store_commit. */
int store_customer_counts(store *s, store_bulk_counts *c);

/* ---- one response id, one source ----
 * A response_id the store already holds under another source is refused
 * by default: the same survey imported from a CSV export and synced from
 * the vendor would otherwise count twice.  store_upsert_response then
 * answers STORE_HELD_ELSEWHERE without writing, and store_bulk_end sets
 * such rows aside (counted in held_elsewhere, each passed to the
 * store_on_held callback).  Rows of one bulk are checked against the stored
 * rows only.  ALLOW 1 keeps both (each source's copy counts). */
void store_allow_duplicate_ids(store *s, int allow);
typedef int (*store_held_cb)(long long index, const char *response_id, const char *held_by, void *ctx);
void store_on_held(store *s, store_held_cb cb, void *ctx);
/* A bulk that sorts its rows itself before it loads them (SQLite: a first
 * import of ids in random order into an empty store) calls CB, on the
 * thread of store_bulk_end, with NULL when it starts loading them in key
 * order, then with each row it loads (each key once: a key given twice
 * is settled first), in that order, until CB returns nonzero or the rows
 * end.  NULL: none.  For the analysis cache an import writes
 * (run/run_cache_import.c). */
void store_on_sorted(store *s, store_response_cb cb, void *ctx);
/* 1 once the bulk in progress is known to be one that sorts its rows
 * itself (above): every row it takes, those given before included, will
 * be shown to the store_on_sorted callback after a NULL, so a caller that
 * keeps what it was given before that NULL may stop keeping rows.  Known
 * on the thread that adds the rows, a batch or so after the bulk turned
 * (SQLite: the writer found a batch's keys below those it loaded); 0 for a
 * store that never sorts (PostgreSQL) and once the bulk ends. */
int store_bulk_sorting(const store *s);
/* After STORE_HELD_ELSEWHERE: the source holding the id (borrowed, valid
 * until the next upsert). */
const char *store_held_by(const store *s);

/* NPS counts pushed down to the store (the server, on PostgreSQL): one call
 * of CB per (month, dimension, segment) group with responses, in no
 * particular order.  DIM 0 is the overall group (segment "all"); DIM i+1 is
 * DIMS[i], whose value is, as in run/run.c, the response's text field of
 * that name (source, customer_id, agent_id, channel, product,
 * interaction_type), else its attribute, else the attribute of its customer
 * (joined on customer_id).  SEGMENT NULL groups the responses with no or an
 * empty value: they count in `all` only.  F may be NULL. */
typedef struct store_nps_group {
    int month; /* month key, as time_month_key */
    size_t dim;
    const char *segment; /* borrowed for the call */
    long long p, a, d;   /* promoters (9-10), passives (7-8), detractors (0-6) */
} store_nps_group;
typedef int (*store_nps_cb)(const store_nps_group *g, void *ctx);
int store_nps_counts(store *s, const store_filter *f, const char *const *dims, size_t n_dims, store_nps_cb cb,
                     void *ctx);
/* Responses per (month, score 0..10), for the score distribution. */
typedef int (*store_score_cb)(int month, int score, long long n, void *ctx);
int store_score_counts(store *s, const store_filter *f, store_score_cb cb, void *ctx);
/* 1 when the store holds a customer, 0 when it holds none, -1 on error:
 * without customers a --by dimension that is no text field is the
 * response's attribute alone (store_nps_counts). */
int store_has_customers(store *s);

/* ---- the analysis cache's check (core/store/cache.h, docs/cache.md) ----
 * The store's identity (random, made with the store) into ID and its
 * generation into GEN, both short text (always terminated).  Every
 * transaction that changes a response (a row inserted, updated or
 * deleted) moves the generation on, in that transaction: the same
 * generation means the same responses.  One that changes none (an
 * unchanged re-import) leaves it.  0, or -1 with store_error. */
#define STORE_GEN_MAX 96
int store_generation(store *s, char *id, char *gen);
/* Extending the cache instead of rebuilding it (SQLite; the other backend
 * answers 1 and 0 below: rebuild).  store_row_mark: the number of the
 * newest row of responses into *MARK (0 when empty): 0, 1 when the
 * backend numbers no rows, -1 with store_error.  store_appended: 1 when
 * since generation GEN of this store its responses only gained rows
 * (none numbered MARK or below, no delete) or were changed in place by
 * this program, their keys noted (store_sqlite_gen.c), and it now holds
 * ROWS (those of GEN) + the new ones: the rows the responses of GEN
 * lack, or hold in an older state, are then exactly those after MARK and
 * those changed.  *ADDED: how many of both (what store_scan_appended
 * gives); *CHANGED (when not NULL): how many of them were changed.  0
 * otherwise; -1 with store_error.  store_scan_appended: those rows, in the
 * order and with the checks of store_scan_responses; 0, CB's nonzero
 * value, or -1. */
int store_row_mark(store *s, long long *mark);
int store_appended(store *s, const char *gen, long long mark, long long rows, long long *added,
                   long long *changed);
int store_scan_appended(store *s, const char *gen, long long mark, store_response_cb cb, void *ctx);
/* store_scan_appended of GEN and MARK asked now, its rows read by that
 * call later: a PostgreSQL server finds and sorts them meanwhile (the
 * other backend does nothing).  Until that call, or store_ahead_drop
 * when the rows are no longer wanted, S is used for nothing else. */
void store_scan_appended_ahead(store *s, const char *gen, long long mark);
void store_ahead_drop(store *s);
/* The smallest key (source, NUL, response_id) of the rows
 * store_scan_appended gives into KEY (CAP bytes): 1, 0 when there is none
 * (or the backend numbers no rows, or it does not fit), -1 with
 * store_error.  Reads only those rows (SQLite); PostgreSQL gives the key
 * its store_appended just before, for the same GEN and MARK, noted in its
 * pass over the table, and 0 at any other time. */
int store_first_appended(store *s, const char *gen, long long mark, char *key, size_t cap);
/* How many times the generation of S moved from FROM to TO (both read
 * from S, TO later): every transaction that changed a response moved it at
 * least once, each of this program's exactly once.  -1 when the backend
 * cannot say or a text is not one of its generations. */
long long store_gen_moves(store *s, const char *from, const char *to);
/* How many rows of responses the last transaction this program committed
 * on S inserted, less those it deleted, into *NET, when it updated none
 * and deleted only rows it had inserted itself: 0; 1 when the backend
 * cannot say (PostgreSQL) or the transaction did more. */
int store_last_net_rows(store *s, long long *net);
/* Every response, as store_scan_responses with no filter, but in the order
 * the store keeps them when that is faster to read (SQLite: rowid, no
 * lookup through the key's index a row): STORE_SCAN_DISORDER, before CB
 * sees it, at the first row whose key does not come after the one before
 * (the rows were not loaded in key order: scan again with
 * store_scan_responses).  Otherwise as store_scan_responses. */
#define STORE_SCAN_DISORDER (-3)
int store_scan_table_order(store *s, store_response_cb cb, void *ctx);

#endif
