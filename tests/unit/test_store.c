/* test_store.c — store.h conformance: the same cases run against SQLite
 * always and against PostgreSQL when CXPULSE_PG_URI names a server (see
 * scripts/pg-tmp; tests/e2e/pg_unit.sh runs this binary with one): upserts,
 * checkpoints, scans, sync locks, targets.  Bulk upserts: test_store_bulk.c;
 * the other tables and counts: test_store_tables.c; fixtures: store_fixture.h.
 */
#include "store_fixture.h"

/* ---- cases ---- */

/* One response id, one source: by default an id held under another source
 * is not written and the holder is named; allowed, both copies are kept. */
START_TEST(upsert_id_held_by_another_source)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    store_allow_duplicate_ids(s, 0);
    resp(&r, "qualtrics", "a", 100, 9, "synced");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_INSERTED);
    resp(&r, "zz", "b", 100, 9, "another id");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_INSERTED);
    resp(&r, "csv", "a", 200, 3, "imported");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_HELD_ELSEWHERE);
    ck_assert_str_eq(store_held_by(s), "qualtrics");
    resp(&r, "csv", "b", 200, 3, "imported"); /* a source after "csv" in order holds it */
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_HELD_ELSEWHERE);
    ck_assert_str_eq(store_held_by(s), "zz");
    resp(&r, "qualtrics", "a", 300, 4, "its own source");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_REPLACED);
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0); /* the same again: nothing to write */
    ck_assert_int_eq(res, STORE_UNCHANGED);
    ck_assert_uint_eq(scan_all(s).n, 2);
    store_allow_duplicate_ids(s, 1);
    resp(&r, "csv", "a", 200, 3, "kept on purpose");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_INSERTED);
    ck_assert_uint_eq(scan_all(s).n, 3);
    done(_i, s);
}
END_TEST

START_TEST(upsert_newer_wins_older_ignored_equal_replaces)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    resp(&r, "csv", "a", 100, 9, "first");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_INSERTED);
    resp(&r, "csv", "a", 100, 7, "equal");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_REPLACED);
    resp(&r, "csv", "a", 200, 3, "newer");
    r.has_handle_time = 1;
    r.handle_time_s = 0.1 + 0.2; /* not exact in binary: must come back bit for bit */
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_REPLACED);
    resp(&r, "csv", "a", 150, 10, "older");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_IGNORED);
    resp(&r, "csv", "a", 200, 3, "newer"); /* the stored row again: unchanged, not older */
    r.has_handle_time = 1;
    r.handle_time_s = 0.1 + 0.2;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_UNCHANGED);
    resp(&r, "other", "a", 1, 5, "same id, other source");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(res, STORE_INSERTED);
    seen x = scan_all(s);
    ck_assert_uint_eq(x.n, 2);
    ck_assert_str_eq(x.comment[0], "newer");
    ck_assert_int_eq(x.updated[0], 200);
    ck_assert_int_eq(x.score[0], 3);
    ck_assert(x.ht[0] == 0.1 + 0.2);
    ck_assert_str_eq(x.comment[1], "same id, other source");
    done(_i, s);
}
END_TEST

START_TEST(text_and_attributes_round_trip)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    resp(&r, "csv", "t\\1", 1, 8, "tab\there\nnew line\r\\back\\slash \xc3\xa9\xe2\x82\xac '\"");
    r.attrs[0] = (cx_attr){"region", "north\teast"};
    r.attrs[1] = (cx_attr){"b", ""};
    r.n_attrs = 2;
    r.moments[0] = 3;
    r.moments[1] = 1;
    r.moments[2] = 5;
    r.n_moments = 3;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    cx_response r2;
    resp(&r2, "csv", "t2", 1, 8, "");
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    ck_assert_int_eq(store_bulk_add(s, &r2), 0);
    r.response_id = "t3";
    ck_assert_int_eq(store_bulk_add(s, &r), 0);
    store_bulk_counts c;
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_commit(s), 0);
    seen x = scan_all(s);
    ck_assert_uint_eq(x.n, 3);
    ck_assert_str_eq(x.id[0], "t2");
    ck_assert_str_eq(x.id[1], "t3");
    ck_assert_str_eq(x.id[2], "t\\1");
    for (size_t i = 1; i < 3; i++) {
        ck_assert_str_eq(x.comment[i], "tab\there\nnew line\r\\back\\slash \xc3\xa9\xe2\x82\xac '\"");
        ck_assert_str_eq(x.attr[i], "north\teast");
        ck_assert(isnan(x.ht[i]));
    }
    ck_assert_str_eq(x.attr[0], "(none)");
    done(_i, s);
}
END_TEST

START_TEST(checkpoint_in_rolled_back_transaction_is_not_kept)
{
    store *s = fresh(_i);
    char *cp = NULL;
    ck_assert_int_eq(store_checkpoint_get(s, "src", &cp), 0);
    ck_assert_ptr_null(cp);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_checkpoint_put(s, "src", "{\"at\":1}"), 0);
    ck_assert_int_eq(store_commit(s), 0);
    cx_response r;
    store_upsert_result res;
    ck_assert_int_eq(store_begin(s), 0);
    resp(&r, "src", "p2", 5, 9, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_checkpoint_put(s, "src", "{\"at\":2}"), 0);
    ck_assert_int_eq(store_rollback(s), 0);
    ck_assert_int_eq(store_rollback(s), 0); /* none open: a no-op */
    store_close(s);
    s = reopen(_i);
    ck_assert_int_eq(store_checkpoint_get(s, "src", &cp), 0);
    ck_assert_str_eq(cp, "{\"at\":1}");
    free(cp);
    ck_assert_uint_eq(scan_all(s).n, 0);
    ck_assert_int_eq(store_checkpoint_clear(s, "src"), 0);
    ck_assert_int_eq(store_checkpoint_get(s, "src", &cp), 0);
    ck_assert_ptr_null(cp);
    done(_i, s);
}
END_TEST

/* N responses of source csv, ids r00000 on, scores 0 to 10 in turn. */
static void put_numbered(store *s, int n)
{
    cx_response r;
    store_upsert_result res;
    char id[16];
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "r%05d", i);
        resp(&r, "csv", id, 1, i % 11, "");
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    }
}

static int stop_after_one(const cx_response *r, void *ctx)
{
    (void)r;
    ++*(int *)ctx;
    return 7;
}

START_TEST(scan_stops_when_asked_and_store_goes_on)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    ck_assert_int_eq(store_begin(s), 0);
    put_numbered(s, 3000);
    ck_assert_int_eq(store_commit(s), 0);
    int calls = 0;
    ck_assert_int_eq(store_scan_responses(s, NULL, stop_after_one, &calls), 7);
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(store_begin(s), 0); /* inside a transaction as well */
    ck_assert_int_eq(store_scan_responses(s, NULL, stop_after_one, &calls), 7);
    resp(&r, "csv", "after", 1, 9, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_commit(s), 0);
    store_status st;
    ck_assert_int_eq(store_get_status(s, &st), 0);
    ck_assert_int_eq(st.responses, 3001);
    store_status_free(&st);
    done(_i, s);
}
END_TEST

/* Keys as a table-order scan passes them: each must come after the one
 * before (the scan's own check is what is tested). */
typedef struct keys_seen {
    char last[64];
    int n, out_of_order;
} keys_seen;

static int check_keys(const cx_response *r, void *ctx)
{
    keys_seen *k = ctx;
    char key[64];
    snprintf(key, sizeof key, "%s/%s", r->source, r->response_id);
    if (k->n && strcmp(key, k->last) <= 0) k->out_of_order++;
    snprintf(k->last, sizeof k->last, "%s", key);
    k->n++;
    return 0;
}

/* store_scan_table_order: every row in key order while the table's order
 * is the key order; on SQLite STORE_SCAN_DISORDER, before the callback
 * sees it, at the first row that breaks it (here one inserted last whose
 * key sorts first, and a source inserted before one that sorts ahead of
 * it); PostgreSQL scans in key order whatever. */
START_TEST(scan_in_table_order_or_says_disorder)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    ck_assert_int_eq(store_begin(s), 0);
    put_numbered(s, 2500);
    resp(&r, "csvb", "a", 1, 9, ""); /* a longer source after: still in order */
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_commit(s), 0);
    keys_seen k = {"", 0, 0};
    ck_assert_int_eq(store_scan_table_order(s, check_keys, &k), 0);
    ck_assert_int_eq(k.n, 2501);
    ck_assert_int_eq(k.out_of_order, 0);
    resp(&r, "csv", "a0", 1, 9, ""); /* sorts before every r…, numbered after */
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    memset(&k, 0, sizeof k);
    int rc = store_scan_table_order(s, check_keys, &k);
    ck_assert_int_eq(k.out_of_order, 0);
    if (_i == 0) {
        ck_assert_int_eq(rc, STORE_SCAN_DISORDER);
        ck_assert_int_eq(k.n, 2501);
    } else {
        ck_assert_int_eq(rc, 0);
        ck_assert_int_eq(k.n, 2502);
    }
    memset(&k, 0, sizeof k); /* the key-order scan has them all */
    ck_assert_int_eq(store_scan_responses(s, NULL, check_keys, &k), 0);
    ck_assert_int_eq(k.n, 2502);
    ck_assert_int_eq(k.out_of_order, 0);
    done(_i, s);
}
END_TEST

/* The lock is per process on SQLite and per connection on PostgreSQL: the
 * other holder is a child process. */
static int child_try_lock(int b, const char *source)
{
    pid_t pid = fork();
    if (pid == 0) {
        char err[512];
        store *s = store_open(b == 0 ? sqlite_path : pg_uri, err, sizeof err);
        int rc = s ? store_lock_source(s, source, 0) : -1;
        store_close(s);
        _exit(rc < 0 ? 2 : rc);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(sync_lock_per_source)
{
    store *s = fresh(_i);
    ck_assert_int_eq(store_lock_source(s, "delighted", 0), 0);
    ck_assert_int_eq(child_try_lock(_i, "delighted"), 1);
    ck_assert_int_eq(child_try_lock(_i, "qualtrics"), 0);
    ck_assert_int_eq(store_unlock_source(s, "delighted"), 0);
    ck_assert_int_eq(child_try_lock(_i, "delighted"), 0);
    ck_assert_int_eq(store_lock_source(s, "delighted", 1), 0);
    store_close(s); /* closing releases it */
    ck_assert_int_eq(child_try_lock(_i, "delighted"), 0);
    s = reopen(_i);
    done(_i, s);
}
END_TEST

START_TEST(targets_and_passwords)
{
    ck_assert(store_target_is_pg("postgresql://h/db"));
    ck_assert(store_target_is_pg("postgres:///db"));
    ck_assert(store_target_is_pg("host=/tmp dbname=x"));
    ck_assert(!store_target_is_pg("cxpulse.db"));
    ck_assert(!store_target_is_pg("/var/lib/postgresql.db"));
    char buf[128];
    store_target_redact("postgresql://ann:s3cret@db.example:5432/cx?sslmode=require&password=p2", buf,
                        sizeof buf);
    ck_assert_str_eq(buf, "postgresql://ann@db.example:5432/cx?sslmode=require");
    store_target_redact("host=db password='a b\\'c' dbname=cx", buf, sizeof buf);
    ck_assert_str_eq(buf, "host=db dbname=cx");
    store_target_redact("data/cxpulse.db", buf, sizeof buf);
    ck_assert_str_eq(buf, "data/cxpulse.db");
    store_target_redact("postgresql://u:pw@h/db", buf, 8);
    ck_assert_str_eq(buf, "postgre");

    char err[512];
    static const char *const bad[] = {
        "postgresql://ann:s3cret@localhost/cx",
        "host=localhost password=s3cret dbname=cx",
        "postgresql:///cx?password=s3cret",
        "postgresql://ann:s3cret@local%zzhost/cx",
        "host=x dbname=y s3cret",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = '\0';
        ck_assert_ptr_null(store_open(bad[i], err, sizeof err));
        ck_assert_msg(!strncmp(err, "store: ", 7), "%s", err);
        ck_assert_msg(!strstr(err, "s3cret"), "password shown: %s", err);
        ck_assert_ptr_null(strchr(err, '\n'));
    }
#ifdef HAVE_LIBPQ
    store_open_opts o = {"CXPULSE_UNIT_NO_SUCH_VARIABLE"};
    unsetenv(o.password_env);
    ck_assert_ptr_null(store_open_with("postgresql:///cx?host=/nonexistent", &o, err, sizeof err));
    ck_assert_str_eq(err, "store: password_env names $CXPULSE_UNIT_NO_SUCH_VARIABLE, which is not set");
    ck_assert_ptr_null(store_open("postgresql:///cx?host=/nonexistent/dir", err, sizeof err));
    static const char want[] = "store: cannot connect to postgresql:///cx?host=/nonexistent/dir: ";
    ck_assert_msg(!strncmp(err, want, sizeof want - 1), "%s", err);
#endif
}
END_TEST

int main(void)
{
    int backends = store_backends("test_store");
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("conformance");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, upsert_newer_wins_older_ignored_equal_replaces, 0, backends);
    tcase_add_loop_test(tc, upsert_id_held_by_another_source, 0, backends);
    tcase_add_loop_test(tc, text_and_attributes_round_trip, 0, backends);
    tcase_add_loop_test(tc, checkpoint_in_rolled_back_transaction_is_not_kept, 0, backends);
    tcase_add_loop_test(tc, scan_stops_when_asked_and_store_goes_on, 0, backends);
    tcase_add_loop_test(tc, scan_in_table_order_or_says_disorder, 0, backends);
    tcase_add_loop_test(tc, sync_lock_per_source, 0, backends);
    tcase_add_test(tc, targets_and_passwords);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
