/* main.c — `cxpulse`: argument parsing and dispatch only. */
#include "cli/cli.h"
#include "cli/help.h"
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

/* A usage error: "cxpulse[ CMD]: WHAT" and where to look, exit 2. */
static int bad_usage(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "cxpulse%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'cxpulse %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
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
    char kind;  /* 'f' flag, 's' string, 'D' folder (a string, not "-"), 'i' int, 'd' double */
    size_t off; /* offset in cli */
    double lo, hi;
} opt;

#define O(name, kind, field, lo, hi)             \
    {                                            \
        name, kind, offsetof(cli, field), lo, hi \
    }
static const opt opts[] = {
    O("config", 's', config_path, 0, 0),
    O("db", 's', db, 0, 0),
    O("quiet", 'f', quiet, 0, 0),
    O("verbose", 'f', verbose, 0, 0),
    O("source", 's', source, 0, 0),
    O("since", 's', since, 0, 0),
    O("full", 'f', full, 0, 0),
    O("month", 's', month, 0, 0),
    O("by", 's', by, 0, 0),
    O("out", 'D', out, 0, 0),
    O("window", 's', window, 0, 0),
    O("input", 's', input, 0, 0),
    O("format", 's', format, 0, 0),
    O("metric", 's', metric, 0, 0),
    O("theme", 's', theme, 0, 0),
    O("tables", 's', tables, 0, 0),
    O("max-attempts", 'i', max_attempts, 1, 1000),
    O("deadline", 'd', deadline, 1, 1e7),
    O("spreadsheet-safe", 'f', spreadsheet_safe, 0, 0),
    O("allow-duplicate-ids", 'f', allow_duplicate_ids, 0, 0),
    O("confidence", 'd', confidence, 0.5, 0.9999),
    O("spend-window", 'i', spend_window, 1, 3660),
    O("prior-strength", 'd', prior_strength, 0, 1e12),
    O("min-responses", 'i', min_responses, 0, 100000000),
};

static int set_opt(cli *c, const opt *o, const char *val)
{
    char *p = (char *)c + o->off;
    switch (o->kind) {
    case 'f': *(int *)p = 1; return 0;
    case 'D': /* "-" would make a folder named "-": standard output is no folder */
        if (strcmp(val, "-") == 0) return -1;
        *(const char **)p = val;
        return 0;
    case 's': *(const char **)p = val; return 0;
    case 'i': return parse_int(val, (int)o->lo, (int)o->hi, (int *)p);
    default: return parse_dbl(val, o->lo, o->hi, (double *)p);
    }
}

/* Options seen, checked against the command once it is known (an option
 * may come before the command: `cxpulse --month 2026-10 report`): each
 * once, in the order first given. */
#define N_OPTS (sizeof opts / sizeof *opts)
typedef struct parsed {
    int help;
    const char *unknown;  /* first unknown option, as written */
    char unknown_msg[96]; /* "unknown option -q (options are long: did you mean --quiet?)" */
    const char *bad;      /* first option with a bad value */
    const char *bad_fmt;
    char bad_msg[160];
    const opt *seen[N_OPTS];
    unsigned char given[N_OPTS];
    size_t n_seen;
} parsed;

/* Notes the first bad option (as written, or MSG when it has one). */
static void bad_opt(parsed *pa, const char *a, const char *fmt)
{
    if (pa->bad) return;
    pa->bad = a;
    pa->bad_fmt = fmt;
}

/* A short option (-q): unknown, with the long option it may stand for
 * when one alone starts with its letter. */
static void short_unknown(parsed *pa, const char *a)
{
    const char *only = NULL;
    int n = a[1] == 'v' && a[2] == '\0'; /* --version, parsed on its own */
    for (size_t k = 0; a[2] == '\0' && k < N_OPTS; k++)
        if (opts[k].name[0] == a[1]) {
            only = opts[k].name;
            n++;
        }
    if (n == 1)
        snprintf(pa->unknown_msg, sizeof pa->unknown_msg, "%.16s (options are long: did you mean --%s?)", a,
                 only);
    else
        snprintf(pa->unknown_msg, sizeof pa->unknown_msg, "%.16s (cxpulse's options are long ones: --NAME)",
                 a);
    pa->unknown = pa->unknown_msg;
}

static int parse_args(cli *c, parsed *pa, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            pa->help = 1;
            continue;
        }
        if (strcmp(a, "--version") == 0) {
            printf("cxpulse %s\n", CX_VERSION);
            return -1;
        }
        if (strcmp(a, "--") == 0) { /* the end of options: a file named "-x.csv" or "--x" after it */
            for (i++; i < argc; i++) {
                if (c->npos == CLI_MAX_POS) return bad_usage(c->pos[0], "too many arguments: %s", argv[i]);
                c->pos[c->npos++] = argv[i];
            }
            break;
        }
        if (a[0] == '-' && a[1] != '-' && a[1] != '\0' && a[2] == '\0') {
            /* options are long only (docs/cli.md): -q is no --quiet, and
             * no operand either ("-" alone is standard input; "-x.csv" is
             * a file's name) */
            if (!pa->unknown) short_unknown(pa, a);
            continue;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (c->npos == CLI_MAX_POS) return bad_usage(c->pos[0], "too many arguments: %s", a);
            c->pos[c->npos++] = a;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const opt *o = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof *opts; k++)
            if (strlen(opts[k].name) == len && strncmp(opts[k].name, name, len) == 0) o = &opts[k];
        if (!o) {
            if (!pa->unknown) pa->unknown = a;
            continue;
        }
        size_t oi = (size_t)(o - opts);
        const char *val = NULL;
        if (o->kind != 'f') {
            /* the next argument is the value, unless it is an option
             * itself: `--month --out x` lacks a month, rather than being
             * the month "--out" (a value that starts with "--" can be
             * given as --theme=--x) */
            if (eq) val = eq + 1;
            else if (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) val = argv[++i];
            else {
                bad_opt(pa, a, "option %s needs a value");
                continue;
            }
            if (!*val) {
                bad_opt(pa, a, "option %s needs a value, not an empty one");
                continue;
            }
            if (pa->given[oi]) { /* the second would silently replace the first */
                bad_opt(pa, a, "option %s is given twice");
                continue;
            }
        } else if (eq) {
            bad_opt(pa, a, "option %s takes no value");
            continue;
        }
        if (set_opt(c, o, val) != 0 && !pa->bad) {
            /* "invalid value for --confidence: '3' (a number from 0.5 to 0.9999)"; the value cut at 40 bytes */
            if (o->kind == 'i' || o->kind == 'd')
                snprintf(pa->bad_msg, sizeof pa->bad_msg,
                         "invalid value for --%s: '%.40s' (%s %.12g to %.12g)", o->name, val,
                         o->kind == 'i' ? "a whole number from" : "a number from", o->lo, o->hi);
            else if (o->kind == 'D')
                snprintf(pa->bad_msg, sizeof pa->bad_msg,
                         "invalid value for --%s: '-' (a folder: the outputs are files, not standard output)",
                         o->name);
            else snprintf(pa->bad_msg, sizeof pa->bad_msg, "invalid value for --%s", o->name);
            pa->bad = pa->bad_msg;
            pa->bad_fmt = "%s";
        }
        if (strcmp(o->name, "config") == 0) c->config_given = 1;
        if (!pa->given[oi]) {
            pa->given[oi] = 1;
            pa->seen[pa->n_seen++] = o;
        }
    }
    return 0;
}

typedef struct command {
    const char *name;
    int (*run)(cli *);
} command;

static const command commands[] = {
    {"import", cmd_import},       {"ingest", cmd_ingest}, {"stats", cmd_stats},
    {"report", cmd_report},       {"export", cmd_export}, {"run", cmd_run},
    {"sources", cmd_sources},     {"status", cmd_status}, {"agents", cmd_agents},
    {"verbatims", cmd_verbatims},
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
    parsed pa;
    memset(&pa, 0, sizeof pa);
    int rc = parse_args(&c, &pa, argc, argv);
    if (rc != 0) return close_stdout(rc < 0 ? 0 : rc);
    if (c.npos == 0) {
        if (pa.unknown) return bad_usage(NULL, "unknown option %s", pa.unknown);
        if (pa.bad) return bad_usage(NULL, pa.bad_fmt, pa.bad);
        help_usage(pa.help ? stdout : stderr);
        return pa.help ? close_stdout(0) : 2;
    }
    const help_cmd *doc = help_find(c.pos[0]);
    if (!doc) return bad_usage(NULL, "unknown command '%s'", c.pos[0]);
    if (pa.help) {
        help_print(stdout, doc);
        return close_stdout(0);
    }
    if (pa.unknown) return bad_usage(doc->name, "unknown option %s", pa.unknown);
    for (size_t i = 0; i < pa.n_seen; i++)
        if (!help_accepts(doc, pa.seen[i]->name)) {
            fprintf(stderr, "cxpulse %s: --%s is not an option of %s\n", doc->name, pa.seen[i]->name,
                    doc->name);
            fprintf(stderr, "Try 'cxpulse %s --help'.\n", doc->name);
            return 2;
        }
    if (pa.bad) return bad_usage(doc->name, pa.bad_fmt, pa.bad);
    for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (strcmp(commands[k].name, c.pos[0]) == 0) {
            char err[1024];
            c.cfg = config_load(c.config_path, !c.config_given, err, sizeof err);
            if (!c.cfg) {
                cx_msg("config: %s", err);
                return 1;
            }
            if (ingest_check_config(c.cfg, err, sizeof err) != 0) {
                cx_msg("config: %s: %s", c.config_path, err);
                config_free(c.cfg);
                return 1;
            }
            rc = commands[k].run(&c);
            config_free(c.cfg);
            return close_stdout(rc);
        }
    return bad_usage(NULL, "unknown command '%s'", c.pos[0]);
}
