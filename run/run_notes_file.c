/* run_notes_file.c — the comments' notes kept beside the analysis cache
 * (run_notes_file.h).
 *
 * File: a header (NF_MAGIC, a byte-order mark, the format, the key), then
 * records, each a uint32 length, its body and a 64-bit hash of the body
 * (notes_hash).  A body: the row's and the text's hashes (two uint64),
 * the charges (two doubles), language, routine and unlabelled moment of
 * truth (a byte each), the terms (a varint length and the bytes), the
 * token count (a varint), then each token as a varint CODE << 1 | brk:
 * CODE 0 a word outside the vocabulary (the reader's was full: its
 * length and bytes follow, and it packs as VOCAB_NONE), the next unused
 * code a new word (its length and bytes follow), else a word used before.
 * Integers as the machine writes them (the mark says which order).
 */
#include "run/run_notes_file.h"
#include "core/dread.h"
#include "core/dstream.h"
#include "core/hash.h"
#include "core/varint.h"
#include "core/store/cache.h"
#include "stats/text/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NF_MAGIC "CXNOTES\n"
#define NF_ORDER 0x01020304u
#define NF_FORMAT 1u
#define NF_HEAD 24
#define NF_BODY_MAX (16u << 20)
/* The reads of the file, its writes when they go through the page cache,
 * and a chunk of notes queued for the writer thread: a quarter of a MiB
 * each (a run of 600-byte comments peaks at 60 MB, the limit is 64) */
#define NF_IO (1u << 18)
/* Notes are kept only for comments of this many bytes on average, judged
 * on the first NF_PROBE a run reads (or all, when it reads fewer): for
 * shorter ones keeping the notes costs more than reading the comments
 * again (docs/performance.md, "Twentieth round": 10M rows of 23-byte
 * comments, the first run after an import 0.7 s slower for notes that
 * saved 0.2 s a run; 3M rows of 55-byte comments, 0.5 s a run saved) */
#define NF_MIN_COMMENT 40
#define NF_PROBE 4096
#define NF_QUEUE 2 /* chunks of notes waiting for the writer thread */
#define NONE UINT32_MAX
#define UNRESOLVED (UINT32_MAX - 1) /* a file word not yet looked up in the reader */

/* One token of a record as decoded: its bytes in the body (at) or the
 * file's vocabulary (word), its flag and its id in the reader. */
typedef struct nf_tok {
    uint32_t word, at, len, sid;
    uint8_t brk;
} nf_tok;

struct notes_file {
    char path[PATH_MAX], tmp[PATH_MAX + 8];
    uint64_t key;
    verb_acc *reader;
    /* the file read: ib[ipos..ilen) the bytes at offset ioff + ipos */
    int in_fd, in_ok;
    dread dr; /* in_fd read past the page cache, unless it holds the file */
    long long in_size;
    unsigned char *ib;
    size_t ilen, ipos, icap;
    long long ioff;
    /* its next record, checked (have_next): hashes, body, size */
    int have_next;
    uint64_t next_row, next_text;
    size_t next_body, next_size; /* the body's length; the record's bytes */
    /* its vocabulary so far: word c (1..wn) at warena + wo[c], wl[c]
     * bytes; its reader id wsid[c] (UNRESOLVED until needed) */
    uint32_t *wo, *wl, *wsid;
    size_t wn, wcap;
    char *warena;
    size_t walen, wacap;
    /* the file written anew (writing; failed: given up, or none to
     * write): the run's notes queued in chunks (cur filling, then q, a
     * ring of NF_QUEUE) for the writer thread (wth), which copies the old
     * file's first COPY bytes, then encodes and writes each note; its
     * codes of reader ids (ocode, 0 none), set here before it starts */
    int writing, out_fd, failed;
    pthread_t wth;
    int wth_on, q_end, wfail; /* wfail: its writes failed (its own; read after the join) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    note_buf cur, q[NF_QUEUE], carry; /* carry: a note passed over, packed */
    size_t q_head, q_n;
    long long copy;
    dread wdr;                  /* its reader of the old file */
    long long put_n, put_bytes; /* notes read by the run, their comments' bytes */
    long long taken_n;          /* notes taken from the file */
    dstream ds;                 /* out_fd's bytes past the page cache (ds_on), at out_at */
    int ds_on;
    long long out_at;
    unsigned char *ob, *body;
    size_t olen, bcap;
    uint32_t *ocode;
    size_t ocap;
    uint32_t onext;
    /* scratch: a record's tokens, packed for a note */
    nf_tok *tk;
    size_t tkcap;
    char *pk;
    size_t pkcap;
};

/* ---- the key ---- */

static uint64_t exe_key;
static pthread_once_t exe_once = PTHREAD_ONCE_INIT;

/* A hash of this program's executable (0 when it cannot be read). */
static void exe_hash(void)
{
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char *buf = malloc(NF_IO);
    uint64_t h = 0x9E3779B97F4A7C15ull;
    ssize_t r = 0;
    while (buf && ((r = read(fd, buf, NF_IO)) > 0 || (r < 0 && errno == EINTR)))
        if (r > 0) h = hash_fmix64(h ^ cache_hash(buf, (size_t)r));
    close(fd);
    free(buf);
    if (buf && r == 0) exe_key = h | 1;
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    return hash_fmix64(a ^ (b + 0x9E3779B97F4A7C15ull + (a << 6)));
}

uint64_t notes_key(const stats_opts *o)
{
    pthread_once(&exe_once, exe_hash);
    if (!exe_key) return 0;
    uint64_t h = mix(exe_key, NF_FORMAT);
    const cx_config *cfg = o ? o->cfg : NULL;
    h = mix(h, cfg ? cfg->n_mot_types + 1 : 0);
    for (size_t i = 0; cfg && i < cfg->n_mot_types; i++)
        h = mix(h, cache_hash(cfg->mot_types[i], strlen(cfg->mot_types[i]) + 1));
    return h | 1;
}

static inline uint64_t rotl(uint64_t x, unsigned r) { return x << r | x >> (64 - r); }

uint64_t notes_hash(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *b = p;
    uint64_t a = seed ^ 0x9E3779B97F4A7C15ull, c = (uint64_t)n * 0xC2B2AE3D27D4EB4Full, w, x;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        memcpy(&w, b + i, 8);
        memcpy(&x, b + i + 8, 8);
        a = rotl((a ^ w) * 0x87C37B91114253D5ull, 31);
        c = rotl((c ^ x) * 0x4CF5AD432745937Full, 33);
    }
    if (n - i >= 8) {
        memcpy(&w, b + i, 8);
        a = rotl((a ^ w) * 0x87C37B91114253D5ull, 31);
        i += 8;
    }
    if (i < n) {
        w = 0;
        memcpy(&w, b + i, n - i);
        c = rotl((c ^ w) * 0x4CF5AD432745937Full, 33);
    }
    return hash_fmix64(a ^ hash_fmix64(c));
}

uint64_t notes_row_hash(const char *source, size_t slen, const char *response_id, size_t idlen)
{
    return notes_hash(response_id, idlen, notes_hash(source, slen, NOTES_SOURCE_SEED));
}

uint64_t notes_text_hash(const char *comment, size_t clen, const char *itype, size_t ilen)
{
    return notes_hash(comment, clen, notes_hash(itype, ilen, NOTES_ITYPE_SEED));
}

/* ---- reading ---- */

/* At least NEED bytes at ib + ipos: 0, or -1 (the file ends, or fails). */
static int in_fill(notes_file *nf, size_t need)
{
    if (nf->ilen - nf->ipos >= need) return 0;
    if (nf->ilen > nf->ipos) memmove(nf->ib, nf->ib + nf->ipos, nf->ilen - nf->ipos);
    nf->ioff += (long long)nf->ipos;
    nf->ilen -= nf->ipos;
    nf->ipos = 0;
    if (need > nf->icap || !nf->ib) { /* a megabyte at a time, more for a larger record */
        size_t cap = need > NF_IO ? need : NF_IO;
        unsigned char *b = realloc(nf->ib, cap);
        if (!b) return -1;
        nf->ib = b;
        nf->icap = cap;
    }
    long long at = nf->ioff + (long long)nf->ilen, left = nf->in_size - at;
    size_t want = nf->icap - nf->ilen;
    if (left < (long long)want) want = left > 0 ? (size_t)left : 0;
    if (nf->ilen + want < need || dread_at(&nf->dr, nf->ib + nf->ilen, want, at) != 0) return -1;
    nf->ilen += want;
    return 0;
}

/* The next record read and checked (have_next), unless the file ended or
 * is damaged there (in_ok 0: read no further). */
static void peek(notes_file *nf)
{
    if (!nf->in_ok || nf->have_next) return;
    uint32_t blen;
    uint64_t h;
    if (in_fill(nf, 4) != 0) goto end;
    memcpy(&blen, nf->ib + nf->ipos, 4);
    if (blen < 37 || blen > NF_BODY_MAX || in_fill(nf, 4 + (size_t)blen + 8) != 0) goto end;
    const unsigned char *body = nf->ib + nf->ipos + 4;
    memcpy(&h, body + blen, 8);
    if (h != notes_hash(body, blen, NOTES_RECORD_SEED)) goto end;
    memcpy(&nf->next_row, body, 8);
    memcpy(&nf->next_text, body + 8, 8);
    nf->next_body = blen;
    nf->next_size = 4 + (size_t)blen + 8;
    nf->have_next = 1;
    return;
end:
    nf->in_ok = 0;
}

/* Word C's id in the reader, looked up the first time. */
static uint32_t word_sid(notes_file *nf, size_t c)
{
    if (nf->wsid[c] == UNRESOLVED) nf->wsid[c] = verb_word_id(nf->reader, nf->warena + nf->wo[c], nf->wl[c]);
    return nf->wsid[c];
}

/* A new word of LEN bytes at P into the file's vocabulary.  0, -1 OOM. */
static int define(notes_file *nf, const unsigned char *p, size_t len)
{
    if (nf->wn + 2 > nf->wcap) {
        size_t cap = nf->wcap ? nf->wcap * 2 : 1024;
        uint32_t *o = realloc(nf->wo, cap * sizeof *o), *l = o ? realloc(nf->wl, cap * sizeof *l) : NULL;
        if (o) nf->wo = o;
        if (l) nf->wl = l;
        uint32_t *s = l ? realloc(nf->wsid, cap * sizeof *s) : NULL;
        if (!s) return -1;
        nf->wsid = s;
        nf->wcap = cap;
    }
    if (nf->walen + len > nf->wacap) {
        size_t cap = nf->wacap ? nf->wacap : 65536;
        while (cap < nf->walen + len) cap *= 2;
        if (cap > UINT32_MAX) return -1;
        char *a = realloc(nf->warena, cap);
        if (!a) return -1;
        nf->warena = a;
        nf->wacap = cap;
    }
    size_t c = ++nf->wn;
    memcpy(nf->warena + nf->walen, p, len);
    nf->wo[c] = (uint32_t)nf->walen;
    nf->wl[c] = (uint32_t)len;
    nf->wsid[c] = UNRESOLVED;
    nf->walen += len;
    return 0;
}

/* The next record (checked by peek) consumed: its new words defined and,
 * when F, its note into F (its tokens packed in nf->pk, ids the
 * reader's).  0, -1 malformed (read no further), -2 out of memory. */
static int consume(notes_file *nf, verb_flag *f)
{
    const unsigned char *body = nf->ib + nf->ipos + 4, *h = body + 16; /* after the two hashes */
    size_t at = 35, end = nf->next_body, ntk = 0, bytes = 0;
    uint64_t v, n;
    if (f) {
        memset(f, 0, offsetof(verb_flag, terms));
        memcpy(&f->charge_neg, h, 8);
        memcpy(&f->charge_pos, h + 8, 8);
        f->lang = (text_lang)h[16];
        f->routine = h[17];
        f->unlabelled_mot = h[18];
    }
    if (h[16] >= TEXT_NLANG || h[17] > 1 || h[18] > 1) return -1;
    if (varint_get(body, end, &at, &v) != 1 || v >= sizeof f->terms || v > end - at) return -1;
    if (f) {
        memcpy(f->terms, body + at, v);
        f->terms[v] = '\0';
    }
    at += v;
    if (varint_get(body, end, &at, &n) != 1 || n > TEXT_MAX_TOKENS) return -1;
    if (f && n > nf->tkcap) {
        nf_tok *t = realloc(nf->tk, n * sizeof *t);
        if (!t) return -2;
        nf->tk = t;
        nf->tkcap = n;
    }
    for (uint64_t i = 0; i < n; i++) {
        if (varint_get(body, end, &at, &v) != 1) return -1;
        uint64_t code = v >> 1;
        nf_tok t = {.brk = (uint8_t)(v & 1), .word = 0, .sid = NONE};
        if (code == 0 || code == nf->wn + 1) { /* its bytes here */
            uint64_t len;
            if (varint_get(body, end, &at, &len) != 1 || len == 0 || len > end - at) return -1;
            t.at = (uint32_t)at;
            t.len = (uint32_t)len;
            if (code && define(nf, body + at, len) != 0) return -2;
            at += len;
        } else if (code > nf->wn) {
            return -1;
        } else {
            t.word = (uint32_t)code;
            t.len = nf->wl[code];
        }
        if (f) {
            if (t.word) t.sid = word_sid(nf, t.word);
            else if (code) t.sid = word_sid(nf, nf->wn);
            nf->tk[ntk++] = t;
            bytes += t.len;
        }
    }
    if (at != end) return -1;
    if (f) { /* packed as verb_pack_tokens packs them (verbatims.h) */
        size_t need = 4 + 8 * ntk + bytes;
        if (need > nf->pkcap) {
            char *b = realloc(nf->pk, need);
            if (!b) return -2;
            nf->pk = b;
            nf->pkcap = need;
        }
        uint32_t n32 = (uint32_t)ntk;
        memcpy(nf->pk, &n32, 4);
        char *w = nf->pk + 4 + 8 * ntk;
        for (size_t i = 0; i < ntk; i++) {
            const nf_tok *t = &nf->tk[i];
            uint32_t word = t->len << 1 | t->brk;
            memcpy(nf->pk + 4 + 4 * i, &word, 4);
            memcpy(nf->pk + 4 + 4 * ntk + 4 * i, &t->sid, 4);
            memcpy(w, t->word ? nf->warena + nf->wo[t->word] : (const char *)body + t->at, t->len);
            w += t->len;
        }
        f->toks = nf->pk;
        f->toks_len = need;
    }
    nf->ipos += nf->next_size;
    nf->have_next = 0;
    return 0;
}

/* ---- writing ---- */

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
    size_t cap = nf->bcap ? nf->bcap : 4096;
    while (cap < len + n) cap *= 2;
    unsigned char *b = realloc(nf->body, cap);
    if (!b) return -1;
    nf->body = b;
    nf->bcap = cap;
    return 0;
}

/* The code of reader id SID in the file written (0 when it has none). */
static uint32_t *code_slot(notes_file *nf, uint32_t sid)
{
    if (sid >= nf->ocap) {
        size_t cap = nf->ocap ? nf->ocap : 4096;
        while (cap <= sid) cap *= 2;
        uint32_t *c = realloc(nf->ocode, cap * sizeof *c);
        if (!c) return NULL;
        memset(c + nf->ocap, 0, (cap - nf->ocap) * sizeof *c);
        nf->ocode = c;
        nf->ocap = cap;
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
static void hand_over(notes_file *nf)
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
static void queue(notes_file *nf, uint64_t row, uint64_t text, const char *note, size_t n)
{
    note_buf *c = &nf->cur;
    if (c->len + 20 + n > c->cap) {
        size_t cap = c->cap ? c->cap : NF_IO + 4096;
        while (cap < c->len + 20 + n) cap *= 2;
        char *b = realloc(c->b, cap);
        if (!b) {
            nf->failed = 1;
            return;
        }
        c->b = b;
        c->cap = cap;
    }
    uint32_t len = (uint32_t)n;
    char *p = c->b + c->len;
    memcpy(p, &row, 8);
    memcpy(p + 8, &text, 8);
    memcpy(p + 16, &len, 4);
    memcpy(p + 20, note, n);
    c->len += 20 + n;
    if (c->len >= NF_IO) hand_over(nf);
}

/* From here on the file is written anew: its first records (those read so
 * far, every one taken) copied as they are, the codes of their words
 * kept; the writer thread started. */
static void start_writing(notes_file *nf)
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
            uint32_t sid = word_sid(nf, c), *slot = sid == NONE ? NULL : code_slot(nf, sid);
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

/* ---- the run's side ---- */

notes_file *notes_file_open(const char *path, uint64_t key)
{
    notes_file *nf = calloc(1, sizeof *nf);
    if (!nf) return NULL;
    nf->in_fd = nf->out_fd = -1;
    nf->key = key;
    if (!key || snprintf(nf->path, sizeof nf->path, "%s", path) >= (int)sizeof nf->path) {
        nf->failed = 1; /* nothing read, nothing written */
        return nf;
    }
    nf->in_fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (nf->in_fd < 0) return nf;
    if (fstat(nf->in_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(nf->in_fd);
        nf->in_fd = -1;
        return nf;
    }
    nf->in_size = (long long)st.st_size;
    dread_init(&nf->dr, nf->in_fd, nf->path);
    unsigned char h[NF_HEAD];
    uint32_t order, format;
    uint64_t k;
    if (in_fill(nf, NF_HEAD) == 0) {
        memcpy(h, nf->ib, NF_HEAD);
        memcpy(&order, h + 8, 4);
        memcpy(&format, h + 12, 4);
        memcpy(&k, h + 16, 8);
        nf->in_ok = memcmp(h, NF_MAGIC, 8) == 0 && order == NF_ORDER && format == NF_FORMAT && k == key;
        nf->ipos = NF_HEAD;
    }
    if (!nf->in_ok) { /* another program's notes, or none: not read */
        dread_close(&nf->dr);
        close(nf->in_fd);
        nf->in_fd = -1;
        nf->ilen = nf->ipos = 0;
        nf->ioff = 0;
    }
    return nf;
}

int notes_file_take(notes_file *nf, verb_acc *reader, uint64_t row, uint64_t text, int want, note_buf *nb,
                    uint32_t *at)
{
    nf->reader = reader;
    peek(nf);
    if (!nf->have_next || nf->next_row != row) return 0;
    verb_flag f;
    int taken = want && nf->next_text == text;
    /* a note read from another comment: dropped, so the file written anew
     * ends its copy before it */
    if (want && !taken && !nf->writing && !nf->failed) start_writing(nf);
    int keep = taken || (nf->writing && !want);
    uint64_t was = nf->next_text;
    int rc = consume(nf, keep ? &f : NULL);
    if (rc == -2) return -1;
    if (rc != 0) {
        nf->in_ok = 0;
        return 0;
    }
    if (!taken) { /* a row of another window's note kept when writing */
        uint32_t k;
        nf->carry.len = 0;
        if (keep && nf->writing && !nf->failed && note_put(&nf->carry, &f, &k) == 0)
            queue(nf, row, was, nf->carry.b + k, note_size(&nf->carry, k));
        return 0;
    }
    f.toks_from = 0;
    nf->taken_n++;
    if (note_put(nb, &f, at) != 0) return -1;
    if (nf->writing && !nf->failed) queue(nf, row, text, nb->b + *at, note_size(nb, *at));
    return 1;
}

/* 1 when the comments the run read are too short for their notes to be
 * kept (judged once NF_PROBE are read, or at the end), unless it took
 * notes from the file (an earlier run judged them worth keeping). */
static int too_short(const notes_file *nf)
{
    return !nf->taken_n && nf->put_bytes < (long long)NF_MIN_COMMENT * nf->put_n;
}

void notes_file_put(notes_file *nf, uint64_t row, uint64_t text, const note_buf *nb, uint32_t at,
                    size_t comment_bytes)
{
    nf->put_n++;
    nf->put_bytes += (long long)comment_bytes;
    if (nf->put_n == NF_PROBE && too_short(nf)) nf->failed = 1; /* none written */
    if (!nf->writing && !nf->failed) start_writing(nf);
    if (!nf->failed) queue(nf, row, text, nb->b + at, note_size(nb, at));
}

int notes_file_busy(const notes_file *nf) { return nf->in_ok || nf->have_next || !nf->failed; }

int notes_file_pending(notes_file *nf)
{
    peek(nf);
    return nf->have_next;
}

void notes_file_drop(notes_file *nf, verb_acc *reader, uint64_t row)
{
    nf->reader = reader;
    peek(nf);
    if (!nf->have_next || nf->next_row != row) return;
    if (!nf->writing && !nf->failed) start_writing(nf); /* its copy ends before it */
    if (consume(nf, NULL) != 0) nf->in_ok = 0;
}

int notes_file_close(notes_file *nf, int ok)
{
    if (!nf) return 0;
    int wrote = 0;
    if (nf->writing && nf->put_n < NF_PROBE && too_short(nf)) nf->failed = 1;
    if (nf->wth_on) { /* the last chunk, then the end */
        if (!nf->failed) hand_over(nf);
        pthread_mutex_lock(&nf->mu);
        nf->q_end = 1;
        pthread_cond_broadcast(&nf->cv);
        pthread_mutex_unlock(&nf->mu);
        pthread_join(nf->wth, NULL);
        pthread_cond_destroy(&nf->cv);
        pthread_mutex_destroy(&nf->mu);
    }
    if (nf->writing && nf->copy >= NF_HEAD) dread_close(&nf->wdr);
    free(nf->cur.b);
    free(nf->carry.b);
    if (nf->writing && nf->out_fd >= 0) {
        int keep = ok && !nf->failed && !nf->wfail;
        if (nf->ds_on && !keep) dstream_close(&nf->ds);
        else if (nf->ds_on && dstream_finish(&nf->ds) != 0) keep = 0;
        /* renamed or removed while still locked: no other run takes it */
        if (keep && rename(nf->tmp, nf->path) == 0) wrote = 1;
        else unlink(nf->tmp);
        close(nf->out_fd);
    }
    if (nf->in_fd >= 0) {
        dread_close(&nf->dr);
        close(nf->in_fd);
    }
    free(nf->ib);
    free(nf->wo);
    free(nf->wl);
    free(nf->wsid);
    free(nf->warena);
    free(nf->ob);
    free(nf->body);
    free(nf->ocode);
    free(nf->tk);
    free(nf->pk);
    free(nf);
    return wrote;
}
