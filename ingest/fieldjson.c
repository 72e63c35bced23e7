/* fieldjson.c — a vendor record's JSON values read as the model's scalars:
 * dotted paths (exact key first, then ignoring case), lenient text (numbers
 * printed, nulls absent), times, ids and scores, into a map_buf (see
 * vendor.h, "field maps").  The field map that uses them: fieldmap.c. */
#include "ingest/vendor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/num.h"
#include "core/timeparse.h"

const char *map_buf_put(map_buf *b, const char *s, size_t n)
{
    if (n + 1 > sizeof b->data - b->used) return NULL;
    char *p = b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    return p;
}

/* Child of object O whose key is the N bytes at KEY (exact match first,
 * then ignoring case). */
static const cJSON *child_n(const cJSON *o, const char *key, size_t n)
{
    const cJSON *it;
    if (!cJSON_IsObject(o)) return NULL;
    cJSON_ArrayForEach (it, o)
        if (it->string && strncmp(it->string, key, n) == 0 && it->string[n] == '\0') return it;
    cJSON_ArrayForEach (it, o)
        if (it->string && strncasecmp(it->string, key, n) == 0 && it->string[n] == '\0') return it;
    return NULL;
}

const cJSON *json_path(const cJSON *rec, const char *path)
{
    const cJSON *v = rec;
    const char *p = path;
    for (;;) {
        size_t n = strcspn(p, ".");
        v = child_n(v, p, n);
        if (v == NULL || p[n] == '\0') return v;
        p += n + 1;
    }
}

const char *json_text(const cJSON *v, map_buf *b)
{
    char num[64];
    if (cJSON_IsString(v)) return v->valuestring;
    if (cJSON_IsBool(v)) return cJSON_IsTrue(v) ? "true" : "false";
    if (cJSON_IsNumber(v) && v->valuestring != NULL)
        return v->valuestring; /* an integer too long for a double, as sent
                                                    (http_keep_text) */
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return NULL;
    double d = v->valuedouble;
    if (d == floor(d) && fabs(d) <= 9007199254740992.0) /* 2^53: every integer exact */
        snprintf(num, sizeof num, "%lld", (long long)d);
    else {
        snprintf(num, sizeof num, "%.15g", d);
        if (strtod(num, NULL) != d) snprintf(num, sizeof num, "%.17g", d);
    }
    return map_buf_put(b, num, strlen(num));
}

int json_time(const cJSON *v, int64_t *out, const char **why)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        /* The range time_parse accepts (CX_TIME_MIN .. CX_TIME_MAX,
         * core/timeparse.h), so that every stored time formats and
         * imports back. */
        if (!isfinite(d) || d < (double)CX_TIME_MIN || d >= (double)CX_TIME_MAX + 1) {
            *why = "timestamp out of range";
            return -1;
        }
        *out = (int64_t)floor(d);
        return 0;
    }
    if (cJSON_IsString(v)) return time_parse(v->valuestring, out, why);
    *why = v == NULL || cJSON_IsNull(v) ? "timestamp is missing" : "timestamp is not a string or number";
    return -1;
}

int map_record_id(const cJSON *rec, const char *key, const char *not_object, const char *no_id,
                  cx_response *r, map_buf *b, const char **why)
{
    if (!cJSON_IsObject(rec)) {
        *why = not_object;
        return -1;
    }
    const char *id = json_text(cJSON_GetObjectItemCaseSensitive(rec, key), b);
    if (id == NULL || id[0] == '\0') {
        *why = no_id;
        return -1;
    }
    r->response_id = id;
    return 0;
}

int map_record_times(const cJSON *rec, const char *created, const char *created_why, const char *updated,
                     const char *updated_why, cx_response *r, const char **why)
{
    if (json_time(cJSON_GetObjectItemCaseSensitive(rec, created), &r->responded_at, why) != 0) {
        *why = created_why;
        return -1;
    }
    r->updated_at = r->responded_at;
    const cJSON *upd = cJSON_GetObjectItemCaseSensitive(rec, updated);
    if (upd != NULL && !cJSON_IsNull(upd) && json_time(upd, &r->updated_at, why) != 0) {
        *why = updated_why;
        return -1;
    }
    return 0;
}

int json_score(const cJSON *v, int *score, const char **why)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (!isfinite(d) || d != floor(d)) {
            *why = "score is not a whole number";
            return -1;
        }
        if (d < 0 || d > 10) {
            *why = "score is out of range 0..10";
            return -1;
        }
        *score = (int)d;
        return 0;
    }
    if (cJSON_IsString(v)) return cx_parse_score(v->valuestring, score, why);
    *why = v == NULL || cJSON_IsNull(v) ? "score is missing" : "score is not a number";
    return -1;
}
