/* run.c — see run.h: the parts shared by the store and the CSV runs, and
 * the store run.  CSV input: run_csv.c (one pass), run_par.c (threads). */
#include "stats/run_int.h"
#include "core/log.h"
#include "core/timeparse.h"

#include <stdlib.h>
#include <string.h>

int run_setup(stats_result *res, const stats_opts *o)
{
    memset(res, 0, sizeof *res);
    res->o = o;
    res->nps = nps_table_new(o->n_by);
    res->cust = cust_table_new();
    res->spend = spend_table_new();
    if (!res->nps || !res->cust || !res->spend) return -1;
    return 0;
}

int run_start(stats_result *res, unsigned analyses)
{
    if ((analyses & STATS_RUN_CX) && !(res->cx = cxa_new(res->o, res->cust, res->spend))) return -1;
    if ((analyses & STATS_RUN_AGENTS) && !(res->agents = agents_new(res->o))) return -1;
    return 0;
}

/* Keeps the VERBATIM_MAX most recent non-empty comments in scope. */
static int verbatim_add(stats_result *res, const cx_response *r)
{
    if (!r->comment[0]) return 0;
    size_t n = res->n_verb, i = n;
    while (i > 0 && res->verb[i - 1].at < r->responded_at) i--;
    if (i >= VERBATIM_MAX) return 0;
    if (n == VERBATIM_MAX) {
        free(res->verb[n - 1].comment);
        free(res->verb[n - 1].segment);
        n--;
    }
    memmove(&res->verb[i + 1], &res->verb[i], (n - i) * sizeof *res->verb);
    verbatim *v = &res->verb[i];
    v->at = r->responded_at;
    v->score = r->score;
    v->comment = strdup(r->comment);
    v->segment = strdup(r->channel);
    res->n_verb = n + 1;
    return v->comment && v->segment ? 0 : -1;
}

/* The response's value for each --by dimension: a response field or
 * attribute first, else the customer's attribute; NULL when missing. */
static void segments(stats_result *res, const cx_response *r, const char **seg)
{
    const cust_rec *c = NULL;
    int looked = 0;
    for (size_t d = 0; d < res->o->n_by; d++) {
        const char *v = cx_response_dim(r, res->o->by[d]);
        if (!v) {
            if (!looked) { c = r->customer_id[0] ? cust_table_get(res->cust, r->customer_id) : NULL; looked = 1; }
            v = c ? cust_attr(res->cust, c, res->o->by[d]) : NULL;
        }
        seg[d] = v && v[0] ? v : NULL;
        if (!seg[d]) res->missing_segment[d]++;
    }
}

int run_feed_rest(stats_result *res, const cx_response *r, const char *const *seg)
{
    if (res->cx && cxa_add(res->cx, r, seg) != 0) return -1;
    if (res->agents && agents_add(res->agents, r) != 0) return -1;
    return 0;
}

int run_verbatim(stats_result *res, const cx_response *r)
{
    return res->cx ? verbatim_add(res, r) : 0;
}

int run_feed(stats_result *res, const cx_response *r)
{
    if (r->metric != CX_METRIC_NPS)
        return 0;                                /* these tables are NPS tables */
    const char *seg[STATS_MAX_BY];
    int month = time_month_key(r->responded_at);
    segments(res, r, seg);
    res->responses++;
    if (nps_table_add(res->nps, month, r->score, seg) != 0 || run_feed_rest(res, r, seg) != 0)
        return -1;
    return stats_in_scope(res->o, month) ? run_verbatim(res, r) : 0;
}

int run_finish(stats_result *res)
{
    char err[512];
    if (nps_table_finish(res->nps, res->o->confidence) != 0) { cx_msg("stats: out of memory"); return -1; }
    if ((res->cx && cxa_finish(res->cx, err, sizeof err) != 0) ||
        (res->agents && agents_finish(res->agents, err, sizeof err) != 0)) {
        cx_msg("stats: %s", err);
        return -1;
    }
    return run_derive(res);
}

int run_derive(stats_result *res)
{
    const int *months;
    size_t nm = nps_table_months(res->nps, &months);
    res->report_month = res->o->month ? res->o->month : (nm ? months[nm - 1] : 0);
    res->drivers = drivers_new(res->nps, res->o->n_by, res->report_month, res->o->confidence);
    if (!res->drivers) { cx_msg("stats: out of memory"); return -1; }
    return 0;
}

long run_text_col(const resp_header *h, size_t k)
{
    static const cx_field model[RT_ATTR0] = {
        CX_F_SOURCE, CX_F_RESPONSE_ID, CX_F_COMMENT, CX_F_CUSTOMER_ID, CX_F_AGENT_ID,
        CX_F_CHANNEL, CX_F_PRODUCT, CX_F_INTERACTION_TYPE,
    };
    if (k < RT_ATTR0) return h->col[model[k]];
    return k - RT_ATTR0 < h->n_attrs ? (long)h->attr_col[k - RT_ATTR0] : -1;
}

/* cx_response_dim() answers a text model field by name, then an attribute
 * by name, else NULL (a customer attribute then, but a CSV run has no
 * customers); other model fields (comment, score, …) are never segments. */
void run_dims(const resp_header *h, const stats_opts *o, run_dim *dims)
{
    static const struct { cx_field f; size_t text; } named[] = {
        { CX_F_SOURCE, RT_SOURCE }, { CX_F_CUSTOMER_ID, RT_CUSTOMER_ID },
        { CX_F_AGENT_ID, RT_AGENT_ID }, { CX_F_CHANNEL, RT_CHANNEL },
        { CX_F_PRODUCT, RT_PRODUCT }, { CX_F_INTERACTION_TYPE, RT_INTERACTION_TYPE },
    };
    for (size_t d = 0; d < o->n_by; d++) {
        int f = cx_field_lookup(o->by[d]);
        dims[d].kind = DIM_NONE;
        for (size_t k = 0; k < sizeof named / sizeof *named; k++)
            if (f == (int)named[k].f) {
                dims[d].kind = named[k].f == CX_F_SOURCE ? DIM_SOURCE : DIM_TEXT;
                dims[d].text = named[k].text;
            }
        for (size_t a = 0; f < 0 && a < h->n_attrs; a++)
            if (strcmp(h->attr_name[a], o->by[d]) == 0) {
                dims[d].kind = DIM_TEXT;
                dims[d].text = RT_ATTR0 + a;
                break;
            }
    }
}

static int feed_store(const cx_response *r, void *ctx)
{
    return run_feed(ctx, r);
}

static int load_customer(const char *id, double v, const cx_attr *a, size_t n, void *ctx)
{
    return cust_table_add(ctx, id, v, a, n);
}

static int load_spend(const char *id, int64_t day, double amount, void *ctx)
{
    return spend_table_add(ctx, id, day, amount);
}

int stats_run_store(store *s, const stats_opts *o, stats_result *res, int quiet)
{
    (void)quiet;
    if (run_setup(res, o) != 0) { cx_msg("stats: out of memory"); return -1; }
    if (store_scan_customers(s, load_customer, res->cust) != 0 ||
        store_scan_spend(s, load_spend, res->spend) != 0) {
        cx_msg("stats: %s", store_error(s));
        return -1;
    }
    if (run_start(res, STATS_RUN_ALL) != 0) { cx_msg("stats: out of memory"); return -1; }
    int rc = store_scan_responses(s, NULL, feed_store, res);
    if (rc != 0) {
        cx_msg("stats: %s", rc == -1 && store_error(s)[0] ? store_error(s) : "out of memory");
        return -1;
    }
    return run_finish(res);
}

void stats_result_free(stats_result *res)
{
    nps_table_free(res->nps);
    drivers_free(res->drivers);
    if (res->cx) cxa_free(res->cx);
    if (res->agents) agents_free(res->agents);
    cust_table_free(res->cust);
    if (res->spend) spend_table_free(res->spend);
    for (size_t i = 0; i < res->n_verb; i++) {
        free(res->verb[i].comment);
        free(res->verb[i].segment);
    }
    memset(res, 0, sizeof *res);
}
