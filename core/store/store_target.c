/* store_target.c — a store's target: whether it names a PostgreSQL server
 * (store_target_is_pg), and the target as it may be shown, its password
 * left out (store_target_redact), for messages and `status`. */
#include "core/store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_target_is_pg(const char *target)
{
    return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11) ||
           strstr(target, "dbname=") != NULL || strstr(target, "host=") != NULL;
}

/* ---- display without a password ---- */

typedef struct outbuf {
    char *p;
    size_t cap, n;
} outbuf;

static void out_mem(outbuf *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && o->n + 1 < o->cap; i++) o->p[o->n++] = s[i];
    o->p[o->n] = '\0';
}

/* URI: drops ":password" of the user part and any password=… parameter. */
static void redact_uri(const char *t, outbuf *o)
{
    const char *auth = strstr(t, "://") + 3;
    size_t alen = strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *q = auth; q < auth + alen; q++)
        if (*q == '@') at = q;
    out_mem(o, t, (size_t)(auth - t));
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        out_mem(o, auth, (size_t)((colon ? colon : at) - auth));
        out_mem(o, at, (size_t)(auth + alen - at));
    } else {
        out_mem(o, auth, alen);
    }
    const char *rest = auth + alen;
    const char *qm = strchr(rest, '?');
    if (!qm) {
        out_mem(o, rest, strlen(rest));
        return;
    }
    out_mem(o, rest, (size_t)(qm - rest));
    char sep = '?';
    for (const char *p = qm + 1; *p;) {
        size_t n = strcspn(p, "&");
        if (!(n >= 9 && !strncmp(p, "password=", 9)) && n > 0) {
            out_mem(o, &sep, 1);
            out_mem(o, p, n);
            sep = '&';
        }
        p += n;
        if (*p == '&') p++;
    }
}

/* key=value list (libpq syntax: values may be 'quoted' with \ escapes):
 * copies every pair but password. */
static void redact_kv(const char *t, outbuf *o)
{
    const char *p = t;
    int first = 1;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (!*p) break;
        const char *start = p;
        size_t klen = strcspn(p, "= \t\n\r");
        p += klen;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '=') {
            p++;
            while (*p == ' ' || *p == '\t') p++;
            if (*p == '\'') {
                for (p++; *p && *p != '\''; p++)
                    if (*p == '\\' && p[1]) p++;
                if (*p == '\'') p++;
            } else {
                for (; *p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'; p++)
                    if (*p == '\\' && p[1]) p++;
            }
        }
        if (klen == 8 && !strncmp(start, "password", 8)) continue;
        if (!first) out_mem(o, " ", 1);
        out_mem(o, start, (size_t)(p - start));
        first = 0;
    }
}

void store_target_redact(const char *target, char *buf, size_t cap)
{
    if (cap == 0) return;
    outbuf o = {buf, cap, 0};
    buf[0] = '\0';
    if (!target) return;
    if (!store_target_is_pg(target)) out_mem(&o, target, strlen(target));
    else if (strstr(target, "://") && strncmp(target, "postgres", 8) == 0) redact_uri(target, &o);
    else redact_kv(target, &o);
}
