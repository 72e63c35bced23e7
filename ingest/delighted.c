/* delighted.c — Delighted survey responses (GET /v1/survey_responses.json).
 *
 * Paging is keyset on update time: every request asks for
 * updated_since=<newest updated_at seen> (inclusive) with
 * order=asc:updated_at, page=1.  Rows inserted or edited while we page get
 * a new updated_at and land after our position, so no row shifts out of
 * reach (plain page numbers would skip one each time an already-read row
 * is edited).  Rows at the boundary second are re-read: skipped by id when
 * that second was already over when they were served, else upserted again
 * (a row can be edited twice within one second: same updated_at, new
 * content).
 * When a whole page shares one second, that second is read on its own
 * (see crowded_second).  A page shorter than per_page ends the run (see
 * short_page_is_last for the one exception), and so, once the server has
 * shown that it caps pages below per_page, does a page shorter than the
 * largest it has given; a full page is never taken as the last one.
 *
 * Delighted shut its API down on 30 June 2026; it now answers 410 Gone,
 * which ends the source with one line pointing to the CSV import
 * (`cxpulse import responses --format delighted`).  The connector stays for
 * accounts migrated to a compatible service and as the reference model of
 * a paged API in the tests (docs/vendors.md).
 */
#include "ingest/vendor.h"
#include "core/xsort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "core/timeparse.h"
#include "core/grow.h"

int delighted_map(sync_ctx *c, const cJSON *rec, void *ctx, cx_response *r, map_buf *b, const char **why)
{
    (void)ctx;
    if (map_record_id(rec, "id", "record is not an object", "record has no id", r, b, why) != 0) return -1;
    const cJSON *upd = cJSON_GetObjectItemCaseSensitive(rec, "updated_at");
    if (json_time(cJSON_GetObjectItemCaseSensitive(rec, "created_at"), &r->responded_at, why) != 0) {
        *why = "created_at: missing or not a time";
        return -1;
    }
    r->updated_at = r->responded_at; /* Delighted may send null */
    if (upd != NULL && !cJSON_IsNull(upd) && json_time(upd, &r->updated_at, why) != 0) return -1;
    if (checkpoint_seen(&c->cp, r->response_id, r->updated_at)) return 1;
    if (json_score(cJSON_GetObjectItemCaseSensitive(rec, "score"), &r->score, why) != 0) return -1;
    const cJSON *cm = cJSON_GetObjectItemCaseSensitive(rec, "comment");
    r->comment = cJSON_IsString(cm) ? cm->valuestring : "";
    return map_fields(c, rec, vendor_defaults(c), "person_properties", r, b, why);
}

static int check_page(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    if (!cJSON_IsArray(body)) {
        *why = "expected a JSON array of responses";
        return -1;
    }
    return 0;
}

/* GET one page: updated_since SINCE (0 = none), updated_until UNTIL (0 = none). */
static cJSON *get_page(sync_ctx *c, int per_page, int64_t since, int64_t until, long page, char *err,
                       size_t errlen)
{
    char url[2048], num[32];
    snprintf(url, sizeof url, "%s/v1/survey_responses.json", c->base);
    snprintf(num, sizeof num, "%d", per_page);
    int bad = http_url_add(url, sizeof url, "per_page", num) ||
              http_url_add(url, sizeof url, "order", "asc:updated_at");
    snprintf(num, sizeof num, "%lld", (long long)since);
    if (!bad && since > 0) bad = http_url_add(url, sizeof url, "updated_since", num);
    snprintf(num, sizeof num, "%lld", (long long)until);
    if (!bad && until > 0) bad = http_url_add(url, sizeof url, "updated_until", num);
    snprintf(num, sizeof num, "%ld", page);
    if (bad || http_url_add(url, sizeof url, "page", num) != 0) {
        snprintf(err, errlen, "base_url is too long");
        return NULL;
    }
    cJSON *rows = http_json(c->http, "GET", url, NULL, check_page, NULL, &c->last_status, err, errlen);
    c->open_from = sync_open_from(c); /* its last second may be edited again */
    if (rows == NULL && c->last_status == 410) sync_retired(c, err, errlen); /* shut down on 30 June 2026 */
    return rows;
}

/* The ids seen in one pass over a second (sorted, to compare passes). */
typedef struct idset {
    char **v;
    size_t n, cap;
} idset;

static void idset_clear(idset *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    s->n = 0;
}

static int idset_add_page(idset *s, const cJSON *rows, map_buf *b)
{
    const cJSON *it;
    cJSON_ArrayForEach (it, rows) {
        b->used = 0;
        const char *id = json_text(cJSON_GetObjectItemCaseSensitive(it, "id"), b);
        if (id == NULL) continue;
        if (s->n == s->cap) {
            char **p = grow_array(s->v, &s->cap, s->n + 1, sizeof *p, 128, 0, 0);
            if (p == NULL) return -1;
            s->v = p;
        }
        if ((s->v[s->n] = strdup(id)) == NULL) return -1;
        s->n++;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int idset_equal(idset *a, idset *b)
{
    cx_qsort(a->v, a->n, sizeof *a->v, cmp_str);
    cx_qsort(b->v, b->n, sizeof *b->v, cmp_str);
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0) return 0;
    return 1;
}

/* The number of ids of page ROWS not yet in SEEN (which gets them);
 * -1 when out of memory. */
static long new_ids(strmap *seen, const cJSON *rows, map_buf *b)
{
    const cJSON *it;
    long fresh = 0;
    cJSON_ArrayForEach (it, rows) {
        int added = 0;
        b->used = 0;
        const char *id = json_text(cJSON_GetObjectItemCaseSensitive(it, "id"), b);
        if (id != NULL && strmap_put(seen, id, strmap_count(seen), &added) == (size_t)-1) return -1;
        fresh += added;
    }
    return fresh;
}

/* Reads every page of second S (updated_since = updated_until = S), PER_PAGE
 * rows asked per page, into the store and SET.  A page that brings no id
 * not already read in this pass means the server ignores `page` (or serves
 * the same rows again and again): no progress, so the run stops instead of
 * paging until the deadline. */
static int read_second(sync_ctx *c, int per_page, int64_t s, idset *set, map_buf *b, char *err, size_t errlen)
{
    strmap *seen = strmap_new();
    int rc = -1, biggest = 0; /* the largest page the server has given */
    if (seen == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (long page = 1;; page++) {
        cJSON *rows = get_page(c, per_page, s, s, page, err, errlen);
        if (rows == NULL) break;
        int n = cJSON_GetArraySize(rows);
        long fresh = new_ids(seen, rows, b);
        if (fresh < 0 || idset_add_page(set, rows, b) != 0) snprintf(err, errlen, "out of memory");
        else if (n > 0 && fresh == 0)
            snprintf(err, errlen,
                     "no progress: page %ld of the responses updated at %lld repeats "
                     "responses already read (the server ignores page); stopping",
                     page, (long long)s);
        else rc = sync_commit_page(c, rows, 0, n, c->pages + 1, delighted_map, NULL, err, errlen);
        cJSON_Delete(rows);
        /* The end is an empty page or one shorter than the pages the
         * server gives (it may cap per_page below what we ask); a page
         * merely shorter than PER_PAGE is not, or the checkpoint would
         * move past S with rows of S unread. */
        if (rc != 0 || n == 0 || n < biggest) break;
        biggest = n > biggest ? n : biggest;
        rc = -1;
    }
    strmap_free(seen);
    return rc;
}

/* More than a page of responses share second S.  Page numbers within S
 * are only stable once S is over (no row can be stamped S any more) and
 * even then an edit moves a row out of S and shifts the rest, so S is read
 * until two passes in a row give the same ids; then the checkpoint moves to
 * S + 1. */
static int crowded_second(sync_ctx *c, int per_page, int64_t s, char *err, size_t errlen)
{
    idset prev = {0}, cur = {0};
    map_buf *b = malloc(sizeof *b);
    int rc = -1, same = 0;
    if (b == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int64_t closed = http_server_second_closed(c->http); /* the server's clock is past S? */
    if (closed >= 0 && closed <= s && http_pause(c->http, (double)(s - closed), 0) != 0) closed = -1;
    if (closed < 0) {
        snprintf(err, errlen, "deadline exceeded");
        goto out;
    }
    for (int pass = 0; pass < 20 && !same; pass++) {
        if (read_second(c, per_page, s, &cur, b, err, errlen) != 0) goto out;
        same = pass > 0 && idset_equal(&prev, &cur);
        idset t = prev;
        prev = cur;
        cur = t;
        idset_clear(&cur);
    }
    if (!same) {
        snprintf(err, errlen, "responses updated at %lld keep changing; run ingest again", (long long)s);
        goto out;
    }
    checkpoint_move(&c->cp, s + 1);
    rc = sync_commit_checkpoint(c, err, errlen);
out:
    idset_clear(&prev);
    idset_clear(&cur);
    free(prev.v);
    free(cur.v);
    free(b);
    return rc;
}

/* A row's update time into *T (updated_at, created_at when Delighted sends
 * null): 0, or -1 when it has none readable. */
static int row_time(const cJSON *row, int64_t *t)
{
    const char *why;
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(row, "updated_at");
    if (u == NULL || cJSON_IsNull(u)) u = cJSON_GetObjectItemCaseSensitive(row, "created_at");
    return json_time(u, t, &why);
}

/* 1 when a row of ROWS was updated before SINCE (*T gets its time): the
 * server ignored updated_since, so asking again would never move on. */
static int older_than(const cJSON *rows, int64_t since, int64_t *t)
{
    const cJSON *it;
    cJSON_ArrayForEach (it, rows)
        if (row_time(it, t) == 0 && *t < since) return 1;
    return 0;
}

/* 1 when the N rows of ROWS all share one update second (*S gets it). */
static int one_second(const cJSON *rows, int64_t *s)
{
    const cJSON *it;
    int n = 0;
    cJSON_ArrayForEach (it, rows) {
        int64_t t;
        if (row_time(it, &t) != 0 || (n > 0 && t != *s)) return 0;
        *s = t;
        n++;
    }
    return n > 0;
}

/* Page 2 of the responses updated since SINCE holds a row that page 1
 * (FIRST) did not: page 1, shorter than PER_PAGE, was capped by the server,
 * not the last.  A page 2 that repeats page 1 comes from a server that
 * ignores `page`, for which page 1 was all there is.  1 yes, 0 no, -1 with
 * ERR.  Its rows are not stored: the caller reads them again in order. */
static int page_two_holds_rows(sync_ctx *c, int per_page, int64_t since, const cJSON *first, char *err,
                               size_t errlen)
{
    strmap *seen = strmap_new();
    map_buf *b = malloc(sizeof *b);
    long fresh = -1;
    if (seen != NULL && b != NULL && new_ids(seen, first, b) >= 0) {
        cJSON *rows = get_page(c, per_page, since, 0, 2, err, errlen);
        fresh = rows == NULL ? -2 : new_ids(seen, rows, b);
        cJSON_Delete(rows);
    }
    if (fresh == -1) snprintf(err, errlen, "out of memory");
    strmap_free(seen);
    free(b);
    return fresh < 0 ? -1 : fresh > 0;
}

/* Whether ROWS, a page shorter than PER_PAGE asked for with updated_since
 * SINCE, FRESH of its rows not seen before, is the last, when the server
 * has not (yet) shown that it caps pages.  It is, unless its rows all sit
 * in one second that is already over and it brought a row not seen
 * before: a server capping pages below PER_PAGE (a compatible API may)
 * would leave the rest of that second to the next run, which reads the
 * same capped page again and never gets past it.  Page 2 tells: nothing
 * new (one request, rare for a normal server: a first sync whose rows
 * share one second, or the run after one that ended in a second still
 * running) or rows (the server caps).  A page that reaches into another
 * second is the last, as before: a capping server is then read one capped
 * page a run from the page's newest second, which costs a normal server no
 * request.  1 last, 0 read on (the server caps), -1 with ERR. */
static int short_page_is_last(sync_ctx *c, int per_page, int64_t since, const cJSON *rows, long fresh,
                              char *err, size_t errlen)
{
    int64_t s;
    if (fresh == 0 || !one_second(rows, &s) || s >= c->open_from) return 1;
    int more = page_two_holds_rows(c, per_page, since, rows, err, errlen);
    return more < 0 ? -1 : !more;
}

int delighted_sync(sync_ctx *c, char *err, size_t errlen)
{
    int per_page = c->per_page > 100 ? 100 : c->per_page;
    int biggest = 0, capped = 0; /* the largest page given; the server gives pages shorter than per_page */
    for (;;) {
        int64_t since = c->cp.updated_at, t;
        cJSON *rows = get_page(c, per_page, since, 0, 1, err, errlen);
        if (rows == NULL) return -1;
        int n = cJSON_GetArraySize(rows);
        if (since > 0 && older_than(rows, since, &t)) {
            cJSON_Delete(rows);
            snprintf(err, errlen,
                     "no progress: asked for responses updated since %lld, got one updated at "
                     "%lld (the server ignores updated_since); stopping",
                     (long long)since, (long long)t);
            return -1;
        }
        long long fetched = c->fetched;
        int rc = sync_commit_page(c, rows, 0, n, c->pages + 1, delighted_map, NULL, err, errlen);
        int last =
            rc == 0 && n > 0 && n < per_page && !capped
                ? short_page_is_last(c, per_page, since, rows, (long)(c->fetched - fetched), err, errlen)
                : 0;
        cJSON_Delete(rows);
        if (rc != 0 || last < 0) return -1;
        /* The end: an empty page, one shorter than the pages the server
         * has given (it may cap per_page below what we ask), or a short
         * one taken as the last (short_page_is_last). */
        if (n == 0 || n < biggest || last == 1) return 0;
        capped = capped || n < per_page;
        biggest = n > biggest ? n : biggest;
        if (c->cp.updated_at == since && crowded_second(c, per_page, since, err, errlen) != 0) return -1;
    }
}
