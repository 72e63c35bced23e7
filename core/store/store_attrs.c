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
    cJSON_ArrayForEach (it, o) {
        if (*n == cap) break;
        if (!cJSON_IsString(it) || !it->string) continue;
        out[*n].key = it->string;
        out[*n].value = it->valuestring;
        (*n)++;
    }
    return (attrs_doc *)o;
}

void attrs_doc_free(attrs_doc *d) { cJSON_Delete((cJSON *)d); }

/* The string at *P (after its opening quote) up to its closing quote,
 * which becomes its end (NUL): 0, or -1 when it holds an escape or a
 * control character (left to cJSON) or has no end. */
static int plain_string(char **p)
{
    char *q = *p;
    for (;; q++) {
        unsigned char c = (unsigned char)*q;
        if (c == '"') break;
        if (c == '\\' || c < 0x20) return -1; /* NUL included: no end */
    }
    *q = '\0';
    *p = q + 1;
    return 0;
}

static char *skip_spaces(char *p)
{
    while (*p == ' ') p++;
    return p;
}

attrs_doc *attrs_scan(const char *json, attrs_buf *b, cx_attr *out, size_t *n, size_t cap)
{
    *n = 0;
    if (!json || !*json || !strcmp(json, "{}")) return NULL;
    size_t len = strlen(json);
    if (json[0] != '{') return attrs_from_json(json, out, n, cap);
    if (len + 1 > b->cap) {
        char *q = realloc(b->p, len + 64);
        if (!q) return attrs_from_json(json, out, n, cap);
        b->p = q;
        b->cap = len + 64;
    }
    memcpy(b->p, json, len + 1);
    char *p = skip_spaces(b->p + 1);
    size_t k = 0;
    if (*p != '}') {
        for (;;) {
            if (*p != '"') goto slow;
            char *key = ++p;
            if (plain_string(&p) != 0) goto slow;
            p = skip_spaces(p);
            if (*p != ':') goto slow;
            p = skip_spaces(p + 1);
            if (*p != '"') goto slow; /* a value not a string: left to cJSON */
            char *value = ++p;
            if (plain_string(&p) != 0) goto slow;
            if (k < cap) {
                out[k].key = key;
                out[k].value = value;
                k++;
            }
            p = skip_spaces(p);
            if (*p == '}') break;
            if (*p != ',') goto slow;
            p = skip_spaces(p + 1);
        }
    }
    if (p[1] != '\0') goto slow; /* anything after the object: cJSON's reading */
    *n = k;
    return NULL;
slow:
    return attrs_from_json(json, out, n, cap);
}

void attrs_buf_free(attrs_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->cap = 0;
}
