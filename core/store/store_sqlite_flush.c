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
 */
#define _GNU_SOURCE
#include "core/store/store_sqlite_int.h"

#include <fcntl.h>
#include <unistd.h>

int sq_flush_open(const char *path)
{
#ifdef SYNC_FILE_RANGE_WRITE
    return open(path, O_RDONLY | O_CLOEXEC);
#else
    (void)path;
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
