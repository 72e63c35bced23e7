/* run_cache_sort.c — the rows of an import sorted by key for the analysis
 * cache it writes, when the store does not sort them itself (PostgreSQL:
 * its server merges the staged rows, and its scan, which the cache must
 * equal, gives them in key order; run_cache_import.c; docs/cache.md,
 * "Written by the import").
 *
 * While the keys rise the cache takes the rows as they come, and the first
 * run's worth of them is also kept here (import_sort_keep).  At the first
 * key that does not rise, if those kept rows are all the rows so far, they
 * and every row after go into sorted runs (core/store/resp_runs.h); if not
 * (a file in id order with ids given again later), every row after does,
 * and the caller merges them with the rows in order, which its cache
 * holds (run_cache_import.c).  The runs are written on the
 * import's reading thread, which spends most of its time waiting for the
 * server.  When the rows end (before the server merges them) the runs are
 * merged on a thread of their own, each key's winner settled as the
 * server's merge settles it (the last row holding the greatest
 * updated_at), and shown in key order to the cache: that work overlaps
 * the server's merge, which takes longer.  Memory: a run's rows twice and
 * the merge's buffers (resp_runs.h), whatever the file's rows.
 */
#include "run/run_cache_int.h"
#include "core/store/resp_runs.h"
#include "core/timeparse.h"

#include <pthread.h>
#include <stdlib.h>

struct import_sort {
    sq_batch rows; /* the rows kept, then those of the next run */
    int over;      /* more rows came in order than a run holds: a sort without them */
    int sorting;   /* the runs are open */
    long long seq; /* rows given, in file order */
    resp_runs runs;
    pthread_t th; /* the merge */
    int th_on, rc;
    store_response_cb tell;
    int (*done)(void *ctx);
    void *ctx;
};

import_sort *import_sort_new(void)
{
    import_sort *o = calloc(1, sizeof *o);
    if (o) resp_runs_free(&o->runs); /* as new */
    return o;
}

/* R into o->rows, numbered in file order.  0, or -1 out of memory. */
static int add(import_sort *o, const cx_response *r)
{
    if (sq_batch_add(&o->rows, r, ++o->seq) != 0) return -1;
    o->rows.row[o->rows.n - 1].month = time_month_key(r->responded_at);
    return 0;
}

void import_sort_keep(import_sort *o, const cx_response *r)
{
    if (o->over) return;
    if (sqb_full(&o->rows, resp_run_rows, RESP_RUN_BYTES) || add(o, r) != 0) {
        o->over = 1; /* the rows before the next one are no longer all here */
        sq_batch_free(&o->rows);
    }
}

int import_sort_start(import_sort *o, const cx_response *r)
{
    if (resp_runs_open(&o->runs) != 0) return -1;
    o->sorting = 1;
    if (import_sort_add(o, r) != 0) return -1;
    return o->over; /* 1: the rows before are not here, but in the cache */
}

int import_sort_add(import_sort *o, const cx_response *r)
{
    if (add(o, r) != 0) return -1;
    if (!sqb_full(&o->rows, resp_run_rows, RESP_RUN_BYTES)) return 0;
    int rc = resp_runs_add(&o->runs, &o->rows); /* sorted and written where they are */
    sq_batch_reset(&o->rows);
    return rc;
}

static void *merge(void *arg)
{
    import_sort *o = arg;
    o->rc = resp_runs_merge(&o->runs, NULL, NULL, o->tell, o->ctx); /* no store to load them into */
    if (o->rc == 0 && o->done) o->rc = o->done(o->ctx);
    return NULL;
}

int import_sort_sorting(const import_sort *o) { return o->sorting; }

int import_sort_end(import_sort *o, store_response_cb tell, int (*done)(void *ctx), void *ctx)
{
    int rc = o->rows.n ? resp_runs_add(&o->runs, &o->rows) : 0; /* the last rows, to the last run */
    sq_batch_free(&o->rows);
    if (rc != 0) return -1;
    o->tell = tell;
    o->done = done;
    o->ctx = ctx;
    if (pthread_create(&o->th, NULL, merge, o) == 0) {
        o->th_on = 1;
        return 0;
    }
    merge(o); /* no thread to be had: here */
    return o->rc;
}

int import_sort_wait(import_sort *o)
{
    if (o->th_on) {
        pthread_join(o->th, NULL);
        o->th_on = 0;
    }
    return o->rc;
}

void import_sort_free(import_sort *o)
{
    if (!o) return;
    import_sort_wait(o);
    resp_runs_free(&o->runs);
    sq_batch_free(&o->rows);
    free(o);
}
