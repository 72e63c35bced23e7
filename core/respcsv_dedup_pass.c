/* respcsv_dedup_pass.c — the passes of the repeated-id filter over the
 * file (respcsv_dedup_int.h): the fast one with the zero-copy scanner on
 * blocks, and the csv_read one for a file with a record longer than a
 * block. */
#include "core/respcsv_dedup_int.h"
#include "core/csvscan.h"
#include "core/grow.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* "SRCLEN:" SRC ID into BUF (grown): the exact key.  Its length, or 0 when
 * out of memory or the key holds a NUL byte (no valid row has one). */
size_t dedup_exact_key(char **buf, size_t *cap, const char *src, size_t slen, const char *id, size_t ilen)
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
    do digits[nd++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
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
    if (*slen == 0) {
        *src = d->source;
        *slen = strlen(d->source);
    }
    *id = rec->fields[ic];
    *ilen = rec->lens[ic];
    return 1;
}

/* ---- the fast passes: the zero-copy scanner on blocks of the file ---- */

#define BLOCK ((size_t)8 << 20)

/* The key of row OFF (hash HH, exact key KEY of KLEN bytes), which the
 * filter brought back: tracked from now on.  Its index, or -1 OOM. */
static size_t track(resp_dedup *d, uint64_t hh, const char *key, size_t klen, long long off)
{
    int added = 0;
    size_t at = strmap_put_n(d->keys, key, klen, d->n, &added);
    if (at == (size_t)-1 || !added) return at;
    if (d->n == d->cap) {
        winner *nw = grow_array(d->w, &d->cap, d->n + 1, sizeof *nw, 1024, 0, 0);
        if (!nw) return (size_t)-1;
        d->w = nw;
    }
    d->w[d->n] = (winner){hh, 0, -1, 0, off};
    return d->n++;
}

/* A valid row of tracked key AT: the best so far when newer, or as new
 * and later. */
static void valid_row(resp_dedup *d, size_t at, int64_t updated_at, long long off)
{
    winner *w = &d->w[at];
    w->valid++;
    if (w->offset < 0 || updated_at >= w->updated_at) { /* ties: the later row */
        w->updated_at = updated_at;
        w->offset = off;
    }
}

/* The key spans of record R (its "" pairs undone). */
static void key_spans(const resp_dedup *d, const resp_header *h, const csvs_rec *r, csv_span *src,
                      csv_span *id)
{
    *src = h->col[CX_F_SOURCE] >= 0 ? r->f[h->col[CX_F_SOURCE]] : (csv_span){"", 0};
    *id = r->f[h->col[CX_F_RESPONSE_ID]];
    if (src->len == 0) *src = (csv_span){d->source, strlen(d->source)};
}

/* Record R at OFF, whose key (hash HH) the filter brought back: tracked,
 * with its validity and updated_at.  0 ok, -1 out of memory. */
static int take_tracked(resp_dedup *d, const resp_header *h, int lo, int hi, csvs_rec *r, long long off,
                        uint64_t hh, char **key, size_t *kcap, int *moments)
{
    csv_span src, id;
    key_spans(d, h, r, &src, &id);
    size_t klen = dedup_exact_key(key, kcap, src.p, src.len, id.p, id.len);
    if (!klen) return 0;
    size_t at = track(d, hh, *key, klen, off);
    if (at == (size_t)-1) return -1;
    resp_vals v;
    const char *field, *why;
    if (resp_check(h, NULL, r->f, r->nfields, r->ascii, lo, hi, moments, &v, &field, &why) == 0)
        valid_row(d, at, v.updated_at, off);
    return 0;
}

/* Records of the block waiting for the filter, in file order: each one's
 * filter line is prefetched when it is scanned, and the batch goes into
 * the filter a few records later, so that the memory waits overlap. */
#define BATCH 16
typedef struct batch {
    uint64_t hash[BATCH];
    size_t start[BATCH], end[BATCH]; /* the record in the block, its line end included */
    size_t n;
} batch;

/* The batch into the filter, in order; a record whose key comes back is
 * scanned again for its fields (its bytes are untouched: records with ""
 * pairs never wait).  0 ok, -1 out of memory. */
static int flush(resp_dedup *d, const resp_header *h, int lo, int hi, batch *q, const char *buf,
                 long long base, csvs_rec *r, char **key, size_t *kcap, int *moments)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!filter_add(d, q->hash[i])) continue; /* most records */
        csvs s;
        csvs_init(&s, buf + q->start[i], q->end[i] - q->start[i]);
        if (csvs_next(&s, r) != CSVS_RECORD) continue; /* as scanned before: cannot be */
        if (take_tracked(d, h, lo, hi, r, base + (long long)q->start[i], q->hash[i], key, kcap, moments) != 0)
            return -1;
    }
    q->n = 0;
    return 0;
}

/* Takes record R (at block offset R->start, the next at END): into the
 * batch, or at once (after the batch) when it has "" pairs, which are
 * undone in place.  0 ok, -1 out of memory. */
static int take_fast(resp_dedup *d, const resp_header *h, int lo, int hi, batch *q, char *buf, long long base,
                     csvs_rec *r, size_t end, char **key, size_t *kcap, int *moments)
{
    csv_span src, id;
    if (r->nfields != h->ncols) return 0;
    if (!r->n_esc) {
        key_spans(d, h, r, &src, &id);
        uint64_t hh = hash_bytes(src.p, src.len, id.p, id.len);
        filter_prefetch(d, hh);
        q->hash[q->n] = hh;
        q->start[q->n] = r->start;
        q->end[q->n++] = end;
        return q->n == BATCH ? flush(d, h, lo, hi, q, buf, base, r, key, kcap, moments) : 0;
    }
    size_t start = r->start;
    if (flush(d, h, lo, hi, q, buf, base, r, key, kcap, moments) != 0) return -1;
    /* flush may have scanned into R: the spans of this record again */
    csvs s;
    csvs_init(&s, buf + start, end - start);
    long long off = base + (long long)start;
    if (csvs_next(&s, r) != CSVS_RECORD) return 0;
    for (size_t k = 0; k < r->n_esc; k++) /* undo "" in place: the block is ours */
        r->f[r->esc[k]].len = csvs_unescape((char *)r->f[r->esc[k]].p, r->f[r->esc[k]].len);
    key_spans(d, h, r, &src, &id);
    uint64_t hh = hash_bytes(src.p, src.len, id.p, id.len);
    if (!filter_add(d, hh)) return 0;
    return take_tracked(d, h, lo, hi, r, off, hh, key, kcap, moments);
}

/* One pass with csvs over blocks of PATH.  1 done; 0 when a record does
 * not fit a block (the slow pass then does it all); -1 with ERR. */
int dedup_pass_fast(resp_dedup *d, const char *path, const resp_header *h, int lo, int hi, char *err,
                    size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = h->ncols + 66, fill = 0;
    char *buf = malloc(BLOCK + CSVS_PAD + 1), *key = NULL;
    csv_span *f = malloc((cap + 1) * sizeof *f);
    size_t *esc = malloc(cap * sizeof *esc), kcap = 0;
    int *moments = malloc(CX_MAX_MOMENTS * sizeof *moments);
    long long base = 0; /* file offset of buf[0] */
    int ret = 1, eof = 0, header = 1;
    if (!buf || !f || !esc || !moments) {
        snprintf(err, errlen, "out of memory");
        ret = -1;
        goto done;
    }
    while (!eof) {
        ssize_t k = read(fd, buf + fill, BLOCK - fill);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            ret = -1;
            break;
        }
        fill += (size_t)k;
        eof = k == 0;
        size_t upto = fill;
        if (eof) {
            if (fill == 0) break;
            if (buf[fill - 1] != '\n') buf[upto++] = '\n'; /* the last record, ended */
        } else {
            while (upto > 0 && buf[upto - 1] != '\n') upto--;
            if (upto == 0) {
                if (fill == BLOCK) {
                    ret = 0;
                    break;
                } /* a record longer than a block */
                continue;
            }
        }
        csvs s;
        csvs_rec r = {.f = f, .esc = esc, .cap = cap};
        batch q;
        q.n = 0;
        csvs_init(&s, buf, upto);
        int rc;
        while ((rc = csvs_next(&s, &r)) != CSVS_END && rc != CSVS_PARTIAL) {
            if (rc != CSVS_RECORD) continue;
            if (header) {
                header = 0;
                continue;
            }
            if (take_fast(d, h, lo, hi, &q, buf, base, &r, s.pos, &key, &kcap, moments) != 0) goto oom;
        }
        if (flush(d, h, lo, hi, &q, buf, base, &r, &key, &kcap, moments) != 0) goto oom;
        if (eof) break;
        if (s.pos == 0 && fill == BLOCK) {
            ret = 0;
            break;
        } /* one record fills the block */
        memmove(buf, buf + s.pos, fill - s.pos);
        base += (long long)s.pos;
        fill -= s.pos;
    }
    goto done;
oom:
    snprintf(err, errlen, "out of memory");
    ret = -1;
done:
    close(fd);
    free(buf);
    free(f);
    free(esc);
    free(moments);
    free(key);
    return ret;
}

/* The pass with csv_read (dedup_pass_fast could not). */
int dedup_pass(resp_dedup *d, const char *path, const resp_header *h, int lo, int hi, char *err,
               size_t errlen)
{
    char why[512];
    csv_reader *rd = csv_reader_open(path, why, sizeof why);
    if (!rd) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    csv_record rec;
    char *key = NULL;
    size_t kcap = 0;
    int rc = csv_read(rd, &rec, why, sizeof why), ret = 0; /* the header */
    for (;;) {
        long long off = csv_reader_tell(rd, NULL);
        if (off < 0) {
            snprintf(err, errlen, "%s: read error", path);
            ret = -1;
            break;
        }
        if ((rc = csv_read(rd, &rec, why, sizeof why)) == 0 || rc == -1) break;
        const char *src, *id;
        size_t slen, ilen, klen;
        if (rc != 1 || !rec_key(d, h, &rec, &src, &slen, &id, &ilen)) continue;
        uint64_t hh = hash_bytes(src, slen, id, ilen);
        if (!filter_add(d, hh)) continue;
        if (!(klen = dedup_exact_key(&key, &kcap, src, slen, id, ilen))) continue;
        size_t at = track(d, hh, key, klen, off);
        if (at == (size_t)-1) {
            snprintf(err, errlen, "out of memory");
            ret = -1;
            break;
        }
        cx_response r;
        const char *field, *msg;
        if (resp_from_record(h, &rec, d->source, 0, lo, hi, &r, &field, &msg) == 0)
            valid_row(d, at, r.updated_at, off);
    }
    free(key);
    csv_reader_free(rd);
    return ret;
}
