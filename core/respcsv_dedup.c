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
    while (bytes < (size_t)1 << 30 && bytes < d->n * 4) bytes *= 2;   /* 32 bits a key */
    free(d->bits);
    if (!(d->bits = calloc(bytes / 8, sizeof *d->bits))) return -1;
    d->nbits = bytes * 8;
    for (size_t i = 0; i < d->n; i++) filter_add(d, d->w[i].hash);
    return 0;
}

resp_dedup *resp_dedup_build(const char *path, const resp_header *h, const char *source,
                             int moment_lo, int moment_hi, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    long long size = 0;
    if (f && fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (f) fclose(f);
    size_t bytes = FILTER_MIN;          /* a power of two near 1/8 of the file's bytes */
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
    int fast = dedup_pass_fast(d, path, h, moment_lo, moment_hi, 0, err, errlen);
    if (fast == 0) {            /* a huge record: start again with csv_read */
        memset(d->bits, 0, d->nbits / 8);
        strmap_clear(d->keys);
        d->n = 0;
        if (dedup_pass(d, path, h, moment_lo, moment_hi, 0, err, errlen) != 0) fast = -1;
    }
    if (fast < 0 || tracked_filter(d) != 0) {
        if (fast >= 0) snprintf(err, errlen, "out of memory");
        resp_dedup_free(d);
        return NULL;
    }
    /* No key came back (the common case): every row counts, and the second
     * pass could find nothing. */
    if (d->n == 0) return d;
    if (fast == 1) fast = dedup_pass_fast(d, path, h, moment_lo, moment_hi, 1, err, errlen);
    if (fast < 0 || (fast == 0 && dedup_pass(d, path, h, moment_lo, moment_hi, 1, err, errlen) != 0)) {
        resp_dedup_free(d);
        return NULL;
    }
    for (size_t i = 0; i < d->n; i++)
        if (d->w[i].valid > 1) d->replaced += d->w[i].valid - 1;
    return d;
}

void resp_dedup_free(resp_dedup *d)
{
    if (!d) return;
    free(d->bits);
    strmap_free(d->keys);
    free(d->w);
    free(d->source);
    free(d);
}

int resp_dedup_keep(const resp_dedup *d, const char *src, size_t src_len, const char *id, size_t id_len,
                    long long offset)
{
    if (!d || d->n == 0) return 1;
    if (src_len == 0) { src = d->source; src_len = strlen(d->source); }
    if (!filter_has(d, hash_bytes(src, src_len, id, id_len))) return 1;    /* most rows */
    char small[256], *key = small;
    size_t cap = sizeof small, klen;
    /* exact_key grows only a malloc'd buffer: copy for a long key */
    if (24 + src_len + id_len > cap) {
        key = NULL;
        cap = 0;
    }
    klen = dedup_exact_key(&key, &cap, src, src_len, id, id_len);
    int keep = 1;
    if (klen) {
        size_t at = strmap_get_n(d->keys, key, klen);
        keep = at == (size_t)-1 || d->w[at].offset == offset;
    }
    if (key != small) free(key);
    return keep;
}

long long resp_dedup_replaced(const resp_dedup *d) { return d ? d->replaced : 0; }
size_t resp_dedup_tracked(const resp_dedup *d) { return d ? d->n : 0; }
size_t resp_dedup_filter_bytes(const resp_dedup *d) { return d ? d->pass0_bytes : 0; }
