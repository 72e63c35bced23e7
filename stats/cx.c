/* cx.c — the CX accumulator the stats driver calls (see cx.h): keeps the
 * --month responses, numbers the --by segments, asks the spend table for
 * each response's spend windows and hands the pieces to the peak-end, MoT,
 * spend and HIC parts.  The spend rows stream by after the responses, so
 * a response's spend part is noted (a few bytes) and added at finish, in
 * the order of the responses (stats/cx_spend.c; the state both share:
 * stats/cx_int.h).
 */
#include "stats/cx_int.h"
#include "core/afile.h"
#include "stats/analysis.h"
#include "core/xsort.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "core/timeparse.h"
#include "stats/peakend.h"
#include "stats/recspool.h"
#include "stats/text/verbatims.h"

cxa *cxa_new(const stats_opts *o, const cust_table *cust, spend_table *spend)
{
    cxa *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->o = o;
    a->n_by = o->n_by < STATS_MAX_BY ? o->n_by : STATS_MAX_BY;
    a->cust = cust;
    a->spend = spend;
    a->cur_k = SIZE_MAX;
    if (spend) a->cover.has_spend = spend_table_range(spend, &a->cover.spend_first, &a->cover.spend_last);
    if (spend && cust) (void)spend_table_use_customers(spend, cust); /* only saves memory */
    /* T1 from spend for every customer without an annual value (hic.c) */
    for (size_t i = 0; a->cover.has_spend && cust && i < cust_table_count(cust); i++) {
        const cust_rec *c = cust_table_at(cust, i);
        if (isnan(c->annual_value) && spend_table_want_t1(spend, cust_table_id(cust, i)) != 0) goto fail;
    }
    for (size_t i = 0; i < a->n_by; i++)
        if (!(a->seg[i] = strmap_new())) goto fail;
    a->cap_slots = 16;
    a->labels = malloc(a->cap_slots * sizeof *a->labels);
    if (!a->labels) goto fail;
    a->labels[0] = (cx_slot_label){0, "all", "all"};
    a->n_slots = 1;
    a->pe = pe_acc_new(o->cfg->moment_lo, o->cfg->moment_hi);
    a->mot = mot_acc_new(o->cfg);
    a->sp = spend_acc_new();
    a->hic = hic_acc_new(cust, a->n_by);
    if (!a->pe || !a->mot || !a->sp || !a->hic) goto fail;
    return a;
fail:
    cxa_free(a);
    return NULL;
}

static void results_free(cx_results *r)
{
    free(r->peak);
    free(r->bins);
    free(r->mot);
    free(r->spend);
    free(r->risk);
    free(r->curve);
    memset(r, 0, sizeof *r);
}

void cxa_free(cxa *a)
{
    if (!a) return;
    for (size_t i = 0; i < STATS_MAX_BY; i++) strmap_free(a->seg[i]);
    free(a->labels);
    free(a->order);
    pe_acc_free(a->pe);
    mot_acc_free(a->mot);
    spend_acc_free(a->sp);
    hic_acc_free(a->hic);
    results_free(&a->res);
    recspool_free(a->def);
    free(a);
}

/* Slot of segment VALUE of dimension DIM, numbering it when new; 0 when
 * out of memory (and *OOM set). */
static size_t slot_of(cxa *a, size_t dim, const char *value, int *oom)
{
    if (a->n_slots == a->cap_slots) {
        cx_slot_label *l = realloc(a->labels, 2 * a->cap_slots * sizeof *l);
        if (!l) {
            *oom = 1;
            return 0;
        }
        a->labels = l;
        a->cap_slots *= 2;
    }
    int added;
    size_t s = strmap_put(a->seg[dim], value, a->n_slots, &added);
    if (s == (size_t)-1) {
        *oom = 1;
        return 0;
    }
    if (added) {
        const char *key = strmap_key(a->seg[dim], strmap_count(a->seg[dim]) - 1);
        a->labels[s] = (cx_slot_label){s, a->o->by[dim], key};
        a->n_slots++;
    }
    return s;
}

/* Spend group of a response's MoT outcome (CX_SPEND_SEG0 layout). */
static size_t outcome_group(long type, cx_outcome out)
{
    if (type < 0) return 6;
    return out == CX_OUT_POSITIVE ? 3 : out == CX_OUT_NEGATIVE ? 4 : 5;
}

int cxa_add(cxa *a, const cx_response *r, const char *const *seg)
{
    const stats_opts *o = a->o;
    /* Peak-end and spend deltas take the trailing window; moments of truth
     * and high-impact customers the month (stats/period.h). */
    int month = time_month_key(r->responded_at);
    if (!stats_in_window(o, month)) return 0;
    int in_month = stats_in_scope(o, month);
    a->responses += in_month;

    size_t slots[STATS_MAX_BY] = {0};
    int oom = 0;
    for (size_t i = 0; i < a->n_by; i++)
        if (seg && seg[i] && seg[i][0]) slots[i] = slot_of(a, i, seg[i], &oom);
    if (oom) return -1;

    int lo = o->cfg->moment_lo, hi = o->cfg->moment_hi;
    double pe = NAN;
    if (r->n_moments > 0) {
        pe = peakend_value(r->moments, r->n_moments, lo, hi);
        double mean = moments_mean(r->moments, r->n_moments);
        if (pe_acc_add(a->pe, 0, pe, mean, r->score) != 0) return -1;
        for (size_t i = 0; i < a->n_by; i++)
            if (slots[i] && pe_acc_add(a->pe, slots[i], pe, mean, r->score) != 0) return -1;
    }

    int cls = cx_nps_class(r->score);
    long type = mot_acc_type(a->mot, r->interaction_type);
    cx_outcome out = cx_mot_outcome(r->n_moments, pe, lo, hi, cls);

    long h = cx_spend_windows(a, r);
    if (h == -2) return -1;
    if (h >= 0) {
        deferred d = {
            (uint32_t)h,
            (int32_t)type,
            (uint8_t)(1 - cls) /* 0 P, 1 A, 2 D */,
            (uint8_t)outcome_group(type, out),
            (uint8_t)out,
            (uint8_t)((in_month ? DEF_IN_MONTH : 0) | (verb_unlabelled_mot(r) ? DEF_UNLABELLED : 0))};
        if (cx_defer(a, &d, slots) != 0) {
            /* the temporary file failed (a full disk): said at the end,
             * with its reason, rather than as out of memory now */
            int e = a->def ? recspool_errno(a->def) : 0;
            if (!e) return -1;
            if (!a->def_err) a->def_err = e;
            a->def_failed = 1;
        }
    }
    if (!in_month) return 0;
    mot_acc_add(a->mot, type, r->score, pe, out, 0, 0.0, verb_unlabelled_mot(r));
    return hic_acc_add(a->hic, r, slots);
}

static int label_cmp(const void *pa, const void *pb)
{
    const cx_slot_label *x = pa, *y = pb;
    return strcmp(x->segment, y->segment);
}

/* all/all, then each --by dimension in the order given, its segments in
 * byte order. */
static int build_order(cxa *a)
{
    a->order = malloc(a->n_slots * sizeof *a->order);
    if (!a->order) return -1;
    size_t k = 0;
    a->order[k++] = a->labels[0];
    for (size_t i = 0; i < a->n_by; i++) {
        size_t from = k, n = strmap_count(a->seg[i]);
        for (size_t j = 0; j < n; j++)
            a->order[k++] = a->labels[strmap_get(a->seg[i], strmap_key(a->seg[i], j))];
        cx_qsort(a->order + from, k - from, sizeof *a->order, label_cmp);
    }
    return 0;
}

int cxa_finish(cxa *a, char *err, size_t errlen)
{
    if (a->finished) return 0;
    const stats_opts *o = a->o;
    cx_results *r = &a->res;
    results_free(r);
    free(a->order);
    a->order = NULL;
    double z = nps_z(o->confidence);
    if (!isfinite(z)) {
        snprintf(err, errlen, "cx: confidence %g is not in (0, 1)", o->confidence);
        return -1;
    }
    if (cx_replay(a) != 0 || build_order(a) != 0 || pe_acc_finish(a->pe, a->order, a->n_slots, z, r) != 0 ||
        mot_acc_finish(a->mot, o->confidence, r) != 0 || cx_spend_rows(a, r) != 0 ||
        (hic_acc_back(a->hic) != 0 && (a->hic_err = errno ? errno : ENOMEM)) ||
        hic_acc_finish(a->hic, o, a->spend, a->n_slots, a->order, a->n_slots, r) != 0) {
        if (a->def && !a->def_err) a->def_err = recspool_errno(a->def);
        if (a->hic_err && a->hic_err != ENOMEM)
            snprintf(err, errlen, "cx: the customers' temporary file in %s: %s", temp_dir(),
                     strerror(a->hic_err));
        else if (a->def_failed || a->def_err)
            snprintf(err, errlen, "cx: the spend windows' temporary file in %s: %s", temp_dir(),
                     a->def_err ? strerror(a->def_err) : "read back short");
        else snprintf(err, errlen, "cx: out of memory");
        results_free(r);
        return -1;
    }
    r->confidence = o->confidence;
    r->moment_lo = o->cfg->moment_lo;
    r->moment_hi = o->cfg->moment_hi;
    r->responses = a->responses;
    r->window_days = o->spend_window_days;
    r->cover = a->cover;
    a->finished = 1;
    return 0;
}

const cx_results *cxa_results(const cxa *a) { return a->finished ? &a->res : NULL; }

long long cxa_responses(const cxa *a) { return a->responses; }
long long cxa_spend_used(const cxa *a) { return a->cover.spend_used; }
long long cxa_spend_excluded(const cxa *a) { return a->cover.spend_excluded; }
long long cxa_spend_no_customer(const cxa *a) { return a->cover.spend_no_customer; }

/* ---- the CX tables as a row of the table of analyses ---- */

static void *cx_create(const analysis_env *env) { return cxa_new(env->o, env->cust, env->spend); }

static int cx_add(void *acc, const cx_response *r, const char *const *seg) { return cxa_add(acc, r, seg); }

static int cx_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    if (cxa_finish(acc, err, errlen) != 0) return -1;
    out->cx = cxa_results(acc);
    out->quality.spend_excluded = cxa_spend_excluded(acc);
    return 0;
}

/* The feed is over: the high-impact customers' state waits in a
 * temporary file while the spend rows go by and the other tables finish. */
static void cx_rest(void *acc) { hic_acc_rest(((cxa *)acc)->hic); }

static void cx_destroy(void *acc)
{
    if (acc) cxa_free(acc);
}

const analysis analysis_cx = {
    "cx", STATS_RUN_CX, 0, cx_create, cx_add, cx_finish, cx_destroy, cx_rest,
};
