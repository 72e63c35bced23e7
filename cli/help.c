/* help.c — see help.h.  One row per command; options in shared groups. */
#include "cli/help.h"

#include <string.h>

#define END              \
    {                    \
        NULL, NULL, NULL \
    }

static const help_opt global_opts[] = {
    {"config", "FILE", "configuration file (default ./cxpulse.json)"},
    {"db", "PATH", "store: SQLite file or postgresql:// URI (default: the config's store)"},
    {"quiet", NULL, "print only errors"},
    {"verbose", NULL, "say more: each retry of a vendor request, with its status, reason and wait"},
    {"help", NULL, "this help"},
    {"version", NULL, "print the version"},
    END,
};

static const help_opt stats_opts[] = {
    {"confidence", "C", "confidence level of intervals and tests (default 0.95, or the config's)"},
    {"spend-window", "DAYS", "spend window before and after a response (default 90, or the config's)"},
    {"prior-strength", "M", "agent shrinkage prior strength (default: estimated from the data)"},
    {"min-responses", "N",
     "fewest responses for an agent to be ranked, and on each side of a comparison the summary tests "
     "(default 10)"},
    END,
};

/* --month means three things: the tables' month (stats, verbatims), the
 * report's month (report, agents, run) and the responses exported. */
static const help_opt month_opt[] = {
    {"month", "YYYY-MM", "the month of the tables (default: every month; the trend keeps all)"},
    END,
};

static const help_opt report_month_opt[] = {
    {"month", "YYYY-MM",
     "the month reported on (default: the latest complete month, or the running month when the store "
     "holds only that; the trend keeps every month)"},
    END,
};

static const help_opt export_month_opt[] = {
    {"month", "YYYY-MM",
     "only the responses of this month (default: every month; export responses only: a reject has no "
     "month)"},
    END,
};

static const help_opt window_opt[] = {
    {"window", "WINDOW",
     "3m, 6m or 12m: the months ending with the report month for agents, "
     "peak-end and spend (default 3m in report and agents; in stats it needs --month)"},
    END,
};

static const help_opt metric_opt[] = {
    {"metric", "METRIC",
     "nps, csat or ces: that metric's tables, headline and agent table only "
     "(default: every metric's tables; nps leads when the store has NPS answers, else the metric it has)"},
    END,
};

static const help_opt by_out_opts[] = {
    {"by", "DIM,...", "segment dimensions, each broken down on its own (default: none)"},
    {"out", "DIR", "output folder (default out)"},
    END,
};

static const help_opt import_opts[] = {
    {"source", "NAME", "import responses as source NAME (default csv)"},
    {"format", "cxpulse|delighted",
     "layout of a responses file: cxpulse's, or Delighted's CSV export (default cxpulse)"},
    {"allow-duplicate-ids", NULL,
     "import a response whose response_id another source holds, as a second copy "
     "(default: reject it)"},
    END,
};

static const help_opt ingest_opts[] = {
    {"source", "NAME", "sync only this configured source (default: every source)"},
    {"since", "DATE", "fetch responses updated since DATE (default: from the checkpoint)"},
    {"full", NULL, "re-read everything, still without duplicates (default: incremental)"},
    {"max-attempts", "N", "attempts per request (default 6, or the source's max_attempts)"},
    {"deadline", "SECONDS", "total deadline of one source's sync (default 600, or the source's deadline_s)"},
    {"allow-duplicate-ids", NULL,
     "store a response whose response_id another source holds, as a second copy "
     "(default: reject it)"},
    END,
};

static const help_opt stats_only_opts[] = {
    {"input", "FILE.csv", "stream a responses CSV through the statistics, without a store"},
    {"tables", "LIST", "with --input or a store: nps, cx, agents, verbatims (default: all)"},
    END,
};

static const help_opt export_opts[] = {
    {"source", "NAME", "only this source's rows (default: every source)"},
    {"spreadsheet-safe", NULL, "prefix text starting with = + - @ with ' (default: exact values)"},
    END,
};

static const help_opt verbatims_opts[] = {
    {"by", "DIM,...", "themes also per segment of each dimension (default: all responses only)"},
    {"theme", "T", "list the comments (masked) that mention theme T (default: print the themes)"},
    {"input", "FILE.csv", "read a responses CSV instead of the store (default: the store)"},
    {"out", "DIR", "also write themes.csv and verbatim_flags.csv in DIR (default: none)"},
    END,
};

static const help_opt *const g_import[] = {import_opts, NULL};
static const help_opt *const g_ingest[] = {ingest_opts, NULL};
static const help_opt *const g_stats[] = {month_opt,       window_opt, metric_opt, by_out_opts,
                                          stats_only_opts, stats_opts, NULL};
static const help_opt *const g_report[] = {report_month_opt, window_opt, metric_opt,
                                           by_out_opts,      stats_opts, NULL};
static const help_opt *const g_export[] = {export_month_opt, export_opts, NULL};
static const help_opt *const g_agents[] = {report_month_opt, window_opt, metric_opt, stats_opts, NULL};
static const help_opt *const g_verbatims[] = {month_opt, verbatims_opts, NULL};
static const help_opt *const g_run[] = {ingest_opts, report_month_opt, window_opt, metric_opt,
                                        by_out_opts, stats_opts,       NULL};
static const help_opt *const g_none[] = {NULL};

static const help_cmd cmds[] = {
    {"import",
     "import responses|customers|spend FILE.csv [--source NAME] [--format cxpulse|delighted] [--allow-duplicate-ids]",
     "Reads a CSV export into the store; rows are upserted (newer updated_at wins) and bad rows kept as rejects.",
     g_import, "cxpulse import responses survey-export.csv --source qualtrics"},
    {"ingest",
     "ingest [--source NAME] [--since DATE] [--full] [--max-attempts N] [--deadline SECONDS] [--allow-duplicate-ids]",
     "Syncs every configured vendor source into the store, incrementally from its checkpoint.", g_ingest,
     "QUALTRICS_API_TOKEN=... cxpulse ingest --source qualtrics"},
    {"stats",
     "stats [--month YYYY-MM] [--metric nps|csat|ces] [--by DIM,...] [--out DIR] [--input FILE.csv [--tables nps,cx,agents,verbatims]]",
     "Computes every statistic from the store (or a CSV with --input) into CSV files in DIR.", g_stats,
     "cxpulse stats --month 2026-10 --by channel,region --out out/"},
    {"report",
     "report [--month YYYY-MM] [--window 3m|6m|12m] [--metric nps|csat|ces] [--by DIM,...] [--out DIR]",
     "Writes the CSV files, the charts and DIR/index.html for one month (default: the latest "
     "complete month).",
     g_report, "cxpulse report --month 2026-10 --by channel --out out/"},
    {"export", "export responses|rejects [--month YYYY-MM] [--source NAME] [--spreadsheet-safe]",
     "Writes the store's responses (in the import format) or rejects as CSV to standard output.", g_export,
     "cxpulse export responses --month 2026-10 > october.csv"},
    {"agents", "agents [--month YYYY-MM] [--window 3m|6m|12m] [--metric nps|csat|ces]",
     "Prints the agents by tier (clearly above, typical, clearly below the population), ranked "
     "inside their tier, over the window ending with the month.",
     g_agents, "cxpulse agents --month 2026-10"},
    {"verbatims", "verbatims [--month YYYY-MM] [--by DIM,...] [--theme T] [--input FILE.csv] [--out DIR]",
     "Prints the themes that set detractors' comments apart from promoters' (and back), in English and "
     "Spanish, and counts the unlabelled moments of truth; or the comments of one theme.",
     g_verbatims, "cxpulse verbatims --month 2026-10 --theme \"hidden fees\""},
    {"run", "run [ingest options] [report options]",
     "Ingests every source, then writes the report (for cron); a failed source leaves the report "
     "written from the store, marked stale, and exits 3.",
     g_run, "cxpulse --config /srv/cx/cxpulse.json --quiet run --out /srv/cx/report"},
    {"sources", "sources",
     "Lists the configured sources: vendor, whether the token variable is set, responses, last sync and error.",
     g_none, "cxpulse sources"},
    {"status", "status",
     "Says what the store holds: responses and their range, customers, spend, rejects, imports and syncs.",
     g_none, "cxpulse --db team.db status"},
};

const help_cmd *help_find(const char *name)
{
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(cmds[i].name, name) == 0) return &cmds[i];
    return NULL;
}

static int in_list(const help_opt *l, const char *opt)
{
    for (; l->name; l++)
        if (strcmp(l->name, opt) == 0) return 1;
    return 0;
}

int help_accepts(const help_cmd *cmd, const char *opt)
{
    if (in_list(global_opts, opt)) return 1;
    for (const help_opt *const *g = cmd->groups; *g; g++)
        if (in_list(*g, opt)) return 1;
    return 0;
}

static void print_opts(FILE *f, const help_opt *l)
{
    for (; l->name; l++) {
        char head[64];
        snprintf(head, sizeof head, "--%s%s%s", l->name, l->arg ? " " : "", l->arg ? l->arg : "");
        fprintf(f, "  %-26s  %s\n", head, l->text); /* two spaces at least: tests/e2e/help.sh parses it */
    }
}

void help_print(FILE *f, const help_cmd *cmd)
{
    fprintf(f, "usage: cxpulse [global options] %s\n\n%s\n", cmd->synopsis, cmd->summary);
    if (cmd->groups[0]) {
        fputs("\noptions:\n", f);
        for (const help_opt *const *g = cmd->groups; *g; g++) print_opts(f, *g);
    }
    fputs("\nglobal options:\n", f);
    print_opts(f, global_opts);
    fprintf(f, "\nexample:\n  %s\n\nexit codes: 0 ok, 1 failure, 2 usage error, 3 partial success\n",
            cmd->example);
}

void help_usage(FILE *f)
{
    fputs("usage: cxpulse [global options] COMMAND [options]\n\ncommands:\n", f);
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) fprintf(f, "  %s\n", cmds[i].synopsis);
    fputs("\n'cxpulse COMMAND --help' lists a command's options with their defaults and an example.\n"
          "global options: --config FILE (./cxpulse.json)  --db PATH  --quiet  --verbose\n"
          "                --help  --version\n"
          "exit codes: 0 ok, 1 failure, 2 usage error, 3 partial success\n",
          f);
}
