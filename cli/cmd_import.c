/* cmd_import.c — `cxpulse import`: runs ingest/import.c and says what it
 * did: the first rejected rows, then one summary line, and how to merge
 * rows whose response_id another source already holds. */
#include "cli/cli.h"
#include "core/log.h"
#include "ingest/import.h"
#include "run/run.h"
#include "report/fmt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_SHOWN_REJECTS 20

typedef struct shown {
    const cli *c;
    long long n;
} shown;

static void show_reject(const char *where, const char *reason, void *ctx)
{
    shown *sh = ctx;
    if (!sh->c->quiet && sh->n++ < MAX_SHOWN_REJECTS) cx_msg("%s: %s", where, reason);
}

int cmd_import(cli *c)
{
    if (cli_need_operands(c, 2)) return 2;
    shown sh = {c, 0};
    import_opts o = {IMPORT_RESPONSES, c->pos[2], c->source,           c->quiet, IMPORT_FORMAT_CXPULSE,
                     show_reject,      &sh,       cli_progress_for(c), NULL,     NULL};
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
    /* A file that cannot be read is said before a store is created for it. */
    if (strcmp(o.path, "-") != 0 && access(o.path, R_OK) != 0) {
        cx_msg("import: %s: %s", o.path, strerror(errno));
        return 1;
    }
    store *s = cli_open_store(c, CLI_STORE_CREATE);
    if (!s) return 1;
    store_allow_duplicate_ids(s, c->allow_duplicate_ids);
    /* Into an empty store, the analysis cache is written as the rows go
     * in: the first stats reads it instead of building it. */
    run_import_cache *cache =
        o.kind == IMPORT_RESPONSES ? run_import_cache_begin(s, cli_store_target(c)) : NULL;
    if (cache) {
        o.on_row = run_import_cache_row;
        o.row_ctx = cache;
    }
    import_summary sum;
    char err[1024], note[4096 + 128];
    int rc = import_file(s, c->cfg, &o, &sum, err, sizeof err);
    run_import_cache_end(cache, s, rc == 0, rc == 0 ? sum.inserted : 0, rc == 0 ? sum.straight : 0, note,
                         sizeof note);
    store_close(s);
    if (note[0] && c->verbose) cx_msg("%s", note);
    if (rc != 0) {
        cx_msg("import: %s", err);
        return 1;
    }
    if (sh.n > MAX_SHOWN_REJECTS && !c->quiet)
        cx_msg("import %s: %lld more rejected rows not shown ('cxpulse export rejects' lists them all)",
               o.path, sh.n - MAX_SHOWN_REJECTS);
    if (!c->quiet || sum.held_elsewhere) {
        char held[128] = "";
        if (sum.held_elsewhere)
            snprintf(held, sizeof held, " (%lld already held as source %s)", sum.held_elsewhere, sum.held_by);
        /* responses: equal to the stored version is unchanged, an older one
         * ignored; customers and spend: equal to the stored row is unchanged */
        if (o.kind == IMPORT_RESPONSES)
            cx_msg("import %s: %lld %s: %lld new, %lld replaced, %lld unchanged, %lld older ignored, %lld "
                   "rejected%s",
                   o.path, sum.rows, fmt_noun((double)sum.rows, "row", "rows"), sum.inserted, sum.replaced,
                   sum.unchanged, sum.ignored, sum.rejected, held);
        else
            cx_msg("import %s: %lld %s: %lld new, %lld replaced, %lld unchanged, %lld rejected", o.path,
                   sum.rows, fmt_noun((double)sum.rows, "row", "rows"), sum.inserted, sum.replaced,
                   sum.unchanged, sum.rejected);
    }
    if (sum.rejects_forgotten > 0 && !c->quiet)
        cx_msg("import %s: %lld rejects of an earlier import of this file replaced", o.path,
               sum.rejects_forgotten);
    /* What a replace-by-source import did to the earlier rows is always
     * said: removed (unless --quiet), or kept, even with --quiet. */
    if (o.kind == IMPORT_SPEND && sum.spend_removed > 0 && !c->quiet)
        /* the counts above compare the file's rows with the stored ones
         * (unchanged: the same row was there); this says the whole swap */
        cx_msg("import %s: source '%s' now holds this file's spend; its %lld earlier %s removed", o.path,
               c->source ? c->source : "csv", sum.spend_removed,
               fmt_noun((double)sum.spend_removed, "row was", "rows were"));
    else if (o.kind == IMPORT_SPEND && sum.spend_removed < 0)
        cx_msg("import %s: no spend row accepted: the spend of source '%s' is kept as it was", o.path,
               c->source ? c->source : "csv");
    if (sum.held_elsewhere)
        cx_msg("import %s: a response_id held under another source is not imported twice; to merge these "
               "into that source, import with --source %s; to keep both copies (each counts), add "
               "--allow-duplicate-ids",
               o.path, sum.held_by);
    return sum.rejected ? 3 : 0;
}
