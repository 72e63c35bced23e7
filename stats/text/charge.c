/* charge.c — the emotional charge of one comment (verb_int.h).
 *
 * Walks every token (function words included) in order.  A charged term
 * (a word, or a phrase of 2-4 words, matched on Snowball stems) adds its
 * intensity to the negative charge (fear, anger, despair, distress) or to
 * the positive one (relief, gratitude); both are kept apart.
 *   - an intensifier ("really", "muy") multiplies the next charged term
 *     within two tokens by its weight (above 1 strengthens, below weakens);
 *   - a negator ("not", "never", "no", "nunca", "sin") negates the charged
 *     terms within the next three tokens: a negated negative term counts
 *     nothing ("not worried", "no estaba preocupado"), a negated positive
 *     term counts half its intensity as negative ("not grateful");
 *   - punctuation ends both scopes.
 * Phrases are tried before single words and before negators, so "no
 * money" and "sin dinero" are charged terms, not a negation.
 */
#include "stats/text/verb_int.h"

#include <string.h>

#define NEG_SCOPE 3
#define INT_SCOPE 2

/* Appends tokens I..I+N-1 as written (lower case) to the fired terms. */
static void append_term(const verb_acc *a, verb_flag *f, size_t i, size_t n, int negated)
{
    size_t len = strlen(f->terms), tl = n - 1;
    for (size_t k = i; k < i + n; k++) tl += a->tt.t[k].len;
    size_t need = (len ? 1 : 0) + (negated ? 4 : 0) + tl;
    if (len + need + 1 > sizeof f->terms) return; /* the charges still count */
    char *p = f->terms + len;
    if (len) *p++ = ';';
    if (negated) {
        memcpy(p, "NOT ", 4);
        p += 4;
    }
    for (size_t k = i; k < i + n; k++) {
        if (k > i) *p++ = ' ';
        memcpy(p, a->tt.buf + a->tt.t[k].off, a->tt.t[k].len);
        p += a->tt.t[k].len;
    }
    *p = '\0';
}

/* Lexicon entry of a phrase starting at token I, and its length. */
static int match_phrase(verb_acc *a, text_lang l, size_t i, uint32_t s0, size_t *len)
{
    uint8_t heads = a->st[s0].phrase_head;
    if (!heads) return -1;
    uint32_t stems[VERB_PHRASE_MAX];
    stems[0] = s0;
    size_t have = 1;
    for (size_t n = 2; n <= VERB_PHRASE_MAX && i + n <= a->tt.n; n++) {
        size_t j = i + n - 1;
        if (a->tt.t[j].brk || a->sids[j] == VOCAB_NONE) break;
        stems[have] = verb_stem_of(a, a->sids[j], l);
        if (stems[have] == VOCAB_NONE) break;
        have++;
    }
    for (size_t n = have; n >= 2; n--) {
        if (!(heads & (1u << n))) continue;
        uint32_t e = u64map_get(&a->phrase, verb_phrase_key(l, stems, n));
        if (e != VOCAB_NONE) {
            *len = n;
            return (int)e;
        }
    }
    return -1;
}

void verb_charge(verb_acc *a, text_lang l, verb_flag *flag)
{
    int neg_left = 0, int_left = 0;
    double mult = 1;
    uint8_t bit = l == TEXT_EN ? TEXT_STOP_EN : TEXT_STOP_ES;
    for (size_t i = 0; i < a->tt.n; i++) {
        if (a->tt.t[i].brk) {
            neg_left = 0;
            int_left = 0;
        }
        uint32_t sid = a->sids[i];
        if (sid == VOCAB_NONE) continue;
        uint32_t s = verb_stem_of(a, sid, l);
        if (s == VOCAB_NONE) continue;
        size_t len = 1;
        int e = match_phrase(a, l, i, s, &len);
        if (e < 0) e = a->si[sid].lex[l] >= 0 ? a->si[sid].lex[l] : a->st[s].lex;
        if (e >= 0) {
            const lex_entry *le = &a->lex[l].e[e];
            double w = le->weight * (int_left > 0 ? mult : 1);
            int negated = neg_left > 0;
            if (!negated) {
                if (lex_emotion_negative(le->emotion)) flag->charge_neg += w;
                else flag->charge_pos += w;
                append_term(a, flag, i, len, 0);
            } else if (!lex_emotion_negative(le->emotion)) {
                flag->charge_neg += w / 2;
                append_term(a, flag, i, len, 1);
            }
            i += len - 1;
            neg_left = 0;
            int_left = 0;
            continue;
        }
        const surf_info *si = &a->si[sid];
        if (si->negator & bit) {
            neg_left = NEG_SCOPE + 1;
        } else if (si->intens[l] > 0) {
            mult = si->intens[l];
            int_left = INT_SCOPE + 1;
        }
        if (neg_left > 0) neg_left--;
        if (int_left > 0) int_left--;
    }
}
