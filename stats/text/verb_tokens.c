/* verb_tokens.c — a comment's tokens in a verbatim accumulator: read
 * (tokenised, interned, its language found), packed for another
 * accumulator (verb_flag.toks: the chunk workers read, the verbatim thread
 * counts), and unpacked there without tokenising again (verb_int.h).
 */
#include "stats/text/verb_int.h"

#include <stdlib.h>
#include <string.h>

/* Room in a->sids and a->stopbits for the tokens in a->tt.  -1 OOM. */
static int sids_room(verb_acc *a)
{
    size_t cap = a->sids_cap;
    if (verb_grow((void **)&a->sids, &a->sids_cap, a->tt.n + 1, sizeof *a->sids) != 0) return -1;
    if (!a->stopbits || a->sids_cap != cap) {
        unsigned char *sb = realloc(a->stopbits, a->sids_cap);
        if (!sb) return -1;
        a->stopbits = sb;
    }
    return 0;
}

static void set_sid(verb_acc *a, size_t i, uint32_t sid)
{
    a->sids[i] = sid;
    a->stopbits[i] = sid == VOCAB_NONE ? 0 : a->si[sid].stop | a->si[sid].hint;
}

/* a->sids and a->stopbits of the tokens in a->tt, whose bytes are at
 * BASE + off (a->tt.buf, or packed tokens). */
static int intern_tokens(verb_acc *a, const char *base)
{
    if (sids_room(a) != 0) return -1;
    for (size_t i = 0; i < a->tt.n; i++)
        set_sid(a, i, verb_surf_intern(a, base + a->tt.t[i].off, a->tt.t[i].len));
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
 * uint32 count N, N uint32 words (length << 1 | brk), N uint32 surface
 * ids (a->sids), then the tokens' bytes one after another. */
int verb_pack_tokens(verb_acc *a, verb_flag *flag)
{
    uint32_t n = (uint32_t)a->tt.n;
    size_t need = sizeof n * (1 + 2 * (size_t)n);
    for (size_t i = 0; i < a->tt.n; i++) need += a->tt.t[i].len;
    if (verb_grow((void **)&a->packed, &a->packed_cap, need, 1) != 0) return -1;
    char *p = a->packed, *bytes = p + sizeof n * (1 + 2 * (size_t)n);
    memcpy(p, &n, sizeof n);
    memcpy(p + sizeof n * (1 + (size_t)n), a->sids, sizeof n * (size_t)n);
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

/* Our surface id of token I, whose id in the vocabulary of packing
 * accumulator O (0-based) is THEIRS: from the map when met before, else
 * looked up by its bytes at BASE + off (and remembered). */
static uint32_t mapped_sid(verb_acc *a, size_t o, uint32_t theirs, const char *base, size_t i)
{
    if (theirs < a->origin_cap[o] && a->origin_sid[o][theirs] != VOCAB_NONE) return a->origin_sid[o][theirs];
    uint32_t sid = verb_surf_intern(a, base + a->tt.t[i].off, a->tt.t[i].len);
    if (sid == VOCAB_NONE) return sid; /* a full table: looked up again next time, as before */
    if (theirs >= a->origin_cap[o]) {
        size_t cap = a->origin_cap[o];
        if (verb_grow((void **)&a->origin_sid[o], &a->origin_cap[o], (size_t)theirs + 1, sizeof(uint32_t)) !=
            0)
            return sid; /* not remembered: found by its bytes again */
        for (size_t k = cap; k < a->origin_cap[o]; k++) a->origin_sid[o][k] = VOCAB_NONE;
    }
    a->origin_sid[o][theirs] = sid;
    return sid;
}

/* Packed tokens P (LEN bytes, verb_pack_tokens) into a->tt's token list and
 * a->sids, as read_comment would have left them (the bytes stay in P).
 * FROM (1..VERB_ORIGINS) names the packing accumulator, whose surface ids
 * map to ours; 0: each token looked up by its bytes.
 * -1 out of memory or not packed tokens. */
int verb_unpack_tokens(verb_acc *a, const char *p, size_t len, unsigned from)
{
    uint32_t n;
    if (len < sizeof n) return -1;
    memcpy(&n, p, sizeof n);
    if ((len - sizeof n) / (2 * sizeof n) < n) return -1;
    size_t head = sizeof n * (1 + 2 * (size_t)n), off = head;
    const char *theirs = p + sizeof n * (1 + (size_t)n);
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
    if (from < 1 || from > VERB_ORIGINS) return intern_tokens(a, p);
    if (sids_room(a) != 0) return -1;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t;
        memcpy(&t, theirs + sizeof t * (size_t)i, sizeof t);
        set_sid(a, i,
                t == VOCAB_NONE ? verb_surf_intern(a, p + tt->t[i].off, tt->t[i].len)
                                : mapped_sid(a, from - 1, t, p, i));
    }
    return 0;
}

uint32_t verb_word_id(verb_acc *a, const char *s, size_t len) { return verb_surf_intern(a, s, len); }
