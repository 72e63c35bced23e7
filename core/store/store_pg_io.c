/* store_pg_io.c — how the PostgreSQL backend talks to the server: prepared
 * statements, rows streamed in single-row mode, and the deferred COPY
 * buffers (see store_pg_int.h).  Every PGresult is checked and cleared here
 * or handed to a caller that clears it.
 */
#include "core/store/store_pg_int.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CX_HAVE_LIBPQ

/* A buffer is sent when it grows past this.  Small on purpose: a blocking
 * send of a chunk waits until the server has read all but a socket buffer's
 * worth (~200 kB) of it, so with 1 MB chunks the client's parsing and the
 * server's COPY took turns (4.7 s per million rows); with 64 kB chunks they
 * overlap (2.6 s, as fast as psql's own \copy of the same rows). */
#define FLUSH_BYTES (1u << 16)

static const char *const copy_sql[B_COUNT] = {
    [B_STAGE] = "COPY cx_stage (seq, source, response_id, responded_at, updated_at, month, score, comment,"
                " customer_id, agent_id, channel, product, interaction_type, handle_time_s, moments,"
                " attributes, metric) FROM STDIN",
    [B_CUSTOMERS] = "COPY cx_cstage (seq, customer_id, annual_value, attributes) FROM STDIN",
    [B_SPEND] = "COPY spend (source, customer_id, day, amount) FROM STDIN",
    [B_REJECTS] = "COPY rejects (source, at, location, reason, raw) FROM STDIN",
};
static const char *const copy_what[B_COUNT] = {"bulk upsert", "customers", "spend", "rejects"};

static const char cstage_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS cx_cstage (seq bigint NOT NULL,"
    " customer_id text COLLATE \"C\" NOT NULL, annual_value double precision, attributes text NOT NULL)";

int pg_exec_now(pg_store *s, const char *sql, const char *what)
{
    PGresult *r = PQexec(s->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : pg_fail(s, what, r);
    PQclear(r);
    return rc;
}

/* Reads results until libpq has none left; the first failure sets the
 * error (unless one is already set by the caller: KEEP). */
static int drain(pg_store *s, const char *what, int keep)
{
    int rc = 0;
    PGresult *r;
    while ((r = PQgetResult(s->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_SINGLE_TUPLE && rc == 0) {
            if (!keep) pg_fail(s, what, r);
            rc = -1;
        }
        PQclear(r);
    }
    return rc;
}

/* Ends the COPY in progress; its errors (a bad row …) show here. */
static int copy_end(pg_store *s)
{
    int b = s->copy_open;
    if (b < 0) return 0;
    s->copy_open = -1;
    const char *what = copy_what[b];
    int ok = PQputCopyEnd(s->conn, NULL) == 1;
    if (!ok) pg_fail(s, what, NULL);
    if (drain(s, what, !ok) != 0 || !ok) return -1;
    return b == B_CUSTOMERS ? pg_merge_customers(s) : 0;
}

static int copy_start(pg_store *s, int b)
{
    const char *what = copy_what[b];
    if (b == B_CUSTOMERS && pg_exec_now(s, cstage_sql, what) != 0) return -1;
    PGresult *r = PQexec(s->conn, copy_sql[b]);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        pg_fail(s, what, r);
        PQclear(r);
        drain(s, what, 1);
        return -1;
    }
    PQclear(r);
    s->copy_open = b;
    return 0;
}

int pg_copy_out(pg_store *s, int b, int keep_open)
{
    pg_buf *x = &s->buf[b];
    if (s->copy_open != b && (x->n == 0 || copy_end(s) != 0 || copy_start(s, b) != 0))
        return x->n == 0 ? 0 : -1;
    if (x->n > 0 && PQputCopyData(s->conn, x->p, (int)x->n) != 1) {
        pg_fail(s, copy_what[b], NULL);
        x->n = 0;
        PQputCopyEnd(s->conn, "cxpulse: could not send the rows");
        s->copy_open = -1;
        drain(s, copy_what[b], 1);
        return -1;
    }
    x->n = 0;
    return keep_open ? 0 : copy_end(s);
}

int pg_flush(pg_store *s)
{
    pg_ahead_drop(s); /* a scan asked ahead and not read: nothing else can run before it ends */
    int first = s->copy_open;
    if (first >= 0 && pg_copy_out(s, first, 0) != 0) {
        pg_drop_buffers(s);
        return -1;
    }
    for (int b = 0; b < B_COUNT; b++)
        if (pg_copy_out(s, b, 0) != 0) {
            pg_drop_buffers(s);
            return -1;
        }
    return 0;
}

void pg_drop_buffers(pg_store *s)
{
    if (s->copy_open >= 0) { /* abort it: the server discards every row it got */
        s->copy_open = -1;
        if (PQputCopyEnd(s->conn, "cxpulse: rolled back") == 1) {
            PGresult *r;
            while ((r = PQgetResult(s->conn)) != NULL) PQclear(r);
        }
    }
    for (int b = 0; b < B_COUNT; b++) s->buf[b].n = 0;
    pg_bulk_forget(s);
    s->cust_seq = 0;
}

int pg_exec(pg_store *s, const char *sql, const char *what)
{
    if (pg_flush(s) != 0) return -1;
    return pg_exec_now(s, sql, what);
}

PGresult *pg_prep(pg_store *s, int q, int n, const char *const *vals, const int *lens, const int *fmts,
                  const char *what)
{
    char name[16];
    if (pg_flush(s) != 0) return NULL;
    snprintf(name, sizeof name, "cx%d", q);
    PGresult *r = PQexecPrepared(s->conn, name, n, vals, lens, fmts, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
    pg_fail(s, what, r);
    PQclear(r);
    return NULL;
}

int pg_prep_done(pg_store *s, int q, int n, const char *const *vals, const char *what)
{
    PGresult *r = pg_prep(s, q, n, vals, NULL, NULL, what);
    PQclear(r);
    return r ? 0 : -1;
}

/* Stops a query whose rows are no longer wanted.  Outside a transaction it
 * is cancelled; inside one a cancel would abort the transaction, so the
 * rest is read and dropped. */
static void stop_early(pg_store *s)
{
    if (s->in_tx) return;
    PGcancel *c = PQgetCancel(s->conn);
    if (!c) return;
    char buf[256];
    PQcancel(c, buf, sizeof buf);
    PQfreeCancel(c);
}

int pg_stream_send(pg_store *s, const char *sql, int n, const char *const *vals, int binary, const char *what)
{
    if (pg_flush(s) != 0) return -1;
    if (!PQsendQueryParams(s->conn, sql, n, NULL, vals, NULL, NULL, binary ? 1 : 0))
        return pg_fail(s, what, NULL);
    if (!PQsetSingleRowMode(s->conn)) {
        pg_fail(s, what, NULL);
        drain(s, what, 1);
        return -1;
    }
    return 0;
}

int pg_stream_rows(pg_store *s, pg_row_fn fn, void *ctx, const char *what)
{
    int ret = 0, failed = 0;
    PGresult *r;
    while ((r = PQgetResult(s->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (ret == 0 && !failed) {
                ret = fn(r, ctx);
                if (ret) stop_early(s);
            }
        } else if (st != PGRES_TUPLES_OK && !failed && ret == 0) {
            pg_fail(s, what, r);
            failed = 1;
        }
        PQclear(r);
    }
    if (ret) return ret;
    return failed ? -1 : 0;
}

int pg_stream(pg_store *s, const char *sql, int n, const char *const *vals, int binary, pg_row_fn fn,
              void *ctx, const char *what)
{
    return pg_stream_send(s, sql, n, vals, binary, what) != 0 ? -1 : pg_stream_rows(s, fn, ctx, what);
}

void pg_ahead_drop(pg_store *s)
{
    if (!s->ahead) return;
    s->ahead = 0;
    stop_early(s);
    drain(s, "scan", 1);
}

/* ---- deferred buffers ---- */

static int reserve(pg_buf *b, size_t more)
{
    if (b->n + more + 1 <= b->cap) return 0;
    char *p = grow_array(b->p, &b->cap, b->n + more + 1, 1, 1u << 16, 0, 0);
    if (!p) return -1;
    b->p = p;
    return 0;
}

int buf_text(pg_buf *b, const char *v, char sep)
{
    size_t n = strlen(v);
    if (reserve(b, 2 * n + 1) != 0) return -1;
    char *o = b->p + b->n;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        switch (c) {
        case '\\':
            *o++ = '\\';
            *o++ = '\\';
            break;
        case '\n':
            *o++ = '\\';
            *o++ = 'n';
            break;
        case '\r':
            *o++ = '\\';
            *o++ = 'r';
            break;
        case '\t':
            *o++ = '\\';
            *o++ = 't';
            break;
        default: *o++ = c;
        }
    }
    *o++ = sep;
    b->n = (size_t)(o - b->p);
    return 0;
}

int buf_null(pg_buf *b, char sep)
{
    if (reserve(b, 3) != 0) return -1;
    b->p[b->n++] = '\\';
    b->p[b->n++] = 'N';
    b->p[b->n++] = sep;
    return 0;
}

int buf_ll(pg_buf *b, long long v, char sep)
{
    if (reserve(b, 24) != 0) return -1;
    b->n += (size_t)snprintf(b->p + b->n, 24, "%lld%c", v, sep);
    return 0;
}

int buf_double(pg_buf *b, double v, char sep)
{
    if (reserve(b, 32) != 0) return -1;
    b->n += (size_t)snprintf(b->p + b->n, 32, "%.17g%c", v, sep);
    return 0;
}

/* bytea in hex ("\x4142"), its backslash doubled for COPY's text format. */
int buf_bytea(pg_buf *b, const char *v, size_t n, char sep)
{
    static const char hex[] = "0123456789abcdef";
    if (reserve(b, 2 * n + 4) != 0) return -1;
    char *o = b->p + b->n;
    *o++ = '\\';
    *o++ = '\\';
    *o++ = 'x';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        *o++ = hex[c >> 4];
        *o++ = hex[c & 15];
    }
    *o++ = sep;
    b->n = (size_t)(o - b->p);
    return 0;
}

int buf_row_done(pg_store *s, int b)
{
    if (s->buf[b].n < FLUSH_BYTES) return 0;
    if (pg_copy_out(s, b, 1) == 0) return 0;
    pg_drop_buffers(s);
    return -1;
}

long long col_ll(const PGresult *r, int row, int i) { return strtoll(PQgetvalue(r, row, i), NULL, 10); }

double col_double(const PGresult *r, int row, int i) { return strtod(PQgetvalue(r, row, i), NULL); }

#endif /* CX_HAVE_LIBPQ */
