/* run.c — see run.h: the parts shared by the store and the CSV runs.
 * The store run: run_store.c; CSV input: run_csv.c (one pass), run_par.c
 * (threads). */
#include "run/run_int.h"
#include "run/run_note.h"
#include "stats/text/verb_pipe.h"
#include "core/timeparse.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The words the page uses for money and codes, from the config. */
static int copy_words(stats_result *r, const cx_config *cfg)
{
    r->currency = strdup(cfg && cfg->currency ? cfg->currency : "$");
    if (!r->currency) return -1;
    if (!cfg || cfg->n_labels == 0) return 0;
    r->labels = calloc(cfg->n_labels, sizeof *r->labels);
    if (!r->labels) return -1;
    for (size_t i = 0; i < cfg->n_labels; i++) {
        result_label *l = &r->labels[r->n_labels++];
        l->code = strdup(cfg->labels[i].field);
        l->text = strdup(cfg->labels[i].path);
        if (!l->code || !l->text) return -1;
    }
    return 0;
}

int run_setup(run_state *st, const stats_opts *o)
{
    memset(st, 0, sizeof *st);
    st->o = o;
    st->out = calloc(1, sizeof *st->out);
    st->own = calloc(1, sizeof *st->own);
    if (!st->out || !st->own) {
        free(st->out);
        free(st->own);
        st->out = NULL;
        st->own = NULL;
        return -1;
    }
    stats_result *r = st->out;
    r->owned = st->own;
    r->confidence = o->confidence;
    r->spend_window_days = o->spend_window_days;
    r->month = o->month;
    r->window = o->window > 0 ? o->window : 1;
    r->metric_asked = o->metric;
    if (copy_words(r, o->cfg) != 0) return -1;
    st->own->n = analyses_list(&st->own->list);
    if (st->own->n > RUN_MAX_ANALYSES) return -1;
    for (size_t d = 0; d < o->n_by; d++)
        if (!(r->by[r->n_by++] = strdup(o->by[d]))) return -1;
    st->own->cust = cust_table_new();
    st->own->spend = spend_table_new(o->spend_window_days);
    if (!st->own->cust || !st->own->spend) return -1;
    return 0;
}

int run_start(run_state *st, unsigned analyses)
{
    run_owned *w = st->own;
    analysis_env env = {st->o, w->cust, w->spend};
    st->out->analyses = analyses;
    if (analyses & (STATS_RUN_CX | STATS_RUN_AGENTS | STATS_RUN_TEXT)) {
        /* moments of truth, agents and verbatims read each comment's flag */
        char why[256];
        if (!(st->reader = run_note_reader(st, why, sizeof why))) return -1;
    }
    for (size_t i = 0; i < w->n; i++) {
        const analysis *a = w->list[i];
        if (a->flag && !(analyses & a->flag)) continue;
        if (!(w->acc[i] = a->create(&env))) return -1;
    }
    return 0;
}

verb_acc *run_note_reader(const run_state *st, char *err, size_t errlen)
{
    int toks = (st->out->analyses & STATS_RUN_TEXT) != 0; /* for the verbatim thread */
    return note_reader(st->o, toks, err, errlen);
}

void run_feed_over(const run_state *st)
{
    const run_owned *own = st->own;
    for (size_t i = 0; own && i < own->n; i++)
        if (own->acc[i] && own->list[i]->rest) own->list[i]->rest(own->acc[i]);
}

struct verb_pipe *run_verb_pipe(const run_state *st, const void **acc)
{
    const run_owned *own = st->own;
    for (size_t i = 0; i < own->n; i++) {
        verb_pipe *vp = own->list[i] == &analysis_themes && own->acc[i] ? verb_row_pipe(own->acc[i]) : NULL;
        if (vp) {
            *acc = own->acc[i];
            return vp;
        }
    }
    return NULL;
}

nps_table *run_nps_table(run_state *st)
{
    for (size_t i = 0; i < st->own->n; i++)
        if (st->own->acc[i] && (st->own->list[i]->traits & ANALYSIS_COUNTS))
            return analysis_nps_table(st->own->acc[i]);
    return NULL;
}

int run_has(const run_state *st, unsigned traits)
{
    for (size_t i = 0; i < st->own->n; i++) {
        unsigned t = st->own->list[i]->traits;
        if (st->own->acc[i] && (traits ? (t & traits) == traits : t == 0)) return 1;
    }
    return 0;
}

int run_warn(run_state *st, const char *msg)
{
    stats_result *r = st->out;
    char **w = realloc(r->warnings, (r->n_warnings + 1) * sizeof *w);
    if (!w) return -1;
    r->warnings = w;
    if (!(w[r->n_warnings] = strdup(msg))) return -1;
    r->n_warnings++;
    return 0;
}

/* The response's value for each --by dimension: a response field or
 * attribute first, else the customer's attribute; NULL when missing. */
static void segments(run_state *st, const cx_response *r, const char **seg, int count)
{
    const stats_opts *o = st->o;
    const cust_table *cust = st->own->cust;
    const cust_rec *c = NULL;
    int looked = 0;
    for (size_t d = 0; d < o->n_by; d++) {
        const char *v = cx_response_dim(r, o->by[d]);
        if (!v) {
            if (!looked) {
                c = r->customer_id[0] ? cust_table_get(cust, r->customer_id) : NULL;
                looked = 1;
            }
            v = c ? cust_attr(cust, c, o->by[d]) : NULL;
        }
        seg[d] = v && v[0] ? v : NULL;
        if (!seg[d] && count) st->out->missing_segment[d]++;
    }
}

/* R through every running analysis whose traits are TRAITS (any = all). */
static int feed(run_state *st, const cx_response *r, const char *const *seg, int any, unsigned traits)
{
    run_owned *w = st->own;
    for (size_t i = 0; i < w->n; i++)
        if (w->acc[i] && w->acc[i] != st->skip && (any || w->list[i]->traits == traits) &&
            w->list[i]->add(w->acc[i], r, seg) != 0)
            return -1;
    return 0;
}

/* The pre-step: R's comment read once, when an analysis may use it
 * (note_wanted). */
static int note(run_state *st, cx_response *r)
{
    r->note = NULL;
    if (!st->reader || !*r->comment) return 0;
    if (!note_wanted(st->o, time_month_key(r->responded_at))) return 0;
    int rc = verb_read(st->reader, r, &st->note);
    if (rc > 0) r->note = &st->note;
    return rc < 0 ? -1 : 0;
}

int run_feed_rest(run_state *st, cx_response *r, const char *const *seg)
{
    if (note(st, r) != 0) return -1;
    return feed(st, r, seg, 0, 0);
}

int run_feed_rest_noted(run_state *st, const cx_response *r, const char *const *seg)
{
    return feed(st, r, seg, 0, 0);
}

int run_verbatim(run_state *st, const cx_response *r) { return feed(st, r, NULL, 0, ANALYSIS_RECENT); }

int run_feed_metric(run_state *st, const cx_response *r, const char *const *seg)
{
    return feed(st, r, seg, 0, ANALYSIS_ANY_METRIC);
}

int run_feed(run_state *st, cx_response *r)
{
    const char *seg[STATS_MAX_BY];
    if (r->metric != CX_METRIC_NPS) { /* CSAT and CES: their own tables only */
        segments(st, r, seg, 0);
        return run_feed_metric(st, r, seg);
    }
    segments(st, r, seg, 1);
    st->out->responses++;
    if (note(st, r) != 0) return -1;
    return feed(st, r, seg, 1, 0);
}

void run_abort(run_state *st)
{
    verb_free(st->reader);
    stats_result_free(st->out);
    memset(st, 0, sizeof *st);
}

/* --metric, else NPS when the run saw NPS responses, else the metric it
 * saw (CSAT before CES). */
static stats_metric default_metric(const stats_result *r)
{
    if (r->metric_asked != STATS_METRIC_ALL) return r->metric_asked;
    if (r->nps && r->nps->n_trend) return STATS_METRIC_NPS;
    if (r->metrics && r->metrics->n_csat) return STATS_METRIC_CSAT;
    if (r->metrics && r->metrics->n_ces) return STATS_METRIC_CES;
    return STATS_METRIC_NPS;
}

stats_result *run_finish(run_state *st, char *err, size_t errlen)
{
    run_owned *w = st->own;
    char why[512];
    verb_free(st->reader);
    st->reader = NULL;
    run_feed_over(st);
    for (size_t i = 0; i < w->n; i++) {
        if (!w->acc[i] || w->list[i]->finish(w->acc[i], st->out, why, sizeof why) == 0) continue;
        snprintf(err, errlen, "stats: %s", why);
        run_abort(st);
        return NULL;
    }
    stats_result *r = st->out;
    r->metric = default_metric(r);
    r->finished_at = (int64_t)time(NULL);
    memset(st, 0, sizeof *st);
    return r;
}

long run_text_col(const resp_header *h, size_t k)
{
    static const cx_field model[RT_ATTR0] = {
        CX_F_SOURCE,   CX_F_RESPONSE_ID, CX_F_COMMENT, CX_F_CUSTOMER_ID,
        CX_F_AGENT_ID, CX_F_CHANNEL,     CX_F_PRODUCT, CX_F_INTERACTION_TYPE,
    };
    if (k < RT_ATTR0) return h->col[model[k]];
    return k - RT_ATTR0 < h->n_attrs ? (long)h->attr_col[k - RT_ATTR0] : -1;
}

/* The dimension rule (cx_dim_field, core/model.h) on a CSV header: a text
 * model field's column, else the attribute column of that name, else
 * missing (the customer's attribute then, but a CSV run has no
 * customers). */
void run_dims(const resp_header *h, const stats_opts *o, run_dim *dims)
{
    static const struct {
        cx_field f;
        size_t text;
    } text_of[] = {
        {CX_F_SOURCE, RT_SOURCE},     {CX_F_CUSTOMER_ID, RT_CUSTOMER_ID},
        {CX_F_AGENT_ID, RT_AGENT_ID}, {CX_F_CHANNEL, RT_CHANNEL},
        {CX_F_PRODUCT, RT_PRODUCT},   {CX_F_INTERACTION_TYPE, RT_INTERACTION_TYPE},
    };
    for (size_t d = 0; d < o->n_by; d++) {
        int f = cx_dim_field(o->by[d]);
        dims[d].kind = DIM_NONE;
        for (size_t k = 0; f >= 0 && k < sizeof text_of / sizeof *text_of; k++)
            if (f == (int)text_of[k].f) {
                dims[d].kind = f == CX_F_SOURCE ? DIM_SOURCE : DIM_TEXT;
                dims[d].text = text_of[k].text;
            }
        for (size_t a = 0; f < 0 && a < h->n_attrs; a++)
            if (strcmp(h->attr_name[a], o->by[d]) == 0) {
                dims[d].kind = DIM_TEXT;
                dims[d].text = RT_ATTR0 + a;
                break;
            }
    }
}

static void quality_free(stats_quality *q)
{
    for (size_t i = 0; i < q->n_sources; i++) {
        free(q->sources[i].source);
        free(q->sources[i].last_error);
    }
    free(q->sources);
    for (size_t i = 0; i < q->n_reasons; i++) free(q->reasons[i].reason);
    free(q->reasons);
}

void stats_result_free(stats_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_labels; i++) {
        free(r->labels[i].code);
        free(r->labels[i].text);
    }
    free(r->labels);
    free(r->currency);
    run_owned *w = r->owned;
    if (w) {
        for (size_t i = 0; i < w->n; i++)
            if (w->acc[i]) w->list[i]->destroy(w->acc[i]);
        cust_table_free(w->cust);
        if (w->spend) spend_table_free(w->spend);
        free(w);
    }
    for (size_t i = 0; i < r->n_verb; i++) {
        free(r->verb[i].comment);
        free(r->verb[i].segment);
    }
    for (size_t d = 0; d < r->n_by; d++) free(r->by[d]);
    for (size_t i = 0; i < r->n_warnings; i++) free(r->warnings[i]);
    free(r->warnings);
    quality_free(&r->quality);
    free(r);
}
