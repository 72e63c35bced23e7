/* fuzz_store.c — a damaged or hand-edited store file read by every read
 * path: no crash, no undefined behaviour, and every value handed on is one
 * that input could have given (core/store/store_check.h).
 *
 * The input is a recipe.  Its first byte picks the form:
 *   'E' (edits): a good store of a few rows is built, then each following
 *       line "TABLE COLUMN ROW VALUE" sets one value with the schema's
 *       CHECK constraints off, as a hand edit could: TABLE r (responses),
 *       c (customers) or s (spend); COLUMN a name from the table's list
 *       below (nothing else reaches SQL); ROW 0..3; VALUE an integer, a
 *       real, "null", or text.
 *   anything else: the rest of the input IS the store file (after a
 *       valid SQLite header, so the reader gets past the first page).
 * Then: status, the scans of responses (whole and one month), customers,
 * spend and rejects, the pushed-down NPS counts by a field and by an
 * attribute, and the score counts.
 */
#include "tests/fuzz/fuzz.h"

#include <math.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "core/store/store.h"
#include "core/timeparse.h"

static char dir[64], db[96];

static void remove_store(void)
{
    static const char *const ext[] = {"", "-wal", "-shm", "-journal", "-sync"};
    char p[128];
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        snprintf(p, sizeof p, "%s%s", db, ext[i]);
        unlink(p);
    }
}

static void cleanup(void)
{
    remove_store();
    rmdir(dir);
}

static void setup(void)
{
    if (dir[0]) return;
    snprintf(dir, sizeof dir, "/tmp/cxfuzz-store-%ld-XXXXXX", (long)getpid());
    if (!mkdtemp(dir)) fuzz_fail("mkdtemp");
    snprintf(db, sizeof db, "%s/s.db", dir);
    atexit(cleanup);
}

/* ---- checks on what the store hands on ---- */

static int on_response(const cx_response *r, void *ctx)
{
    (void)ctx;
    FUZZ_CHECK(r->score >= 0 && r->score <= 10);
    FUZZ_CHECK(r->responded_at >= CX_TIME_MIN && r->responded_at <= CX_TIME_MAX);
    FUZZ_CHECK(r->updated_at >= CX_TIME_MIN && r->updated_at <= CX_TIME_MAX);
    FUZZ_CHECK(r->response_id && r->response_id[0]);
    FUZZ_CHECK(!r->has_handle_time || (isfinite(r->handle_time_s) && r->handle_time_s >= 0));
    FUZZ_CHECK(r->n_moments <= CX_MAX_MOMENTS && r->n_attrs <= CX_MAX_ATTRS);
    for (size_t i = 0; i < r->n_attrs; i++) FUZZ_CHECK(r->attrs[i].key && r->attrs[i].value);
    return 0;
}

static int on_customer(const char *id, double v, const cx_attr *a, size_t n, void *ctx)
{
    (void)ctx;
    (void)a;
    FUZZ_CHECK(id && n <= CX_MAX_ATTRS);
    FUZZ_CHECK(isnan(v) || (isfinite(v) && v >= 0));
    return 0;
}

static int on_spend(const char *id, int64_t day, double amount, void *ctx)
{
    (void)ctx;
    FUZZ_CHECK(id && day >= CX_DAY_MIN && day <= CX_DAY_MAX && isfinite(amount));
    return 0;
}

static int on_reject(const char *s, const char *w, const char *r, const char *raw, size_t n, void *ctx)
{
    (void)ctx;
    FUZZ_CHECK(s && w && r && raw && raw[n] == '\0');
    return 0;
}

static int on_group(const store_nps_group *g, void *ctx)
{
    (void)ctx;
    FUZZ_CHECK(g->month >= CX_MONTH_MIN && g->month <= CX_MONTH_MAX);
    FUZZ_CHECK(g->p >= 0 && g->a >= 0 && g->d >= 0);
    return 0;
}

static int on_score(int month, int score, long long n, void *ctx)
{
    (void)ctx;
    FUZZ_CHECK(month >= CX_MONTH_MIN && month <= CX_MONTH_MAX && score >= 0 && score <= 10 && n > 0);
    return 0;
}

/* Every read path once; errors are fine, they must only be errors. */
static void read_all(void)
{
    char err[512];
    store *s = store_open(db, err, sizeof err);
    if (!s) return;
    store_status st;
    if (store_get_status(s, &st) == 0) store_status_free(&st);
    store_filter month = {NULL, 2026 * 12, 2026 * 12};
    static const char *const dims[] = {"channel", "region"};
    store_scan_responses(s, NULL, on_response, NULL);
    store_scan_responses(s, &month, on_response, NULL);
    store_scan_customers(s, on_customer, NULL);
    store_scan_spend(s, on_spend, NULL);
    store_scan_rejects(s, NULL, on_reject, NULL);
    store_nps_counts(s, NULL, dims, 2, on_group, NULL);
    store_score_counts(s, NULL, on_score, NULL);
    FUZZ_CHECK(store_error(s) != NULL);
    store_close(s);
}

/* ---- the good store and its edits ---- */

static void build_good(void)
{
    char err[512];
    store *s = store_open(db, err, sizeof err);
    if (!s) fuzz_fail(err);
    if (store_begin(s) != 0) fuzz_fail(store_error(s));
    for (int i = 0; i < 4; i++) {
        cx_response r;
        char id[16];
        cx_response_clear(&r);
        snprintf(id, sizeof id, "r%d", i);
        r.source = "csv";
        r.response_id = id;
        r.responded_at = r.updated_at = 1767261600 + i * 2678400LL; /* 2026-01-01T10:00Z + months */
        r.score = i * 3;
        r.channel = i % 2 ? "phone" : "chat";
        r.customer_id = "c1";
        r.has_handle_time = 1;
        r.handle_time_s = 30 * i;
        r.n_moments = 2;
        r.moments[0] = 3;
        r.moments[1] = 4;
        r.attrs[0] = (cx_attr){"region", "north"};
        r.n_attrs = 1;
        store_upsert_result res;
        if (store_upsert_response(s, &r, &res) != 0) fuzz_fail(store_error(s));
    }
    cx_attr a = {"tier", "gold"};
    if (store_upsert_customer(s, "c1", 100, &a, 1) != 0 ||
        store_upsert_customer(s, "c2", NAN, NULL, 0) != 0 ||
        store_add_spend(s, "csv", "c1", 20454, 10.5) != 0 ||
        store_add_spend(s, "csv", "c2", 20455, -3) != 0 ||
        store_add_reject(s, "csv", "f.csv:2", "bad", "x,y", 3) != 0 || store_commit(s) != 0)
        fuzz_fail(store_error(s));
    store_close(s);
}

static const char *const resp_cols[] = {
    "source",      "response_id", "responded_at",  "updated_at", "month",      "score", "comment",
    "customer_id", "channel",     "handle_time_s", "moments",    "attributes", "metric"};
static const char *const cust_cols[] = {"customer_id", "annual_value", "attributes"};
static const char *const spend_cols[] = {"customer_id", "day", "amount", "source"};

/* Binds VALUE as what it reads as: integer, real, NULL or text. */
static void bind_value(sqlite3_stmt *st, const char *v)
{
    char *end;
    long long ll = strtoll(v, &end, 10);
    if (*v && !*end) {
        sqlite3_bind_int64(st, 1, ll);
        return;
    }
    double d = strtod(v, &end);
    if (*v && !*end) {
        sqlite3_bind_double(st, 1, d);
        return;
    }
    if (!strcmp(v, "null")) {
        sqlite3_bind_null(st, 1);
        return;
    }
    sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
}

static void apply_edit(sqlite3 *h, char *line)
{
    char *tab = strtok(line, " "), *col = strtok(NULL, " "), *row = strtok(NULL, " ");
    char *val = strtok(NULL, "");
    if (!tab || !col || !row || !val) return;
    static const struct {
        char tag;
        const char *const *cols;
        size_t n;
        const char *table, *key;
    } tables[] = {
        {'r', resp_cols, sizeof resp_cols / sizeof *resp_cols, "responses", "response_id"},
        {'c', cust_cols, sizeof cust_cols / sizeof *cust_cols, "customers", "customer_id"},
        {'s', spend_cols, sizeof spend_cols / sizeof *spend_cols, "spend", "customer_id"},
    };
    size_t t = 0;
    while (t < sizeof tables / sizeof *tables && tables[t].tag != tab[0]) t++;
    if (t == sizeof tables / sizeof *tables) return;
    const char *const *cols = tables[t].cols;
    size_t n = tables[t].n;
    const char *table = tables[t].table, *key = tables[t].key;
    size_t k = 0;
    while (k < n && strcmp(cols[k], col) != 0) k++;
    if (k == n) return;
    char sql[160], keyval[8];
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?1 WHERE %s = ?2", table, cols[k], key);
    snprintf(keyval, sizeof keyval, "%s%c", tab[0] == 'r' ? "r" : "c", '0' + (row[0] & 3));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) return;
    bind_value(st, val);
    sqlite3_bind_text(st, 2, keyval, -1, SQLITE_TRANSIENT);
    sqlite3_step(st); /* a UNIQUE or NOT NULL failure is just no edit */
    sqlite3_finalize(st);
}

static void edits(const uint8_t *data, size_t size)
{
    build_good();
    sqlite3 *h;
    if (sqlite3_open(db, &h) != SQLITE_OK) fuzz_fail("sqlite3_open");
    sqlite3_exec(h, "PRAGMA ignore_check_constraints = 1", NULL, NULL, NULL);
    char *text = fuzz_cstr(data, size), *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        apply_edit(h, line);
    free(text);
    sqlite3_close(h);
}

static void raw_file(const uint8_t *data, size_t size)
{
    static const char head[16] = "SQLite format 3"; /* with its NUL: 16 bytes */
    FILE *f = fopen(db, "wb");
    if (!f) fuzz_fail("fopen");
    if (size < 16 || memcmp(data, head, 16) != 0) fwrite(head, 1, 16, f);
    if (size) fwrite(data, 1, size, f);
    if (fclose(f) != 0) fuzz_fail("fclose");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    remove_store();
    if (size > 0 && data[0] == 'E') edits(data + 1, size - 1);
    else raw_file(size ? data + 1 : data, size ? size - 1 : 0);
    read_all();
    return 0;
}
