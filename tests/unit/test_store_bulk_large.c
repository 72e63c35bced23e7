/* test_store_bulk_large.c — store_bulk_* conformance for bulks larger
 * than a batch: a large first import with ids in reverse order and ids
 * held elsewhere, a first import with ids in random order (sorted runs on
 * SQLite) with keys met again, one with rows longer than the runs'
 * buffers, and re-imports that leave unchanged rows
 * out; each against the counts and rows of row-by-row upserts, on SQLite
 * always and on PostgreSQL when CXPULSE_PG_URI names a server
 * (tests/e2e/pg_unit.sh).  The smaller cases: test_store_bulk.c.
 */
#include "store_fixture.h"

typedef struct held_all {
    long long index[4];
    int n;
} held_all;

static int note_held_all(long long index, const char *response_id, const char *held_by, void *ctx)
{
    held_all *h = ctx;
    (void)response_id;
    (void)held_by;
    if (h->n < 4) h->index[h->n] = index;
    h->n++;
    return 0;
}

/* The number of an id "k%05d". */
static int atoi_k(const char *id)
{
    int k = 0;
    for (const char *p = id + 1; *p >= '0' && *p <= '9'; p++) k = k * 10 + (*p - '0');
    return k;
}

typedef struct tally {
    long long n;
    char first_id[32], first_comment[32], k19989[32];
    const char (*want)[24]; /* when set: key kNNNNN's comment, for every row */
    long long wrong;        /* rows whose comment is not want's */
} tally;

static int count_rows(const cx_response *r, void *ctx)
{
    tally *t = ctx;
    if (t->n++ == 0) {
        snprintf(t->first_id, sizeof t->first_id, "%s", r->response_id);
        snprintf(t->first_comment, sizeof t->first_comment, "%s", r->comment);
    }
    if (!strcmp(r->source, "csv") && !strcmp(r->response_id, "k19989"))
        snprintf(t->k19989, sizeof t->k19989, "%s", r->comment);
    if (t->want && strcmp(r->comment, t->want[strtol(r->response_id + 1, NULL, 10)]) != 0) t->wrong++;
    return 0;
}

/* A first import larger than a batch (loaded straight into responses in
 * batches of 8192 rows on SQLite), ids in reverse order: a key of the
 * first batch met again in a later one turns the load into staging with
 * the counts and rows of row-by-row upserts; ids held by another source
 * are set aside with their place in the bulk, before and after the turn.
 * Without a repeat, the same bulk stays on the straight path. */
START_TEST(bulk_large_first_import)
{
    enum { N = 20000 };
    for (int repeat = 0; repeat < 2; repeat++) {
        store *s = fresh(_i);
        cx_response r;
        store_upsert_result res;
        store_allow_duplicate_ids(s, 0);
        resp(&r, "qualtrics", "k19996", 100, 9, "synced");
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
        resp(&r, "qualtrics", "k00100", 100, 9, "synced");
        ck_assert_int_eq(store_upsert_response(s, &r, &res), 0);
        held_all h;
        memset(&h, 0, sizeof h);
        store_on_held(s, note_held_all, &h);
        ck_assert_int_eq(store_begin(s), 0);
        ck_assert_int_eq(store_bulk_begin(s), 0);
        for (int i = 0; i < N; i++) {
            char id[16], c[24];
            int k = N - 1 - i; /* ids in reverse order */
            int64_t u = 200;
            if (repeat && i == 15000) {
                k = N - 1 - 10;
                u = 300;
            } /* row 10's key again, newer */
            snprintf(id, sizeof id, "k%05d", k);
            snprintf(c, sizeof c, "row %d", i);
            resp(&r, "csv", id, u, i % 11, c);
            ck_assert_int_eq(store_bulk_add(s, &r), 0);
        }
        store_bulk_counts c;
        ck_assert_int_eq(store_bulk_end(s, &c), 0);
        ck_assert_int_eq(store_commit(s), 0);
        store_on_held(s, NULL, NULL);
        ck_assert_int_eq(c.held_elsewhere, 2);
        ck_assert_int_eq(h.n, 2);
        ck_assert_int_eq(h.index[0], 3); /* k19996 */
        ck_assert_int_eq(h.index[1], N - 1 - 100);
        ck_assert_int_eq(c.inserted, N - 2 - repeat);
        ck_assert_int_eq(c.replaced, repeat);
        ck_assert_int_eq(c.ignored, 0);
        tally t;
        memset(&t, 0, sizeof t);
        ck_assert_int_eq(store_scan_responses(s, NULL, count_rows, &t), 0);
        ck_assert_int_eq(t.n, N - repeat);
        /* scan order is (source, response_id): csv's k00000 first */
        ck_assert_str_eq(t.first_id, "k00000");
        ck_assert_str_eq(t.first_comment, "row 19999");
        ck_assert_str_eq(t.k19989, repeat ? "row 15000" : "row 10");
        done(_i, s);
    }
}
END_TEST

/* A first import into an empty store, larger than a batch, with ids in
 * random order (on SQLite the load turns to sorted runs at the second
 * batch, whose keys start below the first's, and later batches are a
 * run's worth, RESP_RUN_ROWS, sorted where they are): without a repeated
 * key, and with a key met again (newer, older or equal; in the first
 * batches or in a later run), the counts and rows of row-by-row upserts,
 * against a model of those upserts. */
START_TEST(bulk_shuffled_first_import)
{
    enum { N = 100000 };
    static const int again[4][2] = {{-1, 0}, {90000, 1}, {90000, -1}, {9000, 0}}; /* row, updated_at + */
    for (int v = 0; v < 4; v++) {
        store *s = fresh(_i);
        static int perm[N];
        static char comment[N][24];
        static int64_t upd[N];
        uint32_t st = 19u + (uint32_t)v;
        for (int i = 0; i < N; i++) perm[i] = i;
        for (int i = N - 1; i > 0; i--) { /* Fisher-Yates with the test's LCG */
            int j = (int)(lcg(&st) % (uint32_t)(i + 1)), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        long long want[3] = {0, 0, 0};
        memset(upd, 0, sizeof upd);
        ck_assert_int_eq(store_begin(s), 0);
        ck_assert_int_eq(store_bulk_begin(s), 0);
        for (int i = 0; i < N; i++) {
            char id[16], c[24];
            int k = perm[i];
            int64_t u = 200;
            if (i == again[v][0]) {
                k = perm[3];
                u = 200 + again[v][1];
            } /* row 3's key again */
            snprintf(id, sizeof id, "k%05d", k);
            snprintf(c, sizeof c, "row %d", i);
            cx_response r;
            resp(&r, "csv", id, u, i % 11, c);
            ck_assert_int_eq(store_bulk_add(s, &r), 0);
            int cls = !upd[k] ? 0 : u >= upd[k] ? 1 : 2;
            want[cls]++;
            if (cls < 2) {
                upd[k] = u;
                snprintf(comment[k], sizeof comment[k], "%s", c);
            }
        }
        store_bulk_counts c;
        ck_assert_int_eq(store_bulk_end(s, &c), 0);
        ck_assert_int_eq(store_commit(s), 0);
        ck_assert_msg(c.inserted == want[0] && c.replaced == want[1] && c.ignored == want[2],
                      "case %d: got %lld/%lld/%lld, want %lld/%lld/%lld", v, c.inserted, c.replaced,
                      c.ignored, want[0], want[1], want[2]);
        tally t;
        memset(&t, 0, sizeof t);
        t.want = (const char(*)[24])comment; /* every row, from the merge's batches in turn */
        ck_assert_int_eq(store_scan_responses(s, NULL, count_rows, &t), 0);
        ck_assert_int_eq(t.n, N - (again[v][0] >= 0));
        ck_assert_int_eq(t.wrong, 0);
        ck_assert_str_eq(t.first_id, "k00000");
        ck_assert_str_eq(t.first_comment, comment[0]);
        ck_assert_str_eq(t.k19989, comment[19989]);
        done(_i, s);
    }
}
END_TEST

/* Key K's comment in bulk_shuffled_long_rows: every 997th longer than a
 * buffer of the sorted runs (RUN_IO, 256 KiB: written in pieces, read
 * through a grown buffer), the others short. */
static size_t long_len(int k) { return k % 997 == 0 ? 300000 + (size_t)k : 0; }

static int check_long(const cx_response *r, void *ctx)
{
    long long *n = ctx;
    int k = atoi_k(r->response_id);
    size_t len = long_len(k), got = strlen(r->comment);
    if (len) {
        ck_assert_uint_eq(got, len);
        ck_assert_int_eq(r->comment[0], 'a' + k % 26);
        ck_assert_int_eq(r->comment[len - 1], 'a' + k % 26);
    } else {
        char want[24];
        snprintf(want, sizeof want, "c%d", k);
        ck_assert_str_eq(r->comment, want);
    }
    (*n)++;
    return 0;
}

START_TEST(bulk_shuffled_long_rows)
{
    enum { N = 30000 };
    store *s = fresh(_i);
    static int perm[N];
    uint32_t st = 7u;
    for (int i = 0; i < N; i++) perm[i] = i;
    for (int i = N - 1; i > 0; i--) {
        int j = (int)(lcg(&st) % (uint32_t)(i + 1)), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    char *big = malloc(300000 + N + 1);
    ck_assert_ptr_nonnull(big);
    ck_assert_int_eq(store_begin(s), 0);
    ck_assert_int_eq(store_bulk_begin(s), 0);
    for (int i = 0; i < N; i++) {
        char id[16], c[24];
        int k = perm[i];
        snprintf(id, sizeof id, "k%05d", k);
        size_t len = long_len(k);
        if (len) {
            memset(big, 'a' + k % 26, len);
            big[len] = '\0';
        } else {
            snprintf(c, sizeof c, "c%d", k);
        }
        cx_response r;
        resp(&r, "csv", id, 100, k % 11, len ? big : c);
        ck_assert_int_eq(store_bulk_add(s, &r), 0);
    }
    store_bulk_counts c;
    ck_assert_int_eq(store_bulk_end(s, &c), 0);
    ck_assert_int_eq(store_commit(s), 0);
    ck_assert_int_eq(c.inserted, N);
    long long n = 0;
    ck_assert_int_eq(store_scan_responses(s, NULL, check_long, &n), 0);
    ck_assert_int_eq(n, N);
    free(big);
    done(_i, s);
}
END_TEST

/* Re-importing a source whose keys come in ascending order leaves the
 * rows equal to (or older than) their stored row out of the staging; the
 * counts stay those of row-by-row upserts when a key comes again after
 * the order breaks (equal to the stored row, which its first row did not
 * change: unchanged, both; the other equal rows unchanged still), when it
 * comes again older, twice after its first (a copy of a version the file
 * wrote replaces it), and when nothing repeats. */
START_TEST(bulk_reimport_leaves_out_unchanged_rows)
{
    enum { N = 10000 };
    /* tail rows after the N equal ones: id, updated_at; want new/replaced/unchanged/ignored */
    static const struct {
        const char *id[2];
        int64_t u[2];
        long long want[4];
    } v[] = {
        {{"k00005", "k20000"}, {100, 100}, {1, 0, N + 1, 0}},
        {{"k00005", "k20000"}, {50, 100}, {1, 0, N, 1}},
        /* its first row newer (it writes), then the stored row: older */
        {{"k00005", "k00005"}, {101, 100}, {0, 1, N, 1}},
        /* its first row newer, then a copy of that row: replaces it */
        {{"k00005", "k00005"}, {101, 101}, {0, 2, N, 0}},
        {{"k20000", "k15000"}, {100, 100}, {2, 0, N, 0}},
    };
    for (size_t t = 0; t < sizeof v / sizeof *v; t++) {
        store *s = fresh(_i);
        cx_response r;
        store_bulk_counts c;
        for (int pass = 0; pass < 2; pass++) {
            ck_assert_int_eq(store_begin(s), 0);
            ck_assert_int_eq(store_bulk_begin(s), 0);
            for (int i = 0; i < N; i++) {
                char id[16];
                snprintf(id, sizeof id, "k%05d", i);
                resp(&r, "csv", id, 100, i % 11, "same");
                ck_assert_int_eq(store_bulk_add(s, &r), 0);
            }
            for (int j = 0; pass && j < 2; j++) {
                resp(&r, "csv", v[t].id[j], v[t].u[j], 5, "same");
                ck_assert_int_eq(store_bulk_add(s, &r), 0);
            }
            ck_assert_int_eq(store_bulk_end(s, &c), 0);
            ck_assert_int_eq(store_commit(s), 0);
        }
        ck_assert_msg(c.inserted == v[t].want[0] && c.replaced == v[t].want[1] &&
                          c.unchanged == v[t].want[2] && c.ignored == v[t].want[3],
                      "case %zu: got %lld/%lld/%lld/%lld", t, c.inserted, c.replaced, c.unchanged, c.ignored);
        tally n;
        memset(&n, 0, sizeof n);
        ck_assert_int_eq(store_scan_responses(s, NULL, count_rows, &n), 0);
        ck_assert_int_eq(n.n, N + v[t].want[0]);
        done(_i, s);
    }
}
END_TEST

int main(void)
{
    int backends = store_backends("test_store_bulk_large");
    Suite *s = suite_create("store_bulk_large");
    TCase *tc = tcase_create("bulk_large");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, bulk_large_first_import, 0, backends);
    tcase_add_loop_test(tc, bulk_shuffled_first_import, 0, backends);
    tcase_add_loop_test(tc, bulk_shuffled_long_rows, 0, backends);
    tcase_add_loop_test(tc, bulk_reimport_leaves_out_unchanged_rows, 0, backends);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
