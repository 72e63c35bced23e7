/* lang.c — English, Spanish or neither (text.h).
 *
 * Comments are short (a median of about ten words), where character
 * n-gram identifiers such as TextCat are least reliable; words decide
 * instead: each language scores one point per token that is one of its
 * lexicon's function words or frequent content words (half a point when
 * both languages list it), Spanish also one point per ñ, ¿, ¡ or acute
 * vowel (at most two).  A language wins with at least two points and
 * twice the other's; in a comment of at most four words one point is
 * enough when the other language has less than half of it (docs/methods.md, "Verbatims";
 * checked in tests/unit/test_text.c against a labelled set).
 */
#include "stats/text/text.h"

const char *text_lang_code(text_lang l) { return l == TEXT_EN ? "en" : l == TEXT_ES ? "es" : "und"; }

text_lang text_detect(const text_toks *tt, const unsigned char *stop)
{
    if (tt->n == 0) return TEXT_UND;
    double en = 0, es = 0;
    for (size_t i = 0; i < tt->n; i++) {
        int a = (stop[i] & TEXT_STOP_EN) != 0, b = (stop[i] & TEXT_STOP_ES) != 0;
        /* words of both lists ("a", "no", "me") count half */
        if (a && b) {
            en += 0.5;
            es += 0.5;
        } else if (a) en += 1;
        else if (b) es += 1;
    }
    es += tt->es_marks > 2 ? 2 : tt->es_marks;
    if (en >= 2 && en >= 2 * es) return TEXT_EN;
    if (es >= 2 && es >= 2 * en) return TEXT_ES;
    /* a short comment: one point is enough when the other has under half */
    if (tt->n <= 4 && en >= 1 && en > 2 * es) return TEXT_EN;
    if (tt->n <= 4 && es >= 1 && es > 2 * en) return TEXT_ES;
    return TEXT_UND;
}
