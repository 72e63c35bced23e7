/* respcsv_dedup.c — see respcsv_dedup.h. */
#include "core/respcsv_dedup.h"
#include "core/csvscan.h"
#include "core/strmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_MIN ((size_t)1 << 16)
#define FILTER_MAX ((size_t)32 << 20)
#define HASHES 8            /* bits a key sets: one in each word of its line */
/* A filter held to FILTER_MAX below 1/16 of the file's bytes has too few
 * bits a key to bring no false positive back (10M rows of gen-sample kept
 * keys whatever the bits), so the second pass runs anyway: fewer bits a
 * key then cost less. */
#define HASHES_CAPPED 4

typedef struct winner {
    uint64_t hash;
    int64_t updated_at;
    long long offset;           /* -1: no valid row yet */
    long long valid;            /* valid rows of the key */
} winner;

struct resp_dedup {
    uint64_t *bits;             /* pass 0: every key; then: the tracked keys only */
    size_t nbits;
    strmap *keys;
    winner *w;
    size_t n, cap;
    char *source;
    long long replaced;
    size_t pass0_bytes;         /* the first pass's filter */
    int k;                      /* bits a key sets: HASHES, or HASHES_CAPPED */
};

/* H with the N bytes of P mixed in, eight at a time: one multiply a word,
 * where a byte-at-a-time hash needs one a byte, and every row of the file
 * is hashed.  The words are read in the machine's byte order: a hash
 * lives only as long as the run. */
static inline uint64_t hash_mix(uint64_t h, const char *p, size_t n)
{
    uint64_t v;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&v, p, 8);
        h = (h ^ v) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
    }
    if (n) {
        v = 0;
        memcpy(&v, p, n);
        h = (h ^ v) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
    }
    return h;
}

/* 64-bit hash of the key's bytes, then a final mix (MurmurHash3's fmix64)
 * so that every bit serves the double hashing below.  The source's length
 * goes in first: ("ab","c") differs from ("a","bc"). */
static inline uint64_t hash_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    uint64_t h = (0x243f6a8885a308d3ull ^ alen) * 0xff51afd7ed558ccdull;
    h = hash_mix(h, a, alen);
    h = (h ^ blen) * 0x9e3779b97f4a7c15ull;
    h = hash_mix(h, b, blen);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

/* The key's bit in word J of its line: six bits of a remix of the hash
 * (SplitMix64's finalizer) a word; the line itself is picked by the
 * hash's bits 40 and up.  One bit in each of the line's eight words (a
 * partitioned filter: as few false positives as bits spread freely over
 * the line) is a mask a word, without a branch. */
static inline uint64_t remix(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

/* Sets the key's bits; 1 when they were all set already (seen, or a false
 * positive).  A blocked filter: the HASHES bits of a key lie in one 64-byte
 * line (one cache miss per key); the filter's size is a power of two, so
 * no division. */
static int filter_add(resp_dedup *d, uint64_t h)
{
    uint64_t *line = d->bits + ((h >> 40) & (d->nbits / 512 - 1)) * 8, g = remix(h), missing = 0;
    for (int j = 0; j < d->k; j++, g >>= 6) {
        uint64_t m = 1ull << (g & 63);
        missing |= m & ~line[j];
        line[j] |= m;
    }
    return missing == 0;
}

/* 1 when all the key's bits are set (a tracked key, or a false positive). */
static int filter_has(const resp_dedup *d, uint64_t h)
{
    const uint64_t *line = d->bits + ((h >> 40) & (d->nbits / 512 - 1)) * 8;
    uint64_t g = remix(h);
    for (int j = 0; j < d->k; j++, g >>= 6)
        if (!(line[j] & (1ull << (g & 63)))) return 0;
    return 1;
}

/* "SRCLEN:" SRC ID into BUF (grown): the exact key.  Its length, or 0 when
 * out of memory or the key holds a NUL byte (no valid row has one). */
static size_t exact_key(char **buf, size_t *cap, const char *src, size_t slen, const char *id, size_t ilen)
{
    if (memchr(src, '\0', slen) || memchr(id, '\0', ilen)) return 0;
    size_t need = 24 + slen + ilen;
    if (need > *cap) {
        char *nb = realloc(*buf, need);
        if (!nb) return 0;
        *buf = nb;
        *cap = need;
    }
    char digits[24];
    size_t nd = 0, v = slen;
    do digits[nd++] = (char)('0' + v % 10); while ((v /= 10) != 0);
    size_t k = 0;
    while (nd) (*buf)[k++] = digits[--nd];
    (*buf)[k++] = ':';
    memcpy(*buf + k, src, slen);
    memcpy(*buf + k + slen, id, ilen);
    (*buf)[k + slen + ilen] = '\0';
    return k + slen + ilen;
}

/* The key spans of REC: source (the build's when empty) and response_id.
 * 0 when REC does not have the header's fields. */
static int rec_key(const resp_dedup *d, const resp_header *h, const csv_record *rec, const char **src,
                   size_t *slen, const char **id, size_t *ilen)
{
    if (rec->nfields != h->ncols) return 0;
    int sc = h->col[CX_F_SOURCE], ic = h->col[CX_F_RESPONSE_ID];
    *src = sc >= 0 ? rec->fields[sc] : "";
    *slen = sc >= 0 ? rec->lens[sc] : 0;
    if (*slen == 0) { *src = d->source; *slen = strlen(d->source); }
    *id = rec->fields[ic];
    *ilen = rec->lens[ic];
    return 1;
}

/* ---- the fast passes: the zero-copy scanner on blocks of the file ---- */

#define BLOCK ((size_t)8 << 20)

/* Takes one record's key (pass 0) or, for a tracked key, its validity and
 * updated_at (pass 1).  F holds R's fields; "" pairs not yet undone.
 * 0 ok, -1 out of memory. */
static int take_fast(resp_dedup *d, const resp_header *h, int lo, int hi, int which, csvs_rec *r,
                     long long off, char **key, size_t *kcap, int *moments)
{
    csv_span *f = r->f;
    if (r->nfields != h->ncols) return 0;
    for (size_t k = 0; k < r->n_esc; k++)       /* undo "" in place: the block is ours */
        f[r->esc[k]].len = csvs_unescape((char *)f[r->esc[k]].p, f[r->esc[k]].len);
    csv_span src = h->col[CX_F_SOURCE] >= 0 ? f[h->col[CX_F_SOURCE]] : (csv_span){"", 0};
    csv_span id = f[h->col[CX_F_RESPONSE_ID]];
    if (src.len == 0) src = (csv_span){d->source, strlen(d->source)};
    size_t klen;
    if (which == 0) {
        uint64_t hh = hash_bytes(src.p, src.len, id.p, id.len);
        if (!filter_add(d, hh)) return 0;
        if (!(klen = exact_key(key, kcap, src.p, src.len, id.p, id.len))) return 0;
        int added = 0;
        if (strmap_put_n(d->keys, *key, klen, d->n, &added) == (size_t)-1) return -1;
        if (!added) return 0;
        if (d->n == d->cap) {
            size_t ncap = d->cap ? d->cap * 2 : 1024;
            winner *nw = realloc(d->w, ncap * sizeof *nw);
            if (!nw) return -1;
            d->w = nw;
            d->cap = ncap;
        }
        d->w[d->n++] = (winner){hh, 0, -1, 0};
        return 0;
    }
    if (!filter_has(d, hash_bytes(src.p, src.len, id.p, id.len)) ||
        !(klen = exact_key(key, kcap, src.p, src.len, id.p, id.len)))
        return 0;
    size_t at = strmap_get_n(d->keys, *key, klen);
    if (at == (size_t)-1) return 0;
    resp_vals v;
    const char *field, *why;
    if (resp_check(h, NULL, f, r->nfields, r->ascii, lo, hi, moments, &v, &field, &why) != 0) return 0;
    winner *w = &d->w[at];
    w->valid++;
    if (w->offset < 0 || v.updated_at >= w->updated_at) {   /* ties: the later row */
        w->updated_at = v.updated_at;
        w->offset = off;
    }
    return 0;
}

/* One pass with csvs over blocks of PATH.  1 done; 0 when a record does
 * not fit a block (the slow pass then does it all); -1 with ERR. */
static int pass_fast(resp_dedup *d, const char *path, const resp_header *h, int lo, int hi, int which,
                     char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return -1; }
    size_t cap = h->ncols + 66, fill = 0;
    char *buf = malloc(BLOCK + CSVS_PAD + 1), *key = NULL;
    csv_span *f = malloc((cap + 1) * sizeof *f);
    size_t *esc = malloc(cap * sizeof *esc), kcap = 0;
    int *moments = malloc(CX_MAX_MOMENTS * sizeof *moments);
    long long base = 0;         /* file offset of buf[0] */
    int ret = 1, eof = 0, header = 1;
    if (!buf || !f || !esc || !moments) { snprintf(err, errlen, "out of memory"); ret = -1; goto done; }
    while (!eof) {
        ssize_t k = read(fd, buf + fill, BLOCK - fill);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); ret = -1; break; }
        fill += (size_t)k;
        eof = k == 0;
        size_t upto = fill;
        if (eof) {
            if (fill == 0) break;
            if (buf[fill - 1] != '\n') buf[upto++] = '\n';   /* the last record, ended */
        } else {
            while (upto > 0 && buf[upto - 1] != '\n') upto--;
            if (upto == 0) {
                if (fill == BLOCK) { ret = 0; break; }         /* a record longer than a block */
                continue;
            }
        }
        csvs s;
        csvs_rec r = {.f = f, .esc = esc, .cap = cap};
        csvs_init(&s, buf, upto);
        int rc;
        while ((rc = csvs_next(&s, &r)) != CSVS_END && rc != CSVS_PARTIAL) {
            if (rc != CSVS_RECORD) continue;
            if (header) { header = 0; continue; }
            if (take_fast(d, h, lo, hi, which, &r, base + (long long)r.start, &key, &kcap, moments) != 0) {
                snprintf(err, errlen, "out of memory");
                ret = -1;
                goto done;
            }
        }
        if (eof) break;
        if (s.pos == 0 && fill == BLOCK) { ret = 0; break; }   /* one record fills the block */
        memmove(buf, buf + s.pos, fill - s.pos);
        base += (long long)s.pos;
        fill -= s.pos;
    }
done:
    close(fd);
    free(buf);
    free(f);
    free(esc);
    free(moments);
    free(key);
    return ret;
}

/* One pass over PATH's records after the header; PASS 0 fills the filter
 * and the exact keys, PASS 1 finds the winners.  0 ok, -1 with ERR. */
static int pass(resp_dedup *d, const char *path, const resp_header *h, int lo, int hi, int which,
                char *err, size_t errlen)
{
    char why[512];
    csv_reader *rd = csv_reader_open(path, why, sizeof why);
    if (!rd) { snprintf(err, errlen, "%s", why); return -1; }
    csv_record rec;
    char *key = NULL;
    size_t kcap = 0;
    int rc = csv_read(rd, &rec, why, sizeof why), ret = 0;      /* the header */
    for (;;) {
        long long off = csv_reader_tell(rd, NULL);
        if (off < 0) { snprintf(err, errlen, "%s: read error", path); ret = -1; break; }
        if ((rc = csv_read(rd, &rec, why, sizeof why)) == 0 || rc == -1) break;
        const char *src, *id;
        size_t slen, ilen, klen;
        if (rc != 1 || !rec_key(d, h, &rec, &src, &slen, &id, &ilen)) continue;
        if (which == 0) {
            uint64_t hh = hash_bytes(src, slen, id, ilen);
            if (!filter_add(d, hh)) continue;
            if (!(klen = exact_key(&key, &kcap, src, slen, id, ilen))) continue;
            int added = 0;
            size_t at = strmap_put_n(d->keys, key, klen, d->n, &added);
            if (at == (size_t)-1) { snprintf(err, errlen, "out of memory"); ret = -1; break; }
            if (!added) continue;
            if (d->n == d->cap) {
                size_t ncap = d->cap ? d->cap * 2 : 1024;
                winner *nw = realloc(d->w, ncap * sizeof *nw);
                if (!nw) { snprintf(err, errlen, "out of memory"); ret = -1; break; }
                d->w = nw;
                d->cap = ncap;
            }
            d->w[d->n++] = (winner){hh, 0, -1, 0};
            continue;
        }
        if (!filter_has(d, hash_bytes(src, slen, id, ilen)) || !(klen = exact_key(&key, &kcap, src, slen, id, ilen)))
            continue;
        size_t at = strmap_get_n(d->keys, key, klen);
        if (at == (size_t)-1) continue;
        cx_response r;
        const char *field, *msg;
        if (resp_from_record(h, &rec, d->source, 0, lo, hi, &r, &field, &msg) != 0) continue;
        winner *w = &d->w[at];
        w->valid++;
        if (w->offset < 0 || r.updated_at >= w->updated_at) {   /* ties: the later row */
            w->updated_at = r.updated_at;
            w->offset = off;
        }
    }
    free(key);
    csv_reader_free(rd);
    (void)rc;
    return ret;
}

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
    int fast = pass_fast(d, path, h, moment_lo, moment_hi, 0, err, errlen);
    if (fast == 0) {            /* a huge record: start again with csv_read */
        memset(d->bits, 0, d->nbits / 8);
        strmap_clear(d->keys);
        d->n = 0;
        if (pass(d, path, h, moment_lo, moment_hi, 0, err, errlen) != 0) fast = -1;
    }
    if (fast < 0 || tracked_filter(d) != 0) {
        if (fast >= 0) snprintf(err, errlen, "out of memory");
        resp_dedup_free(d);
        return NULL;
    }
    /* No key came back (the common case): every row counts, and the second
     * pass could find nothing. */
    if (d->n == 0) return d;
    if (fast == 1) fast = pass_fast(d, path, h, moment_lo, moment_hi, 1, err, errlen);
    if (fast < 0 || (fast == 0 && pass(d, path, h, moment_lo, moment_hi, 1, err, errlen) != 0)) {
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
    klen = exact_key(&key, &cap, src, src_len, id, id_len);
    int keep = 1;
    if (klen) {
        size_t at = strmap_get_n(d->keys, key, klen);
        keep = at == (size_t)-1 || d->w[at].offset == offset;
    }
    if (key != small) free(key);
    return keep;
}

int resp_spool(csv_reader *in, FILE *out, resp_spool_bad bad, void *ctx, char *err, size_t errlen)
{
    char why[1024];
    csv_record rec;
    for (;;) {
        int rc = csv_read(in, &rec, why, sizeof why);
        if (rc == 0) break;
        const char *reason = rc < 0 ? csv_error_reason(in, why) : "";
        int cut = rc == -2 && strstr(reason, "record longer than") != NULL;   /* raw is its start only */
        if (rc == 1 || (rc == -2 && !cut)) {        /* copied as it was */
            if (fwrite(rec.raw, 1, rec.raw_len, out) != rec.raw_len || putc('\n', out) == EOF) goto write_fail;
            continue;
        }
        bad(ctx, rec.line, rec.raw, rec.raw_len, reason, rc == -1);
        if (rc == -1) break;
        long line;
        if (csv_reader_tell(in, &line) < 0) break;
        for (long k = rec.line; k <= line; k++)     /* the lines it spanned, empty */
            if (putc('\n', out) == EOF) goto write_fail;
    }
    if (fflush(out) == 0 && !ferror(out)) return 0;
write_fail:
    snprintf(err, errlen, "%s: copying the input to a temporary file: %s", csv_reader_name(in), strerror(errno));
    return -1;
}

long long resp_dedup_replaced(const resp_dedup *d) { return d ? d->replaced : 0; }
size_t resp_dedup_tracked(const resp_dedup *d) { return d ? d->n : 0; }
size_t resp_dedup_filter_bytes(const resp_dedup *d) { return d ? d->pass0_bytes : 0; }
