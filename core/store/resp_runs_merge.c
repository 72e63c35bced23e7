/* resp_runs_merge.c — sorted runs of responses (resp_runs.c) merged by
 * key (core/store/resp_runs.h).
 *
 * One cursor a run reads its part of the temporary file through a buffer
 * of its own (a row longer than its buffer read whole), from two pieces
 * a cursor read ahead on a thread of their own past the page cache
 * (core/rahead.h; 16 MB of buffers and pieces in all, at least 4 KiB
 * each); a heap orders the cursors by their row's
 * key, then file order.  The rows of one key (an id given twice: an
 * export that holds a response and its later version) are settled here
 * as row-by-row upserts into an empty store would settle them: the first
 * is new, a later one with an updated_at at least the greatest before it
 * replaces it, any other is ignored (dup_replaced, dup_ignored; the
 * PostgreSQL merge's rule too, store_pg_merge.c: the last row holding the
 * greatest updated_at).  So each key's winner goes once to PUT (for the
 * SQLite bulk, the batch that fills for its writer thread) and to TELL as
 * a response, as the store's scan would read it back (the analysis cache
 * an import writes).
 */
#include "core/store/resp_runs.h"
#include "core/rahead.h"
#include "core/store/store_attrs.h"
#include "core/store/store_check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RA_GATHER 16

typedef struct run_cur {
    long long at, end; /* the file's bytes left to read */
    /* the run's file read ahead (core/rahead.h), two pieces at a time:
     * rq[cur] is the one taken from, the other under way; ahead is the
     * aligned offset of the next piece to ask for */
    ra_req rq[2];
    int cur;
    long long ahead;
    char *buf;
    size_t cap, len, pos; /* the buffer's bytes and the next row's start */
    run_rec h;            /* the current row */
    const char *txt[SQB_NTEXT];
    uint64_t k8; /* its id's 8 bytes past the shared head (one source), big-endian */
} run_cur;

/* C's first pieces asked for, PIECE bytes each (a multiple of
 * DIO_ALIGN).  0, or -1 out of memory. */
static int cur_ahead(rahead *ra, run_cur *c, size_t piece)
{
    c->ahead = c->at - c->at % DIO_ALIGN;
    for (int i = 0; i < 2; i++) {
        if (!(c->rq[i].buf = dio_alloc(piece))) return -1;
        c->rq[i].cap = piece;
        if (c->ahead < c->end) {
            ra_submit(ra, &c->rq[i], c->ahead);
            c->ahead += (long long)piece;
        }
    }
    return 0;
}

/* The next N bytes of C's run (c->at on) into P, from the pieces read
 * ahead; a piece used up is asked for again, further on.  0, or -1 with
 * errno. */
static int take(rahead *ra, run_cur *c, char *p, size_t n)
{
    while (n) {
        ra_req *r = &c->rq[c->cur];
        if (ra_wait(ra, r) != 0) return -1;
        long long hi = r->at + (long long)r->got;
        if (hi > c->end) hi = c->end;
        if (c->at < r->at) {
            errno = EIO; /* a piece not in order: not this file's reads */
            return -1;
        }
        if (c->at < hi) {
            size_t k = (size_t)(hi - c->at) < n ? (size_t)(hi - c->at) : n;
            memcpy(p, r->buf + (c->at - r->at), k);
            p += k;
            n -= k;
            c->at += (long long)k;
            continue;
        }
        if (r->got < r->cap) {
            errno = EIO; /* the file ends before the run */
            return -1;
        }
        r->state = RA_IDLE;
        if (c->ahead < c->end) { /* this piece again, two further on */
            ra_submit(ra, r, c->ahead);
            c->ahead += (long long)r->cap;
        }
        c->cur ^= 1;
    }
    return 0;
}

/* Reads C's next row into c->h and c->txt: 1, 0 at the run's end, -1. */
static int cur_next(resp_runs *b, rahead *ra, run_cur *c)
{
    for (;;) {
        size_t have = c->len - c->pos, need = RUN_HEAD_MAX;
        long nh = resp_run_head_get((const unsigned char *)c->buf + c->pos, have, &c->h);
        if (nh < 0) {
            errno = EIO; /* not a head these runs wrote */
            return resp_runs_io_fail(b, "reading");
        }
        if (nh > 0) {
            need = (size_t)nh + SQB_NTEXT; /* each text's NUL */
            for (int t = 0; t < SQB_NTEXT; t++) need += c->h.len[t];
            if (have >= need) {
                const char *p = c->buf + c->pos + nh;
                for (int t = 0; t < SQB_NTEXT; t++) {
                    c->txt[t] = p;
                    p += c->h.len[t] + 1;
                    if (p[-1] != '\0') {
                        errno = EIO; /* not a row these runs wrote */
                        return resp_runs_io_fail(b, "reading");
                    }
                }
                c->pos += need;
                if (b->one_source == 1) c->k8 = sq_id_eight(c->txt[SQB_ID], c->h.len[SQB_ID], b->head_len);
                return 1;
            }
        }
        if (c->at >= c->end) {
            if (have == 0) return 0;
            errno = EIO; /* a run cut short */
            return resp_runs_io_fail(b, "reading");
        }
        /* what is left to the front, then as much as fits */
        memmove(c->buf, c->buf + c->pos, have);
        c->len = have;
        c->pos = 0;
        if (need > c->cap) {
            char *nb = realloc(c->buf, need);
            if (!nb) return resp_runs_oom(b);
            c->buf = nb;
            c->cap = need;
        }
        size_t want = c->cap - c->len;
        if ((long long)want > c->end - c->at) want = (size_t)(c->end - c->at);
        if (take(ra, c, c->buf + c->len, want) != 0) return resp_runs_io_fail(b, "reading");
        c->len += want;
    }
}

static int key_cmp(const run_cur *a, const run_cur *b)
{
    for (int t = SQB_SOURCE; t <= SQB_ID; t++) {
        uint32_t an = a->h.len[t], bn = b->h.len[t];
        int c = memcmp(a->txt[t], b->txt[t], an < bn ? an : bn);
        if (!c) c = (an > bn) - (an < bn);
        if (c) return c;
    }
    return 0;
}

/* A heap entry: a cursor and its k8, read without going to the cursor. */
typedef struct hent {
    uint64_t k8;
    run_cur *c;
} hent;

/* Heap order: key, then file order.  The k8 first: with one source every
 * key shares the head before it, so it orders most pairs alone (a 10M-row
 * merge made about 30 calls of memcmp a row, a sixth of its thread's
 * time, before it); with several it is 0 for every cursor. */
static inline int before(const hent *a, const hent *b)
{
    if (a->k8 != b->k8) return a->k8 < b->k8;
    int c = key_cmp(a->c, b->c);
    return c ? c < 0 : a->c->h.seq < b->c->h.seq;
}

/* H[I] to its place below I: down to a leaf along the lesser children,
 * then back up as far as it must (its new row, from a run in random
 * order, mostly belongs near the leaves: about half the comparisons of
 * sifting down with both children compared at each level).  First, one
 * comparison says whether it stays where it is: ids partly in order
 * (counting up without leading zeros: "9" after "10") give long
 * stretches of rows from one run, which would go down and all the way
 * back up. */
static void sift_down(hent *h, size_t n, size_t i)
{
    hent x = h[i];
    size_t j = i;
    for (int first = 1;; first = 0) {
        size_t l = 2 * j + 1;
        if (l >= n) break;
        if (l + 1 < n && before(&h[l + 1], &h[l])) l++;
        if (first && before(&x, &h[l])) return;
        h[j] = h[l];
        j = l;
    }
    while (j > i) {
        size_t p = (j - 1) / 2;
        if (!before(&x, &h[p])) break;
        h[j] = h[p];
        j = p;
    }
    h[j] = x;
}

/* The current key's winner, held until a row of another key comes: its
 * head and its texts, NUL-terminated in a buffer of its own (as
 * store_on_sorted is shown them). */
typedef struct held {
    sq_brow h;
    char *p;
    size_t cap;
    const char *z[SQB_NTEXT];
    uint64_t k8; /* the row's cursor's */
    int have;
    attrs_buf attrs;
} held;

/* C's row into X.  0, or -1 out of memory. */
static int hold(held *x, const run_cur *c)
{
    size_t need = SQB_NTEXT;
    for (int t = 0; t < SQB_NTEXT; t++) need += c->h.len[t];
    if (need > x->cap) {
        char *p = realloc(x->p, need * 2);
        if (!p) return -1;
        x->p = p;
        x->cap = need * 2;
    }
    memcpy(x->p, c->txt[0], need); /* the texts lie one after another, each with its NUL */
    char *w = x->p;
    for (int t = 0; t < SQB_NTEXT; t++) {
        x->z[t] = w;
        w += c->h.len[t] + 1;
    }
    sq_brow *h = &x->h;
    memset(h, 0, sizeof *h);
    h->responded_at = c->h.responded_at;
    h->updated_at = c->h.updated_at;
    h->seq = c->h.seq;
    h->handle_time_s = c->h.handle_time_s;
    h->month = c->h.month;
    h->score = c->h.score;
    h->metric = c->h.metric;
    h->has_handle_time = (unsigned char)c->h.has_handle_time;
    memcpy(h->len, c->h.len, sizeof h->len);
    x->k8 = c->k8;
    x->have = 1;
    return 0;
}

/* 1 when C's row has X's key. */
static int same_key(const held *x, const run_cur *c)
{
    if (x->k8 != c->k8) return 0; /* one source: ids that differ in their 8 bytes past the head */
    for (int t = SQB_SOURCE; t <= SQB_ID; t++)
        if (x->h.len[t] != c->h.len[t] || memcmp(x->z[t], c->txt[t], c->h.len[t]) != 0) return 0;
    return 1;
}

/* X's row shown to CB as a response, as the store's scan would give it. */
static int tell(held *x, store_response_cb cb, void *ctx)
{
    const sq_brow *h = &x->h;
    const char *const *z = x->z;
    cx_response r;
    cx_response_clear(&r);
    r.source = z[SQB_SOURCE];
    r.response_id = z[SQB_ID];
    r.comment = z[SQB_COMMENT];
    r.customer_id = z[SQB_CUSTOMER];
    r.agent_id = z[SQB_AGENT];
    r.channel = z[SQB_CHANNEL];
    r.product = z[SQB_PRODUCT];
    r.interaction_type = z[SQB_ITYPE];
    r.responded_at = h->responded_at;
    r.updated_at = h->updated_at;
    r.score = h->score;
    r.metric = h->metric;
    r.has_handle_time = h->has_handle_time;
    r.handle_time_s = h->has_handle_time ? h->handle_time_s : 0;
    if (!store_parse_moments(z[SQB_MOMENTS], &r)) return -1; /* as the store's scan reads them back */
    attrs_doc *doc = attrs_scan(z[SQB_ATTRS], &x->attrs, r.attrs, &r.n_attrs, CX_MAX_ATTRS);
    int rc = cb(&r, ctx);
    attrs_doc_free(doc);
    return rc;
}

int resp_runs_merge(resp_runs *b, resp_runs_put put, void *put_ctx, store_response_cb cb, void *tell_ctx)
{
    b->err[0] = '\0';
    b->dup_replaced = b->dup_ignored = 0;
    if (resp_runs_close(b) != 0) return -1;
    size_t n = b->n, live = 0;
    run_cur *cur = calloc(n ? n : 1, sizeof *cur);
    hent *heap = calloc(n ? n : 1, sizeof *heap);
    int ret = cur && heap ? 0 : resp_runs_oom(b);
    /* 16 MB of buffers in all: a cursor's rows a quarter, the two pieces
     * read ahead the rest */
    size_t per = n ? (16u << 20) / n : RUN_IO;
    if (per > RUN_IO) per = RUN_IO;
    size_t piece = (per * 3 / 8) / DIO_ALIGN * DIO_ALIGN, rows = per / 4;
    if (piece < DIO_ALIGN) piece = DIO_ALIGN;
    if (rows < 4096) rows = 4096;
    /* a piece is asked for a whole piece before its cursor needs it, so
     * the reads are handed to the disk RA_GATHER at a time; with few runs
     * fewer, or a cursor would often find its next piece still waiting
     * for others to gather */
    int gather = n >= 2 * RA_GATHER ? RA_GATHER : (int)(n / 2) + 1;
    rahead *ra = ret == 0 ? ra_start(b->fd, b->path, gather) : NULL;
    if (ret == 0 && !ra) ret = resp_runs_oom(b);
    for (size_t i = 0; ret == 0 && i < n; i++) {
        cur[i].at = b->off[i];
        cur[i].end = b->off[i + 1];
        if (!(cur[i].buf = malloc(rows)) || cur_ahead(ra, &cur[i], piece) != 0) ret = resp_runs_oom(b);
        cur[i].cap = rows;
    }
    for (size_t i = 0; ret == 0 && i < n; i++) {
        int rc = cur_next(b, ra, &cur[i]);
        if (rc < 0) ret = -1;
        else if (rc == 1) heap[live++] = (hent){cur[i].k8, &cur[i]};
    }
    for (size_t i = live / 2; ret == 0 && i-- > 0;) sift_down(heap, live, i);
    held x;
    memset(&x, 0, sizeof x);
    if (ret == 0 && cb && cb(NULL, tell_ctx) != 0) cb = NULL;
    for (;;) {
        run_cur *c = ret == 0 && live > 0 ? heap[0].c : NULL;
        if (c && x.have && same_key(&x, c)) { /* the key again, later in the file */
            if (c->h.updated_at < x.h.updated_at) {
                b->dup_ignored++;
            } else {
                b->dup_replaced++;
                if (hold(&x, c) != 0) ret = resp_runs_oom(b);
            }
        } else if (ret == 0 && x.have) { /* the key's winner, once */
            ret = put ? put(put_ctx, &x.h, x.z) : 0;
            if (ret == 0 && cb && tell(&x, cb, tell_ctx) != 0) cb = NULL;
            x.have = 0;
            if (ret == 0 && c && hold(&x, c) != 0) ret = resp_runs_oom(b);
        } else if (c && hold(&x, c) != 0) {
            ret = resp_runs_oom(b);
        }
        if (!c || ret != 0) break;
        int rc = cur_next(b, ra, c);
        if (rc < 0) ret = -1;
        else if (rc == 0) heap[0] = heap[--live];
        else heap[0].k8 = c->k8;
        sift_down(heap, live, 0);
    }
    free(x.p);
    attrs_buf_free(&x.attrs);
    ra_stop(ra); /* before the pieces it may be reading into go */
    for (size_t i = 0; cur && i < n; i++) {
        free(cur[i].buf);
        free(cur[i].rq[0].buf);
        free(cur[i].rq[1].buf);
    }
    free(cur);
    free(heap);
    return ret;
}
