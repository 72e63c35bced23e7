/* csv_nps.c — nps.csv, nps_change.csv and rejects.csv (SPEC §8). */
#include "report/report.h"
#include "core/afile.h"
#include "core/csv.h"
#include "report/csvout.h"
#include "core/timeparse.h"

#include <stdlib.h>
#include <string.h>

const char *report_dim_name(const stats_result *res, size_t dim)
{
    return dim == 0 ? "all" : res->o->by[dim - 1];
}

static void put_month(csv_writer *w, int month)
{
    char buf[16];
    if (month == 0) { csv_put_text(w, "all"); return; }
    month_format(month, buf);
    csv_put_text(w, buf);
}

static const char *const nps_header[] = {
    "period", "dimension", "segment", "n", "promoters", "passives", "detractors", "nps", "se",
    "ci_low", "ci_high", NULL,
};
static const char *const change_header[] = {
    "dimension", "segment", "period", "prev_period", "nps", "prev_nps", "change", "se", "z",
    "p_value", "significant", NULL,
};
static const char *const rejects_header[] = {"source", "where", "reason", "raw", NULL};

static int nps_rows(csv_writer *w, const void *ctx, char *err, size_t errlen)
{
    const stats_result *res = ctx;
    (void)err;
    (void)errlen;
    const nps_row *rows;
    size_t n = nps_table_rows(res->nps, &rows);
    for (size_t i = 0; i < n; i++) {
        const nps_row *r = &rows[i];
        put_month(w, r->month);
        csv_put_text(w, report_dim_name(res, r->dim));
        csv_put_text(w, r->segment);
        csv_put_int(w, r->e.n);
        csv_put_int(w, r->c.p);
        csv_put_int(w, r->c.a);
        csv_put_int(w, r->c.d);
        csv_put_double(w, r->e.nps);
        csv_put_double(w, r->e.se);
        csv_put_double(w, r->e.ci_low);
        csv_put_double(w, r->e.ci_high);
        csv_end_record(w);
    }
    return 0;
}

static int change_rows(csv_writer *w, const void *ctx, char *err, size_t errlen)
{
    const stats_result *res = ctx;
    (void)err;
    (void)errlen;
    const nps_change_row *rows;
    size_t n = nps_table_changes(res->nps, &rows);
    for (size_t i = 0; i < n; i++) {
        const nps_change_row *c = &rows[i];
        csv_put_text(w, report_dim_name(res, c->dim));
        csv_put_text(w, c->segment);
        put_month(w, c->month);
        put_month(w, c->prev_month);
        csv_put_double(w, c->cur.nps);
        csv_put_double(w, c->prev.nps);
        csv_put_double(w, c->ch.diff);
        csv_put_double(w, c->ch.se);
        csv_put_double(w, c->ch.z);
        csv_put_double(w, c->ch.p);
        if (c->ch.significant < 0) csv_put_empty(w);
        else csv_put_text(w, c->ch.significant ? "true" : "false");
        csv_end_record(w);
    }
    return 0;
}

static int put_reject(const char *source, const char *where, const char *reason, const char *raw, void *ctx)
{
    csv_writer *w = ctx;
    csv_put_text(w, source);
    csv_put_text(w, where);
    csvout_put_text_utf8(w, reason);
    csvout_put_text_utf8(w, raw);
    csv_end_record(w);
    return 0;
}

static int reject_rows(csv_writer *w, const void *ctx, char *err, size_t errlen)
{
    store *s = (store *)ctx;
    if (store_scan_rejects(s, NULL, put_reject, w) == 0) return 0;
    snprintf(err, errlen, "%s", store_error(s));
    return -1;
}

int report_csv_rejects(store *s, const char *outdir, char *err, size_t errlen)
{
    if (!s) return 0;
    return csvout_write(outdir, "rejects.csv", rejects_header, reject_rows, s, err, errlen);
}

int report_csv_all(const stats_result *res, store *s, const char *outdir, char *err, size_t errlen)
{
    if (mkdir_p(outdir, err, errlen) != 0) return -1;
    if (csvout_write(outdir, "nps.csv", nps_header, nps_rows, res, err, errlen) != 0 ||
        csvout_write(outdir, "nps_change.csv", change_header, change_rows, res, err, errlen) != 0 ||
        (res->drivers && report_csv_drivers(res, outdir, err, errlen) != 0) ||
        (res->cx && report_csv_cx(res->cx, outdir, err, errlen) != 0) ||
        (res->agents && report_csv_agents(res->agents, outdir, err, errlen) != 0) ||
        report_csv_rejects(s, outdir, err, errlen) != 0)
        return -1;
    return 0;
}
