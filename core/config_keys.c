/* config_keys.c — the one table of the keys cxpulse.json may hold, at the
 * top level and in each source, and the "did you mean" for a key not in
 * it.  Which source keys a vendor requires is the vendor table's business
 * (ingest/vendors.c).
 *
 * Owner: this file.  A new key is one row here (and its member in
 * core/config.h); core/config.c reads every CFG_STR/PATH/NUM/INT row
 * generically and refuses any key not in the table. */
#include "core/config_int.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A key is spelt as its member of cx_config (ROOT_*) or cx_source_cfg
 * (SRC_*), written once: the two cannot drift apart.  A text key (CFG_STR,
 * CFG_PATH) has no range; REQ marks a key every source needs; a CUSTOM key
 * is read by code of its own in core/config.c. */
#define KEY(scope, type, member, kind, lo, hi, def, req) \
    {scope, #member, kind, offsetof(type, member), lo, hi, def, req}
#define ROOT_TEXT(member, kind) KEY(CFG_ROOT, cx_config, member, kind, 0, 0, 0, 0)
#define ROOT_NUM(member, kind, lo, hi, def) KEY(CFG_ROOT, cx_config, member, kind, lo, hi, def, 0)
#define ROOT_CUSTOM(name) {CFG_ROOT, name, CFG_CUSTOM, 0, 0, 0, 0, 0}
#define SRC_TEXT(member, kind, req) KEY(CFG_SOURCE, cx_source_cfg, member, kind, 0, 0, 0, req)
#define SRC_NUM(member, kind, lo, hi, def) KEY(CFG_SOURCE, cx_source_cfg, member, kind, lo, hi, def, 0)
#define SRC_CUSTOM(name) {CFG_SOURCE, name, CFG_CUSTOM, 0, 0, 0, 0, 0}

const cfg_key cfg_keys[] = {
    /* top level */
    ROOT_TEXT(store, CFG_PATH),
    ROOT_TEXT(password_env, CFG_STR),
    ROOT_CUSTOM("sources"),
    ROOT_CUSTOM("mot_types"),
    ROOT_CUSTOM("moment_scale"),
    ROOT_NUM(clv_years, CFG_NUM, 0, 1000, 5),
    ROOT_NUM(discount_rate, CFG_NUM, 0, 10, 0),
    ROOT_NUM(hic_top, CFG_NUM, 0.0001, 1, 0.20),
    ROOT_NUM(spend_window_days, CFG_INT, 1, 3660, 90),
    ROOT_NUM(confidence, CFG_NUM, 0.5, 0.9999, 0.95),
    ROOT_CUSTOM("labels"),
    ROOT_TEXT(currency, CFG_STR),
    /* each source */
    SRC_TEXT(name, CFG_STR, 1),
    SRC_TEXT(vendor, CFG_STR, 1),
    SRC_TEXT(base_url, CFG_STR, 1),
    SRC_TEXT(token_env, CFG_STR, 1),
    SRC_TEXT(survey_id, CFG_STR, 0),
    SRC_TEXT(nps_question, CFG_STR, 0),
    SRC_TEXT(comment_question, CFG_STR, 0),
    SRC_TEXT(ca_file, CFG_PATH, 0),
    SRC_NUM(per_page, CFG_INT, 1, 1000, 100),
    SRC_NUM(max_attempts, CFG_INT, 1, 100, 6),
    SRC_NUM(deadline_s, CFG_NUM, 1, 86400 * 7, 600),
    SRC_NUM(timeout_s, CFG_NUM, 1, 86400, 60),
    SRC_NUM(connect_timeout_s, CFG_NUM, 1, 3600, 15),
    SRC_TEXT(email, CFG_STR, 0),
    SRC_TEXT(client_id_env, CFG_STR, 0),
    SRC_TEXT(login_url, CFG_STR, 0),
    SRC_TEXT(metric, CFG_STR, 0),
    SRC_NUM(lookback_days, CFG_INT, 0, 3660, 7),
    SRC_CUSTOM("fields"),
};
const size_t cfg_n_keys = sizeof cfg_keys / sizeof *cfg_keys;

const cfg_key *cfg_key_find(cfg_scope scope, const char *name)
{
    for (size_t i = 0; i < cfg_n_keys; i++)
        if (cfg_keys[i].scope == scope && strcmp(cfg_keys[i].name, name) == 0) return &cfg_keys[i];
    return NULL;
}

#define MAX_KEY 64

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Optimal string alignment distance (Damerau–Levenshtein with adjacent
 * transpositions), case-insensitive; both lengths at most MAX_KEY. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[MAX_KEY + 1][MAX_KEY + 1];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]) &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

/* Appends TEXT to BUF at *LEN, cut at CAP. */
static void put(char *buf, size_t cap, size_t *len, const char *text)
{
    if (*len >= cap) return;
    int n = snprintf(buf + *len, cap - *len, "%s", text);
    if (n > 0) *len += (size_t)n;
    if (*len >= cap) *len = cap - 1;
}

/* A key from the file, shown with control characters as '?' and cut at
 * 64 bytes. */
static void put_name(char *buf, size_t cap, size_t *len, const char *name)
{
    char safe[MAX_KEY + 4];
    size_t n = 0;
    for (; name[n] && n < MAX_KEY; n++) {
        unsigned char ch = (unsigned char)name[n];
        safe[n] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    if (name[n]) { memcpy(safe + n, "...", 3); n += 3; }
    safe[n] = '\0';
    put(buf, cap, len, safe);
}

void cfg_unknown_key(cfg_scope scope, const char *path, const char *name, char *buf, size_t cap)
{
    size_t len = 0, nlen = strlen(name);
    const cfg_key *best = NULL;
    size_t best_d = (size_t)-1;
    if (cap == 0) return;
    buf[0] = '\0';
    for (size_t i = 0; i < cfg_n_keys; i++) {
        const cfg_key *k = &cfg_keys[i];
        if (k->scope != scope) continue;
        if (nlen > MAX_KEY || strlen(k->name) > MAX_KEY) continue;
        size_t d = edit_distance(name, nlen, k->name, strlen(k->name));
        if (d < best_d) { best_d = d; best = k; }
    }
    if (path[0]) {
        put(buf, cap, &len, path);
        put(buf, cap, &len, ".");
    }
    put_name(buf, cap, &len, name);
    put(buf, cap, &len, ": unknown key");
    /* Close enough to be a typo: a third of the known name's letters, at
     * least one and at most three edits. */
    size_t limit = best ? strlen(best->name) / 3 : 0;
    if (limit < 1) limit = 1;
    if (limit > 3) limit = 3;
    if (best && best_d <= limit) {
        put(buf, cap, &len, "; did you mean ");
        put(buf, cap, &len, best->name);
        put(buf, cap, &len, "?");
        return;
    }
    put(buf, cap, &len, scope == CFG_ROOT ? " (known at the top level: " : " (known in a source: ");
    const char *sep = "";
    for (size_t i = 0; i < cfg_n_keys; i++)
        if (cfg_keys[i].scope == scope) {
            put(buf, cap, &len, sep);
            put(buf, cap, &len, cfg_keys[i].name);
            sep = ", ";
        }
    put(buf, cap, &len, ")");
}
