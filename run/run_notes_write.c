/* run_notes_write.c — the notes file written anew, on a thread of its
 * own, past the page cache (run_notes_int.h). */
#include "run/run_notes_int.h"
#include "core/grow.h"
#include "core/varint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void out_fail(notes_file *nf) { nf->wfail = 1; }

/* N bytes at P to the file written (past the page cache when it can). */
static void out_write(notes_file *nf, const void *p, size_t n)
{
    if (nf->wfail || !n) return;
    if (nf->ds_on) {
        if (dstream_put(&nf->ds, p, n, nf->out_at) != 0) out_fail(nf);
        nf->out_at += (long long)n;
        return;
    }
    for (size_t off = 0; !nf->wfail && off < n;) {
        ssize_t w = write(nf->out_fd, (const char *)p + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) out_fail(nf);
        else off += (size_t)w;
    }
    nf->out_at += (long long)n;
}

static void out_flush(notes_file *nf)
{
    out_write(nf, nf->ob, nf->olen);
    nf->olen = 0;
}

static void out_put(notes_file *nf, const void *p, size_t n)
{
    if (nf->wfail) return;
    if (nf->ds_on) { /* dstream gathers them in its own buffer */
        out_write(nf, p, n);
        return;
    }
    if (nf->olen + n > NF_IO) out_flush(nf);
    if (n > NF_IO) { /* a record larger than the buffer: straight out */
        out_write(nf, p, n);
        return;
    }
    memcpy(nf->ob + nf->olen, p, n);
    nf->olen += n;
}

/* Room for N more bytes of the body being made at LEN.  0, -1 OOM. */
static int body_room(notes_file *nf, size_t len, size_t n)
{
    if (len + n <= nf->bcap) return 0;
    unsigned char *b = grow_array(nf->body, &nf->bcap, len + n, 1, 4096, 0, 0);
    if (!b) return -1;
    nf->body = b;
    return 0;
}

/* The code of reader id SID in the file written (0 when it has none). */
static uint32_t *code_slot(notes_file *nf, uint32_t sid)
{
    if (sid >= nf->ocap) {
        uint32_t *c = grow_array(nf->ocode, &nf->ocap, (size_t)sid + 1, sizeof *c, 4096, 0, 1);
        if (!c) return NULL;
        nf->ocode = c;
    }
    return &nf->ocode[sid];
}

/* Note F of the row ROW, read from TEXT, as a record of the file written. */
static void encode(notes_file *nf, uint64_t row, uint64_t text, const verb_flag *f)
{
    uint32_t n;
    memcpy(&n, f->toks, 4);
    size_t terms = strnlen(f->terms, sizeof f->terms - 1), len = 0;
    if (body_room(nf, 0, 16 + 19 + 10 + terms + 10 + (size_t)n * 20 + f->toks_len) != 0) {
        out_fail(nf);
        return;
    }
    unsigned char *b = nf->body;
    memcpy(b, &row, 8);
    memcpy(b + 8, &text, 8);
    memcpy(b + 16, &f->charge_neg, 8);
    memcpy(b + 24, &f->charge_pos, 8);
    b[32] = (unsigned char)f->lang;
    b[33] = (unsigned char)(f->routine != 0);
    b[34] = (unsigned char)(f->unlabelled_mot != 0);
    len = 35 + varint_put(b + 35, terms);
    memcpy(b + len, f->terms, terms);
    len += terms;
    len += varint_put(b + len, n);
    const char *bytes = f->toks + 4 + 8 * (size_t)n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t word, sid;
        memcpy(&word, f->toks + 4 + 4 * (size_t)i, 4);
        memcpy(&sid, f->toks + 4 + 4 * ((size_t)n + i), 4);
        uint32_t tl = word >> 1, *c = sid == NONE ? NULL : code_slot(nf, sid);
        if (sid != NONE && !c) {
            out_fail(nf);
            return;
        }
        int inline_bytes = !c || !*c;
        if (c && !*c) *c = nf->onext++;
        len += varint_put(b + len, (uint64_t)(c ? *c : 0) << 1 | (word & 1));
        if (inline_bytes) {
            len += varint_put(b + len, tl);
            memcpy(b + len, bytes, tl);
            len += tl;
        }
        bytes += tl;
    }
    uint32_t blen = (uint32_t)len;
    uint64_t h = notes_hash(b, len, NOTES_RECORD_SEED);
    out_put(nf, &blen, 4);
    out_put(nf, b, len);
    out_put(nf, &h, 8);
}

/* The writer thread: the old file's first bytes copied, then each note
 * queued encoded and written, in order. */
static void *write_notes(void *arg)
{
    notes_file *nf = arg;
    if (nf->copy < NF_HEAD) { /* nothing of the old file: a header of our own */
        unsigned char h[NF_HEAD];
        uint32_t order = NF_ORDER, format = NF_FORMAT;
        memcpy(h, NF_MAGIC, 8);
        memcpy(h + 8, &order, 4);
        memcpy(h + 12, &format, 4);
        memcpy(h + 16, &nf->key, 8);
        out_put(nf, h, sizeof h);
    }
    for (long long at = 0; !nf->wfail && nf->copy >= NF_HEAD && at < nf->copy;) {
        size_t want = nf->copy - at > NF_IO ? NF_IO : (size_t)(nf->copy - at);
        if (dread_at(&nf->wdr, nf->ob, want, at) != 0) out_fail(nf);
        else out_write(nf, nf->ob, want); /* out, before any note */
        at += (long long)want;
    }
    for (;;) {
        pthread_mutex_lock(&nf->mu);
        while (!nf->q_n && !nf->q_end) pthread_cond_wait(&nf->cv, &nf->mu);
        note_buf c = {0};
        if (nf->q_n) c = nf->q[nf->q_head];
        pthread_mutex_unlock(&nf->mu);
        if (!c.b && !c.len) break; /* the end, every chunk written */
        /* each note: its row's and text's hashes, then the note as
         * note_put packs it */
        for (size_t off = 0; off + 20 <= c.len && !nf->wfail;) {
            uint64_t row, text;
            uint32_t len;
            memcpy(&row, c.b + off, 8);
            memcpy(&text, c.b + off + 8, 8);
            memcpy(&len, c.b + off + 16, 4);
            verb_flag f;
            if (note_get(&c, (uint32_t)(off + 20), &f)) encode(nf, row, text, &f);
            off += 20 + len;
        }
        free(c.b);
        pthread_mutex_lock(&nf->mu);
        nf->q_head = (nf->q_head + 1) % NF_QUEUE;
        nf->q_n--;
        pthread_cond_broadcast(&nf->cv);
        pthread_mutex_unlock(&nf->mu);
    }
    out_flush(nf);
    return NULL;
}

/* The chunk being filled handed to the writer thread (waiting for room). */
void nf_hand_over(notes_file *nf)
{
    if (!nf->cur.len) return;
    pthread_mutex_lock(&nf->mu);
    while (nf->q_n == NF_QUEUE) pthread_cond_wait(&nf->cv, &nf->mu);
    nf->q[(nf->q_head + nf->q_n++) % NF_QUEUE] = nf->cur;
    pthread_cond_broadcast(&nf->cv);
    pthread_mutex_unlock(&nf->mu);
    memset(&nf->cur, 0, sizeof nf->cur);
}

/* The note of N bytes at NOTE (as note_put packs it) of the row ROW, read
 * from TEXT, queued for the writer thread: the two hashes, the note's
 * length, the note. */
void nf_queue(notes_file *nf, uint64_t row, uint64_t text, const char *note, size_t n)
{
    note_buf *c = &nf->cur;
    if (c->len + 20 + n > c->cap) {
        char *b = grow_array(c->b, &c->cap, c->len + 20 + n, 1, NF_IO + 4096, 0, 0);
        if (!b) {
            nf->failed = 1;
            return;
        }
        c->b = b;
    }
    uint32_t len = (uint32_t)n;
    char *p = c->b + c->len;
    memcpy(p, &row, 8);
    memcpy(p + 8, &text, 8);
    memcpy(p + 16, &len, 4);
    memcpy(p + 20, note, n);
    c->len += 20 + n;
    if (c->len >= NF_IO) nf_hand_over(nf);
}

/* From here on the file is written anew: its first records (those read so
 * far, every one taken) copied as they are, the codes of their words
 * kept; the writer thread started. */
void nf_start_writing(notes_file *nf)
{
    nf->writing = 1;
    if (!(nf->ob = malloc(NF_IO))) {
        nf->failed = 1;
        return;
    }
    /* PATH.tmp, locked: a run writing it meanwhile keeps it (this one
     * then writes none); one left by a killed run is taken again */
    int n = snprintf(nf->tmp, sizeof nf->tmp, "%s.tmp", nf->path);
    struct flock lk;
    memset(&lk, 0, sizeof lk);
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    if (n < 0 || (size_t)n >= sizeof nf->tmp ||
        (nf->out_fd = open(nf->tmp, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
        nf->failed = 1;
        return;
    }
    if (fcntl(nf->out_fd, F_SETLK, &lk) != 0 || ftruncate(nf->out_fd, 0) != 0) {
        close(nf->out_fd);
        nf->out_fd = -1;
        nf->failed = 1;
        return;
    }
    /* a new file written front to back, read by the next run: past the
     * page cache, as the cache's blocks are (core/dstream.h) */
    nf->ds_on = dstream_open(&nf->ds, nf->out_fd, nf->tmp, 0) == 0;
    nf->copy = nf->in_fd >= 0 ? nf->ioff + (long long)nf->ipos : 0;
    nf->onext = 1;
    if (nf->copy >= NF_HEAD) { /* the old file's words, their codes kept */
        dread_init(&nf->wdr, nf->in_fd, nf->path);
        for (size_t c = 1; c <= nf->wn; c++) {
            uint32_t sid = nf_word_sid(nf, c), *slot = sid == NONE ? NULL : code_slot(nf, sid);
            if (sid != NONE && !slot) {
                nf->failed = 1;
                return;
            }
            if (slot && !*slot) *slot = (uint32_t)c;
        }
        nf->onext = (uint32_t)nf->wn + 1;
    }
    pthread_mutex_init(&nf->mu, NULL);
    pthread_cond_init(&nf->cv, NULL);
    if (pthread_create(&nf->wth, NULL, write_notes, nf) != 0) {
        pthread_cond_destroy(&nf->cv);
        pthread_mutex_destroy(&nf->mu);
        nf->failed = 1;
        return;
    }
    nf->wth_on = 1;
}
