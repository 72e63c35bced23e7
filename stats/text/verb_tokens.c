/* verb_tokens.c — a comment's tokens in a verbatim accumulator: read
 * (tokenised, interned, its language found), packed for another
 * accumulator (verb_flag.toks: the chunk workers read, the verbatim thread
 * counts), and unpacked there without tokenising again (verb_int.h).
 */
#include "stats/text/verb_int.h"

#include <stdlib.h>
#include <string.h>

/* a->sids and a->stopbits of the tokens in a->tt, whose bytes are at
 * BASE + off (a->tt.buf, or packed tokens). */
static int intern_tokens(verb_acc *a, const char *base)
{
    size_t cap = a->sids_cap;
    if (verb_grow((void **)&a->sids, &a->sids_cap, a->tt.n + 1, sizeof *a->sids) != 0) return -1;
    if (!a->stopbits || a->sids_cap != cap) {
        unsigned char *sb = realloc(a->stopbits, a->sids_cap);
        if (!sb) return -1;
        a->stopbits = sb;
    }
    for (size_t i = 0; i < a->tt.n; i++) {
        uint32_t sid = verb_surf_intern(a, base + a->tt.t[i].off, a->tt.t[i].len);
        a->sids[i] = sid;
        a->stopbits[i] = sid == VOCAB_NONE ? 0 : a->si[sid].stop | a->si[sid].hint;
    }
    return 0;
}

/* Tokenises COMMENT into a->tt and a->sids and finds its language. */
int verb_read_comment(verb_acc *a, const char *comment, text_lang *lang)
{
    if (text_tokenize(&a->tt, comment, strlen(comment)) != 0 || intern_tokens(a, a->tt.buf) != 0) return -1;
    *lang = text_detect(&a->tt, a->stopbits);
    return 0;
}

/* The tokens of a->tt packed into a->packed for FLAG (verbatims.h): a
 * uint32 count N, N uint32 words (length << 1 | brk), then the tokens'
 * bytes one after another. */
int verb_pack_tokens(verb_acc *a, verb_flag *flag)
{
    uint32_t n = (uint32_t)a->tt.n;
    size_t need = sizeof n * (1 + (size_t)n);
    for (size_t i = 0; i < a->tt.n; i++) need += a->tt.t[i].len;
    if (verb_grow((void **)&a->packed, &a->packed_cap, need, 1) != 0) return -1;
    char *p = a->packed, *bytes = p + sizeof n * (1 + (size_t)n);
    memcpy(p, &n, sizeof n);
    for (size_t i = 0; i < a->tt.n; i++) {
        uint32_t w = a->tt.t[i].len << 1 | (a->tt.t[i].brk ? 1u : 0u);
        memcpy(p + sizeof n * (1 + i), &w, sizeof w);
        memcpy(bytes, a->tt.buf + a->tt.t[i].off, a->tt.t[i].len);
        bytes += a->tt.t[i].len;
    }
    flag->toks = a->packed;
    flag->toks_len = need;
    return 0;
}

/* Packed tokens P (LEN bytes, verb_pack_tokens) into a->tt's token list and
 * a->sids, as read_comment would have left them (the bytes stay in P).
 * -1 out of memory or not packed tokens. */
int verb_unpack_tokens(verb_acc *a, const char *p, size_t len)
{
    uint32_t n;
    if (len < sizeof n) return -1;
    memcpy(&n, p, sizeof n);
    if ((len - sizeof n) / sizeof n < n) return -1;
    size_t head = sizeof n * (1 + (size_t)n), off = head;
    text_toks *tt = &a->tt;
    if (n > tt->tcap) {
        text_tok *t = realloc(tt->t, n * sizeof *t);
        if (!t) return -1;
        tt->t = t;
        tt->tcap = n;
    }
    tt->n = n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t w;
        memcpy(&w, p + sizeof n * (1 + (size_t)i), sizeof w);
        if ((w >> 1) > len - off) return -1;
        tt->t[i].off = (uint32_t)off;
        tt->t[i].len = w >> 1;
        tt->t[i].brk = (uint8_t)(w & 1);
        off += w >> 1;
    }
    return intern_tokens(a, p);
}
