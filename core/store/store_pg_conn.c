/* store_pg_conn.c — the PostgreSQL connection: the target checked (no
 * password in it), the connection made with the password from the
 * environment or ~/.pgpass, and libpq's messages put on one line
 * (store_pg_int.h). */
#include "core/store/store_pg_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CX_HAVE_LIBPQ

/* Copies MSG into OUT on one line: runs of white space become one space. */
void pg_one_line(char *out, size_t cap, const char *msg)
{
    size_t n = 0;
    int space = 0;
    for (const char *p = msg; *p && n + 1 < cap; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < cap) out[n++] = ' ';
        space = 0;
        out[n++] = *p;
    }
    out[n] = '\0';
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* 1 when the N bytes at P are one of libpq's connection keywords. */
static int is_keyword(const char *p, size_t n)
{
    PQconninfoOption *d = PQconndefaults();
    int found = 0;
    for (const PQconninfoOption *o = d; d && o->keyword && !found; o++)
        found = strlen(o->keyword) == n && !strncmp(o->keyword, p, n);
    PQconninfoFree(d);
    return found;
}

/* Blanks the "quoted" parts of libpq's parse errors: they may quote a
 * piece of the connection string, and that piece may be a password.  A
 * quoted single character ("=") or connection keyword stays. */
static void unquote(char *out, size_t cap, const char *msg)
{
    char tmp[400];
    size_t n = 0;
    for (const char *p = msg; *p && n + 6 < sizeof tmp; p++) {
        const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (!end) {
            tmp[n++] = *p;
            continue;
        }
        size_t len = (size_t)(end - p - 1);
        int keep = len <= 1 || is_keyword(p + 1, len);
        const char *put = keep ? p : "\"...\"";
        size_t plen = keep ? len + 2 : 5;
        if (n + plen + 6 >= sizeof tmp) break;
        memcpy(tmp + n, put, plen);
        n += plen;
        p = end;
    }
    tmp[n] = '\0';
    pg_one_line(out, cap, tmp);
}

/* Refuses a connection string that does not parse or holds a password. */
static int check_conninfo(const char *target, char *err, size_t errlen)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(target, &msg);
    if (!opts) {
        char why[300];
        unquote(why, sizeof why, msg ? msg : "out of memory");
        PQfreemem(msg);
        snprintf(err, errlen, "store: invalid PostgreSQL connection string: %s", why);
        return -1;
    }
    int has_password = 0;
    for (const PQconninfoOption *o = opts; o->keyword; o++)
        if (!strcmp(o->keyword, "password") && o->val && o->val[0]) has_password = 1;
    PQconninfoFree(opts);
    if (has_password) {
        snprintf(err, errlen,
                 "store: a password in the connection string is refused; "
                 "use PGPASSWORD, ~/.pgpass or the config's password_env");
        return -1;
    }
    return 0;
}

PGconn *pg_connect(const char *target, const store_open_opts *o, char *err, size_t errlen)
{
    if (check_conninfo(target, err, errlen) != 0) return NULL;
    const char *password = NULL;
    if (o->password_env) {
        password = getenv(o->password_env);
        if (!password) {
            snprintf(err, errlen, "store: password_env names $%s, which is not set", o->password_env);
            return NULL;
        }
    }
    /* Later keywords override what the expanded dbname string sets: the
     * defaults come before it, what cxpulse needs after it. */
    const char *kw[] = {"connect_timeout", "application_name",           "dbname",
                        "client_encoding", password ? "password" : NULL, NULL};
    const char *val[] = {"10", "cxpulse", target, "UTF8", password, NULL};
    PGconn *c = PQconnectdbParams(kw, val, 1);
    if (!c) {
        snprintf(err, errlen, "store: out of memory");
        return NULL;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        char shown[256], why[400];
        store_target_redact(target, shown, sizeof shown);
        pg_one_line(why, sizeof why, PQerrorMessage(c));
        snprintf(err, errlen, "store: cannot connect to %s: %s", shown, why);
        PQfinish(c);
        return NULL;
    }
    PQsetNoticeProcessor(c, ignore_notice, NULL);
    return c;
}

#endif /* CX_HAVE_LIBPQ */
