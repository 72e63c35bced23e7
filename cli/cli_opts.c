/* cli_opts.c — what every command checks before it runs: its operands
 * (cli_need_operands) and the analysis options (--metric, --month,
 * --window, --by, --confidence and the config's defaults) turned into
 * c->so (cli_stats_options). */
#include "cli/cli.h"
#include "cli/help.h"
#include "core/log.h"
#include "core/timeparse.h"
#include "stats/period.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Fills c->so from the options and the config.  0 ok, 2 usage error. */
int cli_stats_options(cli *c)
{
    stats_opts *o = &c->so;
    memset(o, 0, sizeof *o);
    o->cfg = c->cfg;
    o->confidence = isnan(c->confidence) ? c->cfg->confidence : c->confidence;
    o->spend_window_days = c->spend_window ? c->spend_window : c->cfg->spend_window_days;
    o->prior_strength = c->prior_strength;
    o->min_responses = c->min_responses;
    if (c->metric) {
        static const char *const names[] = {"nps", "csat", "ces"};
        static const stats_metric values[] = {STATS_METRIC_NPS, STATS_METRIC_CSAT, STATS_METRIC_CES};
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (!strcmp(c->metric, names[i])) o->metric = values[i];
        if (o->metric == STATS_METRIC_ALL) {
            cx_msg("%s: --metric '%s' is not nps, csat or ces", c->pos[0], c->metric);
            return 2;
        }
    }
    if (c->month && month_parse(c->month, &o->month) != 0) {
        cx_msg("%s: --month: '%s' is not a month (YYYY-MM, 1900-01 to 9999-12)", c->pos[0], c->month);
        return 2;
    }
    if (c->window && period_parse_window(c->window, &o->window) != 0) {
        cx_msg("--window: '%s' is not 3m, 6m or 12m", c->window);
        return 2;
    }
    if (c->by) {
        if (strlen(c->by) >= sizeof c->by_buf) { /* never cut a dimension name short */
            cx_msg("--by: longer than %zu bytes", sizeof c->by_buf - 1);
            return 2;
        }
        snprintf(c->by_buf, sizeof c->by_buf, "%s", c->by);
        for (char *p = c->by_buf;;) {
            char *comma = strchr(p, ',');
            if (comma) *comma = '\0';
            if (!*p) { /* "channel,", ",", ",,region": a name left out, not none */
                cx_msg("--by: '%s' leaves a dimension's name empty", c->by);
                return 2;
            }
            if (o->n_by == STATS_MAX_BY) {
                cx_msg("--by: at most %d dimensions", STATS_MAX_BY);
                return 2;
            }
            if (!strcmp(p, "all")) {
                cx_msg("--by: 'all' is reserved");
                return 2;
            }
            for (size_t i = 0; i < o->n_by; i++)
                if (!strcmp(o->by[i], p)) {
                    cx_msg("--by: '%s' given twice", p);
                    return 2;
                }
            o->by[o->n_by++] = p;
            if (!comma) break;
            p = comma + 1;
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
