/* run_spend.c — the store's spend rows summed into a run's windows on two
 * threads (run_int.h run_spend_sum): a scanner thread steps the store's
 * scan (SQLite's row decoding, PostgreSQL's results) and copies the rows
 * into one of two batches; the calling thread adds each full batch to the
 * spend table (stats/spendtab.h) while the next is filled.  The rows reach
 * the table in the scan's order, so the sums are those of one thread.
 * Memory: two batches of SPEND_BATCH rows and their ids. */
#include "run/run_int.h"
#include "core/grow.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SPEND_BATCH 8192

typedef struct batch {
    size_t n;
    uint32_t id[SPEND_BATCH]; /* offsets in ids of NUL-terminated customer ids */
    int64_t day[SPEND_BATCH];
    double amount[SPEND_BATCH];
    char *ids;
    size_t ids_len, ids_cap;
} batch;

typedef struct spipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch b[2];
    int full[2];
    size_t fill;  /* the batch the scanner fills */
    int done, rc; /* the scan ended, with RC */
    int stop;     /* the adding failed: the scan stops */
    store *s;
} spipe;

/* Hands batch P->fill over and waits for the other one to be free.  0, or
 * 1 when the adding failed. */
static int hand_over(spipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->full[p->fill] = 1;
    pthread_cond_broadcast(&p->cv);
    p->fill ^= 1;
    while (p->full[p->fill] && !p->stop) pthread_cond_wait(&p->cv, &p->mu);
    int stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    return stop;
}

/* On the scanner thread: one row into the batch being filled. */
static int scan_row(const char *customer_id, int64_t day, double amount, void *ctx)
{
    spipe *p = ctx;
    batch *b = &p->b[p->fill];
    size_t len = strlen(customer_id) + 1;
    if (b->ids_len + len > b->ids_cap) {
        char *q = grow_array(b->ids, &b->ids_cap, b->ids_len + len, 1, 1u << 16, UINT32_MAX, 0);
        if (!q) return 1; /* out of memory */
        b->ids = q;
    }
    memcpy(b->ids + b->ids_len, customer_id, len);
    b->id[b->n] = (uint32_t)b->ids_len;
    b->day[b->n] = day;
    b->amount[b->n] = amount;
    b->ids_len += len;
    if (++b->n == SPEND_BATCH && hand_over(p)) return 1;
    return 0;
}

static void *scanner(void *arg)
{
    spipe *p = arg;
    int rc = store_scan_spend_unordered(p->s, scan_row, p); /* sums: any order */
    pthread_mutex_lock(&p->mu);
    if (p->b[p->fill].n) p->full[p->fill] = 1; /* the last rows */
    p->done = 1;
    p->rc = rc;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static int add_row(const char *customer_id, int64_t day, double amount, void *ctx)
{
    return spend_table_add(ctx, customer_id, day, amount);
}

int run_spend_sum(store *s, spend_table *t)
{
    spipe *p = calloc(1, sizeof *p);
    pthread_t tid;
    if (!p) return 1;
    p->s = s;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&tid, NULL, scanner, p) != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p);
        int rc = store_scan_spend_unordered(s, add_row, t); /* on this thread */
        return rc == 0 && spend_table_finish(t) != 0 ? 1 : rc;
    }
    int failed = 0;
    for (size_t k = 0;; k ^= 1) {
        batch *b = &p->b[k];
        pthread_mutex_lock(&p->mu);
        while (!p->full[k] && !p->done) pthread_cond_wait(&p->cv, &p->mu);
        int have = p->full[k];
        pthread_mutex_unlock(&p->mu);
        if (!have) break; /* the scan ended with nothing more */
        for (size_t i = 0; i < b->n && !failed; i++)
            if (spend_table_add(t, b->ids + b->id[i], b->day[i], b->amount[i]) != 0) failed = 1;
        b->n = b->ids_len = 0;
        pthread_mutex_lock(&p->mu);
        p->full[k] = 0;
        if (failed) p->stop = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (failed) break;
    }
    pthread_join(tid, NULL);
    int rc = failed ? 1 : p->rc;
    if (rc == 0 && spend_table_finish(t) != 0) rc = 1;
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    for (int i = 0; i < 2; i++) free(p->b[i].ids);
    free(p);
    return rc;
}
