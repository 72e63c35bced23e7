/* cli.h — the `cxpulse` command: options and the command functions.
 * Owner: cli/main.c parses; cli/commands.c and cli/cmd_*.c run.
 * The program's options are the only global-ish state, and they live in
 * one struct passed down. */
#ifndef CX_CLI_H
#define CX_CLI_H

#include "core/config.h"
#include "stats/stats.h"

#define CLI_MAX_POS 8

typedef struct cli {
    const char *config_path;  /* --config */
    int config_given;
    const char *db;           /* --db */
    int quiet, verbose;
    const char *pos[CLI_MAX_POS];   /* command and its operands */
    int npos;
    /* command options */
    const char *source, *since, *month, *by, *out, *input, *tables, *format;
    int full, max_attempts, spreadsheet_safe;
    double deadline;
    double confidence;        /* NaN = config */
    int spend_window;         /* 0 = config */
    double prior_strength;    /* NaN = estimate */
    int min_responses;
    cx_config *cfg;
    stats_opts so;
    char by_buf[1024];
} cli;

int cmd_import(cli *c);
int cmd_ingest(cli *c);
int cmd_stats(cli *c);
int cmd_report(cli *c);
int cmd_export(cli *c);
int cmd_run(cli *c);
int cmd_sources(cli *c);
int cmd_status(cli *c);
int cmd_agents(cli *c);

#endif
