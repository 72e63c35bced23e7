/* vfs_fixture.h — what the tests of the writing connection's VFS
 * (test_sqlite_vfs.c through SQLite, test_sqlite_vfs_calls.c through its
 * own calls) share: a directory of their own with the VFS registered, and
 * a file opened and closed through the VFS.
 */
#ifndef CX_VFS_FIXTURE_H
#define CX_VFS_FIXTURE_H

#include "core/store/store_sqlite_int.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

static inline void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cxvfs.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(sq_vfs_register(), 0);
}

static inline void teardown(void)
{
    static const char *const names[] = {"a.db", "b.db", "k.db", "a.db-journal", "b.db-journal"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* PATH opened through the store's VFS with FLAGS (the main database). */
static inline sqlite3_file *vfs_open(const char *path, int flags)
{
    sqlite3_vfs *vfs = sqlite3_vfs_find(SQ_VFS_NAME);
    ck_assert_ptr_nonnull(vfs);
    sqlite3_file *f = calloc(1, (size_t)vfs->szOsFile);
    ck_assert_ptr_nonnull(f);
    int out = 0;
    ck_assert_int_eq(vfs->xOpen(vfs, path, f, SQLITE_OPEN_MAIN_DB | flags, &out), SQLITE_OK);
    return f;
}

/* F's deferral ended (every page written), F closed and freed. */
static inline void vfs_close(sqlite3_file *f)
{
    int off = -1;
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFER, &off), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xClose(f), SQLITE_OK);
    free(f);
}

#endif
