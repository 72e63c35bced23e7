/* hic.c — high-impact customers (hic.csv), the Pareto table (pareto.csv),
 * CLV and revenue at risk (docs/methods.md).  One small record per customer
 * of the customers table: their in-scope NPS counts and their latest
 * response (which says whether they are at risk).
 */
#include "stats/cx.h"
#include "core/xsort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"

static const double pareto_shares[CX_N_PARETO] = { 0.01, 0.05, 0.10, 0.20, 0.50 };

#define CURVE_STEPS 100

typedef struct hic_cust {
    nps_counts counts;
    int has_latest;
    int latest_class;            /* cx_nps_class of the latest response */
    int64_t latest_at, latest_upd;
    char *latest_id;             /* owned */
} hic_cust;

struct hic_acc {
    const cust_table *cust;
    size_t n, n_by;
    strmap *ids;                 /* customer_id -> index in cust_table order */
    hic_cust *c;
    uint32_t *slots;             /* n × n_by: segment slot of the latest response */
};

hic_acc *hic_acc_new(const cust_table *cust, size_t n_by)
{
    hic_acc *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->cust = cust;
    h->n_by = n_by;
    h->n = cust ? cust_table_count(cust) : 0;
    h->ids = strmap_new();
    h->c = calloc(h->n ? h->n : 1, sizeof *h->c);
    h->slots = calloc(h->n && n_by ? h->n * n_by : 1, sizeof *h->slots);
    if (!h->ids || !h->c || !h->slots) { hic_acc_free(h); return NULL; }
    for (size_t i = 0; i < h->n; i++) {
        int added;
        /* cust_table replaces on a repeated id, so ids are unique. */
        if (strmap_put(h->ids, cust_table_at(cust, i)->id, i, &added) == (size_t)-1) {
            hic_acc_free(h);
            return NULL;
        }
    }
    return h;
}

void hic_acc_free(hic_acc *h)
{
    if (!h) return;
    if (h->c)
        for (size_t i = 0; i < h->n; i++) free(h->c[i].latest_id);
    free(h->c);
    free(h->slots);
    strmap_free(h->ids);
    free(h);
}

/* 1 when R is later than C's latest: responded_at, then updated_at, then
 * response_id (docs/methods.md). */
static int is_later(const hic_cust *c, const cx_response *r)
{
    if (!c->has_latest) return 1;
    if (r->responded_at != c->latest_at) return r->responded_at > c->latest_at;
    if (r->updated_at != c->latest_upd) return r->updated_at > c->latest_upd;
    return strcmp(r->response_id, c->latest_id) > 0;
}

int hic_acc_add(hic_acc *h, const cx_response *r, const size_t *slots)
{
    if (h->n == 0 || !r->customer_id[0]) return 0;
    size_t k = strmap_get(h->ids, r->customer_id);
    if (k == (size_t)-1) return 0;       /* not in the customers file */
    hic_cust *c = &h->c[k];
    nps_counts_add(&c->counts, r->score);
    if (!is_later(c, r)) return 0;
    size_t len = strlen(r->response_id) + 1;
    char *id = realloc(c->latest_id, len);
    if (!id) return -1;
    memcpy(id, r->response_id, len);
    c->latest_id = id;
    c->has_latest = 1;
    c->latest_class = cx_nps_class(r->score);
    c->latest_at = r->responded_at;
    c->latest_upd = r->updated_at;
    for (size_t i = 0; i < h->n_by; i++)
        h->slots[k * h->n_by + i] = (uint32_t)slots[i];
    return 0;
}

size_t cx_top_count(double share, size_t n)
{
    if (!(share > 0.0) || n == 0) return 0;
    /* ⌈x⌉ with a relative tolerance: 0.1·30 is 3.0000000000000004 in
     * binary floating point and must give 3, not 4. */
    double x = share * (double)n * (1.0 - 1e-12);
    double k = ceil(x);
    return k >= (double)n ? n : (size_t)k;
}

double cx_clv(double t1, double years, double rate)
{
    if (!(rate > 0.0)) return t1 * years;
    return t1 * (1.0 - pow(1.0 + rate, -years)) / rate;
}

double cx_t1_from_spend(const spend_table *s, const char *customer_id)
{
    return s ? spend_table_t1(s, customer_id) : 0.0;
}

typedef struct ranked {
    double t1;
    const char *id;
    size_t idx;
} ranked;

/* T1 descending, then customer_id ascending (byte order). */
static int ranked_cmp(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->t1 != b->t1) return a->t1 > b->t1 ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Customers ranked by T1; CUM[k] = Σ T1 of the first k.  NULL on OOM. */
static ranked *rank_customers(const hic_acc *h, const spend_table *spend,
                              long double **cum_out)
{
    ranked *rk = malloc((h->n ? h->n : 1) * sizeof *rk);
    long double *cum = malloc((h->n + 1) * sizeof *cum);
    if (!rk || !cum) { free(rk); free(cum); return NULL; }
    int64_t first = 0, last = 0;
    int has_spend = spend && spend_table_range(spend, &first, &last);
    for (size_t i = 0; i < h->n; i++) {
        const cust_rec *c = cust_table_at(h->cust, i);
        double t1 = c->annual_value;
        if (isnan(t1))
            t1 = has_spend ? cx_t1_from_spend(spend, c->id) : 0.0;
        rk[i] = (ranked){ t1, c->id, i };
    }
    cx_qsort(rk, h->n, sizeof *rk, ranked_cmp);
    cum[0] = 0;
    for (size_t i = 0; i < h->n; i++) cum[i + 1] = cum[i] + rk[i].t1;
    *cum_out = cum;
    return rk;
}

static double share_of(long double part, long double total)
{
    return total != 0 ? (double)(part / total) : NAN;
}

static void hic_rows(const hic_acc *h, const stats_opts *o, const ranked *rk,
                     size_t k_hic, cx_results *r)
{
    static const char *const names[3] = { "hic", "other", "all" };
    const cx_config *cfg = o->cfg;
    long double clv[3] = { 0 }, risk[3] = { 0 }, t1[3] = { 0 };
    memset(r->hic, 0, sizeof r->hic);
    for (size_t j = 0; j < h->n; j++) {
        const hic_cust *c = &h->c[rk[j].idx];
        double v = cx_clv(rk[j].t1, cfg->clv_years, cfg->discount_rate);
        int at_risk = c->has_latest && c->latest_class < 0;
        const size_t groups[2] = { j < k_hic ? 0 : 1, 2 };   /* hic|other, all */
        for (size_t q = 0; q < 2; q++) {
            size_t s = groups[q];
            r->hic[s].customers++;
            nps_counts_merge(&r->hic[s].counts, &c->counts);
            t1[s] += rk[j].t1;
            clv[s] += v;
            if (at_risk) { risk[s] += v; r->hic[s].at_risk++; }
        }
    }
    double z = nps_z(o->confidence);
    for (size_t s = 0; s < 3; s++) {
        r->hic[s].segment = names[s];
        r->hic[s].nps = nps_estimate(&r->hic[s].counts, z);
        r->hic[s].t1 = (double)t1[s];
        r->hic[s].revenue_share = share_of(t1[s], t1[2]);
        r->hic[s].clv = (double)clv[s];
        r->hic[s].revenue_at_risk = (double)risk[s];
    }
    r->hic_vs_other = nps_compare(&r->hic[0].nps, &r->hic[1].nps, o->confidence);
}

/* Revenue at risk per --by segment of each customer's latest response. */
static int risk_rows(const hic_acc *h, const stats_opts *o, const ranked *rk,
                     size_t n_slots, const cx_slot_label *order, size_t n_order,
                     cx_results *r)
{
    cx_risk_row *acc = calloc(n_slots ? n_slots : 1, sizeof *acc);
    r->risk = calloc(n_order ? n_order : 1, sizeof *r->risk);
    if (!acc || !r->risk) { free(acc); return -1; }
    for (size_t j = 0; j < h->n; j++) {
        const hic_cust *c = &h->c[rk[j].idx];
        if (!c->has_latest) continue;
        double v = cx_clv(rk[j].t1, o->cfg->clv_years, o->cfg->discount_rate);
        for (size_t i = 0; i < h->n_by; i++) {
            size_t s = h->slots[rk[j].idx * h->n_by + i];
            if (s == 0 || s >= n_slots) continue;
            acc[s].customers++;
            acc[s].clv += v;
            if (c->latest_class < 0) { acc[s].at_risk++; acc[s].revenue_at_risk += v; }
        }
    }
    r->n_risk = 0;
    for (size_t i = 0; i < n_order; i++) {
        size_t s = order[i].slot;
        if (s == 0 || s >= n_slots || acc[s].customers == 0) continue;
        cx_risk_row *row = &r->risk[r->n_risk++];
        *row = acc[s];
        row->dimension = order[i].dimension;
        row->segment = order[i].segment;
    }
    free(acc);
    return 0;
}

static int curve_points(size_t n, const long double *cum, cx_results *r)
{
    r->n_curve = 0;
    if (n == 0) return 0;
    r->curve = calloc(CURVE_STEPS + 1, sizeof *r->curve);
    if (!r->curve) return -1;
    for (size_t i = 0; i <= CURVE_STEPS; i++) {
        double x = (double)i / CURVE_STEPS;
        size_t k = cx_top_count(x, n);
        r->curve[i].customer_share = (double)k / (double)n;
        r->curve[i].revenue_share = share_of(cum[k], cum[n]);
    }
    r->n_curve = CURVE_STEPS + 1;
    return 0;
}

int hic_acc_finish(const hic_acc *h, const stats_opts *o, const spend_table *spend,
                   size_t n_slots, const cx_slot_label *order, size_t n_order,
                   cx_results *r)
{
    long double *cum = NULL;
    ranked *rk = rank_customers(h, spend, &cum);
    if (!rk) return -1;
    r->n_customers = h->n;
    r->hic_top = o->cfg->hic_top;
    r->clv_years = o->cfg->clv_years;
    r->discount_rate = o->cfg->discount_rate;
    for (size_t i = 0; i < CX_N_PARETO; i++) {
        size_t k = cx_top_count(pareto_shares[i], h->n);
        r->pareto[i] = (cx_pareto_row){ pareto_shares[i], (int64_t)k, share_of(cum[k], cum[h->n]) };
    }
    size_t k_hic = cx_top_count(o->cfg->hic_top, h->n);
    r->hic_cut = h->n ? (double)k_hic / (double)h->n : NAN;
    hic_rows(h, o, rk, k_hic, r);
    int rc = risk_rows(h, o, rk, n_slots, order, n_order, r);
    if (rc == 0) rc = curve_points(h->n, cum, r);
    free(rk);
    free(cum);
    return rc;
}
