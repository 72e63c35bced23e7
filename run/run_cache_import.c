/* run_cache_import.c — the analysis cache written by an import into an
 * empty store, SQLite or PostgreSQL (run.h run_import_cache_*;
 * docs/cache.md, "Written by the import").
 *
 * The import hands every row it gives the store to run_import_cache_row
 * as it reads them.  While their keys (source, response_id) rise strictly
 * — a file in id order — they are exactly the store's scan of the store
 * that the import leaves: they go into a new cache as they come, on the
 * import's reading thread, which waits for the store's writer thread most
 * of the time.  A row out of order is left out.  A store that sorts the
 * rows itself (SQLite, ids in random order or given twice:
 * store_on_sorted) then shows them again in key order as it loads them,
 * each key once, and the cache starts again from the first (the rows it
 * takes once it is known to sort, store_bulk_sorting, are not looked at
 * till then: no compare of a shuffled file's keys).  A store that does
 * not (PostgreSQL) has the import sort them (run_cache_sort.c: when
 * the first key that does not rise comes within the first run's worth of
 * rows, every row goes into sorted runs, merged while the server merges
 * the rows) and they are shown the same way; when it comes after more
 * rows in order than that, those rows' cache is committed apart, read
 * back and merged with the sorted rows after them (late_row).  After the
 * commit the cache is kept only when the store holds exactly the rows the
 * import inserted, every one of them given here, gained nothing else since
 * the empty store was seen (store_appended), and its generation moved
 * once, by the import's own transaction (store_gen_moves: on PostgreSQL
 * another client's update of the new rows would not show in the counts):
 * it then carries the generation and row mark of the commit, as if
 * `stats` had built it from the store just after.
 *
 * Rows left out (a file in id order with some given again later, whose
 * late rows the store staged beside the rows it loaded straight,
 * store_sqlite_bulk_direct.c): the cache holds the rows that rose, and
 * is kept, as of the empty store's generation, when they are exactly the
 * rows the store loaded straight (store_bulk_counts.straight, numbered
 * 1.. in key order: the mark is their count).  Every row the late ones
 * changed since has its key noted and every one they added comes after
 * the mark, so the next run patches the cache with them
 * (store_appended) instead of building it.
 */
#include "run/run_cache_int.h"
#include "core/timeparse.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct run_import_cache {
    store *s;
    cache_key k;     /* the store's generation and place, seen empty */
    cache_writer *w; /* NULL once given up */
    char *key;       /* the last row's source, a NUL, its response_id */
    size_t key_cap;
    long long rows;
    long long left_out; /* rows whose key did not rise */
    cache_wthread *t;   /* writes the blocks (NULL: this thread) */
    /* the store does not sort the rows (PostgreSQL): the import sorts
     * them for the cache (run_cache_sort.c); NULL otherwise, or given up */
    import_sort *sort;
    /* The rows in order before a key came again past the rows the sort
     * kept: their cache, committed apart and read back (unlinked at once)
     * while the sorted rows after are merged with them; la its next row
     * while lhave (late_next). */
    cache_reader *late;
    cache_block lb;
    size_t li, lcur[2];
    int lhave;
    cx_response la;
};

static void give_up(run_import_cache *c)
{
    cache_wthread_use(c->t, NULL);
    cache_discard(c->w);
    c->w = NULL;
}

/* 1 when the key of R comes after C's last one, as the store orders keys
 * (bytes, a shorter text before a longer one it begins), and is kept as
 * the last one; 0 otherwise (or out of memory). */
static int key_rises(run_import_cache *c, const cx_response *r)
{
    if (c->rows > 0 && run_key_cmp(r->source, r->response_id, c->key) <= 0) return 0;
    size_t ls = strlen(r->source), li = strlen(r->response_id), n = ls + 1 + li; /* (only once it rose) */
    if (n + 1 > c->key_cap) {
        size_t cap = (n + 1) * 2;
        char *p = realloc(c->key, cap);
        if (!p) return 0;
        c->key = p;
        c->key_cap = cap;
    }
    memcpy(c->key, r->source, ls + 1);
    memcpy(c->key + ls + 1, r->response_id, li + 1);
    return 1;
}

/* R, whose key rose (key_rises), added to the cache. */
static void add_risen(run_import_cache *c, const cx_response *r)
{
    char err[512];
    if (cache_wthread_add(c->t, c->w, r, time_month_key(r->responded_at), err, sizeof err) != 0) {
        give_up(c);
        return;
    }
    c->rows++;
}

/* R added to the cache when its key rises (else left out).  The rows of
 * the import, or of the sorted rows shown again. */
static void add_row(run_import_cache *c, const cx_response *r)
{
    if (!c->w) return;
    if (!key_rises(c, r)) {
        c->left_out++;
        return;
    }
    add_risen(c, r);
}

/* store_on_sorted: NULL starts again (the rows come again from the
 * first, in key order, each key once); else as run_import_cache_row.
 * Nonzero once given up. */
static int sorted_row(const cx_response *r, void *ctx)
{
    run_import_cache *c = ctx;
    char err[512];
    if (r) {
        add_row(c, r);
        return c->w == NULL;
    }
    give_up(c);
    c->rows = c->left_out = 0;
    c->w = cache_create(c->k.path, c->k.id, c->k.gen, err, sizeof err);
    cache_wthread_use(c->t, c->w);
    return c->w == NULL;
}

/* The rows in order's next row into c->la (c->lhave 0 after the last).
 * 0, or -1. */
static int late_next(run_import_cache *c)
{
    char err[512];
    for (;;) {
        if (c->li < c->lb.rows) {
            if (cache_row(&c->lb, c->li, &c->la, c->lcur, err, sizeof err) != 0) return -1;
            c->li++;
            c->lhave = 1;
            return 0;
        }
        int rc = cache_next(c->late, CACHE_ALL_COLS, &c->lb, err, sizeof err);
        if (rc <= 0) {
            c->lhave = 0;
            return rc;
        }
        c->li = c->lcur[0] = c->lcur[1] = 0;
    }
}

static int resp_key_cmp(const cx_response *a, const cx_response *b)
{
    int k = strcmp(a->source, b->source);
    return k ? k : strcmp(a->response_id, b->response_id);
}

/* The sorted rows that came after the rows in order (each key's winner
 * among them, in key order) merged with those: of a key in both, the
 * later rows' winner replaces the row in order when its updated_at is at
 * least that row's (the last row holding the key's greatest updated_at).
 * As sorted_row otherwise. */
static int late_row(const cx_response *r, void *ctx)
{
    run_import_cache *c = ctx;
    if (!r) {
        if (sorted_row(NULL, c) != 0) return 1;
        c->li = c->lb.rows = 0;
        if (late_next(c) == 0) return 0;
        give_up(c);
        return 1;
    }
    int k = 1;
    while (c->w && c->lhave && (k = resp_key_cmp(&c->la, r)) < 0) {
        add_row(c, &c->la);
        if (late_next(c) != 0) give_up(c);
    }
    if (!c->w) return 1;
    if (c->lhave && k == 0) {
        add_row(c, r->updated_at >= c->la.updated_at ? r : &c->la);
        if (late_next(c) != 0) give_up(c);
    } else {
        add_row(c, r);
    }
    return c->w == NULL;
}

/* After the merge: the rows in order left after the last sorted one.  0,
 * or -1. */
static int late_done(void *ctx)
{
    run_import_cache *c = ctx;
    while (c->w && c->lhave) {
        add_row(c, &c->la);
        if (late_next(c) != 0) give_up(c);
    }
    return c->w ? 0 : -1;
}

/* The rows in order so far (the cache being written) committed apart and
 * opened to be read back, the file unlinked at once.  0, or -1 (the
 * writer gone either way). */
static int to_late(run_import_cache *c)
{
    char err[512], path[PATH_CAP + 16];
    if ((size_t)snprintf(path, sizeof path, "%s.tmp-rows", c->k.path) >= sizeof path) return -1;
    cache_wthread_use(c->t, NULL); /* every block written */
    int rc = cache_commit_as(c->w, path, err, sizeof err);
    c->w = NULL;
    if (rc != 0) return -1;
    rc = cache_open(path, c->k.id, c->k.gen, &c->late, err, sizeof err);
    unlink(path);
    return rc == 1 ? 0 : -1;
}

run_import_cache *run_import_cache_begin(store *s, const char *target)
{
    cache_key k;
    /* a store that cannot say what changed, or with rows already: the
     * next stats builds or extends its cache as before */
    if (cache_key_get(s, target, &k) != 0 || !k.has_mark || k.mark != 0) return NULL;
    run_import_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->s = s;
    c->k = k;
    if (!(c->w = run_cache_writer(&k, target))) { /* another builder, a read-only folder */
        free(c);
        return NULL;
    }
    c->t = cache_wthread_start();
    cache_wthread_use(c->t, c->w);
    store_on_sorted(s, sorted_row, c);
    if (store_target_is_pg(target)) c->sort = import_sort_new(); /* NULL: no sort, as before */
    return c;
}

/* The import's own sort given up: its rows since are lost to the cache. */
static void sort_give_up(run_import_cache *c)
{
    import_sort_free(c->sort);
    c->sort = NULL;
    if (c->late) cache_close(c->late);
    c->late = NULL;
    give_up(c);
}

void run_import_cache_row(const cx_response *r, void *ctx)
{
    run_import_cache *c = ctx;
    if (c->sort && (c->w || import_sort_sorting(c->sort))) {
        if (!r) { /* the rows ended: merged while the server merges them */
            if (import_sort_sorting(c->sort) &&
                import_sort_end(c->sort, c->late ? late_row : sorted_row, c->late ? late_done : NULL, c) != 0)
                sort_give_up(c);
            return;
        }
        if (import_sort_sorting(c->sort)) {
            if (import_sort_add(c->sort, r) != 0) sort_give_up(c);
            return;
        }
        if (key_rises(c, r)) { /* in order: kept while a run holds them */
            import_sort_keep(c->sort, r);
            add_risen(c, r);
            return;
        }
        int rc = import_sort_start(c->sort, r);
        if (rc == 0) return;
        if (rc == 1) { /* the rows before are those of the cache: kept apart */
            if (to_late(c) != 0) sort_give_up(c);
            return;
        }
        /* a failure: left out, as before */
        import_sort_free(c->sort);
        c->sort = NULL;
        c->left_out++;
        return;
    }
    /* a store that sorts the rows shows them all again (sorted_row): till
     * then nothing is kept, and a shuffled file's keys need no compare */
    if (r && !store_bulk_sorting(c->s)) add_row(c, r);
}

int run_import_cache_end(run_import_cache *c, store *s, int imported, long long inserted, long long straight,
                         char *note, size_t notelen)
{
    note[0] = '\0';
    if (!c) return 0;
    /* the import's sort merged (its rows shown to sorted_row) */
    if (c->sort && import_sort_wait(c->sort) != 0) give_up(c);
    import_sort_free(c->sort);
    if (c->late) cache_close(c->late);
    store_on_sorted(s, NULL, NULL);
    int kept = 0;
    char id[STORE_GEN_MAX], gen[STORE_GEN_MAX], why[512];
    long long mark, added;
    /* the generation first: a write landing after it shows in the counts */
    int ok = c->w && imported && cache_wthread_sync(c->t, why, sizeof why) == 0 &&
             store_generation(s, id, gen) == 0 && strcmp(id, c->k.id) == 0;
    /* one transaction since the empty store: this import's (on PostgreSQL
     * another's update of the rows it inserted would not show in the
     * counts below), which left the cache's rows: as its own count of the
     * rows it added and took out says (SQLite: no pass over the table,
     * 1.5 s at 10M rows), or as the store counts them */
    long long net;
    if (ok && !c->left_out && inserted == c->rows && store_gen_moves(s, c->k.gen, gen) == 1 &&
        store_row_mark(s, &mark) == 0 &&
        (store_last_net_rows(s, &net) == 0
             ? net == c->rows
             : store_appended(s, c->k.gen, 0, 0, &added, NULL) == 1 && added == c->rows)) {
        cache_set_gen(c->w, gen);
        cache_set_mark(c->w, mark);
        kept = cache_commit(c->w, why, sizeof why) == 0; /* a cache not written is only not there */
        c->w = NULL;
    } else if (ok && c->left_out && c->rows > 0 && straight == c->rows &&
               store_appended(s, c->k.gen, c->rows, c->rows, &added, NULL) == 1) {
        /* as of the empty store's generation (cache_create gave it), the
         * rows loaded straight numbered 1..rows: the next run patches it */
        cache_set_mark(c->w, c->rows);
        kept = cache_commit(c->w, why, sizeof why) == 0;
        c->w = NULL;
    }
    if (kept && c->left_out)
        snprintf(note, notelen,
                 "cache: %s: written by the import (%lld %s; the next run adds the %lld given again later)",
                 c->k.path, c->rows, run_responses_noun(c->rows), c->left_out);
    else if (kept)
        snprintf(note, notelen, "cache: %s: written by the import (%lld %s)", c->k.path, c->rows,
                 run_responses_noun(c->rows));
    give_up(c);
    cache_wthread_stop(c->t);
    free(c->key);
    free(c);
    return kept;
}
