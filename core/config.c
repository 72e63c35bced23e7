/* config.c — see config.h: reads cxpulse.json with cJSON, key by key
 * through the table of core/config_keys.c, refusing what core/config_safe.c
 * refuses.  The tree's defaults, lookups and freeing: core/config_tree.c. */
#include "core/config.h"
#include "core/config_int.h"

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

/* Reads a whole (small) file into a malloc'd, NUL-terminated buffer, its
 * length in *LEN.  A regular file gets a buffer of its own size (not the
 * 4 MiB limit).  NULL with errno set on failure. */
static char *slurp(const char *path, int *missing, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    *missing = 0;
    if (!f) {
        *missing = errno == ENOENT;
        return NULL;
    }
    int e = fstat(fileno(f), &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (e) {
        fclose(f);
        errno = e;
        return NULL;
    }
    size_t cap = S_ISREG(st.st_mode) && st.st_size >= 0 && (uintmax_t)st.st_size <= CONFIG_MAX_BYTES
                     ? (size_t)st.st_size + 1
                     : CONFIG_MAX_BYTES + 1;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return NULL;
    }
    size_t n = fread(buf, 1, cap, f);
    int bad = ferror(f) || n == cap; /* full: over the limit, or it grew while read */
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

/* WHERE is "" at the top level, "sources[2]" in a source; DIR is the
 * config file's folder (with its trailing '/'), or NULL when the file was
 * named without one. */
typedef struct ctx {
    const char *path;
    char *err;
    size_t errlen;
    char where[32];
    const char *dir;
    size_t dirlen;
} ctx;

static int fail(ctx *x, const char *what, const char *why)
{
    snprintf(x->err, x->errlen, "%s: %s%s%s: %s", x->path, x->where, x->where[0] ? "." : "", what, why);
    return -1;
}

/* 1 when VALUE of a CFG_PATH key is a relative file path to resolve: not
 * absolute, not empty, not a URL or a libpq key=value string. */
static int relative_path(const char *v)
{
    return v[0] && v[0] != '/' && v[0] != ':' && !strstr(v, "://") && !strchr(v, '=');
}

/* The value of a string key, owned: a relative CFG_PATH joined to the
 * config file's folder, so a config means the same from any directory. */
static char *string_value(ctx *x, const cfg_key *k, const char *v)
{
    if (k->kind != CFG_PATH || !x->dir || !relative_path(v)) return strdup(v);
    size_t n = strlen(v);
    char *out = malloc(x->dirlen + n + 1);
    if (!out) return NULL;
    memcpy(out, x->dir, x->dirlen);
    memcpy(out + x->dirlen, v, n + 1);
    return out;
}

/* Reads table row K from OBJ into the struct at BASE. */
static int read_key(ctx *x, const cJSON *obj, const cfg_key *k, void *base)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, k->name);
    char *p = (char *)base + k->off;
    char range[96];
    if (!it || cJSON_IsNull(it)) return k->required ? fail(x, k->name, "is required") : 0;
    switch (k->kind) {
    case CFG_STR:
    case CFG_PATH: {
        if (!cJSON_IsString(it)) return fail(x, k->name, "must be a string");
        if (k->required && it->valuestring[0] == '\0') return fail(x, k->name, "must not be empty");
        const char *bad = cfg_env_name_refused(k->name, it->valuestring);
        if (bad) return fail(x, k->name, bad);
        char *v = string_value(x, k, it->valuestring);
        if (!v) return fail(x, k->name, "out of memory");
        free(*(char **)p);
        *(char **)p = v;
        return 0;
    }
    case CFG_NUM:
    case CFG_INT:
        if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
            return fail(x, k->name, k->kind == CFG_INT ? "must be a whole number" : "must be a number");
        if (it->valuedouble < k->lo || it->valuedouble > k->hi) {
            snprintf(range, sizeof range, "is out of range (%g to %g)", k->lo, k->hi);
            return fail(x, k->name, range);
        }
        if (k->kind == CFG_NUM) {
            *(double *)p = it->valuedouble;
            return 0;
        }
        if (it->valuedouble != floor(it->valuedouble)) return fail(x, k->name, "must be a whole number");
        *(int *)p = (int)it->valuedouble;
        return 0;
    default: return 0;
    }
}

/* Every key of OBJ must be a row of SCOPE's table, and appear once: a typo
 * is an error, never a silent default. */
static int check_known(ctx *x, const cJSON *obj, cfg_scope scope)
{
    const cJSON *it;
    cJSON_ArrayForEach (it, obj) {
        if (!it->string) continue;
        const cfg_key *k = cfg_key_find(scope, it->string);
        if (!k) {
            char msg[512];
            cfg_unknown_key(scope, x->where, it->string, msg, sizeof msg);
            snprintf(x->err, x->errlen, "%s: %s", x->path, msg);
            return -1;
        }
        for (const cJSON *o = obj->child; o != it; o = o->next)
            if (o->string && !strcmp(o->string, it->string)) return fail(x, it->string, "given twice");
    }
    return 0;
}

/* Reads every generic row of SCOPE from OBJ into BASE. */
static int read_keys(ctx *x, const cJSON *obj, cfg_scope scope, void *base)
{
    for (size_t i = 0; i < cfg_n_keys; i++) {
        const cfg_key *k = &cfg_keys[i];
        if (k->scope == scope && k->kind != CFG_CUSTOM && read_key(x, obj, k, base) != 0) return -1;
    }
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
    cJSON_ArrayForEach (it, f) {
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

/* Refuses a literal secret or a TLS switch among the keys of OBJ (the
 * root or a source).  The message names the key, never its value. */
static int check_keys(ctx *x, const cJSON *obj)
{
    const cJSON *it;
    cJSON_ArrayForEach (it, obj) {
        const char *why = it->string ? cfg_refused_key(it->string) : NULL;
        if (why) return fail(x, it->string, why);
    }
    return 0;
}

static int check_base_url(ctx *x, const char *key, const char *url)
{
    const char *why = cfg_url_refused(url);
    return why ? fail(x, key, why) : 0;
}

static int parse_source(ctx *x, const cJSON *obj, cx_source_cfg *s)
{
    if (!cJSON_IsObject(obj)) {
        snprintf(x->err, x->errlen, "%s: %s: must be an object", x->path, x->where);
        return -1;
    }
    if (check_keys(x, obj)) return -1;
    cfg_set_defaults(CFG_SOURCE, s);
    if (check_known(x, obj, CFG_SOURCE) || read_keys(x, obj, CFG_SOURCE, s) ||
        check_base_url(x, "base_url", s->base_url) ||
        (s->login_url && check_base_url(x, "login_url", s->login_url)))
        return -1;
    return parse_fields(x, obj, s);
}

/* "labels": {"card_lost": "Card lost", …}: words for codes on the page. */
static int parse_labels(ctx *x, const cJSON *root, cx_config *c)
{
    const cJSON *lab = cJSON_GetObjectItemCaseSensitive(root, "labels");
    if (!lab || cJSON_IsNull(lab)) return 0;
    if (!cJSON_IsObject(lab)) return fail(x, "labels", "must be an object of strings");
    size_t n = (size_t)cJSON_GetArraySize(lab);
    c->labels = calloc(n ? n : 1, sizeof *c->labels);
    if (!c->labels) return fail(x, "labels", "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach (it, lab) {
        if (!cJSON_IsString(it) || !it->string) return fail(x, "labels", "must be an object of strings");
        cx_field_map *m = &c->labels[c->n_labels++];
        m->field = strdup(it->string);
        m->path = strdup(it->valuestring);
        if (!m->field || !m->path) return fail(x, "labels", "out of memory");
    }
    return 0;
}

static int parse_root(ctx *x, const cJSON *root, cx_config *c)
{
    if (!cJSON_IsObject(root)) return fail(x, "config", "must be a JSON object");
    if (check_keys(x, root) || check_known(x, root, CFG_ROOT) || read_keys(x, root, CFG_ROOT, c)) return -1;
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(root, "sources");
    if (src && !cJSON_IsNull(src)) {
        if (!cJSON_IsArray(src)) return fail(x, "sources", "must be an array");
        size_t n = (size_t)cJSON_GetArraySize(src);
        c->sources = calloc(n ? n : 1, sizeof *c->sources);
        if (!c->sources) return fail(x, "sources", "out of memory");
        const cJSON *it;
        cJSON_ArrayForEach (it, src) {
            snprintf(x->where, sizeof x->where, "sources[%zu]", c->n_sources);
            if (parse_source(x, it, &c->sources[c->n_sources++])) return -1;
            for (size_t i = 0; i + 1 < c->n_sources; i++)
                if (!strcmp(c->sources[i].name, c->sources[c->n_sources - 1].name))
                    return fail(x, "name", "two sources have the same name");
        }
        x->where[0] = '\0';
    }
    const cJSON *mot = cJSON_GetObjectItemCaseSensitive(root, "mot_types");
    if (mot && !cJSON_IsNull(mot)) {
        if (!cJSON_IsArray(mot)) return fail(x, "mot_types", "must be an array of strings");
        size_t n = (size_t)cJSON_GetArraySize(mot);
        c->mot_types = calloc(n ? n : 1, sizeof *c->mot_types);
        if (!c->mot_types) return fail(x, "mot_types", "out of memory");
        const cJSON *it;
        cJSON_ArrayForEach (it, mot) {
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
    return parse_labels(x, root, c);
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
    const char *slash = strrchr(path, '/');
    ctx x = {path, err, errlen, "", slash ? path : NULL, slash ? (size_t)(slash - path) + 1 : 0};
    if (!c || !(c->path = strdup(path)) || parse_root(&x, root, c) != 0) {
        if (!c) snprintf(err, errlen, "%s: out of memory", path);
        cJSON_Delete(root);
        config_free(c);
        return NULL;
    }
    cJSON_Delete(root);
    return c;
}
