/* surveymonkey.c — SurveyMonkey responses (GET /v3/surveys/{id}/details,
 * then /v3/surveys/{id}/responses/bulk).
 *
 * The details map the NPS question's 11 choice ids to 0..10 by position.
 * Paging follows links.next exactly as given.  Because those links are page
 * numbers, a row edited while we page (it moves to the end of the
 * date_modified order) would shift the later rows back by one and make us
 * skip one.  So each walk is a fixed window — start_modified_at = the
 * checkpoint second (inclusive), end_modified_at = a second already over at
 * the server (from its Date header) — sorted by date_modified ascending: no
 * row can be stamped inside the window while we page, an edit can only take
 * a row OUT of it, which changes "total"; when it changes, the page is
 * dropped and the walk restarts from the checkpoint (nothing committed is
 * lost, nothing skipped).
 *
 * Rows stamped after a window's end are read by the next window.  The run
 * ends after a window that took ONE request: that answer is the whole
 * window, and the window ends after every change made before the request
 * that preceded it.  A window that took more (pages, or a walk restarted
 * because rows moved) may have let rows change after its end, so another
 * window follows.  Hence a run that starts once the data has stopped
 * changing reads everything (its first window ends after the last change);
 * while the data keeps changing, the run stops after MAX_WINDOWS and the
 * next run goes on from the checkpoint.
 */
#include "ingest/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeparse.h"

#define MAX_WINDOWS 20
#define MAX_RESTARTS 200

/* The answers of question QID in a response, or NULL. */
static const cJSON *answers_of(const cJSON *rec, const char *qid)
{
    const cJSON *pg, *q;
    cJSON_ArrayForEach (pg, cJSON_GetObjectItemCaseSensitive(rec, "pages"))
        cJSON_ArrayForEach (q, cJSON_GetObjectItemCaseSensitive(pg, "questions")) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(q, "id");
            if (cJSON_IsString(id) && strcmp(id->valuestring, qid) == 0)
                return cJSON_GetObjectItemCaseSensitive(q, "answers");
        }
    return NULL;
}

int surveymonkey_map(sync_ctx *c, const cJSON *rec, void *ctx, cx_response *r, map_buf *b, const char **why)
{
    const sm_survey *sv = ctx;
    const char *id = json_text(cJSON_GetObjectItemCaseSensitive(rec, "id"), b);
    if (!cJSON_IsObject(rec) || id == NULL || id[0] == '\0') {
        *why = "record has no id";
        return -1;
    }
    r->response_id = id;
    if (json_time(cJSON_GetObjectItemCaseSensitive(rec, "date_created"), &r->responded_at, why) != 0) {
        *why = "date_created: missing or not a time";
        return -1;
    }
    const cJSON *mod = cJSON_GetObjectItemCaseSensitive(rec, "date_modified");
    r->updated_at = r->responded_at;
    if (mod != NULL && !cJSON_IsNull(mod) && json_time(mod, &r->updated_at, why) != 0) return -1;
    if (checkpoint_seen(&c->cp, r->response_id, r->updated_at)) return 1;
    const cJSON *ans = cJSON_GetArrayItem(answers_of(rec, sv->nps_id), 0);
    const cJSON *choice = cJSON_GetObjectItemCaseSensitive(ans, "choice_id");
    const char *cid = json_text(choice, b);
    if (cid == NULL) {
        *why = "score is missing (no answer to the NPS question)";
        return -1;
    }
    r->score = -1;
    for (int i = 0; i <= 10; i++)
        if (strcmp(sv->choice_ids[i], cid) == 0) r->score = i;
    if (r->score < 0) {
        *why = "score: choice_id is not one of the NPS question's choices";
        return -1;
    }
    r->comment = "";
    if (sv->comment_id[0]) {
        const cJSON *text =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(answers_of(rec, sv->comment_id), 0), "text");
        if (cJSON_IsString(text)) r->comment = text->valuestring;
    }
    return map_fields(c, rec, vendor_defaults(c), "custom_variables", r, b, why);
}

/* 1 when ID is already one of SV's choice ids (a score must map to one id). */
static int choice_known(const sm_survey *sv, const char *id)
{
    for (int i = 0; i <= 10; i++)
        if (strcmp(sv->choice_ids[i], id) == 0) return 1;
    return 0;
}

/* The score (0..10) of a choice at POS, its 1-based position, given as a
 * JSON number or as the text of a whole number ("11": vendors send numbers
 * as text).  Anything else is -1 with *WHY: the array's order is no
 * fallback, as a list sent in descending order would invert every score. */
static int choice_slot(const cJSON *pos, const char **why)
{
    double v = -1;
    if (pos == NULL || cJSON_IsNull(pos)) {
        *why = "has no position";
        return -1;
    }
    if (cJSON_IsNumber(pos)) {
        v = pos->valuedouble;
    } else if (cJSON_IsString(pos)) { /* digits only: no sign, space or fraction */
        const char *t = pos->valuestring;
        size_t n = strspn(t, "0123456789");
        v = n > 0 && n <= 2 && t[n] == '\0' ? strtol(t, NULL, 10) : -1;
    }
    /* v is compared before the cast: a double out of int range must not be cast */
    if (!(v >= 1 && v <= 11) || v != (double)(int)v) {
        *why = "has a position that is not a whole number from 1 to 11";
        return -1;
    }
    return (int)v - 1;
}

static const char *cid_of(const cJSON *choice)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(choice, "id");
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* What is wrong with CHOICE of the NPS question given the choices already
 * in SV, or NULL with *SLOT its score. */
static const char *choice_problem(const sm_survey *sv, const cJSON *choice, int *slot)
{
    const char *why = NULL, *id = cid_of(choice);
    *slot = choice_slot(cJSON_GetObjectItemCaseSensitive(choice, "position"), &why);
    if (*slot < 0) return why;
    if (sv->choice_ids[*slot][0]) return "repeats the position of another choice";
    if (id == NULL || id[0] == '\0') return "has no id";
    if (strlen(id) >= sizeof sv->choice_ids[*slot]) return "has an id too long";
    if (choice_known(sv, id)) return "repeats the id of another choice";
    return NULL;
}

/* The question named by WANT: its id, or "Qn" for the n-th question. */
static const cJSON *find_question(const cJSON *details, const char *want, int need_choices)
{
    const cJSON *pg, *q;
    long nth = 0, k = 0;
    if (want && (want[0] == 'Q' || want[0] == 'q') && want[1] >= '1' && want[1] <= '9') {
        char *end;
        nth = strtol(want + 1, &end, 10);
        if (*end != '\0') nth = 0;
    }
    cJSON_ArrayForEach (pg, cJSON_GetObjectItemCaseSensitive(details, "pages"))
        cJSON_ArrayForEach (q, cJSON_GetObjectItemCaseSensitive(pg, "questions")) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(q, "id");
            const cJSON *fam = cJSON_GetObjectItemCaseSensitive(q, "family");
            const cJSON *ch =
                cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(q, "answers"), "choices");
            k++;
            if (want && want[0]) {
                if ((cJSON_IsString(id) && strcmp(id->valuestring, want) == 0) || k == nth) return q;
            } else if (need_choices ? cJSON_GetArraySize(ch) == 11
                                    : cJSON_IsString(fam) && strcmp(fam->valuestring, "open_ended") == 0) {
                return q;
            }
        }
    return NULL;
}

int sm_survey_from_details(const cJSON *details, const char *nps_question, const char *comment_question,
                           sm_survey *sv, char *err, size_t errlen)
{
    memset(sv, 0, sizeof *sv);
    const cJSON *q = find_question(details, nps_question, 1);
    const cJSON *ch =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(q, "answers"), "choices");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(q, "id"), *it;
    if (q == NULL || !cJSON_IsString(id)) {
        snprintf(err, errlen, "survey details: no NPS question%s%s (set nps_question)",
                 nps_question && nps_question[0] ? " " : "", nps_question ? nps_question : "");
        return -1;
    }
    if (cJSON_GetArraySize(ch) != 11) {
        snprintf(err, errlen, "survey details: question %s has %d choices, not the 11 of a 0-10 scale",
                 id->valuestring, cJSON_GetArraySize(ch));
        return -1;
    }
    snprintf(sv->nps_id, sizeof sv->nps_id, "%s", id->valuestring);
    int k = 0;
    cJSON_ArrayForEach (it, ch) {
        int slot;
        const char *why = choice_problem(sv, it, &slot);
        k++;
        if (why != NULL) {
            snprintf(err, errlen, "survey details: choice %d of question %s %s", k, sv->nps_id, why);
            return -1;
        }
        snprintf(sv->choice_ids[slot], sizeof sv->choice_ids[slot], "%s", cid_of(it));
    }
    q = find_question(details, comment_question, 0);
    id = cJSON_GetObjectItemCaseSensitive(q, "id");
    if (comment_question && comment_question[0] && !cJSON_IsString(id)) {
        snprintf(err, errlen, "survey details: no question %s (comment_question)", comment_question);
        return -1;
    }
    if (cJSON_IsString(id)) snprintf(sv->comment_id, sizeof sv->comment_id, "%s", id->valuestring);
    return 0;
}

static int check_details(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    *why = "no pages in the survey details";
    return cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(body, "pages")) ? 0 : -1;
}

static int check_bulk(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    *why = "no data array";
    return cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(body, "data")) ? 0 : -1;
}

/* "scheme://host[:port]" of URL has length *N; 0 when URL has none. */
static size_t origin_len(const char *url)
{
    const char *p = strstr(url, "://");
    return p ? (size_t)(p + 3 - url) + strcspn(p + 3, "/?#") : 0;
}

static int add_time(char *url, size_t cap, const char *name, int64_t t)
{
    char iso[TIME_ISO_LEN];
    time_format_iso(t, iso);
    iso[strcspn(iso, "Z")] = '\0'; /* SurveyMonkey wants YYYY-MM-DDTHH:MM:SS */
    return http_url_add(url, cap, name, iso);
}

static long total_of(const cJSON *page)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(page, "total");
    if (cJSON_IsNumber(t)) /* a vendor's number out of long's range must not be cast */
        return t->valuedouble >= 0 && t->valuedouble <= 2147483647.0 ? (long)t->valuedouble : -1;
    return cJSON_IsString(t) ? strtol(t->valuestring, NULL, 10) : -1;
}

/* The pages of one walk (see walk); SEEN holds its links and pages. */
static int walk_pages(sync_ctx *c, const sm_survey *sv, int64_t end, page_seen *seen, int *pages,
                      int *shifted, char *err, size_t errlen)
{
    char url[4096], num[16];
    long total0 = -1;
    int bounded = end >= c->cp.updated_at; /* else the server's clock is behind the checkpoint */
    snprintf(url, sizeof url, "%s/v3/surveys/%s/responses/bulk", c->base, c->src->survey_id);
    snprintf(num, sizeof num, "%d", c->per_page > 100 ? 100 : c->per_page);
    if (http_url_add(url, sizeof url, "per_page", num) ||
        http_url_add(url, sizeof url, "sort_by", "date_modified") ||
        http_url_add(url, sizeof url, "sort_order", "ASC") ||
        (c->cp.updated_at > 0 && add_time(url, sizeof url, "start_modified_at", c->cp.updated_at)) ||
        (bounded && add_time(url, sizeof url, "end_modified_at", end))) {
        snprintf(err, errlen, "base_url is too long");
        return -1;
    }
    if (page_seen_note(seen, 'u', url, strlen(url)) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *pages = 0;
    *shifted = 0;
    for (;;) {
        cJSON *page = http_json(c->http, "GET", url, NULL, check_bulk, NULL, NULL, err, errlen);
        if (page == NULL) return -1;
        /* Every second of a bounded window is over: its (id, second) pairs are final. */
        c->open_from = bounded ? end + 1 : sync_open_from(c);
        long total = total_of(page);
        if (*pages > 0 && total0 >= 0 && total != total0) {
            cJSON_Delete(page); /* rows moved: this page may have skipped one */
            *shifted = 1;
            return 0;
        }
        total0 = total;
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(page, "data");
        int rc = sync_commit_page(c, data, 0, cJSON_GetArraySize(data), c->pages + 1, surveymonkey_map,
                                  (void *)sv, err, errlen);
        const cJSON *next =
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(page, "links"), "next");
        int more = rc == 0 && cJSON_IsString(next) && next->valuestring[0];
        if (more) {
            /* Verbatim, but only to the host we were given: the token goes with it. */
            size_t o = origin_len(c->base);
            if (strlen(next->valuestring) >= sizeof url || o == 0 || origin_len(next->valuestring) != o ||
                strncmp(next->valuestring, c->base, o) != 0) {
                snprintf(err, errlen, "links.next is too long or points to another host than base_url");
                rc = -1;
            } else if (page_seen_next(seen, c, next->valuestring, data, "id", *pages + 1, err, errlen) != 0) {
                rc = -1;
            } else {
                snprintf(url, sizeof url, "%s", next->valuestring);
            }
        }
        cJSON_Delete(page);
        if (rc != 0) return -1;
        ++*pages;
        if (!more) return 0;
    }
}

/* One walk of the window up to END; *PAGES counts its pages, *SHIFTED is
 * set when the window changed under us (walk again). */
static int walk(sync_ctx *c, const sm_survey *sv, int64_t end, int *pages, int *shifted, char *err,
                size_t errlen)
{
    page_seen seen = {0};
    int rc = walk_pages(c, sv, end, &seen, pages, shifted, err, errlen);
    page_seen_free(&seen);
    return rc;
}

int surveymonkey_sync(sync_ctx *c, char *err, size_t errlen)
{
    char url[2048];
    sm_survey sv;
    const char *sid = c->src->survey_id;
    if (sid == NULL || !sid[0] || strspn(sid, "0123456789") != strlen(sid)) {
        snprintf(err, errlen, "survey_id is missing or not a number");
        return -1;
    }
    snprintf(url, sizeof url, "%s/v3/surveys/%s/details", c->base, sid);
    cJSON *details = http_json(c->http, "GET", url, NULL, check_details, NULL, NULL, err, errlen);
    if (details == NULL) return -1;
    int rc =
        sm_survey_from_details(details, c->src->nps_question, c->src->comment_question, &sv, err, errlen);
    cJSON_Delete(details);
    if (rc != 0) return -1;
    int restarts = 0;
    for (int w = 0; w < MAX_WINDOWS; w++) {
        /* The window ends at the second of the last answer, once that
         * second is over: no row can be stamped inside it while we page. */
        int64_t end = http_server_second_closed(c->http);
        int pages, shifted, requests = 0;
        if (end < 0) {
            snprintf(err, errlen, "deadline exceeded");
            return -1;
        }
        do {
            if (walk(c, &sv, end, &pages, &shifted, err, errlen) != 0) return -1;
            requests += pages + shifted; /* a restart also dropped one answer */
            if (shifted && ++restarts > MAX_RESTARTS) {
                snprintf(err, errlen, "responses keep changing while paging; run ingest again later");
                return -1;
            }
        } while (shifted);
        /* One answer held the whole window: nothing changed after its end
         * before we asked.  Else read what changed meanwhile. */
        if (requests <= 1) return 0;
    }
    return 0; /* still changing: the next run goes on */
}
