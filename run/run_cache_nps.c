/* run_cache_nps.c — the NPS tables alone from the analysis cache (run.h
 * run_store_nps_cached; docs/cache.md): the month, score, metric,
 * responded_at and dimension columns of each block, each NPS row's month
 * checked against its time as a row read in full is, counted per (month,
 * dictionary code).  A dimension that is no text field is the response's
 * attribute of that name, its value's code found among the row's
 * attributes (cache_attr_find); a row without it counts as missing when
 * the store holds no customer.  Else its customer's attribute stands in
 * (store_nps_counts, run.c segments): met such a row, the counting starts
 * again with the customers loaded, those dimensions counted row by row.
 */
#include "run/run_cache_int.h"
#include "core/store/store_check.h"
#include "core/timeparse.h"

#include <stdlib.h>
#include <string.h>

/* ---- the NPS tables from the cache's columns ---- */

#define SPREAD_MAX ((size_t)1 << 16) /* (month, code) cells of one block counted in an array */

/* One group's counts G (detractors, passives, promoters) into the run's
 * NPS table, as run_push.c adds the store's: a histogram of one score a
 * class.  0, -1 OOM. */
static int add_counts(run_state *st, int month, size_t d, const char *seg, const long long *g)
{
    stats_result *res = st->out;
    long long n = g[0] + g[1] + g[2];
    if (!n) return 0;
    if (d == 0) res->responses += n;
    if (!seg[0]) {
        res->missing_segment[d - 1] += n;
        return 0;
    }
    uint32_t h[11] = {0};
    h[CX_PROMOTER_MIN] = (uint32_t)g[2];
    h[CX_PASSIVE_MIN] = (uint32_t)g[1];
    h[0] = (uint32_t)g[0];
    return nps_table_add_hist(run_nps_table(st), month, d, seg, strlen(seg), h);
}

/* The code of row I's value for dimension COL (an attribute: ATTR its
 * name, AT the row's first attribute; n_dict when it has none) in TX. */
static size_t code_of(const cache_block *b, const cache_text *tx, const char *attr, size_t i, size_t at)
{
    if (!attr) return cache_code(tx, i);
    size_t a = cache_attr_find(b, at, b->row_attrs[i], attr);
    return a == SIZE_MAX ? tx->n_dict : cache_code(tx, a);
}

/* The value of code C in TX: "" past its dictionary (missing). */
static const char *value_of(const cache_text *tx, size_t c)
{
    return c < tx->n_dict ? cache_str(tx, (uint32_t)c) : "";
}

/* 1 when an NPS row of B has none of the attributes ATTR names (N_BY
 * dimensions, NULL for a text field): its customer's would stand in. */
static int attr_missing(const cache_block *b, const char *const *attr, size_t n_by)
{
    for (size_t i = 0, at = 0; i < b->rows; at += b->row_attrs[i], i++)
        for (size_t d = 0; b->metric[i] == CX_METRIC_NPS && d < n_by; d++)
            if (attr[d] && cache_attr_find(b, at, b->row_attrs[i], attr[d]) == SIZE_MAX) return 1;
    return 0;
}

/* The NPS answers of block B into the run: counted in CNT per (month,
 * code) when the block's months and codes fit in it, else row by row;
 * ATTR[d] names dimension d's attribute (col CC_ATTR_VALUE), or NULL;
 * CUST: the store holds customers, 2 when ST has them loaded (the
 * attributes then counted row by row, a customer's standing in).  0, -1
 * OOM, -2 a month or score out of range (ERR), -3 a row without an
 * attribute while CUST is 1. */
static int count_block(run_state *st, const cache_block *b, const int *col, const char *const *attr, int cust,
                       size_t n_by, long long (*cnt)[3], char *err, size_t errlen)
{
    if (cust == 1 && attr_missing(b, attr, n_by)) return -3;
    int lo = 0, hi = 0, any = 0;
    for (size_t i = 0; i < b->rows; i++) {
        if (b->metric[i] != CX_METRIC_NPS) continue;
        int64_t score = b->score[i];
        if (store_check_group(b->month[i], &score, err, errlen) != 0) return -2;
        if (time_month_key(b->responded_at[i]) != b->month[i]) { /* as a row read in full is checked */
            snprintf(err, errlen, "store: responses: month %d does not match responded_at", (int)b->month[i]);
            return -2;
        }
        int m = b->month[i];
        if (!any || m < lo) lo = m;
        if (!any || m > hi) hi = m;
        any = 1;
    }
    if (!any) return 0;
    size_t span = (size_t)((long long)hi - lo + 1);
    for (size_t d = 0; d <= n_by; d++) {
        const cache_text *tx = d ? &b->text[col[d - 1] - CC_FIRST_TEXT] : NULL;
        const char *an = d ? attr[d - 1] : NULL;
        size_t nd = d ? tx->n_dict + (an != NULL) : 1, at = 0;
        if (span > SPREAD_MAX / nd || (an && cust == 2)) { /* one row at a time */
            for (size_t i = 0; i < b->rows; at += an ? b->row_attrs[i] : 0, i++) {
                if (b->metric[i] != CX_METRIC_NPS) continue;
                long long g[3] = {0, 0, 0};
                g[cx_nps_class(b->score[i]) + 1] = 1;
                const char *v = !d                ? "all"
                                : an && cust == 2 ? run_cache_attr(b, st->own->cust, an, i, at)
                                                  : value_of(tx, code_of(b, tx, an, i, at));
                if (add_counts(st, b->month[i], d, v ? v : "", g) != 0) return -1;
            }
            continue;
        }
        memset(cnt, 0, span * nd * sizeof *cnt);
        for (size_t i = 0; i < b->rows; at += an ? b->row_attrs[i] : 0, i++)
            if (b->metric[i] == CX_METRIC_NPS)
                cnt[(size_t)(b->month[i] - lo) * nd + (d ? code_of(b, tx, an, i, at) : 0)]
                   [cx_nps_class(b->score[i]) + 1]++;
        for (size_t m = 0; m < span; m++)
            for (size_t code = 0; code < nd; code++)
                if (add_counts(st, lo + (int)m, d, d ? value_of(tx, code) : "all", cnt[m * nd + code]) != 0)
                    return -1;
    }
    return 0;
}

/* The NPS tables from the cache R.  A result; NULL with ERR and *DAMAGED
 * 1 when the cache is at fault (the store answers then), 2 when a
 * customer's attribute is needed (CUST 1: the store S holds customers,
 * not loaded; 2: loaded first). */
static stats_result *nps_from_cache(store *s, cache_reader *r, const stats_opts *o, const int *col,
                                    const char *const *attr, int cust, int *damaged, char *err, size_t errlen)
{
    run_state st;
    long long(*cnt)[3] = malloc(SPREAD_MAX * sizeof *cnt);
    unsigned cols = (1u << CC_MONTH) | (1u << CC_SCORE) | (1u << CC_METRIC) | (1u << CC_RESPONDED);
    for (size_t d = 0; d < o->n_by; d++)
        cols |= 1u << col[d] | (attr[d] ? 1u << CC_ATTR_KEY | 1u << CC_N_ATTRS | 1u << CC_CUSTOMER_ID : 0);
    if (!cnt || run_setup(&st, o) != 0 || run_start(&st, 0) != 0) {
        free(cnt);
        snprintf(err, errlen, "stats: out of memory");
        run_abort(&st);
        return NULL;
    }
    if (cust == 2 && run_store_load(&st, s, NULL, err, errlen) != 0) {
        free(cnt);
        run_abort(&st);
        return NULL; /* the store's error, said */
    }
    cache_block b;
    int rc;
    while ((rc = cache_next(r, cols, &b, err, errlen)) > 0) {
        int c = count_block(&st, &b, col, attr, cust, o->n_by, cnt, err, errlen);
        if (c == 0) continue;
        if (c == -1) snprintf(err, errlen, "stats: out of memory");
        rc = c == -1 ? -2 : c == -3 ? -3 : -1;
        break;
    }
    free(cnt);
    if (rc < 0) {
        *damaged = rc == -1 ? 1 : rc == -3 ? 2 : 0;
        run_abort(&st);
        return NULL;
    }
    return run_finish(&st, err, errlen);
}

stats_result *run_store_nps_cached(store *s, const char *target, const stats_opts *o, char *note,
                                   size_t notelen, char *err, size_t errlen)
{
    note[0] = '\0';
    int col[STATS_MAX_BY];
    const char *attr[STATS_MAX_BY];
    cache_key k;
    int cust = run_cache_dims(o, col, attr) ? store_has_customers(s) : 0;
    if (cust < 0) return run_store_nps(s, o, err, errlen);
    if (cache_key_get(s, target, &k) != 0) return run_store_nps(s, o, err, errlen);
    cache_reader *r = NULL;
    char why[1024];
    int rc = cache_open(k.path, k.id, k.gen, &r, why, sizeof why);
    if (rc > 0) {
        int damaged = 0;
        stats_result *res = nps_from_cache(s, r, o, col, attr, cust, &damaged, why, sizeof why);
        if (!res && damaged == 2) { /* again from the start, the customers loaded */
            cache_close(r);
            r = NULL;
            if (cache_open(k.path, k.id, k.gen, &r, why, sizeof why) > 0) {
                damaged = 0;
                res = nps_from_cache(s, r, o, col, attr, 2, &damaged, why, sizeof why);
            }
        }
        cache_close(r);
        if (res) return res;
        if (damaged == 2) return run_store_nps(s, o, err, errlen);
        if (!damaged) {
            snprintf(err, errlen, "%s", why);
            return NULL;
        }
        rc = -1; /* said, as a damaged head is */
    }
    if (rc < 0) snprintf(note, notelen, "%s; reading the store", why);
    return run_store_nps(s, o, err, errlen);
}
