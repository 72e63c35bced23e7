/* import_par.c — see import_int.h import_rows_par: a responses file's
 * rows read, split and checked (csv_read, resp_from_record) on a thread
 * of their own, and handed in chunks of whole rows, in file order, to the
 * importing thread, which gives each to the store (import_row_add) or
 * keeps it as a reject (import_reject) as the loop of import.c does: the
 * same rows, lines, rejects, counts and messages.  A shuffled import is
 * bound by that loop while the file is read (docs/performance.md,
 * "Twenty-eighth round"); with the reading on the other core the
 * importing thread keeps only the store's part of each row.
 *
 * A chunk holds each row's numbers and its texts copied into an arena of
 * its own (the reader's record is gone at the next csv_read): the fields
 * of one record lie together in the reader's buffer, so they are copied
 * in one piece and the row's texts pointed into it.  CHUNKS chunks at
 * most are out at a time: memory does not grow with the file.
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include "ingest/import_int.h"
#include "core/grow.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Chunks out at a time: the importing thread waits for the SQLite
 * thread at each batch of a run's worth (32,768 rows) it hands over; with
 * 3 chunks the reading thread then waited for it, and the reading phase
 * of 10M shuffled rows took 5.3 s, with 16 (32,768 rows) 3.2-3.3 s. */
#define CHUNKS 16
#define CHUNK_ROWS 2048
/* A chunk also ends once its rows, texts, moments and attributes take
 * this many bytes (chunk_bytes): rows of long comments or many
 * attributes keep the chunks at 8 MB or so in all. */
#define CHUNK_BYTES (1u << 19)

enum { IT_ROW, IT_BAD, IT_BROKEN };
enum { TX_SOURCE = 8 };              /* texts of a response: the 8 below, then its attribute values */
#define NO_TEXT UINT32_MAX           /* a NULL text */
#define THE_SOURCE (UINT32_MAX - 1u) /* the import's source (im->source) */

typedef struct item {
    int kind;
    int fatal; /* IT_BROKEN: the reader's last record (csv_read's -1) */
    long line;
    /* IT_ROW */
    int64_t responded_at, updated_at;
    double handle_time_s;
    int score, metric, has_handle_time;
    uint32_t txt[TX_SOURCE]; /* source, id, comment, customer, agent, channel, product, type */
    uint32_t moments, attrs; /* the first of its moments in c->ints, attributes in c->attr */
    uint32_t n_moments, n_attrs;
    /* IT_BAD and IT_BROKEN: the raw text; IT_BAD why and field (static or
     * the header's); IT_BROKEN the reader's message at msg */
    uint32_t raw, raw_len, msg;
    const char *field, *why;
} item;

typedef struct attr_at {
    const char *key; /* the header's */
    uint32_t value;
} attr_at;

typedef struct chunk {
    item *it;
    size_t n, cap;
    char *arena;
    size_t used, arena_cap;
    int *ints;
    size_t n_ints, cap_ints;
    attr_at *attr;
    size_t n_attr, cap_attr;
    long long at; /* the file's bytes read after it (progress) */
    int end;      /* nothing comes after it */
    int oom;      /* the reader ran out of memory filling it */
    int ready;    /* filled, not yet taken back */
} chunk;

typedef struct par {
    importer *im;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    chunk c[CHUNKS];
    atomic_int stop; /* the importing thread gives up: the reader ends (set under mu) */
    cx_response r;
    char err[1024];
} par;

/* N bytes of P (then a NUL) into C's arena: their offset, or NO_TEXT out
 * of memory. */
static uint32_t keep(chunk *c, const char *p, size_t n)
{
    if (c->used + n + 1 > c->arena_cap) {
        char *a = grow_array(c->arena, &c->arena_cap, c->used + n + 1, 1, 1 << 16, UINT32_MAX - 2, 0);
        if (!a) return NO_TEXT;
        c->arena = a;
    }
    uint32_t at = (uint32_t)c->used;
    memcpy(c->arena + at, p, n);
    c->arena[at + n] = '\0';
    c->used += n + 1;
    return at;
}

/* A new item of C, of KIND, read at LINE, its other fields for the caller
 * to set (a row's are all set by pack_row, a reject's by pack_reject):
 * NULL out of memory. */
static item *add_item(chunk *c, int kind, long line)
{
    if (c->n == c->cap) {
        item *it = grow_array(c->it, &c->cap, c->n + 1, sizeof *it, CHUNK_ROWS, 0, 0);
        if (!it) return NULL;
        c->it = it;
    }
    item *x = &c->it[c->n++];
    x->kind = kind;
    x->fatal = 0;
    x->line = line;
    return x;
}

/* Text P of a row whose record's fields were copied whole from [LO, HI)
 * to BASE: where it lies in the arena (copied when it lay elsewhere), or
 * a mark.  *OOM set when it could not be copied. */
static uint32_t text_at(par *p, chunk *c, const char *s, uintptr_t lo, uintptr_t hi, uint32_t base, int *oom)
{
    if (!s) return NO_TEXT;
    if (s == p->im->source) return THE_SOURCE;
    uintptr_t u = (uintptr_t)s;
    if (u >= lo && u < hi) return base + (uint32_t)(u - lo);
    uint32_t at = keep(c, s, strlen(s));
    if (at == NO_TEXT) *oom = 1;
    return at;
}

/* Response R of record REC as an item of C.  0, or -1 out of memory. */
static int pack_row(par *p, chunk *c, const csv_record *rec, const cx_response *r)
{
    item *x = add_item(c, IT_ROW, rec->line);
    if (!x) return -1;
    /* the record's fields, where the reader split them: one piece */
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        uintptr_t a = (uintptr_t)rec->fields[i], b = a + rec->lens[i] + 1;
        if (a < lo) lo = a;
        if (b > hi) hi = b;
    }
    uint32_t base = 0;
    if (hi > lo && hi - lo <= rec->raw_len + rec->nfields + 64) {
        if ((base = keep(c, (const char *)lo, (size_t)(hi - lo) - 1)) == NO_TEXT) return -1;
    } else {
        lo = hi = 0; /* scattered: each text copied */
    }
    const char *t[TX_SOURCE] = {r->source,   r->response_id, r->comment, r->customer_id,
                                r->agent_id, r->channel,     r->product, r->interaction_type};
    int oom = 0;
    for (int k = 0; k < TX_SOURCE; k++) x->txt[k] = text_at(p, c, t[k], lo, hi, base, &oom);
    if (c->n_ints + r->n_moments > c->cap_ints) {
        int *v = grow_array(c->ints, &c->cap_ints, c->n_ints + r->n_moments, sizeof *v, 4096, 0, 0);
        if (!v) return -1;
        c->ints = v;
    }
    x->moments = (uint32_t)c->n_ints;
    x->n_moments = (uint32_t)r->n_moments;
    if (r->n_moments) memcpy(c->ints + c->n_ints, r->moments, r->n_moments * sizeof *r->moments);
    c->n_ints += r->n_moments;
    if (c->n_attr + r->n_attrs > c->cap_attr) {
        attr_at *v = grow_array(c->attr, &c->cap_attr, c->n_attr + r->n_attrs, sizeof *v, 4096, 0, 0);
        if (!v) return -1;
        c->attr = v;
    }
    x->attrs = (uint32_t)c->n_attr;
    x->n_attrs = (uint32_t)r->n_attrs;
    for (size_t a = 0; a < r->n_attrs; a++) {
        c->attr[c->n_attr + a].key = r->attrs[a].key;
        c->attr[c->n_attr + a].value = text_at(p, c, r->attrs[a].value, lo, hi, base, &oom);
    }
    c->n_attr += r->n_attrs;
    x->responded_at = r->responded_at;
    x->updated_at = r->updated_at;
    x->handle_time_s = r->handle_time_s;
    x->has_handle_time = r->has_handle_time;
    x->score = r->score;
    x->metric = r->metric;
    return oom ? -1 : 0;
}

/* A rejected record (KIND) as an item of C.  0, or -1 out of memory. */
static int pack_reject(par *p, chunk *c, const csv_record *rec, int kind, const char *field, const char *why)
{
    item *x = add_item(c, kind, rec->line);
    if (!x) return -1;
    x->field = field;
    x->why = why;
    x->raw_len = (uint32_t)rec->raw_len;
    if ((x->raw = keep(c, rec->raw ? rec->raw : "", rec->raw_len)) == NO_TEXT) return -1;
    if (kind == IT_BROKEN && (x->msg = keep(c, p->err, strlen(p->err))) == NO_TEXT) return -1;
    return 0;
}

/* What C's rows take. */
static size_t chunk_bytes(const chunk *c)
{
    return c->used + c->n * sizeof *c->it + c->n_ints * sizeof *c->ints + c->n_attr * sizeof *c->attr;
}

/* Reads the next rows into C, until it is full or the file ends. */
static void fill(par *p, chunk *c)
{
    importer *im = p->im;
    csv_record rec;
    int oom = 0;
    c->n = c->used = c->n_ints = c->n_attr = 0;
    c->end = c->oom = 0;
    while (!oom && c->n < CHUNK_ROWS && chunk_bytes(c) < CHUNK_BYTES) {
        if (atomic_load_explicit(&p->stop, memory_order_relaxed)) break; /* the chunk will not be taken */
        int rc = csv_read(im->rd, &rec, p->err, sizeof p->err);
        if (rc == 0) {
            c->end = 1;
            break;
        }
        if (rc < 0) { /* a broken record: kept, then on if the reader can */
            oom = pack_reject(p, c, &rec, IT_BROKEN, "", "") != 0;
            if (!oom) c->it[c->n - 1].fatal = rc == -1;
            if (rc == -1) break;
            continue;
        }
        if (rec.nfields == 1 && rec.lens[0] == 0) continue; /* blank line */
        const char *field = "", *why = "";
        oom =
            (import_row_read(im, &rec, &p->r, &field, &why) != 0 ? pack_reject(p, c, &rec, IT_BAD, field, why)
                                                                 : pack_row(p, c, &rec, &p->r)) != 0;
    }
    if (oom) { /* the chunk is dropped: the import fails */
        c->n = 0;
        c->oom = 1;
    }
    if (oom || (c->n && c->it[c->n - 1].fatal)) c->end = 1;
    c->at = im->o->progress && im->size > 0 ? csv_reader_tell(im->rd, NULL) : 0;
}

static void *reader(void *arg)
{
    par *p = arg;
    for (size_t k = 0;; k++) {
        chunk *c = &p->c[k % CHUNKS];
        pthread_mutex_lock(&p->mu);
        while (c->ready && !p->stop) pthread_cond_wait(&p->cv, &p->mu);
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop) return NULL;
        fill(p, c);
        pthread_mutex_lock(&p->mu);
        c->ready = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (c->end) return NULL;
    }
}

static const char *text(const chunk *c, const par *p, uint32_t at)
{
    return at == NO_TEXT ? NULL : at == THE_SOURCE ? p->im->source : c->arena + at;
}

/* C's items to the store.  0, or -1 with ERR (empty: the store's). */
static int take(par *p, chunk *c, cx_response *r, char *err, size_t errlen)
{
    importer *im = p->im;
    for (size_t i = 0; i < c->n; i++) {
        const item *x = &c->it[i];
        im->st.rows++;
        if (x->kind == IT_ROW) {
            r->source = text(c, p, x->txt[0]);
            r->response_id = text(c, p, x->txt[1]);
            r->comment = text(c, p, x->txt[2]);
            r->customer_id = text(c, p, x->txt[3]);
            r->agent_id = text(c, p, x->txt[4]);
            r->channel = text(c, p, x->txt[5]);
            r->product = text(c, p, x->txt[6]);
            r->interaction_type = text(c, p, x->txt[7]);
            r->responded_at = x->responded_at;
            r->updated_at = x->updated_at;
            r->score = x->score;
            r->metric = x->metric;
            r->handle_time_s = x->handle_time_s;
            r->has_handle_time = x->has_handle_time;
            r->n_moments = x->n_moments;
            if (x->n_moments) memcpy(r->moments, c->ints + x->moments, x->n_moments * sizeof *r->moments);
            r->n_attrs = x->n_attrs;
            for (uint32_t a = 0; a < x->n_attrs; a++) {
                r->attrs[a].key = c->attr[x->attrs + a].key;
                r->attrs[a].value = text(c, p, c->attr[x->attrs + a].value);
            }
            int rc = import_row_add(im, r, x->line);
            if (rc == -3) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            if (rc != 0) goto store_fail;
        } else {
            const char *why = x->why;
            if (x->kind == IT_BROKEN) { /* the message as the loop leaves it in ERR */
                snprintf(err, errlen, "%s", c->arena + x->msg);
                why = csv_error_reason(im->rd, err);
            }
            if (import_reject(im, x->line, c->arena + x->raw, x->raw_len, x->kind == IT_BAD ? x->field : "",
                              why) != 0)
                goto store_fail;
        }
        if (im->o->progress && (im->st.rows & 4095) == 0) import_progress(im, c->at);
    }
    return 0;
store_fail:
    snprintf(err, errlen, "%s", store_error(im->s));
    return -1;
}

/* The CPUs this process may run on. */
static int cpus(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
}

int import_rows_par(importer *im, char *err, size_t errlen)
{
    if (cpus() < 2) return 1;
    par *p = calloc(1, sizeof *p);
    if (!p) return 1;
    p->im = im;
    pthread_t th;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return 1;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0 || pthread_create(&th, NULL, reader, p) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return 1;
    }
    cx_response *r = malloc(sizeof *r);
    int ret = r ? 0 : -1;
    if (!r) snprintf(err, errlen, "out of memory");
    else cx_response_clear(r);
    for (size_t k = 0; ret == 0; k++) {
        chunk *c = &p->c[k % CHUNKS];
        pthread_mutex_lock(&p->mu);
        while (!c->ready) pthread_cond_wait(&p->cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
        if (c->oom) {
            snprintf(err, errlen, "out of memory");
            ret = -1;
        } else {
            ret = take(p, c, r, err, errlen);
        }
        int end = c->end;
        pthread_mutex_lock(&p->mu);
        c->ready = 0;
        if (ret != 0) p->stop = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (end) break;
    }
    pthread_mutex_lock(&p->mu); /* (no row taken at all: the reader may wait for a free chunk) */
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(th, NULL);
    free(r);
    for (int k = 0; k < CHUNKS; k++) {
        free(p->c[k].it);
        free(p->c[k].arena);
        free(p->c[k].ints);
        free(p->c[k].attr);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    return ret;
}
