/* config.c — see config.h.  Reads cxpulse.json with cJSON. */
#include "core/config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CONFIG_MAX_BYTES (4u * 1024u * 1024u)

static void set_defaults(cx_config *c)
{
    c->moment_lo = 1;
    c->moment_hi = 5;
    c->clv_years = 5;
    c->discount_rate = 0;
    c->hic_top = 0.20;
    c->spend_window_days = 90;
    c->confidence = 0.95;
}

cx_config *config_default(void)
{
    cx_config *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    set_defaults(c);
    c->store = strdup("cxpulse.db");
    if (!c->store) { free(c); return NULL; }
    return c;
}

static void source_free(cx_source_cfg *s)
{
    free(s->name); free(s->vendor); free(s->base_url); free(s->token_env);
    free(s->survey_id); free(s->nps_question); free(s->comment_question);
    free(s->ca_file); free(s->email); free(s->client_id_env); free(s->login_url); free(s->metric);
    for (size_t i = 0; i < s->n_fields; i++) {
        free(s->fields[i].field);
        free(s->fields[i].path);
    }
    free(s->fields);
}

void config_free(cx_config *c)
{
    if (!c) return;
    free(c->path);
    free(c->store);
    free(c->password_env);
    for (size_t i = 0; i < c->n_sources; i++) source_free(&c->sources[i]);
    free(c->sources);
    for (size_t i = 0; i < c->n_mot_types; i++) free(c->mot_types[i]);
    free(c->mot_types);
    free(c);
}

/* Reads a whole (small) file into a malloc'd, NUL-terminated buffer, its
 * length in *LEN.  A regular file gets a buffer of its own size (not the
 * 4 MiB limit).  NULL with errno set on failure. */
static char *slurp(const char *path, int *missing, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    *missing = 0;
    if (!f) { *missing = errno == ENOENT; return NULL; }
    int e = fstat(fileno(f), &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (e) {
        fclose(f);
        errno = e;
        return NULL;
    }
    size_t cap = S_ISREG(st.st_mode) && st.st_size >= 0 && (uintmax_t)st.st_size <= CONFIG_MAX_BYTES
                     ? (size_t)st.st_size + 1 : CONFIG_MAX_BYTES + 1;
    char *buf = malloc(cap);
    if (!buf) { fclose(f); errno = ENOMEM; return NULL; }
    size_t n = fread(buf, 1, cap, f);
    int bad = ferror(f) || n == cap;   /* full: over the limit, or it grew while read */
    fclose(f);
    if (bad) {
        free(buf);
        errno = n > CONFIG_MAX_BYTES ? EFBIG : n == cap ? EAGAIN : EIO;
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

typedef struct ctx { const char *path; char *err; size_t errlen; } ctx;

static int fail(ctx *x, const char *what, const char *why)
{
    snprintf(x->err, x->errlen, "%s: %s: %s", x->path, what, why);
    return -1;
}

/* Optional string member KEY of OBJ into *out (owned). */
static int get_str(ctx *x, const cJSON *obj, const char *key, char **out, int required)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it || cJSON_IsNull(it)) return required ? fail(x, key, "is required") : 0;
    if (!cJSON_IsString(it)) return fail(x, key, "must be a string");
    if (required && it->valuestring[0] == '\0') return fail(x, key, "must not be empty");
    free(*out);
    *out = strdup(it->valuestring);
    return *out ? 0 : fail(x, key, "out of memory");
}

static int get_num(ctx *x, const cJSON *obj, const char *key, double *out, double lo, double hi)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it || cJSON_IsNull(it)) return 0;
    if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble)) return fail(x, key, "must be a number");
    if (it->valuedouble < lo || it->valuedouble > hi) return fail(x, key, "is out of range");
    *out = it->valuedouble;
    return 0;
}

static int get_int(ctx *x, const cJSON *obj, const char *key, int *out, int lo, int hi)
{
    double v = *out;
    if (get_num(x, obj, key, &v, lo, hi) != 0) return -1;
    if (v != floor(v)) return fail(x, key, "must be a whole number");
    *out = (int)v;
    return 0;
}

static int parse_fields(ctx *x, const cJSON *obj, cx_source_cfg *s)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(obj, "fields");
    if (!f || cJSON_IsNull(f)) return 0;
    if (!cJSON_IsObject(f)) return fail(x, "fields", "must be an object");
    size_t n = (size_t)cJSON_GetArraySize(f);
    s->fields = calloc(n ? n : 1, sizeof *s->fields);
    if (!s->fields) return fail(x, "fields", "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach(it, f) {
        if (!cJSON_IsString(it)) return fail(x, "fields", "every value must be a string path");
        if (!it->string || !it->string[0] || !it->valuestring[0])
            return fail(x, "fields", "names and paths must not be empty");
        cx_field_map *m = &s->fields[s->n_fields++];
        m->field = strdup(it->string);
        m->path = strdup(it->valuestring);
        if (!m->field || !m->path) return fail(x, "fields", "out of memory");
    }
    return 0;
}

/* 1 when KEY (any case) names a secret: a token, key or password written
 * into the file ("token_env", which names a variable, is not one). */
static int secret_key(const char *key)
{
    static const char *const names[] = {"token", "api_key", "apikey", "api_token", "access_token",
                                        "password", "passwd", "secret", "client_secret", "key",
                                        "bearer", "authorization"};
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

/* Refuses a literal secret or a TLS switch among the keys of OBJ (the
 * root or a source).  The message names the key, never its value. */
static int check_keys(ctx *x, const cJSON *obj)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        if (!it->string) continue;
        if (secret_key(it->string))
            return fail(x, it->string, "a literal secret in the config is refused; "
                        "put it in an environment variable and name that variable in token_env");
        if (tls_key(it->string))
            return fail(x, it->string, "TLS certificate verification is always on and cannot be "
                        "turned off; to trust a private CA, name its bundle in ca_file");
    }
    return 0;
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
        if (a[i - 1] == '@') { alen -= i; a += i; break; }
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
static int check_base_url(ctx *x, const char *key, const char *url)
{
    if (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0)
        return fail(x, key, "must start with https:// (or http:// for a local test server)");
    if (strpbrk(url, " \t\r\n"))
        return fail(x, key, "must not contain spaces or line breaks");
    if (!strncasecmp(url, "http://", 7) && !loopback_host(url))
        return fail(x, key, "plain http:// is only for a server on this machine (localhost, "
                    "127.0.0.1, [::1]): the token would travel unencrypted; use https://");
    return 0;
}

static int parse_source(ctx *x, const cJSON *obj, cx_source_cfg *s)
{
    if (!cJSON_IsObject(obj)) return fail(x, "sources", "every source must be an object");
    if (check_keys(x, obj)) return -1;
    s->per_page = 100;
    s->max_attempts = 6;
    s->deadline_s = 600;
    s->timeout_s = 60;
    s->connect_timeout_s = 15;
    s->lookback_days = 7;
    if (get_str(x, obj, "name", &s->name, 1) || get_str(x, obj, "vendor", &s->vendor, 1) ||
        get_str(x, obj, "base_url", &s->base_url, 1) || get_str(x, obj, "token_env", &s->token_env, 1) ||
        get_str(x, obj, "survey_id", &s->survey_id, 0) ||
        get_str(x, obj, "nps_question", &s->nps_question, 0) ||
        get_str(x, obj, "comment_question", &s->comment_question, 0) ||
        get_str(x, obj, "ca_file", &s->ca_file, 0) ||
        get_str(x, obj, "email", &s->email, 0) ||
        get_str(x, obj, "client_id_env", &s->client_id_env, 0) ||
        get_str(x, obj, "login_url", &s->login_url, 0) ||
        get_str(x, obj, "metric", &s->metric, 0) ||
        get_int(x, obj, "lookback_days", &s->lookback_days, 0, 3660) ||
        get_int(x, obj, "per_page", &s->per_page, 1, 1000) ||
        get_int(x, obj, "max_attempts", &s->max_attempts, 1, 100) ||
        get_num(x, obj, "deadline_s", &s->deadline_s, 1, 86400 * 7) ||
        get_num(x, obj, "timeout_s", &s->timeout_s, 1, 86400) ||
        get_num(x, obj, "connect_timeout_s", &s->connect_timeout_s, 1, 3600))
        return -1;
    if (check_base_url(x, "base_url", s->base_url)) return -1;
    if (s->login_url && check_base_url(x, "login_url", s->login_url)) return -1;
    return parse_fields(x, obj, s);
}

static int parse_root(ctx *x, const cJSON *root, cx_config *c)
{
    if (!cJSON_IsObject(root)) return fail(x, "config", "must be a JSON object");
    if (check_keys(x, root)) return -1;
    if (get_str(x, root, "store", &c->store, 0) || get_str(x, root, "password_env", &c->password_env, 0))
        return -1;
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(root, "sources");
    if (src && !cJSON_IsNull(src)) {
        if (!cJSON_IsArray(src)) return fail(x, "sources", "must be an array");
        size_t n = (size_t)cJSON_GetArraySize(src);
        c->sources = calloc(n ? n : 1, sizeof *c->sources);
        if (!c->sources) return fail(x, "sources", "out of memory");
        const cJSON *it;
        cJSON_ArrayForEach(it, src) {
            if (parse_source(x, it, &c->sources[c->n_sources++])) return -1;
            for (size_t i = 0; i + 1 < c->n_sources; i++)
                if (!strcmp(c->sources[i].name, c->sources[c->n_sources - 1].name))
                    return fail(x, "sources", "two sources have the same name");
        }
    }
    const cJSON *mot = cJSON_GetObjectItemCaseSensitive(root, "mot_types");
    if (mot && !cJSON_IsNull(mot)) {
        if (!cJSON_IsArray(mot)) return fail(x, "mot_types", "must be an array of strings");
        size_t n = (size_t)cJSON_GetArraySize(mot);
        c->mot_types = calloc(n ? n : 1, sizeof *c->mot_types);
        if (!c->mot_types) return fail(x, "mot_types", "out of memory");
        const cJSON *it;
        cJSON_ArrayForEach(it, mot) {
            if (!cJSON_IsString(it)) return fail(x, "mot_types", "must be an array of strings");
            c->mot_types[c->n_mot_types] = strdup(it->valuestring);
            if (!c->mot_types[c->n_mot_types++]) return fail(x, "mot_types", "out of memory");
        }
    }
    const cJSON *scale = cJSON_GetObjectItemCaseSensitive(root, "moment_scale");
    if (scale && !cJSON_IsNull(scale)) {
        const cJSON *lo = cJSON_GetArrayItem(scale, 0), *hi = cJSON_GetArrayItem(scale, 1);
        if (!cJSON_IsArray(scale) || cJSON_GetArraySize(scale) != 2 || !cJSON_IsNumber(lo) ||
            !cJSON_IsNumber(hi) || lo->valuedouble != floor(lo->valuedouble) ||
            hi->valuedouble != floor(hi->valuedouble) || lo->valuedouble >= hi->valuedouble ||
            fabs(lo->valuedouble) > 1000 || fabs(hi->valuedouble) > 1000)
            return fail(x, "moment_scale", "must be [lo, hi], whole numbers with lo < hi");
        c->moment_lo = (int)lo->valuedouble;
        c->moment_hi = (int)hi->valuedouble;
    }
    return get_num(x, root, "clv_years", &c->clv_years, 0, 1000) ||
           get_num(x, root, "discount_rate", &c->discount_rate, 0, 10) ||
           get_num(x, root, "hic_top", &c->hic_top, 0.0001, 1) ||
           get_int(x, root, "spend_window_days", &c->spend_window_days, 1, 3660) ||
           get_num(x, root, "confidence", &c->confidence, 0.5, 0.9999) ? -1 : 0;
}

cx_config *config_load(const char *path, int missing_ok, char *err, size_t errlen)
{
    int missing;
    size_t len = 0;
    char *text = slurp(path, &missing, &len);
    if (!text) {
        if (missing && missing_ok) return config_default();
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    /* One JSON value and nothing after it: trailing text (a second object,
     * a NUL byte and more) is an error, not silently ignored.  cJSON limits
     * nesting (CJSON_NESTING_LIMIT), so a deep document cannot exhaust the
     * stack. */
    const char *end = NULL;
    cJSON *root = strlen(text) == len ? cJSON_ParseWithOpts(text, &end, 1) : NULL;
    if (!root) {
        const char *at = strlen(text) == len ? end : text + strlen(text);
        long line = 1;
        for (const char *p = text; at && p < at && *p; p++) line += *p == '\n';
        snprintf(err, errlen, "%s:%ld: not valid JSON%s", path, line,
                 strlen(text) == len ? "" : " (NUL byte)");
        free(text);
        return NULL;
    }
    free(text);
    cx_config *c = config_default();
    ctx x = {path, err, errlen};
    if (!c || !(c->path = strdup(path)) || parse_root(&x, root, c) != 0) {
        if (!c) snprintf(err, errlen, "%s: out of memory", path);
        cJSON_Delete(root);
        config_free(c);
        return NULL;
    }
    cJSON_Delete(root);
    return c;
}

const cx_source_cfg *config_source(const cx_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_sources; i++)
        if (strcmp(c->sources[i].name, name) == 0) return &c->sources[i];
    return NULL;
}

int config_is_mot(const cx_config *c, const char *type)
{
    if (!type || !*type) return 0;
    for (size_t i = 0; i < c->n_mot_types; i++)
        if (strcmp(c->mot_types[i], type) == 0) return 1;
    return 0;
}
