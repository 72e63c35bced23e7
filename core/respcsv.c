/* respcsv.c — see respcsv.h. */
#include "core/respcsv.h"
#include "core/timeparse.h"

#define CX_TIME_MIN_YEAR 1900 /* CX_TIME_MIN's year: time_parse says why an earlier one fails */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void resp_header_free(resp_header *h)
{
    for (size_t i = 0; i < h->n_attrs; i++) free((char *)h->attr_name[i]);
    h->n_attrs = 0;
}

int resp_header_init(resp_header *h, const csv_record *rec, char *err, size_t errlen)
{
    memset(h, 0, sizeof *h);
    for (int f = 0; f < CX_F_COUNT; f++) h->col[f] = -1;
    h->ncols = rec->nfields;
    for (size_t i = 0; i < rec->nfields; i++) {
        const char *name = rec->fields[i];
        if (name[0] == '\0') {
            snprintf(err, errlen, "column %zu has an empty name", i + 1);
            goto fail;
        }
        /* A name becomes an attribute key, an export column and a --by
         * segment label: it must be text like the values are. */
        if (memchr(name, '\0', rec->lens[i]) || !utf8_valid(name, rec->lens[i])) {
            snprintf(err, errlen, "column %zu: the name is not valid UTF-8 or holds a NUL byte", i + 1);
            goto fail;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(rec->fields[j], name) == 0) {
                snprintf(err, errlen, "column '%s' appears twice", name);
                goto fail;
            }
        int f = cx_field_lookup(name);
        if (f >= 0) {
            h->col[f] = (int)i;
            continue;
        }
        if (h->n_attrs == CX_MAX_ATTRS) {
            snprintf(err, errlen, "more than %d attribute columns", CX_MAX_ATTRS);
            goto fail;
        }
        h->attr_col[h->n_attrs] = i;
        if (!(h->attr_name[h->n_attrs] = strdup(name))) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        h->n_attrs++;
    }
    for (int f = 0; f < CX_F_COUNT; f++) h->at[f] = h->col[f] >= 0 ? (size_t)h->col[f] : h->ncols;
    static const cx_field required[] = {CX_F_RESPONSE_ID, CX_F_RESPONDED_AT, CX_F_SCORE};
    for (size_t k = 0; k < sizeof required / sizeof *required; k++)
        if (h->col[required[k]] < 0) {
            snprintf(err, errlen, "missing required column '%s'", cx_field_name(required[k]));
            goto fail;
        }
    return 0;
fail:
    resp_header_free(h);
    return -1;
}

/* Name of column I for messages: its model field or attribute name. */
static const char *column_name(const resp_header *h, size_t i)
{
    for (int f = 0; f < CX_F_COUNT; f++)
        if (h->col[f] == (int)i) return cx_field_name((cx_field)f);
    for (size_t a = 0; a < h->n_attrs; a++)
        if (h->attr_col[a] == i) return h->attr_name[a];
    return "";
}

static uint64_t load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static int num2(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* 1 when every byte of V (loaded little-endian) that MASK selects is an
 * ASCII digit: t = v ^ '0' leaves 0..9 in a digit's byte; anything else
 * sets a high nibble or makes t + 6 reach 16. */
static int all_digits(uint64_t v, uint64_t mask)
{
    uint64_t t = (v ^ 0x3030303030303030ull) & mask;
    return ((t & 0xF0F0F0F0F0F0F0F0ull) | ((t + 0x0606060606060606ull) & 0x1010101010101010ull)) == 0;
}
/* Digits of "YYYY-MM-DDTHH:MM": bytes 0-3, 5-6 of S; 0-1, 3-4, 6-7 of S+8. */
static int stamp_digits(const char *s)
{
    return all_digits(load8(s), 0x00FFFF00FFFFFFFFull) && all_digits(load8(s + 8), 0xFFFF00FFFF00FFFFull);
}
#else
static int stamp_digits(const char *s)
{
    static const unsigned char at[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15};
    for (size_t k = 0; k < sizeof at; k++)
        if ((unsigned)(s[at[k]] - '0') > 9) return 0;
    return 1;
}
#endif

/* "YYYY-MM-DDTHH:MM:SSZ", the form nearly every export writes.  Rows
 * mostly come in time order, so the checked "YYYY-MM-DDTHH:MM" is cached
 * with its seconds since the epoch and month key, and most stamps only
 * have their seconds read.  0 ok; -1 when S is anything else or out of
 * range (time_parse then decides). */
static int time_fast(resp_day *c, const char *s, int64_t *t, int *month)
{
    static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint64_t w0 = load8(s), w1 = load8(s + 8);
    unsigned s1 = (unsigned)((unsigned char)s[17] - '0'), s2 = (unsigned)((unsigned char)s[18] - '0');

    if (s[16] != ':' || s[19] != 'Z' || s1 > 9 || s2 > 9 || s1 * 10 + s2 > 60) return -1;
    if (!c->valid || c->w0 != w0 || c->w1 != w1) {
        if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || !stamp_digits(s)) return -1;
        int hh = num2(s + 11), mi = num2(s + 14);
        if (hh > 23 || mi > 59) return -1;
        if (!c->valid || c->w0 != w0 || c->d2 != (uint16_t)(w1 & 0xFFFF)) { /* another day */
            int y = num2(s) * 100 + num2(s + 2), m = num2(s + 5), d = num2(s + 8);
            int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            if (y < CX_TIME_MIN_YEAR || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
                return -1;
            c->days = days_from_civil(y, (unsigned)m, (unsigned)d);
            c->month = y * 12 + m - 1;
            c->d2 = (uint16_t)(w1 & 0xFFFF);
        }
        c->w0 = w0;
        c->w1 = w1;
        c->minute = c->days * 86400 + hh * 3600 + mi * 60;
        c->valid = 1;
    }
    *t = c->minute + (s1 * 10 + s2 == 60 ? 59 : s1 * 10 + s2); /* :60, a leap second, is :59 */
    *month = c->month;
    return 0;
}

/* time_parse() on a NUL-terminated copy of S[0..len). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int
time_slow(const char *s, size_t len, int64_t *t, int *month, const char **why)
{
    char small[64], *copy = len < sizeof small ? small : malloc(len + 1);
    if (!copy) {
        *why = "out of memory";
        return -1;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    int rc = time_parse(copy, t, why);
    if (copy != small) free(copy);
    if (rc == 0) *month = time_month_key(*t);
    return rc;
}

/* time_parse() of S[0..len) into *T and the month key of *T into *MONTH:
 * the common form through time_fast, any other (or a value time_fast does
 * not accept) through time_parse() itself, for its result or message. */
static int time_span(resp_day *c, const csv_span *v, int64_t *t, int *month, const char **why)
{
    if (v->len == 20 && time_fast(c, v->p, t, month) == 0) return 0;
    return time_slow(v->p, v->len, t, month, why);
}

int resp_check(const resp_header *h, resp_cache *cache, csv_span *f, size_t nf, int ascii, int moment_lo,
               int moment_hi, int *moments, resp_vals *v, const char **field, const char **why)
{
    resp_cache none;
    const csv_span *c;
    int unused;

    if (nf != h->ncols) {
        *field = "";
        *why = nf < h->ncols ? "too few fields for the header" : "too many fields for the header";
        return -1;
    }
    f[nf].p = ""; /* what h->at gives for an absent column */
    f[nf].len = 0;
    for (size_t i = 0; !ascii && i < nf; i++) {
        if (utf8_clean(f[i].p, f[i].len)) continue;
        *why = memchr(f[i].p, '\0', f[i].len) ? "NUL byte in a field" : "invalid UTF-8";
        *field = column_name(h, i);
        return -1;
    }
    if (!cache) {
        memset(&none, 0, sizeof none);
        cache = &none;
    }
    if (f[h->at[CX_F_RESPONSE_ID]].len == 0) {
        *field = "response_id";
        *why = "response_id is empty";
        return -1;
    }
    if (time_span(&cache->responded, &f[h->at[CX_F_RESPONDED_AT]], &v->responded_at, &v->month, why)) {
        *field = "responded_at";
        return -1;
    }
    c = &f[h->at[CX_F_UPDATED_AT]];
    v->updated_at = v->responded_at;
    if (c->len && time_span(&cache->updated, c, &v->updated_at, &unused, why) != 0) {
        *field = "updated_at";
        return -1;
    }
    c = &f[h->at[CX_F_SCORE]];
    const csv_span *m = &f[h->at[CX_F_METRIC]];
    if (m->len == 0) { /* the common case: an NPS file */
        v->metric = CX_METRIC_NPS;
        if (cx_parse_score_n(c->p, c->len, &v->score, why) != 0) {
            *field = "score";
            return -1;
        }
    } else if (cx_parse_metric_score_n(m->p, m->len, c->p, c->len, &v->metric, &v->score, field, why) != 0) {
        return -1;
    }
    c = &f[h->at[CX_F_HANDLE_TIME_S]];
    v->has_handle_time = c->len > 0;
    v->handle_time_s = 0;
    if (c->len && cx_parse_number_n(c->p, c->len, 0, &v->handle_time_s, why) != 0) {
        *field = "handle_time_s";
        return -1;
    }
    c = &f[h->at[CX_F_MOMENTS]];
    if (cx_parse_moments_n(c->p, c->len, moment_lo, moment_hi, moments, &v->n_moments, why) != 0) {
        *field = "moments";
        return -1;
    }
    return 0;
}

/* 1 when P[0..N) is ASCII and holds exactly SEPS NUL bytes (the fields'
 * separators): no field has a byte over 0x7f or a NUL of its own. */
static int ascii_fields(const char *p, size_t n, size_t seps)
{
    const uint64_t high = 0x8080808080808080ull, low = 0x7f7f7f7f7f7f7f7full;
    size_t i = 0, nul = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & high) return 0;
        /* its bytes 0: their high bit set; moved to the byte's low bit and
         * summed into the top byte by the multiply (at most 8).  Not
         * __builtin_popcountll: without -mpopcnt it is a call into libgcc,
         * 5% of a shuffled import's reading thread */
        uint64_t zero = ~(((w & low) + low) | w | low) >> 7;
        nul += (size_t)((zero * 0x0101010101010101ull) >> 56);
    }
    for (; i < n; i++) {
        if ((unsigned char)p[i] >= 0x80) return 0;
        nul += p[i] == '\0';
    }
    return nul == seps;
}

static const char *cell(const resp_header *h, const csv_record *rec, cx_field f)
{
    return h->col[f] >= 0 ? rec->fields[h->col[f]] : "";
}

void resp_check_record(const resp_header *h, const csv_record *rec, resp_cache *cache, int moment_lo,
                       int moment_hi, int *moments, resp_checked *c)
{
    /* f[0..nfields) set below, f[nfields] by resp_check: no need to
     * clear the 1 KB of spans a row */
    csv_span one[64], *f = rec->nfields < 64 ? one : calloc(rec->nfields + 1, sizeof *f);
    if (!f) {
        c->rc = -1;
        c->field = "";
        c->why = "out of memory";
        return;
    }
    /* csv_read lays a record's fields one after another, each followed by
     * a NUL: then one pass over them all says whether every field is
     * ASCII without a NUL of its own (most rows), instead of a check a
     * field */
    int contiguous = rec->nfields > 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        f[i].p = rec->fields[i];
        f[i].len = rec->lens[i];
        if (i && rec->fields[i] != rec->fields[i - 1] + rec->lens[i - 1] + 1) contiguous = 0;
    }
    int ascii =
        contiguous &&
        ascii_fields(rec->fields[0],
                     (size_t)(rec->fields[rec->nfields - 1] + rec->lens[rec->nfields - 1] - rec->fields[0]),
                     rec->nfields - 1);
    c->field = c->why = "";
    c->rc = resp_check(h, cache, f, rec->nfields, ascii, moment_lo, moment_hi, moments, &c->v, &c->field,
                       &c->why);
    if (f != one) free(f);
}

int resp_from_checked(const resp_header *h, const csv_record *rec, const resp_checked *c, const int *moments,
                      const char *source, int force_source, cx_response *r, const char **field,
                      const char **why)
{
    cx_response_clear(r);
    if (c->rc != 0) {
        *field = c->field;
        *why = c->why;
        return -1;
    }
    const resp_vals *v = &c->v;
    const char *src = cell(h, rec, CX_F_SOURCE);
    r->source = force_source || !*src ? source : src;
    static const cx_field texts[8] = {CX_F_SOURCE,   CX_F_RESPONSE_ID, CX_F_COMMENT, CX_F_CUSTOMER_ID,
                                      CX_F_AGENT_ID, CX_F_CHANNEL,     CX_F_PRODUCT, CX_F_INTERACTION_TYPE};
    for (int t = 0; t < 8; t++) r->text_len[t] = h->col[texts[t]] >= 0 ? rec->lens[h->col[texts[t]]] : 0;
    if (r->source != src) r->text_len[0] = strlen(r->source);
    r->lens_known = 1; /* (resp_check refused a field holding a NUL) */
    r->response_id = cell(h, rec, CX_F_RESPONSE_ID);
    r->responded_at = v->responded_at;
    r->updated_at = v->updated_at;
    r->score = v->score;
    r->metric = v->metric;
    r->comment = cell(h, rec, CX_F_COMMENT);
    r->customer_id = cell(h, rec, CX_F_CUSTOMER_ID);
    r->agent_id = cell(h, rec, CX_F_AGENT_ID);
    r->channel = cell(h, rec, CX_F_CHANNEL);
    r->product = cell(h, rec, CX_F_PRODUCT);
    r->interaction_type = cell(h, rec, CX_F_INTERACTION_TYPE);
    r->handle_time_s = v->handle_time_s;
    r->has_handle_time = v->has_handle_time;
    r->n_moments = v->n_moments;
    if (moments != r->moments && v->n_moments) memcpy(r->moments, moments, v->n_moments * sizeof *moments);
    for (size_t a = 0; a < h->n_attrs; a++) {
        r->attrs[a].key = h->attr_name[a];
        r->attrs[a].value = rec->fields[h->attr_col[a]];
    }
    r->n_attrs = h->n_attrs;
    return 0;
}

int resp_from_record(const resp_header *h, const csv_record *rec, const char *source, int force_source,
                     int moment_lo, int moment_hi, cx_response *r, const char **field, const char **why)
{
    resp_checked c;
    resp_check_record(h, rec, NULL, moment_lo, moment_hi, r->moments, &c);
    return resp_from_checked(h, rec, &c, r->moments, source, force_source, r, field, why);
}
