/* cache_write.c — writing the analysis cache (cache.h): rows gathered a
 * block at a time into column buffers (text columns deduplicated through a
 * small hash table a block), each full block written with its head.  The
 * file itself (made, locked, opened to add to, committed, discarded):
 * cache_wfile.c. */
#include "core/store/cache_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Head H and its payload P at AT: through the new file's stream past the
 * page cache (cache_wfile.c cache_create) while the blocks come in file
 * order, else (an appended file, a block out of order) plainly. */
static int put_block(cache_writer *w, const cache_bhead *h, const char *p, long long at)
{
    if (w->ds_on && at != dstream_end(&w->ds) && cache_end_stream(w) != 0) return -1;
    if (w->ds_on)
        return dstream_put(&w->ds, h, sizeof *h, at) != 0 ||
                       dstream_put(&w->ds, p, h->payload, at + (long long)sizeof *h) != 0
                   ? -1
                   : 0;
    return file_pwrite_all(w->fd, h, sizeof *h, at) != 0 ||
                   file_pwrite_all(w->fd, p, h->payload, at + (long long)sizeof *h) != 0
               ? -1
               : 0;
}

/* Room for N more bytes in B. */
static int reserve(cbuf *b, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n) cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) return -1;
        b->p = q;
        b->cap = cap;
    }
    return 0;
}

static int put(cbuf *b, const void *p, size_t n)
{
    if (!n) return 0;
    if (reserve(b, n) != 0) return -1;
    memcpy(b->p + b->n, p, n);
    b->n += n;
    return 0;
}

static int grow32(uint32_t **a, size_t *cap, size_t need)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need) c *= 2;
    uint32_t *q = realloc(*a, c * sizeof *q);
    if (!q) return -1;
    *a = q;
    *cap = c;
    return 0;
}

/* Doubles T's hash table and puts its values back. */
static int rehash(tcol *t)
{
    size_t n = t->n_slot ? 2 * t->n_slot : 1024;
    struct tslot *s = calloc(n, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < t->n_slot; i++) {
        if (!t->slot[i].code1) continue;
        size_t k = t->slot[i].hash & (n - 1);
        while (s[k].code1) k = (k + 1) & (n - 1);
        s[k] = t->slot[i];
    }
    free(t->slot);
    t->slot = s;
    t->n_slot = n;
    return 0;
}

/* V (LEN bytes) into T: its dictionary code appended.  -1 OOM or too big. */
static int text_add(tcol *t, const char *v, size_t len)
{
    if (2 * (t->n_dict + 1) > t->n_slot && rehash(t) != 0) return -1;
    if (t->data.n + len + 1 > UINT32_MAX / 2) return -1;
    uint32_t h = (uint32_t)cache_hash(v, len);
    size_t k = h & (t->n_slot - 1);
    uint32_t code;
    for (;;) {
        const struct tslot *s = &t->slot[k];
        if (!s->code1) break;
        if (s->hash == h) {
            size_t o = t->off[s->code1 - 1], l = t->off[s->code1] - o - 1;
            if (l == len && memcmp(t->data.p + o, v, len) == 0) {
                code = s->code1 - 1;
                goto have;
            }
        }
        k = (k + 1) & (t->n_slot - 1);
    }
    if (grow32(&t->off, &t->off_cap, t->n_dict + 2) != 0) return -1;
    if (t->n_dict == 0) t->off[0] = 0;
    if (put(&t->data, v, len) != 0 || put(&t->data, "", 1) != 0) return -1;
    code = (uint32_t)t->n_dict++;
    t->off[t->n_dict] = (uint32_t)t->data.n;
    t->slot[k] = (struct tslot){code + 1, h};
have:
    if (grow32(&t->code, &t->code_cap, t->n_code + 1) != 0) return -1;
    t->code[t->n_code++] = code;
    return 0;
}

static void text_reset(tcol *t)
{
    t->data.n = 0;
    t->n_dict = t->n_code = 0;
    if (t->slot) memset(t->slot, 0, t->n_slot * sizeof *t->slot);
}

/* Column bytes P, N into the block being written, 8-aligned, noted in C. */
static int put_col(cache_writer *w, cache_col *c, const void *p, size_t n)
{
    static const char zero[8] = {0};
    size_t pad = (8 - w->out->n % 8) % 8;
    if (put(w->out, zero, pad) != 0) return -1;
    c->off = (uint32_t)w->out->n;
    c->len = (uint32_t)n;
    c->hash = cache_hash(p, n);
    return n ? put(w->out, p, n) : 0;
}

/* The N codes C appended to B, WIDTH bytes each (cache.h). */
static int put_codes(cbuf *b, const uint32_t *c, size_t n, unsigned width)
{
    if (width == 4) return put(b, c, n * 4);
    if (reserve(b, n * width) != 0) return -1;
    if (width == 1) {
        uint8_t *o = (uint8_t *)(b->p + b->n);
        for (size_t i = 0; i < n; i++) o[i] = (uint8_t)c[i];
    } else {
        uint16_t *o = (uint16_t *)(b->p + b->n);
        for (size_t i = 0; i < n; i++) o[i] = (uint16_t)c[i];
    }
    b->n += n * width;
    return 0;
}

/* The block's moments as bytes into w->narrow when every one fits in
 * one: 0; else -1 (they go as gathered, four bytes each). */
static int narrow_moments(cache_writer *w)
{
    const int32_t *m = (const int32_t *)w->fixed[CC_MOMENTS].p;
    size_t n = w->fixed[CC_MOMENTS].n / sizeof *m;
    for (size_t i = 0; i < n; i++)
        if (m[i] < INT8_MIN || m[i] > INT8_MAX) return -1;
    w->narrow.n = 0;
    if (reserve(&w->narrow, n) != 0) return -1;
    int8_t *o = (int8_t *)w->narrow.p;
    for (size_t i = 0; i < n; i++) o[i] = (int8_t)m[i];
    w->narrow.n = n;
    return 0;
}

int cache_flush_block(cache_writer *w, char *err, size_t errlen)
{
    if (!w->rows) return 0;
    cache_bhead h;
    memset(&h, 0, sizeof h);
    h.magic = CACHE_BLOCK_MAGIC;
    h.rows = (uint32_t)w->rows;
    h.n_moments = (uint32_t)(w->fixed[CC_MOMENTS].n / sizeof(int32_t));
    h.n_attrs = (uint32_t)w->text[CC_ATTR_KEY - CC_FIRST_TEXT].n_code;
    w->out = &w->outs[w->head.blocks % 2];
    w->out->n = 0;
    for (int c = 0; c < CC_FIRST_TEXT; c++) {
        if (c == CC_MOMENTS && narrow_moments(w) == 0) {
            if (put_col(w, &h.col[c], w->narrow.p, w->narrow.n) != 0) goto oom;
        } else if (put_col(w, &h.col[c], w->fixed[c].p, w->fixed[c].n) != 0) {
            goto oom;
        }
    }
    for (int c = 0; c < N_TEXT; c++) {
        tcol *t = &w->text[c];
        /* the dictionary's size, offsets and values, then the codes, as
         * narrow as the dictionary allows */
        cbuf *o = &w->narrow;
        uint32_t n = (uint32_t)t->n_dict, zero = 0;
        o->n = 0;
        if (put(o, &n, 4) != 0 || (n ? put(o, t->off, (n + 1) * 4) : put(o, &zero, 4)) != 0 ||
            put(o, t->data.p, t->data.n) != 0)
            goto oom;
        while (o->n % 4)
            if (put(o, "", 1) != 0) goto oom;
        if (put_codes(o, t->code, t->n_code, cache_code_width(n)) != 0) goto oom;
        if (put_col(w, &h.col[CC_FIRST_TEXT + c], o->p, o->n) != 0) goto oom;
    }
    if (w->out->n > UINT32_MAX / 2) goto oom;
    h.payload = (uint32_t)w->out->n;
    h.hash = cache_hash(&h, offsetof(cache_bhead, hash));
    if (w->defer) {
        struct due *d = &w->due[w->head.blocks % 2];
        if (d->due) {
            snprintf(err, errlen, "cache: %s: block %zu made before block %zu was written", w->tmp,
                     (size_t)w->head.blocks, d->k);
            return -1;
        }
        *d = (struct due){h, w->at, (size_t)w->head.blocks, 1};
    } else if (put_block(w, &h, w->out->p, w->at) != 0) {
        snprintf(err, errlen, "cache: %s: %s", w->tmp, strerror(errno ? errno : EIO));
        return -1;
    }
    w->at += (long long)(sizeof h + w->out->n);
    w->head.blocks++;
    w->last = h;
    w->rows = 0;
    for (int c = 0; c < CC_FIRST_TEXT; c++) w->fixed[c].n = 0;
    for (int c = 0; c < N_TEXT; c++) text_reset(&w->text[c]);
    return 0;
oom:
    snprintf(err, errlen, "cache: out of memory");
    return -1;
}

int cache_add(cache_writer *w, const cx_response *r, int month, char *err, size_t errlen)
{
    int32_t m32 = month;
    uint8_t score = (uint8_t)r->score, metric = (uint8_t)r->metric, has = (uint8_t)(r->has_handle_time != 0),
            nm = (uint8_t)r->n_moments, na = (uint8_t)r->n_attrs;
    double ht = r->has_handle_time ? r->handle_time_s : 0;
    const char *txt[] = {r->source,   r->response_id, r->comment, r->customer_id,
                         r->agent_id, r->channel,     r->product, r->interaction_type};
    if (put(&w->fixed[CC_RESPONDED], &r->responded_at, 8) || put(&w->fixed[CC_UPDATED], &r->updated_at, 8) ||
        put(&w->fixed[CC_HANDLE], &ht, 8) || put(&w->fixed[CC_MONTH], &m32, 4) ||
        put(&w->fixed[CC_SCORE], &score, 1) || put(&w->fixed[CC_METRIC], &metric, 1) ||
        put(&w->fixed[CC_HAS_HANDLE], &has, 1) || put(&w->fixed[CC_N_MOMENTS], &nm, 1) ||
        put(&w->fixed[CC_N_ATTRS], &na, 1))
        goto oom;
    for (size_t k = 0; k < r->n_moments; k++) {
        int32_t v = r->moments[k];
        if (put(&w->fixed[CC_MOMENTS], &v, 4) != 0) goto oom;
    }
    for (size_t k = 0; k < sizeof txt / sizeof *txt; k++)
        if (text_add(&w->text[k], txt[k], strlen(txt[k])) != 0) goto oom;
    for (size_t a = 0; a < r->n_attrs; a++)
        if (text_add(&w->text[CC_ATTR_KEY - CC_FIRST_TEXT], r->attrs[a].key, strlen(r->attrs[a].key)) != 0 ||
            text_add(&w->text[CC_ATTR_VALUE - CC_FIRST_TEXT], r->attrs[a].value, strlen(r->attrs[a].value)) !=
                0)
            goto oom;
    w->head.rows++;
    if (++w->rows == CACHE_BLOCK_ROWS) return cache_flush_block(w, err, errlen);
    return 0;
oom:
    snprintf(err, errlen, "cache: out of memory");
    return -1;
}

int cache_block_ends(const cache_writer *w) { return w->rows + 1 == CACHE_BLOCK_ROWS; }
size_t cache_pending(const cache_writer *w) { return w->rows; }

int cache_copy_block(cache_writer *w, const cache_reader *r, char *err, size_t errlen)
{
    const cache_bhead *h;
    const char *payload;
    if (w->rows || cache_last_raw(r, &h, &payload) != 0) {
        snprintf(err, errlen, "cache: %s: no whole block to copy", w->tmp);
        return -1;
    }
    w->out = &w->outs[w->head.blocks % 2];
    w->out->n = 0;
    if (put(w->out, payload, h->payload) != 0) {
        snprintf(err, errlen, "cache: out of memory");
        return -1;
    }
    if (put_block(w, h, w->out->p, w->at) != 0) {
        snprintf(err, errlen, "cache: %s: %s", w->tmp, strerror(errno ? errno : EIO));
        return -1;
    }
    w->at += (long long)(sizeof *h + w->out->n);
    w->head.blocks++;
    w->head.rows += h->rows;
    w->last = *h;
    return 0;
}

int cache_flush(cache_writer *w, char *err, size_t errlen)
{
    if (!w->rows) return 0;
    return cache_flush_block(w, err, errlen) == 0 ? 1 : -1;
}

void cache_defer_writes(cache_writer *w) { w->defer = 1; }

int cache_end_stream(cache_writer *w)
{
    if (!w->ds_on) return 0;
    w->ds_on = 0;
    return dstream_finish(&w->ds);
}

int cache_write_block(cache_writer *w, size_t k, char *err, size_t errlen)
{
    struct due *d = &w->due[k % 2];
    if (!d->due || d->k != k) {
        snprintf(err, errlen, "cache: %s: block %zu is not waiting to be written", w->tmp, k);
        return -1;
    }
    if (put_block(w, &d->h, w->outs[k % 2].p, d->at) != 0) {
        snprintf(err, errlen, "cache: %s: %s", w->tmp, strerror(errno ? errno : EIO));
        return -1;
    }
    d->due = 0;
    return 0;
}

int cache_view(const cache_writer *w, cache_block *b)
{
    if (!w->head.blocks) return -1;
    return cache_parse_block(&w->last, w->outs[(w->head.blocks - 1) % 2].p, CACHE_ALL_COLS, b);
}
