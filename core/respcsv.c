/* respcsv.c — see respcsv.h. */
#include "core/respcsv.h"
#include "core/timeparse.h"

#include <stdlib.h>
#include <string.h>

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

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
        for (size_t j = 0; j < i; j++)
            if (strcmp(rec->fields[j], name) == 0) {
                snprintf(err, errlen, "column '%s' appears twice", name);
                goto fail;
            }
        int f = cx_field_lookup(name);
        if (f >= 0) { h->col[f] = (int)i; continue; }
        if (h->n_attrs == CX_MAX_ATTRS) {
            snprintf(err, errlen, "more than %d attribute columns", CX_MAX_ATTRS);
            goto fail;
        }
        h->attr_col[h->n_attrs] = i;
        if (!(h->attr_name[h->n_attrs] = dup(name))) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        h->n_attrs++;
    }
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

static const char *cell(const resp_header *h, const csv_record *rec, cx_field f)
{
    return h->col[f] >= 0 ? rec->fields[h->col[f]] : "";
}

int resp_from_record(const resp_header *h, const csv_record *rec, const char *source,
                     int force_source, int moment_lo, int moment_hi,
                     cx_response *r, const char **field, const char **why)
{
    cx_response_clear(r);
    *field = "";
    if (rec->nfields != h->ncols) {
        *why = rec->nfields < h->ncols ? "too few fields for the header" : "too many fields for the header";
        return -1;
    }
    for (size_t i = 0; i < rec->nfields; i++)
        if (memchr(rec->fields[i], '\0', rec->lens[i]) || !utf8_valid(rec->fields[i], rec->lens[i])) {
            *field = "";
            *why = memchr(rec->fields[i], '\0', rec->lens[i]) ? "NUL byte in a field" : "invalid UTF-8";
            for (int f = 0; f < CX_F_COUNT; f++)
                if (h->col[f] == (int)i) *field = cx_field_name((cx_field)f);
            for (size_t a = 0; a < h->n_attrs; a++)
                if (h->attr_col[a] == i) *field = h->attr_name[a];
            return -1;
        }
    const char *src = cell(h, rec, CX_F_SOURCE);
    r->source = force_source || !*src ? source : src;
    r->response_id = cell(h, rec, CX_F_RESPONSE_ID);
    if (!*r->response_id) { *field = "response_id"; *why = "response_id is empty"; return -1; }
    *field = "responded_at";
    if (time_parse(cell(h, rec, CX_F_RESPONDED_AT), &r->responded_at, why) != 0) return -1;
    const char *upd = cell(h, rec, CX_F_UPDATED_AT);
    r->updated_at = r->responded_at;
    *field = "updated_at";
    if (*upd && time_parse(upd, &r->updated_at, why) != 0) return -1;
    *field = "score";
    if (cx_parse_score(cell(h, rec, CX_F_SCORE), &r->score, why) != 0) return -1;
    r->comment = cell(h, rec, CX_F_COMMENT);
    r->customer_id = cell(h, rec, CX_F_CUSTOMER_ID);
    r->agent_id = cell(h, rec, CX_F_AGENT_ID);
    r->channel = cell(h, rec, CX_F_CHANNEL);
    r->product = cell(h, rec, CX_F_PRODUCT);
    r->interaction_type = cell(h, rec, CX_F_INTERACTION_TYPE);
    const char *ht = cell(h, rec, CX_F_HANDLE_TIME_S);
    if (*ht) {
        *field = "handle_time_s";
        if (cx_parse_number(ht, 0, &r->handle_time_s, why) != 0) return -1;
        r->has_handle_time = 1;
    }
    *field = "moments";
    if (cx_parse_moments(cell(h, rec, CX_F_MOMENTS), moment_lo, moment_hi, r->moments,
                         &r->n_moments, why) != 0)
        return -1;
    for (size_t a = 0; a < h->n_attrs; a++) {
        r->attrs[r->n_attrs].key = h->attr_name[a];
        r->attrs[r->n_attrs].value = rec->fields[h->attr_col[a]];
        r->n_attrs++;
    }
    *field = "";
    return 0;
}

void resp_write_header(csv_writer *w, const char *const *attr_names, size_t n)
{
    for (int f = 0; f < CX_F_COUNT; f++) csv_put_text(w, cx_field_name((cx_field)f));
    for (size_t i = 0; i < n; i++) csv_put_text(w, attr_names[i]);
    csv_end_record(w);
}

/* Shortest of %.15g / %.17g that reads back as the same double. */
static void put_exact(csv_writer *w, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, sizeof buf, "%.17g", v);
    csv_put_text(w, buf);
}

void resp_write_record(csv_writer *w, const cx_response *r, const char *const *attr_names, size_t n)
{
    char ts[TIME_ISO_LEN], moments[CX_MAX_MOMENTS * 12];
    csv_put_text(w, r->source);
    csv_put_text(w, r->response_id);
    time_format_iso(r->responded_at, ts);
    csv_put_text(w, ts);
    time_format_iso(r->updated_at, ts);
    csv_put_text(w, ts);
    csv_put_int(w, r->score);
    csv_put_text(w, r->comment);
    csv_put_text(w, r->customer_id);
    csv_put_text(w, r->agent_id);
    csv_put_text(w, r->channel);
    csv_put_text(w, r->product);
    csv_put_text(w, r->interaction_type);
    if (r->has_handle_time) put_exact(w, r->handle_time_s);
    else csv_put_empty(w);
    cx_format_moments(r->moments, r->n_moments, moments, sizeof moments);
    csv_put_text(w, moments);
    for (size_t i = 0; i < n; i++) {
        const char *v = "";
        for (size_t k = 0; k < r->n_attrs; k++)
            if (strcmp(r->attrs[k].key, attr_names[i]) == 0) { v = r->attrs[k].value; break; }
        csv_put_text(w, v);
    }
    csv_end_record(w);
}
