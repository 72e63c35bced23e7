/* test_sqlite_vfs_calls.c — the writing connection's VFS (core/store/
 * store_sqlite_vfs.c, store_sqlite_defer.c) through its own calls, with a
 * first load's writes deferred to its thread: the last write of a page
 * wins though the thread sorts what waits by offset; reads in the middle
 * see every page written before, and wait for none but across pages;
 * interior B-tree pages are read from memory as last given.  Through
 * SQLite: test_sqlite_vfs.c.
 */
#define _GNU_SOURCE
#include "pagecache_fixture.h"
#include "run_suite.h"
#include "vfs_fixture.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The VFS's own calls: pages written three times each in a shuffled
 * order (the last write of a page must win though the thread sorts what
 * waits by offset), a read in the middle, a write of another size (it goes
 * straight through after what waits). */
START_TEST(writes_land_in_order)
{
    char path[128];
    snprintf(path, sizeof path, "%s/a.db", dir);
    sqlite3_file *f = vfs_open(path, SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE);
    int fd = open(path, O_RDWR);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFER, &fd), SQLITE_OK);
    enum { PAGE = 16384, PAGES = 100 };
    static char buf[PAGE];
    unsigned x = 7;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < PAGES; i++) {
            x = x * 1103515245u + 12345u;
            int p = (int)((x >> 8) % PAGES);      /* some pages twice a round, some not at all */
            if (round == 2) p = (i * 37) % PAGES; /* every page in the last round */
            memset(buf, (unsigned char)(p * 3 + round), PAGE);
            ck_assert_int_eq(f->pMethods->xWrite(f, buf, PAGE, (sqlite3_int64)p * PAGE), SQLITE_OK);
            if (round == 1 && i == 50) { /* a read sees the last write */
                ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)p * PAGE), SQLITE_OK);
                ck_assert_int_eq((unsigned char)buf[PAGE - 1], (unsigned char)(p * 3 + 1));
                /* the size waits for every page given: the pages given
                 * again after it are written again by the thread */
                sqlite3_int64 size = 0;
                ck_assert_int_eq(f->pMethods->xFileSize(f, &size), SQLITE_OK);
                ck_assert_int_ge(size, (sqlite3_int64)PAGE);
            }
        }
    }
    memset(buf, 0xee, 512);
    ck_assert_int_eq(f->pMethods->xWrite(f, buf, 512, (sqlite3_int64)PAGES * PAGE), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xSync(f, SQLITE_SYNC_NORMAL), SQLITE_OK);
    long long pages = -1;
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFERRED, &pages), SQLITE_OK);
    if (direct_here(path)) ck_assert_int_gt(pages, PAGES);
    vfs_close(f);
    close(fd);
    FILE *in = fopen(path, "rb");
    ck_assert_ptr_nonnull(in);
    for (int p = 0; p < PAGES; p++) {
        ck_assert_int_eq(fread(buf, 1, PAGE, in), PAGE);
        ck_assert_msg((unsigned char)buf[0] == (unsigned char)(p * 3 + 2) &&
                          (unsigned char)buf[PAGE - 1] == (unsigned char)(p * 3 + 2),
                      "page %d holds %d, not its last write", p, (unsigned char)buf[0]);
    }
    ck_assert_int_eq(fread(buf, 1, PAGE, in), 512);
    ck_assert_int_eq((unsigned char)buf[511], 0xee);
    fclose(in);
}
END_TEST

/* Reads while pages wait: a page given and still waiting reads its
 * bytes, whole or in part; a page not given reads the file's without
 * waiting for the pages given (none written: the thread takes them half
 * the slots at a time); a read across two pages waits for them and sees
 * both.  Fails when every read drains what waits. */
START_TEST(reads_do_not_drain)
{
    char path[128];
    snprintf(path, sizeof path, "%s/a.db", dir);
    enum { PAGE = 16384, OLD = 200, GIVEN = 150 };
    static char buf[2 * PAGE];
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    for (int p = 0; p < OLD; p++) {
        memset(buf, (unsigned char)(p * 5), PAGE);
        ck_assert_int_eq(pwrite(fd, buf, PAGE, (off_t)p * PAGE), PAGE);
    }
    sqlite3_file *f = vfs_open(path, SQLITE_OPEN_READWRITE);
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFER, &fd), SQLITE_OK);
    for (int p = 0; p < GIVEN; p++) {
        memset(buf, (unsigned char)(p * 5 + 1), PAGE);
        ck_assert_int_eq(f->pMethods->xWrite(f, buf, PAGE, (sqlite3_int64)p * PAGE), SQLITE_OK);
    }
    int direct = direct_here(path);
    long long pages = -1;
    /* a page not given: the file's bytes, nothing drained */
    ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)175 * PAGE), SQLITE_OK);
    ck_assert_int_eq((unsigned char)buf[0], (unsigned char)(175 * 5));
    ck_assert_int_eq((unsigned char)buf[PAGE - 1], (unsigned char)(175 * 5));
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFERRED, &pages), SQLITE_OK);
    if (direct) ck_assert_int_eq(pages, 0);
    /* pages given: their bytes, whole and in part */
    ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)10 * PAGE), SQLITE_OK);
    ck_assert_int_eq((unsigned char)buf[PAGE - 1], (unsigned char)(10 * 5 + 1));
    memset(buf, 0, 100);
    ck_assert_int_eq(f->pMethods->xRead(f, buf, 100, (sqlite3_int64)20 * PAGE + 300), SQLITE_OK);
    ck_assert_int_eq((unsigned char)buf[0], (unsigned char)(20 * 5 + 1));
    ck_assert_int_eq((unsigned char)buf[99], (unsigned char)(20 * 5 + 1));
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFERRED, &pages), SQLITE_OK);
    if (direct) ck_assert_int_eq(pages, 0);
    /* across two pages: after what waits, both as last given */
    ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)30 * PAGE + PAGE / 2), SQLITE_OK);
    ck_assert_int_eq((unsigned char)buf[0], (unsigned char)(30 * 5 + 1));
    ck_assert_int_eq((unsigned char)buf[PAGE - 1], (unsigned char)(31 * 5 + 1));
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFERRED, &pages), SQLITE_OK);
    if (direct) ck_assert_int_eq(pages, GIVEN);
    vfs_close(f);
    close(fd);
}
END_TEST

/* Interior B-tree pages (first byte 2 or 5) are kept in memory as last
 * given and read from there once written: the file changed behind the
 * VFS's back does not show through for them, and shows for any other
 * page; a later write of a kept page is what is read; a leaf written over
 * one, a write straight through (not a whole page) and a truncation make
 * it forgotten, so the file's bytes are read again. */
START_TEST(interior_pages_kept)
{
    char path[128];
    snprintf(path, sizeof path, "%s/k.db", dir);
    enum { PAGE = 16384, N = 8 };
    static char buf[PAGE];
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    sqlite3_file *f = vfs_open(path, SQLITE_OPEN_READWRITE);
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFER, &fd), SQLITE_OK);
    /* pages 1..N-1: odd ones interior (5, 2 by turns), even ones leaves (13) */
    for (int p = 1; p < N; p++) {
        memset(buf, 0x40 + p, PAGE);
        buf[0] = (char)(p % 2 ? (p % 4 == 1 ? 5 : 2) : 13);
        ck_assert_int_eq(f->pMethods->xWrite(f, buf, PAGE, (sqlite3_int64)p * PAGE), SQLITE_OK);
    }
    /* page 3 given again: the later bytes are the kept ones */
    memset(buf, 0x7a, PAGE);
    buf[0] = 2;
    ck_assert_int_eq(f->pMethods->xWrite(f, buf, PAGE, (sqlite3_int64)3 * PAGE), SQLITE_OK);
    /* everything written, then the file overwritten behind the VFS */
    ck_assert_int_eq(f->pMethods->xSync(f, 0), SQLITE_OK);
    int raw = open(path, O_RDWR);
    ck_assert_int_ge(raw, 0);
    memset(buf, 0x11, PAGE);
    for (int p = 1; p < N; p++) ck_assert_int_eq(pwrite(raw, buf, PAGE, (off_t)p * PAGE), PAGE);
    long long kept = -1;
    for (int p = 1; p < N; p++) {
        memset(buf, 0, PAGE);
        ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)p * PAGE), SQLITE_OK);
        int want = p % 2 == 0 ? 0x11 : p == 3 ? 0x7a : 0x40 + p;
        ck_assert_msg((unsigned char)buf[PAGE - 1] == want, "page %d: %#x, want %#x", p,
                      (unsigned char)buf[PAGE - 1], want);
    }
    /* a part of a kept page */
    ck_assert_int_eq(f->pMethods->xRead(f, buf, 100, (sqlite3_int64)5 * PAGE + 1000), SQLITE_OK);
    ck_assert_int_eq((unsigned char)buf[99], 0x45);
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_KEPT_READS, &kept), SQLITE_OK);
    ck_assert_int_eq(kept, 5);
    /* page 1 becomes a leaf: forgotten, its new bytes read */
    memset(buf, 0x22, PAGE);
    buf[0] = 13;
    ck_assert_int_eq(f->pMethods->xWrite(f, buf, PAGE, (sqlite3_int64)1 * PAGE), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xSync(f, 0), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)1 * PAGE), SQLITE_OK);
    ck_assert_int_eq((unsigned char)buf[PAGE - 1], 0x22);
    /* a write straight through over part of page 3: the file's page read */
    memset(buf, 0x33, 512);
    ck_assert_int_eq(f->pMethods->xWrite(f, buf, 512, (sqlite3_int64)3 * PAGE + 4096), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)3 * PAGE), SQLITE_OK);
    ck_assert_int_eq((unsigned char)buf[4096], 0x33);
    ck_assert_int_eq((unsigned char)buf[PAGE - 1], 0x11);
    /* truncated before page 5, then page 5's place read: nothing kept */
    ck_assert_int_eq(f->pMethods->xTruncate(f, (sqlite3_int64)5 * PAGE), SQLITE_OK);
    ck_assert_int_eq(pwrite(raw, buf, PAGE, (off_t)5 * PAGE), PAGE);
    ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)5 * PAGE), SQLITE_OK);
    ck_assert_int_eq((unsigned char)buf[PAGE - 1], 0x11);
    ck_assert_int_eq(f->pMethods->xRead(f, buf, PAGE, (sqlite3_int64)7 * PAGE), SQLITE_IOERR_SHORT_READ);
    long long kept2 = -1;
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_KEPT_READS, &kept2), SQLITE_OK);
    ck_assert_int_eq(kept2, kept);
    close(raw);
    vfs_close(f);
    close(fd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sqlite_vfs_calls");
    TCase *tc = tcase_create("calls");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, writes_land_in_order);
    tcase_add_test(tc, reads_do_not_drain);
    tcase_add_test(tc, interior_pages_kept);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
