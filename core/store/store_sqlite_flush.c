/* store_sqlite_flush.c — the writeback of a first load started while it
 * runs (store_sqlite_bulk.c).
 *
 * A load into a store with no response yet goes through a rollback
 * journal with synchronous FULL (store_sqlite_tx.c): every new page is
 * written once into the store file, and the COMMIT's fsync then writes
 * all of them back to the disk at once, the import waiting (10M rows:
 * 1.5 GB, about a second at the end with one core busy).  Asking the
 * kernel every few batches to start writing the file's dirty pages back
 * (sync_file_range, SYNC_FILE_RANGE_WRITE: it returns without waiting)
 * lets that I/O overlap the load, as PostgreSQL's *_flush_after settings
 * do for its own files; the fsync at the commit then finds little left.
 * Durability does not change: the commit still syncs.  Elsewhere than
 * Linux this does nothing.
 *
 * The same descriptor, opened for reading and writing, is the one through
 * which the store's VFS writes a first load's pages with O_DIRECT
 * (store_sqlite_vfs.c, sq_defer): they then never are dirty pages of the
 * page cache, and the writeback asked for here finds only what SQLite
 * wrote itself (the pages written before the load, a write of another
 * size); where O_DIRECT is refused it finds every page, as before.
 *
 * The descriptor is this file's own, opened once more on the store file,
 * and it is closed only after sqlite3_close: closing any descriptor of a
 * file drops every POSIX lock the process holds on it, SQLite's included
 * (SQLite defers its own closes for that reason).  Closed at the end of
 * each bulk, it let another process write into a first load still under
 * way (tests/e2e/fault_first_load.sh: "disk I/O error").  When
 * sqlite3_close fails, the connection may still hold locks: the
 * descriptor is left open.
 */
#define _GNU_SOURCE
#include "core/store/store_sqlite_int.h"

#include <fcntl.h>
#include <unistd.h>

int sq_flush_fd(sq_store *s)
{
#ifdef SYNC_FILE_RANGE_WRITE
    if (s->flush_fd < 0) s->flush_fd = open(s->path, O_RDWR | O_CLOEXEC);
    return s->flush_fd;
#else
    (void)s;
    return -1;
#endif
}

void sq_flush_start(int fd)
{
#ifdef SYNC_FILE_RANGE_WRITE
    if (fd >= 0) (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
#endif
}

void sq_flush_close(sq_store *s, int db_closed)
{
    if (s->flush_fd >= 0 && db_closed) close(s->flush_fd);
    s->flush_fd = -1;
}
