/* store_attrs.c — see store_attrs.h. */
#include "core/store/store_attrs.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

char *attrs_to_json(const cx_attr *attrs, size_t n)
{
    if (n == 0) {
        char *e = malloc(3);
        if (e) memcpy(e, "{}", 3);
        return e;
    }
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    for (size_t i = 0; i < n; i++)
        if (!cJSON_AddStringToObject(o, attrs[i].key, attrs[i].value)) {
            cJSON_Delete(o);
            return NULL;
        }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

attrs_doc *attrs_from_json(const char *json, cx_attr *out, size_t *n, size_t cap)
{
    *n = 0;
    if (!json || !*json || !strcmp(json, "{}")) return NULL;
    cJSON *o = cJSON_Parse(json);
    if (!o) return NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, o) {
        if (*n == cap) break;
        if (!cJSON_IsString(it) || !it->string) continue;
        out[*n].key = it->string;
        out[*n].value = it->valuestring;
        (*n)++;
    }
    return (attrs_doc *)o;
}

void attrs_doc_free(attrs_doc *d)
{
    cJSON_Delete((cJSON *)d);
}
