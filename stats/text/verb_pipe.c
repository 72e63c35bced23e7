/* verb_pipe.c — the verbatim analysis's own thread (verb_pipe.h). */
#include "stats/text/verb_pipe.h"
#include "stats/stats.h"
#include "stats/text/verbatims.h"
#include "core/grow.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1u << 20)
#define NBLK 8 /* blocks in the ring: a batch is handed over at once, in a block of its own */

typedef struct block {
    char *buf;
    size_t len, cap;
} block;

struct verb_pipe {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    block blk[NBLK]; /* a ring: the thread works through them in order */
    int full[NBLK];  /* handed to the thread, not yet done */
    int fill;        /* the block the feeder fills */
    int ending, failed, started;
    size_t n_by;
    verb_pipe_fn fn;
    void *ctx;
};

/* ---- records: a kind byte, then for REC_RESPONSE responded_at, score,
 *      metric, then 5 + n_by strings, each a uint32 length (UINT32_MAX:
 *      NULL) and its bytes with a NUL, then the note (cx_response.note): a
 *      byte 0 (none) or 1 followed by its language, its two flags, its two
 *      charges, its terms and its packed tokens (a uint32 length,
 *      UINT32_MAX: none, and the bytes); for REC_BATCH a batch_rec ---- */

enum { REC_RESPONSE, REC_BATCH };

typedef struct batch_rec {
    verb_pipe_each_fn each;
    void (*done)(void *arg);
    void *arg;
} batch_rec;

enum { NOTE_FIXED = 1 + 1 + 1 + 2 * sizeof(double) };

static int reserve(block *b, size_t n)
{
    if (b->len + n <= b->cap) return 0;
    /* batches need a few bytes; records grow it to BLOCK */
    char *m = grow_array(b->buf, &b->cap, b->len + n, 1, 4096, 0, 0);
    if (!m) return -1;
    b->buf = m;
    return 0;
}

/* A string's length, UINT32_MAX for NULL. */
static uint32_t str_len(const char *s) { return s ? (uint32_t)strlen(s) : UINT32_MAX; }

static size_t str_size(uint32_t n) { return sizeof(uint32_t) + (n == UINT32_MAX ? 0 : (size_t)n + 1); }

/* S of length N (str_len). */
static void put_str(block *b, const char *s, uint32_t n)
{
    memcpy(b->buf + b->len, &n, sizeof n);
    b->len += sizeof n;
    if (n == UINT32_MAX) return;
    memcpy(b->buf + b->len, s, (size_t)n + 1);
    b->len += (size_t)n + 1;
}

static const char *get_str(const char *buf, size_t *pos)
{
    uint32_t n;
    memcpy(&n, buf + *pos, sizeof n);
    *pos += sizeof n;
    if (n == UINT32_MAX) return NULL;
    const char *s = buf + *pos;
    *pos += (size_t)n + 1;
    return s;
}

/* Runs FN over every record of B, and every batch's DONE; FN and the
 * batches' EACH no more once one failed (FAILED: from the start).  0 ok,
 * -1 when one failed. */
static int run_block(verb_pipe *p, const block *b, int failed)
{
    size_t pos = 0;
    while (pos < b->len) {
        if (b->buf[pos++] == REC_BATCH) {
            batch_rec br;
            memcpy(&br, b->buf + pos, sizeof br);
            pos += sizeof br;
            if (!failed && br.each(br.arg, p->fn, p->ctx) != 0) failed = 1;
            br.done(br.arg);
            continue;
        }
        cx_response r;
        cx_response_clear(&r);
        int32_t score, metric;
        memcpy(&r.responded_at, b->buf + pos, sizeof r.responded_at);
        pos += sizeof r.responded_at;
        memcpy(&score, b->buf + pos, sizeof score);
        pos += sizeof score;
        memcpy(&metric, b->buf + pos, sizeof metric);
        pos += sizeof metric;
        r.score = score;
        r.metric = metric;
        r.source = get_str(b->buf, &pos);
        r.response_id = get_str(b->buf, &pos);
        r.comment = get_str(b->buf, &pos);
        r.interaction_type = get_str(b->buf, &pos);
        r.channel = get_str(b->buf, &pos);
        const char *seg[STATS_MAX_BY];
        for (size_t i = 0; i < p->n_by; i++) seg[i] = get_str(b->buf, &pos);
        verb_flag note;
        if (b->buf[pos++]) {
            const unsigned char *u = (const unsigned char *)b->buf + pos;
            memset(&note, 0, sizeof note);
            note.lang = u[0] < TEXT_NLANG ? (text_lang)u[0] : TEXT_UND;
            note.routine = u[1] & 1;
            note.unlabelled_mot = (u[1] & 2) != 0;
            memcpy(&note.charge_neg, u + 2, sizeof(double));
            memcpy(&note.charge_pos, u + 2 + sizeof(double), sizeof(double));
            pos += NOTE_FIXED - 1;
            uint32_t n; /* the terms, which came from a verb_flag: they fit */
            memcpy(&n, b->buf + pos, sizeof n);
            const char *terms = get_str(b->buf, &pos);
            if (!terms || n >= sizeof note.terms) n = 0;
            memcpy(note.terms, terms ? terms : "", n);
            note.terms[n] = '\0';
            uint32_t tl;
            memcpy(&tl, b->buf + pos, sizeof tl);
            pos += sizeof tl;
            if (tl != UINT32_MAX) {
                note.toks = b->buf + pos;
                note.toks_len = tl;
                pos += tl;
            }
            r.note = &note;
        }
        if (!failed && p->fn(p->ctx, &r, VERB_PIPE_NO_MONTH, seg) != 0) failed = 1;
    }
    return failed ? -1 : 0;
}

static void *work(void *arg)
{
    verb_pipe *p = arg;
    int k = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->full[k] && !p->ending) pthread_cond_wait(&p->cv, &p->mu);
        int have = p->full[k], failed = p->failed;
        pthread_mutex_unlock(&p->mu);
        if (!have) break; /* ending, and nothing left */
        int rc = run_block(p, &p->blk[k], failed);
        pthread_mutex_lock(&p->mu);
        if (rc != 0) p->failed = 1;
        p->blk[k].len = 0;
        p->full[k] = 0;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        k = (k + 1) % NBLK;
    }
    return NULL;
}

verb_pipe *verb_pipe_new(size_t n_by, verb_pipe_fn fn, void *ctx)
{
    verb_pipe *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->n_by = n_by;
    p->fn = fn;
    p->ctx = ctx;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    if (pthread_create(&p->th, NULL, work, p) != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        free(p);
        return NULL;
    }
    p->started = 1;
    return p;
}

/* Hands the block being filled to the thread and waits until the next
 * one is free.  Returns the pipe's failure state. */
static int hand_over(verb_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    p->full[p->fill] = 1;
    pthread_cond_broadcast(&p->cv);
    p->fill = (p->fill + 1) % NBLK;
    while (p->full[p->fill]) pthread_cond_wait(&p->cv, &p->mu);
    int failed = p->failed;
    pthread_mutex_unlock(&p->mu);
    return failed ? -1 : 0;
}

int verb_pipe_push(verb_pipe *p, const cx_response *r, const char *const *seg)
{
    block *b = &p->blk[p->fill];
    enum { NSTR = 5 + STATS_MAX_BY + 1 };
    const char *str[NSTR] = {r->source, r->response_id, r->comment, r->interaction_type, r->channel};
    uint32_t len[NSTR];
    size_t ns = 5 + p->n_by, need = 1 + sizeof(int64_t) + 2 * sizeof(int32_t);
    for (size_t i = 0; i < p->n_by; i++) str[5 + i] = seg ? seg[i] : NULL;
    if (r->note) str[ns++] = r->note->terms;
    for (size_t i = 0; i < ns; i++) need += str_size(len[i] = str_len(str[i]));
    need += r->note ? NOTE_FIXED + sizeof(uint32_t) + r->note->toks_len : 1;
    if (b->len && b->len + need > BLOCK) { /* keep each block at BLOCK: hand it over first */
        if (hand_over(p) != 0) return -1;
        b = &p->blk[p->fill];
    }
    if (reserve(b, need) != 0) return -1;
    int32_t score = r->score, metric = r->metric;
    b->buf[b->len++] = REC_RESPONSE;
    memcpy(b->buf + b->len, &r->responded_at, sizeof r->responded_at);
    b->len += sizeof r->responded_at;
    memcpy(b->buf + b->len, &score, sizeof score);
    b->len += sizeof score;
    memcpy(b->buf + b->len, &metric, sizeof metric);
    b->len += sizeof metric;
    for (size_t i = 0; i < 5 + p->n_by; i++) put_str(b, str[i], len[i]);
    const verb_flag *n = r->note;
    b->buf[b->len++] = n != NULL;
    if (n) {
        b->buf[b->len++] = (char)n->lang;
        b->buf[b->len++] = (char)((n->routine ? 1 : 0) | (n->unlabelled_mot ? 2 : 0));
        memcpy(b->buf + b->len, &n->charge_neg, sizeof(double));
        b->len += sizeof(double);
        memcpy(b->buf + b->len, &n->charge_pos, sizeof(double));
        b->len += sizeof(double);
        put_str(b, n->terms, len[ns - 1]);
        uint32_t tl = n->toks && n->toks_len < UINT32_MAX ? (uint32_t)n->toks_len : UINT32_MAX;
        memcpy(b->buf + b->len, &tl, sizeof tl);
        b->len += sizeof tl;
        if (tl != UINT32_MAX) {
            memcpy(b->buf + b->len, n->toks, tl);
            b->len += tl;
        }
    }
    return 0;
}

int verb_pipe_push_batch(verb_pipe *p, verb_pipe_each_fn each, void (*done)(void *arg), void *arg)
{
    block *b = &p->blk[p->fill];
    batch_rec br = {each, done, arg};
    if (reserve(b, 1 + sizeof br) != 0) {
        done(arg);
        return -1;
    }
    b->buf[b->len++] = REC_BATCH;
    memcpy(b->buf + b->len, &br, sizeof br);
    b->len += sizeof br;
    return hand_over(p); /* at once: the batch's owner waits for DONE */
}

int verb_pipe_sync(verb_pipe *p)
{
    if (!p->started) return p->failed ? -1 : 0;
    pthread_mutex_lock(&p->mu);
    if (p->blk[p->fill].len) {
        p->full[p->fill] = 1;
        pthread_cond_broadcast(&p->cv);
        p->fill = (p->fill + 1) % NBLK;
    }
    for (int k = 0; k < NBLK; k++)
        while (p->full[k]) pthread_cond_wait(&p->cv, &p->mu);
    int failed = p->failed;
    pthread_mutex_unlock(&p->mu);
    return failed ? -1 : 0;
}

/* The ring's blocks freed (nothing more is pushed). */
static void free_ring(verb_pipe *p)
{
    for (int k = 0; k < NBLK; k++) {
        free(p->blk[k].buf);
        p->blk[k].buf = NULL;
        p->blk[k].len = p->blk[k].cap = 0;
    }
}

int verb_pipe_end(verb_pipe *p)
{
    if (!p->started) return p->failed ? -1 : 0;
    if (p->blk[p->fill].len) hand_over(p);
    pthread_mutex_lock(&p->mu);
    p->ending = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    p->started = 0;
    free_ring(p); /* nothing more comes: the ring's memory goes */
    return p->failed ? -1 : 0;
}

void verb_pipe_free(verb_pipe *p)
{
    if (!p) return;
    if (p->started) {
        pthread_mutex_lock(&p->mu);
        p->ending = 1;
        p->failed = 1; /* what is left is not needed */
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->th, NULL);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free_ring(p);
    free(p);
}
