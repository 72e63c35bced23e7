/* lexicon.h — the English and Spanish lexicons (stats/text/lexicon_*.tsv,
 * compiled into the program as text by the Makefile): stop words,
 * negators, intensifiers, common content words (evidence of the language)
 * and charged terms with their emotion and
 * intensity.  Owner: stats/text/lexicon.c.  The entries' strings point into
 * the embedded text's parsed copy, owned by the lexicon. */
#ifndef CX_TEXT_LEXICON_H
#define CX_TEXT_LEXICON_H

#include <stddef.h>
#include "stats/text/text.h"

typedef enum { LEX_STOP, LEX_NEGATOR, LEX_INTENSIFIER, LEX_COMMON, LEX_CHARGED } lex_kind;

typedef enum {
    EMO_FEAR,
    EMO_ANGER,
    EMO_DESPAIR,
    EMO_DISTRESS, /* negative charge */
    EMO_RELIEF,
    EMO_GRATITUDE, /* positive charge */
    EMO_COUNT
} lex_emotion;

typedef struct lex_entry {
    lex_kind kind;
    const char *term;    /* one to four words, lower case, single spaces */
    lex_emotion emotion; /* LEX_CHARGED */
    double weight;       /* intensity 1-3 (charged) or multiplier (intensifier) */
    unsigned line;       /* in its file, for messages */
} lex_entry;

typedef struct lexicon {
    text_lang lang;
    lex_entry *e;
    size_t n;
    char *text; /* owned copy the entries point into */
} lexicon;

/* Parses the embedded lexicon of LANG (TEXT_EN or TEXT_ES).  0 ok; -1 with
 * "lexicon_xx.tsv:LINE: why" in ERR. */
int lexicon_load(lexicon *lx, text_lang lang, char *err, size_t errlen);
/* The same from TEXT (NUL-terminated) named NAME (tests feed their own). */
int lexicon_parse(lexicon *lx, text_lang lang, const char *name, const char *text, char *err, size_t errlen);
void lexicon_free(lexicon *lx);

const char *lex_emotion_name(lex_emotion e);
static inline int lex_emotion_negative(lex_emotion e) { return e <= EMO_DISTRESS; }

/* Counts of LANG's entries of KIND (for the docs and tests). */
size_t lexicon_count(const lexicon *lx, lex_kind kind);

#endif
