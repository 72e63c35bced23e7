/* import_held.c — the rows store_bulk_end set aside as held by another
 * source (import_int.h held_row, held_rejects, held_free): rejects with
 * their raw text, read back from the file in one more pass.  Owner: this
 * file; the importer's state is import.c's. */
#include "ingest/import_int.h"
#include "core/afile.h"
#include "core/grow.h"
#include "core/rejects.h"
#include "core/xsort.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- rows set aside by store_bulk_end as held by another source ----
 * They are told by index, in the store's order (not the file's), once
 * every row has been read: each one's line and reason go to the spool
 * (import_int.h held_spool), which sorts them by line, in memory while
 * they fit HELD_RUN_BYTES, else in sorted runs on a temporary file merged
 * back; one more pass over the file then finds each one's raw text, and
 * the rejects are written in line order.  Standard input, or a file that
 * is not a regular one or that changed since it was opened, cannot be
 * read again: there the raw text stays empty. */
#define HELD_HEAD (sizeof(long long) + sizeof(uint16_t)) /* an entry's line and reason length */
#define HELD_RUN_BYTES ((size_t)4 << 20)                 /* entries gathered before a run is written */
#define HELD_READ_BYTES ((size_t)16 << 10)               /* a run's read buffer in the merge */

static int held_cmp(const void *a, const void *b)
{
    long long x = ((const struct held_at *)a)->line, y = ((const struct held_at *)b)->line;
    return (x > y) - (x < y);
}

/* The entries gathered, sorted, written to the spool's file as one run.
 * 0, or -1 with errno. */
static int held_run(held_spool *h)
{
    if (!h->f) {
        int fd = temp_file("held", NULL);
        if (fd < 0) return -1;
        if (!(h->f = fdopen(fd, "w+"))) {
            close(fd);
            return -1;
        }
    }
    if (h->n_runs == h->cap_runs) {
        long long *e = grow_array(h->ends, &h->cap_runs, h->n_runs + 1, sizeof *e, 16, 0, 0);
        if (!e) return -1;
        h->ends = e;
    }
    cx_qsort(h->at, h->n, sizeof *h->at, held_cmp);
    for (size_t i = 0; i < h->n; i++) {
        uint16_t len;
        memcpy(&len, h->buf + h->at[i].off + sizeof(long long), sizeof len);
        size_t k = HELD_HEAD + len;
        if (fwrite(h->buf + h->at[i].off, 1, k, h->f) != k) return -1;
        h->written += (long long)k;
    }
    h->ends[h->n_runs++] = h->written;
    h->n = h->used = 0;
    return 0;
}

/* One held row (LINE, REASON of LEN bytes) into the spool.  0, or -1 with
 * errno. */
static int held_put(held_spool *h, long long line, const char *reason, size_t len)
{
    size_t need = HELD_HEAD + len;
    if (h->n > 0 && h->used + need > HELD_RUN_BYTES && held_run(h) != 0) return -1;
    if (h->used + need > h->cap) {
        char *b = grow_array(h->buf, &h->cap, h->used + need, 1, 4096, 0, 0);
        if (!b) return -1;
        h->buf = b;
    }
    if (h->n == h->cap_at) {
        struct held_at *a = grow_array(h->at, &h->cap_at, h->n + 1, sizeof *a, 256, 0, 0);
        if (!a) return -1;
        h->at = a;
    }
    uint16_t l = (uint16_t)len;
    h->at[h->n++] = (struct held_at){line, h->used};
    memcpy(h->buf + h->used, &line, sizeof line);
    memcpy(h->buf + h->used + sizeof line, &l, sizeof l);
    memcpy(h->buf + h->used + HELD_HEAD, reason, len);
    h->used += need;
    return 0;
}

void held_free(held_spool *h)
{
    if (h->f) fclose(h->f);
    free(h->buf);
    free(h->at);
    free(h->ends);
    memset(h, 0, sizeof *h);
}

/* A row set aside by store_bulk_end: a reject naming the holding source,
 * spooled until its raw text is read back (held_rejects). */
int held_row(long long index, const char *response_id, const char *held_by, void *ctx)
{
    importer *im = ctx;
    char reason[REJECTS_REASON_MAX];
    long line = 0;
    if (index >= 0 && index < im->n_added && im->n_runs > 0) {
        size_t lo = 0, hi = im->n_runs; /* the last run starting at or before INDEX */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (im->runs[mid].index <= index) lo = mid;
            else hi = mid;
        }
        line = (long)(index + im->runs[lo].offset);
    }
    int n = snprintf(reason, sizeof reason, "response_id '%.100s' already held as source %.100s", response_id,
                     held_by);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof reason ? (size_t)n : sizeof reason - 1;
    if (im->held++ == 0) snprintf(im->held_by, sizeof im->held_by, "%s", held_by);
    im->st.rejected++;
    if (held_put(&im->hs, line, reason, len) == 0) return 0;
    int e = errno;
    if (e == ENOMEM)
        snprintf(im->held_err, sizeof im->held_err, "rows held by another source: %s", strerror(e));
    else
        snprintf(im->held_err, sizeof im->held_err, "rows held by another source: temporary file in %s: %s",
                 temp_dir(), strerror(e));
    return -1;
}

/* The file read again for the held rows' raw text: records in order,
 * the last one read kept while the held lines have not passed it. */
typedef struct held_reread {
    csv_reader *rd; /* NULL: no raw text (see above) */
    csv_record rec;
    int have; /* rec holds a record */
} held_reread;

static void reread_open(importer *im, held_reread *r)
{
    char err[256];
    struct stat sb;
    memset(r, 0, sizeof *r);
    if (!im->in_regular || !(r->rd = csv_reader_open(im->path, err, sizeof err))) return;
    const struct stat *a = &im->in_st;
    if (fstat(csv_reader_fd(r->rd), &sb) != 0 || sb.st_dev != a->st_dev || sb.st_ino != a->st_ino ||
        sb.st_size != a->st_size || sb.st_mtim.tv_sec != a->st_mtim.tv_sec ||
        sb.st_mtim.tv_nsec != a->st_mtim.tv_nsec) { /* another file now, or this one changed */
        csv_reader_free(r->rd);
        r->rd = NULL;
    }
}

/* The raw text of the record at LINE (lines asked in ascending order):
 * *RAW, *LEN; empty when it cannot be read. */
static void reread_raw(held_reread *r, long long line, const char **raw, size_t *len)
{
    char err[256];
    *raw = "";
    *len = 0;
    while (r->rd && (!r->have || r->rec.line < line)) {
        int rc = csv_read(r->rd, &r->rec, err, sizeof err);
        r->have = rc == 1 || rc == -2; /* a record, or a broken one the first pass read past too */
        if (!r->have) {                /* the end (a fatal error is the first pass's end too) */
            csv_reader_free(r->rd);
            r->rd = NULL;
        }
    }
    if (r->have && r->rec.line == line) {
        *raw = r->rec.raw;
        *len = r->rec.raw_len;
    }
}

/* One held row's reject (LINE, REASON of LEN bytes), its raw text read
 * back through R.  0, or -1 (the store's error). */
static int held_emit(importer *im, held_reread *r, long long line, const char *reason, size_t len)
{
    char where[REJECTS_WHERE_MAX], why[REJECTS_REASON_MAX];
    const char *raw;
    size_t raw_len;
    memcpy(why, reason, len);
    why[len] = '\0';
    snprintf(where, sizeof where, "%s:%lld", im->o->path, line);
    reread_raw(r, line, &raw, &raw_len);
    if (im->o->on_reject) im->o->on_reject(where, why, im->o->ctx);
    return store_add_reject(im->s, im->source, where, why, raw, raw_len);
}

/* A run of the spool's file in the merge: its bytes not yet read
 * (pos..end), those read into b (n, at consumed), its current entry. */
typedef struct held_src {
    long long pos, end;
    char *b;
    size_t n, at;
    long long line;
    uint16_t len;
    const char *reason; /* in b, until the next src_next */
} held_src;

/* C's next entry: 1, 0 at its run's end, -1 with errno. */
static int src_next(const held_spool *h, held_src *c)
{
    for (;;) {
        size_t left = c->n - c->at;
        if (left >= HELD_HEAD) {
            memcpy(&c->len, c->b + c->at + sizeof(long long), sizeof c->len);
            if (left >= HELD_HEAD + c->len) {
                memcpy(&c->line, c->b + c->at, sizeof c->line);
                c->reason = c->b + c->at + HELD_HEAD;
                c->at += HELD_HEAD + c->len;
                return 1;
            }
        }
        if (c->pos >= c->end) {
            if (left == 0) return 0;
            errno = EIO; /* a run that ends inside an entry */
            return -1;
        }
        memmove(c->b, c->b + c->at, left);
        c->n = left;
        c->at = 0;
        size_t want = HELD_READ_BYTES - left;
        if ((long long)want > c->end - c->pos) want = (size_t)(c->end - c->pos);
        ssize_t got = pread(fileno(h->f), c->b + left, want, (off_t)c->pos);
        if (got <= 0) {
            if (got == 0) errno = EIO;
            return -1;
        }
        c->n += (size_t)got;
        c->pos += got;
    }
}

/* The heap of runs HP (N of them) ordered by their current line, from I
 * down. */
static void heap_down(size_t *hp, size_t n, const held_src *src, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && src[hp[l]].line < src[hp[m]].line) m = l;
        if (l + 1 < n && src[hp[l + 1]].line < src[hp[m]].line) m = l + 1;
        if (m == i) return;
        size_t t = hp[i];
        hp[i] = hp[m];
        hp[m] = t;
        i = m;
    }
}

/* The spooled held rows, in line order, as rejects with their raw text.
 * 0, or -1 with ERR (empty: the store's error). */
int held_rejects(importer *im, char *err, size_t errlen)
{
    held_spool *h = &im->hs;
    held_reread r;
    held_src *src = NULL;
    size_t *hp = NULL, nh = 0;
    char *bufs = NULL;
    int rc = 0;
    if (h->n == 0 && h->n_runs == 0) return 0;
    reread_open(im, &r);
    if (!h->f) { /* they all fit in memory */
        cx_qsort(h->at, h->n, sizeof *h->at, held_cmp);
        for (size_t i = 0; rc == 0 && i < h->n; i++) {
            uint16_t len;
            memcpy(&len, h->buf + h->at[i].off + sizeof(long long), sizeof len);
            rc = held_emit(im, &r, h->at[i].line, h->buf + h->at[i].off + HELD_HEAD, len);
        }
        goto done;
    }
    if ((h->n > 0 && held_run(h) != 0) || fflush(h->f) != 0) goto io_fail;
    free(h->buf); /* the gathering's memory, before the merge's */
    free(h->at);
    h->buf = NULL;
    h->at = NULL;
    h->cap = h->cap_at = 0;
    size_t k = h->n_runs;
    if (!(src = calloc(k, sizeof *src)) || !(hp = malloc(k * sizeof *hp)) ||
        !(bufs = malloc(k * HELD_READ_BYTES))) {
        errno = ENOMEM;
        goto io_fail;
    }
    for (size_t i = 0; i < k; i++) {
        src[i].pos = i ? h->ends[i - 1] : 0;
        src[i].end = h->ends[i];
        src[i].b = bufs + i * HELD_READ_BYTES;
        int got = src_next(h, &src[i]);
        if (got < 0) goto io_fail;
        if (got) hp[nh++] = i;
    }
    for (size_t i = nh / 2; i-- > 0;) heap_down(hp, nh, src, i);
    while (rc == 0 && nh > 0) {
        held_src *c = &src[hp[0]];
        rc = held_emit(im, &r, c->line, c->reason, c->len);
        int got = rc == 0 ? src_next(h, c) : 1;
        if (got < 0) goto io_fail;
        if (got == 0) hp[0] = hp[--nh];
        heap_down(hp, nh, src, 0);
    }
    goto done;
io_fail:
    snprintf(err, errlen, "rows held by another source: temporary file in %s: %s", temp_dir(),
             strerror(errno));
    rc = -1;
done:
    if (r.rd) csv_reader_free(r.rd);
    free(src);
    free(hp);
    free(bufs);
    return rc;
}
