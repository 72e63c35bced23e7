/* commands.c — stats, report, agents, run (ingest: cmd_ingest.c). */
#include "cli/cli.h"
#include "cli/help.h"
#include "core/afile.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/rejects.h"
#include "core/respcsv.h"
#include "core/store/store.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "stats/period.h"
#include "ingest/import.h"
#include "report/fmt.h"
#include "report/outputs.h"
#include "report/report.h"
#include "run/run.h"
#include "stats/analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The warnings a run brings back, unless --quiet. */
static void print_warnings(const cli *c, const stats_result *res)
{
    for (size_t i = 0; !c->quiet && i < res->n_warnings; i++) cx_msg("%s", res->warnings[i]);
}

static void warn_msg(void *ctx, const char *msg)
{
    const cli *c = ctx;
    if (!c->quiet) cx_msg("%s", msg);
}

/* A report covers one month: --month, else the latest complete month of
 * the store (the latest month with data when the store holds only the
 * running month); agents, peak-end and spend take the trailing --window
 * (default 3 months).  0 ok, 1 after a message. */
static int report_period(cli *c, store *s)
{
    if (!c->window) c->so.window = 3;
    if (c->so.month) return 0;
    store_status st;
    if (store_get_status(s, &st) != 0) {
        cx_msg("%s", store_error(s));
        return 1;
    }
    int m = period_default_month(st.last_at, (int64_t)time(NULL));
    if (st.first_at && m < time_month_key(st.first_at)) m = time_month_key(st.last_at);
    c->so.month = m;
    store_status_free(&st);
    return 0;
}

/* Runs ANALYSES from the store; NULL after a message.  The store stays
 * open. */
static stats_result *run_stats(cli *c, store *s, unsigned analyses)
{
    char err[1024];
    char note[1200];
    stats_result *res = run_store_cached(s, cli_store_target(c), &c->so, analyses, cli_progress_for(c),
                                         c->verbose, note, sizeof note, err, sizeof err);
    if (note[0]) cx_msg("%s", note); /* a damaged cache, rebuilt: said even with --quiet */
    if (!res) cx_msg("%s", err);
    else print_warnings(c, res);
    return res;
}

/* OUTDIR/rejects.csv from the store, one of the outputs O puts in place
 * together.  0 ok, -1 with ERR. */
static int store_rejects_csv(store *s, const char *outdir, report_out *o, char *err, size_t errlen)
{
    rejects_sink k;
    if (rejects_open(&k, outdir, err, errlen) != 0) return -1;
    afile *f = NULL;
    int rc = run_store_rejects(s, NULL, &k, err, errlen) == 0 && (f = rejects_finish(&k, err, errlen)) &&
                     report_out_add(o, f, err, errlen) == 0
                 ? 0
                 : -1;
    rejects_abort(&k);
    return rc;
}

/* What the "stats: N responses" line counts: every response streamed, or
 * with --metric csat|ces that metric's responses. */
/* Answers of CSAT (IS_CSAT) or CES in M over every month: their overall
 * row's n. */
static long long metric_answers(const metrics_result *m, int is_csat)
{
    size_t rows = !m ? 0 : is_csat ? m->n_csat : m->n_ces;
    for (size_t i = 0; i < rows; i++) {
        int month = is_csat ? m->csat[i].month : m->ces[i].month;
        size_t dim = is_csat ? m->csat[i].dim : m->ces[i].dim;
        if (month == 0 && dim == 0) return is_csat ? m->csat[i].n : m->ces[i].n;
    }
    return 0;
}

static long long responses_said(const stats_result *res, const char **what)
{
    int csat = res->metric_asked == STATS_METRIC_CSAT, ces = res->metric_asked == STATS_METRIC_CES;
    *what = csat ? "CSAT " : ces ? "CES " : "";
    if (!csat && !ces) {
        *what = res->responses == 0 && (metric_answers(res->metrics, 1) || metric_answers(res->metrics, 0))
                    ? "NPS "
                    : ""; /* "0 responses" of a CSAT file read as nothing at all */
        return res->responses;
    }
    return metric_answers(res->metrics, csat);
}

/* ", and 2 CSAT and 1 CES answers (csat.csv, ces.csv)" when the NPS run
 * also tabled other metrics' answers. */
static void other_metrics(const stats_result *res, char *buf, size_t len)
{
    long long cs = metric_answers(res->metrics, 1), ce = metric_answers(res->metrics, 0);
    buf[0] = '\0';
    if (res->metric_asked == STATS_METRIC_CSAT || res->metric_asked == STATS_METRIC_CES || (!cs && !ce))
        return;
    if (cs && ce) snprintf(buf, len, ", %lld CSAT and %lld CES answers (csat.csv, ces.csv)", cs, ce);
    else
        snprintf(buf, len, ", %lld %s %s (%s)", cs ? cs : ce, cs ? "CSAT" : "CES",
                 fmt_noun((double)(cs ? cs : ce), "answer", "answers"), cs ? "csat.csv" : "ces.csv");
}

/* --tables LIST: nps (always computed), cx, agents; default all. */
/* --tables LIST: the names of the table of analyses; default all. */
static int parse_tables(const char *list, unsigned *analyses)
{
    char err[256];
    if (analyses_parse_tables(list, analyses, err, sizeof err) == 0) return 0;
    cx_msg("%s", err);
    return -1;
}

static int stats_input(cli *c, const char *out)
{
    char err[1024];
    unsigned analyses;
    rejects_sink k;
    if (parse_tables(c->tables, &analyses) != 0) return 2;
    if (mkdir_p(out, err, sizeof err) != 0 || rejects_open(&k, out, err, sizeof err) != 0) {
        cx_msg("stats: %s", err);
        return 1;
    }
    const cx_progress *shown = cli_progress_for(c);
    stats_result *res = run_csv(c->input, &c->so, analyses, &k, shown, err, sizeof err);
    if (!res) cx_msg("%s", err);
    else print_warnings(c, res);
    int rc = res ? 0 : -1;
    if (rc == 0 && cli_check_period(c, "stats", res, c->input)) rc = -1;
    if (rc == 0 && cli_check_dims(c, "stats", res, NULL)) rc = -2;
    /* the tables and rejects.csv land together, or none of them */
    report_out *o = NULL;
    afile *f = NULL;
    if (rc == 0 &&
        (!(o = report_out_new(out, err, sizeof err)) || report_out_csv(o, res, err, sizeof err) != 0 ||
         !(f = rejects_finish(&k, err, sizeof err)) || report_out_add(o, f, err, sizeof err) != 0 ||
         report_out_commit(o, err, sizeof err) != 0)) {
        cx_msg("stats: %s", err);
        rc = -1;
    }
    report_out_free(o);
    rejects_abort(&k);
    long long rejected = res ? res->quality.rejected : 0;
    /* the same line as stats from the store, plus what was rejected */
    if (rc == 0 && !c->quiet) {
        const char *what;
        long long n = responses_said(res, &what);
        const char *noun = fmt_noun((double)n, "response", "responses");
        char more[160];
        other_metrics(res, more, sizeof more);
        if (rejected)
            cx_msg("stats: %lld %s%s%s, %lld %s rejected (rejects.csv); CSV files in %s/", n, what, noun,
                   more, rejected, fmt_noun((double)rejected, "row", "rows"), out);
        else cx_msg("stats: %lld %s%s%s; CSV files in %s/", n, what, noun, more, out);
    }
    stats_result_free(res);
    if (rc != 0) return rc == -2 ? 2 : 1;
    return rejected ? 3 : 0;
}

int cmd_stats(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    int rc = cli_stats_options(c);
    if (rc) return rc;
    if (c->window && !c->so.month) {
        /* the window is the months ending with a month: stats without
         * --month covers every month, and would silently ignore it */
        cx_msg("stats: --window needs --month (the window is the months ending with that month; "
               "without --month stats covers every month)");
        return 2;
    }
    const char *out = c->out ? c->out : "out";
    if (c->input) return stats_input(c, out);
    unsigned analyses;
    if (parse_tables(c->tables, &analyses) != 0) return 2;
    store *s = cli_open_store(c, CLI_STORE_READ);
    if (!s) return 1;
    stats_result *res;
    char err[1024];
    /* --tables nps: the store counts NPS answers, we estimate (the CSAT
     * and CES tables need the responses themselves) */
    int pushdown = analyses == 0 && c->so.metric != STATS_METRIC_CSAT && c->so.metric != STATS_METRIC_CES;
    if (pushdown) {
        char note[1200];
        res = run_store_nps_cached(s, cli_store_target(c), &c->so, note, sizeof note, err, sizeof err);
        if (note[0]) cx_msg("%s", note);
        if (!res) cx_msg("%s", err);
    } else {
        res = run_stats(c, s, STATS_RUN_ALL); /* every table, as before --tables existed */
    }
    rc = res ? 0 : 1;
    if (rc == 0 && cli_check_period(c, "stats", res, "the store")) rc = 1;
    if (rc == 0) rc = cli_check_dims(c, "stats", res, s);
    report_out *o = NULL;
    if (rc == 0 &&
        (!(o = report_out_new(out, err, sizeof err)) || report_out_csv(o, res, err, sizeof err) != 0 ||
         store_rejects_csv(s, out, o, err, sizeof err) != 0 || report_out_commit(o, err, sizeof err) != 0)) {
        cx_msg("stats: %s", err);
        rc = 1;
    }
    report_out_free(o);
    if (rc == 0 && !c->quiet) {
        const char *what;
        long long n = responses_said(res, &what);
        char more[160];
        other_metrics(res, more, sizeof more);
        cx_msg("stats: %lld %s%s%s; CSV files in %s/", n, what, fmt_noun((double)n, "response", "responses"),
               more, out);
    }
    stats_result_free(res);
    store_close(s);
    return rc;
}

/* The start report and agents share: operands, options, the store, the
 * period (report_period) and every analysis, whose result is checked for
 * its period and --by dimensions (messages said).  0 with *SP and *RESP
 * to close and free, or the exit code with nothing left open. */
static int period_run(cli *c, const char *cmd, store **sp, stats_result **resp)
{
    if (cli_need_operands(c, 0)) return 2;
    int rc = cli_stats_options(c);
    if (rc) return rc;
    store *s = cli_open_store(c, CLI_STORE_READ);
    if (!s) return 1;
    stats_result *res = report_period(c, s) == 0 ? run_stats(c, s, STATS_RUN_ALL) : NULL;
    rc = res ? 0 : 1;
    if (rc == 0 && cli_check_period(c, cmd, res, "the store")) rc = 1;
    if (rc == 0) rc = cli_check_dims(c, cmd, res, s);
    if (rc != 0) {
        stats_result_free(res);
        store_close(s);
        return rc;
    }
    *sp = s;
    *resp = res;
    return 0;
}

int cmd_report(cli *c)
{
    store *s;
    stats_result *res;
    int rc = period_run(c, "report", &s, &res);
    if (rc) return rc;
    const char *out = c->out ? c->out : "out";
    char err[1024];
    if (run_store_quality(res, s, err, sizeof err) != 0) {
        cx_msg("%s", err);
        rc = 1;
    }
    int failed_charts = 0;
    const cx_progress *show = cli_progress_for(c);
    if (rc == 0) cx_progress_say(show, "writing the tables, the charts and the page", 0, 0, NULL);
    /* the tables, rejects.csv, the charts and the page land together */
    report_out *o = NULL;
    if (rc == 0 &&
        (!(o = report_out_new(out, err, sizeof err)) || report_out_csv(o, res, err, sizeof err) != 0 ||
         store_rejects_csv(s, out, o, err, sizeof err) != 0 ||
         (failed_charts = report_out_html(o, res, warn_msg, c, err, sizeof err)) < 0 ||
         report_out_commit(o, err, sizeof err) != 0)) {
        cx_msg("report: %s", err);
        rc = 1;
    }
    report_out_free(o);
    cx_progress_end(show);
    if (rc == 0 && failed_charts > 0) { /* the page is whole, the charts are not: not a success */
        cx_msg("report: %d chart%s could not be drawn; the page is written without %s", failed_charts,
               failed_charts == 1 ? "" : "s", failed_charts == 1 ? "it" : "them");
        rc = 1;
    }
    if (rc == 0 && !c->quiet) printf("%s/index.html\n", out); /* --quiet: errors only (docs/cli.md) */
    stats_result_free(res);
    store_close(s);
    return rc;
}

int cmd_agents(cli *c)
{
    store *s;
    stats_result *res;
    int rc = period_run(c, "agents", &s, &res);
    if (rc) return rc;
    char err[256]; /* a failed write to stdout is reported when it is closed */
    const char *view = res->metric == STATS_METRIC_NPS    ? "agents"
                       : res->metric == STATS_METRIC_CSAT ? "agents_csat"
                                                          : "agents_ces";
    if (report_text(res, view, stdout, err, sizeof err) != 0) rc = 1;
    stats_result_free(res);
    store_close(s);
    return rc;
}

int cmd_run(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    /* A failed source does not stop the report: it is written from what the
     * store holds, says which source is stale since when, and the exit code
     * is 3 (partial success). */
    int ing = c->cfg->n_sources ? cmd_ingest(c) : 0;
    if (ing == 2) return ing;
    if (ing == 1 && !c->quiet) cx_msg("run: no source could be synced; writing the report from the store");
    int rc = cmd_report(c);
    return rc ? rc : ing ? 3 : 0;
}
