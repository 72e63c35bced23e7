/* http_jsontext.c — http_json_mend (ingest/http.h): a vendor's JSON body
 * made safe to parse before cJSON sees it.  Two string escapes that the
 * JSON grammar allows would otherwise lose data without a word:
 *
 * - "\u0000": cJSON decodes it into a NUL byte, and every reader of the
 *   string (C text) stops there: ids "R\u0000A" and "R\u0000B" became one
 *   id "R", a comment was cut at it.
 * - a UTF-16 surrogate escape without its pair ("\ud83d" of an emoji cut
 *   in half, which JavaScript and Python write and read): cJSON refuses
 *   the whole body, so one record failed its page and, retried, the
 *   source for good.
 *
 * Each is written instead as bytes that are not UTF-8 — the NUL as C0 80
 * (its overlong form), a lone surrogate as its three-byte form ED A0..BF
 * xx — so the record that holds it in a field it keeps is rejected like a
 * CSV row with a NUL or bad UTF-8 (ingest/fieldmap.c check_text says
 * which), with the rest of the page stored; a string no field keeps is
 * dropped as before.  The body only shrinks (6 bytes become 2 or 3), in
 * place.  Pure; unit-tested in tests/unit/test_http.c. */
#include "ingest/http.h"

#include <string.h>

static int hex4(const char *p, const char *end, unsigned *out)
{
    unsigned v = 0;
    if (end - p < 4) return -1;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

int http_json_would_mend(const char *body, size_t len)
{
    const char *r = body, *end = body + len;
    while ((r = memchr(r, '\\', (size_t)(end - r))) != NULL) {
        unsigned u;
        if (end - r >= 6 && r[1] == 'u' && hex4(r + 2, end, &u) == 0 &&
            (u == 0 || (u >= 0xD800 && u <= 0xDFFF)))
            return 1;              /* a whole pair too: enough to keep a copy */
        r += end - r >= 2 ? 2 : 1; /* the escaped byte is no escape's start ("\\\\u0000") */
    }
    return 0;
}

size_t http_json_mend(char *body, size_t len)
{
    const char *r = body, *end = body + len;
    char *w = body;
    int in_string = 0;
    while (r < end) {
        char c = *r;
        if (!in_string) {
            in_string = c == '"';
            *w++ = *r++;
            continue;
        }
        if (c == '"') {
            in_string = 0;
            *w++ = *r++;
            continue;
        }
        if (c != '\\' || end - r < 2) {
            *w++ = *r++;
            continue;
        }
        unsigned u, lo;
        if (r[1] != 'u' || hex4(r + 2, end, &u) != 0) { /* another escape: both bytes as they are */
            *w++ = *r++;
            *w++ = *r++;
            continue;
        }
        if (u == 0) {
            *w++ = (char)0xC0;
            *w++ = (char)0x80;
            r += 6;
        } else if (u >= 0xD800 && u <= 0xDBFF && end - r >= 12 && r[6] == '\\' && r[7] == 'u' &&
                   hex4(r + 8, end, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
            memmove(w, r, 12); /* a whole pair: cJSON decodes it */
            w += 12;
            r += 12;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            *w++ = (char)0xED; /* the surrogate's own three bytes: not UTF-8 */
            *w++ = (char)(0x80 | ((u >> 6) & 0x3F));
            *w++ = (char)(0x80 | (u & 0x3F));
            r += 6;
        } else {
            memmove(w, r, 6);
            w += 6;
            r += 6;
        }
    }
    return (size_t)(w - body);
}
