/* store_sqlite_ro.c — opening a SQLite store this process may not write: a
 * read-only file, a read-only directory (WAL keeps its -wal and -shm files
 * beside the database), read-only media.  Such a store is opened read-only,
 * so status, stats, report and export still work, and every write fails
 * with SQLite's "attempt to write a readonly database".
 *
 * First with mode=ro, which still takes SQLite's locks and sees a writer's
 * WAL; when the WAL's shared-memory file cannot be created, as immutable
 * (no locks, no WAL): nobody can be writing a store whose directory is
 * closed to writes, except through a -wal file that already exists, in
 * which case mode=ro works.
 */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 1 when PATH exists and this process may not write it or its directory. */
int sq_read_only_target(const char *path)
{
    if (!path[0] || !strcmp(path, ":memory:") || access(path, F_OK) != 0) return 0;
    if (access(path, W_OK) != 0) return 1;
    const char *slash = strrchr(path, '/');
    if (!slash) return access(".", W_OK) != 0;
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (!dir) return 0;
    memcpy(dir, path, n);
    dir[n] = '\0';
    int ro = access(dir, W_OK) != 0;
    free(dir);
    return ro;
}

/* "file:" URI of PATH with QUERY: every byte but unreserved ones and '/'
 * percent-encoded, so '?', '#' and '%' in a file name stay part of it. */
static char *file_uri(const char *path, const char *query)
{
    size_t n = strlen(path), cap = 6 + 3 * n + strlen(query) + 1, k = 0;
    char *u = malloc(cap);
    if (!u) return NULL;
    k += (size_t)snprintf(u, cap, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            u[k++] = (char)*p;
        else k += (size_t)snprintf(u + k, cap - k, "%%%02X", *p);
    }
    snprintf(u + k, cap - k, "%s", query);
    return u;
}

/* Opens PATH read-only with QUERY and reads its schema version into *V:
 * 0 ok, -1 failed (s->db closed and NULL, SQLite's reason in s->err). */
static int try_open(sq_store *s, const char *path, const char *query, int *v)
{
    char *uri = file_uri(path, query);
    if (!uri) return -1;
    int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    free(uri);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : SQLITE_ERROR;
    if (rc == SQLITE_OK) *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_OK) return 0;
    snprintf(s->base.err, sizeof s->base.err, "store: read-only and cannot be read: %s",
             s->db ? sqlite3_errmsg(s->db) : "out of memory");
    sqlite3_close(s->db);
    s->db = NULL;
    return -1;
}

/* The oldest schema this program reads as it is: 7 only dropped the month
 * index, which no query of it uses, 8 changed nothing in SQLite, 9 added
 * the generation's salt (read without one before, store_sqlite_gen.c) and
 * 10 the import log's unchanged count (summed without it before,
 * store_status.c), so a store of schema 6 to 9 it may not migrate (not
 * write) is read as it stands. */
#define SQ_READS_FROM 6

int sq_open_read_only(sq_store *s, const char *path)
{
    int v = 0;
    if (try_open(s, path, "?mode=ro", &v) != 0 && try_open(s, path, "?immutable=1", &v) != 0) return -1;
    if (v < SQ_READS_FROM || v > STORE_SCHEMA_VERSION) {
        snprintf(s->base.err, sizeof s->base.err,
                 "store: read-only, at schema version %d; this cxpulse needs %d (open it once "
                 "with write access to migrate it)",
                 v, STORE_SCHEMA_VERSION);
        return -1;
    }
    sqlite3_busy_timeout(s->db, 10000);
    s->base.schema = v;
    size_t n = strlen(s->base.backend);
    snprintf(s->base.backend + n, sizeof s->base.backend - n, ", read-only");
    return 0;
}
