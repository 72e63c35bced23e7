/* text.h — the text primitives of the verbatim analysis: masking personal
 * data for display, tokenising (UTF-8 kept intact, case folded),
 * language identification (en / es / und) and Snowball stemming.
 * Owner: stats/text/mask.c, stats/text/tokens.c, stats/text/lang.c,
 * stats/text/stem.c.  Nothing here prints; nothing keeps a pointer to its
 * input.
 */
#ifndef CX_TEXT_H
#define CX_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef enum { TEXT_UND = 0, TEXT_EN = 1, TEXT_ES = 2, TEXT_NLANG = 3 } text_lang;

/* "und", "en", "es". */
const char *text_lang_code(text_lang l);

/* ---- mask.c ---- */
/* A malloc'd copy of S[0..n) fit for display: e-mail addresses become
 * "[email]", card-like numbers (13-19 digits) "[card]", phone-like numbers
 * (7-15 digits, or a leading '+') "[phone]", and every byte that is not
 * part of valid UTF-8 becomes U+FFFD.  *OUTLEN gets the length.  NULL when
 * out of memory. */
char *text_mask(const char *s, size_t n, size_t *outlen);

/* ---- tokens.c ---- */
typedef struct text_tok {
    uint32_t off, len; /* in text_toks.buf (lower-cased, NUL-terminated) */
    uint8_t brk;       /* 1: punctuation or a line break comes before it */
} text_tok;

typedef struct text_toks {
    char *buf; /* owned: the tokens one after another, each NUL-terminated */
    size_t len, cap;
    text_tok *t; /* owned */
    size_t n, tcap;
    unsigned es_marks; /* ñ, ¿, ¡ and acute accents seen (evidence of Spanish) */
} text_toks;

/* Splits S[0..n) into word tokens: runs of letters (Latin and other
 * alphabets; an apostrophe between letters stays in the word, U+2019 is
 * read as '), lower-cased.  Digits-only runs, masks ("[email]"…), emoji,
 * punctuation and invalid UTF-8 separate words; punctuation, emoji and
 * line breaks also set brk on the next token.  At most MAX_TOKENS tokens
 * are kept (the rest of a very long comment is not tokenised).  TT is
 * reused between calls (zero it first; text_toks_free at the end).
 * 0 ok, -1 out of memory. */
#define TEXT_MAX_TOKENS 4096
int text_tokenize(text_toks *tt, const char *s, size_t n);
void text_toks_free(text_toks *tt);

/* Writes WORD (lower-cased UTF-8, NUL-terminated) without its accents into
 * OUT (cap >= strlen(WORD) + 1): á→a, é→e, ü→u …; ñ stays when KEEP_ENYE.
 * Returns the length. */
size_t text_strip_accents(const char *word, char *out, int keep_enye);

/* ---- lang.c ---- */
/* Language of a tokenised comment from its words and Spanish marks:
 * STOP[i] has bit TEXT_STOP_EN when token i is an English function or
 * frequent word, TEXT_STOP_ES when a Spanish one.  TEXT_UND when no
 * language wins clearly (lang.c says how). */
#define TEXT_STOP_EN 1u
#define TEXT_STOP_ES 2u
text_lang text_detect(const text_toks *tt, const unsigned char *stop);

/* ---- stem.c ---- */
typedef struct text_stemmer text_stemmer;
/* Snowball English and Spanish stemmers (libstemmer).  NULL when out of
 * memory. */
text_stemmer *text_stemmer_new(void);
void text_stemmer_free(text_stemmer *s);
/* The stem of WORD (lower-cased, accents as written): for English the
 * accents are removed first, for Spanish they are removed from the stem
 * (so "aplicación" and "aplicacion" meet), ñ kept.  Borrowed pointer,
 * valid until the next call; *LEN its length.  NULL when out of memory. */
const char *text_stem(text_stemmer *s, text_lang l, const char *word, size_t len, size_t *outlen);

#endif
