/* import_par.c — see import_int.h import_rows_par: a responses file's
 * records read and split (csv_read) on a thread of their own, and handed
 * in chunks, in file order, to the importing thread, which takes each as
 * the loop of import.c does (import_record: the row given to the store or
 * kept as a reject): the same rows, lines, rejects, counts and messages.
 * A shuffled import is bound by the reading while the file is read
 * (docs/performance.md, "Twenty-eighth round" and after): the reading
 * thread splits each record and checks it (resp_check_record; not a
 * Delighted export's, whose rows import.c rewrites first), the importing
 * one fills the row from the verdict and hands it to the store.
 *
 * A chunk holds each record's fields copied into an arena of its own (the
 * reader's record is gone at the next csv_read): the fields of one record
 * lie together in the reader's buffer, each with its NUL, so they are
 * copied in one piece and keep that layout.  A record's raw text is kept
 * only when it may become a reject (broken, refused, or not checked).
 * CHUNKS chunks at most are out at a time: memory does not grow with the
 * file.
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
/* A chunk also ends once its records (fields, raw texts, their places)
 * take this many bytes (chunk_bytes): rows of long comments or many
 * columns keep the chunks at 8 MB or so in all. */
#define CHUNK_BYTES (1u << 19)
#define NO_ROOM UINT32_MAX /* keep: out of memory */

typedef struct item {
    long line;
    int broken;     /* csv_read could not read it: its message at msg */
    int fatal;      /* broken, and the reader's last record (csv_read's -1) */
    uint32_t field; /* its first field's place in c->f */
    uint32_t nfields;
    uint32_t raw, raw_len, msg; /* raw: kept only for a record that may be refused (keep_raw) */
    uint32_t moment;            /* checked (par.check, not broken): its moments' place in c->mom */
} item;

typedef struct chunk {
    item *it;
    size_t n, cap;
    char *arena;
    size_t used, arena_cap;
    struct field_at {
        uint32_t at, len; /* a field's offset in the arena, and its length */
    } * f;
    size_t n_f, cap_f;
    resp_checked *chk; /* each item's verdict, when checked (par.check; cap: the items') */
    size_t cap_chk;
    int *mom; /* the checked records' moments */
    size_t n_mom, cap_mom;
    long long pos; /* the file's bytes read after it (progress) */
    int end;       /* nothing comes after it */
    int oom;       /* the reader ran out of memory filling it */
    int ready;     /* filled, not yet taken back */
} chunk;

typedef struct par {
    importer *im;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    chunk c[CHUNKS];
    atomic_int stop;  /* the importing thread gives up: the reader ends (set under mu) */
    int check;        /* the reader checks each record (resp_check_record) */
    resp_cache cache; /* the reader's, for that */
    char err[1024];
    /* the importing thread's view of a record (csv_record) */
    char **fields;
    size_t *lens;
    size_t cap_fields;
} par;

/* N bytes of P (then a NUL) into C's arena: their offset, or NO_ROOM out
 * of memory. */
static uint32_t keep(chunk *c, const char *p, size_t n)
{
    if (c->used + n + 1 > c->arena_cap) {
        char *a = grow_array(c->arena, &c->arena_cap, c->used + n + 1, 1, 1 << 16, UINT32_MAX - 2, 0);
        if (!a) return NO_ROOM;
        c->arena = a;
    }
    uint32_t at = (uint32_t)c->used;
    if (n) memcpy(c->arena + at, p, n);
    c->arena[at + n] = '\0';
    c->used += n + 1;
    return at;
}

/* REC's raw text kept for item X of C (the reject it becomes): 0, or -1
 * out of memory. */
static int keep_raw(chunk *c, item *x, const csv_record *rec)
{
    if ((x->raw = keep(c, rec->raw ? rec->raw : "", rec->raw_len)) == NO_ROOM) return -1;
    x->raw_len = (uint32_t)rec->raw_len;
    return 0;
}

/* A new item of C read at LINE, with no raw text (keep_raw): NULL out of
 * memory. */
static item *add_item(chunk *c, const csv_record *rec)
{
    if (c->n == c->cap) {
        item *it = grow_array(c->it, &c->cap, c->n + 1, sizeof *it, CHUNK_ROWS, 0, 0);
        if (!it) return NULL;
        c->it = it;
    }
    item *x = &c->it[c->n++];
    *x = (item){.line = rec->line};
    return x;
}

/* Record REC's fields as an item of C.  0, or -1 out of memory. */
static int pack_record(chunk *c, const csv_record *rec)
{
    item *x = add_item(c, rec);
    if (!x) return -1;
    size_t nf = rec->nfields;
    if (c->n_f + nf > c->cap_f) {
        struct field_at *f = grow_array(c->f, &c->cap_f, c->n_f + nf, sizeof *f, 16384, 0, 0);
        if (!f) return -1;
        c->f = f;
    }
    x->field = (uint32_t)c->n_f;
    x->nfields = (uint32_t)nf;
    /* the fields, where the reader split them: one piece */
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (size_t i = 0; i < nf; i++) {
        uintptr_t a = (uintptr_t)rec->fields[i], b = a + rec->lens[i] + 1;
        if (a < lo) lo = a;
        if (b > hi) hi = b;
    }
    if (hi > lo && hi - lo <= rec->raw_len + nf + 64) {
        uint32_t base = keep(c, (const char *)lo, (size_t)(hi - lo) - 1);
        if (base == NO_ROOM) return -1;
        for (size_t i = 0; i < nf; i++)
            c->f[c->n_f + i].at = base + (uint32_t)((uintptr_t)rec->fields[i] - lo);
    } else { /* scattered: each field copied */
        for (size_t i = 0; i < nf; i++)
            if ((c->f[c->n_f + i].at = keep(c, rec->fields[i], rec->lens[i])) == NO_ROOM) return -1;
    }
    for (size_t i = 0; i < nf; i++) c->f[c->n_f + i].len = (uint32_t)rec->lens[i];
    c->n_f += nf;
    return 0;
}

/* A record csv_read could not read (FATAL: its last) as an item of C, the
 * reader's message with it.  0, or -1 out of memory. */
static int pack_broken(par *p, chunk *c, const csv_record *rec, int fatal)
{
    item *x = add_item(c, rec);
    if (!x || keep_raw(c, x, rec) != 0) return -1;
    x->broken = 1;
    x->fatal = fatal;
    return (x->msg = keep(c, p->err, strlen(p->err))) == NO_ROOM ? -1 : 0;
}

/* The record just packed into C, REC, checked here (resp_check_record),
 * on the reader's side, its bytes still in this core's cache: the
 * importing thread, a shuffled import's bound while the file is read,
 * then only fills the row from the verdict (docs/performance.md,
 * "Thirty-first round").  0, or -1 out of memory. */
static int check_record(par *p, chunk *c, const csv_record *rec)
{
    if (c->cap_chk < c->cap) {
        size_t cap = c->cap_chk;
        resp_checked *k = grow_array(c->chk, &cap, c->cap, sizeof *k, CHUNK_ROWS, 0, 0);
        if (!k) return -1;
        c->chk = k;
        c->cap_chk = cap;
    }
    if (c->n_mom + CX_MAX_MOMENTS > c->cap_mom) {
        int *m = grow_array(c->mom, &c->cap_mom, c->n_mom + CX_MAX_MOMENTS, sizeof *m, 8 * CHUNK_ROWS, 0, 0);
        if (!m) return -1;
        c->mom = m;
    }
    item *x = &c->it[c->n - 1];
    resp_checked *k = &c->chk[c->n - 1];
    const importer *im = p->im;
    resp_check_record(&im->rh, rec, &p->cache, im->cfg->moment_lo, im->cfg->moment_hi, c->mom + c->n_mom, k);
    x->moment = (uint32_t)c->n_mom;
    if (k->rc == 0) c->n_mom += k->v.n_moments;
    return 0;
}

/* What C's records take. */
static size_t chunk_bytes(const chunk *c) { return c->used + c->n * sizeof *c->it + c->n_f * sizeof *c->f; }

/* Reads the next records into C, until it is full or the file ends. */
static void fill(par *p, chunk *c)
{
    importer *im = p->im;
    csv_record rec;
    int oom = 0;
    c->n = c->used = c->n_f = c->n_mom = 0;
    c->end = c->oom = 0;
    while (!oom && c->n < CHUNK_ROWS && chunk_bytes(c) < CHUNK_BYTES) {
        if (atomic_load_explicit(&p->stop, memory_order_relaxed)) break; /* the chunk will not be taken */
        int rc = csv_read(im->rd, &rec, p->err, sizeof p->err);
        if (rc == 0) {
            c->end = 1;
            break;
        }
        if (rc < 0) { /* a broken record: kept, then on if the reader can */
            oom = pack_broken(p, c, &rec, rc == -1) != 0;
            if (rc == -1) break;
            continue;
        }
        if (rec.nfields == 1 && rec.lens[0] == 0) continue; /* blank line */
        oom = pack_record(c, &rec) != 0 || (p->check && check_record(p, c, &rec) != 0);
        /* the raw text only of a row that may be refused: one the reader
         * did not check, or refused */
        if (!oom && (!p->check || c->chk[c->n - 1].rc != 0)) oom = keep_raw(c, &c->it[c->n - 1], &rec) != 0;
    }
    if (oom) { /* the chunk is dropped: the import fails */
        c->n = 0;
        c->oom = 1;
    }
    if (oom || (c->n && c->it[c->n - 1].fatal)) c->end = 1;
    c->pos = im->o->progress && im->size > 0 ? csv_reader_tell(im->rd, NULL) : 0;
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

/* Room for N fields in P's view of a record: 0, or -1. */
static int view_room(par *p, size_t n)
{
    if (n <= p->cap_fields) return 0;
    size_t cap = p->cap_fields;
    char **f = grow_array(p->fields, &cap, n, sizeof *f, 64, 0, 0);
    if (!f) return -1;
    p->fields = f;
    cap = p->cap_fields;
    size_t *l = grow_array(p->lens, &cap, n, sizeof *l, 64, 0, 0);
    if (!l) return -1;
    p->lens = l;
    p->cap_fields = cap;
    return 0;
}

/* C's records taken in order (import_record).  0, or -1 with ERR. */
static int take(par *p, chunk *c, char *err, size_t errlen)
{
    importer *im = p->im;
    for (size_t i = 0; i < c->n; i++) {
        const item *x = &c->it[i];
        if (view_room(p, x->nfields) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (uint32_t f = 0; f < x->nfields; f++) {
            p->fields[f] = c->arena + c->f[x->field + f].at;
            p->lens[f] = c->f[x->field + f].len;
        }
        csv_record rec = {.nfields = x->nfields,
                          .fields = p->fields,
                          .lens = p->lens,
                          .line = x->line,
                          .raw = c->arena + x->raw,
                          .raw_len = x->raw_len};
        if (x->broken) snprintf(err, errlen, "%s", c->arena + x->msg); /* as the loop leaves it in ERR */
        int checked = p->check && !x->broken;                          /* (fill) */
        if (import_record(im, &rec, x->broken, checked ? &c->chk[i] : NULL,
                          checked ? c->mom + x->moment : NULL, err, errlen) != 0)
            return -1;
        if (!x->broken && im->o->progress && (im->st.rows & 4095) == 0) import_progress(im, c->pos);
    }
    return 0;
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
    p->check = im->o->format != IMPORT_FORMAT_DELIGHTED; /* (its rows are rewritten first: delighted_row) */
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
    int ret = 0;
    for (size_t k = 0; ret == 0; k++) {
        chunk *c = &p->c[k % CHUNKS];
        pthread_mutex_lock(&p->mu);
        while (!c->ready) pthread_cond_wait(&p->cv, &p->mu);
        pthread_mutex_unlock(&p->mu);
        if (c->oom) {
            snprintf(err, errlen, "out of memory");
            ret = -1;
        } else {
            ret = take(p, c, err, errlen);
        }
        int end = c->end;
        pthread_mutex_lock(&p->mu);
        c->ready = 0;
        if (ret != 0) p->stop = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (end) break;
    }
    pthread_mutex_lock(&p->mu); /* (no record taken at all: the reader may wait for a free chunk) */
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(th, NULL);
    for (int k = 0; k < CHUNKS; k++) {
        free(p->c[k].it);
        free(p->c[k].arena);
        free(p->c[k].f);
        free(p->c[k].chk);
        free(p->c[k].mom);
    }
    free(p->fields);
    free(p->lens);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    return ret;
}
