/* run_par_rows.c — a merged chunk's rows on the main thread of the
 * threaded CSV pass (run_par.c): its repeated ids settled in file order,
 * then its rows handed to the analyses as responses, then its verbatim
 * candidates (run_par_rows.h). */
#include "run/run_par_rows.h"
#include "core/xsort.h"

#include <string.h>

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Row I of chunk C as a response (strings borrowed from C). */
static void row_response(const chunk *c, size_t i, cx_response *r)
{
    const chunk_row *w = &c->rows[i];
    const uint32_t *t = c->text + w->text;
    r->source = chunk_text(c, t[RT_SOURCE]);
    if (!r->source[0]) r->source = "csv";
    r->response_id = chunk_text(c, t[RT_RESPONSE_ID]);
    r->comment = chunk_text(c, t[RT_COMMENT]);
    r->customer_id = chunk_text(c, t[RT_CUSTOMER_ID]);
    r->agent_id = chunk_text(c, t[RT_AGENT_ID]);
    r->channel = chunk_text(c, t[RT_CHANNEL]);
    r->product = chunk_text(c, t[RT_PRODUCT]);
    r->interaction_type = chunk_text(c, t[RT_INTERACTION_TYPE]);
    for (size_t a = 0; a < r->n_attrs; a++) r->attrs[a].value = chunk_text(c, t[RT_ATTR0 + a]);
    r->responded_at = w->responded_at;
    r->updated_at = w->updated_at;
    r->score = w->score;
    r->handle_time_s = w->handle_time_s;
    r->has_handle_time = w->has_handle_time;
    r->n_moments = w->n_moments;
    r->metric = w->metric;
    memcpy(r->moments, c->moments + w->moment, r->n_moments * sizeof *r->moments);
}

/* Row I, a settled pending row, as the worker would have offered it as a
 * verbatim candidate (run_chunk.c, keep_row). */
static int verbatim_pending(const chunk *c, const chunk_cfg *g, size_t i)
{
    const chunk_row *w = &c->rows[i];
    return g->verbatims && w->pend == CHUNK_PEND_KEPT && w->metric == CX_METRIC_NPS &&
           *chunk_text(c, c->text[w->text + RT_COMMENT]) && stats_month_in_scope(g->scope_month, w->month);
}

/* The value of --by dimension D of row W (len 0 when missing), as the
 * worker reads it from the fields (run_chunk.c, dim_value). */
static csv_span row_dim(const chunk *c, const chunk_row *w, const chunk_cfg *g, size_t d)
{
    const uint32_t *t = c->text + w->text;
    const char *v = "";
    if (g->dims[d].kind == DIM_SOURCE) {
        v = chunk_text(c, t[RT_SOURCE]);
        if (!*v) v = "csv";
    } else if (g->dims[d].kind == DIM_TEXT) {
        v = chunk_text(c, t[g->dims[d].text]);
    }
    return (csv_span){v, strlen(v)};
}

/* The repeated ids of chunk C, in file order: the first rows met here
 * recorded, then each pending row settled, and counted when it stays. */
int run_par_settle(csv_run *x, chunk *c, const chunk_cfg *g)
{
    stats_result *res = x->st->out;
    for (size_t i = 0; i < c->n_dfirst; i++) resp_dedup_first(x->dd, c->dfirst[i].key, c->dfirst[i].won);
    for (size_t i = 0; i < c->n_dpend; i++) {
        chunk_row *w = &c->rows[c->dpend[i].row];
        int keep = resp_dedup_settle(x->dd, c->dpend[i].key);
        w->pend = keep ? CHUNK_PEND_KEPT : CHUNK_PEND_DROPPED;
        if (!keep || w->metric != CX_METRIC_NPS) continue;
        csv_span seg[STATS_MAX_BY];
        for (size_t d = 0; d < g->n_by; d++) {
            seg[d] = row_dim(c, w, g, d);
            res->missing_segment[d] += seg[d].len == 0;
        }
        res->responses++;
        if (nps_table_add_n(run_nps_table(x->st), w->month, w->score, seg) != 0) return -1;
    }
    return 0;
}

/* Rows of chunk C as responses, in order, to the analyses besides NPS;
 * then its verbatim candidates, in file order too. */
int run_par_feed(csv_run *x, const chunk *c, const chunk_cfg *g)
{
    cx_response r;
    verb_flag note;
    const char *seg[STATS_MAX_BY];
    size_t verb[VERBATIM_MAX];

    cx_response_clear(&r);
    r.n_attrs = x->h.n_attrs;
    for (size_t a = 0; a < r.n_attrs; a++) r.attrs[a].key = x->h.attr_name[a];
    for (size_t i = 0; i < c->n_rows; i++) {
        if (c->rows[i].pend == CHUNK_PEND_DROPPED) continue;
        const uint32_t *t = c->text + c->rows[i].text;
        row_response(c, i, &r);
        for (size_t d = 0; d < g->n_by; d++) {
            const char *v = g->dims[d].kind == DIM_SOURCE ? r.source
                            : g->dims[d].kind == DIM_TEXT ? chunk_text(c, t[g->dims[d].text])
                                                          : "";
            seg[d] = v[0] ? v : NULL;
        }
        int rc;
        if (r.metric != CX_METRIC_NPS) {
            rc = run_feed_metric(x->st, &r, seg);
        } else if (g->notes) { /* the worker read the comment */
            r.note = chunk_note(c, i, &note);
            rc = run_feed_rest_noted(x->st, &r, seg);
        } else {
            rc = run_feed_rest(x->st, &r, seg);
        }
        if (rc != 0) return -1;
    }
    memcpy(verb, c->verb, c->n_verb * sizeof *verb);
    cx_qsort(verb, c->n_verb, sizeof *verb, cmp_size);
    r.note = NULL;
    /* the chunk's candidates and its kept pending rows, in file order */
    size_t k = 0, q = 0;
    while (k < c->n_verb || q < c->n_dpend) {
        size_t at;
        if (q < c->n_dpend && !verbatim_pending(c, g, c->dpend[q].row)) {
            q++;
            continue;
        }
        if (k < c->n_verb && (q >= c->n_dpend || verb[k] < c->dpend[q].row)) at = verb[k++];
        else at = c->dpend[q++].row;
        row_response(c, at, &r);
        if (run_verbatim(x->st, &r) != 0) return -1;
    }
    return 0;
}
