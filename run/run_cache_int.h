/* run_cache_int.h — shared by the analysis cache's drivers only:
 * run/run_cache.c (the store runs through the cache: read, build, extend),
 * run/run_cache_feed.c (the two threads that hand blocks over and feed
 * them to the run), run/run_cache_nps.c (the NPS tables from the cache's
 * columns) and run/run_cache_dims.c (their --by dimensions).
 * docs/cache.md. */
#ifndef CX_RUN_CACHE_INT_H
#define CX_RUN_CACHE_INT_H

#include "run/run_int.h"
#include "core/store/cache.h"

#include <string.h>

#define PATH_CAP 4096

/* run_cache_dims.c: the cache column of each of O's --by dimensions into
 * COL, CC_ATTR_VALUE for one that is no text field, whose name then goes
 * into ATTR (NULL for a text field); 1 when one is such an attribute.
 * And row I's value of attribute NAME (the row's attributes from AT on;
 * B read with the attribute columns and CC_CUSTOMER_ID): the response's,
 * else its customer's in CT (NULL: no customers), else NULL. */
int run_cache_dims(const stats_opts *o, int *col, const char **attr);
const char *run_cache_attr(const cache_block *b, const cust_table *ct, const char *name, size_t i, size_t at);

/* run_cache_wthread.c: a cache's blocks written on a thread of their own
 * as they are made.  Start gives NULL when no thread can be had: every
 * call then does the work on the caller's thread.  use: the blocks of W
 * (NULL: none) from now on, after every block of the last writer was
 * written (W's writes deferred: cache_defer_writes).  add: cache_add,
 * waiting first when the row makes a block while the one two before it
 * is not yet written.  sync: waits until every block made is written (0,
 * or -1 with ERR: a write failed; give the writer up).  Before
 * cache_commit or cache_discard: sync or use(T, NULL). */
typedef struct cache_wthread cache_wthread;
cache_wthread *cache_wthread_start(void);
void cache_wthread_use(cache_wthread *t, cache_writer *w);
int cache_wthread_add(cache_wthread *t, cache_writer *w, const cx_response *r, int month, char *err,
                      size_t errlen);
int cache_wthread_sync(cache_wthread *t, char *err, size_t errlen);
void cache_wthread_stop(cache_wthread *t);

/* run_cache_sort.c: an import's rows sorted by key for the cache it
 * writes into a store that does not sort them (PostgreSQL).  new: NULL
 * out of memory.  keep: a row whose key rose, kept while the rows so far
 * fit a run.  start: the first row whose key did not rise; it and every
 * row after go into sorted runs, with the rows kept when they are all the
 * rows so far (0), else without them (1: the caller has them, in key
 * order); -1 a failure (no sort).  add: each row after (0, -1).  end: the
 * rows ended; their merge starts on a thread of its own and shows the
 * rows to TELL as store_on_sorted does (NULL first, then each key's
 * winner in key order), then calls DONE (NULL: none) on that thread
 * (0, -1).  wait: the merge's end, DONE's included (0, -1).  sorting: 1
 * once started.  free: waits, then frees O (NULL is fine). */
typedef struct import_sort import_sort;
import_sort *import_sort_new(void);
void import_sort_keep(import_sort *o, const cx_response *r);
int import_sort_start(import_sort *o, const cx_response *r);
int import_sort_add(import_sort *o, const cx_response *r);
int import_sort_end(import_sort *o, store_response_cb tell, int (*done)(void *ctx), void *ctx);
int import_sort_sorting(const import_sort *o);
int import_sort_wait(import_sort *o);
void import_sort_free(import_sort *o);

/* SRC and ID (a response's key) against KEY (source, NUL, response_id, as
 * cache_last_key and store_first_appended give it), in the store's key
 * order: <0, 0, >0. */
static inline int run_key_cmp(const char *src, const char *id, const char *key)
{
    int c = strcmp(src, key);
    return c ? c : strcmp(id, key + strlen(key) + 1);
}

/* "response" or "responses", after the count N (what the cache says). */
static inline const char *run_responses_noun(long long n) { return n == 1 ? "response" : "responses"; }

typedef struct cache_key {
    char path[PATH_CAP], id[STORE_GEN_MAX], gen[STORE_GEN_MAX];
    long long mark; /* store_row_mark, when has_mark */
    int has_mark;
} cache_key;

/* The cache's place, the store's generation and row mark into K: 0, or -1
 * when the cache is not to be used (turned off, no place for it, no
 * generation). */
int cache_key_get(store *s, const char *target, cache_key *k);
/* A new cache at K's path (its folder made for a PostgreSQL store), or
 * NULL when it cannot be written there (another builder, a read-only
 * folder: the run reads the store and leaves no cache). */
cache_writer *run_cache_writer(const cache_key *k, const char *target);
/* The cache at K's path, of an older generation of this store, when the
 * store only gained rows since or had some changed in place
 * (store_appended): 1, *R open, its *MARK, and *ADDED rows to read from the
 * store, *CHANGED of them changed.  0 when it is not (*R NULL; WHY says
 * why when the cache is damaged, else is ""), -1 on a store error. */
int cache_growable(store *s, const cache_key *k, cache_reader **r, long long *mark, long long *added,
                   long long *changed, char *why, size_t whylen);
/* What feed_cache reads (F_*): a cache, read on a thread of its own; the
 * store's scan into the writer W there; the old cache R merged with the
 * store's rows after MARK and those changed since R's generation into W
 * there (a changed row in place of R's); or R's blocks as they are, then
 * the rows after MARK (every key after R's last, LAST_KEY) added to R's
 * own file by W (cache_append). */
enum { F_READ, F_BUILD, F_EXTEND, F_APPEND };
typedef struct feed_from {
    int mode;
    cache_reader *r;
    store *store;
    cache_writer *w;
    long long mark;
    long long added;      /* F_EXTEND, out: the new (or changed) rows merged */
    long long replaced;   /* F_EXTEND, out: of those, the ones that took an old row's place */
    int key_order;        /* F_BUILD: the store's scan in key order, not first in its table's */
    const char *last_key; /* F_APPEND: R's last key (source, NUL, response_id) */
    /* out: the comments' notes kept from an earlier run and read
     * (run_notes_file.h), when the run read them beside the blocks */
    long long notes_kept, notes_read;
} feed_from;
/* The blocks of FROM, in order, through the run ST; TOTAL rows for the
 * progress P.  0 done, -1 with ERR; *DAMAGED 1 when the cache read was at
 * fault, 2 when the writer failed (the run may start again without it), 3
 * when the store's table order was not the key order (F_BUILD without
 * key_order: the run starts again with it). */
int feed_cache(run_state *st, feed_from *from, double total, const cx_progress *p, int *damaged, char *err,
               size_t errlen);

#endif
