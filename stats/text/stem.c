/* stem.c — Snowball stemmers for English and Spanish (libstemmer), with
 * the accent handling each language needs (text.h). */
#include "stats/text/text.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

struct text_stemmer {
    struct sb_stemmer *en, *es;
    char *buf; /* accent-free copy of a word or a stem */
    size_t cap;
};

text_stemmer *text_stemmer_new(void)
{
    text_stemmer *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->en = sb_stemmer_new("english", "UTF_8");
    s->es = sb_stemmer_new("spanish", "UTF_8");
    if (!s->en || !s->es) {
        text_stemmer_free(s);
        return NULL;
    }
    return s;
}

void text_stemmer_free(text_stemmer *s)
{
    if (!s) return;
    if (s->en) sb_stemmer_delete(s->en);
    if (s->es) sb_stemmer_delete(s->es);
    free(s->buf);
    free(s);
}

static int reserve(text_stemmer *s, size_t n)
{
    if (n <= s->cap) return 0;
    char *b = realloc(s->buf, n);
    if (!b) return -1;
    s->buf = b;
    s->cap = n;
    return 0;
}

const char *text_stem(text_stemmer *s, text_lang l, const char *word, size_t len, size_t *outlen)
{
    if (reserve(s, len + 8) != 0) return NULL; /* a Spanish stem may gain a byte (ción) */
    if (l == TEXT_ES) {
        /* "aplicacion" written without its accent: Snowball removes
         * "-ación" only with the accent, so put it back */
        char tmp[256];
        if (len + 2 < sizeof tmp && len > 4 && memcmp(word + len - 4, "cion", 4) == 0) {
            memcpy(tmp, word, len - 2);
            memcpy(tmp + len - 2, "\xC3\xB3n", 3);
            word = tmp;
            len++;
        }
        const sb_symbol *st = sb_stemmer_stem(s->es, (const sb_symbol *)word, (int)len);
        if (!st) return NULL;
        size_t sl = (size_t)sb_stemmer_length(s->es);
        if (sl >= sizeof tmp || sl + 1 > s->cap) {
            *outlen = sl;
            return (const char *)st;
        }
        memcpy(tmp, st, sl);
        tmp[sl] = '\0';
        /* "-erencia" keeps "-ent" where the verb's forms lose it:
         * transferencia/transferido, preferencia/preferido */
        if (sl > 6 && memcmp(tmp + sl - 5, "erent", 5) == 0) tmp[sl -= 3] = '\0';
        *outlen = text_strip_accents(tmp, s->buf, 1);
        return s->buf;
    }
    memcpy(s->buf, word, len);
    s->buf[len] = '\0';
    size_t n = text_strip_accents(s->buf, s->buf, 0); /* in place: never longer */
    struct sb_stemmer *sb = s->en;
    const sb_symbol *st = sb_stemmer_stem(sb, (const sb_symbol *)s->buf, (int)n);
    if (!st) return NULL;
    *outlen = (size_t)sb_stemmer_length(sb);
    return (const char *)st;
}
