/* commands.c — import, stats, report, export, agents, run. */
#include "cli/cli.h"
#include "cli/help.h"
#include "core/afile.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/respcsv.h"
#include "core/store/store.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "ingest/import.h"
#include "ingest/ingest.h"
#include "report/report.h"
#include "stats/run.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Fills c->so from the options and the config.  0 ok, 2 usage error. */
static int stats_options(cli *c)
{
    stats_opts *o = &c->so;
    memset(o, 0, sizeof *o);
    o->cfg = c->cfg;
    o->confidence = isnan(c->confidence) ? c->cfg->confidence : c->confidence;
    o->spend_window_days = c->spend_window ? c->spend_window : c->cfg->spend_window_days;
    o->prior_strength = c->prior_strength;
    o->min_responses = c->min_responses;
    if (c->month && month_parse(c->month, &o->month) != 0) {
        cx_msg("--month: '%s' is not YYYY-MM", c->month);
        return 2;
    }
    if (c->by) {
        if (strlen(c->by) >= sizeof c->by_buf) {   /* never cut a dimension name short */
            cx_msg("--by: longer than %zu bytes", sizeof c->by_buf - 1);
            return 2;
        }
        snprintf(c->by_buf, sizeof c->by_buf, "%s", c->by);
        char *p = c->by_buf;
        while (p && *p) {
            char *comma = strchr(p, ',');
            if (comma) *comma = '\0';
            if (*p) {
                if (o->n_by == STATS_MAX_BY) { cx_msg("--by: at most %d dimensions", STATS_MAX_BY); return 2; }
                if (!strcmp(p, "all")) { cx_msg("--by: 'all' is reserved"); return 2; }
                for (size_t i = 0; i < o->n_by; i++)
                    if (!strcmp(o->by[i], p)) { cx_msg("--by: '%s' given twice", p); return 2; }
                o->by[o->n_by++] = p;
            }
            p = comma ? comma + 1 : NULL;
        }
    }
    return 0;
}

int cli_need_operands(const cli *c, int n)
{
    if (c->npos - 1 != n) {
        const help_cmd *h = help_find(c->pos[0]);
        fprintf(stderr, "cxpulse %s: %s\nusage: cxpulse %s\nTry 'cxpulse %s --help'.\n", c->pos[0],
                c->npos - 1 > n ? "too many arguments" : "missing arguments", h ? h->synopsis : c->pos[0],
                c->pos[0]);
        return 2;
    }
    return 0;
}

int cmd_import(cli *c)
{
    if (cli_need_operands(c, 2)) return 2;
    import_opts o = {IMPORT_RESPONSES, c->pos[2], c->source, c->quiet, IMPORT_FORMAT_CXPULSE};
    if (c->format && !strcmp(c->format, "delighted")) o.format = IMPORT_FORMAT_DELIGHTED;
    else if (c->format && strcmp(c->format, "cxpulse")) {
        cx_msg("import: unknown --format '%s' (cxpulse or delighted)", c->format);
        return 2;
    }
    if (!strcmp(c->pos[1], "customers")) o.kind = IMPORT_CUSTOMERS;
    else if (!strcmp(c->pos[1], "spend")) o.kind = IMPORT_SPEND;
    else if (strcmp(c->pos[1], "responses")) {
        cx_msg("import: unknown kind '%s' (responses, customers or spend)", c->pos[1]);
        return 2;
    }
    if (c->format && o.kind != IMPORT_RESPONSES) {
        cx_msg("import: --format applies to responses only");
        return 2;
    }
    store *s = cli_open_store(c, CLI_STORE_CREATE);
    if (!s) return 1;
    int rc = import_file(s, c->cfg, &o);
    store_close(s);
    return rc;
}

/* An ingest holds vendor tokens in memory (and in its environment): a
 * crash must not write them into a core file. */
static void no_core_dumps(void)
{
    struct rlimit rl = {0, 0};
    if (setrlimit(RLIMIT_CORE, &rl) != 0)
        cx_msg("ingest: cannot turn core dumps off: %s", strerror(errno));
}

int cmd_ingest(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    no_core_dumps();
    ingest_opts o;
    memset(&o, 0, sizeof o);
    o.source = c->source;
    o.full = c->full;
    o.max_attempts = c->max_attempts;
    o.deadline_s = c->deadline;
    o.quiet = c->quiet;
    o.progress = !c->quiet && isatty(STDERR_FILENO);
    const char *why;
    if (c->since && time_parse(c->since, &o.since, &why) != 0) {
        cx_msg("--since: '%s': %s", c->since, why);
        return 2;
    }
    store *s = cli_open_store(c, CLI_STORE_CREATE);
    if (!s) return 1;
    int rc = ingest_run(c->cfg, s, &o);
    store_close(s);
    return rc;
}

/* Runs the statistics from the store into RES; the store stays open. */
static int run_stats(cli *c, store *s, stats_result *res)
{
    int rc = stats_run_store(s, &c->so, res, c->quiet);
    return rc == 0 ? 0 : 1;
}

/* --tables LIST: nps (always computed), cx, agents; default all. */
static int parse_tables(const char *list, unsigned *analyses)
{
    *analyses = list ? 0 : STATS_RUN_ALL;
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == 3 && !strncmp(p, "nps", 3)) {}
        else if (n == 2 && !strncmp(p, "cx", 2)) *analyses |= STATS_RUN_CX;
        else if (n == 6 && !strncmp(p, "agents", 6)) *analyses |= STATS_RUN_AGENTS;
        else if (n) { cx_msg("--tables: '%.*s' is not nps, cx or agents", (int)n, p); return -1; }
        p += n + (p[n] == ',');
    }
    return 0;
}

static int stats_input(cli *c, const char *out)
{
    char err[1024];
    unsigned analyses;
    if (parse_tables(c->tables, &analyses) != 0) return 2;
    if (mkdir_p(out, err, sizeof err) != 0) { cx_msg("stats: %s", err); return 1; }
    char *path = path_join(out, "rejects.csv");
    afile a;
    if (!path || afile_open(&a, path, err, sizeof err) != 0) {
        cx_msg("stats: %s", path ? err : "out of memory");
        free(path);
        return 1;
    }
    free(path);
    csv_writer *w = csv_writer_new(a.f, 1);
    static const char *const hdr[] = {"source", "where", "reason", "raw"};
    for (int i = 0; w && i < 4; i++) csv_put_text(w, hdr[i]);
    if (w) csv_end_record(w);
    stats_result res;
    memset(&res, 0, sizeof res);
    int rc = w ? stats_run_csv_only(c->input, &c->so, analyses, &res, w, c->quiet) : -1;
    csv_writer_free(w);
    if (rc == 0 && cli_check_period(c, "stats", &res, c->input)) rc = -1;
    if (rc == 0 && (report_csv_all(&res, NULL, out, err, sizeof err) != 0 ||
                    afile_commit(&a, err, sizeof err) != 0)) {
        cx_msg("stats: %s", err);
        rc = -1;
    }
    if (rc != 0 && a.f) afile_abort(&a);
    long long rejected = res.rejected;
    stats_result_free(&res);
    if (rc != 0) return 1;
    return rejected ? 3 : 0;
}

int cmd_stats(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    int rc = stats_options(c);
    if (rc) return rc;
    const char *out = c->out ? c->out : "out";
    if (c->input) return stats_input(c, out);
    unsigned analyses;
    if (parse_tables(c->tables, &analyses) != 0) return 2;
    store *s = cli_open_store(c, CLI_STORE_READ);
    if (!s) return 1;
    stats_result res;
    char err[1024];
    if (analyses == 0) {            /* --tables nps: the store counts, we estimate */
        memset(&res, 0, sizeof res);
        rc = stats_run_store_nps(s, &c->so, &res) == 0 ? 0 : 1;
    } else {
        rc = run_stats(c, s, &res);
    }
    if (rc == 0 && cli_check_period(c, "stats", &res, "the store")) rc = 1;
    if (rc == 0 && report_csv_all(&res, s, out, err, sizeof err) != 0) {
        cx_msg("stats: %s", err);
        rc = 1;
    }
    if (rc == 0 && !c->quiet) cx_msg("stats: %lld responses; CSV files in %s/", res.responses, out);
    stats_result_free(&res);
    store_close(s);
    return rc;
}

int cmd_report(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    int rc = stats_options(c);
    if (rc) return rc;
    const char *out = c->out ? c->out : "out";
    store *s = cli_open_store(c, CLI_STORE_READ);
    if (!s) return 1;
    stats_result res;
    store_status st;
    char err[1024];
    rc = run_stats(c, s, &res);
    if (rc == 0 && cli_check_period(c, "report", &res, "the store")) rc = 1;
    if (rc == 0 && store_get_status(s, &st) != 0) { cx_msg("%s", store_error(s)); rc = 1; }
    if (rc == 0) {
        if (report_csv_all(&res, s, out, err, sizeof err) != 0 ||
            report_html(&res, &st, s, out, c->quiet, err, sizeof err) != 0) {
            cx_msg("report: %s", err);
            rc = 1;
        }
        store_status_free(&st);
    }
    if (rc == 0) printf("%s/index.html\n", out);
    stats_result_free(&res);
    store_close(s);
    return rc;
}

int cmd_agents(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    int rc = stats_options(c);
    if (rc) return rc;
    store *s = cli_open_store(c, CLI_STORE_READ);
    if (!s) return 1;
    stats_result res;
    rc = run_stats(c, s, &res);
    if (rc == 0 && cli_check_period(c, "agents", &res, "the store")) rc = 1;
    if (rc == 0 && agents_print_table(stdout, res.agents) != 0) rc = 1;
    stats_result_free(&res);
    store_close(s);
    return rc;
}

int cmd_run(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    int ing = c->cfg->n_sources ? cmd_ingest(c) : 0;
    if (ing == 1 || ing == 2) return ing;
    int rc = cmd_report(c);
    return rc ? rc : ing;
}

/* For the commands in other files (cmd_verbatims.c). */
int cli_stats_options(cli *c)
{
    return stats_options(c);
}
