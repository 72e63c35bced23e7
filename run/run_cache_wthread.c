/* run_cache_wthread.c — an analysis cache's blocks written on a thread of
 * their own while the rows of the next are gathered (run_cache_int.h
 * cache_wthread_*), for the cache an import writes (run_cache_import.c).
 *
 * A block of a cache is about 1.9 MB; writing it is mostly the kernel
 * copying it into new page-cache pages, which on the import's reading
 * thread was a sixth of that thread's time once the store's own pages had
 * left the SQLite thread (10M rows: 1.1 GB, about 3 s of CPU;
 * docs/performance.md, "Tenth round").  The cache writer parks each
 * block it makes (cache_defer_writes) and this thread writes it; block K
 * must be in the file before block K + 2 is made (its buffer is reused),
 * so an add that would make one waits until then.
 */
#include "run/run_cache_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct cache_wthread {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    cache_writer *w;      /* the writer whose blocks are written */
    size_t made, written; /* blocks made, blocks written */
    int quit;
    int failed;
    char why[256];
};

static void *write_blocks(void *arg)
{
    cache_wthread *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (t->written == t->made && !t->quit) pthread_cond_wait(&t->cv, &t->mu);
        if (t->written == t->made) break;
        size_t k = t->written;
        cache_writer *w = t->w;
        int failed = t->failed;
        pthread_mutex_unlock(&t->mu);
        char why[256];
        int rc = failed ? 0 : cache_write_block(w, k, why, sizeof why);
        pthread_mutex_lock(&t->mu);
        if (rc != 0 && !t->failed) {
            t->failed = 1;
            snprintf(t->why, sizeof t->why, "%s", why);
        }
        t->written++;
        pthread_cond_broadcast(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

cache_wthread *cache_wthread_start(void)
{
    cache_wthread *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    if (pthread_mutex_init(&t->mu, NULL) != 0) goto fail;
    if (pthread_cond_init(&t->cv, NULL) != 0) {
        pthread_mutex_destroy(&t->mu);
        goto fail;
    }
    if (pthread_create(&t->th, NULL, write_blocks, t) != 0) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        goto fail;
    }
    return t;
fail:
    free(t);
    return NULL;
}

/* Waits until every block made is written: 0, or -1 with ERR. */
int cache_wthread_sync(cache_wthread *t, char *err, size_t errlen)
{
    if (!t) return 0;
    pthread_mutex_lock(&t->mu);
    while (t->written != t->made) pthread_cond_wait(&t->cv, &t->mu);
    int failed = t->failed;
    if (failed) snprintf(err, errlen, "%s", t->why);
    pthread_mutex_unlock(&t->mu);
    return failed ? -1 : 0;
}

void cache_wthread_use(cache_wthread *t, cache_writer *w)
{
    if (!t) return;
    char why[256];
    (void)cache_wthread_sync(t, why, sizeof why);
    pthread_mutex_lock(&t->mu);
    t->w = w;
    t->made = t->written = 0;
    t->failed = 0;
    pthread_mutex_unlock(&t->mu);
    if (w) cache_defer_writes(w, 2); /* block K written before K + 2 is made: below */
}

int cache_wthread_add(cache_wthread *t, cache_writer *w, const cx_response *r, int month, char *err,
                      size_t errlen)
{
    if (!t) return cache_add(w, r, month, err, errlen);
    int ends = cache_add_ends(w, r);
    if (ends) { /* this add makes block `made`: the one two before it written */
        pthread_mutex_lock(&t->mu);
        while (t->made - t->written > 1) pthread_cond_wait(&t->cv, &t->mu);
        int failed = t->failed;
        if (failed) snprintf(err, errlen, "%s", t->why);
        pthread_mutex_unlock(&t->mu);
        if (failed) return -1;
    }
    if (cache_add(w, r, month, err, errlen) != 0) return -1;
    if (ends) {
        pthread_mutex_lock(&t->mu);
        t->made++;
        pthread_cond_broadcast(&t->cv);
        pthread_mutex_unlock(&t->mu);
    }
    return 0;
}

void cache_wthread_stop(cache_wthread *t)
{
    if (!t) return;
    pthread_mutex_lock(&t->mu);
    t->quit = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->th, NULL);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
