/* verb_int.h — the verbatim accumulator's insides, shared by
 * stats/text/verb_vocab.c (vocabulary, lexicons), verbatims.c
 * (streaming), verb_tokens.c (a comment's tokens), charge.c (charged
 * words) and themes.c (finish).  Not for use outside stats/text. */
#ifndef CX_VERB_INT_H
#define CX_VERB_INT_H

#include "stats/nps.h"
#include "stats/text/lexicon.h"
#include "stats/text/verbatims.h"
#include "stats/text/vocab.h"

#define VERB_MAX_SCOPES 4096
#define VERB_PHRASE_MAX 4
#define VERB_UNIGRAM 0x7FFFFFFFu

/* A surface token, per language (index TEXT_EN / TEXT_ES). */
typedef struct surf_info {
    uint32_t stem[TEXT_NLANG]; /* VOCAB_NONE until first needed */
    uint32_t count;            /* content occurrences (display form) */
    uint8_t stop;              /* TEXT_STOP_EN | TEXT_STOP_ES */
    uint8_t negator;           /* the same bits */
    uint8_t hint;              /* the same bits: a common or charged word of the language */
    double intens[TEXT_NLANG]; /* 0 = not an intensifier */
    int32_t lex[TEXT_NLANG];   /* charged entry written exactly so, -1 none */
} surf_info;

typedef struct stem_info {
    uint32_t best_surf, best_count; /* most frequent surface form */
    int32_t lex;                    /* single-word charged entry with this stem
                                          (the first one), -1 none */
    uint8_t phrase_head;            /* bit L: first word of a phrase of L words */
    uint32_t neg;                   /* its negated stem ("not" + it), VOCAB_NONE until used */
    uint32_t neg_of;                /* a negated stem: the stem it negates, else VOCAB_NONE */
    uint32_t uni;                   /* its one-word term, VOCAB_NONE until made */
} stem_info;

typedef struct term_info {
    uint32_t a, b;      /* stems; b = VERB_UNIGRAM for one word */
    uint32_t count_all; /* its counter in scope "all", VOCAB_NONE until made */
    uint8_t lang;
} term_info;

/* A --by value find_scopes met lately, and its scope. */
#define VERB_SCOPE_MEMO 8
/* Scopes (by id, after "all") whose counters are found by term id in an
 * array rather than hashed: a --by dimension with a few values. */
#define VERB_DENSE_SCOPES 16
typedef struct scope_memo {
    char val[48];
    size_t len; /* the value's length + 1; 0: empty entry */
    uint32_t scope;
} scope_memo;

typedef struct term_count {
    uint32_t scope, term;
    uint32_t n[3];                 /* detractor, passive, promoter mentions in scope */
    uint32_t prev;                 /* mentions in the month before --month */
    uint32_t ex[2][VERB_EXAMPLES]; /* detractor / promoter examples, index + 1 (0 none) */
} term_count;

struct verb_acc {
    verb_opts o;
    int prev_month;
    text_stemmer *stemmer;
    lexicon lex[TEXT_NLANG];
    text_toks tt;
    uint32_t *sids; /* per token of the current comment */
    unsigned char *stopbits;
    size_t sids_cap;
    char *packed; /* verb_read's tokens, packed (verb_flag.toks) */
    size_t packed_cap;
    uint32_t *origin_sid[VERB_ORIGINS]; /* surface id of a packing accumulator -> ours */
    size_t origin_cap[VERB_ORIGINS];
    uint32_t *cterms; /* the current comment's term ids */
    size_t n_cterms, cterms_cap;

    size_t surf_limit, stem_limit; /* the lexicons' words plus 4 x max_terms; 0 while loading */
    strtab surf;
    surf_info *si;
    size_t si_cap;
    strtab stems; /* salt = language */
    stem_info *st;
    size_t st_cap;
    u64map phrase; /* phrase key -> lexicon entry (language in the key) */

    u64map terms;
    term_info *tm;
    size_t n_terms, tm_cap;
    u64map counts;
    term_count *cn;
    size_t n_cn, cn_cap;
    uint32_t *dense[VERB_DENSE_SCOPES]; /* scope -> term -> counter, VOCAB_NONE none yet */
    size_t dense_cap[VERB_DENSE_SCOPES];
    long long dropped;

    strtab scopes;          /* "all", "DIM=VALUE" */
    nps_counts *scope_all;  /* every response in scope */
    nps_counts *scope_lang; /* comments in scope: [scope * TEXT_NLANG + lang] */
    size_t scope_cap, scope_lang_cap;
    uint32_t cur_scopes[1 + STATS_MAX_BY];
    scope_memo memo[STATS_MAX_BY][VERB_SCOPE_MEMO]; /* find_scopes' recent values */
    unsigned memo_next[STATS_MAX_BY];
    size_t n_cur_scopes;

    char *ex_arena; /* examples: "id\0masked text\0" */
    size_t ex_len, ex_cap;
    uint32_t *ex_off;
    size_t n_ex, ex_ocap;
    uint32_t cur_ex; /* the current comment's example, index + 1 */
    const cx_response *cur;

    verb_result res;
    int finished;
};

/* The stem id of surface SID in language L (computed once).  VOCAB_NONE
 * when out of memory or the stem table is full. */
uint32_t verb_stem_of(verb_acc *a, uint32_t sid, text_lang l);
/* Charge of the current tokens (a->tt, a->sids) in language L into FLAG
 * (adds to charge_neg/charge_pos and appends to terms). */
void verb_charge(verb_acc *a, text_lang l, verb_flag *flag);
/* Interns a string of bytes as a stem of language L; VOCAB_NONE when full. */
uint32_t verb_stem_intern(verb_acc *a, text_lang l, const char *s, size_t len);
/* *P grown to hold NEED elements of SIZE bytes (*CAP updated).  -1 OOM. */
int verb_grow(void **p, size_t *cap, size_t need, size_t size);
/* Surface id of S (LEN bytes), interned when new and the table has room;
 * VOCAB_NONE otherwise. */
uint32_t verb_surf_intern(verb_acc *a, const char *s, size_t len);
/* Scope id of S ("all", "DIM=VALUE"); VOCAB_NONE when full or OOM. */
uint32_t verb_scope_intern(verb_acc *a, const char *s, size_t len);
/* Tokenises COMMENT into a->tt and a->sids and finds its language.
 * -1 out of memory. */
int verb_read_comment(verb_acc *a, const char *comment, text_lang *lang);
/* The tokens of a->tt packed into a->packed, FLAG's toks pointing there
 * (verbatims.h says the layout).  -1 out of memory. */
int verb_pack_tokens(verb_acc *a, verb_flag *flag);
/* Packed tokens P (LEN bytes) into a->tt's token list and a->sids, as
 * verb_read_comment would have left them (the bytes stay in P: a->tt.buf
 * is not theirs); FROM: verb_flag.toks_from.  -1 out of memory or not
 * packed tokens. */
int verb_unpack_tokens(verb_acc *a, const char *p, size_t len, unsigned from);
/* verb_terms.c: the current comment's terms (a->tt, a->sids read) into
 * a->cterms (verb_collect_terms, language L); counted into every current
 * scope (verb_count_terms: IN_SCOPE the month in scope, CLS its NPS
 * class); the current response's example record (verb_current_example:
 * its number, 0 out of memory).  -1 out of memory. */
int verb_collect_terms(verb_acc *a, text_lang l);
int verb_count_terms(verb_acc *a, int in_scope, int cls);
uint32_t verb_current_example(verb_acc *a);
/* Phrase key of N stems in language L. */
uint64_t verb_phrase_key(text_lang l, const uint32_t *stems, size_t n);

#endif
