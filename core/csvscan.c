/* csvscan.c — see csvscan.h; also utf8_valid (csv.h).
 *
 * The scanner works on 64-byte blocks: one pass over a block gives a bit
 * mask of its separators (',' CR LF) and one of its quotes, and a field
 * end is then the lowest set bit at or after the field start — a count of
 * trailing zeros, not a loop over bytes.  A quoted field jumps from quote
 * to quote the same way.  Bytes are only looked at one by one to count
 * line breaks inside quoted fields.
 */
#include "core/csvscan.h"
#include "core/csv.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef unsigned long long u64;

#if defined(__GNUC__)
#define HOT static inline __attribute__((always_inline))
#else
#define HOT static inline
#endif

/* Masks of B[0..64): bit k set when byte k is ',' (*COMMA), CR or LF
 * (*EOL), '"' (*QUOTE), above 0x7F or (when NUL) NUL (*ODD). */
HOT void block_masks(const char *b, int nul, u64 *comma, u64 *eol, u64 *quote, u64 *odd)
{
#if defined(__SSE2__)
    const __m128i cm = _mm_set1_epi8(','), cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n'), qu = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    u64 c = 0, l = 0, q = 0, o = 0;
#define SIXTEEN(k)                                                                                        \
    do {                                                                                                  \
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * (k)));                       \
        c |= (u64)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, cm)) << (16 * (k));                       \
        l |= (u64)(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))) \
             << (16 * (k));                                                                               \
        q |= (u64)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, qu)) << (16 * (k));                       \
        o |= (u64)(unsigned)_mm_movemask_epi8(nul ? _mm_or_si128(v, _mm_cmpeq_epi8(v, zero)) : v)         \
             << (16 * (k));                                                                               \
    } while (0)
    SIXTEEN(0);
    SIXTEEN(1);
    SIXTEEN(2);
    SIXTEEN(3);
#undef SIXTEEN
#else
    u64 c = 0, l = 0, q = 0, o = 0;
    for (int k = 0; k < 64; k++) {
        unsigned char ch = (unsigned char)b[k];
        c |= (u64)(ch == ',') << k;
        l |= (u64)(ch == '\r' || ch == '\n') << k;
        q |= (u64)(ch == '"') << k;
        o |= (u64)((nul && ch == 0) || ch > 0x7F) << k;
    }
#endif
    *comma = c;
    *eol = l;
    *quote = q;
    *odd = o;
}

HOT size_t lowest_bit(u64 m)
{
#if defined(__GNUC__)
    return (size_t)__builtin_ctzll(m);
#else
    size_t k = 0;
    while (!(m & 1)) {
        m >>= 1;
        k++;
    }
    return k;
#endif
}

/* Bits of the block at BASE for positions >= FROM / < TO. */
HOT u64 bits_from(size_t from, size_t base)
{
    return from <= base ? ~0ull : from - base >= 64 ? 0 : ~0ull << (from - base);
}
HOT u64 bits_below(size_t to, size_t base) { return to - base >= 64 ? ~0ull : (1ull << (to - base)) - 1; }

/* Loads the block at BASE, first keeping the odd bytes of the current
 * record that the block it replaces holds. */
HOT void load_block(csvs *s, size_t base)
{
    if (s->odd) s->rec_odd |= s->odd & bits_from(s->rec, s->base);
    s->base = base;
    block_masks(s->b + base, s->nul, &s->comma, &s->eol, &s->quote, &s->odd);
    if (s->end - base < 64) {
        u64 keep = (1ull << (s->end - base)) - 1;
        s->comma &= keep;
        s->eol &= keep;
        s->quote &= keep;
        s->odd &= keep;
    }
}

/* First position >= I whose byte is flagged in the separator mask (QUOTE
 * 0) or the quote mask (QUOTE 1); s->end when there is none. */
HOT size_t next_flag(csvs *s, size_t i, int quote)
{
    if (i >= s->end) return s->end;
    if (i - s->base >= 64) load_block(s, i & ~(size_t)63);
    u64 m = (quote ? s->quote : s->comma | s->eol) & (~0ull << (i - s->base));
    while (!m) {
        if (s->base + 64 >= s->end) return s->end;
        load_block(s, s->base + 64);
        m = quote ? s->quote : s->comma | s->eol;
    }
    return s->base + lowest_bit(m);
}

void csvs_init(csvs *s, const char *b, size_t len)
{
    memset(s, 0, sizeof *s);
    s->b = b;
    s->end = len;
    s->base = (size_t)-1 - 63;             /* no block loaded */
    s->nul = memchr(b, '\0', len) != NULL; /* else the blocks need not look for NULs */
}

/* Line breaks in B[i..j) of a quoted field: CR, LF, CRLF once each.
 * B[i-1] exists (the opening quote or the second of a "" pair). */
static long count_breaks(const char *b, size_t i, size_t j)
{
    long n = 0;
    for (size_t k = i; k < j; k++) n += b[k] == '\r' || (b[k] == '\n' && b[k - 1] != '\r');
    return n;
}

/* Line breaks in the quoted text B[i..j); B[i-1] exists (an opening
 * quote or a "" pair). */
HOT long quoted_breaks(const csvs *s, const char *b, size_t i, size_t j)
{
    if (i >= s->base && j - s->base < 64 && !(s->eol & bits_from(i, s->base) & bits_below(j, s->base)))
        return 0; /* the block masks show no CR or LF in it */
    return count_breaks(b, i, j);
}

/* The quoted field at B[i]: stored as field NF; *E gets the byte after its
 * closing quote.  0 ok, -1 when it does not end inside the buffer. */
static int quoted_field(csvs *s, csvs_rec *r, size_t i, size_t nf, size_t *e, long *lines)
{
    const char *b = s->b;
    size_t j = i + 1, q;
    int esc = 0;
    for (;;) { /* from quote to quote */
        q = next_flag(s, j, 1);
        if (q + 1 >= s->end) return -1;
        *lines += quoted_breaks(s, b, j, q);
        if (b[q + 1] != '"') break;
        esc = 1; /* "" is one literal quote */
        j = q + 2;
    }
    if (nf < r->cap) {
        r->f[nf].p = b + i + 1;
        r->f[nf].len = q - i - 1;
        if (esc) r->esc[r->n_esc++] = nf;
    }
    *e = q + 1;
    return 0;
}

/* A record is scanned in two parts.  The fast part walks the commas of
 * each block up to the first line end, as long as no quote comes first:
 * a field end is then a count of trailing zeros.  From the first quote on
 * (or when R runs out of room) the general part takes over at the start
 * of the field it is in: it keeps the separators still ahead in the
 * block in M, checks what ends each field and jumps from quote to quote
 * in quoted fields.  The hot values live in locals, as the stores into
 * R's arrays could otherwise alias the scanner's state. */
int csvs_next(csvs *s, csvs_rec *r)
{
    const char *const b = s->b;
    const size_t end = s->end, cap = r->cap;
    csv_span *const f = r->f;
    size_t i = s->pos, nf = 0, e, base;
    long lines = s->lines;
    u64 m, from;

    if (i >= end) return CSVS_END;
    s->rec = i;
    s->rec_odd = 0;
    r->start = i;
    r->line = lines + 1;
    r->bad_field = 0;
    r->n_esc = 0;
    if (i - s->base >= 64) load_block(s, i & ~(size_t)63);
    base = s->base;
    from = ~0ull << (i - base);
    for (;;) { /* the fast part; I is the field start */
        u64 l = s->eol & from, below = l ? (l & (0 - l)) - 1 : ~0ull;
        u64 q = s->quote & from & below, c = s->comma & from & below;
        if (q) c &= (q & (0 - q)) - 1;   /* the commas before the first quote */
        if (nf + 65 > cap) goto general; /* room for a block's fields and the last */
        for (; c; c &= c - 1) {
            e = base + lowest_bit(c);
            f[nf].p = b + i;
            f[nf].len = e - i;
            nf++;
            i = e + 1;
        }
        if (q) goto general;
        if (l) {
            e = base + lowest_bit(l);
            f[nf].p = b + i;
            f[nf].len = e - i;
            nf++;
            goto record_end;
        }
        if (base + 64 >= end) return CSVS_PARTIAL;
        base += 64;
        load_block(s, base);
        from = ~0ull;
    }
general:
    if (i - s->base >= 64) load_block(s, i & ~(size_t)63);
    base = s->base;
    m = (s->comma | s->eol) & (~0ull << (i - base));
    for (;;) {             /* I is the start of field NF; B[end] is readable padding */
        if (b[i] != '"') { /* unquoted: up to the next , CR or LF */
            while (!m) {
                if (base + 64 >= end) return CSVS_PARTIAL;
                base += 64;
                load_block(s, base);
                m = s->comma | s->eol;
            }
            e = base + lowest_bit(m);
            m &= m - 1;
            if (nf < cap) {
                f[nf].p = b + i;
                f[nf].len = e - i;
            }
            nf++;
            if (b[e] != ',') break;
            i = e + 1;
            continue;
        }
        if (quoted_field(s, r, i, nf++, &e, &lines) != 0) return CSVS_PARTIAL;
        if (b[e] != ',') {
            if (b[e] == '\r' || b[e] == '\n') break;
            /* Junk after the closing quote: the rest of the line is one
             * bad record, read as unquoted text (so a stray quote cannot
             * swallow the records that follow). */
            r->bad_field = nf;
            do e = next_flag(s, e + 1, 0);
            while (e < end && b[e] == ',');
            if (e == end) return CSVS_PARTIAL;
            break;
        }
        i = e + 1;
        if (i - s->base >= 64) load_block(s, i & ~(size_t)63);
        base = s->base;
        m = (s->comma | s->eol) & (~0ull << (i - base));
    }
record_end:
    /* B[e] is the CR or LF that ends the record; the LF of a CRLF is its.
     * A partial record returned above left pos and lines at its start. */
    s->rec_odd |= s->odd & bits_from(s->rec, s->base) & bits_below(e, s->base);
    r->ascii = s->rec_odd == 0;
    r->len = e - r->start;
    r->nfields = r->bad_field ? 0 : nf;
    s->lines = lines + 1;
    s->pos = e + 1 + (b[e] == '\r' && e + 1 < end && b[e + 1] == '\n');
    return r->bad_field ? CSVS_BAD : CSVS_RECORD;
}

size_t csvs_unescape(char *p, size_t len)
{
    size_t o = 0;
    for (size_t k = 0; k < len; k++) {
        p[o++] = p[k];
        if (p[k] == '"') k++; /* skip the second quote of the pair */
    }
    return o;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

int csvs_ascii(const char *p, size_t n)
{
    u64 any = 0, zero = 0, v;
    size_t k = 0;

    for (; k + 8 <= n; k += 8) {
        memcpy(&v, p + k, 8);
        any |= v;
        zero |= (v - ONES) & ~v & HIGHS; /* nonzero iff v has a NUL byte */
    }
    for (; k < n; k++) {
        any |= (unsigned char)p[k];
        zero |= p[k] == '\0';
    }
    return !(any & HIGHS) && !zero;
}

/* Strict UTF-8 (RFC 3629): the lead byte fixes the range of the first
 * continuation byte, which rules out overlongs, surrogates and > U+10FFFF. */
int utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + len;

    while (p < e) {
        unsigned c = *p, lo = 0x80, hi = 0xBF;
        size_t n;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c < 0xC2 || c > 0xF4) return 0; /* continuation, C0/C1 overlong, > U+10FFFF */
        n = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        if (c == 0xE0) lo = 0xA0; /* E0 80..9F: overlong */
        if (c == 0xED) hi = 0x9F; /* ED A0..BF: UTF-16 surrogates */
        if (c == 0xF0) lo = 0x90; /* F0 80..8F: overlong */
        if (c == 0xF4) hi = 0x8F; /* F4 90..BF: above U+10FFFF */
        if ((size_t)(e - p) <= n || p[1] < lo || p[1] > hi) return 0;
        for (size_t k = 2; k <= n; k++)
            if ((p[k] & 0xC0) != 0x80) return 0;
        p += n + 1;
    }
    return 1;
}

int utf8_clean(const char *s, size_t len)
{
    return csvs_ascii(s, len) || (!memchr(s, '\0', len) && utf8_valid(s, len));
}
