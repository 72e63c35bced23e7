/* cache_read.c — reading the analysis cache (cache.h): a block's head,
 * then the columns asked for, each with pread(2) into a buffer reused
 * block after block (a whole block the page cache does not hold read
 * past it, core/dread.h; a few columns of each block are read through
 * it, and kept there, without readahead), checked (hash, sizes, codes) before any is used. */
#include "core/store/cache_int.h"
#include "core/store/store_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_TEXT (CC_COUNT - CC_FIRST_TEXT)
#define MOMENT_MAX 1000000 /* as the store's read accepts (store_sqlite_read.c) */

struct cache_reader {
    int fd;
    dread dr;   /* fd's whole blocks read from the page cache, else past it */
    int random; /* fd told that its reads skip (a few columns a block) */
    char *path;
    long long size, at; /* file size, next block */
    uint64_t blocks, done;
    cache_head head;
    char *buf[CACHE_READ_KEPT]; /* the payloads of the last blocks read */
    size_t cap[CACHE_READ_KEPT];
    cache_bhead last; /* the head of the last block read */
    int last_whole;   /* it was read with every column */
    int ahead;        /* dr reads ahead (the blocks read whole, in order) */
};

static int damaged(const cache_reader *r, char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "cache: %s: damaged (%s)", r->path, why);
    return -1;
}

int cache_open(const char *path, const char *id, const char *gen, cache_reader **out, char *err,
               size_t errlen)
{
    cache_reader *r = calloc(1, sizeof *r);
    struct stat st;
    *out = NULL;
    if (!r || !(r->path = strdup(path))) {
        free(r);
        snprintf(err, errlen, "cache: out of memory");
        return -1;
    }
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    dread_init(&r->dr, r->fd, r->path);
    if (r->fd < 0) {
        int e = errno;
        cache_close(r);
        if (e == ENOENT) return 0;
        snprintf(err, errlen, "cache: %s: %s", path, strerror(e));
        return -1;
    }
    int rc = -1, hc;
    const char *why;
    if (fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "cache: %s: not a regular file", path);
    } else if ((r->size = (long long)st.st_size) < (long long)CACHE_HEAD ||
               file_pread_all(r->fd, &r->head, sizeof r->head, 0) != 0) {
        damaged(r, err, errlen, "shorter than its head");
    } else if ((hc = cache_head_check(&r->head, id, &why)) < 0) {
        damaged(r, err, errlen, why);
    } else if (hc == 0 || (gen && strcmp(r->head.gen, gen) != 0)) {
        rc = 0; /* another version, store or generation: rebuilt, nothing to say */
    } else {
        r->at = (long long)CACHE_HEAD;
        r->blocks = r->head.blocks;
        *out = r;
        return 1;
    }
    cache_close(r);
    return rc;
}

const char *cache_file(const cache_reader *r) { return r->path; }

long long cache_rows(const cache_reader *r) { return (long long)r->head.rows; }
const char *cache_gen(const cache_reader *r) { return r->head.gen; }
int cache_mark(const cache_reader *r, long long *mark)
{
    *mark = (long long)r->head.mark - 1;
    return r->head.mark > 0 && r->head.mark <= (uint64_t)INT64_MAX;
}

void cache_drop_blocks(cache_reader *r)
{
    for (int k = 0; k < CACHE_READ_KEPT; k++) {
        free(r->buf[k]);
        r->buf[k] = NULL;
        r->cap[k] = 0;
    }
    r->last_whole = 0; /* nothing for cache_last_raw */
}

void cache_close(cache_reader *r)
{
    if (!r) return;
    dread_close(&r->dr);
    if (r->fd >= 0) close(r->fd);
    cache_drop_blocks(r);
    free(r->path);
    free(r);
}

/* Column C of head H, N elements of SIZE bytes, at *OUT; checked. */
static int fixed_col(const cache_bhead *h, const char *base, int c, size_t n, size_t size, const void **out)
{
    if (h->col[c].len != n * size) return -1;
    *out = base + h->col[c].off;
    return 0;
}

/* Text column C (N codes) from BASE; checked: sizes, terminators, codes. */
static int text_col(const cache_bhead *h, const char *base, int c, size_t n, cache_text *t)
{
    const cache_col *k = &h->col[c];
    const char *p = base + k->off;
    size_t len = k->len;
    uint32_t nd;
    if (len < 8) return -1;
    memcpy(&nd, p, 4);
    if (nd > len / 4 || 4 + ((size_t)nd + 1) * 4 > len) return -1;
    const uint32_t *off = (const uint32_t *)(p + 4);
    size_t data_at = 4 + ((size_t)nd + 1) * 4, data_len = off[nd];
    if (off[0] != 0 || data_len > len - data_at) return -1;
    const char *data = p + data_at;
    for (uint32_t i = 0; i < nd; i++)
        if (off[i + 1] <= off[i] || off[i + 1] > data_len || data[off[i + 1] - 1] != '\0') return -1;
    size_t codes_at = data_at + data_len, w = cache_code_width(nd);
    codes_at += (4 - codes_at % 4) % 4;
    if (codes_at > len || len - codes_at != n * w) return -1;
    t->off = off;
    t->data = data;
    t->n_dict = nd;
    t->code = p + codes_at;
    t->width = (unsigned)w;
    /* every code inside the dictionary (a full one-byte dictionary holds
     * every code a byte can say) */
    if (w == 1 && nd == 256) return 0;
    uint32_t bad = 0;
    if (w == 1)
        for (size_t i = 0; i < n; i++) bad |= ((const uint8_t *)t->code)[i] >= nd;
    else if (w == 2)
        for (size_t i = 0; i < n; i++) bad |= ((const uint16_t *)t->code)[i] >= nd;
    else
        for (size_t i = 0; i < n; i++) bad |= ((const uint32_t *)t->code)[i] >= nd;
    return bad ? -1 : 0;
}

/* The moments (N of them) from BASE: one byte each or four. */
static int moments_col(const cache_bhead *h, const char *base, size_t n, cache_block *b)
{
    size_t len = h->col[CC_MOMENTS].len;
    if (len != n && len != n * 4) return -1;
    b->moments = base + h->col[CC_MOMENTS].off;
    b->moment_width = n && len == n * 4 ? 4 : 1;
    return 0;
}

/* cache_int.h; -2: the moment or attribute counts do not add up. */
int cache_parse_block(const cache_bhead *h, const char *p, unsigned cols, cache_block *b)
{
    memset(b, 0, sizeof *b);
    size_t n = b->rows = h->rows;
    b->n_moments = h->n_moments;
    b->n_attrs = h->n_attrs;
    int bad = 0;
    const void *v = NULL;
#define FIXED(c, cnt, size, field)                \
    if (cols & (1u << (c))) {                     \
        bad |= fixed_col(h, p, c, cnt, size, &v); \
        b->field = v;                             \
    }
    FIXED(CC_RESPONDED, n, 8, responded_at)
    FIXED(CC_UPDATED, n, 8, updated_at)
    FIXED(CC_HANDLE, n, 8, handle)
    FIXED(CC_MONTH, n, 4, month)
    if (cols & (1u << CC_MOMENTS)) bad |= moments_col(h, p, h->n_moments, b);
    FIXED(CC_SCORE, n, 1, score)
    FIXED(CC_METRIC, n, 1, metric)
    FIXED(CC_HAS_HANDLE, n, 1, has_handle)
    FIXED(CC_N_MOMENTS, n, 1, row_moments)
    FIXED(CC_N_ATTRS, n, 1, row_attrs)
#undef FIXED
    for (int c = CC_FIRST_TEXT; c < CC_COUNT; c++)
        if (cols & (1u << c))
            bad |= text_col(h, p, c, c >= CC_ATTR_KEY ? h->n_attrs : n, &b->text[c - CC_FIRST_TEXT]);
    if (bad) return -1;
    if ((cols & (1u << CC_N_MOMENTS)) && (cols & (1u << CC_N_ATTRS))) {
        size_t sm = 0, sa = 0;
        for (size_t i = 0; i < n; i++) {
            if (b->row_moments[i] > CX_MAX_MOMENTS || b->row_attrs[i] > CX_MAX_ATTRS) bad = 1;
            sm += b->row_moments[i];
            sa += b->row_attrs[i];
        }
        if (bad || sm != h->n_moments || sa != h->n_attrs) return -2;
    }
    return 0;
}

int cache_next(cache_reader *r, unsigned cols, cache_block *b, char *err, size_t errlen)
{
    static const char *const name[CC_COUNT] = {
        "responded_at", "updated_at",  "handle_time_s",     "month",          "moments",
        "score",        "metric",      "handle time flags", "moment counts",  "attribute counts",
        "source",       "response_id", "comment",           "customer_id",    "agent_id",
        "channel",      "product",     "interaction_type",  "attribute keys", "attribute values",
    };
    cache_bhead h;
    char why[96];
    if (r->done == r->blocks) {
        if (r->at != r->size) return damaged(r, err, errlen, "bytes after its last block");
        return 0;
    }
    if (r->at + (long long)sizeof h > r->size || file_pread_all(r->fd, &h, sizeof h, r->at) != 0)
        return damaged(r, err, errlen, "cut short");
    if (h.magic != CACHE_BLOCK_MAGIC || h.hash != cache_hash(&h, offsetof(cache_bhead, hash)))
        return damaged(r, err, errlen, "a block head does not match its hash");
    if (h.rows == 0 || h.rows > CACHE_BLOCK_ROWS || h.n_moments > (uint32_t)h.rows * CX_MAX_MOMENTS ||
        h.n_attrs > (uint32_t)h.rows * CX_MAX_ATTRS)
        return damaged(r, err, errlen, "a block's sizes are out of range");
    if (r->at + (long long)sizeof h + h.payload > r->size) return damaged(r, err, errlen, "cut short");
    for (int c = 0; c < CC_COUNT; c++)
        if (h.col[c].off % 8 || h.col[c].off > h.payload || h.col[c].len > h.payload - h.col[c].off)
            return damaged(r, err, errlen, "a column lies outside its block");
    int k = (int)(r->done % CACHE_READ_KEPT);
    if (h.payload > r->cap[k]) {
        char *p = realloc(r->buf[k], h.payload);
        if (!p) {
            snprintf(err, errlen, "cache: out of memory");
            return -1;
        }
        r->buf[k] = p;
        r->cap[k] = h.payload;
    }
    char *buf = r->buf[k];
    long long base = r->at + (long long)sizeof h;
    if (cols != CACHE_ALL_COLS && !r->random) { /* a few columns a block: no readahead of the rest */
        (void)posix_fadvise(r->fd, 0, 0, POSIX_FADV_RANDOM);
        r->random = 1;
    }
    if (cols == CACHE_ALL_COLS) {
        if (!r->ahead) r->ahead = dread_ahead(&r->dr, CACHE_READ_AHEAD) == 0 ? 1 : -1;
        if (dread_at(&r->dr, buf, h.payload, base) != 0) return damaged(r, err, errlen, "cut short");
    }
    for (int c = 0; c < CC_COUNT; c++) {
        if (!(cols & (1u << c))) continue;
        if (cols != CACHE_ALL_COLS &&
            file_pread_all(r->fd, buf + h.col[c].off, h.col[c].len, base + h.col[c].off) != 0)
            return damaged(r, err, errlen, "cut short");
        if (cache_hash(buf + h.col[c].off, h.col[c].len) != h.col[c].hash) {
            snprintf(why, sizeof why, "its %s do not match their hash", name[c]);
            return damaged(r, err, errlen, why);
        }
    }
    int bad = cache_parse_block(&h, buf, cols, b);
    if (bad == -1) return damaged(r, err, errlen, "a column's size or codes are out of range");
    if (bad) return damaged(r, err, errlen, "its moment or attribute counts do not add up");
    r->last = h;
    r->last_whole = cols == CACHE_ALL_COLS;
    r->at = base + h.payload;
    r->done++;
    return 1;
}

int cache_head_check(const cache_head *h, const char *id, const char **why)
{
    if (memcmp(h->magic, CACHE_MAGIC, sizeof h->magic) != 0) *why = "not a cxpulse cache";
    else if (h->hash != cache_hash(h, offsetof(cache_head, hash))) *why = "its head does not match its hash";
    else
        return h->version == CACHE_VERSION && h->endian == CACHE_ENDIAN && memchr(h->id, 0, sizeof h->id) &&
               memchr(h->gen, 0, sizeof h->gen) && strcmp(h->id, id) == 0;
    return -1;
}

int cache_walk_heads(int fd, uint64_t blocks, long long size, long long *end, cache_bhead *last,
                     long long *last_at)
{
    long long at = (long long)CACHE_HEAD;
    cache_bhead h;
    for (uint64_t k = 0; k < blocks; k++) {
        if (at + (long long)sizeof h > size || file_pread_all(fd, &h, sizeof h, at) != 0 ||
            h.magic != CACHE_BLOCK_MAGIC || h.hash != cache_hash(&h, offsetof(cache_bhead, hash)) ||
            at + (long long)sizeof h + h.payload > size)
            return -1;
        *last = h;
        *last_at = at + (long long)sizeof h;
        at = *last_at + h.payload;
    }
    *end = at;
    return 0;
}

int cache_last_key(const cache_reader *r, char *key, size_t cap)
{
    long long at, last_at = 0;
    cache_bhead last;
    if (cache_walk_heads(r->fd, r->head.blocks, r->size, &at, &last, &last_at) != 0 || !last_at ||
        at != r->size)
        return 0;
    char *p = malloc(last.payload ? last.payload : 1);
    cache_block b;
    int ok = p && file_pread_all(r->fd, p, last.payload, last_at) == 0 &&
             cache_parse_block(&last, p, (1u << CC_SOURCE) | (1u << CC_RESPONSE_ID), &b) == 0 && b.rows > 0;
    if (ok) {
        const cache_text *s = &b.text[CC_SOURCE - CC_FIRST_TEXT],
                         *i = &b.text[CC_RESPONSE_ID - CC_FIRST_TEXT];
        const char *src = cache_text_at(s, b.rows - 1), *id = cache_text_at(i, b.rows - 1);
        size_t sl = strlen(src), il = strlen(id);
        if ((ok = sl + il + 2 <= cap)) {
            memcpy(key, src, sl + 1);
            memcpy(key + sl + 1, id, il + 1);
        }
    }
    free(p);
    return ok;
}

int cache_last_raw(const cache_reader *r, const cache_bhead **h, const char **payload)
{
    if (!r->done || !r->last_whole) return -1;
    *h = &r->last;
    *payload = r->buf[(r->done - 1) % CACHE_READ_KEPT];
    return 0;
}

int cache_row(const cache_block *b, size_t i, cx_response *r, size_t *cur, char *err, size_t errlen)
{
    const cache_text *t = b->text;
#define TXT(c) cache_text_at(&t[(c)-CC_FIRST_TEXT], i)
    r->source = TXT(CC_SOURCE);
    r->response_id = TXT(CC_RESPONSE_ID);
    r->comment = TXT(CC_COMMENT);
    r->customer_id = TXT(CC_CUSTOMER_ID);
    r->agent_id = TXT(CC_AGENT_ID);
    r->channel = TXT(CC_CHANNEL);
    r->product = TXT(CC_PRODUCT);
    r->interaction_type = TXT(CC_INTERACTION_TYPE);
#undef TXT
    r->responded_at = b->responded_at[i];
    r->updated_at = b->updated_at[i];
    r->score = b->score[i];
    r->metric = b->metric[i] < CX_METRIC_COUNT ? b->metric[i] : -1;
    r->has_handle_time = b->has_handle[i] != 0;
    r->handle_time_s = r->has_handle_time ? b->handle[i] : 0;
    r->n_moments = b->row_moments[i];
    size_t m0 = cur[1];
    for (size_t k = 0; k < r->n_moments; k++) r->moments[k] = cache_moment(b, m0 + k);
    cur[1] += r->n_moments;
    r->n_attrs = b->row_attrs[i];
    const cache_text *ak = &t[CC_ATTR_KEY - CC_FIRST_TEXT], *av = &t[CC_ATTR_VALUE - CC_FIRST_TEXT];
    for (size_t a = 0; a < r->n_attrs; a++) {
        r->attrs[a].key = cache_text_at(ak, cur[0] + a);
        r->attrs[a].value = cache_text_at(av, cur[0] + a);
    }
    cur[0] += r->n_attrs;
    r->note = NULL;
    int moments_ok = 1;
    for (size_t k = 0; k < r->n_moments; k++)
        if (r->moments[k] < -MOMENT_MAX || r->moments[k] > MOMENT_MAX) moments_ok = 0;
    return store_check_response(r, b->month[i], moments_ok, err, errlen);
}

size_t cache_attr_find(const cache_block *b, size_t at, size_t n, const char *name)
{
    const cache_text *k = &b->text[CC_ATTR_KEY - CC_FIRST_TEXT];
    for (size_t a = at; a < at + n; a++) {
        const char *key = cache_text_at(k, a); /* the first byte tells most names apart */
        if (key[0] == name[0] && strcmp(key, name) == 0) return a;
    }
    return SIZE_MAX;
}

int cache_dim_col(const char *name)
{
    switch (cx_dim_field(name)) {
    case CX_F_SOURCE: return CC_SOURCE;
    case CX_F_CUSTOMER_ID: return CC_CUSTOMER_ID;
    case CX_F_AGENT_ID: return CC_AGENT_ID;
    case CX_F_CHANNEL: return CC_CHANNEL;
    case CX_F_PRODUCT: return CC_PRODUCT;
    case CX_F_INTERACTION_TYPE: return CC_INTERACTION_TYPE;
    default: return -1;
    }
}
