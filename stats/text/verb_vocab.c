/* verb_vocab.c — the verbatim accumulator's vocabulary: its life
 * (verb_new, verb_free), the lexicons entered into it, and the interning
 * of surface words, stems and scopes that the streaming part
 * (verbatims.c) and the charge (charge.c) look words up in.
 */
#include "stats/text/verb_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int verb_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * size);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Surface id of S, interned with its lexicon-free defaults when new. */
uint32_t verb_surf_intern(verb_acc *a, const char *s, size_t len)
{
    size_t before = a->surf.n;
    if (a->surf_limit && a->surf.n >= a->surf_limit) return strtab_find(&a->surf, s, len, 0);
    uint32_t id = strtab_intern(&a->surf, s, len, 0);
    if (id == VOCAB_NONE || a->surf.n == before) return id;
    if (verb_grow((void **)&a->si, &a->si_cap, a->surf.n, sizeof *a->si) != 0) return VOCAB_NONE;
    surf_info *si = &a->si[id];
    memset(si, 0, sizeof *si);
    for (int l = 0; l < TEXT_NLANG; l++) {
        si->stem[l] = VOCAB_NONE;
        si->lex[l] = -1;
    }
    return id;
}

uint32_t verb_stem_intern(verb_acc *a, text_lang l, const char *s, size_t len)
{
    size_t before = a->stems.n;
    uint32_t id = strtab_find(&a->stems, s, len, (unsigned)l);
    if (id != VOCAB_NONE) return id;
    if (a->stem_limit && a->stems.n >= a->stem_limit) return VOCAB_NONE; /* typos without end */
    id = strtab_intern(&a->stems, s, len, (unsigned)l);
    if (id == VOCAB_NONE || a->stems.n == before) return id;
    if (verb_grow((void **)&a->st, &a->st_cap, a->stems.n, sizeof *a->st) != 0) return VOCAB_NONE;
    a->st[id].best_surf = VOCAB_NONE;
    a->st[id].best_count = 0;
    a->st[id].lex = -1;
    a->st[id].phrase_head = 0;
    a->st[id].neg = VOCAB_NONE;
    a->st[id].neg_of = VOCAB_NONE;
    a->st[id].uni = VOCAB_NONE;
    return id;
}

uint32_t verb_stem_of(verb_acc *a, uint32_t sid, text_lang l)
{
    surf_info *si = &a->si[sid];
    if (si->stem[l] != VOCAB_NONE) return si->stem[l];
    size_t n;
    const char *st = text_stem(a->stemmer, l, strtab_str(&a->surf, sid), a->surf.len[sid], &n);
    if (!st) return VOCAB_NONE;
    uint32_t id = verb_stem_intern(a, l, st, n);
    a->si[sid].stem[l] = id; /* a->si is not moved by stem interning */
    return id;
}

uint64_t verb_phrase_key(text_lang l, const uint32_t *stems, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL * (uint64_t)(l + 1) + n;
    for (size_t i = 0; i < n; i++) {
        h ^= stems[i] + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
        h *= 0xff51afd7ed558ccdULL;
    }
    return h;
}

/* Enters lexicon entry I of language L into the vocabulary. */
static int install_entry(verb_acc *a, text_lang l, size_t i, char *err, size_t errlen)
{
    const lex_entry *e = &a->lex[l].e[i];
    uint8_t bit = l == TEXT_EN ? TEXT_STOP_EN : TEXT_STOP_ES;
    if (e->kind != LEX_CHARGED) {
        /* single words, matched as written and without accents */
        char plain[256];
        size_t n = strlen(e->term);
        if (n >= sizeof plain) goto toolong;
        for (int pass = 0; pass < 2; pass++) {
            const char *w = e->term;
            if (pass == 1) {
                n = text_strip_accents(e->term, plain, 0);
                w = plain;
            }
            uint32_t sid = verb_surf_intern(a, w, n);
            if (sid == VOCAB_NONE) goto oom;
            if (e->kind == LEX_COMMON) {
                a->si[sid].hint |= bit;
                continue;
            }
            a->si[sid].stop |= bit; /* negators and intensifiers are function words too */
            if (e->kind == LEX_NEGATOR) a->si[sid].negator |= bit;
            if (e->kind == LEX_INTENSIFIER) a->si[sid].intens[l] = e->weight;
        }
        return 0;
    }
    /* charged: the stems of its words */
    text_toks tt = {0};
    if (text_tokenize(&tt, e->term, strlen(e->term)) != 0) goto oom;
    if (tt.n == 0 || tt.n > VERB_PHRASE_MAX) {
        text_toks_free(&tt);
        snprintf(err, errlen, "lexicon_%s.tsv:%u: a charged term needs 1-%d words", text_lang_code(l),
                 e->line, VERB_PHRASE_MAX);
        return -1;
    }
    uint32_t stems[VERB_PHRASE_MAX];
    for (size_t k = 0; k < tt.n; k++) {
        uint32_t sid = verb_surf_intern(a, tt.buf + tt.t[k].off, tt.t[k].len);
        stems[k] = sid == VOCAB_NONE ? VOCAB_NONE : verb_stem_of(a, sid, l);
        if (stems[k] == VOCAB_NONE) {
            text_toks_free(&tt);
            goto oom;
        }
    }
    if (tt.n == 1) {
        /* "thankful" and "thank" share a stem: the word as written decides,
         * the stem only for forms the lexicon does not list */
        uint32_t sid = strtab_find(&a->surf, tt.buf, tt.t[0].len, 0);
        a->si[sid].lex[l] = (int32_t)i;
        a->si[sid].hint |= bit;
        char plain[256];
        if (tt.t[0].len < sizeof plain) { /* written without accents, still a hint */
            uint32_t p2 = verb_surf_intern(a, plain, text_strip_accents(tt.buf, plain, 0));
            if (p2 == VOCAB_NONE) {
                text_toks_free(&tt);
                goto oom;
            }
            a->si[p2].hint |= bit;
        }
        if (a->st[stems[0]].lex < 0) a->st[stems[0]].lex = (int32_t)i;
    } else {
        a->st[stems[0]].phrase_head |= (uint8_t)(1u << tt.n);
        if (u64map_put(&a->phrase, verb_phrase_key(l, stems, tt.n), (uint32_t)i) != 0) {
            text_toks_free(&tt);
            goto oom;
        }
    }
    text_toks_free(&tt);
    return 0;
toolong:
    snprintf(err, errlen, "lexicon_%s.tsv:%u: term too long", text_lang_code(l), e->line);
    return -1;
oom:
    snprintf(err, errlen, "verbatims: out of memory");
    return -1;
}

uint32_t verb_scope_intern(verb_acc *a, const char *s, size_t len)
{
    size_t before = a->scopes.n;
    uint32_t id = strtab_find(&a->scopes, s, len, 0);
    if (id != VOCAB_NONE) return id;
    if (a->scopes.n >= VERB_MAX_SCOPES) return VOCAB_NONE;
    id = strtab_intern(&a->scopes, s, len, 0);
    if (id == VOCAB_NONE || a->scopes.n == before) return id;
    if (verb_grow((void **)&a->scope_all, &a->scope_cap, a->scopes.n, sizeof *a->scope_all) != 0 ||
        verb_grow((void **)&a->scope_lang, &a->scope_lang_cap, a->scopes.n * TEXT_NLANG,
                  sizeof *a->scope_lang) != 0)
        return VOCAB_NONE;
    memset(&a->scope_all[id], 0, sizeof *a->scope_all);
    memset(&a->scope_lang[id * TEXT_NLANG], 0, TEXT_NLANG * sizeof *a->scope_lang);
    return id;
}

verb_acc *verb_new(const verb_opts *o, char *err, size_t errlen)
{
    verb_acc *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "verbatims: out of memory");
        return NULL;
    }
    a->o = *o;
    if (!a->o.max_terms) a->o.max_terms = VERB_DEFAULT_MAX_TERMS;
    if (!a->o.top) a->o.top = VERB_DEFAULT_TOP;
    if (!(a->o.mot_threshold > 0)) a->o.mot_threshold = VERB_MOT_THRESHOLD;
    if (!(a->o.min_g2 > 0)) a->o.min_g2 = 10.83;
    if (!a->o.min_mentions) a->o.min_mentions = 5;
    if (o->so && o->so->month) a->prev_month = o->so->month - 1; /* month keys count months */
    a->res.month = o->so ? o->so->month : 0;
    a->stemmer = text_stemmer_new();
    if (!a->stemmer) {
        snprintf(err, errlen, "verbatims: out of memory");
        verb_free(a);
        return NULL;
    }
    for (int l = TEXT_EN; l <= TEXT_ES; l++) {
        if (lexicon_load(&a->lex[l], (text_lang)l, err, errlen) != 0) {
            verb_free(a);
            return NULL;
        }
        for (size_t i = 0; i < a->lex[l].n; i++)
            if (install_entry(a, (text_lang)l, i, err, errlen) != 0) {
                verb_free(a);
                return NULL;
            }
    }
    a->surf_limit = a->surf.n + 4 * a->o.max_terms;
    a->stem_limit = a->stems.n + 4 * a->o.max_terms;
    if (verb_scope_intern(a, "all", 3) != 0) {
        snprintf(err, errlen, "verbatims: out of memory");
        verb_free(a);
        return NULL;
    }
    return a;
}

void verb_free(verb_acc *a)
{
    if (!a) return;
    text_stemmer_free(a->stemmer);
    for (int l = 0; l < TEXT_NLANG; l++) lexicon_free(&a->lex[l]);
    text_toks_free(&a->tt);
    free(a->sids);
    free(a->packed);
    free(a->stopbits);
    free(a->cterms);
    for (size_t i = 0; i < VERB_ORIGINS; i++) free(a->origin_sid[i]);
    strtab_free(&a->surf);
    free(a->si);
    strtab_free(&a->stems);
    free(a->st);
    u64map_free(&a->phrase);
    u64map_free(&a->terms);
    free(a->tm);
    u64map_free(&a->counts);
    free(a->cn);
    for (size_t i = 0; i < VERB_DENSE_SCOPES; i++) free(a->dense[i]);
    strtab_free(&a->scopes);
    free(a->scope_all);
    free(a->scope_lang);
    free(a->ex_arena);
    free(a->ex_off);
    for (size_t i = 0; i < a->res.n_themes; i++) free((char *)a->res.themes[i].theme);
    for (size_t i = 0; i < a->res.n_mot_ex; i++) {
        free(a->res.mot_ex[i].response_id);
        free(a->res.mot_ex[i].text);
        free(a->res.mot_ex[i].interaction_type);
    }
    free(a->res.themes);
    free(a);
}
