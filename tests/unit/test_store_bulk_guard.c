/* test_store_bulk_guard.c — what a store_bulk_* load guards and leaves
 * (SQLite's bulk, core/store/store_sqlite_bulk.c): it checks score and
 * metric itself while the table's CHECKs are off, and they hold again
 * after it; a first load keeps the store locked to its commit, its early
 * writeback's descriptor included; store_last_net_rows counts the rows
 * the last commit added, and no descriptor is left open.  The rest of the
 * bulk's conformance: test_store_bulk.c. */
#include "store_fixture.h"

#include <dirent.h>
#include <fcntl.h>

/* The bulk skips the table's CHECKs for speed (SQLite) and checks score
 * and metric itself: a row out of range is refused with the reason; after
 * the bulk the store's own CHECKs hold again for a row-by-row upsert. */
START_TEST(bulk_refuses_out_of_range)
{
    store *s = fresh(_i);
    cx_response r;
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    resp(&r, "csv", "bad", 1, 11, "");
    ck_assert_int_eq(store_bulk_add(s, &r), -1);
    ck_assert_ptr_nonnull(strstr(store_error(s), "out of range"));
    ck_assert_int_eq(store_rollback(s), 0);
    ck_assert_uint_eq(scan_all(s).n, 0);
    store_bulk_counts c;
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    resp(&r, "csv", "good", 1, 10, "");
    ck_assert_int_eq(store_bulk_add(s, &r), 0);
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_commit(s), 0);
    resp(&r, "csv", "later", 1, 12, "");
    store_upsert_result res;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), -1); /* the table's CHECK */
    ck_assert_uint_eq(scan_all(s).n, 1);
    done(_i, s);
}
END_TEST

/* A first load keeps the store locked to the end: another process cannot
 * begin a write while the load's transaction is open, after its bulk ended
 * too (a descriptor of the store file closed by the bulk dropped the
 * process's POSIX locks, SQLite's with them). */
static int other_process_writes(void)
{
    pid_t pid = fork();
    if (pid == 0) { /* a process of its own: SQLite's state is not shared across a fork */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 2);
        execlp("sqlite3", "sqlite3", sqlite_path, "BEGIN IMMEDIATE;", (char *)NULL);
        _exit(2);
    }
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) return -1;
    int rc = WEXITSTATUS(st); /* the shell exits with SQLite's code (5, busy), or 1 when older */
    return rc == 0 ? 1 : rc == 5 || rc == 1 ? 0 : -1;
}

START_TEST(bulk_first_load_stays_locked)
{
    store *s = fresh(0);
    cx_response r;
    char id[16];
    store_bulk_counts c;
    ck_assert_int_eq(store_begin_load(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (int i = 0; i < 300000; i++) { /* past 32 batches: the writeback asked for */
        snprintf(id, sizeof id, "k%06d", i);
        resp(&r, "csv", id, 1, i % 11, "a comment long enough to fill some pages of the store");
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
    }
    ck_assert_int_eq(other_process_writes(), 0);
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(other_process_writes(), 0); /* the bulk is over, its transaction is not */
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(other_process_writes(), 1);
    ck_assert_uint_eq(c.inserted, 300000);
    done(0, s);
}
END_TEST

/* store_last_net_rows: the rows the last committed transaction added,
 * net, as the update hook counted them (SQLite); unknown after a rollback,
 * after an update, and on PostgreSQL.  No descriptor is left open. */
static int open_fds(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    while (readdir(d)) n++;
    closedir(d);
    return n;
}

START_TEST(bulk_net_rows_of_the_last_commit)
{
    int fds = open_fds();
    store *s = fresh(_i);
    cx_response r;
    long long net = -5;
    ck_assert_int_eq(store_last_net_rows(s, &net), 1); /* nothing committed yet */
    store_bulk_counts c;
    char id[16];
    ck_assert_int_eq(store_begin_load(s), 0); /* an empty store: its first load */
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (int i = 0; i < 20000; i++) { /* past a batch, then keys below: sorted runs, loaded rows taken back */
        snprintf(id, sizeof id, "k%05d", i < 9000 ? 11000 + i : i - 9000);
        resp(&r, "csv", id, 1, i % 11, "");
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
    }
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_commit(s), 0);
    int known = store_last_net_rows(s, &net);
    if (_i == 0) {
        ck_assert_int_eq(known, 0);
        ck_assert_int_eq(net, 20000);
    } else {
        ck_assert_int_eq(known, 1);
    }
    resp(&r, "csv", "k00001", 2, 3, "newer"); /* an update */
    store_upsert_result res;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_REPLACED);
    ck_assert_int_eq(store_last_net_rows(s, &net), 1);
    ck_assert_int_eq(store_begin(s), 0);
    resp(&r, "csv", "new1", 1, 3, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    resp(&r, "csv", "new2", 1, 3, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_commit(s), 0);
    known = store_last_net_rows(s, &net);
    ck_assert_int_eq(known, _i == 0 ? 0 : 1);
    if (_i == 0) ck_assert_int_eq(net, 2);
    ck_assert_int_eq(store_begin(s), 0);
    resp(&r, "csv", "new3", 1, 3, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_rollback(s), 0);
    ck_assert_int_eq(store_last_net_rows(s, &net), 1);
    done(_i, s);
    ck_assert_int_eq(open_fds(), fds); /* the first load's writeback descriptor closed too */
}
END_TEST

int main(void)
{
    int backends = store_backends("test_store_bulk_guard");
    Suite *s = suite_create("store_bulk_guard");
    TCase *tc = tcase_create("guard");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, bulk_refuses_out_of_range, 0, 1);
    tcase_add_test(tc, bulk_first_load_stays_locked);
    tcase_add_loop_test(tc, bulk_net_rows_of_the_last_commit, 0, backends);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
