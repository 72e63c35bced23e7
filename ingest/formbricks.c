/* formbricks.c — Formbricks responses through the management API v1
 * (GET /api/v1/management/responses?surveyId=…&limit=…&skip=…, header
 * x-api-key), self-hosted or cloud.
 *
 * The v1 list has no filter on update time and pages by offset over the
 * survey's responses in creation order.  Creation order does not change
 * when a response is edited, and a new response is created "now", at one
 * end of it: it shifts the rows forward, and a row is shown twice (the
 * upsert removes that).  A response deleted during the walk shifts them
 * back, and the row that moved across the page's edge would be skipped:
 * so each page starts one row early, on the last row of the page before
 * (the anchor).  Rows up to the last one the page before held are passed
 * over; when none of them is on the page (rows were deleted before it, or
 * the page is empty), the walk steps back a page and looks again
 * (walk_step).  So the walk skips no row that existed when it began.
 * Every sync walks the whole list, and what makes it incremental is the
 * write side: a response whose updatedAt is older than the start of the
 * last COMPLETE walk (the server's Date of its first page, less a 2 s
 * margin, kept as the checkpoint's token) less lookback_days was read with
 * that content or a newer one by that walk, and is skipped without
 * touching the store.  A walk killed half-way leaves the token as it was,
 * so the next walk skips exactly what the last complete one covered.  Rows
 * edited or created during a walk carry an updatedAt after its start and
 * are read again by the next one.
 *
 * Formbricks answers 429 without Retry-After: the HTTP client backs off
 * exponentially with jitter (ingest/http.c).
 */
#include "ingest/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int formbricks_map(sync_ctx *c, const cJSON *rec, void *ctx, cx_response *r, map_buf *b, const char **why)
{
    const int64_t *done_before = ctx; /* the start of the last complete walk */
    const char *nps = c->src->nps_question, *text = c->src->comment_question;
    if (map_record_id(rec, "id", "record is not an object", "record has no id", r, b, why) != 0 ||
        map_record_times(rec, "createdAt", "createdAt: missing or not a time", "updatedAt",
                         "updatedAt: not a time", r, why) != 0)
        return -1;
    if (done_before != NULL && r->updated_at < *done_before) return 1; /* read by the last complete walk */
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(rec, "data");
    const cJSON *score = nps ? cJSON_GetObjectItemCaseSensitive(data, nps) : NULL;
    if ((score == NULL || cJSON_IsNull(score)) &&
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "finished")))
        return 1; /* not answered yet: it is read again when it is */
    if (json_score(score, &r->score, why) != 0) return -1;
    const cJSON *cm = text ? cJSON_GetObjectItemCaseSensitive(data, text) : NULL;
    r->comment = cJSON_IsString(cm) ? cm->valuestring : "";
    return map_fields(c, rec, vendor_defaults(c), NULL, r, b, why);
}

static int check_page(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(body, "data"))) {
        *why = "expected {\"data\": [responses]}";
        return -1;
    }
    return 0;
}

/* Rows updated before this are skipped: lookback_days before the start
 * of the last complete walk (the checkpoint's token), as Zendesk and
 * Genesys re-read, so that a row the last walk missed (created just
 * after it on a server whose Date ran ahead of its records' times) is
 * read by the next walks of that many days. */
static int64_t done_before(const sync_ctx *c)
{
    if (c->fresh) return c->o->full ? 0 : c->o->since;
    int64_t t = checkpoint_token_time(&c->cp), look = (int64_t)c->src->lookback_days * 86400;
    return t > look ? t - look : 0;
}

/* How many times one walk may step back before it gives up: each step
 * back means responses were deleted while it read, and a list that keeps
 * shrinking under it is read again by the next sync. */
#define MAX_STEPS_BACK 64

/* The walk's place in the list: the ids of the page read last. */
typedef struct walk_anchor {
    strmap *ids;
    map_buf *b;
    int set; /* a page was read, and the next one starts on its last row */
} walk_anchor;

/* The id of ROW as text (borrowed, or in a->b until the next call), or NULL. */
static const char *row_id(walk_anchor *a, const cJSON *row)
{
    a->b->used = 0;
    return json_text(cJSON_GetObjectItemCaseSensitive(row, "id"), a->b);
}

/* ROWS as the page read last; the next starts on its last row when
 * OVERLAP, unless that row has no id (rejected): nothing to find then. */
static int anchor_note(walk_anchor *a, const cJSON *rows, int overlap)
{
    const cJSON *it;
    const char *id = NULL;
    strmap_clear(a->ids);
    cJSON_ArrayForEach (it, rows) {
        int added;
        if ((id = row_id(a, it)) != NULL &&
            strmap_put(a->ids, id, strmap_count(a->ids), &added) == (size_t)-1)
            return -1;
    }
    a->set = overlap && id != NULL;
    return 0;
}

/* Where the page's new rows start: after the last row the page before
 * held; -1 when it holds none of them. */
static int anchor_after(walk_anchor *a, const cJSON *rows)
{
    if (!a->set) return 0;
    int i = 0, after = -1; /* by the rows' links: cJSON_GetArrayItem walks from the first */
    const cJSON *it;
    cJSON_ArrayForEach (it, rows) {
        const char *id = row_id(a, it);
        i++;
        if (id != NULL && strmap_get(a->ids, id) != (size_t)-1) after = i;
    }
    return after;
}

int formbricks_sync(sync_ctx *c, char *err, size_t errlen)
{
    int64_t x = done_before(c);
    int64_t mark = 0;
    long skip = 0;
    int biggest = 0;         /* the largest page the server has given */
    int backs = 0, back = 0; /* steps back in all; the page asked is one */
    page_seen seen = {0};
    walk_anchor anchor = {strmap_new(), malloc(sizeof(map_buf)), 0};
    if (anchor.ids == NULL || anchor.b == NULL) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (long page = 1;; page++) {
        char url[2048], num[32];
        snprintf(url, sizeof url, "%s/api/v1/management/responses", c->base);
        int bad = http_url_add(url, sizeof url, "surveyId", c->src->survey_id);
        snprintf(num, sizeof num, "%d", c->per_page);
        bad = bad || http_url_add(url, sizeof url, "limit", num);
        snprintf(num, sizeof num, "%ld", skip);
        if (bad || http_url_add(url, sizeof url, "skip", num) != 0) {
            snprintf(err, errlen, "base_url is too long");
            goto fail;
        }
        cJSON *body = http_json(c->http, "GET", url, NULL, check_page, NULL, &c->last_status, err, errlen);
        if (body == NULL) goto fail;
        if (page == 1) { /* the walk starts at the server's clock */
            int64_t d = http_server_date(c->http);
            mark = (d > 0 ? d : (int64_t)time(NULL)) - 2;
        }
        const cJSON *rows = cJSON_GetObjectItemCaseSensitive(body, "data");
        int n = cJSON_GetArraySize(rows), from = anchor_after(&anchor, rows), rc = -1;
        if (from < 0 && skip > 0) {
            /* Responses before the anchor were deleted: the rows after it
             * moved back past this page's start.  A page back holds it. */
            if (++backs > MAX_STEPS_BACK)
                snprintf(err, errlen,
                         "the responses kept moving under the walk (stepped back %d times at page %ld); "
                         "stopping: the next sync walks again",
                         MAX_STEPS_BACK, page);
            else {
                long step = biggest > 1 ? biggest - 1 : 1;
                skip = skip > step ? skip - step : 0;
                rc = 1;
            }
        } else {
            /* (a page read after a step back may repeat an earlier one) */
            int again = back ? 0 : page_seen_repeat(&seen, rows, "id"); /* the server ignores skip? */
            if (again < 0) snprintf(err, errlen, "out of memory");
            else if (again > 0)
                snprintf(err, errlen,
                         "no progress: page %ld (skip %ld) holds the same responses as an earlier "
                         "page (the server ignores skip); stopping",
                         page, skip);
            else
                rc = sync_commit_page(c, rows, from < 0 ? 0 : from, n, page, formbricks_map, &x, err, errlen);
            if (rc == 0 && anchor_note(&anchor, rows, n > 1 && n >= biggest) != 0) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
            }
        }
        cJSON_Delete(body);
        if (rc < 0) goto fail;
        back = rc == 1;
        if (back) continue;
        /* The end is a page shorter than the pages the server gives (it
         * may cap limit below what we ask), or an empty one. */
        if (n == 0 || n < biggest) break;
        biggest = n;
        skip += anchor.set ? n - 1 : n; /* the next page starts on this one's last row */
    }
    strmap_free(anchor.ids);
    free(anchor.b);
    page_seen_free(&seen);
    char tok[32];
    snprintf(tok, sizeof tok, "%lld", (long long)(mark > 0 ? mark : 0));
    if (checkpoint_set_token(&c->cp, tok) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return sync_commit_checkpoint(c, err, errlen);
fail:
    strmap_free(anchor.ids);
    free(anchor.b);
    page_seen_free(&seen);
    return -1;
}
