/* test_store_tables.c — store.h conformance for the tables besides the
 * responses: rejects (bytes kept as given), customers and spend, on SQLite
 * always and on PostgreSQL when CXPULSE_PG_URI names a server
 * (tests/e2e/pg_unit.sh).  What the store sums up (status, NPS counts,
 * attribute names): test_store_summary.c.  Fixtures: store_fixture.h.
 */
#include "store_fixture.h"

typedef struct rejects_seen {
    char raw[4][16], where[4][16];
    size_t len[4], n;
} rejects_seen;

static int collect_reject(const char *source, const char *where, const char *reason, const char *raw,
                          size_t raw_len, void *ctx)
{
    (void)source;
    (void)reason;
    rejects_seen *x = ctx;
    if (x->n == 4) return 9;
    ck_assert(raw[raw_len] == '\0');
    memcpy(x->raw[x->n], raw, raw_len < 15 ? raw_len + 1 : 15);
    x->len[x->n] = raw_len;
    snprintf(x->where[x->n], 16, "%s", where);
    x->n++;
    return 0;
}

static int count_reason(const char *reason, long long n, void *ctx)
{
    if (!strcmp(reason, "bad bytes")) *(long long *)ctx = n;
    return 0;
}

START_TEST(rejects_keep_nul_bytes)
{
    store *s = fresh(_i);
    static const char raw[] = {'a', '\0', 'b', '\xff', '\n'};
    ck_assert_int_eq(store_add_reject(s, "csv", "line 2", "bad bytes", raw, sizeof raw), 0);
    ck_assert_int_eq(store_begin(s), 0); /* inside a transaction too (deferred on PG) */
    ck_assert_int_eq(store_add_reject(s, "csv", "line 3", "bad bytes", raw + 2, 3), 0);
    ck_assert_int_eq(store_add_reject(s, "api", "page 1", "other", NULL, 0), 0);
    ck_assert_int_eq(store_commit(s), 0);
    rejects_seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_rejects(s, "csv", collect_reject, &x), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_assert_uint_eq(x.len[0], sizeof raw); /* whole, past the NUL byte */
    ck_assert(memcmp(x.raw[0], raw, sizeof raw) == 0);
    ck_assert_str_eq(x.where[0], "line 2");
    ck_assert_str_eq(x.raw[1], "b\xff\n");
    long long n = 0;
    ck_assert_int_eq(store_reject_reasons(s, count_reason, &n), 0);
    ck_assert_int_eq(n, 2);
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_rejects(s, NULL, collect_reject, &x), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_assert_str_eq(x.raw[2], "");
    ck_assert_uint_eq(x.len[2], 0);
    done(_i, s);
}
END_TEST

/* A re-import of a file replaces that file's rejects: only "FILE:LINE"
 * of the same source goes, not another file whose name starts the same. */
START_TEST(rejects_forget_a_file)
{
    store *s = fresh(_i);
    ck_assert_int_eq(store_begin(s), 0);
    static const char *const where[] = {"a.csv:2",  "a.csv:10", "a.csv:x.csv:3",
                                        "a.csvx:2", "b.csv:2",  "a.csv:"};
    for (size_t k = 0; k < sizeof where / sizeof *where; k++)
        ck_assert_int_eq(store_add_reject(s, "csv", where[k], "r", "x", 1), 0);
    ck_assert_int_eq(store_add_reject(s, "other", "a.csv:2", "r", "x", 1), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_rejects_forget(s, "csv", "a.csv"), 2);
    ck_assert_int_eq(store_rejects_forget(s, "csv", "a.csv"), 0);
    ck_assert_int_eq(store_commit(s), 0);
    rejects_seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_rejects(s, "csv", collect_reject, &x), 0);
    ck_assert_uint_eq(x.n, 4);
    ck_assert_str_eq(x.where[0], "a.csv:x.csv:3");
    ck_assert_str_eq(x.where[3], "a.csv:");
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_rejects(s, "other", collect_reject, &x), 0);
    ck_assert_uint_eq(x.n, 1);
    done(_i, s);
}
END_TEST

typedef struct cust_seen {
    char id[4][16], attrs[4][64];
    double v[4];
    size_t n;
} cust_seen;

static int collect_customer(const char *id, double v, const cx_attr *a, size_t n, void *ctx)
{
    cust_seen *x = ctx;
    if (x->n == 4) return 9;
    snprintf(x->id[x->n], 16, "%s", id);
    x->v[x->n] = v;
    size_t used = 0;
    x->attrs[x->n][0] = '\0';
    for (size_t i = 0; i < n && used < 60; i++)
        used += (size_t)snprintf(x->attrs[x->n] + used, 64 - used, "%s=%s;", a[i].key, a[i].value);
    x->n++;
    return 0;
}

START_TEST(customers_with_nan_annual_value)
{
    store *s = fresh(_i);
    cx_attr a[2] = {{"tier", "gold"}, {"region", "west"}};
    ck_assert_int_eq(store_upsert_customer(s, "c2", NAN, a, 2), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c1", 1234.5, NULL, 0), 0);
    ck_assert_int_eq(store_begin(s), 0); /* deferred and merged on PG: last row wins */
    ck_assert_int_eq(store_upsert_customer(s, "c3", 1.0 / 3.0, a, 1), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c3", NAN, a + 1, 1), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c1", 99, NULL, 0), 0);
    ck_assert_int_eq(store_commit(s), 0);
    cust_seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_customers(s, collect_customer, &x), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_assert_str_eq(x.id[0], "c1");
    ck_assert(x.v[0] == 99);
    ck_assert_str_eq(x.id[1], "c2");
    ck_assert(isnan(x.v[1]));
    ck_assert_str_eq(x.attrs[1], "tier=gold;region=west;"); /* order kept */
    ck_assert_str_eq(x.id[2], "c3");
    ck_assert(isnan(x.v[2]));
    ck_assert_str_eq(x.attrs[2], "region=west;");
    done(_i, s);
}
END_TEST

typedef struct spend_seen {
    char line[8][48];
    size_t n;
} spend_seen;

static int collect_spend(const char *id, int64_t day, double amount, void *ctx)
{
    spend_seen *x = ctx;
    if (x->n == 8) return 9;
    snprintf(x->line[x->n++], 48, "%s %lld %.17g", id, (long long)day, amount);
    return 0;
}

/* Customer upserts in a transaction are classified as the row upsert
 * would: new id, changed (from the stored row or the batch's earlier row),
 * or unchanged. */
START_TEST(customer_counts_new_changed_unchanged)
{
    store *s = fresh(_i);
    cx_attr gold = {"tier", "gold"}, silver = {"tier", "silver"};
    store_bulk_counts c;
    ck_assert_int_eq(store_customer_counts(s, &c), 0);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c1", 100, &gold, 1), 0); /* new */
    ck_assert_int_eq(store_upsert_customer(s, "c2", NAN, NULL, 0), 0);  /* new */
    ck_assert_int_eq(store_upsert_customer(s, "c1", 100, &gold, 1), 0); /* as the row before: unchanged */
    ck_assert_int_eq(store_upsert_customer(s, "c2", 50, NULL, 0), 0);   /* changed */
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(store_customer_counts(s, &c), 0);
    ck_assert_int_eq(c.inserted, 2);
    ck_assert_int_eq(c.replaced, 1);
    ck_assert_int_eq(c.ignored, 1);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c1", 100, &gold, 1), 0);   /* as stored */
    ck_assert_int_eq(store_upsert_customer(s, "c2", 50, NULL, 0), 0);     /* as stored */
    ck_assert_int_eq(store_upsert_customer(s, "c3", 1, NULL, 0), 0);      /* new */
    ck_assert_int_eq(store_upsert_customer(s, "c1", 100, &silver, 1), 0); /* attributes changed */
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(store_customer_counts(s, &c), 0);
    ck_assert_int_eq(c.inserted, 1);
    ck_assert_int_eq(c.replaced, 1);
    ck_assert_int_eq(c.ignored, 2);
    ck_assert_int_eq(store_customer_counts(s, &c), 0); /* reset by the call */
    ck_assert_int_eq(c.inserted + c.replaced + c.ignored, 0);
    done(_i, s);
}
END_TEST

START_TEST(spend_clear_add_scan_order)
{
    store *s = fresh(_i);
    ck_assert_int_eq(store_add_spend(s, "old", "zz", 1, 1), 0);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "b", 20000, 5), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20001, 0.1), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20000, -2.5), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20000, -3), 0);
    ck_assert_int_eq(store_spend_clear(s, "old"), 1); /* how many it removed */
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_spend_clear(s, "billing"), 4); /* a re-import replaces the source */
    ck_assert_int_eq(store_spend_clear(s, "none"), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "b", 20000, 5), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20001, 0.1), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20000, -2.5), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "a", 20000, -3), 0);
    ck_assert_int_eq(store_commit(s), 0);
    spend_seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_scan_spend(s, collect_spend, &x), 0);
    ck_assert_uint_eq(x.n, 4);
    ck_assert_str_eq(x.line[0], "a 20000 -3");
    ck_assert_str_eq(x.line[1], "a 20000 -2.5");
    ck_assert_str_eq(x.line[2], "a 20001 0.10000000000000001");
    ck_assert_str_eq(x.line[3], "b 20000 5");
    done(_i, s);
}
END_TEST

int main(void)
{
    int backends = store_backends("test_store_tables");
    Suite *s = suite_create("store_tables");
    TCase *tc = tcase_create("tables");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, rejects_keep_nul_bytes, 0, backends);
    tcase_add_loop_test(tc, rejects_forget_a_file, 0, backends);
    tcase_add_loop_test(tc, customers_with_nan_annual_value, 0, backends);
    tcase_add_loop_test(tc, spend_clear_add_scan_order, 0, backends);
    tcase_add_loop_test(tc, customer_counts_new_changed_unchanged, 0, backends);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
