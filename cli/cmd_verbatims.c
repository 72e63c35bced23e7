/* cmd_verbatims.c — `cxpulse verbatims [--month M] [--by D] [--theme T]
 * [--input FILE.csv] [--out DIR]`: the themes of detractors' and
 * promoters' comments on the terminal, or the comments of one theme; with
 * --out, themes.csv and verbatim_flags.csv too.  Responses come from the
 * store, or from a responses CSV with --input. */
#include "cli/cli.h"
#include "core/afile.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/respcsv.h"
#include "core/store/store.h"
#include "core/timeparse.h"
#include "report/noun.h"
#include "report/verbatims_out.h"
#include "stats/customers.h"
#include "stats/text/verbatims.h"

#include <stdlib.h>
#include <string.h>

typedef struct vrun {
    cli *c;
    verb_acc *acc;
    csv_writer *flags; /* NULL without --out */
    int second;        /* --theme: the pass that prints comments */
    long long printed;
    int failed;
    long long seen, in_month;             /* responses read; of them in --month (all without) */
    int first, last;                      /* their month keys (--input) */
    unsigned char dim_seen[STATS_MAX_BY]; /* a response in the period had a value for --by dim d */
    cust_table *cust;                     /* the store's customers, for a --by customer attribute */
} vrun;

/* R's value of each --by dimension into SEG (NULL when missing): its own
 * field or attribute, else its customer's attribute, as the statistics
 * run takes them (run/run.c), so that `verbatims --by tier` has the
 * scopes `stats --by tier` writes. */
static void segments(const vrun *v, const cx_response *r, const char **seg)
{
    const stats_opts *o = &v->c->so;
    const cust_rec *cr = NULL;
    int looked = 0;
    for (size_t d = 0; d < o->n_by; d++) {
        const char *val = cx_response_dim(r, o->by[d]);
        if (!val && v->cust) {
            if (!looked) {
                cr = r->customer_id[0] ? cust_table_get(v->cust, r->customer_id) : NULL;
                looked = 1;
            }
            val = cr ? cust_attr(v->cust, cr, o->by[d]) : NULL;
        }
        seg[d] = val && *val ? val : NULL;
    }
}

static int add_customer(const char *customer_id, double annual_value, const cx_attr *attrs, size_t n_attrs,
                        void *ctx)
{
    return cust_table_add(ctx, customer_id, annual_value, attrs, n_attrs) != 0;
}

/* The store's customers into V->cust when a --by dimension is no field of
 * a response (it may be a customer's attribute) and there are customers.
 * 0, or -1 after a message. */
static int load_customers(vrun *v, store *s)
{
    int need = 0;
    for (size_t d = 0; d < v->c->so.n_by; d++) need |= cx_dim_field(v->c->so.by[d]) < 0;
    int has = need ? store_has_customers(s) : 0;
    if (has == 0) return 0;
    if (has > 0) {
        if (!(v->cust = cust_table_new())) {
            cx_msg("verbatims: out of memory");
            return -1;
        }
        if (store_scan_customers(s, add_customer, v->cust) == 0) return 0;
    }
    cx_msg("verbatims: %s", store_error(s)[0] ? store_error(s) : "out of memory");
    return -1;
}

static int feed(const cx_response *r, void *ctx)
{
    vrun *v = ctx;
    int month = time_month_key(r->responded_at);
    if (v->second) {
        if (v->c->so.month && month != v->c->so.month) return 0;
        text_lang l;
        if (*r->comment && verb_mentions(v->acc, r->comment, v->c->theme, &l)) {
            if (verb_comment_print(stdout, r, l) != 0) {
                v->failed = 1;
                return 1;
            }
            v->printed++;
        }
        return 0;
    }
    if (v->seen++ == 0 || month < v->first) v->first = month;
    if (month > v->last) v->last = month;
    const char *seg[STATS_MAX_BY];
    segments(v, r, seg);
    if (!v->c->so.month || month == v->c->so.month) {
        v->in_month++;
        for (size_t d = 0; d < v->c->so.n_by; d++)
            if (seg[d]) v->dim_seen[d] = 1;
    }
    verb_flag f;
    int rc = verb_add_seg(v->acc, r, month, seg, &f);
    if (rc < 0) {
        cx_msg("verbatims: out of memory");
        v->failed = 1;
        return 1;
    }
    if (rc == 1 && v->flags) verb_flags_csv_row(v->flags, r, &f);
    return 0;
}

/* Streams the responses of --input through FEED.  0 ok, -1 after a message;
 * rows that do not parse are counted in *BAD and reported (the first 20). */
static int scan_csv(vrun *v, long long *bad)
{
    char err[1024], why[256];
    csv_record rec;
    resp_header h;
    const cx_config *cfg = v->c->cfg;
    csv_reader *rd = csv_reader_open(v->c->input, err, sizeof err);
    if (!rd) {
        cx_msg("verbatims: %s", err);
        return -1;
    }
    int rc = csv_read(rd, &rec, err, sizeof err);
    if (rc == 0) snprintf(err, sizeof err, "%s: empty file (no header row)", v->c->input);
    if (rc <= 0 || resp_header_init(&h, &rec, why, sizeof why) != 0) {
        if (rc > 0) cx_msg("verbatims: %s:%ld: %s", v->c->input, rec.line, why);
        else cx_msg("verbatims: %s", err);
        csv_reader_free(rd);
        return -1;
    }
    int out = 0;
    while ((rc = csv_read(rd, &rec, err, sizeof err)) != 0) {
        cx_response r;
        const char *field = "", *msg = err;
        if (rc < 0) {
            msg = csv_error_reason(rd, err);
            if (rc == -1) {
                cx_msg("verbatims: %s:%ld: %s", v->c->input, rec.line, msg);
                out = -1;
                break;
            }
        } else if (rec.nfields == 1 && rec.lens[0] == 0) {
            continue;
        } else if (resp_from_record(&h, &rec, "csv", 0, cfg->moment_lo, cfg->moment_hi, &r, &field, &msg) ==
                   0) {
            if (feed(&r, v) != 0) {
                out = -1;
                break;
            }
            continue;
        }
        if (++*bad <= 20 && !v->c->quiet)
            cx_msg("verbatims: %s:%ld: %s%s%s", v->c->input, rec.line, *field ? field : "",
                   *field ? ": " : "", msg);
    }
    resp_header_free(&h);
    csv_reader_free(rd);
    return out;
}

static int scan(vrun *v, store *s, long long *bad)
{
    if (v->c->input) return scan_csv(v, bad);
    store_filter f = {NULL, 0, 0};
    if (v->c->so.month) {
        f.month_from = v->c->so.month - 1; /* the month before, for prev_mentions */
        f.month_to = v->c->so.month;
    }
    int rc = store_scan_responses(s, &f, feed, v);
    if (rc < 0 || (rc != 0 && !v->failed)) {
        cx_msg("verbatims: %s", store_error(s));
        return -1;
    }
    return v->failed ? -1 : 0;
}

/* 0 when --month (or the whole store or file) holds responses; else says
 * which months there are and returns 1. */
static int check_period(vrun *v, store *s)
{
    int first = v->first, last = v->last;
    long long any = v->seen;
    if (s && v->c->so.month && v->in_month == 0) { /* the scan read one month and the one before */
        store_status st;
        if (store_get_status(s, &st) != 0) {
            cx_msg("verbatims: %s", store_error(s));
            return 1;
        }
        any = st.responses;
        first = any ? time_month_key(st.first_at) : 0;
        last = any ? time_month_key(st.last_at) : 0;
        store_status_free(&st);
    }
    return cli_check_range(v->c, "verbatims", "", any > 0, first, last, v->in_month > 0,
                           v->c->input ? v->c->input : "the store");
}

/* themes.csv into DIR, finished into G (renamed with the flags). */
static int write_themes(const char *dir, const verb_result *res, afile_group *g)
{
    char err[1024];
    afile af;
    char *path = path_join(dir, "themes.csv");
    if (!path || afile_open(&af, path, err, sizeof err) != 0) {
        cx_msg("verbatims: %s", path ? err : "out of memory");
        free(path);
        return -1;
    }
    free(path);
    csv_writer *w = csv_writer_new(af.f, 1);
    if (!w) {
        afile_abort(&af);
        cx_msg("verbatims: out of memory");
        return -1;
    }
    verb_themes_csv(w, res);
    int failed = csv_writer_failed(w);
    csv_writer_free(w);
    if (failed) {
        afile_abort(&af);
        cx_msg("verbatims: themes.csv: write error");
        return -1;
    }
    if (afile_group_add(g, &af, err, sizeof err) != 0) {
        cx_msg("verbatims: %s", err);
        return -1;
    }
    return 0;
}

int cmd_verbatims(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    int rc = cli_stats_options(c);
    if (rc) return rc;
    char err[1024];
    verb_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.so = &c->so;
    vrun v;
    memset(&v, 0, sizeof v);
    v.c = c;
    v.acc = verb_new(&vo, err, sizeof err);
    if (!v.acc) {
        cx_msg("%s", err);
        return 1;
    }
    store *s = NULL;
    if (!c->input && !(s = cli_open_store(c, CLI_STORE_READ))) {
        verb_free(v.acc);
        return 1;
    }
    afile flags_file;
    int have_flags = 0;
    if (s && load_customers(&v, s) != 0) {
        rc = 1;
        goto done;
    }
    if (c->out) {
        char *path = path_join(c->out, "verbatim_flags.csv");
        if (!path || mkdir_p(c->out, err, sizeof err) != 0 ||
            afile_open(&flags_file, path, err, sizeof err) != 0) {
            cx_msg("verbatims: %s", path ? err : "out of memory");
            free(path);
            rc = 1;
            goto done;
        }
        free(path);
        have_flags = 1;
        if (!(v.flags = csv_writer_new(flags_file.f, 1))) {
            cx_msg("verbatims: out of memory");
            rc = 1;
            goto done;
        }
        verb_flags_csv_header(v.flags);
    }
    long long bad = 0;
    if (scan(&v, s, &bad) != 0 || check_period(&v, s) != 0) {
        rc = 1;
        goto done;
    }
    if (cli_check_dims_seen(c, "verbatims", v.dim_seen, s)) {
        rc = 2; /* a typo: nothing written (the flags file is left unmade) */
        goto done;
    }
    const verb_result *res = verb_finish(v.acc);
    if (!res) {
        cx_msg("verbatims: out of memory");
        rc = 1;
        goto done;
    }
    if (v.flags) {
        int failed = csv_writer_failed(v.flags);
        csv_writer_free(v.flags);
        v.flags = NULL;
        have_flags = 0;
        if (failed) {
            afile_abort(&flags_file);
            cx_msg("verbatims: verbatim_flags.csv: write error");
            rc = 1;
            goto done;
        }
        /* verbatim_flags.csv and themes.csv land together, or neither
         * (docs/formats.md, "All or none") */
        afile_group g;
        afile_group_init(&g);
        if (afile_group_add(&g, &flags_file, err, sizeof err) != 0) {
            cx_msg("verbatims: %s", err);
            rc = 1;
        } else if (write_themes(c->out, res, &g) != 0) {
            rc = 1;
        } else if (afile_group_commit(&g, err, sizeof err) != 0) {
            cx_msg("verbatims: %s", err);
            rc = 1;
        }
        afile_group_abort(&g);
        if (rc != 0) goto done;
    }
    if (c->theme) {
        v.second = 1;
        if (scan(&v, s, &bad) != 0) {
            rc = 1;
            goto done;
        }
        if (!c->quiet)
            cx_msg("verbatims: %lld %s '%s'", v.printed,
                   fmt_noun((double)v.printed, "comment mentions", "comments mention"), c->theme);
    } else if (verb_themes_print(stdout, res) != 0) {
        rc = 1;
    }
    if (rc == 0 && bad) rc = 3;
done:
    if (v.flags) csv_writer_free(v.flags);
    if (have_flags) afile_abort(&flags_file);
    verb_free(v.acc);
    cust_table_free(v.cust);
    if (s) store_close(s);
    return rc;
}
