/* run_store.c — the store run (run.h run_store, run_store_shown,
 * run_store_tee): customers and the spend range loaded, every response
 * of the store's scan fed to the analyses, then the spend rows summed
 * into the windows the responses asked for.  The analysis cache's driver
 * (run_cache.c) uses its steps (run_int.h run_store_load,
 * run_store_spend). */
#include "run/run_int.h"
#include "core/afile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The store fills R for this call only; the run sets its note. */
static int feed_store(const cx_response *r, void *ctx) { return run_feed(ctx, (cx_response *)r); }

static int load_customer(const char *id, double v, const cx_attr *a, size_t n, void *ctx)
{
    return cust_table_add(ctx, id, v, a, n);
}

/* The store scan with progress: rows fed so far of the store's total;
 * each row also handed to TEE when set (the cache being built). */
typedef struct shown_scan {
    run_state *st;
    const cx_progress *p;
    double total;
    long long done;
    run_tee_fn tee;
    void *tee_ctx;
} shown_scan;

static int feed_store_shown(const cx_response *r, void *ctx)
{
    shown_scan *x = ctx;
    if (x->tee && x->tee(r, x->tee_ctx) != 0) return -2;
    if (x->p && (++x->done & 16383) == 0) {
        char count[48];
        snprintf(count, sizeof count, "%lld responses", x->done);
        cx_progress_say(x->p, "reading the store", (double)x->done, x->total, count);
    }
    return run_feed(x->st, (cx_response *)r);
}

stats_result *run_store(store *s, const stats_opts *o, unsigned analyses, char *err, size_t errlen)
{
    return run_store_shown(s, o, analyses, NULL, err, errlen);
}

stats_result *run_store_shown(store *s, const stats_opts *o, unsigned analyses, const cx_progress *p,
                              char *err, size_t errlen)
{
    return run_store_tee(s, o, analyses, p, NULL, NULL, err, errlen);
}

/* CXPULSE_SPEND_MEMORY: the bytes of spend windows held at once (more
 * are summed in parts, stats/spendtab_part.c), a whole number from 1 to
 * 2^40.  0 (unset or set), -1 with ERR. */
static int spend_memory(spend_table *t, char *err, size_t errlen)
{
    const char *v = getenv("CXPULSE_SPEND_MEMORY");
    if (!v) return 0;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || errno || n < 1 || n > (1ull << 40) || *v == '-' || *v == '+') {
        snprintf(err, errlen, "stats: CXPULSE_SPEND_MEMORY: '%.40s' is not a number of bytes from 1 to 2^40",
                 v);
        return -1;
    }
    spend_table_set_part_bytes(t, (size_t)n);
    return 0;
}

/* Customers first; of the spend only its date range: the rows stream by
 * after the responses (run_store_spend), into the windows those asked for
 * (stats/spendtab.h), so memory grows with customers, not spend rows. */
int run_store_load(run_state *st, store *s, const cx_progress *p, char *err, size_t errlen)
{
    if (spend_memory(st->own->spend, err, errlen) != 0) return -1;
    cx_progress_say(p, "loading customers and spend", 0, 0, NULL);
    int64_t first = 0, last = 0;
    int has =
        store_scan_customers(s, load_customer, st->own->cust) == 0 ? store_spend_range(s, &first, &last) : -1;
    if (has < 0) {
        snprintf(err, errlen, "stats: %s", store_error(s));
        return -1;
    }
    spend_table_set_range(st->own->spend, has, first, last);
    return 0;
}

int run_store_spend(run_state *st, store *s, const cx_progress *p, char *err, size_t errlen)
{
    int64_t first, last;
    run_feed_over(st);
    if (!(st->out->analyses & STATS_RUN_CX) || !spend_table_range(st->own->spend, &first, &last)) return 0;
    cx_progress_say(p, "summing the spend windows", 0, 0, NULL);
    int rc = run_spend_sum(s, st->own->spend);
    if (rc != 0 && spend_table_errno(st->own->spend)) {
        snprintf(err, errlen, "stats: the spend windows' temporary file in %s: %s", temp_dir(),
                 strerror(spend_table_errno(st->own->spend)));
        return -1;
    }
    if (rc != 0) {
        snprintf(err, errlen, "stats: %s", rc == -1 && store_error(s)[0] ? store_error(s) : "out of memory");
        return -1;
    }
    return 0;
}

stats_result *run_store_tee(store *s, const stats_opts *o, unsigned analyses, const cx_progress *p,
                            run_tee_fn tee, void *tee_ctx, char *err, size_t errlen)
{
    run_state st;
    shown_scan x = {&st, p, 0, 0, tee, tee_ctx};
    if (run_setup(&st, o) != 0) goto oom;
    if (run_store_load(&st, s, p, err, errlen) != 0) {
        cx_progress_end(p);
        run_abort(&st);
        return NULL;
    }
    if (run_start(&st, analyses) != 0) goto oom;
    store_status ss;
    if (p && store_get_status(s, &ss) == 0) { /* the total, for the percent and the time left */
        x.total = (double)ss.responses;
        store_status_free(&ss);
    }
    cx_progress_say(p, "reading the store", 0, x.total,
                    "0 responses"); /* drawn at once, however fast the read */
    int shown = p || tee;
    int rc = store_scan_responses(s, NULL, shown ? feed_store_shown : feed_store,
                                  shown ? (void *)&x : (void *)&st);
    if (rc != 0) {
        if (rc == -2) snprintf(err, errlen, "stats: the cache could not be written");
        else
            snprintf(err, errlen, "stats: %s",
                     rc == -1 && store_error(s)[0] ? store_error(s) : "out of memory");
        cx_progress_end(p);
        run_abort(&st);
        return NULL;
    }
    if (run_store_spend(&st, s, p, err, errlen) != 0) {
        cx_progress_end(p);
        run_abort(&st);
        return NULL;
    }
    cx_progress_say(p, "computing the statistics", 0, 0, NULL);
    stats_result *r = run_finish(&st, err, errlen);
    cx_progress_end(p);
    return r;
oom:
    snprintf(err, errlen, "stats: out of memory");
    cx_progress_end(p);
    run_abort(&st);
    return NULL;
}
