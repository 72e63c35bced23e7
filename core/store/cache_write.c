/* cache_write.c — writing the analysis cache (cache.h): rows gathered a
 * block at a time into column buffers (text columns deduplicated through a
 * small hash table a block: cache_wtext.c), each full block written with
 * its head.  Rows taken by code from a block read: cache_wrows.c.  The
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

/* Column bytes P, N into the block being written, 8-aligned, noted in C. */
static int put_col(cache_writer *w, cache_col *c, const void *p, size_t n)
{
    static const char zero[8] = {0};
    size_t pad = (8 - w->out->n % 8) % 8;
    if (cbuf_put(w->out, zero, pad) != 0) return -1;
    c->off = (uint32_t)w->out->n;
    c->len = (uint32_t)n;
    c->hash = cache_hash(p, n);
    return n ? cbuf_put(w->out, p, n) : 0;
}

/* The N codes C appended to B, WIDTH bytes each (cache.h). */
static int put_codes(cbuf *b, const uint32_t *c, size_t n, unsigned width)
{
    if (width == 4) return cbuf_put(b, c, n * 4);
    if (cbuf_reserve(b, n * width) != 0) return -1;
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
    if (cbuf_reserve(&w->narrow, n) != 0) return -1;
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
    w->out = &w->outs[w->head.blocks % w->kept];
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
        if (cbuf_put(o, &n, 4) != 0 || (n ? cbuf_put(o, t->off, (n + 1) * 4) : cbuf_put(o, &zero, 4)) != 0 ||
            cbuf_put(o, t->data.p, t->data.n) != 0)
            goto oom;
        while (o->n % 4)
            if (cbuf_put(o, "", 1) != 0) goto oom;
        if (put_codes(o, t->code, t->n_code, cache_code_width(n)) != 0) goto oom;
        if (put_col(w, &h.col[CC_FIRST_TEXT + c], o->p, o->n) != 0) goto oom;
    }
    if (w->out->n > UINT32_MAX / 2) goto oom;
    h.payload = (uint32_t)w->out->n;
    h.hash = cache_hash(&h, offsetof(cache_bhead, hash));
    if (w->defer) {
        struct due *d = &w->due[w->head.blocks % w->kept];
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
    w->bytes = 0;
    for (int c = 0; c < CC_FIRST_TEXT; c++) w->fixed[c].n = 0;
    for (int c = 0; c < N_TEXT; c++) text_reset(&w->text[c]);
    return 0;
oom:
    snprintf(err, errlen, "cache: out of memory");
    return -1;
}

/* R's text fields in the order of their columns (CC_SOURCE on). */
#define N_RESP_TEXT (CC_ATTR_KEY - CC_FIRST_TEXT)
static void resp_texts(const cx_response *r, const char *txt[N_RESP_TEXT])
{
    const char *t[N_RESP_TEXT] = {r->source,   r->response_id, r->comment, r->customer_id,
                                  r->agent_id, r->channel,     r->product, r->interaction_type};
    memcpy(txt, t, sizeof t);
}

int cache_add(cache_writer *w, const cx_response *r, int month, char *err, size_t errlen)
{
    int32_t m32 = month;
    uint8_t score = (uint8_t)r->score, metric = (uint8_t)r->metric, has = (uint8_t)(r->has_handle_time != 0),
            nm = (uint8_t)r->n_moments, na = (uint8_t)r->n_attrs;
    double ht = r->has_handle_time ? r->handle_time_s : 0;
    const char *txt[N_RESP_TEXT];
    resp_texts(r, txt);
    if (cbuf_put(&w->fixed[CC_RESPONDED], &r->responded_at, 8) ||
        cbuf_put(&w->fixed[CC_UPDATED], &r->updated_at, 8) || cbuf_put(&w->fixed[CC_HANDLE], &ht, 8) ||
        cbuf_put(&w->fixed[CC_MONTH], &m32, 4) || cbuf_put(&w->fixed[CC_SCORE], &score, 1) ||
        cbuf_put(&w->fixed[CC_METRIC], &metric, 1) || cbuf_put(&w->fixed[CC_HAS_HANDLE], &has, 1) ||
        cbuf_put(&w->fixed[CC_N_MOMENTS], &nm, 1) || cbuf_put(&w->fixed[CC_N_ATTRS], &na, 1))
        goto oom;
    for (size_t k = 0; k < r->n_moments; k++) {
        int32_t v = r->moments[k];
        if (cbuf_put(&w->fixed[CC_MOMENTS], &v, 4) != 0) goto oom;
    }
    size_t bytes = 0;
    for (size_t k = 0; k < N_RESP_TEXT; k++) {
        size_t n = strlen(txt[k]);
        bytes += n;
        if (text_add(&w->text[k], txt[k], n) != 0) goto oom;
    }
    for (size_t a = 0; a < r->n_attrs; a++) {
        size_t kn = strlen(r->attrs[a].key), vn = strlen(r->attrs[a].value);
        bytes += kn + vn;
        if (text_add(&w->text[CC_ATTR_KEY - CC_FIRST_TEXT], r->attrs[a].key, kn) != 0 ||
            text_add(&w->text[CC_ATTR_VALUE - CC_FIRST_TEXT], r->attrs[a].value, vn) != 0)
            goto oom;
    }
    w->head.rows++;
    w->bytes += bytes;
    return cache_block_full(++w->rows, w->bytes) ? cache_flush_block(w, err, errlen) : 0;
oom:
    snprintf(err, errlen, "cache: out of memory");
    return -1;
}

/* The bytes of R's texts, as cache_add counts them. */
static size_t resp_bytes(const cx_response *r)
{
    const char *txt[N_RESP_TEXT];
    resp_texts(r, txt);
    size_t bytes = 0;
    for (size_t k = 0; k < N_RESP_TEXT; k++) bytes += strlen(txt[k]);
    for (size_t a = 0; a < r->n_attrs; a++) bytes += strlen(r->attrs[a].key) + strlen(r->attrs[a].value);
    return bytes;
}

int cache_add_ends(const cache_writer *w, const cx_response *r)
{
    return cache_block_full(w->rows + 1, w->bytes + resp_bytes(r));
}
size_t cache_pending(const cache_writer *w) { return w->rows; }

int cache_copy_block(cache_writer *w, const cache_reader *r, char *err, size_t errlen)
{
    const cache_bhead *h;
    const char *payload;
    if (w->rows || cache_last_raw(r, &h, &payload) != 0) {
        snprintf(err, errlen, "cache: %s: no whole block to copy", w->tmp);
        return -1;
    }
    w->out = &w->outs[w->head.blocks % w->kept];
    w->out->n = 0;
    if (cbuf_put(w->out, payload, h->payload) != 0) {
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

void cache_defer_writes(cache_writer *w, unsigned kept)
{
    w->defer = 1;
    w->kept = kept >= 1 && kept <= CACHE_WRITER_KEPT ? kept : CACHE_WRITER_KEPT;
}

int cache_end_stream(cache_writer *w)
{
    if (!w->ds_on) return 0;
    w->ds_on = 0;
    return dstream_finish(&w->ds);
}

int cache_write_block(cache_writer *w, size_t k, char *err, size_t errlen)
{
    struct due *d = &w->due[k % w->kept];
    if (!d->due || d->k != k) {
        snprintf(err, errlen, "cache: %s: block %zu is not waiting to be written", w->tmp, k);
        return -1;
    }
    if (put_block(w, &d->h, w->outs[k % w->kept].p, d->at) != 0) {
        snprintf(err, errlen, "cache: %s: %s", w->tmp, strerror(errno ? errno : EIO));
        return -1;
    }
    d->due = 0;
    return 0;
}

int cache_view(const cache_writer *w, cache_block *b)
{
    if (!w->head.blocks) return -1;
    return cache_parse_block(&w->last, w->outs[(w->head.blocks - 1) % w->kept].p, CACHE_ALL_COLS, b);
}
