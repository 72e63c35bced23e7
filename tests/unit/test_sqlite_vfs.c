/* test_sqlite_vfs.c — the writing connection's VFS (core/store/
 * store_sqlite_vfs.c): with a first load's writes deferred to its thread
 * (O_DIRECT, sorted, pages written twice), a transaction leaves exactly
 * the file the default VFS leaves, pages read back in the middle of the
 * load included; a write that fails on the thread fails the commit and
 * the journal gives the store back as it was.  The VFS's own calls:
 * test_sqlite_vfs_calls.c.
 */
#define _GNU_SOURCE
#include "pagecache_fixture.h"
#include "run_suite.h"
#include "vfs_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    if (direct_here(pa)) ck_assert_int_gt(pages, 100); /* the load went through the thread */
    else ck_assert_int_eq(pages, 0);                   /* no O_DIRECT here: plain writes */
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
    if (!direct_here(pa)) {
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

int main(void)
{
    Suite *s = suite_create("sqlite_vfs");
    TCase *tc = tcase_create("vfs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, deferred_load_equals_plain);
    tcase_add_test(tc, failed_write_rolls_back);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
