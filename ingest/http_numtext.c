/* http_numtext.c — http_keep_text and http_record_text (ingest/http.h):
 * what cJSON does not keep of a vendor's body.
 *
 * - A number only as a double, so two ids 9007199254740993 and
 *   9007199254740992 (above 2^53) would read back as one.
 * - A record's own bytes: printed again, a rejected record's raw text
 *   lost those digits, the escapes http_json_mend rewrites, and the
 *   vendor's spacing and order of writing.
 *
 * This walks the body's text beside the parsed tree (cJSON keeps items in
 * document order, duplicate keys included) and gives every integer literal
 * too long for a double its own text as the item's valuestring, which
 * cJSON_Delete frees with the item (no reader of a number looks at it
 * otherwise).  Every object that is an array's element (and within no
 * other such object: the records of a page) gets where its text lies in
 * the body, which the tree's root then owns (its valuestring, unused in an
 * object or an array): the record's `string` (an array's element has no
 * name) points at it, flagged cJSON_StringIsConst so that cJSON_Delete
 * leaves it, and its valueint (unused in an object) is its length.  No
 * copy: the body the client read stays, in the tree, as long as the tree.
 * No network; unit-tested in tests/unit/test_vendor_props.c. */
#include "ingest/http.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Integer literals with this many digits or more may not survive a double. */
#define EXACT_DIGITS 16

typedef struct lexer {
    const char *s;
    size_t n, i;
} lexer;

static void skip_ws(lexer *l)
{
    while (l->i < l->n && (unsigned char)l->s[l->i] <= 32) /* cJSON's own whitespace rule */
        l->i++;
}

static int peek(const lexer *l) { return l->i < l->n ? (unsigned char)l->s[l->i] : -1; }

static int skip_string(lexer *l)
{
    l->i++; /* the opening quote */
    while (l->i < l->n) {
        char c = l->s[l->i++];
        if (c == '\\') l->i++;
        else if (c == '"') return 0;
    }
    return -1;
}

/* The number literal at L into V->valuestring when it is an integer of
 * EXACT_DIGITS digits or more.  0 ok, -1 out of memory. */
static int keep_number(lexer *l, cJSON *v)
{
    size_t a = l->i, digits = 0;
    int integer = 1;
    while (l->i < l->n && strchr("+-0123456789.eE", l->s[l->i]) != NULL && l->s[l->i] != '\0') {
        char c = l->s[l->i++];
        if (c >= '0' && c <= '9') digits++;
        else if (!(c == '-' && l->i - 1 == a)) integer = 0;
    }
    if (!integer || digits < EXACT_DIGITS || v->valuestring != NULL) return 0;
    char *t = malloc(l->i - a + 1);
    if (t == NULL) return -1;
    memcpy(t, l->s + a, l->i - a);
    t[l->i - a] = '\0';
    v->valuestring = t;
    return 0;
}

static int walk(lexer *l, cJSON *v, int depth, int in_record);

/* Bytes A..L's place of L's text as V's (see above); a text with a NUL
 * byte is not kept (a reject's text is C text). */
static void keep_record(const lexer *l, size_t a, cJSON *v)
{
    size_t n = l->i - a;
    if (v->string != NULL || n > INT_MAX || memchr(l->s + a, '\0', n) != NULL) return;
    v->string = (char *)(uintptr_t)(l->s + a); /* the root's text: never written through */
    v->type |= cJSON_StringIsConst;
    v->valueint = (int)n;
}

/* The members of an object or the items of an array, V's children in
 * order; IN_RECORD: V is a record or within one. */
static int walk_children(lexer *l, cJSON *v, int object, int depth, int in_record)
{
    int close = object ? '}' : ']';
    cJSON *ch = v->child;
    l->i++;
    skip_ws(l);
    if (peek(l) == close) {
        l->i++;
        return ch == NULL ? 0 : -1;
    }
    for (;;) {
        if (object) {
            skip_ws(l);
            if (peek(l) != '"' || skip_string(l) != 0) return -1;
            skip_ws(l);
            if (peek(l) != ':') return -1;
            l->i++;
        }
        if (ch == NULL) return -1;
        int record = !object && !in_record && cJSON_IsObject(ch);
        skip_ws(l);
        size_t a = l->i;
        if (walk(l, ch, depth + 1, in_record || record) != 0) return -1;
        if (record) keep_record(l, a, ch);
        ch = ch->next;
        skip_ws(l);
        if (peek(l) == ',') {
            l->i++;
            continue;
        }
        if (peek(l) == close) {
            l->i++;
            return ch == NULL ? 0 : -1;
        }
        return -1;
    }
}

static int walk(lexer *l, cJSON *v, int depth, int in_record)
{
    skip_ws(l);
    int c = peek(l);
    if (v == NULL || c < 0 || depth > CJSON_NESTING_LIMIT) return -1;
    if (c == '{' || c == '[')
        return (c == '{' ? cJSON_IsObject(v) : cJSON_IsArray(v))
                   ? walk_children(l, v, c == '{', depth, in_record)
                   : -1;
    if (c == '"') return cJSON_IsString(v) ? skip_string(l) : -1;
    if (c == '-' || (c >= '0' && c <= '9')) return cJSON_IsNumber(v) ? keep_number(l, v) : -1;
    while (l->i < l->n && l->s[l->i] >= 'a' && l->s[l->i] <= 'z') l->i++; /* true, false, null */
    return 0;
}

int http_keep_text(cJSON *root, char *text, size_t len)
{
    lexer l = {text, len, 0};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        l.i = 3; /* cJSON skips a UTF-8 byte order mark too */
    int holds = root != NULL && (cJSON_IsObject(root) || cJSON_IsArray(root)) && root->valuestring == NULL;
    if (holds) root->valuestring = text;
    int rc = walk(&l, root, 0, !holds); /* no record's text without a root to hold it */
    if (!holds) free(text);
    return rc;
}

const char *http_record_text(const cJSON *rec, size_t *len)
{
    if (!cJSON_IsObject(rec) || !(rec->type & cJSON_StringIsConst) || rec->string == NULL ||
        rec->valueint <= 0)
        return NULL;
    *len = (size_t)rec->valueint;
    return rec->string;
}

void http_record_text_drop(cJSON *rec)
{
    if (rec == NULL || !(rec->type & cJSON_StringIsConst)) return;
    rec->string = NULL;
    rec->type &= ~cJSON_StringIsConst;
    rec->valueint = 0;
}
