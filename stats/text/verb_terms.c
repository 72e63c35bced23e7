/* verb_terms.c — the verbatim accumulator's terms: the current comment's
 * unigrams, bigrams and negated stems collected once (verb_collect_terms)
 * and counted per scope, language and NPS class, with an example record a
 * term (verb_count_terms, verb_current_example); whether a comment
 * mentions a theme (verb_mentions).  The streaming part that calls them:
 * verbatims.c. */
#include "stats/text/verb_int.h"
#include "core/xsort.h"

#include <stdlib.h>
#include <string.h>

#define QUOTE_MAX 200

/* Example record of the current response (added the first time one is
 * needed): its id and its comment masked and cut.  0 when out of memory. */
uint32_t verb_current_example(verb_acc *a)
{
    if (a->cur_ex) return a->cur_ex;
    const cx_response *r = a->cur;
    size_t ml;
    char *m = text_mask(r->comment, strlen(r->comment), &ml);
    if (!m) return 0;
    size_t cut = ml;
    if (cut > QUOTE_MAX) {
        cut = QUOTE_MAX;
        while (cut > 0 && ((unsigned char)m[cut] & 0xC0) == 0x80) cut--; /* a whole code point */
    }
    size_t idl = strlen(r->response_id), need = idl + 1 + cut + 4 + 1;
    if (verb_grow((void **)&a->ex_arena, &a->ex_cap, a->ex_len + need, 1) != 0 ||
        verb_grow((void **)&a->ex_off, &a->ex_ocap, a->n_ex + 1, sizeof *a->ex_off) != 0 ||
        a->ex_len + need > UINT32_MAX) {
        free(m);
        return 0;
    }
    char *p = a->ex_arena + a->ex_len;
    memcpy(p, r->response_id, idl + 1);
    memcpy(p + idl + 1, m, cut);
    size_t k = idl + 1 + cut;
    if (cut < ml) {
        memcpy(p + k, "\xE2\x80\xA6", 3);
        k += 3;
    } /* … */
    p[k] = '\0';
    free(m);
    a->ex_off[a->n_ex++] = (uint32_t)a->ex_len;
    a->ex_len += k + 1;
    a->cur_ex = (uint32_t)a->n_ex;
    return a->cur_ex;
}

static uint32_t term_id(verb_acc *a, text_lang l, uint32_t s1, uint32_t s2)
{
    uint64_t key = ((uint64_t)l << 62) | ((uint64_t)s1 << 31) | s2;
    uint32_t id = u64map_get(&a->terms, key);
    if (id != VOCAB_NONE || a->n_terms >= a->o.max_terms) return id;
    if (verb_grow((void **)&a->tm, &a->tm_cap, a->n_terms + 1, sizeof *a->tm) != 0) return VOCAB_NONE;
    id = (uint32_t)a->n_terms;
    if (u64map_put(&a->terms, key, id) != 0) return VOCAB_NONE;
    a->tm[id].a = s1;
    a->tm[id].b = s2;
    a->tm[id].lang = (uint8_t)l;
    a->tm[id].count_all = VOCAB_NONE;
    a->n_terms++;
    return id;
}

/* The one-word term of stem S (of language L), kept with the stem. */
static uint32_t uni_term(verb_acc *a, text_lang l, uint32_t s)
{
    uint32_t id = a->st[s].uni;
    if (id == VOCAB_NONE && (id = term_id(a, l, s, VERB_UNIGRAM)) != VOCAB_NONE) a->st[s].uni = id;
    return id;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static int push_cterm(verb_acc *a, uint32_t t)
{
    if (t == VOCAB_NONE) {
        a->dropped++;
        return 0;
    }
    if (verb_grow((void **)&a->cterms, &a->cterms_cap, a->n_cterms + 1, sizeof *a->cterms) != 0) return -1;
    a->cterms[a->n_cterms++] = t;
    return 0;
}

/* The negated form of stem S ("not happy", "no funciona" are other
 * themes than "happy", "funciona"). */
static uint32_t negated_stem(verb_acc *a, text_lang l, uint32_t s)
{
    if (a->st[s].neg != VOCAB_NONE) return a->st[s].neg;
    char key[260];
    size_t n = a->stems.len[s];
    if (n + 1 >= sizeof key) return VOCAB_NONE;
    key[0] = '\x01'; /* cannot occur in a word */
    memcpy(key + 1, strtab_str(&a->stems, s), n);
    uint32_t id = verb_stem_intern(a, l, key, n + 1);
    if (id == VOCAB_NONE) return id;
    a->st[id].neg_of = s;
    a->st[s].neg = id;
    return id;
}

/* The comment's distinct terms (content words and pairs of adjacent
 * content words within a phrase) into a->cterms.  The first content word
 * within three tokens after a negator is the negated word. */
int verb_collect_terms(verb_acc *a, text_lang l)
{
    a->n_cterms = 0;
    uint8_t bit = l == TEXT_EN ? TEXT_STOP_EN : TEXT_STOP_ES;
    uint32_t prev = VOCAB_NONE;
    int neg_left = 0;
    for (size_t i = 0; i < a->tt.n; i++) {
        uint32_t sid = a->sids[i];
        if (a->tt.t[i].brk) {
            prev = VOCAB_NONE;
            neg_left = 0;
        }
        if (sid == VOCAB_NONE) {
            prev = VOCAB_NONE;
            continue;
        }
        if (a->si[sid].negator & bit) {
            neg_left = 4;
            continue;
        }
        if ((a->si[sid].stop & bit) || a->tt.t[i].len < 2) {
            if (neg_left) neg_left--;
            continue;
        }
        uint32_t s = verb_stem_of(a, sid, l);
        if (s == VOCAB_NONE) {
            prev = VOCAB_NONE;
            a->dropped++;
            continue;
        }
        surf_info *si = &a->si[sid];
        if (si->count < UINT32_MAX) si->count++;
        stem_info *st = &a->st[s];
        if (st->best_surf == sid) st->best_count = si->count;
        else if (si->count > st->best_count) {
            st->best_surf = sid;
            st->best_count = si->count;
        }
        if (neg_left) {
            neg_left = 0;
            s = negated_stem(a, l, s);
            if (s == VOCAB_NONE) {
                prev = VOCAB_NONE;
                a->dropped++;
                continue;
            }
        }
        if (push_cterm(a, uni_term(a, l, s)) != 0) return -1;
        if (prev != VOCAB_NONE && push_cterm(a, term_id(a, l, prev, s)) != 0) return -1;
        prev = s;
    }
    if (a->n_cterms <= 32) { /* the usual comment: insertion sort, no call per comparison */
        for (size_t i = 1; i < a->n_cterms; i++) {
            uint32_t t = a->cterms[i];
            size_t j = i;
            while (j > 0 && a->cterms[j - 1] > t) {
                a->cterms[j] = a->cterms[j - 1];
                j--;
            }
            a->cterms[j] = t;
        }
    } else {
        cx_qsort(a->cterms, a->n_cterms, sizeof *a->cterms, cmp_u32);
    }
    size_t k = 0;
    for (size_t i = 0; i < a->n_cterms; i++)
        if (k == 0 || a->cterms[i] != a->cterms[k - 1]) a->cterms[k++] = a->cterms[i];
    a->n_cterms = k;
    return 0;
}

/* Counter ID of TERM in the dense scope S (0 < S < VERB_DENSE_SCOPES)
 * remembered.  -1 out of memory. */
static int dense_put(verb_acc *a, uint32_t s, uint32_t term, uint32_t id)
{
    if (term >= a->dense_cap[s]) {
        size_t cap = a->dense_cap[s];
        if (verb_grow((void **)&a->dense[s], &a->dense_cap[s], (size_t)term + 1, sizeof *a->dense[s]) != 0)
            return -1;
        for (size_t i = cap; i < a->dense_cap[s]; i++) a->dense[s][i] = VOCAB_NONE;
    }
    a->dense[s][term] = id;
    return 0;
}

/* The counter of TERM in SCOPE (created when new and there is room); the
 * one of scope "all" (id 0), which every comment counts in, is kept with
 * the term, those of the next few scopes in an array by term.  NULL when
 * full or out of memory. */
static term_count *count_of(verb_acc *a, uint32_t scope, uint32_t term)
{
    if (scope == 0 && a->tm[term].count_all != VOCAB_NONE) return &a->cn[a->tm[term].count_all];
    int dense = scope > 0 && scope < VERB_DENSE_SCOPES;
    if (dense && term < a->dense_cap[scope] && a->dense[scope][term] != VOCAB_NONE)
        return &a->cn[a->dense[scope][term]];
    uint64_t key = ((uint64_t)scope << 32) | term;
    uint32_t id = u64map_get(&a->counts, key);
    if (id != VOCAB_NONE) {
        if (scope == 0) a->tm[term].count_all = id;
        if (dense && dense_put(a, scope, term, id) != 0) return NULL;
        return &a->cn[id];
    }
    if (a->n_cn >= 4 * a->o.max_terms) return NULL;
    if (verb_grow((void **)&a->cn, &a->cn_cap, a->n_cn + 1, sizeof *a->cn) != 0) return NULL;
    id = (uint32_t)a->n_cn;
    if (u64map_put(&a->counts, key, id) != 0) return NULL;
    if (scope == 0) a->tm[term].count_all = id;
    if (dense && dense_put(a, scope, term, id) != 0) return NULL;
    term_count *c = &a->cn[a->n_cn++];
    memset(c, 0, sizeof *c);
    c->scope = scope;
    c->term = term;
    return c;
}

int verb_count_terms(verb_acc *a, int in_scope, int cls)
{
    for (size_t s = 0; s < a->n_cur_scopes; s++)
        for (size_t i = 0; i < a->n_cterms; i++) {
            term_count *c = count_of(a, a->cur_scopes[s], a->cterms[i]);
            if (!c) {
                a->dropped++;
                continue;
            }
            if (!in_scope) {
                c->prev++;
                continue;
            }
            c->n[cls + 1]++;
            if (cls == 0) continue;
            uint32_t *ex = c->ex[cls > 0];
            for (int k = 0; k < VERB_EXAMPLES; k++)
                if (!ex[k]) {
                    uint32_t e = verb_current_example(a);
                    if (!e) return -1;
                    ex[k] = e;
                    break;
                }
        }
    return 0;
}

int verb_mentions(verb_acc *a, const char *comment, const char *theme, text_lang *lang)
{
    text_lang l;
    *lang = TEXT_UND;
    if (verb_read_comment(a, comment, &l) != 0) return 0;
    *lang = l;
    if (l == TEXT_UND || verb_collect_terms(a, l) != 0) return 0;
    text_toks tt = {0};
    int found = 0, neg = 0;
    uint8_t bit = l == TEXT_EN ? TEXT_STOP_EN : TEXT_STOP_ES;
    uint32_t s[2] = {VOCAB_NONE, VERB_UNIGRAM};
    size_t k = 0;
    if (text_tokenize(&tt, theme, strlen(theme)) != 0 || tt.n == 0 || tt.n > 4) goto out;
    /* as theme_text writes it: words, each maybe after "not" / "no" */
    for (size_t i = 0; i < tt.n; i++) {
        uint32_t sid = strtab_find(&a->surf, tt.buf + tt.t[i].off, tt.t[i].len, 0);
        if (sid == VOCAB_NONE) goto out;
        if (a->si[sid].negator & bit) {
            neg = 1;
            continue;
        }
        if (k == 2 || (s[k] = verb_stem_of(a, sid, l)) == VOCAB_NONE) goto out;
        if (neg && (s[k] = negated_stem(a, l, s[k])) == VOCAB_NONE) goto out;
        neg = 0;
        k++;
    }
    if (k == 0) goto out;
    uint32_t t = u64map_get(&a->terms, ((uint64_t)l << 62) | ((uint64_t)s[0] << 31) | s[1]);
    for (size_t i = 0; t != VOCAB_NONE && i < a->n_cterms; i++)
        if (a->cterms[i] == t) found = 1;
out:
    text_toks_free(&tt);
    return found;
}
