/* store_sqlite_batch.c — see store_sqlite_batch.h.  No snprintf and no
 * cJSON per row: moments and the attribute JSON are written by hand, byte
 * for byte what cx_format_moments and attrs_to_json write (the unit tests
 * compare them). */
#include "core/store/store_sqlite_batch.h"
#include "core/grow.h"
#include "core/num.h"

#include <stdlib.h>
#include <string.h>

/* ---- the arena ---- */

static int reserve(sq_batch *b, size_t more)
{
    if (b->used + more <= b->arena_cap) return 0;
    char *a = grow_array(b->arena, &b->arena_cap, b->used + more, 1, 1 << 20, UINT32_MAX, 0);
    if (!a) return -1;
    b->arena = a;
    return 0;
}

/* S (N bytes) and its NUL at the arena's end, as R's text T (room
 * reserved). */
static void put(sq_batch *b, sq_brow *r, int t, const char *s, size_t n)
{
    memcpy(b->arena + b->used, s, n + 1);
    r->off[t] = (uint32_t)b->used;
    r->len[t] = (uint32_t)n;
    b->used += n + 1;
}

/* A JSON string as cJSON prints it: \" \\ \b \f \n \r \t, other bytes
 * below 0x20 as \u00xx (lower-case hex), the rest as they are. */
static size_t json_str(char *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    p[k++] = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        unsigned char ch = *c;
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            p[k++] = (char)ch;
            continue;
        }
        p[k++] = '\\';
        switch (ch) {
        case '"': p[k++] = '"'; break;
        case '\\': p[k++] = '\\'; break;
        case '\b': p[k++] = 'b'; break;
        case '\f': p[k++] = 'f'; break;
        case '\n': p[k++] = 'n'; break;
        case '\r': p[k++] = 'r'; break;
        case '\t': p[k++] = 't'; break;
        default:
            p[k++] = 'u';
            p[k++] = '0';
            p[k++] = '0';
            p[k++] = hex[ch >> 4];
            p[k++] = hex[ch & 15];
        }
    }
    p[k++] = '"';
    return k;
}

/* Worst case of json_str for S: every byte as \u00xx, and the quotes. */
static size_t json_max(const char *s) { return strlen(s) * 6 + 2; }

static size_t attrs_max(const cx_attr *a, size_t n)
{
    size_t m = 2;
    for (size_t i = 0; i < n; i++) m += json_max(a[i].key) + json_max(a[i].value) + 2;
    return m;
}

static size_t attrs_write(char *p, const cx_attr *a, size_t n)
{
    size_t k = 0;
    p[k++] = '{';
    for (size_t i = 0; i < n; i++) {
        if (i) p[k++] = ',';
        k += json_str(p + k, a[i].key ? a[i].key : "");
        p[k++] = ':';
        k += json_str(p + k, a[i].value ? a[i].value : "");
    }
    p[k++] = '}';
    return k;
}

long sq_attrs_json(const cx_attr *a, size_t n, char *out, size_t cap)
{
    if (attrs_max(a, n) + 1 > cap) return -1;
    size_t k = attrs_write(out, a, n);
    out[k] = '\0';
    return (long)k;
}

/* Room for one more row: 0, or -1 when out of memory. */
static int grow_rows(sq_batch *b)
{
    if (b->n < b->cap) return 0;
    size_t cap = b->cap ? b->cap * 2 : 4096;
    sq_brow *row = realloc(b->row, cap * sizeof *row);
    if (!row) return -1;
    b->row = row;
    uint32_t *order = realloc(b->order, cap * sizeof *order);
    if (!order) return -1;
    b->order = order;
    b->cap = cap;
    return 0;
}

int sq_batch_add_raw(sq_batch *b, const sq_brow *h, const char *const txt[SQB_NTEXT])
{
    size_t total = SQB_NTEXT; /* the NULs */
    int block = 1;            /* TXT already one after another, a byte between */
    for (int t = 0; t < SQB_NTEXT; t++) {
        total += h->len[t];
        if (t > 0 && txt[t] != txt[t - 1] + h->len[t - 1] + 1) block = 0;
    }
    if (grow_rows(b) != 0 || reserve(b, total) != 0) return -1;
    sq_brow *w = &b->row[b->n];
    *w = *h;
    char *a = b->arena + b->used;
    if (block) memcpy(a, txt[0], total); /* a row of a run, or of another batch: one copy */
    for (int t = 0; t < SQB_NTEXT; t++) {
        if (!block && h->len[t]) memcpy(a, txt[t], h->len[t]);
        a[h->len[t]] = '\0'; /* (one piece: whatever lay between them) */
        a += h->len[t] + 1;
        w->off[t] = (uint32_t)b->used;
        b->used += h->len[t] + 1;
    }
    w->skip = 0;
    b->order[b->n] = (uint32_t)b->n;
    b->n++;
    b->sorted = 0;
    return 0;
}

int sq_batch_add(sq_batch *b, const cx_response *r, long long seq)
{
    if (grow_rows(b) != 0) return -1;
    sq_brow *w = &b->row[b->n];
    const char *txt[SQB_MOMENTS] = {r->source,   r->response_id, r->comment, r->customer_id,
                                    r->agent_id, r->channel,     r->product, r->interaction_type};
    size_t len[SQB_MOMENTS], nm = r->n_moments > CX_MAX_MOMENTS ? CX_MAX_MOMENTS : r->n_moments;
    /* the row's room at once: its texts with their NULs, the moments (an
     * int at most 11 bytes and its ';'), the attributes' JSON */
    size_t room = nm * 12 + 1 + attrs_max(r->attrs, r->n_attrs) + 1;
    for (int t = 0; t < SQB_MOMENTS; t++) {
        if (!txt[t]) {
            txt[t] = "";
            len[t] = 0;
        } else {
            len[t] = r->lens_known ? r->text_len[t] : strlen(txt[t]);
        }
        room += len[t] + 1;
    }
    if (reserve(b, room) != 0) return -1;
    for (int t = 0; t < SQB_MOMENTS; t++) put(b, w, t, txt[t], len[t]);
    size_t k = 0;
    for (size_t i = 0; i < nm; i++) {
        if (i) b->arena[b->used + k++] = ';';
        k += cx_num_put_int(b->arena + b->used + k, r->moments[i]); /* an int: at most 11 bytes */
    }
    w->off[SQB_MOMENTS] = (uint32_t)b->used;
    w->len[SQB_MOMENTS] = (uint32_t)k;
    b->arena[b->used + k] = '\0';
    b->used += k + 1;
    k = attrs_write(b->arena + b->used, r->attrs, r->n_attrs);
    w->off[SQB_ATTRS] = (uint32_t)b->used;
    w->len[SQB_ATTRS] = (uint32_t)k;
    b->arena[b->used + k] = '\0';
    b->used += k + 1;
    w->responded_at = r->responded_at;
    w->updated_at = r->updated_at;
    w->handle_time_s = r->handle_time_s;
    w->has_handle_time = r->has_handle_time != 0;
    w->score = r->score;
    w->metric = r->metric;
    w->month = 0; /* set by the caller (time_month_key) */
    w->seq = seq;
    w->skip = 0;
    b->order[b->n] = (uint32_t)b->n;
    b->n++;
    b->sorted = 0;
    return 0;
}

void sq_batch_reset(sq_batch *b)
{
    b->n = 0;
    b->used = 0;
    b->sorted = 0;
    b->merged = 0;
    b->show_skipped = 0;
}

void sq_batch_free(sq_batch *b)
{
    free(b->row);
    free(b->arena);
    free(b->order);
    memset(b, 0, sizeof *b);
}
