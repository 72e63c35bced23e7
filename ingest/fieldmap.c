/* fieldmap.c — from a vendor's JSON record to a cx_response: the source's
 * field map over the vendor's default paths, moments, properties kept as
 * attributes, and the checks a record's texts must pass (see vendor.h).
 * Its JSON scalars (paths, text, times, ids, scores): fieldjson.c. */
#include "ingest/vendor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/csv.h"
#include "core/num.h"
#include "core/timeparse.h"

static int parse_moments(sync_ctx *c, const cJSON *v, cx_response *r, const char **why)
{
    int lo = c->cfg ? c->cfg->moment_lo : 1, hi = c->cfg ? c->cfg->moment_hi : 5;
    if (cJSON_IsString(v)) return cx_parse_moments(v->valuestring, lo, hi, r->moments, &r->n_moments, why);
    if (!cJSON_IsArray(v)) {
        *why = "moments: not a list of integers";
        return -1;
    }
    const cJSON *it;
    r->n_moments = 0;
    cJSON_ArrayForEach (it, v) {
        int m;
        if (cJSON_IsNumber(it) && it->valuedouble == floor(it->valuedouble) && it->valuedouble >= lo &&
            it->valuedouble <= hi) {
            m = (int)it->valuedouble;
        } else if (cJSON_IsString(it)) {
            size_t one = 0;
            int tmp[CX_MAX_MOMENTS];
            if (cx_parse_moments(it->valuestring, lo, hi, tmp, &one, why) != 0) return -1;
            if (one != 1) {
                *why = "moments: not a list of integers";
                return -1;
            }
            m = tmp[0];
        } else {
            *why = "moments: value outside the moment scale or not an integer";
            return -1;
        }
        if (r->n_moments == CX_MAX_MOMENTS) {
            *why = "moments: more than 64 values";
            return -1;
        }
        r->moments[r->n_moments++] = m;
    }
    return 0;
}

#define STR_(x) #x
#define STR(x) STR_(x)
/* The one limit on attributes (core/model.h), said where a record is refused. */
static const char too_many_attrs[] =
    "more than " STR(CX_MAX_ATTRS) " attributes (vendor properties besides the model's fields): "
                                   "the limit per response";

static const char name_clash[] =
    "two vendor properties with different values have one name once lower-cased with '_' for spaces "
    "(\"Region\" and \"region\", say)";

/* 0 ok, -1 with *WHY when R already has CX_MAX_ATTRS attributes: the record
 * is rejected whole (kept in the rejects), never stored with some dropped.
 * A KEY R already has: the first mapping wins (the config's over the
 * vendor's defaults); a LEFTOVER property (not mapped) whose normalised
 * name is taken by a different value rejects the record, as nothing is
 * dropped silently. */
static int add_attr(cx_response *r, const char *key, const char *value, int leftover, const char **why)
{
    for (size_t i = 0; i < r->n_attrs; i++)
        if (strcmp(r->attrs[i].key, key) == 0) {
            if (leftover && strcmp(r->attrs[i].value, value) != 0) {
                *why = name_clash;
                return -1;
            }
            return 0;
        }
    if (r->n_attrs == CX_MAX_ATTRS) {
        *why = too_many_attrs;
        return -1;
    }
    r->attrs[r->n_attrs].key = key;
    r->attrs[r->n_attrs].value = value;
    r->n_attrs++;
    return 0;
}

static const char **text_slot(cx_response *r, int f)
{
    switch (f) {
    case CX_F_COMMENT: return &r->comment;
    case CX_F_CUSTOMER_ID: return &r->customer_id;
    case CX_F_AGENT_ID: return &r->agent_id;
    case CX_F_CHANNEL: return &r->channel;
    case CX_F_PRODUCT: return &r->product;
    case CX_F_INTERACTION_TYPE: return &r->interaction_type;
    default: return NULL;
    }
}

/* Sets FIELD of R from the value at PATH. */
static int apply(sync_ctx *c, const cJSON *rec, const char *field, const char *path, cx_response *r,
                 map_buf *b, const char **why)
{
    const cJSON *v = json_path(rec, path);
    if (v == NULL || cJSON_IsNull(v)) return 0;
    int f = cx_field_lookup(field);
    const char **slot = text_slot(r, f);
    const char *t;
    if (f == CX_F_MOMENTS) return parse_moments(c, v, r, why);
    if (f == CX_F_HANDLE_TIME_S) {
        if (cJSON_IsNumber(v) && cx_num_ok(v->valuedouble, 0)) { /* the bounds of core/num.h */
            r->handle_time_s = v->valuedouble;
        } else if (cJSON_IsString(v) && v->valuestring[0] == '\0') {
            return 0;
        } else if (!cJSON_IsString(v) || cx_parse_number(v->valuestring, 0, &r->handle_time_s, why) != 0) {
            *why = "handle_time_s: not a non-negative number";
            return -1;
        }
        r->has_handle_time = 1;
        return 0;
    }
    if ((t = json_text(v, b)) == NULL) return 0; /* objects and arrays are not text */
    if (slot != NULL) *slot = t;
    else if (f < 0) return add_attr(r, field, t, 0, why);
    return 0;
}

static int configured(const cx_source_cfg *s, const char *field)
{
    for (size_t k = 0; k < s->n_fields; k++)
        if (strcmp(s->fields[k].field, field) == 0) return 1;
    return 0;
}

static int same_path(const char *path, const char *container, size_t n, const char *key)
{
    return strncmp(path, container, n) == 0 && path[n] == '.' && strcasecmp(path + n + 1, key) == 0;
}

/* 1 when a mapping in effect (configured, or a default not overridden)
 * reads CONTAINER.KEY. */
static int path_used(sync_ctx *c, const char *const *defaults, const char *container, const char *key)
{
    size_t n = strlen(container);
    for (size_t i = 0; i < c->src->n_fields; i++)
        if (same_path(c->src->fields[i].path, container, n, key)) return 1;
    for (size_t i = 0; defaults && defaults[i]; i += 2)
        if (!configured(c->src, defaults[i]) && same_path(defaults[i + 1], container, n, key)) return 1;
    return 0;
}

/* "Interaction Type" -> "interaction_type". */
static const char *normalise(const char *key, map_buf *b)
{
    char tmp[128];
    size_t n = 0;
    for (const char *p = key; *p && n < sizeof tmp - 1; p++) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        else if (ch == ' ' || ch == '-' || ch == '.') ch = '_';
        tmp[n++] = ch;
    }
    return map_buf_put(b, tmp, n);
}

/* 1 when a mapping in effect (configured, or a default not overridden)
 * makes the attribute NAME: an unmapped property of that name is then
 * kept as attr_NAME (the mapping takes the name). */
static int mapped(sync_ctx *c, const char *const *defaults, const char *name)
{
    if (configured(c->src, name)) return 1;
    for (size_t i = 0; defaults && defaults[i]; i += 2)
        if (strcmp(defaults[i], name) == 0) return 1;
    return 0;
}

/* "source" -> "attr_source": a property named like a model field that it
 * does not fill (a field no property sets, or one mapped already), or like
 * a mapped attribute, is kept under this name, as the Delighted CSV import
 * does (docs/formats.md). */
static const char *field_attr_name(const char *name, map_buf *b)
{
    char tmp[160];
    int n = snprintf(tmp, sizeof tmp, "attr_%s", name);
    return n > 0 && (size_t)n < sizeof tmp ? map_buf_put(b, tmp, (size_t)n) : NULL;
}

/* An array or object property as its compact JSON text ("[\"a\",\"b\"]"),
 * kept as the attribute's value; NULL when it does not fit B. */
static const char *json_compact(const cJSON *v, map_buf *b)
{
    char *t = cJSON_PrintUnformatted(v);
    const char *k = t ? map_buf_put(b, t, strlen(t)) : NULL;
    free(t);
    return k;
}

static int map_leftovers(sync_ctx *c, const cJSON *rec, const char *const *defaults, const char *container,
                         cx_response *r, map_buf *b, const char **why)
{
    const cJSON *it, *obj = json_path(rec, container);
    if (!cJSON_IsObject(obj)) return 0;
    static const char full[] = "properties: more text than a record may hold";
    cJSON_ArrayForEach (it, obj) {
        const char *v, *name;
        if (it->string == NULL || path_used(c, defaults, container, it->string) || cJSON_IsNull(it)) continue;
        v = cJSON_IsArray(it) || cJSON_IsObject(it) ? json_compact(it, b) : json_text(it, b);
        if (v == NULL || (name = normalise(it->string, b)) == NULL) {
            *why = full; /* the record's scratch space is full: said, never dropped */
            return -1;
        }
        if (v[0] == '\0' || name[0] == '\0') continue; /* an empty name cannot be a column or a segment */
        int f = cx_field_lookup(name);
        const char **slot = f == CX_F_COMMENT ? NULL : text_slot(r, f);
        if (slot != NULL && (*slot)[0] == '\0') *slot = v;
        else if (slot != NULL && strcmp(*slot, v) == 0) continue; /* the field holds it already */
        else if ((f >= 0 || mapped(c, defaults, name)) && (name = field_attr_name(name, b)) == NULL) {
            *why = full;
            return -1;
        } else if (add_attr(r, name, v, 1, why) != 0) return -1;
    }
    return 0;
}

static int utf8_ok(const char *s) { return utf8_valid(s, strlen(s)); }

/* Why text S is not UTF-8: a "\u0000" or a lone surrogate escape of the
 * body, as http_json_mend wrote them, or other bytes.  FIELD: a text
 * field (0) or a property's name or value (1). */
static const char *not_utf8_why(const char *s, int property)
{
    static const char *const why[3][2] = {
        {"invalid UTF-8 in a text field", "invalid UTF-8 in a property name or value"},
        {"a NUL (\\u0000, or its overlong bytes C0 80) in a text field",
         "a NUL (\\u0000, or its overlong bytes C0 80) in a property name or value"},
        {"a UTF-16 surrogate without its pair (escaped, or as bytes ED A0-BF) in a text field",
         "a UTF-16 surrogate without its pair (escaped, or as bytes ED A0-BF) in a property name or value"},
    };
    int kind = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && !kind; p++)
        kind = p[0] == 0xC0 && p[1] == 0x80 ? 1 : p[0] == 0xED && p[1] >= 0xA0 && p[1] <= 0xBF ? 2 : 0;
    return why[kind][property];
}

/* What `export responses` writes of a response besides its text fields
 * (core/respcsv.c resp_write_record), generously: the source's name, two
 * ISO times, the score, the handle time, the moments, the metric, the
 * separators, an empty column for each other attribute of the store (at
 * most CX_MAX_ATTRS) and the line end. */
#define EXPORT_FIXED_BYTES (4096u + CX_MAX_MOMENTS * 12u + CX_MAX_ATTRS * 4u)

_Static_assert(CSV_MAX_RECORD == 64u * 1024u * 1024u, "the reason in check_text names the limit");

/* The most csv_put_text_len (core/csvwrite.c) writes for S: its bytes with
 * each quote doubled, the two quotes around it, a formula apostrophe and a
 * separator. */
static size_t csv_field_bytes(const char *s)
{
    if (s == NULL) return 1;
    size_t n = strlen(s) + 4;
    for (const char *q = strchr(s, '"'); q != NULL; q = strchr(q + 1, '"')) n++;
    return n;
}

/* Whether R, exported, could make a CSV record longer than the reader takes
 * (CSV_MAX_RECORD): `import responses` would refuse what `export responses`
 * wrote, and the two would no longer round-trip.  Attribute names
 * are counted too (they are the header's fields). */
static int too_long_to_export(const cx_response *r)
{
    const char *const text[] = {r->source,   r->response_id, r->comment,          r->customer_id,
                                r->agent_id, r->channel,     r->interaction_type, r->product};
    size_t n = EXPORT_FIXED_BYTES;
    for (size_t i = 0; i < sizeof text / sizeof *text && n <= CSV_MAX_RECORD; i++)
        n += csv_field_bytes(text[i]);
    for (size_t i = 0; i < r->n_attrs && n <= CSV_MAX_RECORD; i++)
        n += csv_field_bytes(r->attrs[i].key) + csv_field_bytes(r->attrs[i].value);
    return n > CSV_MAX_RECORD;
}

/* A vendor's JSON may carry any bytes in its strings (cJSON does not check
 * them): a record with text that is not UTF-8 is rejected, as an imported
 * row is (core/respcsv.c), so that exports, reports and --by stay text.
 * So is one whose text could not be exported as a record `import
 * responses` reads back. */
static int check_text(const cx_response *r, const char **why)
{
    const char *const text[] = {r->response_id, r->comment, r->customer_id,     r->agent_id,
                                r->channel,     r->product, r->interaction_type};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        if (!utf8_ok(text[i])) {
            *why = not_utf8_why(text[i], 0);
            return -1;
        }
    for (size_t i = 0; i < r->n_attrs; i++)
        for (int k = 0; k < 2; k++) {
            const char *t = k ? r->attrs[i].value : r->attrs[i].key;
            if (!utf8_ok(t)) {
                *why = not_utf8_why(t, 1);
                return -1;
            }
        }
    if (too_long_to_export(r)) {
        *why = "text too long: exported as CSV, the response would pass the 64 MiB record limit of "
               "`import responses` (comment, ids, fields and attributes together)";
        return -1;
    }
    return 0;
}

int map_fields(sync_ctx *c, const cJSON *rec, const char *const *defaults, const char *container,
               cx_response *r, map_buf *b, const char **why)
{
    const cx_source_cfg *s = c->src;
    for (size_t i = 0; i < s->n_fields; i++)
        if (apply(c, rec, s->fields[i].field, s->fields[i].path, r, b, why) != 0) return -1;
    for (size_t i = 0; defaults && defaults[i]; i += 2)
        if (!configured(s, defaults[i]) && apply(c, rec, defaults[i], defaults[i + 1], r, b, why) != 0)
            return -1;
    if (container != NULL && map_leftovers(c, rec, defaults, container, r, b, why) != 0) return -1;
    return check_text(r, why);
}
