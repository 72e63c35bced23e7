/* run_notes_read.c — the notes an earlier run kept, walked record by
 * record (run_notes_int.h). */
#include "run/run_notes_int.h"
#include "core/grow.h"
#include "core/varint.h"
#include "stats/text/text.h"

#include <stdlib.h>
#include <string.h>

/* At least NEED bytes at ib + ipos: 0, or -1 (the file ends, or fails). */
int nf_in_fill(notes_file *nf, size_t need)
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
void nf_peek(notes_file *nf)
{
    if (!nf->in_ok || nf->have_next) return;
    uint32_t blen;
    uint64_t h;
    if (nf_in_fill(nf, 4) != 0) goto end;
    memcpy(&blen, nf->ib + nf->ipos, 4);
    if (blen < 37 || blen > NF_BODY_MAX || nf_in_fill(nf, 4 + (size_t)blen + 8) != 0) goto end;
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
uint32_t nf_word_sid(notes_file *nf, size_t c)
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
        char *a = grow_array(nf->warena, &nf->wacap, nf->walen + len, 1, 65536, UINT32_MAX, 0);
        if (!a) return -1;
        nf->warena = a;
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
int nf_consume(notes_file *nf, verb_flag *f)
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
            if (t.word) t.sid = nf_word_sid(nf, t.word);
            else if (code) t.sid = nf_word_sid(nf, nf->wn);
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
