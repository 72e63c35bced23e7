/* config.h — cxpulse.json (docs/config.md), parsed with cJSON.
 *
 * Owner: core/config.c (loading) and core/config_tree.c (defaults,
 * lookups, freeing).  config_load returns an owned tree freed with
 * config_free; everything reachable from it is owned by it.
 */
#ifndef CX_CONFIG_H
#define CX_CONFIG_H

#include <stddef.h>

typedef struct cx_field_map {
    char *field; /* model field or attribute name: "agent_id", "region" */
    char *path;  /* vendor path: "person_properties.Agent", "values.agent_id" */
} cx_field_map;

typedef struct cx_source_cfg {
    char *name;
    char *vendor; /* a name in the vendor table (ingest/vendors.c) */
    char *base_url;
    char *token_env;    /* NAME of the environment variable with the token */
    char *survey_id;    /* qualtrics, surveymonkey */
    char *nps_question; /* qualtrics "QID1", surveymonkey question id */
    char *comment_question;
    cx_field_map *fields;
    size_t n_fields;
    int per_page;             /* default 100 */
    int max_attempts;         /* default 6 */
    double deadline_s;        /* total deadline of one sync, default 600 */
    double timeout_s;         /* one request, default 60 */
    double connect_timeout_s; /* default 15 */
    char *ca_file;            /* optional extra CA bundle; verification stays on */
    char *email;              /* zendesk: the API user's email */
    char *client_id_env;      /* genesys: NAME of the variable with the OAuth client id */
    char *login_url;          /* genesys: OAuth server, e.g. https://login.mypurecloud.com */
    char *metric;             /* "nps" | "csat" | "ces"; NULL = the vendor's default */
    int lookback_days;        /* windowed vendors re-read this many days each sync (7) */
} cx_source_cfg;

typedef struct cx_config {
    char *path;         /* file it came from, or NULL for defaults */
    char *store;        /* default "cxpulse.db" */
    char *password_env; /* NAME of the variable with the PostgreSQL password, or NULL */
    cx_source_cfg *sources;
    size_t n_sources;
    char **mot_types;
    size_t n_mot_types;
    int moment_lo, moment_hi; /* default 1, 5 */
    double clv_years;         /* default 5 */
    double discount_rate;     /* default 0 */
    double hic_top;           /* default 0.20 */
    int spend_window_days;    /* default 90 */
    double confidence;        /* default 0.95 */
    cx_field_map *labels;     /* "labels": code → words on the page (field = code,
                                       path = label): segments, moment-of-truth types */
    size_t n_labels;
    char *currency; /* "currency": "$" when absent; "€", "EUR", … */
} cx_config;

/* Loads PATH.  When MISSING_OK and the file does not exist, returns the
 * defaults.  A malformed file, a wrong type, a source without
 * name/vendor/base_url/token_env, or a literal secret ("token", "api_key",
 * "password" keys) is an error: NULL with "PATH: why" in ERR.  What each
 * vendor needs (a known vendor, its keys, its metrics) is checked against
 * the vendor table by ingest_check_config (ingest/ingest.h), which the CLI
 * runs right after this. */
cx_config *config_load(const char *path, int missing_ok, char *err, size_t errlen);
cx_config *config_default(void);
void config_free(cx_config *c);

/* Source named NAME, or NULL (borrowed). */
const cx_source_cfg *config_source(const cx_config *c, const char *name);
/* 1 when TYPE is one of mot_types. */
int config_is_mot(const cx_config *c, const char *type);
/* The configured label of CODE, or NULL (borrowed). */
const char *config_label(const cx_config *c, const char *code);

#endif
