/* qualtrics.c — Qualtrics survey responses through the asynchronous export:
 * POST …/export-responses → poll …/export-responses/{progressId} →
 * GET …/export-responses/{fileId}/file (JSON, compress=false).
 *
 * Incremental: every export asks allowContinuation=true; the continuation
 * token of a finished export is saved in the checkpoint, and the next run
 * exports with it, which returns the responses recorded OR CHANGED since —
 * so edits are picked up (a startDate filter on recordedDate cannot see
 * them).  When Qualtrics refuses a token (expired), the run falls back to
 * startDate = the newest recordedDate seen (inclusive, deduped by the
 * upsert).  --since exports with startDate; --full with neither.
 *
 * The file is written in chunks of CHUNK rows, each chunk with the
 * checkpoint in one transaction; the new token goes into the last one, so a
 * crash mid-file makes the rerun export again from the old token.
 */
#include "ingest/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/redact.h"
#include "core/timeparse.h"

#define CHUNK 500

int qualtrics_map(sync_ctx *c, const cJSON *rec, void *ctx, cx_response *r, map_buf *b, const char **why)
{
    const char *const *q = ctx;
    const char *nps = q ? q[0] : c->src->nps_question;
    const char *text = q ? q[1] : c->src->comment_question;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(rec, "responseId");
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(rec, "values");
    if (!cJSON_IsString(id) || id->valuestring[0] == '\0') {
        *why = "record has no responseId";
        return -1;
    }
    r->response_id = id->valuestring;
    if (!cJSON_IsObject(values)) {
        *why = "record has no values";
        return -1;
    }
    const cJSON *when = cJSON_GetObjectItemCaseSensitive(values, "recordedDate");
    if (when == NULL) when = cJSON_GetObjectItemCaseSensitive(values, "endDate");
    if (json_time(when, &r->responded_at, why) != 0) {
        *why = "recordedDate: missing or not a time";
        return -1;
    }
    r->updated_at = r->responded_at;
    const cJSON *mod = cJSON_GetObjectItemCaseSensitive(values, "lastModifiedDate");
    if (mod != NULL && !cJSON_IsNull(mod) && json_time(mod, &r->updated_at, why) != 0) return -1;
    nps = nps && nps[0] ? nps : "QID1";
    text = text && text[0] ? text : "QID2_TEXT";
    if (json_score(cJSON_GetObjectItemCaseSensitive(values, nps), &r->score, why) != 0) return -1;
    const cJSON *cm = cJSON_GetObjectItemCaseSensitive(values, text);
    r->comment = cJSON_IsString(cm) ? cm->valuestring : "";
    return map_fields(c, rec, vendor_defaults(c), NULL, r, b, why);
}

static int check_start(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    const cJSON *id =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(body, "result"), "progressId");
    *why = "no result.progressId";
    return cJSON_IsString(id) && id->valuestring[0] ? 0 : -1;
}

static int check_progress(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(body, "result");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(res, "status");
    const cJSON *file = cJSON_GetObjectItemCaseSensitive(res, "fileId");
    *why = "no result.status (or no fileId when complete)";
    if (!cJSON_IsString(st)) return -1;
    return strcmp(st->valuestring, "complete") != 0 || cJSON_IsString(file) ? 0 : -1;
}

static int check_file(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    *why = "no responses array";
    return cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(body, "responses")) ? 0 : -1;
}

static int safe_id(const char *s)
{
    if (s == NULL || !*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-'))
            return 0;
    return 1;
}

/* An id from Qualtrics that goes into the next URL's path: letters,
 * digits, _ and -, and never the token (a token goes into no URL, and the
 * path is shown in messages).  0 ok, -1 with ERR naming WHAT. */
static int url_id_ok(sync_ctx *c, const char *id, const char *what, char *err, size_t errlen)
{
    if (!safe_id(id)) snprintf(err, errlen, "unexpected %s", what);
    else if (cx_redact_has(http_redactor(c->http), id))
        snprintf(err, errlen, "the export's %s holds the API token; not put into a URL", what);
    else return 0;
    return -1;
}

/* POSTs the export request; *STATUS gets the HTTP status. */
static cJSON *start_export(sync_ctx *c, const char *url, int use_token, long *status, char *err,
                           size_t errlen)
{
    char *body = NULL, iso[TIME_ISO_LEN];
    cJSON *req = cJSON_CreateObject(), *res = NULL;
    int bad = req == NULL || !cJSON_AddStringToObject(req, "format", "json") ||
              !cJSON_AddFalseToObject(req, "compress") || !cJSON_AddTrueToObject(req, "allowContinuation");
    if (!bad && use_token) {
        bad = !cJSON_AddStringToObject(req, "continuationToken", c->cp.token);
    } else if (!bad && c->fresh && c->cp.updated_at > 0) {
        /* --since DATE only.  startDate filters on the recorded date, so
         * the checkpoint's time (the newest *update* seen) is no place to
         * resume from: a first export killed midway, or a refused token,
         * exports everything again and the upsert drops the copies. */
        time_format_iso(c->cp.updated_at, iso);
        bad = !cJSON_AddStringToObject(req, "startDate", iso);
    }
    if (bad || (body = cJSON_PrintUnformatted(req)) == NULL) snprintf(err, errlen, "out of memory");
    else res = http_json(c->http, "POST", url, body, check_start, NULL, status, err, errlen);
    free(body);
    cJSON_Delete(req);
    return res;
}

/* A copy of the id or token WHAT, or NULL with ERR (out of memory).  The
 * vendor's strings are kept whole: a cut token is refused by the next
 * export, a cut id names another export. */
static char *keep(const char *s, const char *what, char *err, size_t errlen)
{
    char *t = strdup(s);
    if (t == NULL)
        snprintf(err, errlen, "out of memory keeping the export's %s (%zu bytes)", what, strlen(s));
    return t;
}

/* PREFIX/ID[SUFFIX] into URL (CAP bytes); -1 with ERR naming WHAT when it
 * does not fit (never a cut URL, which would name another export). */
static int id_url(char *url, size_t cap, const char *prefix, const char *id, const char *suffix,
                  const char *what, char *err, size_t errlen)
{
    int n = snprintf(url, cap, "%s/%s%s", prefix, id, suffix);
    if (n >= 0 && (size_t)n < cap) return 0;
    snprintf(err, errlen, "the export's %s is too long for a URL (%zu bytes)", what, strlen(id));
    return -1;
}

/* Polls until complete; *FILE_ID and *TOKEN (both owned by the caller,
 * *TOKEN NULL when the export has none) get the fileId and continuation
 * token. */
static int wait_export(sync_ctx *c, const char *prefix, const char *pid, char **file_id, char **token,
                       char *err, size_t errlen)
{
    char url[4096];
    double delay = 0.5;
    if (id_url(url, sizeof url, prefix, pid, "", "progressId", err, errlen) != 0) return -1;
    for (;;) {
        cJSON *p = http_json(c->http, "GET", url, NULL, check_progress, NULL, NULL, err, errlen);
        if (p == NULL) return -1;
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(p, "result");
        const char *st = cJSON_GetObjectItemCaseSensitive(res, "status")->valuestring;
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(res, "fileId");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(res, "continuationToken");
        int done = strcmp(st, "complete") == 0, failed = strcmp(st, "failed") == 0, rc = 0;
        if (done) {
            int has_token = cJSON_IsString(t) && t->valuestring[0];
            *file_id = keep(f->valuestring, "fileId", err, errlen);
            *token = has_token ? keep(t->valuestring, "continuationToken", err, errlen) : NULL;
            rc = *file_id == NULL || (has_token && *token == NULL) ? -1 : 0;
        }
        cJSON_Delete(p);
        if (failed) {
            snprintf(err, errlen, "GET export progress: the export failed at Qualtrics");
            return -1;
        }
        if (done) return rc != 0 ? -1 : url_id_ok(c, *file_id, "fileId", err, errlen);
        if (http_pause(c->http, delay, 1) != 0) {
            snprintf(err, errlen, "deadline exceeded while the export was in progress");
            return -1;
        }
        delay = delay * 1.5 < 5 ? delay * 1.5 : 5;
    }
}

/* Stores the export's file; TOKEN (NULL = none) goes into the checkpoint
 * with the last chunk. */
static int load_file(sync_ctx *c, const char *prefix, const char *file_id, const char *token, char *err,
                     size_t errlen)
{
    char url[4096];
    if (id_url(url, sizeof url, prefix, file_id, "/file", "fileId", err, errlen) != 0) return -1;
    cJSON *doc = http_json(c->http, "GET", url, NULL, check_file, NULL, NULL, err, errlen);
    if (doc == NULL) return -1;
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "responses");
    int n = cJSON_GetArraySize(rows), rc = 0;
    long page = 0;
    for (int from = 0; rc == 0 && from < n; from += CHUNK) {
        int to = n - from > CHUNK ? from + CHUNK : n;
        if (to == n && checkpoint_set_token(&c->cp, token) != 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        rc = sync_commit_page(c, rows, from, to, ++page, qualtrics_map, NULL, err, errlen);
    }
    if (rc == 0 && n == 0) {
        if (checkpoint_set_token(&c->cp, token) != 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        } else {
            rc = sync_commit_checkpoint(c, err, errlen);
        }
    }
    cJSON_Delete(doc);
    return rc;
}

int qualtrics_sync(sync_ctx *c, char *err, size_t errlen)
{
    char prefix[1024];
    const char *sid = c->src->survey_id;
    size_t n = strlen(c->base);
    if (!safe_id(sid)) {
        snprintf(err, errlen, "survey_id is missing or has characters other than letters, digits, _ and -");
        return -1;
    }
    /* base_url is the data centre (https://xx1.qualtrics.com); /API/v3 is ours to add. */
    int has_api = n >= 7 && strcmp(c->base + n - 7, "/API/v3") == 0;
    int len = snprintf(prefix, sizeof prefix, "%s%s/surveys/%s/export-responses", c->base,
                       has_api ? "" : "/API/v3", sid);
    if (len < 0 || (size_t)len >= sizeof prefix) {
        snprintf(err, errlen, "base_url and survey_id are too long for a URL");
        return -1;
    }
    int use_token = !c->fresh && c->cp.token != NULL;
    long status = 0;
    cJSON *start = start_export(c, prefix, use_token, &status, err, errlen);
    if (start == NULL && use_token && status == 400) {
        sync_say(c->o, 1, "ingest: %s: continuation token refused (%s); exporting every response again",
                 c->src->name, err);
        start = start_export(c, prefix, 0, &status, err, errlen);
    }
    if (start == NULL) return -1;
    const char *pid =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(start, "result"), "progressId")
            ->valuestring;
    char *progress_id = keep(pid, "progressId", err, errlen), *file_id = NULL, *token = NULL;
    cJSON_Delete(start);
    int rc = progress_id == NULL || url_id_ok(c, progress_id, "progressId", err, errlen) != 0 ||
                     wait_export(c, prefix, progress_id, &file_id, &token, err, errlen) != 0
                 ? -1
                 : load_file(c, prefix, file_id, token, err, errlen);
    free(progress_id);
    free(file_id);
    free(token);
    return rc;
}
