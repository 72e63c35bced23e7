/* store_sqlite_int.h — internals shared by the SQLite backend's files
 * (store_sqlite.c: open, writes and scans; store_sqlite_status.c: status;
 * store_sqlite_agg.c: bulk, score counts, sync locks; store_sqlite_counts.c:
 * NPS counts; store_sqlite_ro.c: opening a store read-only).
 * Not for use outside core/store_sqlite*.c.
 */
#ifndef CX_STORE_SQLITE_INT_H
#define CX_STORE_SQLITE_INT_H

#include <sqlite3.h>
#include "core/store_int.h"

enum {
    Q_GET_UPDATED, Q_UPSERT, Q_CUSTOMER, Q_SPEND_CLEAR, Q_SPEND_ADD, Q_REJECT,
    Q_IMPORT_LOG, Q_CKPT_GET, Q_CKPT_PUT, Q_CKPT_CLEAR, Q_SYNC_RECORD, Q_COUNT
};

typedef struct sq_store {
    store base;               /* first: a store * is a sq_store * */
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    char *path;               /* the database file, for the sync lock file */
    int lock_fd;              /* "<path>-sync", -1 until a source is locked */
    store_bulk_counts bulk;   /* counts of the running bulk upsert */
} sq_store;

static inline sq_store *SQ(store *s) { return (sq_store *)s; }

static inline const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* store_sqlite_status.c */
int sq_get_status(store *s, store_status *st);
int sq_reject_reasons(store *s, store_reason_cb cb, void *ctx);

/* store_sqlite_agg.c */
int sq_lock_source(store *s, const char *source, int wait);
int sq_unlock_source(store *s, const char *source);
void sq_locks_close(sq_store *s);
int sq_bulk_begin(store *s);
int sq_bulk_add(store *s, const cx_response *r);
int sq_bulk_end(store *s, store_bulk_counts *c);
int sq_score_counts(store *s, const store_filter *f, store_score_cb cb, void *ctx);

/* store_sqlite_ro.c */
int sq_read_only_target(const char *path);
int sq_open_read_only(sq_store *s, const char *path);

/* store_sqlite_counts.c */
int sq_nps_counts(store *s, const store_filter *f, const char *const *dims, size_t n_dims,
                  store_nps_cb cb, void *ctx);

#endif
