/* config_keys.c — the one table of the keys cxpulse.json may hold, at the
 * top level and in each source, and the "did you mean" for a key not in
 * it.  Which source keys a vendor requires is the vendor table's business
 * (ingest/vendors.c).
 *
 * Owner: this file.  A new key is one row here (and its member in
 * core/config.h); core/config.c reads every CFG_STR/PATH/NUM/INT row
 * generically and refuses any key not in the table. */
#include "core/config_int.h"
#include "core/nearest.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A key is spelt as its member of cx_config (ROOT_*) or cx_source_cfg
 * (SRC_*), written once: the two cannot drift apart.  A text key (CFG_STR,
 * CFG_PATH) has no range; REQ marks a key every source needs; a CUSTOM key
 * is read by code of its own in core/config.c. */
#define KEY(scope, type, member, kind, lo, hi, def, req)               \
    {                                                                  \
        scope, #member, kind, offsetof(type, member), lo, hi, def, req \
    }
#define ROOT_TEXT(member, kind) KEY(CFG_ROOT, cx_config, member, kind, 0, 0, 0, 0)
#define ROOT_NUM(member, kind, lo, hi, def) KEY(CFG_ROOT, cx_config, member, kind, lo, hi, def, 0)
#define ROOT_CUSTOM(name)                         \
    {                                             \
        CFG_ROOT, name, CFG_CUSTOM, 0, 0, 0, 0, 0 \
    }
#define SRC_TEXT(member, kind, req) KEY(CFG_SOURCE, cx_source_cfg, member, kind, 0, 0, 0, req)
#define SRC_NUM(member, kind, lo, hi, def) KEY(CFG_SOURCE, cx_source_cfg, member, kind, lo, hi, def, 0)
#define SRC_CUSTOM(name)                            \
    {                                               \
        CFG_SOURCE, name, CFG_CUSTOM, 0, 0, 0, 0, 0 \
    }

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

#define MAX_KEY NEAREST_MAX

/* Appends TEXT to BUF at *LEN, cut at CAP. */
static void put(char *buf, size_t cap, size_t *len, const char *text)
{
    if (*len + 1 >= cap) return;
    size_t n = strlen(text), room = cap - 1 - *len;
    if (n > room) n = room;
    memcpy(buf + *len, text, n);
    *len += n;
    buf[*len] = '\0';
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
    if (name[n]) {
        memcpy(safe + n, "...", 3);
        n += 3;
    }
    safe[n] = '\0';
    put(buf, cap, len, safe);
}

void cfg_unknown_key(cfg_scope scope, const char *path, const char *name, char *buf, size_t cap)
{
    size_t len = 0;
    const char *names[128]; /* more than there are keys */
    size_t k = 0;
    if (cap == 0) return;
    buf[0] = '\0';
    for (size_t i = 0; i < cfg_n_keys && k < sizeof names / sizeof *names; i++)
        if (cfg_keys[i].scope == scope) names[k++] = cfg_keys[i].name;
    const char *best = nearest_name(name, names, k);
    if (path[0]) {
        put(buf, cap, &len, path);
        put(buf, cap, &len, ".");
    }
    put_name(buf, cap, &len, name);
    put(buf, cap, &len, ": unknown key");
    if (best) { /* close enough to be a typo */
        put(buf, cap, &len, "; did you mean ");
        put(buf, cap, &len, best);
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
