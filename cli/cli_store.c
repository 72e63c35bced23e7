/* cli_store.c — opening the store for a command, and refusing an empty
 * period.  Read-only commands (status, stats, report, agents, export,
 * sources) never create a store: a missing SQLite file is an error naming
 * the path and what to run first. */
#include "cli/cli.h"
#include "core/log.h"
#include "core/store/store.h"
#include "core/timeparse.h"
#include "stats/result.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

const char *cli_store_target(const cli *c)
{
    return c->db ? c->db : c->cfg->store;
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
                   "or 'cxpulse ingest'%s", target,
                   c->config_given || c->db ? "" : " (or name the store with --db or --config)");
        return NULL;
    }
    store_open_opts so = {c->cfg->password_env};
    store *s = store_open_with(target, &so, err, sizeof err);
    if (!s) cx_msg("%s", err);
    return s;
}

int cli_check_period(const cli *c, const char *cmd, const stats_result *res, const char *holder)
{
    size_t n = res->nps ? res->nps->n_trend : 0;
    int month = c->so.month;
    char want[16], lo[16], hi[16];
    /* A store of CSAT or CES answers only (a Zendesk source) has tables too. */
    if (n == 0 && res->metrics && (res->metrics->n_csat || res->metrics->n_ces)) return 0;
    if (n == 0) {
        if (month) {
            month_format(month, want);
            cx_msg("%s: no responses in %s; %s holds none", cmd, want, holder);
        } else {
            cx_msg("%s: no responses: %s holds none%s", cmd, holder,
                   c->input ? "" : "; import some first with 'cxpulse import responses FILE.csv' or 'cxpulse ingest'");
        }
        return 1;
    }
    if (!month) return 0;
    for (size_t i = 0; i < n; i++)
        if (res->nps->trend[i].month == month) return 0;
    month_format(month, want);
    month_format(res->nps->trend[0].month, lo);
    month_format(res->nps->trend[n - 1].month, hi);
    if (n == 1) cx_msg("%s: no responses in %s; %s holds %s only", cmd, want, holder, lo);
    else cx_msg("%s: no responses in %s; %s holds %s to %s", cmd, want, holder, lo, hi);
    return 1;
}
