/* comments.c — the comments gen-sample draws from, by class, plus special
 * ones (formula-like, markup, quotes, line breaks, non-ASCII), each
 * encoded once as an RFC 4180 field.
 */
#include "gs.h"

static const char *const COMMENTS_PROMOTER[] = {
    "Great service, thank you!", "Quick and friendly.",         "Sorted my problem in minutes",
    "Very helpful agent",        "Excellent, really impressed", "Easy to deal with, as always",
    "Best bank I have used",     "Could not ask for more",      "The agent went the extra mile",
};
static const char *const COMMENTS_PASSIVE[] = {
    "It was OK",           "Fine, but it took a while", "Decent service, nothing special",
    "Resolved eventually", "Average experience",        "Good once I got through",
};
static const char *const COMMENTS_DETRACTOR[] = {
    "Waited far too long",
    "Nobody could help me",
    "Still not resolved, very frustrating",
    "Transferred three times",
    "Terrible, I will be leaving",
    "Rude and unhelpful",
    "Had to explain everything twice",
};
/* edge cases for parsers, escaping and spreadsheet-injection defences */
static const char *const COMMENTS_SPECIAL[] = {
    "Fast, friendly, and helpful",
    "She said \"no problem\" and fixed it",
    "Line one\r\nline two",
    "First line\nsecond line",
    "Great service \xF0\x9F\x98\x80\xF0\x9F\x91\x8D",
    "=HYPERLINK(\"http://x\",\"y\")",
    "+1 great service",
    "-- not happy",
    "@support thanks",
    "<script>alert(1)</script>",
    "\xC3\x87"
    "a marche tr\xC3\xA8s bien, merci",
    "\tindented note",
    "Multi\nline, with \"quotes\" and \xF0\x9F\x9A\x80",
    "=1+1",
    "Price was 5% higher than quoted; \"fees\"",
};

static enc_t enc_field(const char *raw)
{
    size_t n = strlen(raw);
    int need = strpbrk(raw, ",\"\r\n") != NULL;
    size_t cap = 2 * n + 3;
    char *s = malloc(cap);
    if (!s) die("memory", strerror(ENOMEM));
    size_t k = 0;
    if (need) s[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == '"') s[k++] = '"';
        s[k++] = raw[i];
    }
    if (need) s[k++] = '"';
    s[k] = '\0';
    enc_t e = {s, k};
    return e;
}

static void enc_free(enc_t *e, int n)
{
    for (int i = 0; i < n; i++) free(e[i].s);
    free(e);
}

static enc_t *enc_all(const char *const *raw, int n)
{
    enc_t *e = malloc(sizeof *e * (size_t)n);
    if (!e) die("memory", strerror(ENOMEM));
    for (int i = 0; i < n; i++) e[i] = enc_field(raw[i]);
    return e;
}

void comments_load(comments_t *c)
{
    c->n_pro = NELEM(COMMENTS_PROMOTER);
    c->n_pas = NELEM(COMMENTS_PASSIVE);
    c->n_det = NELEM(COMMENTS_DETRACTOR);
    c->n_spe = NELEM(COMMENTS_SPECIAL);
    c->pro = enc_all(COMMENTS_PROMOTER, c->n_pro);
    c->pas = enc_all(COMMENTS_PASSIVE, c->n_pas);
    c->det = enc_all(COMMENTS_DETRACTOR, c->n_det);
    c->spe = enc_all(COMMENTS_SPECIAL, c->n_spe);
}

void comments_free(comments_t *c)
{
    enc_free(c->pro, c->n_pro);
    enc_free(c->pas, c->n_pas);
    enc_free(c->det, c->n_det);
    enc_free(c->spe, c->n_spe);
}
