/* hic.c — high-impact customers (hic.csv), the Pareto table (pareto.csv),
 * CLV and revenue at risk (docs/methods.md).  Four bytes per customer of
 * the customers table, and one small record per customer with a response
 * in scope: their NPS counts and their latest response (which says whether
 * they are at risk).  Customers are found through the customers table's
 * own index (cust_table_find).
 */
#include "stats/hic_int.h"
#include "core/xsort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double pareto_shares[CX_N_PARETO] = {0.01, 0.05, 0.10, 0.20, 0.50};

#define CURVE_STEPS 100

static nps_counts counts_of(const hic_cust *c) { return (nps_counts){c->p, c->a, c->d}; }

static const char *latest_id(const hic_cust *c) { return c->long_id ? c->u.heap : c->u.in; }

hic_acc *hic_acc_new(const cust_table *cust, size_t n_by)
{
    hic_acc *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->cust = cust;
    h->n_by = n_by;
    h->fd = -1;
    h->n = cust ? cust_table_count(cust) : 0;
    if (h->n >= UINT32_MAX) {
        free(h);
        return NULL;
    }
    h->state = calloc(h->n ? h->n : 1, sizeof *h->state);
    if (!h->state) {
        hic_acc_free(h);
        return NULL;
    }
    return h;
}

void hic_acc_free(hic_acc *h)
{
    if (!h) return;
    (void)hic_acc_back(h); /* its long ids are freed with it; on failure they are lost */
    for (size_t i = 0; i < h->n_c; i++)
        if (h->c[i].long_id) free(h->c[i].u.heap);
    free(h->c);
    free(h->slots);
    free(h->state);
    free(h);
}

/* The state of customer K, made when new; NULL when out of memory. */
static hic_cust *state_of(hic_acc *h, size_t k)
{
    if (h->state[k]) return &h->c[h->state[k] - 1];
    if (h->n_c == h->cap_c) {
        size_t cap = h->cap_c ? 2 * h->cap_c : 1024;
        hic_cust *c = realloc(h->c, cap * sizeof *c);
        if (!c) return NULL;
        h->c = c;
        uint32_t *s = realloc(h->slots, (h->n_by ? cap * h->n_by : 1) * sizeof *s);
        if (!s) return NULL;
        h->slots = s;
        h->cap_c = cap;
    }
    hic_cust *c = &h->c[h->n_c];
    memset(c, 0, sizeof *c);
    c->latest_class = 2; /* no latest response yet */
    h->state[k] = (uint32_t)++h->n_c;
    return c;
}

/* 1 when R is later than C's latest: responded_at, then updated_at, then
 * response_id (docs/methods.md). */
static int is_later(const hic_cust *c, const cx_response *r)
{
    if (c->latest_class == 2) return 1;
    if (r->responded_at != c->latest_at) return r->responded_at > c->latest_at;
    if (r->updated_at != c->latest_upd) return r->updated_at > c->latest_upd;
    return strcmp(r->response_id, latest_id(c)) > 0;
}

static int set_latest_id(hic_cust *c, const char *id)
{
    size_t len = strlen(id) + 1;
    if (len <= sizeof c->u.in) {
        if (c->long_id) free(c->u.heap);
        c->long_id = 0;
        memcpy(c->u.in, id, len);
        return 0;
    }
    char *p = realloc(c->long_id ? c->u.heap : NULL, len);
    if (!p) return -1;
    memcpy(p, id, len);
    c->u.heap = p;
    c->long_id = 1;
    return 0;
}

int hic_acc_add(hic_acc *h, const cx_response *r, const size_t *slots)
{
    if (h->n == 0 || !r->customer_id[0]) return 0;
    if (h->away && hic_acc_back(h) != 0) return -1;
    size_t k = cust_table_find(h->cust, r->customer_id);
    if (k == (size_t)-1 || k >= h->n) return 0; /* not in the customers file */
    hic_cust *c = state_of(h, k);
    if (!c) return -1;
    int cls = cx_nps_class(r->score);
    uint32_t *n = cls > 0 ? &c->p : cls == 0 ? &c->a : &c->d;
    if (*n == UINT32_MAX) return -1; /* 2^32 responses of one customer */
    (*n)++;
    if (!is_later(c, r)) return 0;
    if (set_latest_id(c, r->response_id) != 0) return -1;
    c->latest_class = (int8_t)cx_nps_class(r->score);
    c->latest_at = r->responded_at;
    c->latest_upd = r->updated_at;
    size_t ci = (size_t)(c - h->c);
    for (size_t i = 0; i < h->n_by; i++) h->slots[ci * h->n_by + i] = (uint32_t)slots[i];
    return 0;
}

/* The customers in rank order: idx[j] is the j-th (cust_table order),
 * t1[i] the T1 of customer i.  12 bytes a customer, sorted in place. */
typedef struct ranked {
    double *t1;
    uint32_t *idx;
} ranked;

/* 1 when customer A ranks before B: T1 descending, then customer_id
 * ascending (byte order; ids are unique, so the order is total and any
 * sort gives the same ranks). */
static int ranks_before(const ranked *rk, const cust_table *cust, uint32_t a, uint32_t b)
{
    if (rk->t1[a] != rk->t1[b]) return rk->t1[a] > rk->t1[b];
    return strcmp(cust_table_id(cust, a), cust_table_id(cust, b)) < 0;
}

/* Heapsort of rk->idx (Williams 1964): in place, no buffer of n more
 * entries as the C library's merge sort takes. */
static void sift_down(ranked *rk, const cust_table *cust, size_t root, size_t n)
{
    uint32_t *x = rk->idx;
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && ranks_before(rk, cust, x[child], x[child + 1])) child++;
        if (!ranks_before(rk, cust, x[root], x[child])) return;
        uint32_t tmp = x[root];
        x[root] = x[child];
        x[child] = tmp;
        root = child;
    }
}

static void rank_sort(ranked *rk, const cust_table *cust, size_t n)
{
    for (size_t i = n / 2; i-- > 0;) sift_down(rk, cust, i, n);
    for (size_t end = n; end-- > 1;) {
        uint32_t tmp = rk->idx[0];
        rk->idx[0] = rk->idx[end];
        rk->idx[end] = tmp;
        sift_down(rk, cust, 0, end);
    }
}

/* Customers ranked by T1.  0 ok, -1 on OOM. */
static int rank_customers(const hic_acc *h, const spend_table *spend, ranked *rk)
{
    rk->t1 = malloc((h->n ? h->n : 1) * sizeof *rk->t1);
    rk->idx = malloc((h->n ? h->n : 1) * sizeof *rk->idx);
    if (!rk->t1 || !rk->idx) {
        free(rk->t1);
        free(rk->idx);
        return -1;
    }
    int64_t first = 0, last = 0;
    int has_spend = spend && spend_table_range(spend, &first, &last);
    for (size_t i = 0; i < h->n; i++) {
        double t1 = cust_table_at(h->cust, i)->annual_value;
        if (isnan(t1)) t1 = has_spend ? cx_t1_from_spend(spend, cust_table_id(h->cust, i)) : 0.0;
        rk->t1[i] = t1;
        rk->idx[i] = (uint32_t)i;
    }
    rank_sort(rk, h->cust, h->n);
    return 0;
}

/* The sums Σ T1 of the first k ranked customers, for the few k the tables
 * use (the Pareto shares, the curve's steps, all): each is the running
 * sum cum[k] = cum[k - 1] + T1 of the k-th, in rank order, as a table of
 * every prefix would hold it. */
typedef struct prefix_sums {
    size_t k[CX_N_PARETO + CURVE_STEPS + 2];
    long double sum[CX_N_PARETO + CURVE_STEPS + 2];
    size_t n;
} prefix_sums;

static int size_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return (a > b) - (a < b);
}

static void prefix_want(prefix_sums *p, size_t k) { p->k[p->n++] = k; }

static void prefix_fill(prefix_sums *p, const ranked *rk, size_t n)
{
    cx_qsort(p->k, p->n, sizeof *p->k, size_cmp);
    long double cum = 0;
    size_t j = 0;
    for (size_t i = 0; i <= n && j < p->n; i++) {
        if (i > 0) cum = cum + rk->t1[rk->idx[i - 1]];
        while (j < p->n && p->k[j] == i) p->sum[j++] = cum;
    }
}

static long double prefix_at(const prefix_sums *p, size_t k)
{
    for (size_t j = 0; j < p->n; j++)
        if (p->k[j] == k) return p->sum[j];
    return 0; /* not wanted: never asked */
}

static const hic_cust *state_at(const hic_acc *h, size_t k)
{
    return h->state[k] ? &h->c[h->state[k] - 1] : NULL;
}

static const uint32_t *slots_at(const hic_acc *h, size_t k)
{
    return h->slots + (size_t)(h->state[k] - 1) * h->n_by;
}

static double share_of(long double part, long double total)
{
    return total != 0 ? (double)(part / total) : NAN;
}

static void hic_rows(const hic_acc *h, const stats_opts *o, const ranked *rk, size_t k_hic, cx_results *r)
{
    static const char *const names[3] = {"hic", "other", "all"};
    const cx_config *cfg = o->cfg;
    long double clv[3] = {0}, risk[3] = {0}, t1[3] = {0};
    memset(r->hic, 0, sizeof r->hic);
    for (size_t j = 0; j < h->n; j++) {
        const hic_cust *c = state_at(h, rk->idx[j]);
        double v = cx_clv(rk->t1[rk->idx[j]], cfg->clv_years, cfg->discount_rate);
        int at_risk = c && c->latest_class < 0;
        const size_t groups[2] = {j < k_hic ? 0 : 1, 2}; /* hic|other, all */
        for (size_t q = 0; q < 2; q++) {
            size_t s = groups[q];
            r->hic[s].customers++;
            if (c) {
                nps_counts k = counts_of(c);
                nps_counts_merge(&r->hic[s].counts, &k);
            }
            t1[s] += rk->t1[rk->idx[j]];
            clv[s] += v;
            if (at_risk) {
                risk[s] += v;
                r->hic[s].at_risk++;
            }
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
static int risk_rows(const hic_acc *h, const stats_opts *o, const ranked *rk, size_t n_slots,
                     const cx_slot_label *order, size_t n_order, cx_results *r)
{
    cx_risk_row *acc = calloc(n_slots ? n_slots : 1, sizeof *acc);
    r->risk = calloc(n_order ? n_order : 1, sizeof *r->risk);
    if (!acc || !r->risk) {
        free(acc);
        return -1;
    }
    for (size_t j = 0; j < h->n; j++) {
        const hic_cust *c = state_at(h, rk->idx[j]);
        if (!c) continue;
        double v = cx_clv(rk->t1[rk->idx[j]], o->cfg->clv_years, o->cfg->discount_rate);
        const uint32_t *slots = slots_at(h, rk->idx[j]);
        for (size_t i = 0; i < h->n_by; i++) {
            size_t s = slots[i];
            if (s == 0 || s >= n_slots) continue;
            acc[s].customers++;
            acc[s].clv += v;
            if (c->latest_class < 0) {
                acc[s].at_risk++;
                acc[s].revenue_at_risk += v;
            }
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

static int curve_points(size_t n, const prefix_sums *cum, cx_results *r)
{
    r->n_curve = 0;
    if (n == 0) return 0;
    r->curve = calloc(CURVE_STEPS + 1, sizeof *r->curve);
    if (!r->curve) return -1;
    for (size_t i = 0; i <= CURVE_STEPS; i++) {
        double x = (double)i / CURVE_STEPS;
        size_t k = cx_top_count(x, n);
        r->curve[i].customer_share = (double)k / (double)n;
        r->curve[i].revenue_share = share_of(prefix_at(cum, k), prefix_at(cum, n));
    }
    r->n_curve = CURVE_STEPS + 1;
    return 0;
}

int hic_acc_finish(const hic_acc *h, const stats_opts *o, const spend_table *spend, size_t n_slots,
                   const cx_slot_label *order, size_t n_order, cx_results *r)
{
    ranked rank;
    if (rank_customers(h, spend, &rank) != 0) return -1;
    const ranked *rk = &rank;
    prefix_sums cum = {.n = 0};
    for (size_t i = 0; i < CX_N_PARETO; i++) prefix_want(&cum, cx_top_count(pareto_shares[i], h->n));
    for (size_t i = 0; i <= CURVE_STEPS; i++) prefix_want(&cum, cx_top_count((double)i / CURVE_STEPS, h->n));
    prefix_want(&cum, h->n);
    prefix_fill(&cum, rk, h->n);
    r->n_customers = h->n;
    r->hic_top = o->cfg->hic_top;
    r->clv_years = o->cfg->clv_years;
    r->discount_rate = o->cfg->discount_rate;
    for (size_t i = 0; i < CX_N_PARETO; i++) {
        size_t k = cx_top_count(pareto_shares[i], h->n);
        r->pareto[i] = (cx_pareto_row){pareto_shares[i], (int64_t)k,
                                       share_of(prefix_at(&cum, k), prefix_at(&cum, h->n))};
    }
    size_t k_hic = cx_top_count(o->cfg->hic_top, h->n);
    r->hic_cut = h->n ? (double)k_hic / (double)h->n : NAN;
    hic_rows(h, o, rk, k_hic, r);
    int rc = risk_rows(h, o, rk, n_slots, order, n_order, r);
    if (rc == 0) rc = curve_points(h->n, &cum, r);
    free(rank.t1);
    free(rank.idx);
    return rc;
}
