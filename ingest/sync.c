/* sync.c — ingest_run (ingest/ingest.h): for each selected source, open an
 * HTTP client, resume from the stored checkpoint, let the vendor's file page
 * through its API and commit each page with its checkpoint in one store
 * transaction, then record the run.  Crash safety comes from that single
 * transaction per page: after a kill -9 the store holds whole pages and the
 * checkpoint of the last one, and a rerun resumes there; the vendors'
 * inclusive lower bounds re-read the checkpoint second and the upsert by
 * (source, response_id) removes any duplicate. */
#include "ingest/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/redact.h"

/* The masker of the source's token (NULL before the client exists, as in
 * the unit tests: then nothing is masked). */
static const cx_redact *redactor(const sync_ctx *c)
{
    return c->http ? http_redactor(c->http) : NULL;
}

static void count_upsert(sync_ctx *c, store_upsert_result res)
{
    if (res == STORE_INSERTED)
        c->inserted++;
    else if (res == STORE_REPLACED)
        c->replaced++;
    else
        c->ignored++;
}

/* RAW: the record's text, masked here (a vendor may echo the token anywhere). */
static int put_reject(sync_ctx *c, char *raw, long page, const char *why)
{
    char where[48];
    cx_redact_mask(redactor(c), raw);
    snprintf(where, sizeof where, "page %ld", page);
    int rc = store_add_reject(c->st, c->src->name, where, why, raw, strlen(raw));
    c->rejected++;
    return rc;
}

/* The checkpoint's note of a rejected record: "\x1f" and a hash of its
 * whole text (never the id alone, which may be the token).  The checkpoint
 * second is read again by the next run: the SAME rejected record is then
 * skipped, not rejected twice, while another copy of its id -- a valid one
 * -- is still read and stored, as it is when both come in one page. */
static void reject_key(const char *raw, char out[18])
{
    unsigned long long h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    snprintf(out, 18, "\x1f%016llx", h);
}

/* Writes the checkpoint inside the open transaction; -1 with *WHY.  A
 * checkpoint that would hold the token (echoed into a continuation token or
 * an id) is refused: the store never keeps a credential. */
static int commit_checkpoint_in_tx(sync_ctx *c, const char **why)
{
    char *text = checkpoint_format(&c->cp);
    int rc = -1;
    if (text == NULL)
        *why = "out of memory";
    else if (cx_redact_has(redactor(c), text))
        *why = "the vendor's continuation token or an id holds the API token: checkpoint not saved";
    else if ((rc = store_checkpoint_put(c->st, c->src->name, text)) != 0)
        *why = store_error(c->st);
    free(text);
    return rc;
}

/* Text fields of a mapped record that hold the token are replaced by masked
 * copies, pushed on OWNED (freed by the caller).  0 ok, -1 out of memory. */
typedef struct owned_text {
    char *p[8 + 2 * CX_MAX_ATTRS];
    size_t n;
} owned_text;

static int mask_field(const cx_redact *red, const char **field, owned_text *o)
{
    int oom;
    char *m = cx_redact_dup(red, *field, &oom);
    if (m != NULL) {
        o->p[o->n++] = m;
        *field = m;
    }
    return oom ? -1 : 0;
}

static int mask_record(const cx_redact *red, cx_response *r, owned_text *o)
{
    const char **text[] = {&r->comment, &r->customer_id, &r->agent_id, &r->channel, &r->product,
                           &r->interaction_type};
    int bad = 0;
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        bad |= mask_field(red, text[i], o);
    for (size_t i = 0; i < r->n_attrs; i++)
        bad |= mask_field(red, &r->attrs[i].key, o) | mask_field(red, &r->attrs[i].value, o);
    return bad ? -1 : 0;
}

static void free_owned(owned_text *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->p[i]);
    o->n = 0;
}

/* The (id, second) pairs of one page, noted in the checkpoint only after
 * the whole page: a copy of an id later in the same page must not be taken
 * for one seen at the checkpoint (it is the newer copy and replaces the
 * earlier one, as a later row of a CSV file does, even when the earlier
 * copy was rejected). */
typedef struct seen_list {
    char **id;
    int64_t *t;
    size_t n;
} seen_list;

static int seen_add(seen_list *s, size_t cap, const char *id, int64_t t)
{
    if (s->n == cap || (s->id[s->n] = strdup(id)) == NULL)
        return -1;
    s->t[s->n++] = t;
    return 0;
}

static int seen_apply(seen_list *s, checkpoint *cp)
{
    for (size_t i = 0; i < s->n; i++)
        if (checkpoint_observe(cp, s->id[i], s->t[i]) != 0)
            return -1;
    return 0;
}

static void seen_free(seen_list *s)
{
    for (size_t i = 0; s->id && i < s->n; i++)
        free(s->id[i]);
    free(s->id);
    free(s->t);
}

int sync_commit_page(sync_ctx *c, const cJSON *recs, int from, int to, long page,
                     record_map_fn map, void *ctx, char *err, size_t errlen)
{
    static const char nomem[] = "out of memory";
    const char *fail = NULL;
    const cx_redact *red = redactor(c);
    size_t cap = to > from ? (size_t)(to - from) : 1;
    seen_list seen = {malloc(cap * sizeof *seen.id), malloc(cap * sizeof *seen.t), 0};
    owned_text *own = calloc(1, sizeof *own);
    map_buf *b = malloc(sizeof *b);
    cx_response *r = malloc(sizeof *r);
    if (b == NULL || r == NULL || own == NULL || seen.id == NULL || seen.t == NULL) {
        fail = nomem;
        goto out;
    }
    if (store_begin(c->st) != 0) {
        fail = store_error(c->st);
        goto out;
    }
    for (int i = from; i < to && fail == NULL; i++) {
        const cJSON *rec = cJSON_GetArrayItem(recs, i);
        const char *why = "unreadable record";
        store_upsert_result res;
        b->used = 0;
        cx_response_clear(r);
        r->source = c->src->name;
        r->metric = c->metric;                   /* a mapper may refine it (good/bad CSAT) */
        int m = map(c, rec, ctx, r, b, &why);
        if (m == 0 && cx_metric_check(r->metric, r->score, &why) != 0)
            m = -1;                              /* on the 0..10 range but off its metric's scale */
        if (m == 0 && cx_redact_has(red, r->response_id)) {
            m = -1;                              /* an id is kept in the checkpoint: never the token */
            why = "the record's id holds the API token";
        }
        char *raw = NULL, key[18];
        if (m == -1) {
            if ((raw = cJSON_PrintUnformatted(rec)) == NULL) {
                fail = nomem;
                break;
            }
            reject_key(raw, key);
            if (checkpoint_seen(&c->cp, key, r->updated_at))
                m = 1;                           /* rejected when this second was read before */
        }
        if (m == 1) {
            free(raw);
            c->skipped++;
            continue;
        }
        c->fetched++;
        if (seen_add(&seen, cap, m == 0 ? r->response_id : key, r->updated_at) != 0)
            fail = nomem;
        else if (m == 0 && mask_record(red, r, own) != 0)
            fail = nomem;
        else if (m != 0 ? put_reject(c, raw, page, why) != 0 : store_upsert_response(c->st, r, &res) != 0)
            fail = store_error(c->st);
        else if (m == 0 && res == STORE_HELD_ELSEWHERE) {
            /* the same response under another source (a CSV import of this
             * survey): counted once, as a reject that names the holder */
            char held[512];
            snprintf(held, sizeof held, "response_id '%.100s' already held as source %.100s", r->response_id,
                     store_held_by(c->st));
            if ((raw = cJSON_PrintUnformatted(rec)) == NULL) fail = nomem;
            else if (put_reject(c, raw, page, held) != 0) fail = store_error(c->st);
        } else if (m == 0)
            count_upsert(c, res);
        free(raw);
        free_owned(own);
    }
    if (fail == NULL && seen_apply(&seen, &c->cp) != 0)
        fail = nomem;
    if (c->open_from > 0 && c->cp.updated_at >= c->open_from)
        checkpoint_move(&c->cp, c->cp.updated_at);   /* that second may still change */
    if (fail == NULL)
        commit_checkpoint_in_tx(c, &fail);
    if (fail == NULL && store_commit(c->st) != 0)
        fail = store_error(c->st);
out:
    if (own != NULL)
        free_owned(own);
    free(own);
    seen_free(&seen);
    free(b);
    free(r);
    if (fail != NULL) {
        snprintf(err, errlen, "%s%s", fail == nomem || strstr(fail, "API token") ? "" : "store: ",
                 fail);                          /* before the rollback reuses the text */
        store_rollback(c->st);
        return -1;
    }
    c->pages++;
    sync_progress(c, 0);
    return 0;
}

int64_t sync_open_from(const sync_ctx *c)
{
    int64_t d = http_server_date(c->http);
    return d > 2 ? d - 2 : 1;
}

int sync_commit_checkpoint(sync_ctx *c, char *err, size_t errlen)
{
    const char *why = NULL;
    if (store_begin(c->st) != 0 || commit_checkpoint_in_tx(c, &why) != 0 || store_commit(c->st) != 0) {
        if (why != NULL && strstr(why, "API token") != NULL)
            snprintf(err, errlen, "%s", why);
        else
            snprintf(err, errlen, "store: %s", store_error(c->st));   /* before the rollback */
        store_rollback(c->st);
        return -1;
    }
    return 0;
}

/* Progress goes to the caller's callback (the CLI draws it on a terminal). */
void sync_progress(sync_ctx *c, int force)
{
    if (!c->o->progress)
        return;
    double t = now_seconds();
    if (!force && t - c->last_draw < 0.2)
        return;
    c->last_draw = t;
    http_stats hs = {0};
    if (c->http)
        http_get_stats(c->http, &hs);
    double dt = t - c->t0 > 1e-6 ? t - c->t0 : 1e-6;
    char count[160];
    snprintf(count, sizeof count, "%lld pages, %lld responses, %.0f/s, %lld retries", c->pages, c->fetched,
             (double)c->fetched / dt, hs.retries);
    cx_progress_say(c->o->progress, c->src->name, 0, 0, count);
}

/* Field names the map may not target: they come from the vendor's record. */
static int check_fields(const cx_source_cfg *s, char *err, size_t errlen)
{
    for (size_t i = 0; i < s->n_fields; i++) {
        int f = cx_field_lookup(s->fields[i].field);
        if (f == CX_F_SOURCE || f == CX_F_RESPONSE_ID || f == CX_F_SCORE ||
            f == CX_F_RESPONDED_AT || f == CX_F_UPDATED_AT || f == CX_F_METRIC) {
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
        .token = token, .token_env = s->token_env, .auth = v->auth, .auth_header = v->auth_header,
        .basic_user = NULL,
        .max_attempts = c->o->max_attempts > 0 ? c->o->max_attempts : s->max_attempts,
        .deadline_s = c->o->deadline_s > 0 ? c->o->deadline_s : s->deadline_s,
        .timeout_s = s->timeout_s, .connect_timeout_s = s->connect_timeout_s,
        .ca_file = s->ca_file, .sleep_scale = -1,
        .on_retry = c->o->on_retry ? retry_seen : NULL, .retry_ctx = c,
    };
    char user[512];
    if (v->auth == HTTP_AUTH_BASIC) {             /* Zendesk API token: "email/token" */
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
    if (checkpoint_parse(text, &c->cp) != 0 && !c->o->quiet)
        cx_msg("ingest: %s: unreadable checkpoint; syncing everything again", c->src->name);
    free(text);
    return 0;
}

static int sync_source(sync_ctx *c, char *err, size_t errlen)
{
    const cx_source_cfg *s = c->src;
    size_t n = strlen(s->base_url);
    while (n > 0 && s->base_url[n - 1] == '/')
        n--;
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
    if (c->metric < 0)
        c->metric = CX_METRIC_NPS;               /* ingest_check_config refused any other */
    if (check_fields(s, err, errlen) || load_checkpoint(c, err, errlen) || open_client(c, v, err, errlen))
        return -1;
    return v->sync(c, err, errlen);
}

/* Runs one source; 0 ok, -1 failed (message printed).  *REJECTED counts. */
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
        if (!o->quiet) cx_msg("ingest: %s: another cxpulse ingest is syncing this source; waiting", s->name);
        lk = store_lock_source(st, s->name, 1);
    }
    if (lk != 0) {
        cx_msg("ingest: %s: %s", s->name, store_error(st));
        return -1;
    }
    int rc = sync_source(&c, err, sizeof err);
    cx_progress_end(o->progress);   /* the summary line (on_source) says the rest */
    if (c.http != NULL)
        cx_redact_mask(http_redactor(c.http), err);   /* it may quote the vendor */
    if (rc != 0 && c.retired)
        cx_msg("source %s: %s", s->name, err);      /* one plain line: nothing to retry */
    else if (rc != 0)
        cx_msg("ingest: %s: %s", s->name, err);
    char path[600];
    snprintf(path, sizeof path, "%s (%s)", s->vendor, s->name);
    store_import_stats ist = {s->name, path, c.fetched, c.inserted, c.replaced, c.ignored, c.rejected};
    if (store_log_import(st, &ist) != 0 ||
        store_sync_record(st, s->name, (int64_t)time(NULL), c.fetched, rc ? err : NULL) != 0) {
        cx_msg("ingest: %s: store: %s", s->name, store_error(st));
        rc = -1;
    }
    store_unlock_source(st, s->name);
    *rejected += c.rejected;
    if (o->on_source) {
        http_stats hs = {0};
        if (c.http) http_get_stats(c.http, &hs);
        ingest_source_summary sum = {s->name, s->vendor, c.fetched, c.inserted, c.replaced, c.ignored,
                                     c.rejected, hs.retries, now_seconds() - c.t0, rc ? err : NULL};
        o->on_source(&sum, o->ctx);
    }
    http_free(c.http);
    checkpoint_free(&c.cp);
    return rc;
}

int ingest_run(const cx_config *cfg, store *s, const ingest_opts *o)
{
    size_t ok = 0, failed = 0;
    long long rejected = 0;
    if (o->source != NULL && config_source(cfg, o->source) == NULL) {
        cx_msg("ingest: no source named \"%s\" in the config", o->source);
        return 2;
    }
    if (cfg->n_sources == 0) {
        cx_msg("ingest: the config lists no sources");
        return 2;
    }
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const cx_source_cfg *src = &cfg->sources[i];
        if (o->source != NULL && strcmp(o->source, src->name) != 0)
            continue;
        if (run_one(cfg, src, s, o, &rejected) == 0)
            ok++;
        else
            failed++;
    }
    if (failed > 0)
        return ok > 0 ? 3 : 1;
    return rejected > 0 ? 3 : 0;   /* SPEC §5: some rows rejected is a partial success */
}
