/* store_sqlite_seen.c — a responses file imported again unchanged, on
 * SQLite (store.h store_import_seen_*, docs/performance.md "Re-import").
 *
 * The table cx_import_seen (made by the first import that notes a file)
 * holds, per (source, file), the digest the import was given, the
 * generation its transaction committed as, whether duplicate ids were
 * allowed, and what importing the same file again would report.  That
 * answer holds while the generation has not moved (no response has
 * changed since: this program's transactions bump it at their commit when
 * they changed one, another program's writes through the triggers,
 * store_sqlite_gen.c) and the file's rejects are as many as noted (only
 * an import of that file under that source writes them; each one drops
 * the note or writes a new one).  The note takes the present generation,
 * plus one when this transaction has changed a response (its commit
 * bumps it); a connection with its triggers on is never noted.  FILE is
 * the import's key for the file, which its rejects' "FILE:LINE" hold
 * (ingest/import_int.h: a regular file's canonical path, "customers:" or
 * "spend:" before the other kinds'), so that no other file's rejects,
 * nor another kind's of the same file, are counted, replayed or dropped
 * as its own.
 */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char table_sql[] =
    "CREATE TABLE IF NOT EXISTS cx_import_seen (source TEXT NOT NULL, file TEXT NOT NULL,"
    " digest TEXT NOT NULL, generation INTEGER NOT NULL, allow_dup INTEGER NOT NULL,"
    " rows INTEGER NOT NULL, unchanged INTEGER NOT NULL, ignored INTEGER NOT NULL,"
    " rejected INTEGER NOT NULL, held INTEGER NOT NULL, held_by TEXT NOT NULL,"
    " PRIMARY KEY (source, file))";

/* SOURCE's rejects of FILE (?1 source, ?2 "FILE:"), as Q_REJECTS_FORGET
 * finds them. */
#define REJECTS_OF                                                                            \
    " source = ?1 AND substr(location, 1, length(?2)) = ?2 AND length(location) > length(?2)" \
    " AND substr(location, length(?2) + 1) NOT GLOB '*[^0-9]*'"

static const char get_sql[] =
    "SELECT rows, unchanged, ignored, rejected, held, held_by FROM cx_import_seen"
    " WHERE source = ?1 AND file = ?3 AND (?4 IS NULL OR digest = ?4) AND allow_dup = ?5"
    " AND generation = (SELECT n FROM cx_generation WHERE one = 1)"
    " AND rejected = (SELECT count(*) FROM rejects WHERE" REJECTS_OF ")";

static const char put_sql[] =
    "INSERT OR REPLACE INTO cx_import_seen (source, file, digest, generation, allow_dup, rows,"
    " unchanged, ignored, rejected, held, held_by)"
    " SELECT ?1, ?2, ?3, n + ?11, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM cx_generation WHERE one = 1";
static const char drop_note_sql[] = "DELETE FROM cx_import_seen WHERE source = ?1 AND file = ?2";

static const char rejects_sql[] =
    "SELECT id, location, reason, CAST(raw AS BLOB) FROM rejects WHERE" REJECTS_OF " ORDER BY id";
static const char copy_sql[] =
    "INSERT INTO rejects (source, at, location, reason, raw) SELECT source, ?3, location, reason, raw"
    " FROM rejects WHERE" REJECTS_OF " AND id <= ?4 ORDER BY id";
static const char drop_sql[] = "DELETE FROM rejects WHERE" REJECTS_OF " AND id <= ?4";

/* Whether cx_import_seen exists: 1, 0, -1. */
int sq_import_seen_get(store *base, const char *source, const char *file, const char *digest,
                       store_import_seen *v)
{
    sq_store *s = SQ(base);
    memset(v, 0, sizeof *v);
    if (!s->base.gen_at_commit) return 0;
    int have = sq_have_table(s, "cx_import_seen", "import again");
    if (have <= 0) return have;
    char *prefix = store_file_prefix(base, file);
    if (!prefix) return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, get_sql, -1, &st, NULL) != SQLITE_OK) {
        free(prefix);
        return sq_fail(s, "import again");
    }
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, digest, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, s->base.allow_dup_ids != 0);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW) {
        v->rows = sqlite3_column_int64(st, 0);
        v->unchanged = sqlite3_column_int64(st, 1);
        v->ignored = sqlite3_column_int64(st, 2);
        v->rejected = sqlite3_column_int64(st, 3);
        v->held = sqlite3_column_int64(st, 4);
        snprintf(v->held_by, sizeof v->held_by, "%s", col_text(st, 5));
        s->bulk_unique = 1; /* the note holds: sq_import_seen_put may carry it on */
        ret = 1;
    } else if (rc != SQLITE_DONE) {
        ret = sq_fail(s, "import again");
    }
    sqlite3_finalize(st);
    free(prefix);
    return ret;
}

int sq_import_seen_put(store *base, const char *source, const char *file, const char *digest,
                       const store_import_seen *v)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    if (!s->base.gen_at_commit || !s->bulk_unique || !digest) { /* nothing to note: drop any note */
        int have = sq_have_table(s, "cx_import_seen", "import again");
        if (have <= 0) return have;
        if (sqlite3_prepare_v2(s->db, drop_note_sql, -1, &st, NULL) != SQLITE_OK)
            return sq_fail(s, "import again");
        sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        return rc == SQLITE_DONE ? 0 : sq_fail(s, "import again");
    }
    if (sqlite3_exec(s->db, table_sql, NULL, NULL, NULL) != SQLITE_OK) return sq_fail(s, "import again");
    if (sqlite3_prepare_v2(s->db, put_sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "import again");
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, digest, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, s->base.allow_dup_ids != 0);
    sqlite3_bind_int64(st, 5, v->rows);
    sqlite3_bind_int64(st, 6, v->unchanged);
    sqlite3_bind_int64(st, 7, v->ignored);
    sqlite3_bind_int64(st, 8, v->rejected);
    sqlite3_bind_int64(st, 9, v->held);
    sqlite3_bind_text(st, 10, v->held_by, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, (s->gen_dirty & SQ_GEN_CHANGED) != 0); /* sq_gen_bump at the commit */
    int rc = sqlite3_step(st);
    int ret = rc == SQLITE_DONE && sqlite3_changes(s->db) == 1 ? 0 : sq_fail(s, "import again");
    sqlite3_finalize(st);
    return ret;
}

/* Binds ?1 source, ?2 prefix, ?3 now, ?4 last id to ST (those it has). */
static void bind_rejects(sqlite3_stmt *st, const char *source, const char *prefix, long long last)
{
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 3) sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    if (sqlite3_bind_parameter_count(st) >= 4) sqlite3_bind_int64(st, 4, last);
}

long long sq_rejects_again(store *base, const char *source, const char *file, store_reject_cb cb, void *ctx)
{
    sq_store *s = SQ(base);
    char *prefix = store_file_prefix(base, file);
    if (!prefix) return -1;
    sqlite3_stmt *st = NULL;
    long long n = 0, last = 0;
    int rc = SQLITE_OK, stop = 0;
    if (sqlite3_prepare_v2(s->db, rejects_sql, -1, &st, NULL) != SQLITE_OK) goto fail;
    bind_rejects(st, source, prefix, 0);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        last = sqlite3_column_int64(st, 0);
        n++;
        if (cb && !stop)
            stop = cb(source, col_text(st, 1), col_text(st, 2), col_text(st, 3),
                      (size_t)sqlite3_column_bytes(st, 3), ctx);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_DONE) goto fail;
    if (stop) {
        snprintf(s->base.err, sizeof s->base.err, "store: import again: stopped by its caller");
        free(prefix);
        return -1;
    }
    /* Written again as new ones, as forgetting them and adding them back
     * would: after every other reject, with the time of this import. */
    const char *const sql[] = {copy_sql, drop_sql};
    for (int i = 0; n > 0 && i < 2; i++) {
        if (sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) != SQLITE_OK) goto fail;
        bind_rejects(st, source, prefix, last);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        st = NULL;
        if (rc != SQLITE_DONE) goto fail;
    }
    free(prefix);
    return n;
fail:
    sqlite3_finalize(st);
    free(prefix);
    return sq_fail(s, "import again");
}
