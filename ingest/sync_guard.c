/* sync_guard.c — the no-progress guard of a paged walk (ingest/vendor.h):
 * each page is remembered as one hash of its records' ids in order, so a
 * server that ignores the paging (page, skip, pageNumber, links.next) and
 * serves a page already read is caught at once instead of being paged
 * until the deadline.  Memory: one short key per page of the walk. */
#include "ingest/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/redact.h"

int page_seen_note(page_seen *ps, char kind, const char *text, size_t len)
{
    char key[24];
    int added = 0;
    if (ps->m == NULL && (ps->m = strmap_new()) == NULL) return -1;
    snprintf(key, sizeof key, "%c%016llx", kind, (unsigned long long)hash_fnv1a(HASH_FNV_OFFSET, text, len));
    if (strmap_put(ps->m, key, strmap_count(ps->m), &added) == (size_t)-1) return -1;
    return !added;
}

int page_seen_repeat(page_seen *ps, const cJSON *rows, const char *id_key)
{
    uint64_t h = HASH_FNV_OFFSET;
    const cJSON *it;
    map_buf *b = malloc(sizeof *b);
    int any = 0;
    if (b == NULL) return -1;
    cJSON_ArrayForEach (it, rows) {
        b->used = 0;
        const char *id = json_text(cJSON_GetObjectItemCaseSensitive(it, id_key), b);
        if (id != NULL) {
            h = hash_fnv1a(h, id, strlen(id) + 1); /* the NUL keeps ("ab","c") from ("a","bc") */
            any = 1;
        }
    }
    free(b);
    if (!any) return 0; /* an empty page says nothing */
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    return page_seen_note(ps, 'p', hex, 16);
}

void page_seen_free(page_seen *ps)
{
    strmap_free(ps->m);
    ps->m = NULL;
}

int page_seen_next(page_seen *ps, const sync_ctx *c, const char *next, const cJSON *rows, const char *id_key,
                   long page, char *err, size_t errlen)
{
    if (c->http != NULL && cx_redact_has(http_redactor(c->http), next)) {
        snprintf(err, errlen, "links.next holds the API token; not followed (a token never goes into a URL)");
        return -1;
    }
    int again_url = page_seen_note(ps, 'u', next, strlen(next));
    int again_page = page_seen_repeat(ps, rows, id_key);
    if (again_url < 0 || again_page < 0) snprintf(err, errlen, "out of memory");
    else if (again_url)
        snprintf(err, errlen, "no progress: links.next of page %ld repeats a link already followed; stopping",
                 page);
    else if (again_page)
        snprintf(err, errlen,
                 "no progress: page %ld holds the same responses as an earlier page "
                 "(the server ignores paging); stopping",
                 page);
    else if (cJSON_GetArraySize(rows) == 0)
        snprintf(err, errlen, "no progress: page %ld is empty but links.next goes on; stopping", page);
    else return 0;
    return -1;
}
