/* vendors.c — the vendor table: the only place that lists the vendors,
 * with how each one authenticates, which config keys it needs, which
 * metrics it supplies, its sync function and its default field paths
 * (see vendor_def in vendor.h).  ingest_check_config checks a loaded
 * config against it. */
#include "ingest/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const no_keys[] = {NULL};
static const char *const survey_keys[] = {"survey_id", NULL};
static const char *const zendesk_keys[] = {"email", NULL};
static const char *const genesys_keys[] = {"client_id_env", "login_url", NULL};
static const char *const formbricks_keys[] = {"survey_id", "nps_question", NULL};

/* Every vendor's secret is in $token_env; Genesys logs in with a client id too. */
static const char *const token_cred[] = {"token_env", NULL};
static const char *const genesys_cred[] = {"token_env", "client_id_env", NULL};

static const char *const nps_only[] = {"nps", NULL};
static const char *const any_metric[] = {"nps", "csat", "ces", NULL};
static const char *const csat_only[] = {"csat", NULL};

/* Where real accounts keep the facts (person_properties). */
static const char *const delighted_paths[] = {
    "customer_id",
    "person_properties.Customer ID",
    "agent_id",
    "person_properties.Agent",
    "channel",
    "person_properties.Channel",
    "product",
    "person_properties.Product",
    "interaction_type",
    "person_properties.Interaction Type",
    "handle_time_s",
    "person_properties.Handle Time",
    "moments",
    "person_properties.Moments",
    NULL,
};

/* Embedded data fields of the usual names. */
static const char *const qualtrics_paths[] = {
    "customer_id",
    "values.customer_id",
    "agent_id",
    "values.agent_id",
    "channel",
    "values.channel",
    "product",
    "values.product",
    "interaction_type",
    "values.interaction_type",
    "handle_time_s",
    "values.handle_time",
    "moments",
    "values.moments",
    "region",
    "values.region",
    NULL,
};

/* Custom variables of the usual names. */
static const char *const surveymonkey_paths[] = {
    "customer_id",
    "custom_variables.customer_id",
    "agent_id",
    "custom_variables.agent_id",
    "channel",
    "custom_variables.channel",
    "product",
    "custom_variables.product",
    "interaction_type",
    "custom_variables.interaction_type",
    "handle_time_s",
    "custom_variables.handle_time",
    "moments",
    "custom_variables.moments",
    NULL,
};

/* Hidden fields (data.<id>) and the contact. */
static const char *const formbricks_paths[] = {
    "customer_id",
    "contact.userId",
    "agent_id",
    "data.agent_id",
    "channel",
    "data.channel",
    "product",
    "data.product",
    "interaction_type",
    "data.interaction_type",
    "handle_time_s",
    "data.handle_time",
    "moments",
    "data.moments",
    "region",
    "data.region",
    NULL,
};

/* The assignee at rating time is the agent. */
static const char *const zendesk_paths[] = {
    "agent_id",  "assignee_id", "customer_id", "requester_id", "group", "group_id",
    "ticket_id", "ticket_id",   "reason",      "reason",       NULL,
};

/* The survey's agent and queue; the conversation's media type. */
static const char *const genesys_paths[] = {
    "agent_id",
    "userId",
    "queue",
    "queueId",
    "channel",
    "mediaType",
    "customer_id",
    "externalContactId",
    "conversation_id",
    "conversationId",
    "handle_time_s",
    "handleTimeS",
    NULL,
};

static const vendor_def table[] = {
    {"delighted", HTTP_AUTH_BASIC_USER, NULL, no_keys, token_cred, nps_only, delighted_sync, delighted_paths,
     "person_properties", 0},
    {"qualtrics", HTTP_AUTH_HEADER, "X-API-TOKEN", survey_keys, token_cred, nps_only, qualtrics_sync,
     qualtrics_paths, NULL, 0},
    {"surveymonkey", HTTP_AUTH_BEARER, NULL, survey_keys, token_cred, nps_only, surveymonkey_sync,
     surveymonkey_paths, "custom_variables", 0},
    {"formbricks", HTTP_AUTH_HEADER, "x-api-key", formbricks_keys, token_cred, any_metric, formbricks_sync,
     formbricks_paths, NULL, 0},
    {"zendesk", HTTP_AUTH_BASIC, NULL, zendesk_keys, token_cred, csat_only, zendesk_sync, zendesk_paths, NULL,
     1},
    {"genesys", HTTP_AUTH_NONE, NULL, genesys_keys, genesys_cred, nps_only, genesys_sync, genesys_paths, NULL,
     1},
};

const vendor_def *vendor_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof table / sizeof *table; i++)
        if (strcmp(table[i].name, name) == 0) return &table[i];
    return NULL;
}

const char *const *vendor_defaults(const sync_ctx *c)
{
    const vendor_def *v = vendor_find(c->src->vendor);
    return v ? v->defaults : NULL;
}

/* The value of config key KEY of S (the keys a vendor may require). */
static const char *source_key(const cx_source_cfg *s, const char *key)
{
    if (strcmp(key, "survey_id") == 0) return s->survey_id;
    if (strcmp(key, "nps_question") == 0) return s->nps_question;
    if (strcmp(key, "email") == 0) return s->email;
    if (strcmp(key, "client_id_env") == 0) return s->client_id_env;
    if (strcmp(key, "login_url") == 0) return s->login_url;
    if (strcmp(key, "token_env") == 0) return s->token_env;
    return NULL;
}

static int check_source(const cx_source_cfg *s, char *err, size_t errlen)
{
    const vendor_def *v = vendor_find(s->vendor);
    if (v == NULL) {
        size_t n = (size_t)snprintf(err, errlen, "source %s: vendor: unknown vendor \"%s\" (known:", s->name,
                                    s->vendor);
        for (size_t i = 0; i < sizeof table / sizeof *table && n < errlen; i++)
            n += (size_t)snprintf(err + n, errlen - n, " %s", table[i].name);
        if (n < errlen) snprintf(err + n, errlen - n, ")");
        return -1;
    }
    for (size_t i = 0; v->required[i]; i++) {
        const char *val = source_key(s, v->required[i]);
        if (val == NULL || val[0] == '\0') {
            snprintf(err, errlen, "source %s: %s: is required for vendor %s", s->name, v->required[i],
                     v->name);
            return -1;
        }
    }
    if (s->metric != NULL && cx_metric_lookup(s->metric) < 0) {
        snprintf(err, errlen, "source %s: metric: unknown metric \"%s\" (nps, csat or ces)", s->name,
                 s->metric);
        return -1;
    }
    if (s->metric != NULL) {
        size_t i = 0;
        while (v->metrics[i] && strcmp(v->metrics[i], s->metric) != 0) i++;
        if (v->metrics[i] == NULL) {
            size_t n =
                (size_t)snprintf(err, errlen, "source %s: metric: \"%s\" is not one vendor %s supplies (",
                                 s->name, s->metric, v->name);
            for (i = 0; v->metrics[i] && n < errlen; i++)
                n += (size_t)snprintf(err + n, errlen - n, "%s%s", i ? ", " : "", v->metrics[i]);
            if (n < errlen) snprintf(err + n, errlen - n, ")");
            return -1;
        }
    }
    return 0;
}

int ingest_check_config(const cx_config *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < cfg->n_sources; i++)
        if (check_source(&cfg->sources[i], err, errlen) != 0) return -1;
    return 0;
}

int ingest_missing_env(const cx_source_cfg *s, char *out, size_t cap)
{
    const vendor_def *v = vendor_find(s->vendor);
    static const char *const fallback[] = {"token_env", NULL};
    const char *const *keys = v ? v->credentials : fallback;
    int missing = 0;
    size_t n = 0;
    if (cap) out[0] = '\0';
    for (size_t i = 0; keys[i]; i++) {
        const char *name = source_key(s, keys[i]);
        const char *val = name && name[0] ? getenv(name) : NULL;
        if (val && val[0]) continue; /* an empty secret cannot log in either */
        missing++;
        if (n < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s$%s (%s)", missing > 1 ? ", " : "",
                                  name && name[0] ? name : "?", keys[i]);
    }
    return missing;
}
