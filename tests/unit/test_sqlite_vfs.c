/* test_sqlite_vfs.c — the writing connection's VFS (core/store/
 * store_sqlite_vfs.c): with a first load's writes deferred to its thread
 * (O_DIRECT, sorted, pages written twice), a transaction leaves exactly
 * the file the default VFS leaves; the last write of a page wins; reads
 * in the middle see every page written before, and wait for none but
 * across pages; a write that fails on the thread fails the commit and
 * the journal gives the store back as it was.
 */
#define _GNU_SOURCE
#include "core/store/store_sqlite_int.h"
#include "run_suite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cxvfs.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(sq_vfs_register(), 0);
}

static void rm(const char *name)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    unlink(p);
}

static void teardown(void)
{
    rm("a.db");
    rm("b.db");
    rm("a.db-journal");
    rm("b.db-journal");
    rmdir(dir);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
}

/* A store file as a first load leaves it: 16 KiB pages, a rollback
 * journal, a page cache of a few pages so that pages leave it (and come
 * back) while the transaction runs. */
static sqlite3 *open_db(const char *name, const char *vfs, char *path, size_t cap)
{
    sqlite3 *db;
    snprintf(path, cap, "%s/%s", dir, name);
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs), SQLITE_OK);
    exec(db, "PRAGMA page_size = 16384; PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"
             " PRAGMA cache_size = 8");
    return db;
}

static long long one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* DB passes SQLite's integrity check. */
static void sound(sqlite3 *db)
{
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
}

/* Rows inserted in key order with an index on another column (its pages
 * interleave with the table's), then every seventh rewritten twice: the
 * same pages leave the cache more than once. */
static void load(sqlite3 *db)
{
    exec(db, "BEGIN");
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, ?3)", -1, &st, NULL), SQLITE_OK);
    unsigned x = 12345;
    for (int i = 1; i <= 20000; i++) {
        char v[96];
        x = x * 1103515245u + 12345u;
        snprintf(v, sizeof v, "row %d %u %.*s", i, x, (int)(x % 60),
                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_text(st, 2, v, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, (int)(x % 1000));
        ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    /* pages written out before are read back here */
    ck_assert_int_eq(one(db, "SELECT count(*) FROM t WHERE k % 7 = 0"), 2857);
    exec(db, "UPDATE t SET v = v || ' once' WHERE k % 7 = 0");
    exec(db, "UPDATE t SET v = v || ' twice', w = w + 1 WHERE k % 7 = 0");
    exec(db, "COMMIT");
}

static void schema(sqlite3 *db)
{
    exec(db, "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT, w INT); CREATE INDEX t_w ON t(w)");
}

static int direct_ok(const char *path)
{
    int fd = open(path, O_RDWR | O_DIRECT);
    if (fd < 0) return 0;
    close(fd);
    return 1;
}

START_TEST(deferred_load_equals_plain)
{
    char pa[128], pb[128];
    sqlite3 *a = open_db("a.db", SQ_VFS_NAME, pa, sizeof pa), *b = open_db("b.db", NULL, pb, sizeof pb);
    schema(a);
    schema(b);
    int fd = open(pa, O_RDWR);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(sqlite3_file_control(a, "main", SQ_FCNTL_DEFER, &fd), SQLITE_OK);
    load(a);
    load(b);
    long long pages = -1;
    ck_assert_int_eq(sqlite3_file_control(a, "main", SQ_FCNTL_DEFERRED, &pages), SQLITE_OK);
    if (direct_ok(pa)) ck_assert_int_gt(pages, 100); /* the load went through the thread */
    else ck_assert_int_eq(pages, 0);                 /* no O_DIRECT here: plain writes */
    int off = -1;
    ck_assert_int_eq(sqlite3_file_control(a, "main", SQ_FCNTL_DEFER, &off), SQLITE_OK);
    ck_assert_int_eq(sqlite3_close(a), SQLITE_OK);
    ck_assert_int_eq(sqlite3_close(b), SQLITE_OK);
    close(fd);
    /* the two files, byte for byte but for the header's change counter
     * and version-valid-for (bytes 24-27 and 92-95): equal */
    FILE *fa = fopen(pa, "rb"), *fb = fopen(pb, "rb");
    ck_assert_ptr_nonnull(fa);
    ck_assert_ptr_nonnull(fb);
    long at = 0;
    int ca, cb, differ = 0;
    do {
        ca = fgetc(fa);
        cb = fgetc(fb);
        if (ca != cb && !(at >= 24 && at < 28) && !(at >= 92 && at < 96)) differ = 1;
        at++;
    } while (ca != EOF && cb != EOF && !differ);
    fclose(fa);
    fclose(fb);
    ck_assert_msg(!differ, "the files differ at byte %ld", at - 1);
    ck_assert_int_gt(at, 16384 * 50);
    sqlite3 *c;
    ck_assert_int_eq(sqlite3_open_v2(pa, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(one(c, "SELECT count(*) FROM t WHERE v LIKE '% once twice'"), 2857);
    sound(c);
    sqlite3_close(c);
}
END_TEST

START_TEST(failed_write_rolls_back)
{
    char pa[128];
    sqlite3 *a = open_db("a.db", SQ_VFS_NAME, pa, sizeof pa);
    schema(a);
    exec(a, "INSERT INTO t VALUES (1, 'kept', 1)");
    if (!direct_ok(pa)) {
        sqlite3_close(a);
        return; /* deferral never starts where O_DIRECT is refused */
    }
    /* a descriptor the thread cannot write through: its first write fails */
    int fd = open(pa, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(sqlite3_file_control(a, "main", SQ_FCNTL_DEFER, &fd), SQLITE_OK);
    exec(a, "BEGIN");
    char *err = NULL;
    int rc = sqlite3_exec(a,
                          "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)"
                          " INSERT INTO t SELECT i, printf('%0100d', i), i FROM n",
                          NULL, NULL, &err);
    sqlite3_free(err);
    if (rc == SQLITE_OK) rc = sqlite3_exec(a, "COMMIT", NULL, NULL, NULL);
    ck_assert_int_ne(rc, SQLITE_OK); /* the failed write is told */
    sqlite3_exec(a, "ROLLBACK", NULL, NULL, NULL);
    int off = -1;
    sqlite3_file_control(a, "main", SQ_FCNTL_DEFER, &off);
    sqlite3_close(a);
    close(fd);
    sqlite3 *c;
    ck_assert_int_eq(sqlite3_open_v2(pa, &c, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK); /* the hot journal */
    ck_assert_int_eq(one(c, "SELECT count(*) FROM t"), 1);
    ck_assert_int_eq(one(c, "SELECT count(*) FROM t WHERE v = 'kept'"), 1);
    sound(c);
    sqlite3_close(c);
}
END_TEST

/* The VFS's own calls: pages written three times each in a shuffled
 * order (the last write of a page must win though the thread sorts what
 * waits by offset), a read in the middle, a write of another size (it goes
 * straight through after what waits). */
START_TEST(writes_land_in_order)
{
    char path[128];
    snprintf(path, sizeof path, "%s/a.db", dir);
    sqlite3_vfs *vfs = sqlite3_vfs_find(SQ_VFS_NAME);
    ck_assert_ptr_nonnull(vfs);
    sqlite3_file *f = calloc(1, (size_t)vfs->szOsFile);
    ck_assert_ptr_nonnull(f);
    int out = 0;
    ck_assert_int_eq(
        vfs->xOpen(vfs, path, f, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE, &out),
        SQLITE_OK);
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
    if (direct_ok(path)) ck_assert_int_gt(pages, PAGES);
    int off = -1;
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFER, &off), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xClose(f), SQLITE_OK);
    free(f);
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
    sqlite3_vfs *vfs = sqlite3_vfs_find(SQ_VFS_NAME);
    ck_assert_ptr_nonnull(vfs);
    sqlite3_file *f = calloc(1, (size_t)vfs->szOsFile);
    ck_assert_ptr_nonnull(f);
    int out = 0;
    ck_assert_int_eq(vfs->xOpen(vfs, path, f, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE, &out), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFER, &fd), SQLITE_OK);
    for (int p = 0; p < GIVEN; p++) {
        memset(buf, (unsigned char)(p * 5 + 1), PAGE);
        ck_assert_int_eq(f->pMethods->xWrite(f, buf, PAGE, (sqlite3_int64)p * PAGE), SQLITE_OK);
    }
    int direct = direct_ok(path);
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
    int off = -1;
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFER, &off), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xClose(f), SQLITE_OK);
    free(f);
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
    sqlite3_vfs *vfs = sqlite3_vfs_find(SQ_VFS_NAME);
    ck_assert_ptr_nonnull(vfs);
    sqlite3_file *f = calloc(1, (size_t)vfs->szOsFile);
    ck_assert_ptr_nonnull(f);
    int out = 0;
    ck_assert_int_eq(vfs->xOpen(vfs, path, f, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE, &out), SQLITE_OK);
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
    int off = -1;
    ck_assert_int_eq(f->pMethods->xFileControl(f, SQ_FCNTL_DEFER, &off), SQLITE_OK);
    ck_assert_int_eq(f->pMethods->xClose(f), SQLITE_OK);
    free(f);
    close(fd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sqlite_vfs");
    TCase *tc = tcase_create("vfs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, writes_land_in_order);
    tcase_add_test(tc, reads_do_not_drain);
    tcase_add_test(tc, interior_pages_kept);
    tcase_add_test(tc, deferred_load_equals_plain);
    tcase_add_test(tc, failed_write_rolls_back);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
