/* cli.h — the `cxpulse` command: options and the command functions.
 * Owner: cli/main.c parses; cli/commands.c and cli/cmd_*.c run.
 * The program's options are the only global-ish state, and they live in
 * one struct passed down. */
#ifndef CX_CLI_H
#define CX_CLI_H

#include "core/config.h"
#include "core/progress.h"
#include "core/store/store.h"
#include "stats/result.h"
#include "stats/stats.h"

#define CLI_MAX_POS 8

/* State of the progress line (cli/progress.c). */
typedef struct cli_progress {
    char phase[256];
    double start, last;
    int shown;
} cli_progress;

typedef struct cli {
    const char *config_path; /* --config */
    int config_given;
    const char *db; /* --db */
    int quiet, verbose;
    const char *pos[CLI_MAX_POS]; /* command and its operands */
    int npos;
    /* command options */
    const char *source, *since, *month, *by, *out, *input, *tables, *format, *theme;
    const char *window; /* --window 3m|6m|12m */
    const char *metric; /* --metric nps|csat|ces (stats, report, agents, run); NULL = not given */
    int full, max_attempts, spreadsheet_safe, allow_duplicate_ids;
    double deadline;
    double confidence;     /* NaN = config */
    int spend_window;      /* 0 = config */
    double prior_strength; /* NaN = estimate */
    int min_responses;
    cx_config *cfg;
    stats_opts so;
    char by_buf[1024];
    cli_progress prog;
    cx_progress prog_fn;
} cli;

/* cli/progress.c: the progress callback for library calls, or NULL when
 * nothing is to be drawn (--quiet, or stderr not a terminal). */
const cx_progress *cli_progress_for(cli *c);

/* cli/cli_store.c.  CREATE opens or creates the store; READ refuses a
 * missing SQLite file with a message naming it and what to run first;
 * READ_QUIET returns NULL for a missing one without a word.  NULL on
 * failure, the reason printed. */
typedef enum { CLI_STORE_CREATE, CLI_STORE_READ, CLI_STORE_READ_QUIET } cli_store_mode;
store *cli_open_store(cli *c, cli_store_mode mode);
/* --db, else the config's store (borrowed). */
const char *cli_store_target(const cli *c);
/* 0 when RES holds responses of its metric (RES->metric) in the period
 * asked for (--month, else any); else prints "CMD: no responses in M;
 * HOLDER holds A to B" ("no CSAT responses …" for a metric asked for or
 * chosen because the store holds no NPS) and returns 1. */
int cli_check_period(const cli *c, const char *cmd, const stats_result *res, const char *holder);
/* The same from what a command counted itself: ANY, whether HOLDER holds
 * responses at all (WHAT, e.g. "" or "NPS ", names them); FIRST and LAST,
 * their first and last month keys; HAS, whether --month has any. */
/* 0 when each --by dimension has segment rows in RES in the period
 * (--month, which report and agents always set; else any), or RES has no
 * segment tables.  A dimension without rows that is a field or an
 * attribute of the data (S's responses' and customers' attribute names;
 * NULL: the fields only) is said as a warning (not under --quiet); one
 * that is neither is a typo: "CMD: --by chanel: no response or customer
 * has it; did you mean channel?" and 2.  1 when S could not be read. */
int cli_check_dims(const cli *c, const char *cmd, const stats_result *res, store *s);
/* The same from what a command saw itself: SEEN[d], whether a response in
 * the period had a value for --by dimension d (verbatims). */
int cli_check_dims_seen(const cli *c, const char *cmd, const unsigned char *seen, store *s);
int cli_check_range(const cli *c, const char *cmd, const char *what, int any, int first, int last, int has,
                    const char *holder);

/* 0 when the command has N operands, else its usage on stderr and 2. */
int cli_need_operands(const cli *c, int n);

int cmd_import(cli *c);
int cmd_ingest(cli *c);
int cmd_stats(cli *c);
int cmd_report(cli *c);
int cmd_export(cli *c);
int cmd_run(cli *c);
int cmd_sources(cli *c);
int cmd_status(cli *c);
int cmd_agents(cli *c);
int cmd_verbatims(cli *c);

/* c->so from the options (cli/cli_opts.c): 0 ok, 2 usage error after a
 * message. */
int cli_stats_options(cli *c);

#endif
