/* test_spend_days.c — the range of the spend's days on SQLite
 * (core/store/store_sqlite_days.c): each source's first and last day kept
 * in cx_spend_days by cxpulse's own writes and dropped by any other
 * program's, the range read from there and from the rows of the sources
 * without one.  Every range is checked against `SELECT min(day),
 * max(day) FROM spend` on the same file. */
#include "store_fixture.h"

/* SQL on the store's file from a connection of its own: another program,
 * whose writes run the store's triggers. */
static void other(const char *sql)
{
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(sqlite_path, &db), SQLITE_OK);
    char *msg = NULL;
    ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
    sqlite3_close(db);
}

/* The store's range equals the table's. */
static void same_range(store *s)
{
    int64_t first = -1, last = -1;
    ck_assert_int_eq(store_spend_range(s, &first, &last), 1);
    ck_assert_int_eq(first, sqlite_one("SELECT min(day) FROM spend"));
    ck_assert_int_eq(last, sqlite_one("SELECT max(day) FROM spend"));
}

/* An import of SOURCE: its rows replaced by days FROM..TO, in one
 * transaction. */
static void import(store *s, const char *source, int from, int to)
{
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_ge(store_spend_clear(s, source), 0);
    for (int d = from; d <= to; d += 7) ck_assert_int_eq(store_add_spend(s, source, "c1", d, 1.5), 0);
    ck_assert_int_eq(store_add_spend(s, source, "c2", to, 2.0), 0);
    ck_assert_int_eq(store_commit(s), 0);
}

static long long noted(const char *source, const char *col)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT coalesce((SELECT %s FROM cx_spend_days WHERE source = '%s'), -1)", col,
             source);
    return sqlite_one(sql);
}

START_TEST(kept_by_cxpulse_dropped_by_others)
{
    store *s = fresh(0);
    int64_t first, last;
    ck_assert_int_eq(store_spend_range(s, &first, &last), 0); /* no spend */
    import(s, "billing", 1000, 1400);
    ck_assert_int_eq(noted("billing", "first"), 1000);
    ck_assert_int_eq(noted("billing", "last"), 1400);
    same_range(s);

    /* a second source, then one row more outside a transaction: its row dropped */
    import(s, "store", 900, 1100);
    ck_assert_int_eq(noted("store", "first"), 900);
    ck_assert_int_eq(store_add_spend(s, "store", "c3", 1500, 1.0), 0);
    ck_assert_int_eq(noted("store", "first"), -1);
    ck_assert_int_eq(noted("billing", "first"), 1000);
    same_range(s); /* 900 .. 1500: store's from its rows */

    /* another program's insert, update and delete drop the rows of the
     * sources they touch, and only those */
    import(s, "store", 950, 1050);
    other("INSERT INTO spend (source, customer_id, day, amount) VALUES ('billing', 'c9', 800, 1.0)");
    ck_assert_int_eq(noted("billing", "first"), -1);
    ck_assert_int_eq(noted("store", "first"), 950);
    same_range(s);
    import(s, "billing", 1000, 1400);
    other("UPDATE spend SET day = 2000 WHERE source = 'store' AND day = 1050 AND customer_id = 'c2'");
    ck_assert_int_eq(noted("store", "first"), -1);
    ck_assert_int_eq(noted("billing", "first"), 1000);
    same_range(s);
    import(s, "store", 950, 1050);
    other("DELETE FROM spend WHERE source = 'billing' AND day = 1400");
    ck_assert_int_eq(noted("billing", "first"), -1);
    same_range(s);

    /* a source emptied by its import has no row; a rollback keeps the row */
    import(s, "billing", 1000, 1400);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_ge(store_spend_clear(s, "billing"), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(noted("billing", "first"), -1);
    same_range(s);
    import(s, "billing", 1000, 1400);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_ge(store_spend_clear(s, "billing"), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "c1", 10, 1.0), 0);
    ck_assert_int_eq(store_rollback(s), 0);
    ck_assert_int_eq(noted("billing", "first"), 1000);
    same_range(s);
    done(0, s);
}
END_TEST

/* The range is read from cx_spend_days where a source has a row (no pass
 * over that source's rows): a row written there by hand is what it says. */
START_TEST(the_range_reads_the_rows_noted)
{
    store *s = fresh(0);
    import(s, "billing", 1000, 1400);
    other("UPDATE cx_spend_days SET first = 10, last = 20000 WHERE source = 'billing'");
    int64_t first, last;
    ck_assert_int_eq(store_spend_range(s, &first, &last), 1);
    ck_assert_int_eq(first, 10);
    ck_assert_int_eq(last, 20000);
    done(0, s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("spend_days");
    TCase *tc = tcase_create("spend_days");
    tcase_add_test(tc, kept_by_cxpulse_dropped_by_others);
    tcase_add_test(tc, the_range_reads_the_rows_noted);
    suite_add_tcase(su, tc);
    return run_suite(su);
}
