/* test_store_runs.c — core/store/store_sqlite_bulk_runs.c: a bulk of ids
 * in random order into an empty SQLite store, sorted in runs outside
 * SQLite and merged by key.  Over several runs (more rows than two runs
 * hold), with a key met again (newer, older, equal; among the first rows,
 * which were loaded straight and are taken back, or late), the counts and
 * every field of every stored row are those of row-by-row upserts in file
 * order (a model of them); the table's rows are in key order and the
 * month index is there.  The store_on_sorted callback is told to start
 * over once, then sees each key once, in key order, as its winner (the row
 * the store keeps: a key given twice is settled in the merge, not
 * staged).  Rows longer than the runs' write buffer come
 * back whole.  A temporary file that cannot be made fails the bulk with
 * the reason, and the rollback leaves the store empty. */
#include "store_fixture.h"

#include <sqlite3.h>

enum { N = 150000 }; /* RESP_RUN_ROWS is 32,768: several runs, most a handed-over batch each */

static char big[300000]; /* a comment past the runs' 256 KiB write buffer */

/* File row I with key K, updated at U: every field follows K and I. */
static void make_row(cx_response *r, char *id, char *c, int k, int i, int64_t u, int long_comment)
{
    static const char *const ch[] = {"phone", "chat", "email"};
    static char vals[3][8] = {"north", "south", "east"};
    snprintf(id, 16, "k%06d", k);
    snprintf(c, 24, "row %d", i);
    resp(r, "csv", id, u, i % 11, long_comment ? big : c);
    r->responded_at = 1735689600 + (int64_t)k * 137; /* 2025 on: months follow the key, not the order */
    r->channel = ch[k % 3];
    r->agent_id = k % 5 ? "a1" : "";
    r->has_handle_time = k % 4 != 0;
    r->handle_time_s = r->has_handle_time ? k * 0.25 : 0;
    r->n_moments = (size_t)(k % 4);
    /* one digit mostly, some of two and some below 0 (cx_num_put_int
     * writes one digit by itself, any other digit by digit) */
    for (size_t m = 0; m < r->n_moments; m++) r->moments[m] = (int)((k + (int)m) % 23) - 6;
    r->n_attrs = (size_t)(k % 3);
    static const char *const keys[] = {"region", "tier"};
    for (size_t a = 0; a < r->n_attrs; a++) {
        r->attrs[a].key = keys[a];
        r->attrs[a].value = vals[(k + (int)a) % 3];
    }
}

typedef struct check {
    const int *win;        /* the file row that won each key, -1 none */
    const int64_t *upd;    /* its updated_at */
    const char *long_rows; /* 1: row I had the long comment */
    int prev, n, bad;
    char why[256];
} check;

static int compare(const cx_response *got, void *ctx)
{
    check *x = ctx;
    int k = (int)strtol(got->response_id + 1, NULL, 10);
    char id[16], c[24], why[128] = "";
    if (k <= x->prev || k >= N || x->win[k] < 0) snprintf(why, sizeof why, "key out of order or not stored");
    else {
        cx_response w;
        int i = x->win[k];
        make_row(&w, id, c, k, i, x->upd[k], x->long_rows[i]);
        if (strcmp(got->comment, w.comment) || got->updated_at != w.updated_at || got->score != w.score ||
            got->responded_at != w.responded_at || strcmp(got->channel, w.channel) ||
            strcmp(got->agent_id, w.agent_id) || got->has_handle_time != w.has_handle_time ||
            got->handle_time_s != w.handle_time_s || got->n_moments != w.n_moments ||
            got->n_attrs != w.n_attrs)
            snprintf(why, sizeof why, "a field differs");
        for (size_t m = 0; !why[0] && m < w.n_moments; m++)
            if (got->moments[m] != w.moments[m]) snprintf(why, sizeof why, "a moment differs");
        for (size_t a = 0; !why[0] && a < w.n_attrs; a++)
            if (strcmp(got->attrs[a].key, w.attrs[a].key) || strcmp(got->attrs[a].value, w.attrs[a].value))
                snprintf(why, sizeof why, "an attribute differs");
    }
    if (why[0] && !x->bad++) snprintf(x->why, sizeof x->why, "%s: %s", got->response_id, why);
    x->prev = k;
    x->n++;
    return 0;
}

/* What store_on_sorted was shown: how often it was told to start, and
 * each row compared with the model's winner of its key. */
typedef struct sorted_seen {
    int starts;
    check c;
} sorted_seen;

static int on_sorted(const cx_response *r, void *ctx)
{
    sorted_seen *x = ctx;
    if (!r) {
        x->starts++;
        x->c.prev = -1;
        x->c.n = 0;
        return 0;
    }
    return compare(r, &x->c);
}

/* The bulk's counts C against the model's (new, replacing, ignored). */
static void assert_counts(const store_bulk_counts *c, const long long want[3], int variant)
{
    ck_assert_msg(c->inserted == want[0] && c->replaced + c->unchanged == want[1] && c->ignored == want[2],
                  "variant %d: got %lld/%lld+%lld/%lld, want %lld/%lld/%lld", variant, c->inserted,
                  c->replaced, c->unchanged, c->ignored, want[0], want[1], want[2]);
}

/* Variants: no key again; row 3's key (loaded straight, taken back) again
 * late, newer / older; row 5's key again in the second batch, the same
 * updated_at; the key that sorts first (the merge's first row: nothing
 * loaded before the turn to staging) and the one that sorts last again. */
static const struct {
    int at, of, key, du;
} again[] = {{-1, 0, -1, 0},   {140000, 3, -1, 1}, {140000, 3, -1, -1},
             {9000, 5, -1, 0}, {130000, 0, 0, 1},  {20000, 0, N - 1, 2}};

START_TEST(runs_match_row_by_row)
{
    static int perm[N], win[N];
    static int64_t upd[N];
    static char long_rows[N];
    store *s = fresh(0);
    uint32_t st = 7u + (uint32_t)_i;
    for (int i = 0; i < N; i++) perm[i] = i;
    for (int i = N - 1; i > 0; i--) {
        int j = (int)(lcg(&st) % (uint32_t)(i + 1)), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    memset(big, 'x', sizeof big - 1);
    for (int i = 0; i < N; i++) win[i] = -1;
    memset(long_rows, 0, sizeof long_rows);
    long long want[3] = {0, 0, 0};
    sorted_seen ss = {0, {win, upd, long_rows, -1, 0, 0, ""}};
    store_on_sorted(s, on_sorted, &ss);
    ck_assert_int_eq(store_begin_load(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    ck_assert_int_eq(store_bulk_sorting(s), 0);
    for (int i = 0; i < N; i++) {
        int k = perm[i];
        int64_t u = 500;
        if (i == again[_i].at) {
            k = again[_i].key >= 0 ? again[_i].key : perm[again[_i].of];
            u = 500 + again[_i].du;
        }
        long_rows[i] = i % 50000 == 777;
        cx_response r;
        char id[16], c[24];
        make_row(&r, id, c, k, i, u, long_rows[i]);
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
        int cls = win[k] < 0 ? 0 : u >= upd[k] ? 1 : 2;
        want[cls]++;
        if (cls < 2) {
            win[k] = i;
            upd[k] = u;
        }
    }
    /* known to sort, on this thread, once the writer turned to runs */
    ck_assert_int_eq(store_bulk_sorting(s), 1);
    store_bulk_counts c;
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_bulk_sorting(s), 0);
    ck_assert_int_eq(store_commit(s), 0);
    assert_counts(&c, want, _i);
    /* told to start, then every row; with a key twice, told again that
     * what it saw is void */
    ck_assert_int_eq(ss.starts, 1);
    ck_assert_msg(ss.c.bad == 0, "variant %d: %d rows shown differ, first %s", _i, ss.c.bad, ss.c.why);
    ck_assert_int_eq(ss.c.n, want[0]);
    check x = {win, upd, long_rows, -1, 0, 0, ""};
    ck_assert_int_eq(store_scan_responses(s, NULL, compare, &x), 0);
    ck_assert_msg(x.bad == 0, "variant %d: %d rows differ, first %s", _i, x.bad, x.why);
    ck_assert_int_eq(x.n, want[0]);
    /* the table in key order, as the analysis cache's scan reads it; no month index (schema 7) */
    ck_assert_int_eq(
        sqlite_one("SELECT count(*) FROM (SELECT response_id, lag(response_id) OVER (ORDER BY rowid) p "
                   "FROM responses) WHERE p >= response_id"),
        0);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM sqlite_master WHERE name = 'responses_month'"), 0);
    done(0, s);
}
END_TEST

/* Ids in order (0 .. M-1 but 3) with rows given again: late rows after
 * 65,536 rows loaded in order, few in their batch, are staged beside the
 * rows loaded straight (those stay: the late new key 3 is the table's last
 * row); else (too many in one batch, or too early) the bulk turns to
 * runs (the table in key order).  Either way the counts and every row are
 * those of row-by-row upserts (a row given again as it was replaces: a
 * repeat in the file), also when a second source turns the bulk to
 * staging after late rows were staged (the rows loaded straight are
 * staged before them).  Each variant: rows (key, updated_at offset, or
 * SAME: a copy of the key's first row) added after file row AT of the
 * ids in order. */
enum { M = 100000, SAME = 100 };
static const struct {
    int at, n, key[6], du[6], late;
} late_v[] = {
    {M - 2, 5, {5, 6, 3, 99990, 8}, {1, -1, 0, 0, SAME}, 1}, /* at the end: newer, older, new, as it was */
    {M - 2, 3, {5, 5, 3}, {1, 2, 0}, 1},                     /* one key again twice */
    {70000, 2, {70001, 3}, {1, 0}, 1},                       /* the row just added, again (same batch) */
    {M - 2, 1, {-1}, {1}, 0},                                /* 2000 keys again in one batch */
    {100, 2, {5, 3}, {1, 0}, 0},                             /* too early */
    {70000, 2, {70001, 3}, {1, 0}, 2}, /* then a second source: every row staged, loaded ones first */
};

START_TEST(late_rows_match_row_by_row)
{
    static int fk[M + 2100], fi[M + 2100], win[N];
    static char web[M + 2100];
    static int64_t fu[M + 2100], upd[N];
    static char long_rows[N];
    int n = 0;
    for (int k = 0; k < M; k++) {
        if (k == 3) continue;
        fk[n] = k;
        fi[n] = n;
        fu[n++] = 500;
        if (n - 1 != late_v[_i].at) continue;
        if (late_v[_i].key[0] < 0) { /* keys 10 .. 2009 again, newer */
            for (int j = 0; j < 2000; j++) {
                fk[n] = 10 + j;
                fi[n] = n;
                fu[n++] = 501;
            }
            continue;
        }
        for (int j = 0; j < late_v[_i].n; j++) {
            int k2 = late_v[_i].key[j], same = late_v[_i].du[j] == SAME;
            fk[n] = k2;
            fi[n] = same ? (k2 < 3 ? k2 : k2 - 1) : n; /* the file row of the key's first version */
            fu[n++] = 500 + (same ? 0 : late_v[_i].du[j]);
        }
    }
    memset(web, 0, sizeof web);
    for (int j = 0; late_v[_i].late == 2 && j < 50; j++) { /* source "web", keys 120000 .. */
        fk[n] = 120000 + j;
        fi[n] = n;
        web[n] = 1;
        fu[n++] = 500;
    }
    for (int i = 0; i < N; i++) win[i] = -1;
    memset(long_rows, 0, sizeof long_rows);
    long long want[3] = {0, 0, 0};
    store *s = fresh(0);
    ck_assert_int_eq(store_begin_load(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (int i = 0; i < n; i++) {
        int k = fk[i];
        cx_response r;
        char id[16], c[24];
        make_row(&r, id, c, k, fi[i], fu[i], 0);
        if (web[i]) r.source = "web";
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
        int cls = win[k] < 0 ? 0 : fu[i] >= upd[k] ? 1 : 2;
        want[cls]++;
        if (cls < 2) {
            win[k] = fi[i];
            upd[k] = fu[i];
        }
    }
    store_bulk_counts c;
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_commit(s), 0);
    assert_counts(&c, want, _i);
    ck_assert_int_eq(c.unchanged, 0); /* nothing was stored before: a copy given again replaces */
    check x = {win, upd, long_rows, -1, 0, 0, ""};
    ck_assert_int_eq(store_scan_responses(s, NULL, compare, &x), 0);
    ck_assert_msg(x.bad == 0, "variant %d: %d rows differ, first %s", _i, x.bad, x.why);
    ck_assert_int_eq(x.n, want[0]);
    long long disorder =
        sqlite_one("SELECT count(*) FROM (SELECT response_id, lag(response_id) OVER (ORDER BY rowid) p "
                   "FROM responses) WHERE p >= response_id");
    if (late_v[_i].late == 1) /* loaded straight, the late new key last */
        ck_assert_int_eq(
            sqlite_one("SELECT response_id = 'k000003' FROM responses ORDER BY rowid DESC LIMIT 1"), 1);
    else if (late_v[_i].late == 0) /* sorted in runs */ ck_assert_int_eq(disorder, 0);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM sqlite_master WHERE name = 'responses_month'"), 0);
    done(0, s);
}
END_TEST

START_TEST(runs_without_a_temporary_file)
{
    store *s = fresh(0);
    const char *old = getenv("TMPDIR");
    char *keep = old ? strdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent-cxpulse-dir", 1);
    ck_assert_int_eq(store_begin_load(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    int rc = 0;
    for (int i = 0; rc == 0 && i < 40000; i++) {
        cx_response r;
        char id[16], c[24];
        make_row(&r, id, c, 39999 - i, i, 500, 0); /* falling ids: runs from the second batch */
        rc = store_bulk_add(s, &r);
    }
    store_bulk_counts c;
    if (rc == 0) rc = store_bulk_end(s, &c);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(store_error(s), "temporary file") != NULL, "%s", store_error(s));
    ck_assert_int_eq(store_rollback(s), 0);
    if (keep) setenv("TMPDIR", keep, 1);
    else unsetenv("TMPDIR");
    free(keep);
    ck_assert_int_eq(sqlite_one("SELECT count(*) FROM responses"), 0);
    done(0, s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_runs");
    TCase *tc = tcase_create("runs");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, runs_match_row_by_row, 0, (int)(sizeof again / sizeof *again));
    tcase_add_loop_test(tc, late_rows_match_row_by_row, 0, (int)(sizeof late_v / sizeof *late_v));
    tcase_add_test(tc, runs_without_a_temporary_file);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
