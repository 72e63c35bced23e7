/* sync.c — ingest_run (ingest/ingest.h): for each selected source, open an
 * HTTP client, resume from the stored checkpoint, let the vendor's file page
 * through its API and commit each page with its checkpoint in one store
 * transaction, then record the run.  Crash safety comes from that single
 * transaction per page: after a kill -9 the store holds whole pages and the
 * checkpoint of the last one, and a rerun resumes there; the vendors'
 * inclusive lower bounds re-read the checkpoint second and the upsert by
 * (source, response_id) removes any duplicate.  The page commit itself is
 * ingest/sync_page.c. */
#include "ingest/vendor.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/redact.h"

/* Progress goes to the caller's callback (the CLI draws it on a terminal). */
void sync_progress(sync_ctx *c, int force)
{
    if (!c->o->progress) return;
    double t = now_seconds();
    if (!force && t - c->last_draw < 0.2) return;
    c->last_draw = t;
    http_stats hs = {0};
    if (c->http) http_get_stats(c->http, &hs);
    double dt = t - c->t0 > 1e-6 ? t - c->t0 : 1e-6;
    char count[160];
    snprintf(count, sizeof count, "%lld pages, %lld responses, %.0f/s, %lld retries", c->pages, c->fetched,
             (double)c->fetched / dt, hs.retries);
    cx_progress_say(c->o->progress, c->src->name, 0, 0, count);
}

void sync_say(const ingest_opts *o, int warning, const char *fmt, ...)
{
    if (o->on_message == NULL) return;
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    o->on_message(warning, text, o->ctx);
}

/* Field names the map may not target: they come from the vendor's record. */
static int check_fields(const cx_source_cfg *s, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n_fields; i++) {
        int f = cx_field_lookup(s->fields[i].field);
        if (f == CX_F_SOURCE || f == CX_F_RESPONSE_ID || f == CX_F_SCORE || f == CX_F_RESPONDED_AT ||
            f == CX_F_UPDATED_AT || f == CX_F_METRIC) {
            snprintf(err, errlen, "fields: \"%s\" comes from the vendor's record and cannot be mapped",
                     s->fields[i].field);
            return -1;
        }
    }
    return 0;
}

static void retry_seen(const char *method, const char *path, long status, const char *why, double wait_s,
                       void *ctx)
{
    const sync_ctx *c = ctx;
    c->o->on_retry(c->src->name, method, path, status, why, wait_s, c->o->ctx);
}

static int open_client(sync_ctx *c, const vendor_def *v, char *err, size_t errlen)
{
    const cx_source_cfg *s = c->src;
    const char *token = getenv(s->token_env);
    if (token == NULL || token[0] == '\0') {
        snprintf(err, errlen, "environment variable $%s (token_env) is not set", s->token_env);
        return -1;
    }
    http_cfg hc = {
        .token = token,
        .token_env = s->token_env,
        .auth = v->auth,
        .auth_header = v->auth_header,
        .basic_user = NULL,
        .max_attempts = c->o->max_attempts > 0 ? c->o->max_attempts : s->max_attempts,
        .deadline_s = c->o->deadline_s > 0 ? c->o->deadline_s : s->deadline_s,
        .timeout_s = s->timeout_s,
        .connect_timeout_s = s->connect_timeout_s,
        .ca_file = s->ca_file,
        .sleep_scale = -1,
        .on_retry = c->o->on_retry ? retry_seen : NULL,
        .retry_ctx = c,
    };
    char user[512];
    if (v->auth == HTTP_AUTH_BASIC) { /* Zendesk API token: "email/token" */
        snprintf(user, sizeof user, "%s/token", s->email ? s->email : "");
        hc.basic_user = user;
    }
    c->http = http_new(&hc, err, errlen);
    return c->http ? 0 : -1;
}

int sync_retired(sync_ctx *c, char *err, size_t errlen)
{
    c->retired = 1;
    snprintf(err, errlen, "the vendor has retired this API (HTTP 410); import its CSV export instead");
    return -1;
}

static int load_checkpoint(sync_ctx *c, char *err, size_t errlen)
{
    char *text = NULL;
    if (c->o->full || c->o->since > 0) {
        c->fresh = 1;
        memset(&c->cp, 0, sizeof c->cp);
        c->cp.updated_at = c->o->full ? 0 : c->o->since;
        return 0;
    }
    if (store_checkpoint_get(c->st, c->src->name, &text) != 0) {
        snprintf(err, errlen, "store: %s", store_error(c->st));
        return -1;
    }
    if (checkpoint_parse(text, &c->cp) != 0)
        sync_say(c->o, 1, "ingest: %s: unreadable checkpoint; syncing everything again", c->src->name);
    free(text);
    return 0;
}

static int sync_source(sync_ctx *c, char *err, size_t errlen)
{
    const cx_source_cfg *s = c->src;
    size_t n = strlen(s->base_url);
    while (n > 0 && s->base_url[n - 1] == '/') n--;
    if (n >= sizeof c->base) {
        snprintf(err, errlen, "base_url is too long");
        return -1;
    }
    memcpy(c->base, s->base_url, n);
    c->base[n] = '\0';
    c->per_page = s->per_page > 0 ? s->per_page : 100;
    const vendor_def *v = vendor_find(s->vendor);
    if (v == NULL) {
        snprintf(err, errlen, "unknown vendor \"%s\"", s->vendor);
        return -1;
    }
    c->metric = cx_metric_lookup(s->metric ? s->metric : v->metrics[0]);
    if (c->metric < 0) c->metric = CX_METRIC_NPS; /* ingest_check_config refused any other */
    if (check_fields(s, err, errlen) || load_checkpoint(c, err, errlen) || open_client(c, v, err, errlen))
        return -1;
    return v->sync(c, err, errlen);
}

/* Runs one source; 0 ok, -1 failed (message said).  *REJECTED counts. */
static int run_one(const cx_config *cfg, const cx_source_cfg *s, store *st, const ingest_opts *o,
                   long long *rejected)
{
    char err[1024] = "";
    sync_ctx c;
    memset(&c, 0, sizeof c);
    c.cfg = cfg;
    c.src = s;
    c.st = st;
    c.o = o;
    c.t0 = now_seconds();
    /* One sync of a source at a time, across processes sharing the store. */
    int lk = store_lock_source(st, s->name, 0);
    if (lk == 1) {
        sync_say(o, 1, "ingest: %s: another cxpulse ingest is syncing this source; waiting", s->name);
        lk = store_lock_source(st, s->name, 1);
    }
    if (lk != 0) {
        sync_say(o, 0, "ingest: %s: %s", s->name, store_error(st));
        return -1;
    }
    int rc = sync_source(&c, err, sizeof err);
    cx_progress_end(o->progress); /* the summary line (on_source) says the rest */
    if (c.http != NULL) cx_redact_mask(http_redactor(c.http), err); /* it may quote the vendor */
    if (rc != 0 && c.retired)
        sync_say(o, 0, "source %s: %s", s->name, err); /* one plain line: nothing to retry */
    else if (rc != 0) sync_say(o, 0, "ingest: %s: %s", s->name, err);
    char path[600];
    snprintf(path, sizeof path, "%s (%s)", s->vendor, s->name);
    store_import_stats ist = {.kind = s->name,
                              .file = path,
                              .rows = c.fetched,
                              .inserted = c.inserted,
                              .replaced = c.replaced,
                              .unchanged = c.unchanged,
                              .ignored = c.ignored,
                              .rejected = c.rejected};
    if (store_log_import(st, &ist) != 0 ||
        store_sync_record(st, s->name, (int64_t)time(NULL), c.fetched, rc ? err : NULL) != 0) {
        sync_say(o, 0, "ingest: %s: store: %s", s->name, store_error(st));
        rc = -1;
    }
    store_unlock_source(st, s->name);
    *rejected += c.rejected;
    if (o->on_source) {
        http_stats hs = {0};
        if (c.http) http_get_stats(c.http, &hs);
        /* the line's "unchanged": already held as read, or older */
        ingest_source_summary sum = {s->name,         s->vendor,  c.fetched,
                                     c.inserted,      c.replaced, c.unchanged + c.ignored,
                                     c.rejected,      hs.retries, now_seconds() - c.t0,
                                     rc ? err : NULL, c.retired};
        o->on_source(&sum, o->ctx);
    }
    http_free(c.http);
    checkpoint_free(&c.cp);
    attr_limit_free(&c.names);
    sync_rejects_free(&c.rej);
    return rc;
}

ingest_status ingest_run(const cx_config *cfg, store *s, const ingest_opts *o)
{
    size_t ok = 0, failed = 0;
    long long rejected = 0;
    if (o->source != NULL && config_source(cfg, o->source) == NULL) {
        sync_say(o, 0, "ingest: no source named \"%s\" in the config", o->source);
        return INGEST_USAGE;
    }
    if (cfg->n_sources == 0) {
        sync_say(o, 0, "ingest: the config lists no sources");
        return INGEST_USAGE;
    }
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const cx_source_cfg *src = &cfg->sources[i];
        if (o->source != NULL && strcmp(o->source, src->name) != 0) continue;
        if (run_one(cfg, src, s, o, &rejected) == 0) ok++;
        else failed++;
    }
    if (failed > 0) return ok > 0 ? INGEST_PARTIAL : INGEST_FAILED;
    return rejected > 0 ? INGEST_PARTIAL : INGEST_OK; /* rows rejected: partial (docs/cli.md) */
}
