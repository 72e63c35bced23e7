/* config_int.h — between core/config.c (loading), core/config_keys.c (the
 * table of known keys), core/config_safe.c (what a config may not hold)
 * and core/config_tree.c (defaults, lookups, freeing).  Not for use
 * outside core/config*.c. */
#ifndef CX_CONFIG_INT_H
#define CX_CONFIG_INT_H

#include "core/config.h"

#include <stddef.h>

typedef enum cfg_scope { CFG_ROOT, CFG_SOURCE } cfg_scope;

typedef enum cfg_kind {
    CFG_STR,   /* string, copied into a char * member */
    CFG_PATH,  /* string naming a file: relative ones resolved against the config's folder */
    CFG_NUM,   /* finite number in [lo, hi] into a double member */
    CFG_INT,   /* whole number in [lo, hi] into an int member */
    CFG_CUSTOM /* parsed by code of its own in config.c (arrays, objects) */
} cfg_kind;

/* One key cxpulse.json may hold.  OFF is the offset of its member in
 * cx_config (CFG_ROOT) or cx_source_cfg (CFG_SOURCE).  REQUIRED keys are
 * required of every source; what a vendor needs beyond them (survey_id,
 * email, …) is in the vendor table (ingest/vendors.c), which
 * ingest_check_config checks after loading. */
typedef struct cfg_key {
    cfg_scope scope;
    const char *name;
    cfg_kind kind;
    size_t off;
    double lo, hi, def; /* range and default of CFG_NUM / CFG_INT */
    int required;
} cfg_key;

extern const cfg_key cfg_keys[];
extern const size_t cfg_n_keys;
/* The row of NAME in SCOPE, or NULL. */
const cfg_key *cfg_key_find(cfg_scope scope, const char *name);
/* Writes into BUF why NAME (at PATH, e.g. "sources[1]", or "" at the top
 * level) is not a key of SCOPE: the closest known key, or the list of known
 * ones.  NAME is shown with control characters as '?'. */
void cfg_unknown_key(cfg_scope scope, const char *path, const char *name, char *buf, size_t cap);

/* core/config_tree.c: the numeric defaults of SCOPE's table rows into BASE
 * (a cx_config or a cx_source_cfg). */
void cfg_set_defaults(cfg_scope scope, void *base);

/* core/config_safe.c.  Why key KEY (a literal secret, a TLS switch) is
 * refused, or NULL; why URL is refused as a vendor's base_url or
 * login_url, or NULL. */
const char *cfg_refused_key(const char *key);
const char *cfg_url_refused(const char *url);
/* Why VALUE of KEY is refused when KEY names an environment variable
 * ("token_env", "…_env"): it must be a variable's name, never (a token
 * pasted by mistake) anything else; NULL when fine or KEY is no such key.
 * The message never holds the value. */
const char *cfg_env_name_refused(const char *key, const char *value);

#endif
