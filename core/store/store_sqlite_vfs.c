/* store_sqlite_vfs.c — "cxpulse", the VFS of the store's writing
 * connection: SQLite's default (unix) VFS, every call passed through, and
 * one addition: while a first load runs, the store file's pages go to a
 * thread of their own that writes them with O_DIRECT.
 *
 * A first load (store_sqlite_tx.c sq_begin_load) writes every page of a
 * new store once, 1.4 GB at 10M rows.  Through the page cache, the
 * kernel's copy of them into new page-cache pages was a quarter of the
 * SQLite thread's time, the import's bound, and on a virtual machine whose
 * host hands memory back lazily up to 4.5 s of system time a GB
 * (docs/performance.md, "Tenth round").  With deferral on
 * (SQ_FCNTL_DEFER), xWrite copies the page into one of N_SLOTS aligned
 * slots and returns; the thread takes half the slots at a time, sorts
 * them by offset (of two writes of one page the later wins) and writes
 * each run of adjacent pages with one pwritev through the descriptor it
 * was given (store_sqlite_flush.c), O_DIRECT: no page-cache pages, no
 * copy.  Every other call that could see the file (xSync, xTruncate,
 * xFileSize, xUnlock, xFetch, xClose) first waits until every page given
 * is in the file, so SQLite sees the file it would see without the
 * thread; xRead of a page gets the latest bytes given for it, from its
 * slot when it waits or is being written, else from the file (which then
 * holds its last write), and waits only when it is not within one page.
 * Only whole pages of one size, 4 KiB-aligned, wait; any
 * other write goes straight through after them.  A file system that
 * refuses O_DIRECT gets no deferral; one that takes the flag but refuses
 * the first write (EINVAL) gets the pages through the root VFS's xWrite
 * from then on, on the thread.
 *
 * Why that keeps a store whole: in rollback mode SQLite syncs the journal
 * before it writes a store page and syncs the store before it deletes the
 * journal; xSync waits for the pages, so that order holds (and the fsync
 * covers what O_DIRECT wrote).  A process killed with pages still waiting
 * has written less than it believed, which is what a crash before the
 * write would have left: the hot journal undoes the transaction at the
 * next opening (tests/e2e/fault_kill.sh).  A write that fails on the
 * thread fails every later call that waits, and every write, until
 * deferral ends: the commit fails, and the journal undoes it.
 *
 * Deferral is for the rollback journal only: in WAL mode a reader may read
 * a frame as soon as the WAL index names it, so only a first load turns it
 * on (store_sqlite_tx.c).  After the load the store's pages are not in the
 * page cache: the next reader of the store file (not of the analysis
 * cache, which stays there) reads them from the disk.  Owner of the VFS
 * and of the thread; used by store_sqlite.c (open) and store_sqlite_tx.c.
 * The slots and the thread: store_sqlite_defer.c.  Tests:
 * tests/unit/test_sqlite_vfs.c (through SQLite), test_sqlite_vfs_calls.c
 * (its own calls). */
#include "core/store/store_sqlite_int.h"

typedef struct cxfile {
    sqlite3_file base;
    sqlite3_file *real; /* the root VFS's file, right after this struct */
    sq_defer_q *d;      /* NULL: writes go straight through */
    long long pages;    /* pages the thread wrote, deferrals before this one's */
} cxfile;

#define REAL(f) (((cxfile *)(f))->real)

static int drain(cxfile *f) { return f->d ? sqd_drain(f->d) : SQLITE_OK; }

/* Ends deferral on F: what waits written, the thread stopped, the
 * descriptor's flags as they were (it stays open: store_sqlite_flush.c).
 * The first failed write's code, or SQLITE_OK. */
static int cx_end(cxfile *f)
{
    if (!f->d) return SQLITE_OK;
    int rc = sqd_end(f->d, &f->pages);
    f->d = NULL;
    return rc;
}

static int cx_write(sqlite3_file *file, const void *p, int n, sqlite3_int64 off)
{
    cxfile *f = (cxfile *)file;
    int rc = f->d ? sqd_write(f->d, p, n, off) : SQLITE_NOTFOUND;
    if (rc != SQLITE_NOTFOUND) return rc;
    if ((rc = drain(f)) != SQLITE_OK) return rc; /* straight through, after what waits */
    if (f->d) sqd_forget(f->d, off, n);
    return f->real->pMethods->xWrite(f->real, p, n, off);
}

static int cx_close(sqlite3_file *file)
{
    cxfile *f = (cxfile *)file;
    int rc = cx_end(f);
    int rc2 = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    return rc != SQLITE_OK ? rc : rc2;
}

/* The calls that may see the file: what waits written first.  A failed
 * write stays failed: every such call (and every write) returns its code
 * until deferral is turned off, so that SQLite cannot miss it in a call
 * whose result it does not look at (it then rolls back, at the latest
 * from the hot journal at the next opening). */
#define DRAINED(call)                     \
    do {                                  \
        int rc_ = drain((cxfile *)file);  \
        if (rc_ != SQLITE_OK) return rc_; \
        return call;                      \
    } while (0)

/* A read of a page waiting or being written is given its bytes; of any
 * other page, from the file at once: the pages still waiting are not
 * drained for it.  A first load in key order reads back a few interior
 * pages SQLite's cache let go (521 at 10M rows, 0.75 s of waits on the
 * SQLite thread when each waited for every page). */
static int cx_read(sqlite3_file *file, void *p, int n, sqlite3_int64 off)
{
    cxfile *f = (cxfile *)file;
    int rc = f->d ? sqd_read(f->d, p, n, off) : SQLITE_NOTFOUND;
    if (rc == SQLITE_OK) return SQLITE_OK;
    if (rc == SQLITE_DONE) {
        rc = f->real->pMethods->xRead(f->real, p, n, off);
        sqd_read_end(f->d);
        return rc;
    }
    if (rc != SQLITE_NOTFOUND) return rc;
    DRAINED(REAL(file)->pMethods->xRead(REAL(file), p, n, off));
}
static int cx_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    cxfile *f = (cxfile *)file;
    if (f->d) sqd_forget(f->d, size, -1);
    DRAINED(REAL(file)->pMethods->xTruncate(REAL(file), size));
}
static int cx_sync(sqlite3_file *file, int flags) { DRAINED(REAL(file)->pMethods->xSync(REAL(file), flags)); }
static int cx_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    DRAINED(REAL(file)->pMethods->xFileSize(REAL(file), size));
}
static int cx_lock(sqlite3_file *file, int lock) { return REAL(file)->pMethods->xLock(REAL(file), lock); }
static int cx_unlock(sqlite3_file *file, int lock)
{
    DRAINED(REAL(file)->pMethods->xUnlock(REAL(file), lock));
}
static int cx_check_reserved(sqlite3_file *file, int *out)
{
    return REAL(file)->pMethods->xCheckReservedLock(REAL(file), out);
}
static int cx_file_control(sqlite3_file *file, int op, void *arg)
{
    cxfile *f = (cxfile *)file;
    if (op == SQ_FCNTL_DEFER) {
        int fd = *(int *)arg;
        if (fd < 0) return cx_end(f);
        if (!f->d) f->d = sqd_begin(f->real, fd); /* NULL: O_DIRECT refused, writes straight */
        return SQLITE_OK;
    }
    if (op == SQ_FCNTL_DEFERRED) {
        *(long long *)arg = f->pages + (f->d ? sqd_pages(f->d) : 0);
        return SQLITE_OK;
    }
    if (op == SQ_FCNTL_KEPT_READS) {
        *(long long *)arg = f->d ? sqd_kept_reads(f->d) : 0;
        return SQLITE_OK;
    }
    /* no wait: SQLite ignores what some of them return (hints); none
     * reads the store's pages (this program sets no mmap_size, so no
     * hint maps the file) */
    return f->real->pMethods->xFileControl(f->real, op, arg);
}
static int cx_sector_size(sqlite3_file *file) { return REAL(file)->pMethods->xSectorSize(REAL(file)); }
static int cx_device(sqlite3_file *file) { return REAL(file)->pMethods->xDeviceCharacteristics(REAL(file)); }
static int cx_shm_map(sqlite3_file *file, int pg, int pgsz, int extend, void volatile **pp)
{
    return REAL(file)->pMethods->xShmMap(REAL(file), pg, pgsz, extend, pp);
}
static int cx_shm_lock(sqlite3_file *file, int off, int n, int flags)
{
    return REAL(file)->pMethods->xShmLock(REAL(file), off, n, flags);
}
static void cx_shm_barrier(sqlite3_file *file) { REAL(file)->pMethods->xShmBarrier(REAL(file)); }
static int cx_shm_unmap(sqlite3_file *file, int del)
{
    return REAL(file)->pMethods->xShmUnmap(REAL(file), del);
}
static int cx_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **pp)
{
    DRAINED(REAL(file)->pMethods->xFetch(REAL(file), off, n, pp));
}
static int cx_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    return REAL(file)->pMethods->xUnfetch(REAL(file), off, p);
}

#define METHODS(v)                                                                                  \
    {                                                                                               \
        v, cx_close, cx_read, cx_write, cx_truncate, cx_sync, cx_file_size, cx_lock, cx_unlock,     \
            cx_check_reserved, cx_file_control, cx_sector_size, cx_device, cx_shm_map, cx_shm_lock, \
            cx_shm_barrier, cx_shm_unmap, cx_fetch, cx_unfetch                                      \
    }
/* the root file's version: SQLite asks for WAL and mmap by it */
static const sqlite3_io_methods methods[3] = {METHODS(1), METHODS(2), METHODS(3)};

static int cx_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out)
{
    sqlite3_vfs *root = vfs->pAppData;
    cxfile *f = (cxfile *)file;
    f->real = (sqlite3_file *)(f + 1);
    f->d = NULL;
    f->pages = 0;
    int rc = root->xOpen(root, name, f->real, flags, out);
    const sqlite3_io_methods *m = f->real->pMethods;
    int v = m ? m->iVersion : 0;
    file->pMethods = m ? &methods[(v < 1 ? 1 : v > 3 ? 3 : v) - 1] : NULL;
    return rc;
}

#define ROOT ((sqlite3_vfs *)vfs->pAppData)
static int cx_delete(sqlite3_vfs *vfs, const char *name, int sync) { return ROOT->xDelete(ROOT, name, sync); }
static int cx_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    return ROOT->xAccess(ROOT, name, flags, out);
}
static int cx_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    return ROOT->xFullPathname(ROOT, name, n, out);
}
static void *cx_dlopen(sqlite3_vfs *vfs, const char *name) { return ROOT->xDlOpen(ROOT, name); }
static void cx_dlerror(sqlite3_vfs *vfs, int n, char *out) { ROOT->xDlError(ROOT, n, out); }
static void (*cx_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    return ROOT->xDlSym(ROOT, h, sym);
}
static void cx_dlclose(sqlite3_vfs *vfs, void *h) { ROOT->xDlClose(ROOT, h); }
static int cx_randomness(sqlite3_vfs *vfs, int n, char *out) { return ROOT->xRandomness(ROOT, n, out); }
static int cx_sleep(sqlite3_vfs *vfs, int us) { return ROOT->xSleep(ROOT, us); }
static int cx_current_time(sqlite3_vfs *vfs, double *t) { return ROOT->xCurrentTime(ROOT, t); }
static int cx_last_error(sqlite3_vfs *vfs, int n, char *out) { return ROOT->xGetLastError(ROOT, n, out); }
static int cx_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *t) { return ROOT->xCurrentTimeInt64(ROOT, t); }

static sqlite3_vfs cx_vfs;

/* Registers the VFS SQ_VFS_NAME (once; not the default).  0, or -1. */
int sq_vfs_register(void)
{
    sqlite3_vfs *root = sqlite3_vfs_find(NULL);
    if (!root || root->iVersion < 2) return -1;
    cx_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(cxfile) + root->szOsFile,
        .mxPathname = root->mxPathname,
        .zName = SQ_VFS_NAME,
        .pAppData = root,
        .xOpen = cx_open,
        .xDelete = cx_delete,
        .xAccess = cx_access,
        .xFullPathname = cx_full_pathname,
        .xDlOpen = cx_dlopen,
        .xDlError = cx_dlerror,
        .xDlSym = cx_dlsym,
        .xDlClose = cx_dlclose,
        .xRandomness = cx_randomness,
        .xSleep = cx_sleep,
        .xCurrentTime = cx_current_time,
        .xGetLastError = cx_last_error,
        .xCurrentTimeInt64 = cx_current_time64,
    };
    return sqlite3_vfs_register(&cx_vfs, 0) == SQLITE_OK ? 0 : -1;
}

void sq_defer(sq_store *s, int on)
{
    int fd = on ? sq_flush_fd(s) : -1;
    if (s->vfs && (fd >= 0 || !on)) (void)sqlite3_file_control(s->db, "main", SQ_FCNTL_DEFER, &fd);
}
