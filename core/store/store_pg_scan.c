/* store_pg_scan.c — the PostgreSQL backend's scan of every response (a
 * run's, and the analysis cache's build: store_scan_responses with no
 * filter), as one binary COPY of the ordered query: the server sends each
 * row as one message with no per-row result for libpq to build, and the
 * numbers come as bytes, not text to convert.  Each row goes through the
 * checks of a row read with a query (store_check.h).  A filtered scan
 * stays a query (store_pg_read.c): COPY takes no parameters.
 */
#include "core/store/store_attrs.h"
#include "core/store/store_check.h"
#include "core/store/store_pg_int.h"
#include "core/grow.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CX_HAVE_LIBPQ

/* The columns of store_pg_read.c's scan, each number cast to 8 bytes. */
static const char copy_sql[] =
    "COPY (SELECT source, response_id, responded_at::int8, updated_at::int8, score::int8, comment,"
    " customer_id, agent_id, channel, product, interaction_type, handle_time_s::float8, moments,"
    " attributes::text, metric, month::int8 FROM responses ORDER BY source, response_id)"
    " TO STDOUT (FORMAT binary)";

enum { NCOL = 16 };
static const char signature[11] = "PGCOPY\n\377\r\n";

typedef struct copy_scan {
    char *in; /* bytes received, not yet parsed */
    size_t n, at, cap;
    int head;  /* the file head was read */
    char *row; /* the row's text values, each ended by a NUL */
    size_t row_cap;
    attrs_buf attrs;
} copy_scan;

static uint32_t be32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
}

static uint64_t be64(const char *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

/* Says WHY in s->err: -1. */
static int bad(pg_store *s, const char *why)
{
    snprintf(s->base.err, sizeof s->base.err, "store: scan: %s", why);
    return -1;
}

/* Appends a message of LEN bytes to the bytes not yet parsed.  0 / -1. */
static int take(copy_scan *c, const char *p, int len)
{
    if (c->at) {
        memmove(c->in, c->in + c->at, c->n - c->at);
        c->n -= c->at;
        c->at = 0;
    }
    if (c->n + (size_t)len > c->cap) {
        char *q = grow_array(c->in, &c->cap, c->n + (size_t)len, 1, 1u << 16, 0, 0);
        if (!q) return -1;
        c->in = q;
    }
    memcpy(c->in + c->n, p, (size_t)len);
    c->n += (size_t)len;
    return 0;
}

/* The row at the parse position, when whole: its fields' offsets (OFF,
 * -1 for NULL) and lengths into the input; 1 a row, 0 not yet whole, 2
 * the end, -1 malformed. */
static int next_row(copy_scan *c, long off[NCOL], uint32_t len[NCOL], size_t *end)
{
    const char *p = c->in + c->at;
    size_t left = c->n - c->at, k = 0;
    if (!c->head) {
        if (left < 19) return 0;
        if (memcmp(p, signature, sizeof signature) != 0) return -1;
        uint32_t ext = be32(p + 15);
        if (ext > (1u << 20)) return -1;
        if (left < 19 + (size_t)ext) return 0;
        c->head = 1;
        c->at += 19 + ext;
        return next_row(c, off, len, end);
    }
    if (left < 2) return 0;
    uint16_t nf = (uint16_t)((unsigned char)p[0] << 8 | (unsigned char)p[1]);
    if (nf == 0xffff) return 2;
    if (nf != NCOL) return -1;
    k = 2;
    for (int i = 0; i < NCOL; i++) {
        if (left < k + 4) return 0;
        uint32_t l = be32(p + k);
        k += 4;
        if (l == 0xffffffffu) {
            off[i] = -1;
            len[i] = 0;
            continue;
        }
        if (l > (1u << 30)) return -1;
        if (left < k + l) return 0;
        off[i] = (long)(c->at + k);
        len[i] = l;
        k += l;
    }
    *end = c->at + k;
    return 1;
}

/* The text field I of the row as a NUL-ended string in the row buffer at
 * *AT. */
static const char *text_at(copy_scan *c, const long off[NCOL], const uint32_t len[NCOL], int i, size_t *at)
{
    char *v = c->row + *at;
    if (off[i] >= 0) memcpy(v, c->in + off[i], len[i]);
    v[len[i]] = '\0';
    *at += len[i] + 1;
    return v;
}

/* One row to CB: 0, CB's nonzero value, -1 (s->err). */
static int row_out(pg_store *s, copy_scan *c, const long off[NCOL], const uint32_t len[NCOL],
                   store_response_cb cb, void *ctx)
{
    static const int texts[] = {0, 1, 5, 6, 7, 8, 9, 10, 12, 13, 14};
    static const int ints[] = {2, 3, 4, 15};
    size_t need = 0;
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) need += len[texts[k]] + 1;
    if (need > c->row_cap) {
        char *q = realloc(c->row, need + 256);
        if (!q) return pg_oom(s);
        c->row = q;
        c->row_cap = need + 256;
    }
    for (size_t k = 0; k < sizeof ints / sizeof *ints; k++)
        if (off[ints[k]] < 0 || len[ints[k]] != 8) return bad(s, "a number of responses is not 8 bytes");
    if (off[11] >= 0 && len[11] != 8) return bad(s, "handle_time_s is not 8 bytes");
    size_t at = 0;
    cx_response r;
    cx_response_clear(&r);
    r.source = text_at(c, off, len, 0, &at);
    r.response_id = text_at(c, off, len, 1, &at);
    r.responded_at = (int64_t)be64(c->in + off[2]);
    r.updated_at = (int64_t)be64(c->in + off[3]);
    r.score = store_clamp_int((long long)(int64_t)be64(c->in + off[4]));
    r.comment = text_at(c, off, len, 5, &at);
    r.customer_id = text_at(c, off, len, 6, &at);
    r.agent_id = text_at(c, off, len, 7, &at);
    r.channel = text_at(c, off, len, 8, &at);
    r.product = text_at(c, off, len, 9, &at);
    r.interaction_type = text_at(c, off, len, 10, &at);
    if (off[11] >= 0) {
        uint64_t bits = be64(c->in + off[11]);
        r.has_handle_time = 1;
        memcpy(&r.handle_time_s, &bits, sizeof r.handle_time_s);
    }
    const char *moments = text_at(c, off, len, 12, &at), *attrs = text_at(c, off, len, 13, &at);
    int moments_ok = store_parse_moments(moments, &r);
    r.metric = cx_metric_from_code(text_at(c, off, len, 14, &at)); /* -1: store_check_response says so */
    int month = store_clamp_int((long long)(int64_t)be64(c->in + off[15]));
    if (store_check_response(&r, month, moments_ok, s->base.err, sizeof s->base.err) != 0) return -1;
    attrs_doc *doc = attrs_scan(attrs, &c->attrs, r.attrs, &r.n_attrs, CX_MAX_ATTRS);
    int ret = cb(&r, ctx);
    attrs_doc_free(doc);
    return ret;
}

/* The rest of a COPY no longer wanted: cancelled outside a transaction
 * (inside one a cancel would abort it), then read to its end. */
static void copy_drop(pg_store *s)
{
    if (!s->in_tx) {
        PGcancel *k = PQgetCancel(s->conn);
        char buf[256];
        if (k) PQcancel(k, buf, sizeof buf);
        PQfreeCancel(k);
    }
    char *msg;
    int n;
    while ((n = PQgetCopyData(s->conn, &msg, 0)) > 0) PQfreemem(msg);
    PGresult *r;
    while ((r = PQgetResult(s->conn)) != NULL) PQclear(r);
}

int pg_scan_all(pg_store *s, store_response_cb cb, void *ctx)
{
    if (pg_flush(s) != 0) return -1;
    PGresult *r = PQexec(s->conn, copy_sql);
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        pg_fail(s, "scan", r);
        PQclear(r);
        while ((r = PQgetResult(s->conn)) != NULL) PQclear(r);
        return -1;
    }
    PQclear(r);
    copy_scan c;
    memset(&c, 0, sizeof c);
    int ret = 0, ended = 0, n;
    char *msg;
    while (!ret && (n = PQgetCopyData(s->conn, &msg, 0)) > 0) {
        int rc = take(&c, msg, n);
        PQfreemem(msg);
        if (rc != 0) ret = pg_oom(s);
        long off[NCOL];
        uint32_t len[NCOL];
        size_t end;
        while (!ret && !ended && (rc = next_row(&c, off, len, &end)) != 0) {
            if (rc == 2) ended = 1;
            else if (rc < 0) ret = bad(s, "the server's rows do not read as a binary COPY");
            else if ((ret = row_out(s, &c, off, len, cb, ctx)) == 0) c.at = end;
        }
    }
    if (ret) {
        copy_drop(s);
    } else {
        int failed = 0;
        while ((r = PQgetResult(s->conn)) != NULL) {
            if (PQresultStatus(r) != PGRES_COMMAND_OK && !failed) failed = pg_fail(s, "scan", r);
            PQclear(r);
        }
        if (!failed && !ended) failed = bad(s, "the rows end early");
        ret = failed;
    }
    free(c.in);
    free(c.row);
    attrs_buf_free(&c.attrs);
    return ret;
}

#endif /* CX_HAVE_LIBPQ */
