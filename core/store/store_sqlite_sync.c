/* store_sqlite_sync.c — a SQLite store's sync state (store.h
 * store_checkpoint_get/put/clear, store_sync_record): each source's
 * checkpoint and the outcome of its last sync, in sync_state. */
#include "core/store/store_sqlite_int.h"

#include <stdlib.h>
#include <string.h>

int sq_checkpoint_get(store *base, const char *source, char **out)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st = s->q[Q_CKPT_GET];
    *out = NULL;
    sq_bind_text(st, 1, source);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const char *t = col_text(st, 0);
        size_t n = strlen(t) + 1;
        *out = malloc(n);
        if (*out) memcpy(*out, t, n);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sq_fail(s, "checkpoint");
    return 0;
}

int sq_checkpoint_put(store *base, const char *source, const char *checkpoint)
{
    sq_store *s = SQ(base);
    sq_bind_text(s->q[Q_CKPT_PUT], 1, source);
    sq_bind_text(s->q[Q_CKPT_PUT], 2, checkpoint);
    return sq_step_done(s, s->q[Q_CKPT_PUT], "checkpoint");
}

int sq_checkpoint_clear(store *base, const char *source)
{
    sq_store *s = SQ(base);
    sq_bind_text(s->q[Q_CKPT_CLEAR], 1, source);
    return sq_step_done(s, s->q[Q_CKPT_CLEAR], "checkpoint");
}

int sq_sync_record(store *base, const char *source, int64_t at, long long fetched, const char *error)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st = s->q[Q_SYNC_RECORD];
    sq_bind_text(st, 1, source);
    sqlite3_bind_int64(st, 2, at);
    sqlite3_bind_int64(st, 3, fetched);
    if (error) sq_bind_text(st, 4, error);
    else sqlite3_bind_null(st, 4);
    return sq_step_done(s, st, "sync record");
}
