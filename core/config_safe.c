/* config_safe.c — what cxpulse.json may not hold, whatever the key table
 * says: a literal secret (a token belongs in an environment variable), a
 * switch that would weaken TLS, and a vendor URL that is not https://
 * (plain http:// only to this machine).  Pure functions on names and
 * strings; core/config.c turns their answers into messages with the
 * file and key (docs/security.md). */
#include "core/config_int.h"

#include <string.h>
#include <strings.h>

/* 1 when KEY (any case) names a secret: a token, key or password written
 * into the file ("token_env", which names a variable, is not one). */
static int secret_key(const char *key)
{
    static const char *const names[] = {"token",         "api_key",  "apikey", "api_token",
                                        "access_token",  "password", "passwd", "secret",
                                        "client_secret", "key",      "bearer", "authorization"};
    static const char *const suffixes[] = {"_token", "_secret", "_password", "_apikey", "_api_key"};
    size_t n = strlen(key);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(key, names[i]) == 0) return 1;
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t k = strlen(suffixes[i]);
        if (n > k && strcasecmp(key + n - k, suffixes[i]) == 0) return 1;
    }
    return 0;
}

/* 1 when KEY (any case) asks to weaken TLS: "insecure", "verify",
 * "ssl_verify", "tls_verify_peer", … */
static int tls_key(const char *key)
{
    char low[64];
    size_t n = 0;
    for (; key[n] && n < sizeof low - 1; n++)
        low[n] = (char)(key[n] >= 'A' && key[n] <= 'Z' ? key[n] - 'A' + 'a' : key[n]);
    low[n] = '\0';
    return strstr(low, "insecure") || strstr(low, "verify") || strstr(low, "skip_tls") ||
           strstr(low, "no_tls") || strstr(low, "ssl_no");
}

const char *cfg_refused_key(const char *key)
{
    if (secret_key(key))
        return "a literal secret in the config is refused; "
               "put it in an environment variable and name that variable in token_env";
    if (tls_key(key))
        return "TLS certificate verification is always on and cannot be "
               "turned off; to trust a private CA, name its bundle in ca_file";
    return NULL;
}

/* 1 when the host of URL (after its scheme's "//") is this machine:
 * localhost, 127.0.0.0/8 or [::1].  User info ("user@") is skipped, so
 * http://127.0.0.1@example.com/ is example.com. */
static int loopback_host(const char *url)
{
    const char *a = strstr(url, "//");
    if (!a) return 0;
    a += 2;
    size_t alen = strcspn(a, "/?#");
    for (size_t i = alen; i > 0; i--)
        if (a[i - 1] == '@') {
            alen -= i;
            a += i;
            break;
        }
    size_t hlen = strcspn(a, ":/?#");
    if (a[0] == '[') {
        const char *rb = memchr(a, ']', alen);
        hlen = rb ? (size_t)(rb - a) + 1 : alen;
        if (hlen < alen && a[hlen] != ':') return 0;
    }
    if (hlen > alen) hlen = alen;
    if ((hlen == 9 && !strncasecmp(a, "localhost", 9)) || (hlen == 5 && !strncmp(a, "[::1]", 5))) return 1;
    if (hlen < 7 || strncmp(a, "127.", 4) != 0) return 0;
    int dots = 0;
    for (size_t i = 0; i < hlen; i++) {
        if (a[i] == '.') dots++;
        else if (a[i] < '0' || a[i] > '9') return 0;
    }
    return dots == 3;
}

/* base_url must be an http(s) URL: curl is limited to those anyway, and a
 * clear message beats "unsupported protocol" at the first sync.  Plain
 * http:// only to this machine (a local test server or the mock vendor):
 * anywhere else the token would cross the network unencrypted. */
const char *cfg_url_refused(const char *url)
{
    if (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0)
        return "must start with https:// (or http:// for a local test server)";
    if (strpbrk(url, " \t\r\n")) return "must not contain spaces or line breaks";
    const char *a = strstr(url, "://") + 3;
    if (memchr(a, '@', strcspn(a, "/?#")))
        return "must not hold a user name or password (user:password@host): curl would send "
               "it, and a vendor's error could echo it; credentials come only from the "
               "environment (token_env)";
    if (strpbrk(url, "?#"))
        return "must not hold a query (?) or a fragment (#): each request's own path and "
               "query are added to it";
    if (!strncasecmp(url, "http://", 7) && !loopback_host(url))
        return "plain http:// is only for a server on this machine (localhost, "
               "127.0.0.1, [::1]): the token would travel unencrypted; use https://";
    return NULL;
}

const char *cfg_env_name_refused(const char *key, const char *value)
{
    size_t n = strlen(key);
    if (n < 4 || strcmp(key + n - 4, "_env") != 0 || value[0] == '\0') return NULL;
    size_t len = strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
    if (value[len] == '\0' && !(value[0] >= '0' && value[0] <= '9') && len <= 128) return NULL;
    return "must be the name of an environment variable (letters, digits and _, not starting "
           "with a digit, at most 128); the value is not shown: if it is a token, treat it as "
           "exposed, put it in an environment variable and name that variable here";
}
