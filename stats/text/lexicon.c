/* lexicon.c — parsing the lexicon files (lexicon.h).  Their text is
 * compiled in (build/gen/lexicon_data.c, made by the Makefile from
 * stats/text/lexicon_en.tsv and lexicon_es.tsv) so that the program needs
 * no data directory. */
#include "stats/text/lexicon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char cx_lexicon_en[]; /* build/gen/lexicon_data.c */
extern const char cx_lexicon_es[];

static const char *const EMOTIONS[EMO_COUNT] = {"fear",     "anger",  "despair",
                                                "distress", "relief", "gratitude"};

const char *lex_emotion_name(lex_emotion e) { return (unsigned)e < EMO_COUNT ? EMOTIONS[e] : ""; }

static int fail(char *err, size_t errlen, const char *name, unsigned line, const char *why)
{
    snprintf(err, errlen, "%s:%u: %s", name, line, why);
    return -1;
}

/* Splits LINE at tabs into at most 4 fields; returns their number. */
static int split_tabs(char *line, char **f)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            *p = '\0';
            if (n == 4) return 5;
            f[n++] = p + 1;
        }
    return n;
}

static int parse_entry(lex_entry *e, char **f, int nf, const char *name, unsigned line, char *err,
                       size_t errlen)
{
    static const char *const kinds[] = {"stop", "negator", "intensifier", "common", "charged"};
    int k = -1;
    for (int i = 0; i < 5; i++)
        if (strcmp(f[0], kinds[i]) == 0) k = i;
    if (k < 0)
        return fail(err, errlen, name, line, "unknown kind (stop, negator, intensifier, common, charged)");
    e->kind = (lex_kind)k;
    e->term = f[1];
    e->line = line;
    e->weight = 1;
    int want = k == LEX_CHARGED ? 4 : k == LEX_INTENSIFIER ? 3 : 2;
    if (nf != want) return fail(err, errlen, name, line, "wrong number of tab-separated fields");
    if (!*e->term || e->term[0] == ' ' || e->term[strlen(e->term) - 1] == ' ' || strstr(e->term, "  "))
        return fail(err, errlen, name, line, "empty term or stray spaces");
    size_t words = 1;
    for (const char *p = e->term; *p; p++) {
        if (*p == ' ') words++;
        if (*p >= 'A' && *p <= 'Z') return fail(err, errlen, name, line, "term not in lower case");
    }
    if (words > 4 || (words > 1 && k != LEX_CHARGED))
        return fail(err, errlen, name, line, "only charged terms may have 2-4 words");
    const char *num = k == LEX_CHARGED ? f[3] : k == LEX_INTENSIFIER ? f[2] : NULL;
    if (num) {
        char *end;
        errno = 0;
        double v = strtod(num, &end);
        if (end == num || *end || errno || !(v > 0 && v <= 3))
            return fail(err, errlen, name, line, "weight is not a number in (0, 3]");
        e->weight = v;
    }
    if (k == LEX_CHARGED) {
        int emo = -1;
        for (int i = 0; i < EMO_COUNT; i++)
            if (strcmp(f[2], EMOTIONS[i]) == 0) emo = i;
        if (emo < 0) return fail(err, errlen, name, line, "unknown emotion");
        e->emotion = (lex_emotion)emo;
    }
    return 0;
}

int lexicon_parse(lexicon *lx, text_lang lang, const char *name, const char *text, char *err, size_t errlen)
{
    memset(lx, 0, sizeof *lx);
    lx->lang = lang;
    lx->text = strdup(text);
    size_t cap = 1;
    for (const char *p = text; *p; p++) cap += *p == '\n';
    lx->e = calloc(cap, sizeof *lx->e);
    if (!lx->text || !lx->e) {
        lexicon_free(lx);
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    unsigned line = 0;
    char *p = lx->text;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        line++;
        if (*p && *p != '#') {
            char *f[5];
            int nf = split_tabs(p, f);
            if (parse_entry(&lx->e[lx->n], f, nf, name, line, err, errlen) != 0) {
                lexicon_free(lx);
                return -1;
            }
            lx->n++;
        }
        if (!nl) break;
        p = nl + 1;
    }
    return 0;
}

int lexicon_load(lexicon *lx, text_lang lang, char *err, size_t errlen)
{
    if (lang == TEXT_EN) return lexicon_parse(lx, lang, "lexicon_en.tsv", cx_lexicon_en, err, errlen);
    return lexicon_parse(lx, lang, "lexicon_es.tsv", cx_lexicon_es, err, errlen);
}

void lexicon_free(lexicon *lx)
{
    free(lx->e);
    free(lx->text);
    memset(lx, 0, sizeof *lx);
}

size_t lexicon_count(const lexicon *lx, lex_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < lx->n; i++) n += lx->e[i].kind == kind;
    return n;
}
