/* model.c — see model.h. */
#include "core/model.h"
#include "core/num.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const field_names[CX_F_COUNT] = {
    "source",   "response_id", "responded_at", "updated_at",       "score",         "comment", "customer_id",
    "agent_id", "channel",     "product",      "interaction_type", "handle_time_s", "moments", "metric",
};

const char *cx_field_name(cx_field f) { return (unsigned)f < CX_F_COUNT ? field_names[f] : ""; }

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
    r->metric = CX_METRIC_NPS;
    r->note = NULL;
    r->lens_known = 0;
}

static const char *const metric_names[CX_METRIC_COUNT] = {"nps", "csat", "csat", "ces"};
static const char *const metric_codes[CX_METRIC_COUNT] = {"nps", "csat", "csat01", "ces"};
static const int metric_lo[CX_METRIC_COUNT] = {0, 1, 0, 1};
static const int metric_hi[CX_METRIC_COUNT] = {10, 5, 1, 7};

const char *cx_metric_name(int m) { return (unsigned)m < CX_METRIC_COUNT ? metric_names[m] : ""; }

const char *cx_metric_code(int m) { return (unsigned)m < CX_METRIC_COUNT ? metric_codes[m] : ""; }

int cx_metric_from_code(const char *code)
{
    for (int i = 0; code && i < CX_METRIC_COUNT; i++)
        if (strcmp(metric_codes[i], code) == 0) return i;
    return -1;
}

int cx_metric_lookup(const char *name)
{
    static const int named[] = {CX_METRIC_NPS, CX_METRIC_CSAT, CX_METRIC_CES};
    for (size_t i = 0; name && i < sizeof named / sizeof *named; i++)
        if (strcasecmp(metric_names[named[i]], name) == 0) return named[i];
    return -1;
}

void cx_metric_range(int m, int *lo, int *hi)
{
    if ((unsigned)m >= CX_METRIC_COUNT) m = CX_METRIC_NPS;
    *lo = metric_lo[m];
    *hi = metric_hi[m];
}

int cx_metric_check(int m, int score, const char **why)
{
    static const char *const out[CX_METRIC_COUNT] = {
        "score is out of range 0..10",
        "csat score is out of range 1..5",
        "csat good/bad score is not 0 or 1",
        "ces score is out of range 1..7",
    };
    if ((unsigned)m >= CX_METRIC_COUNT) {
        *why = "unknown metric";
        return -1;
    }
    if (score < metric_lo[m] || score > metric_hi[m]) {
        *why = out[m];
        return -1;
    }
    return 0;
}

/* 1 when the LEN bytes at S are WORD, ignoring case. */
static int word_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

int cx_parse_metric_score_n(const char *m, size_t mlen, const char *s, size_t len, int *metric, int *score,
                            const char **field, const char **why)
{
    *metric = mlen == 0 || word_is(m, mlen, "nps") ? CX_METRIC_NPS
              : word_is(m, mlen, "csat")           ? CX_METRIC_CSAT
              : word_is(m, mlen, "ces")            ? CX_METRIC_CES
                                                   : -1;
    if (*metric < 0) {
        *field = "metric";
        *why = "unknown metric (nps, csat or ces)";
        return -1;
    }
    *field = "score";
    if (*metric == CX_METRIC_CSAT && (word_is(s, len, "good") || word_is(s, len, "bad"))) {
        *metric = CX_METRIC_CSAT_BINARY;
        *score = word_is(s, len, "good");
        return 0;
    }
    if (cx_parse_score_n(s, len, score, why) != 0) {
        if (*metric == CX_METRIC_NPS || strcmp(*why, "score is out of range 0..10") != 0) return -1;
        *why =
            *metric == CX_METRIC_CSAT ? "csat score is out of range 1..5" : "ces score is out of range 1..7";
        return -1;
    }
    return cx_metric_check(*metric, *score, why);
}

int cx_dim_field(const char *name)
{
    int f = cx_field_lookup(name);
    switch (f) {
    case CX_F_SOURCE:
    case CX_F_CUSTOMER_ID:
    case CX_F_AGENT_ID:
    case CX_F_CHANNEL:
    case CX_F_PRODUCT:
    case CX_F_INTERACTION_TYPE: return f;
    default: return -1;
    }
}

const char *cx_response_text(const cx_response *r, cx_field f)
{
    switch (f) {
    case CX_F_SOURCE: return r->source;
    case CX_F_CUSTOMER_ID: return r->customer_id;
    case CX_F_AGENT_ID: return r->agent_id;
    case CX_F_CHANNEL: return r->channel;
    case CX_F_PRODUCT: return r->product;
    case CX_F_INTERACTION_TYPE: return r->interaction_type;
    default: return NULL;
    }
}

const char *cx_response_dim(const cx_response *r, const char *name)
{
    int f = cx_dim_field(name);
    if (f >= 0) return cx_response_text(r, (cx_field)f);
    for (size_t i = 0; i < r->n_attrs; i++)
        if (strcmp(r->attrs[i].key, name) == 0) return r->attrs[i].value;
    return NULL;
}

int cx_parse_score_n(const char *s, size_t len, int *score, const char **why)
{
    const char *p = s, *e = s + len;
    int v = 0, digits = 0;

    if (len == 0) {
        *why = "score is empty";
        return -1;
    }
    while (p < e && *p >= '0' && *p <= '9' && digits < 4) {
        v = v * 10 + (*p - '0');
        p++;
        digits++;
    }
    if (digits == 0) {
        *why = "score is not a number";
        return -1;
    }
    if (p < e && *p == '.') { /* "9.0" is 9; "9.5" is not a score */
        p++;
        while (p < e && *p == '0') p++;
        if (p < e && *p >= '1' && *p <= '9') {
            *why = "score is not a whole number";
            return -1;
        }
    }
    if (p != e) {
        *why = "score is not a number";
        return -1;
    }
    if (v > 10) {
        *why = "score is out of range 0..10";
        return -1;
    }
    *score = v;
    return 0;
}

int cx_parse_score(const char *s, int *score, const char **why)
{
    return cx_parse_score_n(s, strlen(s), score, why);
}

/* strtol(P, &end, 10) on [P, E) without errno: 1 with the value in *V and
 * the end in *END; 0 when strtol would convert nothing or overflow. */
static int to_long(const char *p, const char *e, long *v, const char **end)
{
    unsigned long acc = 0, lim;
    int neg = 0, any = 0, over = 0;

    /* Strict like core/num.h: no leading space (the caller skips the
     * plain spaces between items) and no '+'. */
    if (p < e && *p == '-') neg = 1, p++;
    lim = neg ? (unsigned long)LONG_MAX + 1ul : (unsigned long)LONG_MAX;
    for (; p < e && *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        any = 1;
        if (acc > (lim - d) / 10) over = 1;
        else acc = acc * 10 + d;
    }
    if (!any || over) return 0;
    *v = neg ? (acc == (unsigned long)LONG_MAX + 1ul ? LONG_MIN : -(long)acc) : (long)acc;
    *end = p;
    return 1;
}

/* "3;4;2": single digits within [LO, HI] joined by ';' or ',', the form
 * exports use.  1 when S is that (moments in OUT, *N set), else 0. */
static int moments_plain(const char *s, size_t len, int lo, int hi, int *out, size_t *n)
{
    size_t k = 0;
    if (!(len & 1) || len > 2 * CX_MAX_MOMENTS - 1) return 0;
    for (;; k += 2) {
        int v = s[k] - '0';
        if (v < 0 || v > 9 || v < lo || v > hi) return 0;
        out[k / 2] = v;
        if (k + 1 == len) break;
        if (s[k + 1] != ';' && s[k + 1] != ',') return 0;
    }
    *n = len / 2 + 1;
    return 1;
}

int cx_parse_moments_n(const char *s, size_t len, int lo, int hi, int *out, size_t *n, const char **why)
{
    const char *p = s, *e = s + len;

    *n = 0;
    if (moments_plain(s, len, lo, hi, out, n)) return 0;
    while (p < e && *p == ' ') p++;
    if (p == e) return 0;
    for (;;) {
        const char *end;
        long v;
        while (p < e && *p == ' ') p++;
        if (p < e && *p >= '0' && *p <= '9' && (p + 1 == e || p[1] == ';' || p[1] == ',')) {
            v = *p - '0'; /* one digit: what strtol would read */
            end = p + 1;
        } else if (!to_long(p, e, &v, &end)) {
            *why = "moments: not a list of integers";
            return -1;
        }
        if (v < lo || v > hi) {
            *why = "moments: value outside the moment scale";
            return -1;
        }
        if (*n == CX_MAX_MOMENTS) {
            *why = "moments: more than 64 values";
            return -1;
        }
        out[(*n)++] = (int)v;
        p = end;
        while (p < e && *p == ' ') p++;
        if (p == e) return 0;
        if (*p != ';' && *p != ',') {
            *why = "moments: not a list of integers";
            return -1;
        }
        p++;
    }
}

int cx_parse_moments(const char *s, int lo, int hi, int *out, size_t *n, const char **why)
{
    return cx_parse_moments_n(s, strlen(s), lo, hi, out, n, why);
}

void cx_format_moments(const int *m, size_t n, char *buf, size_t cap)
{
    size_t k = 0;
    if (cap == 0) return;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k < cap; i++) {
        if (cap - k >= 13) { /* ';', an int's 11 bytes and the NUL fit: by hand, as snprintf writes */
            if (i) buf[k++] = ';';
            k += cx_num_put_int(buf + k, m[i]);
            buf[k] = '\0';
            continue;
        }
        int w = snprintf(buf + k, cap - k, i ? ";%d" : "%d", m[i]);
        if (w < 0) break;
        k += (size_t)w;
    }
}

int cx_parse_number(const char *s, int allow_neg, double *out, const char **why)
{
    return cx_num_parse(s, strlen(s), allow_neg, out, why);
}

int cx_parse_number_n(const char *s, size_t len, int allow_neg, double *out, const char **why)
{
    return cx_num_parse(s, len, allow_neg, out, why);
}
