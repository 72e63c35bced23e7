/* genesys.c — Genesys Cloud post-call surveys, from the analytics
 * conversation details query (POST /api/v2/analytics/conversations/
 * details/query), with the free-text answer from the quality API
 * (GET /api/v2/quality/surveys/{surveyId}).  OAuth client credentials
 * (ingest/oauth.c): client id from $client_id_env, secret from $token_env.
 *
 * The query selects conversations by the time they happened, but a survey
 * is completed minutes or days after its call.  So every sync reads a
 * window that starts lookback_days (default 7) before the start of the
 * last complete sync and ends now: a survey completed up to lookback_days
 * after its conversation is read by the next sync.  The window is asked in
 * chunks of at most 7 days (conservative: Genesys bounds the intervals of
 * a synchronous details query), each paged by pageNumber in conversation
 * start order.  That order is stable while we page: a new conversation
 * starts "now", at the end, and a survey completed on an old conversation
 * does not move it.  Rows are upserted, so a page read twice changes
 * nothing.  A survey whose completion is before the start of the last
 * complete sync was already read with its final content (a finished
 * survey does not change) and is skipped without a fetch or a write.  The
 * start of the sync being run (the server's Date on its first answer,
 * less 2 s) becomes the checkpoint's token only when the sync completes,
 * so a killed sync is read again from the same window.
 *
 * One response per finished survey, mapped by ingest/genesys_record.c.
 * This file holds the HTTP side: the login, the query, its chunks and
 * pages, and the text of each survey that will be stored.
 */
#include "ingest/vendor.h"
#include "ingest/oauth.h"
#include "ingest/genesys_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeparse.h"

#define CHUNK_S (7 * 86400)
#define FIRST_SYNC_DAYS 90 /* the first sync (and --full) reads this far back */

typedef struct gen {
    sync_ctx *c;
    oauth_client *auth;
    int64_t done_before; /* surveys completed before it were read */
} gen;

/* A request with the bearer renewed when due, and once more after a 401. */
static cJSON *call(gen *g, const char *method, const char *url, const char *body, http_check_fn check,
                   char *err, size_t errlen)
{
    sync_ctx *c = g->c;
    for (int again = 0;; again++) {
        if (oauth_authorize(g->auth, c->http, again, err, errlen) != 0) return NULL;
        cJSON *j = http_json(c->http, method, url, body, check, NULL, &c->last_status, err, errlen);
        if (j != NULL || c->last_status != 401 || again) return j;
    }
}

static int check_query(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    const cJSON *cv = cJSON_GetObjectItemCaseSensitive(body, "conversations");
    if (!cJSON_IsObject(body) || (cv != NULL && !cJSON_IsArray(cv))) {
        *why = "expected {\"conversations\": [...]}";
        return -1;
    }
    return 0;
}

static int check_object(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    if (!cJSON_IsObject(body)) {
        *why = "expected a JSON object";
        return -1;
    }
    return 0;
}

/* Appends ID to the URL in BUF as one path segment, percent-encoded. */
static int add_segment(char *buf, size_t cap, const char *id)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(buf);
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                    *p == '-' || *p == '_' || *p == '.' || *p == '~';
        if (n + (plain ? 1 : 3) >= cap) return -1;
        if (plain) {
            buf[n++] = (char)*p;
        } else {
            buf[n++] = '%';
            buf[n++] = hex[*p >> 4];
            buf[n++] = hex[*p & 15];
        }
    }
    buf[n] = '\0';
    return 0;
}

/* Adds "surveyComment" to SURVEY from the quality API. */
static int fetch_comment(gen *g, cJSON *survey, const char *id, char *err, size_t errlen)
{
    char url[2048];
    if ((size_t)snprintf(url, sizeof url, "%s/api/v2/quality/surveys/", g->c->base) >= sizeof url ||
        add_segment(url, sizeof url, id) != 0) {
        snprintf(err, errlen, "base_url is too long");
        return -1;
    }
    cJSON *sv = call(g, "GET", url, NULL, check_object, err, errlen);
    if (sv == NULL) return g->c->last_status == 404 ? 0 : -1; /* gone: no text to add */
    const char *text = genesys_survey_text(sv);
    int rc = text && !cJSON_AddStringToObject(survey, "surveyComment", text) ? -1 : 0;
    cJSON_Delete(sv);
    if (rc != 0) snprintf(err, errlen, "out of memory");
    return rc;
}

/* The surveys of one page's conversations as records
 * (genesys_record), each with its text when it will be stored. */
static int flatten(gen *g, const cJSON *convs, cJSON *out, char *err, size_t errlen)
{
    const cJSON *conv, *sv;
    map_buf *b = malloc(sizeof *b);
    if (b == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    cJSON_ArrayForEach (conv, convs) {
        cJSON_ArrayForEach (sv, cJSON_GetObjectItemCaseSensitive(conv, "surveys")) {
            cJSON *rec = genesys_record(conv, sv);
            if (rec == NULL || !cJSON_AddItemToArray(out, rec)) {
                cJSON_Delete(rec);
                snprintf(err, errlen, "out of memory");
                rc = -1;
                goto out;
            }
            /* Only a survey that will be stored is worth its text. */
            cx_response *r = malloc(sizeof *r);
            const char *why;
            b->used = 0;
            if (r == NULL) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
                goto out;
            }
            cx_response_clear(r);
            int m = genesys_map(g->c, rec, &g->done_before, r, b, &why);
            free(r);
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "surveyId");
            if (m == 0 && cJSON_IsString(id) && fetch_comment(g, rec, id->valuestring, err, errlen) != 0) {
                rc = -1;
                goto out;
            }
        }
    }
out:
    free(b);
    return rc;
}

static char *query_body(int64_t from, int64_t to, int page_size, long page)
{
    char a[TIME_ISO_LEN], z[TIME_ISO_LEN], interval[2 * TIME_ISO_LEN + 2];
    time_format_iso(from, a);
    time_format_iso(to, z);
    snprintf(interval, sizeof interval, "%s/%s", a, z);
    cJSON *q = cJSON_CreateObject(), *paging = cJSON_CreateObject(), *filters = cJSON_CreateArray();
    cJSON *f = cJSON_CreateObject(), *preds = cJSON_CreateArray(), *p = cJSON_CreateObject();
    char *out = NULL;
    int ok = q && paging && filters && f && preds && p && cJSON_AddStringToObject(q, "interval", interval) &&
             cJSON_AddStringToObject(q, "order", "asc") &&
             cJSON_AddStringToObject(q, "orderBy", "conversationStart") &&
             cJSON_AddNumberToObject(paging, "pageSize", page_size) &&
             cJSON_AddNumberToObject(paging, "pageNumber", (double)page) &&
             cJSON_AddItemToObject(q, "paging", paging);
    if (ok) paging = NULL;
    ok = ok && cJSON_AddStringToObject(f, "type", "and") &&
         cJSON_AddStringToObject(p, "dimension", "surveyStatus") &&
         cJSON_AddStringToObject(p, "value", "Finished") && cJSON_AddItemToArray(preds, p);
    if (ok) p = NULL;
    ok = ok && cJSON_AddItemToObject(f, "predicates", preds);
    if (ok) preds = NULL;
    ok = ok && cJSON_AddItemToArray(filters, f);
    if (ok) f = NULL;
    ok = ok && cJSON_AddItemToObject(q, "surveyFilters", filters);
    if (ok) {
        filters = NULL;
        out = cJSON_PrintUnformatted(q);
    }
    cJSON_Delete(q);
    cJSON_Delete(paging);
    cJSON_Delete(filters);
    cJSON_Delete(f);
    cJSON_Delete(preds);
    cJSON_Delete(p);
    return out;
}

/* Reads the conversations that started in [FROM, TO). */
static int read_chunk(gen *g, int64_t from, int64_t to, char *err, size_t errlen)
{
    sync_ctx *c = g->c;
    char url[2048];
    int size = c->per_page > 100 ? 100 : c->per_page;
    snprintf(url, sizeof url, "%s/api/v2/analytics/conversations/details/query", c->base);
    page_seen seen = {0};
    int rc = -1, biggest = 0; /* the largest page the server has given */
    for (long page = 1;; page++) {
        char *body = query_body(from, to, size, page);
        if (body == NULL) {
            snprintf(err, errlen, "out of memory");
            break;
        }
        cJSON *ans = call(g, "POST", url, body, check_query, err, errlen);
        free(body);
        if (ans == NULL) break;
        const cJSON *convs = cJSON_GetObjectItemCaseSensitive(ans, "conversations"); /* absent when none */
        int n = cJSON_GetArraySize(convs);
        int again = page_seen_repeat(&seen, convs, "conversationId"); /* the server ignores pageNumber? */
        cJSON *recs = again == 0 ? cJSON_CreateArray() : NULL;
        if (again > 0)
            snprintf(err, errlen,
                     "no progress: page %ld holds the same conversations as an earlier page "
                     "(the server ignores pageNumber); stopping",
                     page);
        else if (recs == NULL) snprintf(err, errlen, "out of memory");
        rc = recs ? flatten(g, convs, recs, err, errlen) : -1;
        if (rc == 0)
            rc = sync_commit_page(c, recs, 0, cJSON_GetArraySize(recs), c->pages + 1, genesys_map,
                                  &g->done_before, err, errlen);
        cJSON_Delete(recs);
        cJSON_Delete(ans);
        /* The end is a page shorter than the pages the server gives (it
         * may cap pageSize below what we ask), or an empty one. */
        if (rc != 0 || n == 0 || n < biggest) break;
        biggest = n;
    }
    page_seen_free(&seen);
    return rc;
}

static int open_auth(gen *g, char *err, size_t errlen)
{
    const cx_source_cfg *s = g->c->src;
    const char *id = getenv(s->client_id_env);
    char url[1100];
    size_t n = strlen(s->login_url);
    while (n > 0 && s->login_url[n - 1] == '/') n--;
    if (id == NULL || id[0] == '\0') {
        snprintf(err, errlen, "environment variable $%s (client_id_env) is not set", s->client_id_env);
        return -1;
    }
    if (n > 1000) {
        snprintf(err, errlen, "login_url is too long");
        return -1;
    }
    snprintf(url, sizeof url, "%.*s/oauth/token", (int)n, s->login_url);
    oauth_cfg oc = {url,
                    id,
                    getenv(s->token_env),
                    s->token_env,
                    g->c->o->max_attempts > 0 ? g->c->o->max_attempts : s->max_attempts,
                    g->c->o->deadline_s > 0 ? g->c->o->deadline_s : s->deadline_s,
                    s->timeout_s,
                    s->connect_timeout_s,
                    s->ca_file};
    g->auth = oauth_new(&oc, err, errlen);
    return g->auth ? 0 : -1;
}

int genesys_sync(sync_ctx *c, char *err, size_t errlen)
{
    gen g = {c, NULL, 0};
    int64_t look = (int64_t)c->src->lookback_days * 86400;
    int64_t now = (int64_t)time(NULL), from;
    if (c->fresh) from = c->o->full ? now - (int64_t)FIRST_SYNC_DAYS * 86400 : c->o->since;
    else if ((g.done_before = checkpoint_token_time(&c->cp)) > 0) from = g.done_before - look;
    else from = now - (int64_t)FIRST_SYNC_DAYS * 86400;
    if (open_auth(&g, err, errlen) != 0) return -1;
    int64_t mark = 0, end = 0;
    int rc = 0;
    for (int64_t a = from; rc == 0 && (end == 0 || a < end); a += CHUNK_S) {
        int64_t z = a + CHUNK_S;
        if (end != 0 && z > end) z = end;
        rc = read_chunk(&g, a, z, err, errlen);
        if (rc == 0 && mark == 0) { /* the first answer fixes the sync's start and end */
            int64_t d = http_server_date(c->http);
            mark = (d > 0 ? d : now) - 2;
            end = mark + 120; /* past any conversation that has started */
        }
    }
    oauth_free(g.auth);
    if (rc != 0) return -1;
    char tok[32];
    snprintf(tok, sizeof tok, "%lld", (long long)mark);
    if (checkpoint_set_token(&c->cp, tok) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return sync_commit_checkpoint(c, err, errlen);
}
