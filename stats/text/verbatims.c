/* verbatims.c — the verbatim accumulator: lexicons into the vocabulary,
 * then each response's comment tokenised once, its language found, its
 * charge measured (charge.c) and its terms counted per scope (verbatims.h).
 */
#include "stats/text/verb_int.h"
#include "core/xsort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/timeparse.h"

#define QUOTE_MAX 200

static int grow(void **p, size_t *cap, size_t need, size_t size)
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
static uint32_t surf_intern(verb_acc *a, const char *s, size_t len)
{
    size_t before = a->surf.n;
    if (a->surf_limit && a->surf.n >= a->surf_limit) return strtab_find(&a->surf, s, len, 0);
    uint32_t id = strtab_intern(&a->surf, s, len, 0);
    if (id == VOCAB_NONE || a->surf.n == before) return id;
    if (grow((void **)&a->si, &a->si_cap, a->surf.n, sizeof *a->si) != 0) return VOCAB_NONE;
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
    if (a->stem_limit && a->stems.n >= a->stem_limit) return VOCAB_NONE;   /* typos without end */
    id = strtab_intern(&a->stems, s, len, (unsigned)l);
    if (id == VOCAB_NONE || a->stems.n == before) return id;
    if (grow((void **)&a->st, &a->st_cap, a->stems.n, sizeof *a->st) != 0) return VOCAB_NONE;
    a->st[id].best_surf = VOCAB_NONE;
    a->st[id].best_count = 0;
    a->st[id].lex = -1;
    a->st[id].phrase_head = 0;
    a->st[id].neg = VOCAB_NONE;
    a->st[id].neg_of = VOCAB_NONE;
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
    a->si[sid].stem[l] = id;   /* a->si is not moved by stem interning */
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
            if (pass == 1) { n = text_strip_accents(e->term, plain, 0); w = plain; }
            uint32_t sid = surf_intern(a, w, n);
            if (sid == VOCAB_NONE) goto oom;
            if (e->kind == LEX_COMMON) { a->si[sid].hint |= bit; continue; }
            a->si[sid].stop |= bit;   /* negators and intensifiers are function words too */
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
        uint32_t sid = surf_intern(a, tt.buf + tt.t[k].off, tt.t[k].len);
        stems[k] = sid == VOCAB_NONE ? VOCAB_NONE : verb_stem_of(a, sid, l);
        if (stems[k] == VOCAB_NONE) { text_toks_free(&tt); goto oom; }
    }
    if (tt.n == 1) {
        /* "thankful" and "thank" share a stem: the word as written decides,
         * the stem only for forms the lexicon does not list */
        uint32_t sid = strtab_find(&a->surf, tt.buf, tt.t[0].len, 0);
        a->si[sid].lex[l] = (int32_t)i;
        a->si[sid].hint |= bit;
        char plain[256];
        if (tt.t[0].len < sizeof plain) {   /* written without accents, still a hint */
            uint32_t p2 = surf_intern(a, plain, text_strip_accents(tt.buf, plain, 0));
            if (p2 == VOCAB_NONE) { text_toks_free(&tt); goto oom; }
            a->si[p2].hint |= bit;
        }
        if (a->st[stems[0]].lex < 0) a->st[stems[0]].lex = (int32_t)i;
    }
    else {
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

static uint32_t scope_intern(verb_acc *a, const char *s, size_t len)
{
    size_t before = a->scopes.n;
    uint32_t id = strtab_find(&a->scopes, s, len, 0);
    if (id != VOCAB_NONE) return id;
    if (a->scopes.n >= VERB_MAX_SCOPES) return VOCAB_NONE;
    id = strtab_intern(&a->scopes, s, len, 0);
    if (id == VOCAB_NONE || a->scopes.n == before) return id;
    if (grow((void **)&a->scope_all, &a->scope_cap, a->scopes.n, sizeof *a->scope_all) != 0 ||
        grow((void **)&a->scope_lang, &a->scope_lang_cap, a->scopes.n * TEXT_NLANG, sizeof *a->scope_lang) != 0)
        return VOCAB_NONE;
    memset(&a->scope_all[id], 0, sizeof *a->scope_all);
    memset(&a->scope_lang[id * TEXT_NLANG], 0, TEXT_NLANG * sizeof *a->scope_lang);
    return id;
}

verb_acc *verb_new(const verb_opts *o, char *err, size_t errlen)
{
    verb_acc *a = calloc(1, sizeof *a);
    if (!a) { snprintf(err, errlen, "verbatims: out of memory"); return NULL; }
    a->o = *o;
    if (!a->o.max_terms) a->o.max_terms = VERB_DEFAULT_MAX_TERMS;
    if (!a->o.top) a->o.top = VERB_DEFAULT_TOP;
    if (!(a->o.mot_threshold > 0)) a->o.mot_threshold = VERB_MOT_THRESHOLD;
    if (!(a->o.min_g2 > 0)) a->o.min_g2 = 10.83;
    if (!a->o.min_mentions) a->o.min_mentions = 5;
    if (o->so && o->so->month) a->prev_month = o->so->month - 1;   /* month keys count months */
    a->res.month = o->so ? o->so->month : 0;
    a->stemmer = text_stemmer_new();
    if (!a->stemmer) { snprintf(err, errlen, "verbatims: out of memory"); verb_free(a); return NULL; }
    for (int l = TEXT_EN; l <= TEXT_ES; l++) {
        if (lexicon_load(&a->lex[l], (text_lang)l, err, errlen) != 0) { verb_free(a); return NULL; }
        for (size_t i = 0; i < a->lex[l].n; i++)
            if (install_entry(a, (text_lang)l, i, err, errlen) != 0) { verb_free(a); return NULL; }
    }
    a->surf_limit = a->surf.n + 4 * a->o.max_terms;
    a->stem_limit = a->stems.n + 4 * a->o.max_terms;
    if (scope_intern(a, "all", 3) != 0) { snprintf(err, errlen, "verbatims: out of memory"); verb_free(a); return NULL; }
    return a;
}

void verb_free(verb_acc *a)
{
    if (!a) return;
    text_stemmer_free(a->stemmer);
    for (int l = 0; l < TEXT_NLANG; l++) lexicon_free(&a->lex[l]);
    text_toks_free(&a->tt);
    free(a->sids);
    free(a->stopbits);
    free(a->cterms);
    strtab_free(&a->surf);
    free(a->si);
    strtab_free(&a->stems);
    free(a->st);
    u64map_free(&a->phrase);
    u64map_free(&a->terms);
    free(a->tm);
    u64map_free(&a->counts);
    free(a->cn);
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

/* The scopes of R: "all", then DIM=VALUE for each --by dimension R has a
 * value for. */
static int find_scopes(verb_acc *a, const cx_response *r, const char *const *seg)
{
    a->n_cur_scopes = 0;
    a->cur_scopes[a->n_cur_scopes++] = 0;
    const stats_opts *so = a->o.so;
    for (size_t i = 0; so && i < so->n_by; i++) {
        const char *v = seg ? seg[i] : cx_response_dim(r, so->by[i]);
        if (!v || !*v) continue;
        char key[512];
        int n = snprintf(key, sizeof key, "%s=%s", so->by[i], v);
        if (n < 0 || (size_t)n >= sizeof key) continue;   /* a segment name that long is left out */
        uint32_t id = scope_intern(a, key, (size_t)n);
        if (id != VOCAB_NONE) a->cur_scopes[a->n_cur_scopes++] = id;
    }
    return 0;
}

/* Example record of the current response (added the first time one is
 * needed): its id and its comment masked and cut.  0 when out of memory. */
static uint32_t current_example(verb_acc *a)
{
    if (a->cur_ex) return a->cur_ex;
    const cx_response *r = a->cur;
    size_t ml;
    char *m = text_mask(r->comment, strlen(r->comment), &ml);
    if (!m) return 0;
    size_t cut = ml;
    if (cut > QUOTE_MAX) {
        cut = QUOTE_MAX;
        while (cut > 0 && ((unsigned char)m[cut] & 0xC0) == 0x80) cut--;   /* a whole code point */
    }
    size_t idl = strlen(r->response_id), need = idl + 1 + cut + 4 + 1;
    if (grow((void **)&a->ex_arena, &a->ex_cap, a->ex_len + need, 1) != 0 ||
        grow((void **)&a->ex_off, &a->ex_ocap, a->n_ex + 1, sizeof *a->ex_off) != 0 ||
        a->ex_len + need > UINT32_MAX) {
        free(m);
        return 0;
    }
    char *p = a->ex_arena + a->ex_len;
    memcpy(p, r->response_id, idl + 1);
    memcpy(p + idl + 1, m, cut);
    size_t k = idl + 1 + cut;
    if (cut < ml) { memcpy(p + k, "\xE2\x80\xA6", 3); k += 3; }   /* … */
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
    if (grow((void **)&a->tm, &a->tm_cap, a->n_terms + 1, sizeof *a->tm) != 0) return VOCAB_NONE;
    id = (uint32_t)a->n_terms;
    if (u64map_put(&a->terms, key, id) != 0) return VOCAB_NONE;
    a->tm[id].a = s1;
    a->tm[id].b = s2;
    a->tm[id].lang = (uint8_t)l;
    a->n_terms++;
    return id;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static int push_cterm(verb_acc *a, uint32_t t)
{
    if (t == VOCAB_NONE) { a->dropped++; return 0; }
    if (grow((void **)&a->cterms, &a->cterms_cap, a->n_cterms + 1, sizeof *a->cterms) != 0) return -1;
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
    key[0] = '\x01';   /* cannot occur in a word */
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
static int collect_terms(verb_acc *a, text_lang l)
{
    a->n_cterms = 0;
    uint8_t bit = l == TEXT_EN ? TEXT_STOP_EN : TEXT_STOP_ES;
    uint32_t prev = VOCAB_NONE;
    int neg_left = 0;
    for (size_t i = 0; i < a->tt.n; i++) {
        uint32_t sid = a->sids[i];
        if (a->tt.t[i].brk) { prev = VOCAB_NONE; neg_left = 0; }
        if (sid == VOCAB_NONE) { prev = VOCAB_NONE; continue; }
        if (a->si[sid].negator & bit) { neg_left = 4; continue; }
        if ((a->si[sid].stop & bit) || a->tt.t[i].len < 2) { if (neg_left) neg_left--; continue; }
        uint32_t s = verb_stem_of(a, sid, l);
        if (s == VOCAB_NONE) { prev = VOCAB_NONE; a->dropped++; continue; }
        surf_info *si = &a->si[sid];
        if (si->count < UINT32_MAX) si->count++;
        stem_info *st = &a->st[s];
        if (st->best_surf == sid) st->best_count = si->count;
        else if (si->count > st->best_count) { st->best_surf = sid; st->best_count = si->count; }
        if (neg_left) {
            neg_left = 0;
            s = negated_stem(a, l, s);
            if (s == VOCAB_NONE) { prev = VOCAB_NONE; a->dropped++; continue; }
        }
        if (push_cterm(a, term_id(a, l, s, VERB_UNIGRAM)) != 0) return -1;
        if (prev != VOCAB_NONE && push_cterm(a, term_id(a, l, prev, s)) != 0) return -1;
        prev = s;
    }
    if (a->n_cterms <= 32) {   /* the usual comment: insertion sort, no call per comparison */
        for (size_t i = 1; i < a->n_cterms; i++) {
            uint32_t t = a->cterms[i];
            size_t j = i;
            while (j > 0 && a->cterms[j - 1] > t) { a->cterms[j] = a->cterms[j - 1]; j--; }
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

static term_count *count_of(verb_acc *a, uint32_t scope, uint32_t term)
{
    uint64_t key = ((uint64_t)scope << 32) | term;
    uint32_t id = u64map_get(&a->counts, key);
    if (id != VOCAB_NONE) return &a->cn[id];
    if (a->n_cn >= 4 * a->o.max_terms) return NULL;
    if (grow((void **)&a->cn, &a->cn_cap, a->n_cn + 1, sizeof *a->cn) != 0) return NULL;
    id = (uint32_t)a->n_cn;
    if (u64map_put(&a->counts, key, id) != 0) return NULL;
    term_count *c = &a->cn[a->n_cn++];
    memset(c, 0, sizeof *c);
    c->scope = scope;
    c->term = term;
    return c;
}

static int count_terms(verb_acc *a, int in_scope, int cls)
{
    for (size_t s = 0; s < a->n_cur_scopes; s++)
        for (size_t i = 0; i < a->n_cterms; i++) {
            term_count *c = count_of(a, a->cur_scopes[s], a->cterms[i]);
            if (!c) { a->dropped++; continue; }
            if (!in_scope) { c->prev++; continue; }
            c->n[cls + 1]++;
            if (cls == 0) continue;
            uint32_t *ex = c->ex[cls > 0];
            for (int k = 0; k < VERB_EXAMPLES; k++)
                if (!ex[k]) {
                    uint32_t e = current_example(a);
                    if (!e) return -1;
                    ex[k] = e;
                    break;
                }
        }
    return 0;
}

/* Tokenises COMMENT into a->tt and a->sids and finds its language. */
static int read_comment(verb_acc *a, const char *comment, text_lang *lang)
{
    if (text_tokenize(&a->tt, comment, strlen(comment)) != 0) return -1;
    if (grow((void **)&a->sids, &a->sids_cap, a->tt.n + 1, sizeof *a->sids) != 0) return -1;
    unsigned char *sb = realloc(a->stopbits, a->sids_cap);
    if (!sb) return -1;
    a->stopbits = sb;
    for (size_t i = 0; i < a->tt.n; i++) {
        uint32_t sid = surf_intern(a, a->tt.buf + a->tt.t[i].off, a->tt.t[i].len);
        a->sids[i] = sid;
        a->stopbits[i] = sid == VOCAB_NONE ? 0 : a->si[sid].stop | a->si[sid].hint;
    }
    *lang = text_detect(&a->tt, a->stopbits);
    return 0;
}

int verb_mentions(verb_acc *a, const char *comment, const char *theme, text_lang *lang)
{
    text_lang l;
    *lang = TEXT_UND;
    if (read_comment(a, comment, &l) != 0) return 0;
    *lang = l;
    if (l == TEXT_UND || collect_terms(a, l) != 0) return 0;
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
        if (a->si[sid].negator & bit) { neg = 1; continue; }
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

/* A flagged comment for the report: id, type, score, charges and the
 * comment masked and cut (as the themes' examples). */
static int keep_mot_example(verb_acc *a, const cx_response *r, const verb_flag *f)
{
    uint32_t e = current_example(a);
    if (!e) return -1;
    const char *id = a->ex_arena + a->ex_off[e - 1];
    verb_mot_example *m = &a->res.mot_ex[a->res.n_mot_ex];
    m->response_id = strdup(id);
    m->text = strdup(id + strlen(id) + 1);
    m->interaction_type = strdup(r->interaction_type);
    m->score = r->score;
    m->charge_neg = f->charge_neg;
    m->charge_pos = f->charge_pos;
    a->res.n_mot_ex++;   /* counted now: verb_free frees what is there */
    return m->response_id && m->text && m->interaction_type ? 0 : -1;
}

static int is_routine(const verb_acc *a, const char *type)
{
    if (!*type) return 1;
    const cx_config *cfg = a->o.so ? a->o.so->cfg : NULL;
    return !cfg || !config_is_mot(cfg, type);
}

int verb_add(verb_acc *a, const cx_response *r, int month, verb_flag *flag)
{
    return verb_add_seg(a, r, month, NULL, flag);
}

/* FLAG of a comment read into A (read_comment) in language L: its charge,
 * and whether it is an unlabelled moment of truth. */
static void fill_flag(verb_acc *a, const cx_response *r, text_lang l, verb_flag *flag)
{
    memset(flag, 0, sizeof *flag);
    flag->lang = l;
    if (l != TEXT_UND) {
        verb_charge(a, l, flag);
    } else {
        /* neither language won: each lexicon on its own, the stronger kept */
        verb_flag fe, fs;
        memset(&fe, 0, sizeof fe);
        memset(&fs, 0, sizeof fs);
        verb_charge(a, TEXT_EN, &fe);
        verb_charge(a, TEXT_ES, &fs);
        const verb_flag *w = fe.charge_neg + fe.charge_pos >= fs.charge_neg + fs.charge_pos ? &fe : &fs;
        flag->charge_neg = w->charge_neg;
        flag->charge_pos = w->charge_pos;
        memcpy(flag->terms, w->terms, sizeof flag->terms);
    }
    flag->routine = is_routine(a, r->interaction_type);
    double thr = a->o.mot_threshold;
    flag->unlabelled_mot = flag->routine && (flag->charge_neg >= thr || flag->charge_pos >= thr);
}

int verb_read(verb_acc *a, const cx_response *r, verb_flag *flag)
{
    if (!*r->comment) return 0;
    text_lang l;
    if (read_comment(a, r->comment, &l) != 0) return -1;
    fill_flag(a, r, l, flag);
    return 1;
}

int verb_add_seg(verb_acc *a, const cx_response *r, int month, const char *const *seg, verb_flag *flag)
{
    const stats_opts *so = a->o.so;
    int in_scope = !so || !so->month || month == so->month;
    int in_prev = a->prev_month && month == a->prev_month;
    if (!in_scope && !in_prev) return 0;
    find_scopes(a, r, seg);
    /* themes and NPS need the 0-10 scale; a CSAT or CES comment is still
     * read for its charge */
    int nps = r->metric == CX_METRIC_NPS;
    int cls = cx_nps_class(r->score);
    if (in_scope && nps)
        for (size_t s = 0; s < a->n_cur_scopes; s++) nps_counts_add(&a->scope_all[a->cur_scopes[s]], r->score);
    if (!*r->comment) return 0;
    /* the run read the comment once already (r->note): its language and
     * charge are taken from there, the words read again only for themes */
    const verb_flag *note = r->note;
    text_lang l = note ? note->lang : TEXT_UND;
    if (!note || (l != TEXT_UND && nps)) {
        text_lang seen;
        if (read_comment(a, r->comment, &seen) != 0) return -1;
        if (!note) l = seen;
    }
    a->cur = r;
    a->cur_ex = 0;
    if (l != TEXT_UND && nps) {
        if (collect_terms(a, l) != 0) return -1;
        if (count_terms(a, in_scope, cls) != 0) return -1;
    }
    if (!in_scope) return 0;
    for (size_t s = 0; nps && s < a->n_cur_scopes; s++)
        nps_counts_add(&a->scope_lang[a->cur_scopes[s] * TEXT_NLANG + l], r->score);
    a->res.comments[l]++;
    if (note) *flag = *note;
    else fill_flag(a, r, l, flag);
    if (flag->routine) a->res.routine_comments++;
    if (flag->unlabelled_mot) {
        a->res.flagged++;
        if (nps) nps_counts_add(&a->res.mot_nps, r->score);
        if (a->res.n_mot_ex < VERB_MOT_EXAMPLES && keep_mot_example(a, r, flag) != 0) return -1;
    }
    return 1;
}
