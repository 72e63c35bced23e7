/* cli_store.c — opening the store for a command, and refusing an empty
 * period.  Read-only commands (status, stats, report, agents, export,
 * sources) never create a store: a missing SQLite file, or an empty one, is
 * an error naming the path and what to run first. */
#include "cli/cli.h"
#include "core/log.h"
#include "core/model.h"
#include "core/nearest.h"
#include "core/store/store.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "stats/result.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *cli_store_target(const cli *c) { return c->db ? c->db : c->cfg->store; }

/* Whether PATH-wal exists with something in it. */
static int wal_has_pages(const char *path)
{
    char wal[4096];
    struct stat st;
    int n = snprintf(wal, sizeof wal, "%s-wal", path);
    return n < 0 || (size_t)n >= sizeof wal || (stat(wal, &st) == 0 && st.st_size > 0);
}

store *cli_open_store(cli *c, cli_store_mode mode)
{
    char err[1024];
    const char *target = cli_store_target(c);
    struct stat st;
    if (mode != CLI_STORE_CREATE && !store_target_is_pg(target) && stat(target, &st) != 0 &&
        errno == ENOENT) {
        if (mode == CLI_STORE_READ)
            cx_msg("store: %s does not exist; create it first with 'cxpulse import responses FILE.csv' "
                   "or 'cxpulse ingest'%s",
                   target, c->config_given || c->db ? "" : " (or name the store with --db or --config)");
        return NULL;
    }
    /* An empty file is no store (SQLite would take it for a new one and
     * write its schema into it): a command that only reads does not make
     * one of a file the user named by mistake.  A store whose rows are all
     * still in its write-ahead log (PATH-wal) is one. */
    if (mode != CLI_STORE_CREATE && !store_target_is_pg(target) && stat(target, &st) == 0 &&
        S_ISREG(st.st_mode) && st.st_size == 0 && !wal_has_pages(target)) {
        if (mode == CLI_STORE_READ)
            cx_msg("store: %s is an empty file, not a cxpulse store; create one with 'cxpulse import "
                   "responses FILE.csv' or 'cxpulse ingest', or name the store with --db",
                   target);
        return NULL;
    }
    store_open_opts so = {c->cfg->password_env};
    store *s = store_open_with(target, &so, err, sizeof err);
    if (!s) cx_msg("%s", err);
    return s;
}

/* The months in which RES saw responses of METRIC (the NPS trend, or the
 * overall monthly rows of the CSAT or CES table, both ascending): how many,
 * the first and the last in *LO and *HI, and in *HAS whether WANT is one. */
static size_t metric_months(const stats_result *res, stats_metric metric, int want, int *lo, int *hi,
                            int *has)
{
    size_t n = 0;
    const metrics_result *m = res->metrics;
    size_t rows = metric == STATS_METRIC_NPS    ? (res->nps ? res->nps->n_trend : 0)
                  : !m                          ? 0
                  : metric == STATS_METRIC_CSAT ? m->n_csat
                                                : m->n_ces;
    *has = 0;
    for (size_t i = 0; i < rows; i++) {
        int month = metric == STATS_METRIC_NPS    ? res->nps->trend[i].month
                    : metric == STATS_METRIC_CSAT ? m->csat[i].month
                                                  : m->ces[i].month;
        size_t dim = metric == STATS_METRIC_NPS    ? 0
                     : metric == STATS_METRIC_CSAT ? m->csat[i].dim
                                                   : m->ces[i].dim;
        if (dim != 0 || month == 0) continue;
        if (n++ == 0) *lo = month;
        *hi = month;
        if (month == want) *has = 1;
    }
    return n;
}

int cli_check_period(const cli *c, const char *cmd, const stats_result *res, const char *holder)
{
    /* "no responses" for NPS chosen by default (the words users know);
     * "no CSAT responses" when a metric was asked for or is all there is */
    static const char *const word[] = {"", "NPS ", "CSAT ", "CES "};
    const char *what =
        res->metric == STATS_METRIC_NPS && res->metric_asked == STATS_METRIC_ALL ? "" : word[res->metric];
    int month = c->so.month, first = 0, last = 0, has = 0;
    size_t n = metric_months(res, res->metric, month, &first, &last, &has);
    return cli_check_range(c, cmd, what, n > 0, first, last, has, holder);
}

int cli_check_range(const cli *c, const char *cmd, const char *what, int any, int first, int last, int has,
                    const char *holder)
{
    int month = c->so.month;
    char want[16], lo[16], hi[16];
    if (!any) {
        if (month) {
            month_format(month, want);
            cx_msg("%s: no %sresponses in %s; %s holds none", cmd, what, want, holder);
        } else {
            cx_msg("%s: no %sresponses: %s holds none%s", cmd, what, holder,
                   c->input
                       ? ""
                       : "; import some first with 'cxpulse import responses FILE.csv' or 'cxpulse ingest'");
        }
        return 1;
    }
    if (!month || has) return 0;
    month_format(month, want);
    month_format(first, lo);
    month_format(last, hi);
    if (first == last) cx_msg("%s: no %sresponses in %s; %s holds %s only", cmd, what, want, holder, lo);
    else cx_msg("%s: no %sresponses in %s; %s holds %s to %s", cmd, what, want, holder, lo, hi);
    return 1;
}

/* Whether a row of RES's segment tables in MONTH (0: in any period)
 * belongs to dimension DIM (1 = the first --by).  With --month (and in
 * report and agents, whose month is always set) the rows of other months
 * do not count: the report's segment tables show that month alone. */
static int dim_has_rows(const stats_result *res, size_t dim, int month)
{
    const nps_result *n = res->nps;
    const metrics_result *m = res->metrics;
    for (size_t i = 0; n && i < n->n_rows; i++)
        if (n->rows[i].dim == dim && (!month || n->rows[i].month == month)) return 1;
    for (size_t i = 0; m && i < m->n_csat; i++)
        if (m->csat[i].dim == dim && (!month || m->csat[i].month == month)) return 1;
    for (size_t i = 0; m && i < m->n_ces; i++)
        if (m->ces[i].dim == dim && (!month || m->ces[i].month == month)) return 1;
    return 0;
}

/* The attribute names of the data, each once, in the order found: the
 * responses' (store_attr_names), then the customers' (a --by dimension
 * takes a customer's attribute when the response has none, run/run.c). */
static int keep_name(const char *name, void *ctx)
{
    int added;
    return strmap_put(ctx, name, strmap_count(ctx), &added) == (size_t)-1;
}

static int keep_customer_names(const char *customer_id, double annual_value, const cx_attr *attrs,
                               size_t n_attrs, void *ctx)
{
    (void)customer_id;
    (void)annual_value;
    for (size_t i = 0; i < n_attrs; i++)
        if (keep_name(attrs[i].key, ctx)) return 1;
    return 0;
}

/* The names into NAMES: 0, or -1 (the store's error, or out of memory).
 * The customers are read whole (their attribute names are kept nowhere
 * else); only a --by dimension without rows in the period comes here. */
static int data_attr_names(store *s, strmap *names)
{
    if (store_attr_names(s, keep_name, names) != 0) return -1;
    return store_scan_customers(s, keep_customer_names, names) != 0 ? -1 : 0;
}

/* --by NAME, which no response in the period (MONTH, 0: every month) had
 * a value for: a field or attribute of the data (the responses' or the
 * customers') is said (unless QUIET) and passes (0), anything else is
 * taken for a typo, with the closest name (2); 1 when the store could not
 * be read. */
static int dim_unseen(const char *cmd, const char *name, store *s, int month, int quiet)
{
    static const cx_field fields[] = {CX_F_SOURCE,  CX_F_CUSTOMER_ID, CX_F_AGENT_ID,
                                      CX_F_CHANNEL, CX_F_PRODUCT,     CX_F_INTERACTION_TYPE};
    const size_t n_fields = sizeof fields / sizeof *fields;
    strmap *attrs = strmap_new();
    if (!attrs || (s && data_attr_names(s, attrs) != 0)) {
        cx_msg("%s: --by %s: %s", cmd, name, s && store_error(s)[0] ? store_error(s) : "out of memory");
        strmap_free(attrs);
        return 1;
    }
    size_t n_attrs = strmap_count(attrs);
    int known = cx_dim_field(name) >= 0 || strmap_get(attrs, name) != (size_t)-1;
    const char **cand = known ? NULL : malloc((n_fields + n_attrs) * sizeof *cand);
    if (known) {
        /* a field or attribute of the data that nothing in the period has */
        char m[16];
        if (month) month_format(month, m);
        if (!quiet && month) {
            cx_msg("%s: --by %s: no response in %s has a value for it; its segment rows for %s are empty",
                   cmd, name, m, m);
        } else if (!quiet) {
            cx_msg("%s: --by %s: no response has a value for it; its segment rows are empty", cmd, name);
        }
    } else if (!cand) {
        cx_msg("%s: out of memory", cmd);
    } else {
        size_t k = 0;
        for (size_t i = 0; i < n_fields; i++) cand[k++] = cx_field_name(fields[i]);
        for (size_t i = 0; i < n_attrs; i++) cand[k++] = strmap_key(attrs, i);
        const char *best = nearest_name(name, cand, k);
        char list[1024];
        size_t len = 0;
        for (size_t i = 0; i < k && len < sizeof list; i++) {
            int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", cand[i]);
            if (w < 0) break;
            len += (size_t)w;
        }
        if (best) cx_msg("%s: --by %s: no response or customer has it; did you mean %s?", cmd, name, best);
        else
            cx_msg("%s: --by %s: no response or customer has it (dimensions: %s%s)", cmd, name, list,
                   s ? "" : ", or a column of the file");
    }
    free(cand);
    strmap_free(attrs);
    return known ? 0 : 2;
}

int cli_check_dims(const cli *c, const char *cmd, const stats_result *res, store *s)
{
    if (!res->nps && !res->metrics) return 0; /* no segment tables asked for */
    int rc;
    for (size_t d = 0; d < c->so.n_by; d++)
        if (!dim_has_rows(res, d + 1, c->so.month) &&
            (rc = dim_unseen(cmd, c->so.by[d], s, c->so.month, c->quiet)))
            return rc;
    return 0;
}

int cli_check_dims_seen(const cli *c, const char *cmd, const unsigned char *seen, store *s)
{
    int rc;
    for (size_t d = 0; d < c->so.n_by; d++)
        if (!seen[d] && (rc = dim_unseen(cmd, c->so.by[d], s, c->so.month, c->quiet))) return rc;
    return 0;
}
