/* store_int.h — what core/store/store.c needs from a backend: the table of
 * operations and the common head of every backend's store.
 * Not for use outside core/store*.c.
 *
 * A backend's own struct starts with a `store` (first member), so a
 * `store *` handed to its operations converts to the backend's type.  The
 * dispatcher (store.c) owns nothing else: errors are written by the backend
 * into s->err ("store: <what>: <why>", never a password), its name and
 * version into s->backend.
 */
#ifndef CX_STORE_INT_H
#define CX_STORE_INT_H

#include "core/store/store.h"

/* The backend's reads (its *_read.c): every scan of the store, one table
 * each backend defines beside its scans. */
typedef struct store_read_ops {
    int (*scan_responses)(store *s, const store_filter *f, store_response_cb cb, void *ctx);
    int (*scan_customers)(store *s, store_customer_cb cb, void *ctx);
    int (*scan_spend)(store *s, store_spend_cb cb, void *ctx);
    int (*spend_range)(store *s, int64_t *first, int64_t *last);
    int (*scan_spend_unordered)(store *s, store_spend_cb cb, void *ctx);
    int (*scan_rejects)(store *s, const char *source, store_reject_cb cb, void *ctx);
    int (*reject_reasons)(store *s, store_reason_cb cb, void *ctx);
    int (*attr_names)(store *s, store_name_cb cb, void *ctx);
} store_read_ops;

/* A backend's table of reads from its functions PREFIX_scan_responses,
 * PREFIX_scan_customers and the rest, named after the fields:
 * `const store_read_ops sq_read_ops = STORE_READ_OPS(sq);`. */
#define STORE_READ_OPS(prefix)                                                                        \
    {                                                                                                 \
        .scan_responses = prefix##_scan_responses, .scan_customers = prefix##_scan_customers,         \
        .scan_spend = prefix##_scan_spend, .spend_range = prefix##_spend_range,                       \
        .scan_spend_unordered = prefix##_scan_spend_unordered, .scan_rejects = prefix##_scan_rejects, \
        .reject_reasons = prefix##_reject_reasons, .attr_names = prefix##_attr_names,                 \
    }

/* What changed since a generation (store.h store_row_mark …); NULL in
 * store_ops: the backend cannot say. */
typedef struct store_grow_ops {
    int (*mark)(store *s, long long *mark);
    int (*appended)(store *s, const char *gen, long long mark, long long rows, long long *added,
                    long long *changed);
    int (*scan_appended)(store *s, const char *gen, long long mark, store_response_cb cb, void *ctx);
    void (*scan_ahead)(store *s, const char *gen, long long mark);                           /* may be NULL */
    void (*ahead_drop)(store *s);                                                            /* may be NULL */
    int (*scan_table)(store *s, store_response_cb cb, void *ctx);                            /* may be NULL */
    int (*first_appended)(store *s, const char *gen, long long mark, char *key, size_t cap); /* may be NULL */
    long long (*moves)(const char *from, const char *to);
    int (*net_rows)(store *s, long long *net); /* may be NULL */
} store_grow_ops;

typedef struct store_ops {
    const store_read_ops *read; /* the scans */
    const store_grow_ops *grow; /* may be NULL */
    void (*close)(store *s);
    int (*begin)(store *s);
    int (*begin_load)(store *s); /* store_begin_load; NULL: begin */
    int (*commit)(store *s);
    int (*rollback)(store *s);
    int (*upsert_response)(store *s, const cx_response *r, store_upsert_result *res);
    int (*upsert_customer)(store *s, const char *customer_id, double annual_value, const cx_attr *attrs,
                           size_t n_attrs);
    long long (*spend_clear)(store *s, const char *source);
    int (*add_spend)(store *s, const char *source, const char *customer_id, int64_t day, double amount);
    int (*add_reject)(store *s, const char *source, const char *where, const char *reason, const char *raw,
                      size_t raw_len);
    long long (*rejects_forget)(store *s, const char *source, const char *file);
    int (*log_import)(store *s, const store_import_stats *st);
    int (*checkpoint_get)(store *s, const char *source, char **out);
    int (*checkpoint_put)(store *s, const char *source, const char *checkpoint);
    int (*checkpoint_clear)(store *s, const char *source);
    int (*sync_record)(store *s, const char *source, int64_t at, long long fetched, const char *error);
    int (*get_status)(store *s, store_status *st);
    int (*lock_source)(store *s, const char *source, int wait);
    int (*unlock_source)(store *s, const char *source);
    int (*bulk_begin)(store *s);
    int (*bulk_add)(store *s, const cx_response *r);
    int (*bulk_end)(store *s, store_bulk_counts *c);
    /* The source other than SOURCE holding RESPONSE_ID into BUF: 1, 0 when
     * none, -1 on error. */
    int (*held_by)(store *s, const char *source, const char *response_id, char *buf, size_t cap);
    /* Before bulk_end: removes the staged rows whose response_id another
     * source holds, calling CB (may be NULL) for each with its 0-based
     * index; their number in *N.  0 / -1. */
    int (*bulk_set_aside)(store *s, store_held_cb cb, void *ctx, long long *n);
    /* store_spend_counts (spend_clear keeps the old rows in cx_spend_old). */
    int (*spend_counts)(store *s, const char *source, store_bulk_counts *c);
    int (*generation)(store *s, char *id, char *gen); /* STORE_GEN_MAX each */
    int (*count_nps)(store *s, const store_filter *f, const char *const *dims, size_t n_dims, store_nps_cb cb,
                     void *ctx);
    int (*score_counts)(store *s, const store_filter *f, store_score_cb cb, void *ctx);
    int (*has_customers)(store *s);
    /* store_import_seen_get/put, store_rejects_again; NULL: the backend
     * notes nothing (every import reads the whole file). */
    int (*import_seen_get)(store *s, const char *source, const char *file, const char *digest,
                           store_import_seen *v);
    int (*import_seen_put)(store *s, const char *source, const char *file, const char *digest,
                           const store_import_seen *v);
    long long (*rejects_again)(store *s, const char *source, const char *file, store_reject_cb cb, void *ctx);
    /* store_attr_names_noted/note; NULL: the backend notes nothing (the
     * names are read from the responses each time). */
    int (*attr_names_noted)(store *s, store_name_cb cb, void *ctx);
    int (*attr_names_note)(store *s, const char *const *names, size_t n);
} store_ops;

struct store {
    const store_ops *ops;
    char err[512];
    char backend[64];
    int schema;            /* store_schema: 0 for STORE_SCHEMA_VERSION */
    int allow_dup_ids;     /* store_allow_duplicate_ids */
    store_held_cb held_cb; /* store_on_held */
    void *held_ctx;
    store_response_cb sorted_cb; /* store_on_sorted */
    void *sorted_ctx;
    int sorting;            /* store_bulk_sorting: set on the thread that adds the bulk's rows */
    char held[256];         /* store_held_by */
    store_bulk_counts cust; /* store_customer_counts: new, changed, unchanged */
    /* The backend moves its generation on at commit (SQLite): store.c then
     * runs a write to responses, customers or spend made outside a
     * transaction in one of its own (a bulk: from its begin to its end). */
    int gen_at_commit;
    int in_tx, bulk_tx; /* store_begin .. commit/rollback; the bulk's own */
};

/* The statement both backends run to find, for each staged row (STAGE: the
 * staging table's name), a source other than its own that holds its
 * response_id: a loose index scan of the primary key (source,
 * response_id) lists the sources, then one key lookup per source and row,
 * so neither backend needs an index on response_id alone.  CROSS JOIN
 * keeps SQLite to that order (staged rows outside); without it SQLite
 * scanned every stored row of the other source instead. */
#define STORE_HELD_STAGE_SQL(stage)                                                                            \
    "WITH RECURSIVE src(x) AS (SELECT min(source) FROM responses UNION ALL"                                    \
    " SELECT (SELECT min(r.source) FROM responses r WHERE r.source > src.x) FROM src WHERE src.x IS NOT NULL)" \
    " SELECT k.seq, k.response_id, min(o.source) FROM " stage " k CROSS JOIN src CROSS JOIN responses o"       \
    " WHERE src.x IS NOT NULL AND src.x <> k.source AND o.source = src.x AND o.response_id = k.response_id"    \
    " GROUP BY k.seq, k.response_id ORDER BY k.seq"
/* Spend rows of a source (parameter P) against those it held before its
 * spend_clear (temp table OLD): old rows, new rows, and rows found in both
 * (as a multiset: a row twice in each counts twice).  MIN2 is the two-value
 * minimum (SQLite min, PostgreSQL least). */
#define STORE_SPEND_COUNT_SQL(old, p, min2)                                                        \
    "WITH o AS (SELECT customer_id, day, amount, count(*) AS n FROM " old                          \
    " GROUP BY customer_id, day, amount),"                                                         \
    " w AS (SELECT customer_id, day, amount, count(*) AS n FROM spend WHERE source = " p           \
    " GROUP BY customer_id, day, amount)"                                                          \
    " SELECT (SELECT count(*) FROM " old "), (SELECT count(*) FROM spend WHERE source = " p "),"   \
    " (SELECT coalesce(sum(" min2 "(o.n, w.n)), 0) FROM o JOIN w ON o.customer_id = w.customer_id" \
    " AND o.day = w.day AND o.amount = w.amount)"
/* The same for one row: parameters source, response_id (1, 2). */
#define STORE_HELD_ONE_SQL(p1, p2)                                                                             \
    "WITH RECURSIVE src(x) AS (SELECT min(source) FROM responses UNION ALL"                                    \
    " SELECT (SELECT min(r.source) FROM responses r WHERE r.source > src.x) FROM src WHERE src.x IS NOT NULL)" \
    " SELECT min(o.source) FROM src JOIN responses o ON o.source = src.x AND o.response_id = " p2              \
    " WHERE src.x IS NOT NULL AND src.x <> " p1

/* The backends' constructors (store.c picks one by the target's form). */
store *store_sqlite_open(const char *path, char *err, size_t errlen);
store *store_pg_open(const char *conninfo, const store_open_opts *o, char *err, size_t errlen);

/* `status`, the same queries on both backends.  A backend's get_status
 * calls store_status_totals with its one-row runner (ONE_ROW runs SQL and
 * reads N integers of its single row; 0 or -1 with s->err set), then runs
 * STATUS_SOURCES_SQL and hands each row to store_status_add_source (-1:
 * out of memory).  Per-source counts are aggregated before the joins: no
 * correlated subquery over responses (distributed on Citus). */
#define STATUS_SOURCES_SQL                                                                            \
    "WITH r AS (SELECT source, count(*) AS n FROM responses GROUP BY source),"                        \
    " j AS (SELECT source, count(*) AS n FROM rejects GROUP BY source),"                              \
    " names AS (SELECT source FROM r UNION SELECT source FROM sync_state UNION SELECT source FROM j)" \
    " SELECT n.source, coalesce(r.n, 0), coalesce(j.n, 0), coalesce(y.last_sync, 0),"                 \
    " coalesce(y.last_fetched, 0), y.last_error FROM names n"                                         \
    " LEFT JOIN r ON r.source = n.source LEFT JOIN j ON j.source = n.source"                          \
    " LEFT JOIN sync_state y ON y.source = n.source ORDER BY n.source"
typedef int (*store_one_row_fn)(store *s, const char *sql, long long *out, int n);
int store_status_totals(store *s, store_status *st, store_one_row_fn one_row);
/* store_has_customers, by the backend's ONE_ROW: 1, 0, or -1. */
int store_status_has_customers(store *s, store_one_row_fn one_row);
int store_status_add_source(store_status *st, const char *source, long long responses, long long rejects,
                            long long last_sync, long long last_fetched, const char *last_error);

/* The sources of a bulk upsert's rows, noted as they are added, so the
 * merge can ask whether each is new to the store without scanning the
 * staged rows.  Few: one per import.  Past STORE_SRC_MAX the set gives up
 * (n = -1) and the merge takes its general path. */
#define STORE_SRC_MAX 8
typedef struct store_srcset {
    char *name[STORE_SRC_MAX]; /* owned */
    int n;                     /* how many, -1 when more than STORE_SRC_MAX */
} store_srcset;
/* 0, or -1 when out of memory. */
int store_srcset_note(store_srcset *set, const char *source);
void store_srcset_clear(store_srcset *set);

/* "FILE:", the head of the location of FILE's rejects, in a new string
 * (the caller frees it); NULL when out of memory, said in s->err (a
 * re-import's note: store_sqlite_seen.c, store_pg_seen.c). */
char *store_file_prefix(store *s, const char *file);

/* The dimension names that are response text fields (the rest are
 * attributes): 1 when NAME is one, as cx_response_dim sees it. */
int store_dim_is_field(const char *name);

#endif
