/* zendesk.c — Zendesk satisfaction ratings (GET /api/v2/satisfaction_ratings.json),
 * API-token auth ("{email}/token" and the token, HTTP Basic).
 *
 * Cursor pagination: page[size]=100, then links.next as given while
 * meta.has_more (a next link to another host is refused: it would carry
 * the credentials there).  Ratings come in creation order; a new rating is
 * created "now", at the end, and a changed one keeps its place, so a walk
 * skips nothing that existed when it began.
 *
 * Incremental by time window with an overlap: start_time (on created_at)
 * is lookback_days (default 7) before the start of the last complete walk,
 * so a rating changed within a week of its creation (good to bad while the
 * ticket is still open) is read again.  A rating updated before that start
 * was read with that content then and is skipped without a write.  The
 * start of the walk being run (the server's Date on its first page, less
 * 2 s) becomes the checkpoint's token only when the walk completes.  The
 * first sync and --full read every rating; --since DATE starts there.
 *
 * score=received asks for answered ratings only; "offered" and "unoffered"
 * ratings (a survey sent, not answered) are skipped here too, so they are
 * never responses.  good/bad is CSAT stored 1/0 on a 0..1 scale; the agent
 * is the assignee at rating time.
 */
#include "ingest/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int zendesk_map(sync_ctx *c, const cJSON *rec, void *ctx, cx_response *r, map_buf *b, const char **why)
{
    const int64_t *done_before = ctx;
    if (map_record_id(rec, "id", "rating is not an object", "rating has no id", r, b, why) != 0) return -1;
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(rec, "score");
    if (cJSON_IsString(sc) &&
        (strcmp(sc->valuestring, "offered") == 0 || strcmp(sc->valuestring, "unoffered") == 0))
        return 1; /* sent, not answered: not a response */
    if (map_record_times(rec, "created_at", "created_at: missing or not a time", "updated_at",
                         "updated_at: not a time", r, why) != 0)
        return -1;
    if (done_before != NULL && r->updated_at < *done_before) return 1;
    if (!cJSON_IsString(sc) ||
        (strcmp(sc->valuestring, "good") != 0 && strcmp(sc->valuestring, "bad") != 0)) {
        *why = sc == NULL || cJSON_IsNull(sc) ? "score is missing" : "score is not good or bad";
        return -1;
    }
    r->metric = CX_METRIC_CSAT_BINARY;
    r->score = strcmp(sc->valuestring, "good") == 0;
    const cJSON *cm = cJSON_GetObjectItemCaseSensitive(rec, "comment");
    r->comment = cJSON_IsString(cm) ? cm->valuestring : "";
    return map_fields(c, rec, vendor_defaults(c), NULL, r, b, why);
}

static int check_page(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(body, "satisfaction_ratings"))) {
        *why = "expected {\"satisfaction_ratings\": [...]}";
        return -1;
    }
    return 0;
}

/* The next page's URL when meta.has_more: links.next on our host, else
 * page[after] = meta.after_cursor on the first page's URL; and only when
 * it moves on (page_seen_next: no token, no link or page
 * seen before in this walk, not after an empty page).
 * 1 = a next page (in URL), 0 = done, -1 = refused (ERR). */
static int next_url(const sync_ctx *c, const cJSON *body, page_seen *seen, long page, const char *first,
                    char *url, size_t cap, char *err, size_t errlen)
{
    const cJSON *more = json_path(body, "meta.has_more"), *next = json_path(body, "links.next");
    const cJSON *cursor = json_path(body, "meta.after_cursor");
    char built[4096];
    const char *to;
    if (!cJSON_IsTrue(more)) return 0;
    size_t n = strlen(c->base);
    if (cJSON_IsString(next) && strncmp(next->valuestring, c->base, n) == 0 &&
        (next->valuestring[n] == '/' || next->valuestring[n] == '?')) {
        to = next->valuestring; /* the link as given, on our host */
    } else if (cJSON_IsString(cursor) && cursor->valuestring[0]) {
        /* A link to another host (a proxy's name for itself) is not
         * followed: the credentials would go there.  The cursor, though,
         * is the documented way on: page[after] on the first request. */
        if ((size_t)snprintf(built, sizeof built, "%s", first) >= sizeof built ||
            http_url_add(built, sizeof built, "page[after]", cursor->valuestring) != 0) {
            snprintf(err, errlen, "meta.after_cursor is too long");
            return -1;
        }
        to = built;
    } else {
        snprintf(err, errlen,
                 "meta.has_more without a links.next on base_url's host or a meta.after_cursor; stopped");
        return -1;
    }
    if (strlen(to) >= cap) {
        snprintf(err, errlen, "links.next is too long");
        return -1;
    }
    if (page_seen_next(seen, c, to, cJSON_GetObjectItemCaseSensitive(body, "satisfaction_ratings"), "id",
                       page, err, errlen) != 0)
        return -1;
    snprintf(url, cap, "%s", to);
    return 1;
}

int zendesk_sync(sync_ctx *c, char *err, size_t errlen)
{
    int64_t done_before = c->fresh ? 0 : checkpoint_token_time(&c->cp);
    int64_t start = c->fresh          ? (c->o->full ? 0 : c->o->since)
                    : done_before > 0 ? done_before - (int64_t)c->src->lookback_days * 86400
                                      : 0;
    char url[4096], num[32];
    snprintf(url, sizeof url, "%s/api/v2/satisfaction_ratings.json", c->base);
    snprintf(num, sizeof num, "%d", c->per_page > 100 ? 100 : c->per_page);
    int bad = http_url_add(url, sizeof url, "score", "received") ||
              http_url_add(url, sizeof url, "page[size]", num);
    snprintf(num, sizeof num, "%lld", (long long)(start > 0 ? start : 0));
    if (bad || (start > 0 && http_url_add(url, sizeof url, "start_time", num) != 0)) {
        snprintf(err, errlen, "base_url is too long");
        return -1;
    }
    char first[4096];
    snprintf(first, sizeof first, "%s", url);
    int64_t mark = 0;
    page_seen seen = {0};
    int rc = 0;
    for (long page = 1;; page++) {
        cJSON *body = http_json(c->http, "GET", url, NULL, check_page, NULL, &c->last_status, err, errlen);
        if (body == NULL || page_seen_note(&seen, 'u', url, strlen(url)) < 0) {
            if (body != NULL) snprintf(err, errlen, "out of memory");
            cJSON_Delete(body);
            page_seen_free(&seen);
            return -1;
        }
        if (page == 1) {
            int64_t d = http_server_date(c->http);
            mark = (d > 0 ? d : (int64_t)time(NULL)) - 2;
        }
        const cJSON *rows = cJSON_GetObjectItemCaseSensitive(body, "satisfaction_ratings");
        rc = sync_commit_page(c, rows, 0, cJSON_GetArraySize(rows), page, zendesk_map, &done_before, err,
                              errlen);
        if (rc == 0) rc = next_url(c, body, &seen, page, first, url, sizeof url, err, errlen);
        cJSON_Delete(body);
        if (rc <= 0) break;
    }
    page_seen_free(&seen);
    if (rc < 0) return -1;
    snprintf(num, sizeof num, "%lld", (long long)mark);
    if (checkpoint_set_token(&c->cp, num) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return sync_commit_checkpoint(c, err, errlen);
}
