/* run.c — see run.h. */
#include "stats/run.h"
#include "core/log.h"
#include "core/respcsv.h"
#include "core/timeparse.h"

#include <stdlib.h>
#include <string.h>

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

static int setup(stats_result *res, const stats_opts *o)
{
    memset(res, 0, sizeof *res);
    res->o = o;
    res->nps = nps_table_new(o->n_by);
    res->cust = cust_table_new();
    res->spend = spend_table_new();
    if (!res->nps || !res->cust || !res->spend) return -1;
    return 0;
}

static int start_analyses(stats_result *res)
{
    res->cx = cxa_new(res->o, res->cust, res->spend);
    res->agents = agents_new(res->o);
    return res->cx && res->agents ? 0 : -1;
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
    v->comment = dup(r->comment);
    v->segment = dup(r->channel);
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

static int feed(const cx_response *r, void *ctx)
{
    stats_result *res = ctx;
    const char *seg[STATS_MAX_BY];
    segments(res, r, seg);
    int month = time_month_key(r->responded_at);
    res->responses++;
    if (nps_table_add(res->nps, month, r->score, seg) != 0) return -1;
    if (cxa_add(res->cx, r, seg) != 0 || agents_add(res->agents, r) != 0) return -1;
    if (stats_in_scope(res->o, month) && verbatim_add(res, r) != 0) return -1;
    return 0;
}

static int finish(stats_result *res)
{
    char err[512];
    if (nps_table_finish(res->nps, res->o->confidence) != 0) { cx_msg("stats: out of memory"); return -1; }
    if (cxa_finish(res->cx, err, sizeof err) != 0 || agents_finish(res->agents, err, sizeof err) != 0) {
        cx_msg("stats: %s", err);
        return -1;
    }
    const int *months;
    size_t nm = nps_table_months(res->nps, &months);
    res->report_month = res->o->month ? res->o->month : (nm ? months[nm - 1] : 0);
    return 0;
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
    if (setup(res, o) != 0) { cx_msg("stats: out of memory"); return -1; }
    if (store_scan_customers(s, load_customer, res->cust) != 0 ||
        store_scan_spend(s, load_spend, res->spend) != 0) {
        cx_msg("stats: %s", store_error(s));
        return -1;
    }
    if (start_analyses(res) != 0) { cx_msg("stats: out of memory"); return -1; }
    int rc = store_scan_responses(s, NULL, feed, res);
    if (rc != 0) {
        cx_msg("stats: %s", rc == -1 && store_error(s)[0] ? store_error(s) : "out of memory");
        return -1;
    }
    return finish(res);
}

static void reject_row(stats_result *res, csv_writer *w, const char *path, long line,
                       const csv_record *rec, const char *field, const char *why, int quiet)
{
    char where[512], reason[256];
    snprintf(where, sizeof where, "%s:%ld", path, line);
    if (field && *field) snprintf(reason, sizeof reason, "field '%s': %s", field, why);
    else snprintf(reason, sizeof reason, "%s", why);
    if (!quiet && res->rejected < 20) cx_msg("%s: %s", where, reason);
    res->rejected++;
    if (!w) return;
    csv_put_text(w, "csv");
    csv_put_text(w, where);
    csv_put_text(w, reason);
    csv_put_text_len(w, rec->raw, rec->raw_len);
    csv_end_record(w);
}

int stats_run_csv(const char *path, const stats_opts *o, stats_result *res,
                  csv_writer *rejects, int quiet)
{
    char err[1024];
    if (setup(res, o) != 0 || start_analyses(res) != 0) { cx_msg("stats: out of memory"); return -1; }
    csv_reader *rd = csv_reader_open(path, err, sizeof err);
    if (!rd) { cx_msg("stats: %s", err); return -1; }
    csv_record rec;
    resp_header h;
    int rc = csv_read(rd, &rec, err, sizeof err), ret = -1;
    if (rc == 0) snprintf(err, sizeof err, "%s: empty file (no header row)", path);
    if (rc <= 0) { cx_msg("stats: %s", err); csv_reader_free(rd); return -1; }
    char why[256];
    if (resp_header_init(&h, &rec, why, sizeof why) != 0) {
        cx_msg("stats: %s:%ld: %s", path, rec.line, why);
        csv_reader_free(rd);
        return -1;
    }
    progress pg;
    progress_init(&pg, path, 0, quiet);
    for (;;) {
        rc = csv_read(rd, &rec, err, sizeof err);
        if (rc == 0) { ret = 0; break; }
        if (rc < 0) {
            reject_row(res, rejects, path, rec.line, &rec, "", csv_error_reason(rd, err), quiet);
            if (rc == -1) { ret = 0; break; }
            continue;
        }
        if (rec.nfields == 1 && rec.lens[0] == 0) continue;
        cx_response r;
        const char *field, *msg;
        if (resp_from_record(&h, &rec, "csv", 0, o->cfg->moment_lo, o->cfg->moment_hi, &r, &field, &msg) != 0) {
            reject_row(res, rejects, path, rec.line, &rec, field, msg, quiet);
            continue;
        }
        if (feed(&r, res) != 0) { cx_msg("stats: out of memory"); break; }
        progress_tick(&pg, res->responses);
    }
    progress_done(&pg);
    resp_header_free(&h);
    csv_reader_free(rd);
    return ret == 0 ? finish(res) : -1;
}

void stats_result_free(stats_result *res)
{
    nps_table_free(res->nps);
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
