/* respcsv_dedup.c — see respcsv_dedup.h: the filter built (the passes are
 * in respcsv_dedup_pass.c) and asked about each row. */
#include "core/respcsv_dedup_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The filter from now on holds the tracked keys only: a small one, asked
 * first for every row, so most rows need no exact key.  0 ok, -1 OOM. */
static int tracked_filter(resp_dedup *d)
{
    size_t bytes = 1 << 12;
    while (bytes < (size_t)1 << 30 && bytes < d->n * 4) bytes *= 2; /* 32 bits a key */
    free(d->bits);
    if (!(d->bits = calloc(bytes / 8, sizeof *d->bits))) return -1;
    d->nbits = bytes * 8;
    for (size_t i = 0; i < d->n; i++) filter_add(d, d->w[i].hash);
    return 0;
}

resp_dedup *resp_dedup_build(const char *path, const resp_header *h, const char *source, int moment_lo,
                             int moment_hi, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    long long size = 0;
    if (f && fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (f) fclose(f);
    size_t bytes = FILTER_MIN; /* a power of two near 1/8 of the file's bytes */
    while (bytes < FILTER_MAX && (long long)bytes * 8 * 2 <= size) bytes *= 2;
    resp_dedup *d = calloc(1, sizeof *d);
    if (!d || !(d->bits = calloc(bytes / 8, sizeof *d->bits)) || !(d->keys = strmap_new()) ||
        !(d->source = strdup(source))) {
        snprintf(err, errlen, "out of memory");
        resp_dedup_free(d);
        return NULL;
    }
    d->nbits = bytes / 8 * 64;
    d->k = (long long)bytes * 16 >= size ? HASHES : HASHES_CAPPED;
    d->pass0_bytes = bytes;
    int fast = dedup_pass_fast(d, path, h, moment_lo, moment_hi, err, errlen);
    d->passes = 1;
    if (fast == 0) { /* a huge record: start again with csv_read */
        memset(d->bits, 0, d->nbits / 8);
        strmap_clear(d->keys);
        d->n = 0;
        d->passes = 2;
        if (dedup_pass(d, path, h, moment_lo, moment_hi, err, errlen) != 0) fast = -1;
    }
    if (fast < 0 || tracked_filter(d) != 0 || !(d->u = calloc(d->n ? d->n : 1, 1))) {
        if (fast >= 0) snprintf(err, errlen, "out of memory");
        resp_dedup_free(d);
        return NULL;
    }
    return d;
}

void resp_dedup_free(resp_dedup *d)
{
    if (!d) return;
    free(d->bits);
    strmap_free(d->keys);
    free(d->w);
    free(d->u);
    free(d->source);
    free(d);
}

int resp_dedup_class(const resp_dedup *d, const char *src, size_t src_len, const char *id, size_t id_len,
                     long long offset, int64_t updated_at, size_t *key)
{
    if (!d || d->n == 0) return DEDUP_KEEP;
    if (src_len == 0) {
        src = d->source;
        src_len = strlen(d->source);
    }
    if (!filter_has(d, hash_bytes(src, src_len, id, id_len))) return DEDUP_KEEP; /* most rows */
    char small[256], *buf = small;
    size_t cap = sizeof small, klen;
    /* dedup_exact_key grows only a malloc'd buffer: copy for a long key */
    if (24 + src_len + id_len > cap) {
        buf = NULL;
        cap = 0;
    }
    klen = dedup_exact_key(&buf, &cap, src, src_len, id, id_len);
    size_t at = klen ? strmap_get_n(d->keys, buf, klen) : (size_t)-1;
    if (buf != small) free(buf);
    if (at == (size_t)-1) return DEDUP_KEEP;
    const winner *w = &d->w[at];
    *key = at;
    if (offset < w->first) /* the key's first row: against the best row after it */
        return w->offset < 0 || updated_at > w->updated_at ? DEDUP_FIRST_WON : DEDUP_FIRST_LOST;
    return offset == w->offset ? DEDUP_PENDING : DEDUP_DROP;
}

void resp_dedup_first(resp_dedup *d, size_t key, int won)
{
    d->u[key] = (unsigned char)(FIRST_SEEN | (won ? FIRST_WON : 0));
}

int resp_dedup_settle(const resp_dedup *d, size_t key) { return !(d->u[key] & FIRST_WON); }

int resp_dedup_keep(resp_dedup *d, const char *src, size_t src_len, const char *id, size_t id_len,
                    long long offset, int64_t updated_at)
{
    size_t key = 0;
    switch (resp_dedup_class(d, src, src_len, id, id_len, offset, updated_at, &key)) {
    case DEDUP_KEEP: return 1;
    case DEDUP_DROP: return 0;
    case DEDUP_PENDING: return resp_dedup_settle(d, key);
    case DEDUP_FIRST_WON: resp_dedup_first(d, key, 1); return 1;
    default: resp_dedup_first(d, key, 0); return 0;
    }
}

long long resp_dedup_replaced(const resp_dedup *d)
{
    long long n = 0;
    for (size_t i = 0; d && i < d->n; i++) {
        long long rows = d->w[i].valid + (d->u[i] & FIRST_SEEN);
        if (rows > 1) n += rows - 1;
    }
    return n;
}

size_t resp_dedup_tracked(const resp_dedup *d) { return d ? d->n : 0; }
size_t resp_dedup_filter_bytes(const resp_dedup *d) { return d ? d->pass0_bytes : 0; }
int resp_dedup_passes(const resp_dedup *d) { return d ? d->passes : 0; }
