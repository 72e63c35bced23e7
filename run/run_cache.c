/* run_cache.c — the store runs through the analysis cache (run.h
 * run_store_cached; core/store/cache.h, docs/cache.md).
 *
 * The store's generation is read first.  A cache built from it is read and
 * fed to the run (run_cache_feed.c, two threads).  A cache of an older
 * generation of the same store, when the store only gained rows since
 * or had rows changed in place by this program (store_appended), is
 * extended: its blocks merged with the new and changed rows into a new
 * file (or the new rows added to its own) while the run is fed from it.  Any other cache is rebuilt
 * from one scan of the store, on a builder thread, while the run is fed
 * the blocks as they are written.  Customers and spend are still loaded
 * from the store.  A new file replaces the old only when the generation
 * read after the run is still the one read before it (no write landed in
 * between).  A damaged cache found while reading is said in the caller's
 * NOTE and the run starts again from the store.  The key and the
 * dimensions' columns are shared with run_cache_nps.c (run_cache_int.h).
 */
#include "run/run_cache_int.h"
#include "core/afile.h"

#include <stdlib.h>
#include <string.h>

/* The cache's place and the store's generation: 0, or -1 when the cache
 * is not to be used (turned off, no place for it, no generation). */
int cache_key_get(store *s, const char *target, cache_key *k)
{
    const char *off = getenv("CXPULSE_CACHE");
    if (off && strcmp(off, "off") == 0) return -1;
    if (!target || cache_path(target, k->path, sizeof k->path) != 0) return -1;
    if (store_generation(s, k->id, k->gen) != 0) return -1;
    int m = store_row_mark(s, &k->mark); /* after the generation: see run_and_build */
    if (m < 0) return -1;
    k->has_mark = m == 0;
    return 0;
}

/* A run ST set up, customers and spend loaded from S, ANALYSES started:
 * 0, or -1 with ERR (ST then only for run_abort). */
static int run_begin(run_state *st, store *s, const stats_opts *o, unsigned analyses, const cx_progress *p,
                     char *err, size_t errlen)
{
    if (run_setup(st, o) != 0) goto oom;
    if (run_store_load(st, s, p, err, errlen) != 0) return -1;
    if (run_start(st, analyses) == 0) return 0;
oom:
    snprintf(err, errlen, "stats: out of memory");
    return -1;
}

static stats_result *run_from_cache(store *s, cache_reader *r, const stats_opts *o, unsigned analyses,
                                    const cx_progress *p, int *damaged, char *err, size_t errlen)
{
    run_state st;
    if (run_begin(&st, s, o, analyses, p, err, errlen) != 0) goto fail;
    feed_from from = {.mode = F_READ, .r = r};
    if (feed_cache(&st, &from, (double)cache_rows(r), p, damaged, err, errlen) != 0) goto fail;
    cache_drop_blocks(r); /* not needed while the spend rows go by */
    if (run_store_spend(&st, s, p, err, errlen) != 0) goto fail;
    cx_progress_say(p, "computing the statistics", 0, 0, NULL);
    stats_result *res = run_finish(&st, err, errlen);
    cx_progress_end(p);
    return res;
fail:
    cx_progress_end(p);
    run_abort(&st);
    return NULL;
}

/* ---- building ---- */

cache_writer *run_cache_writer(const cache_key *k, const char *target)
{
    char err[512];
    if (store_target_is_pg(target)) {
        char dir[PATH_CAP];
        snprintf(dir, sizeof dir, "%s", k->path);
        char *slash = strrchr(dir, '/');
        if (!slash) return NULL;
        *slash = '\0';
        if (mkdir_p(dir, err, sizeof err) != 0) return NULL;
    }
    return cache_create(k->path, k->id, k->gen, err, sizeof err);
}

/* The run from the store, building the cache; *BUILT set when it was
 * written.  The store is scanned in its table's order, the faster, and in
 * key order when that is not the same (KEY_ORDER, or the first scan found
 * a row out of it: the run starts again). */
static stats_result *run_and_build(store *s, const char *target, const cache_key *k, const stats_opts *o,
                                   unsigned analyses, const cx_progress *p, int key_order, int *built,
                                   char *err, size_t errlen)
{
    cache_writer *w = run_cache_writer(k, target);
    if (!w) return run_store_shown(s, o, analyses, p, err, errlen);
    run_state st;
    int damaged = 0;
    if (run_begin(&st, s, o, analyses, p, err, errlen) != 0) goto fail;
    double total = 0;
    store_status ss;
    if (p && store_get_status(s, &ss) == 0) { /* the total, for the percent and the time left */
        total = (double)ss.responses;
        store_status_free(&ss);
    }
    feed_from from = {.mode = F_BUILD, .store = s, .w = w, .key_order = key_order};
    if (feed_cache(&st, &from, total, p, &damaged, err, errlen) != 0) goto fail;
    if (run_store_spend(&st, s, p, err, errlen) != 0) goto fail;
    cx_progress_say(p, "computing the statistics", 0, 0, NULL);
    stats_result *res = run_finish(&st, err, errlen);
    cx_progress_end(p);
    char id[STORE_GEN_MAX], gen[STORE_GEN_MAX];
    if (!res || store_generation(s, id, gen) != 0 || strcmp(id, k->id) != 0 || strcmp(gen, k->gen) != 0) {
        cache_discard(w); /* the store moved on meanwhile: this cache would not be exact */
        return res;
    }
    if (k->has_mark) cache_set_mark(w, k->mark);
    /* a cache that could not be written is only not there */
    char why[512];
    *built = cache_commit(w, why, sizeof why) == 0;
    return res;
fail:
    cx_progress_end(p);
    run_abort(&st);
    cache_discard(w);
    if (damaged == 3 && !key_order) return run_and_build(s, target, k, o, analyses, p, 1, built, err, errlen);
    /* the writer failed (a full disk): the answer from the store alone */
    return damaged == 2 ? run_store_shown(s, o, analyses, p, err, errlen) : NULL;
}

/* ---- extending ---- */

/* The run from cache R (built at an older generation of this store, when
 * the store only gained rows since, or had some changed in place:
 * store_appended, ADDED of them, after MARK or changed) merged with the
 * store's new and changed rows on the builder thread, writing
 * the extended cache.  A result; NULL with *REDO set when the cache was at
 * fault or the store moved on meanwhile (the caller then rebuilds, WHY
 * saying why when there is something to say), else NULL with ERR. */
static stats_result *run_extend(store *s, const char *target, const cache_key *k, cache_reader *r,
                                long long mark, long long added, long long changed, const char *last_key,
                                const stats_opts *o, unsigned analyses, const cx_progress *p, int *redo,
                                long long *notes, char *why, size_t whylen, char *err, size_t errlen)
{
    run_state st;
    int damaged = 0;
    why[0] = '\0';
    *redo = 1; /* but for an answer, or an error after the rows */
    char werr[512];
    cache_writer *w =
        last_key ? cache_append(k->path, k->id, k->gen, werr, sizeof werr) : run_cache_writer(k, target);
    if (!w) return NULL; /* cannot be written (or is being built): rebuild, or not */
    if (run_begin(&st, s, o, analyses, p, err, errlen) != 0) goto fail;
    feed_from from = {.mode = last_key ? F_APPEND : F_EXTEND,
                      .r = r,
                      .store = s,
                      .w = w,
                      .mark = mark,
                      .last_key = last_key};
    if (feed_cache(&st, &from, (double)(cache_rows(r) + added), p, &damaged, err, errlen) != 0) {
        if (damaged == 1) snprintf(why, whylen, "%s", err);
        goto fail;
    }
    char id[STORE_GEN_MAX], gen[STORE_GEN_MAX];
    /* the rows merged are those counted, and those that replaced an old
     * one those counted changed (an old key still there after its row
     * took another is not: PostgreSQL, store_pg_grow.c) */
    notes[0] = from.notes_kept;
    notes[1] = from.notes_read;
    if (from.added != added || (!last_key && from.replaced != changed)) goto fail;
    if (store_generation(s, id, gen) != 0 || strcmp(id, k->id) != 0 || strcmp(gen, k->gen) != 0)
        goto fail; /* a write landed meanwhile: the answer from one scan instead */
    if (run_store_spend(&st, s, p, err, errlen) != 0) {
        *redo = 0;
        goto fail;
    }
    cx_progress_say(p, "computing the statistics", 0, 0, NULL);
    *redo = 0;
    stats_result *res = run_finish(&st, err, errlen);
    cx_progress_end(p);
    if (res) {
        cache_set_mark(w, k->mark);
        cache_commit(w, why, whylen); /* a cache that could not be written is only not there */
        why[0] = '\0';
    } else {
        cache_discard(w);
    }
    return res;
fail:
    cx_progress_end(p);
    run_abort(&st);
    cache_discard(w);
    return NULL;
}

int cache_growable(store *s, const cache_key *k, cache_reader **r, long long *mark, long long *added,
                   long long *changed, char *why, size_t whylen)
{
    *r = NULL;
    *added = *changed = 0;
    why[0] = '\0';
    if (!k->has_mark || cache_open(k->path, k->id, NULL, r, why, whylen) <= 0) return 0;
    int ok =
        cache_mark(*r, mark) ? store_appended(s, cache_gen(*r), *mark, cache_rows(*r), added, changed) : 0;
    if (ok <= 0) {
        cache_close(*r);
        *r = NULL;
        why[0] = '\0';
    }
    return ok;
}

/* 1 when key A (source, NUL, response_id) comes after key B. */
static int key_after(const char *a, const char *b) { return run_key_cmp(a, a + strlen(a) + 1, b) > 0; }

/* The cache at K's path when it was built from an older generation of
 * this store and the store only gained rows since, or had rows changed in
 * place: the run extends it (1, *RES set, or NULL with ERR; *ADDED the new
 * rows, *CHANGED the changed ones).  0 when it cannot be extended, or the
 * extension gave up (WHY then says why, or is ""). */
static int try_extend(store *s, const char *target, const cache_key *k, const stats_opts *o,
                      unsigned analyses, const cx_progress *p, long long *added_out, long long *changed_out,
                      long long *notes, stats_result **res, char *why, size_t whylen, char *err,
                      size_t errlen)
{
    cache_reader *r;
    long long mark, added, changed;
    if (cache_growable(s, k, &r, &mark, &added, &changed, why, whylen) <= 0) return 0;
    /* every new key after the cache's last one (a new source that sorts
     * after, ids that rise): its blocks stay where they are, the new ones
     * are added to the same file.  Not when a cached row was written too
     * (CHANGED): its key may have moved past the last (PostgreSQL), and an
     * append would keep the old one */
    char last[2 * STORE_GEN_MAX + 1024], first[sizeof last];
    int append = changed == 0 && cache_last_key(r, last, sizeof last) == 1 &&
                 store_first_appended(s, cache_gen(r), mark, first, sizeof first) == 1 &&
                 key_after(first, last);
    int redo = 0;
    *res = run_extend(s, target, k, r, mark, added, changed, append ? last : NULL, o, analyses, p, &redo,
                      notes, why, whylen, err, errlen);
    cache_close(r);
    if (redo) return 0;
    *added_out = added - changed;
    *changed_out = changed;
    return 1;
}

/* What an extension said (NOTE) followed by what it did with the
 * comments' notes (NOTES: kept from an earlier run, read). */
static void notes_told(char *note, size_t notelen, const long long *notes)
{
    size_t n = strlen(note);
    if (n && (notes[0] || notes[1]))
        snprintf(note + n, notelen - n, "; comments' notes: %lld kept from an earlier run, %lld read",
                 notes[0], notes[1]);
}

stats_result *run_store_cached(store *s, const char *target, const stats_opts *o, unsigned analyses,
                               const cx_progress *p, int tell, char *note, size_t notelen, char *err,
                               size_t errlen)
{
    note[0] = '\0';
    cache_key k;
    if (cache_key_get(s, target, &k) != 0) return run_store_shown(s, o, analyses, p, err, errlen);
    cache_reader *r = NULL;
    char why[1024];
    int rc = cache_open(k.path, k.id, k.gen, &r, why, sizeof why);
    if (rc > 0) {
        int damaged = 0;
        stats_result *res = run_from_cache(s, r, o, analyses, p, &damaged, why, sizeof why);
        cache_close(r);
        if (res) return res;
        if (!damaged) {
            snprintf(err, errlen, "%s", why);
            return NULL;
        }
        rc = -1;
    }
    if (rc == 0) {
        stats_result *res = NULL;
        long long added = 0, changed = 0, notes[2] = {0, 0};
        if (try_extend(s, target, &k, o, analyses, p, &added, &changed, notes, &res, why, sizeof why, err,
                       errlen)) {
            if (res && tell && changed)
                snprintf(note, notelen, "cache: %s: extended with %lld new and %lld changed %s of the store",
                         k.path, added, changed, run_responses_noun(changed));
            else if (res && tell)
                snprintf(note, notelen, "cache: %s: extended with %lld new %s of the store", k.path, added,
                         run_responses_noun(added));
            if (res && tell) notes_told(note, notelen, notes);
            return res;
        }
        if (why[0]) rc = -1;
    }
    if (rc < 0) snprintf(note, notelen, "%s; reading the store and rebuilding it", why);
    int built = 0;
    stats_result *res = run_and_build(s, target, &k, o, analyses, p, 0, &built, err, errlen);
    if (res && built && tell && !note[0]) snprintf(note, notelen, "cache: %s: built from the store", k.path);
    return res;
}
