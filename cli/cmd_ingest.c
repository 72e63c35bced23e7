/* cmd_ingest.c — `cxpulse ingest [--source NAME] [--full] [--since T]`:
 * syncs the configured vendor sources into the store (ingest/), saying one
 * line per source and, with --verbose, each retry. */
#include "cli/cli.h"
#include "core/log.h"
#include "core/store/store.h"
#include "core/timeparse.h"
#include "ingest/ingest.h"
#include "report/noun.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* An ingest holds vendor tokens in memory (and in its environment): a
 * crash must not write them into a core file. */
static void no_core_dumps(void)
{
    struct rlimit rl = {0, 0};
    if (setrlimit(RLIMIT_CORE, &rl) != 0) cx_msg("ingest: cannot turn core dumps off: %s", strerror(errno));
}

/* One line per source: what its sync did. */
static void ingest_said(const ingest_source_summary *m, void *ctx)
{
    const cli *c = ctx;
    if (c->quiet) return;
    if (m->error && m->retired) return; /* its one line is said (docs/vendors.md) */
    if (m->error) {
        cx_msg("ingest: %s: failed after %.1f s (%lld fetched, %lld %s)", m->source, m->seconds, m->fetched,
               m->retries, fmt_noun((double)m->retries, "retry", "retries"));
        return;
    }
    cx_msg(
        "ingest: %s: %lld fetched: %lld new, %lld replaced, %lld unchanged, %lld rejected; %lld %s; %.1f s",
        m->source, m->fetched, m->inserted, m->replaced, m->unchanged, m->rejected, m->retries,
        fmt_noun((double)m->retries, "retry", "retries"), m->seconds);
}

/* What ingest says (errors; notes too, unless --quiet). */
static void ingest_message(int warning, const char *text, void *ctx)
{
    const cli *c = ctx;
    if (warning && c->quiet) return;
    cx_msg("%s", text);
}

/* --verbose: each retry, with the status, the reason and the wait. */
static void ingest_retry(const char *source, const char *method, const char *path, long status,
                         const char *why, double wait_s, void *ctx)
{
    (void)ctx;
    if (isatty(STDERR_FILENO)) fputs("\r\033[K", stderr); /* under the progress line */
    cx_msg("ingest: %s: %s %s: %s%s; retrying in %.2f s", source, method, path,
           status ? "" : "no answer: ", why, wait_s);
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
    o.progress = cli_progress_for(c);
    o.on_source = ingest_said;
    o.on_retry = c->verbose ? ingest_retry : NULL;
    o.on_message = ingest_message;
    o.ctx = c;
    const char *why;
    if (c->since && time_parse(c->since, &o.since, &why) != 0) {
        cx_msg("--since: '%s': %s", c->since, why);
        return 2;
    }
    store *s = cli_open_store(c, CLI_STORE_CREATE);
    if (!s) return 1;
    store_allow_duplicate_ids(s, c->allow_duplicate_ids);
    ingest_status st = ingest_run(c->cfg, s, &o);
    store_close(s);
    /* docs/cli.md: 0 ok, 1 failure, 2 usage error, 3 partial success. */
    switch (st) {
    case INGEST_OK: return 0;
    case INGEST_PARTIAL: return 3;
    case INGEST_USAGE: return 2;
    case INGEST_FAILED: break;
    }
    return 1;
}
