/* store_sqlite_agg.c — the SQLite side of the PostgreSQL-era additions to
 * store.h: score counts grouped in SQL (NPS counts: store_sqlite_counts.c;
 * bulk upserts: store_sqlite_bulk.c), and the per-source sync lock (a POSIX record lock on "<db>-sync").
 */
#include "core/store/store_check.h"
#include "core/store/store_sqlite_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- sync locks ---- */

/* The byte of "<db>-sync" that stands for SOURCE: FNV-1a, 30 bits (two
 * sources sharing a byte only wait for each other). */
static off_t lock_offset(const char *source)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)source; *p; p++) h = (h ^ *p) * 16777619u;
    return (off_t)(h & 0x3fffffffu);
}

/* The record lock of TYPE (F_WRLCK, F_UNLCK) on SOURCE's byte. */
static struct flock source_lock(short type, const char *source)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = lock_offset(source);
    fl.l_len = 1;
    return fl;
}

static int lock_file(sq_store *s)
{
    if (s->lock_fd >= 0) return 0;
    size_t n = strlen(s->path) + sizeof "-sync";
    char *p = malloc(n);
    if (!p) {
        snprintf(s->base.err, sizeof s->base.err, "store: out of memory");
        return -1;
    }
    snprintf(p, n, "%s-sync", s->path);
    s->lock_fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (s->lock_fd < 0) snprintf(s->base.err, sizeof s->base.err, "store: %s: %s", p, strerror(errno));
    free(p);
    return s->lock_fd < 0 ? -1 : 0;
}

/* An in-memory database is private to its process: nothing to lock. */
static int no_lock_file(const sq_store *s) { return !s->path[0] || !strcmp(s->path, ":memory:"); }

int sq_lock_source(store *base, const char *source, int wait)
{
    sq_store *s = SQ(base);
    if (no_lock_file(s)) return 0;
    if (lock_file(s) != 0) return -1;
    struct flock fl = source_lock(F_WRLCK, source);
    for (;;) {
        if (fcntl(s->lock_fd, wait ? F_SETLKW : F_SETLK, &fl) == 0) return 0;
        if (errno == EINTR) continue;
        if (!wait && (errno == EAGAIN || errno == EACCES)) return 1;
        snprintf(s->base.err, sizeof s->base.err, "store: sync lock of %s: %s", source, strerror(errno));
        return -1;
    }
}

int sq_unlock_source(store *base, const char *source)
{
    sq_store *s = SQ(base);
    if (s->lock_fd < 0) return 0;
    struct flock fl = source_lock(F_UNLCK, source);
    if (fcntl(s->lock_fd, F_SETLK, &fl) == 0) return 0;
    snprintf(s->base.err, sizeof s->base.err, "store: sync unlock of %s: %s", source, strerror(errno));
    return -1;
}

void sq_locks_close(sq_store *s)
{
    if (s->lock_fd >= 0) close(s->lock_fd);
    s->lock_fd = -1;
}

/* ---- counts grouped in SQL ---- */

#define WHERE_FILTER \
    " (?1 IS NULL OR r.source = ?1) AND (?2 = 0 OR r.month >= ?2) AND (?3 = 0 OR r.month <= ?3)"

static const char score_sql[] =
    "SELECT r.month, r.score, count(*) FROM responses r WHERE r.metric = 'nps' AND" WHERE_FILTER
    " GROUP BY r.month, r.score";

static int prepare_filtered(sq_store *s, const char *sql, const store_filter *f, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) return sq_fail(s, "counts");
    if (f && f->source) sqlite3_bind_text(*st, 1, f->source, -1, SQLITE_STATIC);
    else sqlite3_bind_null(*st, 1);
    sqlite3_bind_int(*st, 2, f ? f->month_from : 0);
    sqlite3_bind_int(*st, 3, f ? f->month_to : 0);
    return 0;
}

int sq_score_counts(store *base, const store_filter *f, store_score_cb cb, void *ctx)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    if (prepare_filtered(s, score_sql, f, &st) != 0) return -1;
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) != SQLITE_INTEGER || sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
            ret =
                store_check_type("responses", NULL, NULL, "month or score", s->base.err, sizeof s->base.err);
            break;
        }
        int64_t score = sqlite3_column_int64(st, 1);
        if ((ret = store_check_group(sqlite3_column_int64(st, 0), &score, s->base.err, sizeof s->base.err)) !=
                0 ||
            (ret = cb(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int64(st, 2),
                      ctx)) != 0)
            break;
    }
    if (!ret && rc != SQLITE_DONE) ret = sq_fail(s, "counts");
    sqlite3_finalize(st);
    return ret;
}
