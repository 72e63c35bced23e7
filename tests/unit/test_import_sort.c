/* test_import_sort.c — run/run_cache_sort.c: an import's rows sorted by
 * key for the analysis cache, for a store that does not sort them
 * (PostgreSQL).  20,000 rows of 17,000 keys in random order, a key given
 * up to four times with newer, older and equal updated_at anywhere in the
 * file, runs of 500 rows (40 runs: a heap six levels deep): the rows are
 * told once, NULL first, then each key once in byte order (a text before
 * a longer one it begins), each as its winner — the last row in file
 * order holding the key's greatest updated_at, as row-by-row upserts and
 * PostgreSQL's merge settle it — with every field it was given.  A key
 * that does not rise after more rows than a run holds starts a sort
 * without them (the caller has them). */
#include <check.h>

#include "run_suite.h"
#include "test_rng.h"
#include "core/store/resp_runs.h"
#include "run/run_cache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KEYS = 17000, ROWS = 20000 };

typedef struct frow {
    int key;
    int64_t upd;
    int score;
} frow;

static frow rows[ROWS];
static int winner[KEYS]; /* the file row each key keeps */

/* Key K's id: "k" and K without leading zeros, so that "k12" comes
 * before "k2" and "k1" before "k10" (byte order, not numeric). */
static void make(cx_response *r, char *id, char *comment, int i)
{
    const frow *f = &rows[i];
    snprintf(id, 16, "k%d", f->key);
    snprintf(comment, 32, "row %d", i);
    cx_response_clear(r);
    r->source = f->key % 7 ? "csv" : "api";
    r->response_id = id;
    r->comment = comment;
    r->customer_id = "c1";
    r->agent_id = f->key % 5 ? "a1" : "";
    r->channel = f->key % 2 ? "phone" : "chat";
    r->product = "";
    r->interaction_type = "";
    r->responded_at = 1735689600 + (int64_t)f->key * 97;
    r->updated_at = f->upd;
    r->score = f->score;
    r->has_handle_time = f->key % 3 != 0;
    r->handle_time_s = r->has_handle_time ? f->key * 0.5 : 0;
    r->n_moments = (size_t)(f->key % 4);
    for (size_t m = 0; m < r->n_moments; m++) r->moments[m] = (int)((f->key + (int)m) % 5) + 1;
    r->n_attrs = (size_t)(f->key % 2);
    if (r->n_attrs) {
        r->attrs[0].key = "region";
        r->attrs[0].value = i % 2 ? "line1\nline2 \"q\"" : "\xc3\xbc";
    }
}

typedef struct told {
    int n, nulls, bad;
    char last_src[8], last_id[16];
    char why[200];
} told;

static int tell(const cx_response *got, void *ctx)
{
    told *t = ctx;
    if (!got) {
        t->nulls++;
        return 0;
    }
    if (t->bad) return 0;
    int k = (int)strtol(got->response_id + 1, NULL, 10);
    int c = strcmp(got->source, t->last_src);
    if (!c) c = strcmp(got->response_id, t->last_id);
    if (t->n > 0 && c <= 0)
        snprintf(t->why, sizeof t->why, "%s/%s after %s/%s", got->source, got->response_id, t->last_src,
                 t->last_id);
    else if (k < 0 || k >= KEYS || winner[k] < 0) snprintf(t->why, sizeof t->why, "key %d not given", k);
    else {
        cx_response w;
        char id[16], comment[32];
        make(&w, id, comment, winner[k]);
        if (strcmp(got->comment, w.comment) || got->updated_at != w.updated_at || got->score != w.score ||
            strcmp(got->source, w.source) || strcmp(got->agent_id, w.agent_id) ||
            strcmp(got->channel, w.channel) || got->responded_at != w.responded_at ||
            got->has_handle_time != w.has_handle_time || got->handle_time_s != w.handle_time_s ||
            got->n_moments != w.n_moments || got->n_attrs != w.n_attrs ||
            memcmp(got->moments, w.moments, w.n_moments * sizeof w.moments[0]) ||
            (w.n_attrs &&
             (strcmp(got->attrs[0].key, "region") || strcmp(got->attrs[0].value, w.attrs[0].value))))
            snprintf(t->why, sizeof t->why, "key %d: got '%s' updated %lld, want '%s' updated %lld", k,
                     got->comment, (long long)got->updated_at, w.comment, (long long)w.updated_at);
    }
    if (t->why[0]) t->bad = 1;
    snprintf(t->last_src, sizeof t->last_src, "%s", got->source);
    snprintf(t->last_id, sizeof t->last_id, "%s", got->response_id);
    t->n++;
    return 0;
}

START_TEST(rows_told_in_key_order_each_key_its_winner)
{
    test_rng_seed(41);
    resp_run_rows = 500;
    for (int i = 0; i < ROWS; i++) { /* every key once, then 3,000 given again */
        rows[i].key = i < KEYS ? i : (int)(test_rng_next() % KEYS);
        rows[i].upd = 1750000000 + (int64_t)(test_rng_next() % 3) * 86400; /* ties are common */
        rows[i].score = (int)(test_rng_next() % 11);
    }
    for (int i = ROWS - 1; i > 0; i--) { /* file order: shuffled */
        int j = (int)(test_rng_next() % (uint64_t)(i + 1));
        frow x = rows[i];
        rows[i] = rows[j];
        rows[j] = x;
    }
    int distinct = 0;
    int64_t best[KEYS];
    for (int k = 0; k < KEYS; k++) winner[k] = -1;
    for (int i = 0; i < ROWS; i++) { /* row-by-row upserts, in file order */
        int k = rows[i].key;
        if (winner[k] < 0) distinct++;
        if (winner[k] < 0 || rows[i].upd >= best[k]) {
            winner[k] = i;
            best[k] = rows[i].upd;
        }
    }
    ck_assert_int_eq(distinct, KEYS);

    import_sort *o = import_sort_new();
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(import_sort_sorting(o), 0);
    cx_response r;
    char id[16], comment[32];
    int i = 0;
    for (; i < ROWS; i++) { /* kept while the keys rise (as run_cache_import.c asks) */
        make(&r, id, comment, i);
        if (i > 0) {
            char prev_id[16], prev_c[32];
            cx_response p;
            make(&p, prev_id, prev_c, i - 1);
            int c = strcmp(r.source, p.source);
            if (!c) c = strcmp(r.response_id, p.response_id);
            if (c <= 0) break;
        }
        import_sort_keep(o, &r);
    }
    ck_assert_int_lt(i, 500);
    ck_assert_int_eq(import_sort_start(o, &r), 0);
    ck_assert_int_eq(import_sort_sorting(o), 1);
    for (i++; i < ROWS; i++) {
        make(&r, id, comment, i);
        ck_assert_int_eq(import_sort_add(o, &r), 0);
    }
    told t;
    memset(&t, 0, sizeof t);
    ck_assert_int_eq(import_sort_end(o, tell, NULL, &t), 0);
    ck_assert_int_eq(import_sort_wait(o), 0);
    import_sort_free(o);
    ck_assert_msg(!t.bad, "%s", t.why);
    ck_assert_int_eq(t.nulls, 1);
    ck_assert_int_eq(t.n, KEYS);
    resp_run_rows = RESP_RUN_ROWS;
}
END_TEST

START_TEST(sort_without_the_rows_after_more_in_order_than_a_run)
{
    resp_run_rows = 500;
    import_sort *o = import_sort_new();
    ck_assert_ptr_nonnull(o);
    cx_response r;
    char id[16], comment[32];
    for (int i = 0; i < 501; i++) {
        rows[i] = (frow){i + 1000, 1750000000, 5};
        make(&r, id, comment, i);
        import_sort_keep(o, &r);
    }
    rows[501] = (frow){3, 1750000000, 5};
    make(&r, id, comment, 501);
    ck_assert_int_eq(import_sort_start(o, &r), 1); /* the rows before were not all kept */
    ck_assert_int_eq(import_sort_sorting(o), 1);
    import_sort_free(o);
    /* exactly a run's worth kept: the sort starts */
    o = import_sort_new();
    for (int i = 0; i < 500; i++) {
        make(&r, id, comment, i);
        import_sort_keep(o, &r);
    }
    ck_assert_int_eq(import_sort_start(o, &r), 0);
    import_sort_free(o); /* never ended: freed all the same */
    resp_run_rows = RESP_RUN_ROWS;
}
END_TEST

int main(void)
{
    Suite *s = suite_create("import_sort");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rows_told_in_key_order_each_key_its_winner);
    tcase_add_test(tc, sort_without_the_rows_after_more_in_order_than_a_run);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
