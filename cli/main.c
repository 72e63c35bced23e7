/* main.c — `cxpulse`: argument parsing and dispatch only. */
#include "cli/cli.h"
#include "core/log.h"
#include "ingest/ingest.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <stddef.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *usage =
    "usage: cxpulse [global options] COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  import responses|customers|spend FILE.csv [--source NAME] [--format cxpulse|delighted]\n"
    "  ingest [--source NAME] [--since DATE] [--full] [--max-attempts N] [--deadline SECONDS]\n"
    "  stats  [--month YYYY-MM] [--by DIM,...] [--out DIR] [--input FILE.csv [--tables nps,cx,agents]]\n"
    "  report [--month YYYY-MM] [--by DIM,...] [--out DIR]\n"
    "  export responses|rejects [--month YYYY-MM] [--source NAME] [--spreadsheet-safe]\n"
    "  agents [--month YYYY-MM]      agent leaderboard on the terminal\n"
    "  run                           ingest + stats + report (for cron)\n"
    "  sources | status\n"
    "\n"
    "statistics options: --confidence C (0.95)  --spend-window DAYS (90)\n"
    "                    --prior-strength M (estimated)  --min-responses N (10)\n"
    "global options: --config FILE (./cxpulse.json)  --db PATH  --quiet  --verbose\n"
    "                --help  --version\n"
    "exit codes: 0 ok, 1 failure, 2 usage error, 3 partial success\n";

static int bad_usage(const char *fmt, const char *arg)
{
    fputs("cxpulse: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'cxpulse --help'.\n", stderr);
    return 2;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int parse_dbl(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !(v >= lo && v <= hi)) return -1;
    *out = v;
    return 0;
}

typedef struct opt {
    const char *name;
    char kind;        /* 'f' flag, 's' string, 'i' int, 'd' double */
    size_t off;       /* offset in cli */
    double lo, hi;
} opt;

#define O(name, kind, field, lo, hi) {name, kind, offsetof(cli, field), lo, hi}
static const opt opts[] = {
    O("config", 's', config_path, 0, 0), O("db", 's', db, 0, 0),
    O("quiet", 'f', quiet, 0, 0), O("verbose", 'f', verbose, 0, 0),
    O("source", 's', source, 0, 0), O("since", 's', since, 0, 0), O("full", 'f', full, 0, 0),
    O("month", 's', month, 0, 0), O("by", 's', by, 0, 0), O("out", 's', out, 0, 0),
    O("input", 's', input, 0, 0), O("format", 's', format, 0, 0), O("tables", 's', tables, 0, 0), O("max-attempts", 'i', max_attempts, 1, 1000),
    O("deadline", 'd', deadline, 1, 1e7), O("spreadsheet-safe", 'f', spreadsheet_safe, 0, 0),
    O("confidence", 'd', confidence, 0.5, 0.9999), O("spend-window", 'i', spend_window, 1, 3660),
    O("prior-strength", 'd', prior_strength, 0, 1e12), O("min-responses", 'i', min_responses, 0, 100000000),
};

static int set_opt(cli *c, const opt *o, const char *val)
{
    char *p = (char *)c + o->off;
    switch (o->kind) {
    case 'f': *(int *)p = 1; return 0;
    case 's': *(const char **)p = val; return 0;
    case 'i': return parse_int(val, (int)o->lo, (int)o->hi, (int *)p);
    default: return parse_dbl(val, o->lo, o->hi, (double *)p);
    }
}

static int parse_args(cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { fputs(usage, stdout); return -1; }
        if (strcmp(a, "--version") == 0) { printf("cxpulse %s\n", CX_VERSION); return -1; }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (c->npos == CLI_MAX_POS) return bad_usage("too many arguments: %s", a);
            c->pos[c->npos++] = a;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const opt *o = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof *opts; k++)
            if (strlen(opts[k].name) == len && strncmp(opts[k].name, name, len) == 0) o = &opts[k];
        if (!o) return bad_usage("unknown option %s", a);
        const char *val = NULL;
        if (o->kind != 'f') {
            if (eq) val = eq + 1;
            else if (i + 1 < argc) val = argv[++i];
            else return bad_usage("option %s needs a value", a);
        } else if (eq) {
            return bad_usage("option %s takes no value", a);
        }
        if (set_opt(c, o, val) != 0) return bad_usage("invalid value for %s", a);
        if (strcmp(o->name, "config") == 0) c->config_given = 1;
    }
    return 0;
}

typedef struct command {
    const char *name;
    int (*run)(cli *);
} command;

static const command commands[] = {
    {"import", cmd_import}, {"ingest", cmd_ingest}, {"stats", cmd_stats}, {"report", cmd_report},
    {"export", cmd_export}, {"run", cmd_run}, {"sources", cmd_sources}, {"status", cmd_status},
    {"agents", cmd_agents},
};

/* A failed write to stdout (disk full, closed pipe) is an error exit. */
static int close_stdout(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE) cx_msg("write error on standard output: %s", strerror(errno));
        return rc ? rc : 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    /* Past a file size limit (ulimit -f) a write must fail with EFBIG, be
     * reported and leave the old outputs in place (afile.c), rather than
     * the signal killing the program mid-way.  SIGPIPE keeps its default:
     * `cxpulse export | head` ends quietly; where SIGPIPE is ignored, the
     * EPIPE error ends it quietly too (close_stdout). */
    signal(SIGXFSZ, SIG_IGN);
    setlocale(LC_ALL, "C");
    gsl_set_error_handler_off();
    cli c;
    memset(&c, 0, sizeof c);
    c.config_path = "cxpulse.json";
    c.confidence = NAN;
    c.prior_strength = NAN;
    c.min_responses = 10;
    int rc = parse_args(&c, argc, argv);
    if (rc != 0) return close_stdout(rc < 0 ? 0 : rc);
    if (c.npos == 0) { fputs(usage, stderr); return 2; }
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(commands[k].name, c.pos[0]) == 0) {
            char err[1024];
            c.cfg = config_load(c.config_path, !c.config_given, err, sizeof err);
            if (!c.cfg) { cx_msg("config: %s", err); return 1; }
            if (ingest_check_config(c.cfg, err, sizeof err) != 0) {
                cx_msg("config: %s: %s", c.config_path, err);
                config_free(c.cfg);
                return 1;
            }
            rc = commands[k].run(&c);
            config_free(c.cfg);
            return close_stdout(rc);
        }
    return bad_usage("unknown command '%s'", c.pos[0]);
}
