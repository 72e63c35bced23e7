/* model.c — see model.h. */
#include "core/model.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const field_names[CX_F_COUNT] = {
    "source", "response_id", "responded_at", "updated_at", "score", "comment",
    "customer_id", "agent_id", "channel", "product", "interaction_type",
    "handle_time_s", "moments",
};

const char *cx_field_name(cx_field f)
{
    return (unsigned)f < CX_F_COUNT ? field_names[f] : "";
}

int cx_field_lookup(const char *name)
{
    for (int i = 0; i < CX_F_COUNT; i++)
        if (strcmp(field_names[i], name) == 0) return i;
    return -1;
}

void cx_response_clear(cx_response *r)
{
    r->source = r->response_id = r->comment = r->customer_id = "";
    r->agent_id = r->channel = r->product = r->interaction_type = "";
    r->responded_at = r->updated_at = 0;
    r->score = -1;
    r->handle_time_s = 0;
    r->has_handle_time = 0;
    r->n_moments = 0;
    r->n_attrs = 0;
}

const char *cx_response_dim(const cx_response *r, const char *name)
{
    switch (cx_field_lookup(name)) {
    case CX_F_SOURCE: return r->source;
    case CX_F_CUSTOMER_ID: return r->customer_id;
    case CX_F_AGENT_ID: return r->agent_id;
    case CX_F_CHANNEL: return r->channel;
    case CX_F_PRODUCT: return r->product;
    case CX_F_INTERACTION_TYPE: return r->interaction_type;
    default: break;
    }
    for (size_t i = 0; i < r->n_attrs; i++)
        if (strcmp(r->attrs[i].key, name) == 0) return r->attrs[i].value;
    return NULL;
}

int cx_parse_score(const char *s, int *score, const char **why)
{
    if (*s == '\0') { *why = "score is empty"; return -1; }
    const char *p = s;
    int v = 0, digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 4) {
        v = v * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0) { *why = "score is not a number"; return -1; }
    if (*p == '.') {               /* "9.0" is 9; "9.5" is not a score */
        p++;
        while (*p == '0') p++;
        if (*p >= '1' && *p <= '9') { *why = "score is not a whole number"; return -1; }
    }
    if (*p != '\0') { *why = "score is not a number"; return -1; }
    if (v > 10) { *why = "score is out of range 0..10"; return -1; }
    *score = v;
    return 0;
}

int cx_parse_moments(const char *s, int lo, int hi, int *out, size_t *n, const char **why)
{
    *n = 0;
    const char *p = s;
    while (*p == ' ') p++;
    if (*p == '\0') return 0;
    for (;;) {
        while (*p == ' ') p++;
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno) { *why = "moments: not a list of integers"; return -1; }
        if (v < lo || v > hi) { *why = "moments: value outside the moment scale"; return -1; }
        if (*n == CX_MAX_MOMENTS) { *why = "moments: more than 64 values"; return -1; }
        out[(*n)++] = (int)v;
        p = end;
        while (*p == ' ') p++;
        if (*p == '\0') return 0;
        if (*p != ';' && *p != ',') { *why = "moments: not a list of integers"; return -1; }
        p++;
    }
}

void cx_format_moments(const int *m, size_t n, char *buf, size_t cap)
{
    size_t k = 0;
    if (cap == 0) return;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k < cap; i++) {
        int w = snprintf(buf + k, cap - k, i ? ";%d" : "%d", m[i]);
        if (w < 0) break;
        k += (size_t)w;
    }
}

int cx_parse_number(const char *s, int allow_neg, double *out, const char **why)
{
    if (*s == '\0') { *why = "empty number"; return -1; }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0') { *why = "not a number"; return -1; }
    if (errno == ERANGE || !isfinite(v)) { *why = "number out of range"; return -1; }
    if (!allow_neg && v < 0) { *why = "negative number"; return -1; }
    *out = v;
    return 0;
}
