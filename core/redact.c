/* redact.c — the credential finder of core/redact.h: every form of the
 * secret (raw, base64 at three alignments, whole base64 of "key:" and
 * "key") lower-cased, and an index from a character to the places it
 * occurs in the forms, so that a text is scanned once, trying only the
 * places that its character can start. */
#include "core/redact.h"

#include <stdlib.h>
#include <string.h>

#define FORMS_PER_SECRET 6
#define MAX_SECRETS 8

typedef struct spot {
    unsigned short form;
    unsigned short at;
} spot;

struct cx_redact {
    char *form[FORMS_PER_SECRET * MAX_SECRETS]; /* lower-cased; NULL = unused */
    size_t len[FORMS_PER_SECRET * MAX_SECRETS];
    int n_secrets;
    spot *spots; /* grouped by character: first[c] .. first[c + 1] */
    size_t first[257];
};

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The character a percent escape at S[I] (of LEN bytes) stands for,
 * lower-cased: "%6B" ('k', 3 bytes) when TWICE is 0, the escape encoded
 * again, "%256B" (5 bytes), when TWICE is 1; -1 when there is none. */
static int decoded_at(const char *s, size_t len, size_t i, int twice)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t h = twice ? i + 3 : i + 1;
    if (u[i] != '%' || h + 1 >= len || (twice && (u[i + 1] != '2' || u[i + 2] != '5'))) return -1;
    if (hexval(u[h]) < 0 || hexval(u[h + 1]) < 0) return -1;
    return lower((unsigned char)(hexval(u[h]) * 16 + hexval(u[h + 1])));
}

/* Base64 of the N bytes at IN into OUT (4 * ceil(N / 3) + 1 bytes), padded. */
static size_t base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < n) v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < n) v |= in[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

/* Takes N bytes at S as form K (lower-cased copy); forms too short to tell
 * from text are left out.  0 ok, -1 out of memory. */
static int add_form(cx_redact *r, int k, const char *s, size_t n)
{
    if (n < CX_REDACT_MIN_SECRET) return 0;
    if ((r->form[k] = malloc(n + 1)) == NULL) return -1;
    for (size_t i = 0; i < n; i++) r->form[k][i] = (char)lower((unsigned char)s[i]);
    r->form[k][n] = '\0';
    r->len[k] = n;
    return 0;
}

/* The base64 characters that depend on the secret alone when it follows
 * PAD bytes of anything: characters [ceil(8 PAD / 6), floor(8 (PAD + N) / 6)). */
static int add_base64_forms(cx_redact *r, int k0, const char *secret, size_t n)
{
    unsigned char *in = malloc(n + 3);
    char *out = malloc(4 * ((n + 3) / 3 + 1) + 1);
    int rc = -1;
    if (in == NULL || out == NULL) goto out;
    for (size_t pad = 0; pad < 3; pad++) {
        memset(in, 0, pad);
        memcpy(in + pad, secret, n);
        base64(in, pad + n, out);
        size_t from = (8 * pad + 5) / 6, to = 8 * (pad + n) / 6;
        if (to > from && add_form(r, k0 + 1 + (int)pad, out + from, to - from) != 0) goto out;
    }
    memcpy(in, secret, n);
    in[n] = ':'; /* HTTP Basic: user "key", empty password */
    if (add_form(r, k0 + 4, out, base64(in, n + 1, out)) != 0 ||
        add_form(r, k0 + 5, out, base64(in, n, out)) != 0)
        goto out;
    rc = 0;
out:
    if (out != NULL) memset(out, 0, 4 * ((n + 3) / 3 + 1) + 1);
    if (in != NULL) memset(in, 0, n + 3);
    free(in);
    free(out);
    return rc;
}

static int build_index(cx_redact *r)
{
    size_t total = 0, count[256] = {0};
    free(r->spots);
    r->spots = NULL;
    for (int k = 0; k < FORMS_PER_SECRET * MAX_SECRETS; k++)
        for (size_t j = 0; j < r->len[k]; j++) count[(unsigned char)r->form[k][j]]++, total++;
    if ((r->spots = malloc((total ? total : 1) * sizeof *r->spots)) == NULL) return -1;
    r->first[0] = 0;
    for (int c = 0; c < 256; c++) r->first[c + 1] = r->first[c] + count[c];
    size_t fill[256];
    memcpy(fill, r->first, sizeof fill);
    for (int k = 0; k < FORMS_PER_SECRET * MAX_SECRETS; k++)
        for (size_t j = 0; j < r->len[k]; j++)
            r->spots[fill[(unsigned char)r->form[k][j]]++] = (spot){(unsigned short)k, (unsigned short)j};
    return 0;
}

int cx_redact_add(cx_redact *r, const char *secret)
{
    size_t n = secret ? strlen(secret) : 0;
    if (n == 0) return 0;
    if (r->n_secrets == MAX_SECRETS) return -1;
    if (n > 4096) n = 4096; /* spots index forms with 16 bits */
    int k0 = FORMS_PER_SECRET * r->n_secrets++;
    if (add_form(r, k0, secret, n) != 0 || add_base64_forms(r, k0, secret, n) != 0) return -1;
    return build_index(r);
}

cx_redact *cx_redact_new(const char *secret)
{
    cx_redact *r = calloc(1, sizeof *r);
    if (r == NULL) return NULL;
    if (build_index(r) != 0 || cx_redact_add(r, secret) != 0) {
        cx_redact_free(r);
        return NULL;
    }
    return r;
}

void cx_redact_free(cx_redact *r)
{
    if (r == NULL) return;
    for (int k = 0; k < FORMS_PER_SECRET * MAX_SECRETS; k++)
        if (r->form[k]) {
            memset(r->form[k], 0, r->len[k]);
            free(r->form[k]);
        }
    free(r->spots);
    free(r);
}

/* Bytes of S from I matched by form K from J, counted in form characters
 * into *CHARS; returns the bytes of S taken. */
static size_t run_at(const cx_redact *r, int k, size_t j, const char *s, size_t len, size_t i, size_t *chars)
{
    size_t bytes = 0, n = 0;
    while (j + n < r->len[k] && i + bytes < len) {
        unsigned char want = (unsigned char)r->form[k][j + n];
        if (lower((unsigned char)s[i + bytes]) == want)
            bytes += 1; /* the character itself first: a secret may hold "%41" */
        else if (decoded_at(s, len, i + bytes, 0) == want) bytes += 3;
        else if (decoded_at(s, len, i + bytes, 1) == want) bytes += 5; /* percent-encoded twice */
        else break;
        n++;
    }
    *chars = n;
    return bytes;
}

/* The longest run of a form starting at byte I of S (0 = none). */
static size_t longest_at(const cx_redact *r, const char *s, size_t len, size_t i)
{
    size_t best = 0;
    int first[3] = {lower((unsigned char)s[i]), decoded_at(s, len, i, 0), decoded_at(s, len, i, 1)};
    for (int f = 0; f < 3; f++) {
        if (first[f] < 0 || (f > 0 && first[f] == first[0]) || (f == 2 && first[2] == first[1])) continue;
        for (size_t p = r->first[first[f]]; p < r->first[first[f] + 1]; p++) {
            int k = r->spots[p].form;
            size_t chars, need = r->len[k] < CX_REDACT_MIN_RUN ? r->len[k] : CX_REDACT_MIN_RUN;
            size_t bytes = run_at(r, k, r->spots[p].at, s, len, i, &chars);
            if (chars >= need && bytes > best) best = bytes;
        }
    }
    return best;
}

static int find_from(const cx_redact *r, const char *s, size_t len, size_t from, size_t *at, size_t *span)
{
    if (r == NULL || r->spots == NULL || r->first[256] == 0) return 0;
    for (size_t i = from; i < len; i++) {
        size_t b = longest_at(r, s, len, i);
        if (b > 0) {
            if (at) *at = i;
            if (span) *span = b;
            return 1;
        }
    }
    return 0;
}

int cx_redact_find(const cx_redact *r, const char *s, size_t len, size_t *at, size_t *span)
{
    return s != NULL && find_from(r, s, len, 0, at, span);
}

int cx_redact_has(const cx_redact *r, const char *s)
{
    return s != NULL && find_from(r, s, strlen(s), 0, NULL, NULL);
}

size_t cx_redact_mask(const cx_redact *r, char *s)
{
    static const char mask[] = CX_REDACT_MASK;
    size_t n = 0, len, at, span, from = 0;
    if (s == NULL) return 0;
    len = strlen(s);
    /* A run is at least 4 bytes (every form is, and runs are of 8 or the
     * whole form), so each mask shortens the text: the passes end.  A pass
     * is repeated from the start while a run remains, in case a secret
     * holding '*' makes a new run across a mask. */
    for (;;) {
        size_t pass = 0;
        from = 0;
        while (find_from(r, s, len, from, &at, &span)) {
            size_t m = sizeof mask - 1 < span ? sizeof mask - 1 : span;
            memcpy(s + at, mask, m);
            memmove(s + at + m, s + at + span, len - at - span + 1);
            len -= span - m;
            from = at + m;
            pass++;
        }
        n += pass;
        if (pass == 0 || !find_from(r, s, len, 0, NULL, NULL)) return n;
    }
}

char *cx_redact_dup(const cx_redact *r, const char *s, int *oom)
{
    *oom = 0;
    if (!cx_redact_has(r, s)) return NULL;
    char *d = strdup(s);
    if (d == NULL) {
        *oom = 1;
        return NULL;
    }
    cx_redact_mask(r, d);
    return d;
}
