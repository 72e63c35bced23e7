/* test_store_summary.c — store.h conformance for what the store sums up
 * itself: the status summary, the NPS and score counts it computes (SQL
 * GROUP BY) and the distinct attribute names, on SQLite always and on
 * PostgreSQL when CXPULSE_PG_URI names a server (tests/e2e/pg_unit.sh).
 * The tables themselves: test_store_tables.c.  Fixtures: store_fixture.h.
 */
#include "store_fixture.h"

/* ST's sums over the import log: rows read, replaced, unchanged, older
 * ignored; the imports logged before schema 10 and the rows they held. */
static void log_sums_are(const store_status *st, long long rows, long long replaced, long long unchanged,
                         long long ignored, long long before, long long held)
{
    ck_assert_int_eq(st->imported_rows, rows);
    ck_assert_int_eq(st->replaced, replaced);
    ck_assert_int_eq(st->unchanged, unchanged);
    ck_assert_int_eq(st->ignored, ignored);
    ck_assert_int_eq(st->imports_before, before);
    ck_assert_int_eq(st->held_before, held);
}

START_TEST(status_counts)
{
    store *s = fresh(_i);
    cx_response r;
    store_upsert_result res;
    resp(&r, "csv", "a", 1, 9, "");
    r.responded_at = 1700000000;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    resp(&r, "csv", "b", 1, 2, "");
    r.responded_at = 1760000000;
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    resp(&r, "api", "a", 1, 7, "");
    ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    ck_assert_int_eq(store_add_reject(s, "api", "page 1", "bad", "x", 1), 0);
    ck_assert_int_eq(store_upsert_customer(s, "c", 5, NULL, 0), 0);
    ck_assert_int_eq(store_add_spend(s, "billing", "c", 1, 2), 0);
    store_import_stats st1 = {"responses", "f.csv", 10, 6,
                              3,           1,       2,  4}; /* ..., ignored 1, rejected 2, unchanged 4 */
    ck_assert_int_eq(store_log_import(s, &st1), 0);
    ck_assert_int_eq(store_log_import(s, &st1), 0);
    ck_assert_int_eq(store_sync_record(s, "api", 1764000000, 40, NULL), 0);
    ck_assert_int_eq(store_sync_record(s, "api", 1765000000, 42, "HTTP 503"),
                     0); /* fails: stale since 1764000000 */
    ck_assert_int_eq(store_sync_record(s, "quiet", 1765000001, 0, NULL), 0);
    store_status st;
    ck_assert_int_eq(store_get_status(s, &st), 0);
    ck_assert_int_eq(st.responses, 3);
    ck_assert_int_eq(st.customers, 1);
    ck_assert_int_eq(st.spend_rows, 1);
    ck_assert_int_eq(st.rejects, 1);
    log_sums_are(&st, 20, 6, 8, 2, 0, 0);
    ck_assert_int_eq(st.first_at, 1700000000);
    ck_assert_int_eq(st.last_at, 1760000000);
    ck_assert(st.last_import > 1700000000);
    ck_assert_uint_eq(st.n_sources, 3);
    ck_assert_str_eq(st.sources[0].source, "api");
    ck_assert_int_eq(st.sources[0].responses, 1);
    ck_assert_int_eq(st.sources[0].rejects, 1);
    ck_assert_int_eq(st.sources[0].last_sync, 1764000000); /* the last successful sync */
    ck_assert_int_eq(st.sources[0].last_fetched, 42);
    ck_assert_str_eq(st.sources[0].last_error, "HTTP 503");
    ck_assert_str_eq(st.sources[1].source, "csv");
    ck_assert_int_eq(st.sources[1].responses, 2);
    ck_assert_int_eq(st.sources[1].last_sync, 0);
    ck_assert_str_eq(st.sources[2].source, "quiet");
    ck_assert_ptr_null(st.sources[2].last_error);
    store_status_free(&st);
    /* a row logged before schema 10 (no unchanged count): its rows
     * already held summed apart, not as replaced or older */
    backend_exec(_i, "UPDATE imports SET unchanged = NULL WHERE id = (SELECT min(id) FROM imports)");
    ck_assert_int_eq(store_get_status(s, &st), 0);
    log_sums_are(&st, 20, 3, 4, 1, 1, 4);
    store_status_free(&st);
    ck_assert(!strncmp(store_backend(s), _i ? "postgresql " : "sqlite ", _i ? 11 : 7));
    done(_i, s);
}
END_TEST

typedef struct groups {
    char line[32][64];
    size_t n;
} groups;

static int collect_group(const store_nps_group *g, void *ctx)
{
    groups *x = ctx;
    if (x->n == 32) return 9;
    char m[16];
    month_format(g->month, m);
    snprintf(x->line[x->n++], 64, "%s %zu %s %lld/%lld/%lld", m, g->dim,
             g->segment ? g->segment : "(missing)", g->p, g->a, g->d);
    return 0;
}

static int cmp_line(const void *a, const void *b) { return strcmp(a, b); }

static int collect_score(int month, int score, long long n, void *ctx)
{
    groups *x = ctx;
    char m[16];
    month_format(month, m);
    snprintf(x->line[x->n++], 64, "%s %d %lld", m, score, n);
    return 0;
}

/* store_attr_names lists each attribute name of the stored responses
 * once (here by hand: a, b, c, d), whichever response holds it, and not a
 * customer's attribute; a response replaced without one no longer holds it. */
typedef struct names_seen {
    char name[8][16];
    size_t n;
} names_seen;

static int collect_name(const char *name, void *ctx)
{
    names_seen *x = ctx;
    ck_assert_uint_lt(x->n, 8);
    snprintf(x->name[x->n++], sizeof x->name[0], "%s", name);
    return 0;
}

START_TEST(attr_names_distinct)
{
    store *s = fresh(_i);
    cx_attr ca[1] = {{"tier", "gold"}};
    ck_assert_int_eq(store_upsert_customer(s, "c1", 1, ca, 1), 0);
    static const cx_attr rows[4][2] = {
        {{"a", "1"}, {"b", "2"}}, {{"b", "3"}, {"c", ""}}, {{"d", "x"}}, {{"a", "y"}}};
    static const size_t n_attrs[4] = {2, 2, 1, 1};
    static const char *const ids[4] = {"1", "2", "3", "4"};
    for (size_t i = 0; i < 4; i++) {
        cx_response r;
        store_upsert_result res;
        resp(&r, "csv", ids[i], 1, 9, "");
        r.customer_id = "c1";
        memcpy(r.attrs, rows[i], n_attrs[i] * sizeof *r.attrs);
        r.n_attrs = n_attrs[i];
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    }
    cx_response none;
    store_upsert_result res;
    resp(&none, "other", "5", 1, 9, "");
    ck_assert_int_eq(store_upsert_response(s, &none, &res), 0);
    names_seen x;
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_attr_names(s, collect_name, &x), 0);
    qsort(x.name, x.n, sizeof x.name[0], cmp_line);
    ck_assert_uint_eq(x.n, 4);
    ck_assert_str_eq(x.name[0], "a");
    ck_assert_str_eq(x.name[1], "b");
    ck_assert_str_eq(x.name[2], "c");
    ck_assert_str_eq(x.name[3], "d");
    /* response 3 replaced (newer) without its attribute: d is gone */
    resp(&none, "csv", "3", 2, 9, "");
    ck_assert_int_eq(store_upsert_response(s, &none, &res), 0);
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(store_attr_names(s, collect_name, &x), 0);
    qsort(x.name, x.n, sizeof x.name[0], cmp_line);
    ck_assert_uint_eq(x.n, 3);
    ck_assert_str_eq(x.name[2], "c");
    done(_i, s);
}
END_TEST

START_TEST(nps_counts_pushed_down)
{
    store *s = fresh(_i);
    cx_attr ca[1] = {{"tier", "gold"}};
    ck_assert_int_eq(store_upsert_customer(s, "c1", 1, ca, 1), 0);
    struct {
        const char *id, *channel, *tier, *cust;
        int score;
        int64_t at;
    } rows[] = {
        {"1", "phone", NULL, "c1", 9, 1759300000},     /* 2025-10: tier from the customer */
        {"2", "phone", "silver", "c1", 7, 1759300000}, /* own attribute wins */
        {"3", "", "", "c1", 0, 1759300000},            /* empty channel; empty own tier: missing */
        {"4", "web", NULL, "nobody", 10, 1762000000},  /* 2025-11; no such customer: missing */
    };
    for (size_t i = 0; i < 4; i++) {
        cx_response r;
        store_upsert_result res;
        resp(&r, "csv", rows[i].id, 1, rows[i].score, "");
        r.responded_at = rows[i].at;
        r.channel = rows[i].channel;
        r.customer_id = rows[i].cust;
        if (rows[i].tier) {
            r.attrs[0] = (cx_attr){"tier", rows[i].tier};
            r.n_attrs = 1;
        }
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
    }
    const char *dims[2] = {"channel", "tier"};
    groups g;
    memset(&g, 0, sizeof g);
    ck_assert_int_eq(store_nps_counts(s, NULL, dims, 2, collect_group, &g), 0);
    qsort(g.line, g.n, sizeof g.line[0], cmp_line);
    static const char *const want[] = {
        "2025-10 0 all 1/1/1",       "2025-10 1 (missing) 0/0/1", "2025-10 1 phone 1/1/0",
        "2025-10 2 (missing) 0/0/1", "2025-10 2 gold 1/0/0",      "2025-10 2 silver 0/1/0",
        "2025-11 0 all 1/0/0",       "2025-11 1 web 1/0/0",       "2025-11 2 (missing) 1/0/0",
    };
    ck_assert_uint_eq(g.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < g.n; i++) ck_assert_str_eq(g.line[i], want[i]);
    int from;
    ck_assert_int_eq(month_parse("2025-11", &from), 0);
    store_filter f = {"csv", from, from};
    memset(&g, 0, sizeof g);
    ck_assert_int_eq(store_score_counts(s, &f, collect_score, &g), 0);
    ck_assert_uint_eq(g.n, 1);
    ck_assert_str_eq(g.line[0], "2025-11 10 1");
    done(_i, s);
}
END_TEST

int main(void)
{
    int backends = store_backends("test_store_summary");
    Suite *s = suite_create("store_summary");
    TCase *tc = tcase_create("summary");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, status_counts, 0, backends);
    tcase_add_loop_test(tc, nps_counts_pushed_down, 0, backends);
    tcase_add_loop_test(tc, attr_names_distinct, 0, backends);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
