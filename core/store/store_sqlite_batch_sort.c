/* store_sqlite_batch_sort.c — a batch ordered by key (store_sqlite_batch.h
 * sq_batch_sort): (source, response_id) as SQLite's BINARY collation
 * orders them (bytes; a text before a longer one it begins), rows of the
 * same key in arrival order.
 *
 * A file's batch has one source, and its ids often share a head ("r0…",
 * "R_"): past the bytes every id of the batch shares, the next eight
 * bytes of each id, read as a big-endian number (zeros past its end),
 * order the ids as the bytes do.  Those numbers are sorted by a stable
 * radix sort, a byte a pass, skipping the bytes all share; only rows
 * whose eight bytes are equal are compared in full.  A batch of sorted
 * runs (store_sqlite_bulk_runs.c: 65,536 rows of random ids) sorted this
 * way costs a few passes over an array instead of n log n calls of
 * memcmp.  A batch of several sources is sorted by comparisons.
 */
#include "core/store/store_sqlite_batch.h"
#include "core/xsort.h"

#include <stdlib.h>
#include <string.h>

/* ---- by comparisons: several sources, or rows of equal numbers ---- */

typedef struct skey {
    const char *src, *id;
    uint32_t src_len, id_len, row;
} skey;

static int cmp_text(const char *a, uint32_t an, const char *b, uint32_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : (an > bn) - (an < bn);
}

static int cmp_key(const void *pa, const void *pb)
{
    const skey *a = pa, *b = pb;
    int c = cmp_text(a->src, a->src_len, b->src, b->src_len);
    if (!c) c = cmp_text(a->id, a->id_len, b->id, b->id_len);
    return c ? c : (a->row > b->row) - (a->row < b->row);
}

static skey key_of(const sq_batch *b, uint32_t i)
{
    const sq_brow *r = &b->row[i];
    return (skey){b->arena + r->off[SQB_SOURCE], b->arena + r->off[SQB_ID], r->len[SQB_SOURCE],
                  r->len[SQB_ID], i};
}

/* Sorts ROWS[0..N) (row numbers of B) by key; K: room for N keys. */
static void sort_rows(const sq_batch *b, uint32_t *rows, size_t n, skey *k)
{
    for (size_t i = 0; i < n; i++) k[i] = key_of(b, rows[i]);
    cx_qsort(k, n, sizeof *k, cmp_key);
    for (size_t i = 0; i < n; i++) rows[i] = k[i].row;
}

static int same_key(const sq_batch *b, uint32_t x, uint32_t y)
{
    skey a = key_of(b, x), c = key_of(b, y);
    return !cmp_text(a.src, a.src_len, c.src, c.src_len) && !cmp_text(a.id, a.id_len, c.id, c.id_len);
}

/* ---- by the ids' eight bytes ---- */

typedef struct nkey {
    uint64_t n;
    uint32_t row;
} nkey;

/* The bytes every id of B shares at its head, or (size_t)-1 when the
 * rows' sources are not all the same. */
static size_t shared_head(const sq_batch *b)
{
    const sq_brow *r0 = &b->row[0];
    const char *s0 = b->arena + r0->off[SQB_SOURCE], *i0 = b->arena + r0->off[SQB_ID];
    size_t head = r0->len[SQB_ID];
    for (size_t i = 1; i < b->n; i++) {
        const sq_brow *r = &b->row[i];
        if (r->len[SQB_SOURCE] != r0->len[SQB_SOURCE] ||
            memcmp(b->arena + r->off[SQB_SOURCE], s0, r0->len[SQB_SOURCE]) != 0)
            return (size_t)-1;
        const char *id = b->arena + r->off[SQB_ID];
        size_t m = r->len[SQB_ID] < head ? r->len[SQB_ID] : head, j = 0;
        while (j < m && id[j] == i0[j]) j++;
        head = j;
    }
    return head;
}

/* Stable: K ends sorted by n (T: room for as many). */
static nkey *radix(nkey *k, nkey *t, size_t n)
{
    enum { B = 256 };
    size_t count[8][B];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 8; d++) count[d][(k[i].n >> (8 * d)) & 0xff]++;
    for (int d = 0; d < 8; d++) {
        size_t at = 0, *c = count[d];
        if (c[(k[0].n >> (8 * d)) & 0xff] == n) continue; /* every key has this byte */
        for (size_t v = 0; v < B; v++) {
            size_t m = c[v];
            c[v] = at;
            at += m;
        }
        for (size_t i = 0; i < n; i++) t[c[(k[i].n >> (8 * d)) & 0xff]++] = k[i];
        nkey *x = k;
        k = t;
        t = x;
    }
    return k;
}

int sq_batch_sort(sq_batch *b)
{
    size_t n = b->n;
    int dup = 0;
    b->sorted = 1;
    if (b->merged) { /* in key order already, in arrival order: order[i] is i */
        b->head = (size_t)-1;
        return 0;
    }
    if (n < 2) {
        if (n) b->order[0] = 0;
        b->head = n ? b->row[0].len[SQB_ID] : 0;
        return 0;
    }
    size_t head = b->head = shared_head(b);
    if (head == (size_t)-1) { /* several sources */
        skey *k = malloc(n * sizeof *k);
        if (!k) return -1;
        for (size_t i = 0; i < n; i++) b->order[i] = (uint32_t)i;
        sort_rows(b, b->order, n, k);
        free(k);
        for (size_t i = 1; i < n && !dup; i++) dup = same_key(b, b->order[i - 1], b->order[i]);
        return dup;
    }
    nkey *k = malloc(2 * n * sizeof *k);
    if (!k) return -1;
    int rising = 1;
    for (size_t i = 0; i < n; i++) {
        const sq_brow *r = &b->row[i];
        k[i] = (nkey){sq_id_eight(b->arena + r->off[SQB_ID], r->len[SQB_ID], head), (uint32_t)i};
        if (i && k[i].n < k[i - 1].n) rising = 0;
    }
    nkey *s = rising ? k : radix(k, k + n, n);
    for (size_t i = 0; i < n; i++) b->order[i] = s[i].row;
    /* rows of equal numbers: by their whole ids (rows in arrival order) */
    skey *tk = NULL;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && s[j].n == s[i].n) j++;
        if (j - i > 1) {
            if (!tk && !(tk = malloc(n * sizeof *tk))) {
                free(k);
                return -1;
            }
            sort_rows(b, b->order + i, j - i, tk);
        }
        for (size_t x = i + 1; x < j && !dup; x++) dup = same_key(b, b->order[x - 1], b->order[x]);
        i = j;
    }
    free(tk);
    free(k);
    return dup;
}
