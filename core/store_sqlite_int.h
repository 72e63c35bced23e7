/* store_sqlite_int.h — internals shared by the SQLite backend's files
 * (store_sqlite.c: writes and scans; store_sqlite_status.c: status).
 * Not for use outside core/store_sqlite*.c.
 */
#ifndef CX_STORE_SQLITE_INT_H
#define CX_STORE_SQLITE_INT_H

#include <sqlite3.h>

enum {
    Q_GET_UPDATED, Q_UPSERT, Q_CUSTOMER, Q_SPEND_CLEAR, Q_SPEND_ADD, Q_REJECT,
    Q_IMPORT_LOG, Q_CKPT_GET, Q_CKPT_PUT, Q_CKPT_CLEAR, Q_SYNC_RECORD, Q_COUNT
};

struct store {
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    char err[512];
    char backend[64];
};

static inline const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

#endif
