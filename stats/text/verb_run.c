/* verb_run.c — the verbatim themes and charged-word flags as a row of the
 * table of analyses (stats/analysis.h), and the spool of flags rows
 * (verbatims.h): compact records in memory up to SPOOL_MEM bytes, then in
 * a temporary file (tmpfile(3), gone when closed), so memory stays
 * bounded whatever the number of comments.  The accumulator keeps owning
 * what it publishes: the themes and the spool live until the run's result
 * is freed. */
#include "stats/analysis.h"
#include "stats/text/verbatims.h"
#include "stats/text/verb_pipe.h"
#include "core/timeparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPOOL_MEM (8u << 20)

struct verb_spool {
    char *mem;              /* the newest records (all of them while they fit in SPOOL_MEM) */
    size_t len, cap;
    FILE *f;                /* the older ones, in blocks (NULL until memory was full once) */
    int failed;
};

typedef struct verb_row {
    verb_acc *acc;
    verb_spool spool;
    verb_pipe *pipe;        /* the analysis's thread; NULL: runs on the feeder's */
} verb_row;

static int consume(void *ctx, const cx_response *r, const char *const *seg);

static void *row_create(const analysis_env *env)
{
    verb_row *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    char err[256];
    verb_opts o;
    memset(&o, 0, sizeof o);
    o.so = env->o;
    v->acc = verb_new(&o, err, sizeof err);
    if (!v->acc) {
        free(v);
        return NULL;
    }
    /* its own thread (verb_pipe.h); without one it works inline */
    v->pipe = verb_pipe_new(env->o->n_by, consume, v);
    return v;
}

/* Makes room for a record of N bytes in memory: when SPOOL_MEM would be
 * passed, the records there go to the temporary file in one write (so a
 * record is never split between the file and memory).  0 ok, -1 failed. */
static int spool_room(verb_spool *s, size_t n)
{
    if (s->failed) return -1;
    if (s->len && s->len + n > SPOOL_MEM) {
        if (!s->f && !(s->f = tmpfile())) { s->failed = 1; return -1; }
        if (fwrite(s->mem, 1, s->len, s->f) != s->len) { s->failed = 1; return -1; }
        s->len = 0;
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n) cap *= 2;
        char *m = realloc(s->mem, cap);
        if (!m) { s->failed = 1; return -1; }
        s->mem = m;
        s->cap = cap;
    }
    return 0;
}

static void put_bytes(verb_spool *s, const void *p, size_t n)
{
    memcpy(s->mem + s->len, p, n);
    s->len += n;
}

/* A string: its length (uint32), its bytes and a NUL, so that the reader
 * can point into the block. */
static void put_str(verb_spool *s, const char *str, size_t n)
{
    uint32_t n32 = (uint32_t)n;
    put_bytes(s, &n32, sizeof n32);
    put_bytes(s, str, n);
    s->mem[s->len++] = '\0';
}

enum { TAIL = 2 + 2 * sizeof(double) };

/* One record: source, response id, interaction type, terms, then the
 * language, the flags and the two charges. */
static void spool_row(verb_spool *s, const cx_response *r, const verb_flag *f)
{
    const char *str[4] = {r->source, r->response_id, r->interaction_type, f->terms};
    size_t n[4], total = TAIL;
    for (int k = 0; k < 4; k++) {
        n[k] = strlen(str[k]);
        if (n[k] > UINT32_MAX / 2) n[k] = 0;   /* never: fields are far shorter */
        total += sizeof(uint32_t) + n[k] + 1;
    }
    if (spool_room(s, total) != 0) return;
    for (int k = 0; k < 4; k++) put_str(s, str[k], n[k]);
    unsigned char b[TAIL];
    b[0] = (unsigned char)f->lang;
    b[1] = (unsigned char)((f->routine ? 1 : 0) | (f->unlabelled_mot ? 2 : 0));
    memcpy(b + 2, &f->charge_neg, sizeof(double));
    memcpy(b + 2 + sizeof(double), &f->charge_pos, sizeof(double));
    put_bytes(s, b, sizeof b);
}

/* One response, on the analysis's thread (or inline). */
static int consume(void *ctx, const cx_response *r, const char *const *seg)
{
    verb_row *v = ctx;
    verb_flag f;
    int rc = verb_add_seg(v->acc, r, time_month_key(r->responded_at), seg, &f);
    if (rc <= 0) return rc;
    spool_row(&v->spool, r, &f);
    return 0;
}

static int row_add(void *acc, const cx_response *r, const char *const *seg)
{
    verb_row *v = acc;
    return v->pipe ? verb_pipe_push(v->pipe, r, seg) : consume(v, r, seg);
}

static int row_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    verb_row *v = acc;
    if (v->pipe && verb_pipe_end(v->pipe) != 0) {
        snprintf(err, errlen, "verbatims: out of memory");
        return -1;
    }
    const verb_result *res = verb_finish(v->acc);
    if (!res) { snprintf(err, errlen, "verbatims: out of memory"); return -1; }
    if (v->spool.failed || (v->spool.f && fflush(v->spool.f) != 0)) {
        snprintf(err, errlen, "verbatims: the flags of %lld comments: %s", (long long)(res->comments[0] +
                 res->comments[1] + res->comments[2]), v->spool.f ? "temporary file: write failed"
                                                                : "out of memory");
        return -1;
    }
    out->themes = res;
    out->verb_flags = &v->spool;
    return 0;
}

static void row_destroy(void *acc)
{
    verb_row *v = acc;
    if (!v) return;
    verb_pipe_free(v->pipe);   /* first: its thread uses the rest */
    verb_free(v->acc);
    if (v->spool.f) fclose(v->spool.f);
    free(v->spool.mem);
    free(v);
}

/* Parses records from BUF[*POS..LEN): calls CB for each whole one and
 * leaves *POS at the first incomplete one.  -1 when a record is corrupt. */
static int parse_records(const char *buf, size_t len, size_t *pos,
                         void (*cb)(void *ctx, const verb_flag_row *row), void *ctx)
{
    for (;;) {
        size_t p = *pos;
        const char *str[4];
        uint32_t n[4];
        int whole = 1;
        for (int k = 0; k < 4 && whole; k++) {
            if (len - p < sizeof n[k]) { whole = 0; break; }
            memcpy(&n[k], buf + p, sizeof n[k]);
            p += sizeof n[k];
            if (len - p < (size_t)n[k] + 1) { whole = 0; break; }
            str[k] = buf + p;
            if (buf[p + n[k]] != '\0') return -1;   /* not a record */
            p += (size_t)n[k] + 1;
        }
        if (!whole || len - p < TAIL) return 0;
        const unsigned char *b = (const unsigned char *)buf + p;
        p += TAIL;
        verb_flag fl;
        memset(&fl, 0, sizeof fl);
        size_t tl = n[3] < sizeof fl.terms ? n[3] : sizeof fl.terms - 1;
        memcpy(fl.terms, str[3], tl);
        fl.terms[tl] = '\0';
        fl.lang = b[0] < TEXT_NLANG ? (text_lang)b[0] : TEXT_UND;
        fl.routine = b[1] & 1;
        fl.unlabelled_mot = (b[1] & 2) != 0;
        memcpy(&fl.charge_neg, b + 2, sizeof(double));
        memcpy(&fl.charge_pos, b + 2 + sizeof(double), sizeof(double));
        verb_flag_row row = {str[0], str[1], str[2], &fl};
        cb(ctx, &row);
        *pos = p;
    }
}

int verb_spool_each(const verb_spool *s, void (*cb)(void *ctx, const verb_flag_row *row), void *ctx)
{
    int rc = 0;
    if (s->f) {
        /* the file's blocks, each read behind what is left of the one before */
        FILE *f = s->f;
        size_t cap = 1u << 20, have = 0, pos = 0;
        char *buf = malloc(cap);
        if (!buf || fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) { free(buf); return -1; }
        for (;;) {
            memmove(buf, buf + pos, have - pos);
            have -= pos;
            pos = 0;
            size_t got = fread(buf + have, 1, cap - have, f);
            have += got;
            if (parse_records(buf, have, &pos, cb, ctx) != 0) { rc = -1; break; }
            if (got == 0) {
                if (ferror(f)) rc = -1;
                break;
            }
            if (pos == 0 && have == cap) {   /* one record bigger than the buffer */
                char *b = realloc(buf, cap * 2);
                if (!b) { rc = -1; break; }
                buf = b;
                cap *= 2;
            }
        }
        /* records are never split across the file and memory: a block is
         * written whole */
        if (rc == 0 && have != pos) rc = -1;
        free(buf);
        fseek(f, 0, SEEK_END);   /* as it was */
    }
    size_t pos = 0;
    if (rc == 0 && s->len && (parse_records(s->mem, s->len, &pos, cb, ctx) != 0 || pos != s->len)) rc = -1;
    return rc;
}

const analysis analysis_themes = {
    "verbatims", STATS_RUN_TEXT, 0, row_create, row_add, row_finish, row_destroy,
};
