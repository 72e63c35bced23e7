/* oauth.c — see oauth.h. */
#include "ingest/oauth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct oauth_client {
    http_client *login; /* Basic auth: client id and secret */
    char url[1024];
    double expires; /* monotonic seconds; 0 = no token yet */
    double margin;  /* renew this long before it expires */
    long logins;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

oauth_client *oauth_new(const oauth_cfg *cfg, char *err, size_t errlen)
{
    oauth_client *o = calloc(1, sizeof *o);
    if (o == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if ((size_t)snprintf(o->url, sizeof o->url, "%s", cfg->token_url) >= sizeof o->url) {
        snprintf(err, errlen, "login_url is too long");
        free(o);
        return NULL;
    }
    http_cfg hc = {
        .token = cfg->secret,
        .token_env = cfg->secret_env,
        .auth = HTTP_AUTH_BASIC,
        .basic_user = cfg->client_id,
        .post_type = "application/x-www-form-urlencoded",
        .max_attempts = cfg->max_attempts,
        .deadline_s = cfg->deadline_s,
        .timeout_s = cfg->timeout_s,
        .connect_timeout_s = cfg->connect_timeout_s,
        .ca_file = cfg->ca_file,
        .sleep_scale = -1,
    };
    if ((o->login = http_new(&hc, err, errlen)) == NULL) {
        free(o);
        return NULL;
    }
    return o;
}

void oauth_free(oauth_client *o)
{
    if (o == NULL) return;
    http_free(o->login);
    free(o);
}

long oauth_logins(const oauth_client *o) { return o->logins; }

static int check_token(const cJSON *body, void *ctx, const char **why)
{
    (void)ctx;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "access_token");
    if (!cJSON_IsString(t) || t->valuestring[0] == '\0') {
        *why = "no access_token in the answer";
        return -1;
    }
    return 0;
}

/* Overwrites the token's text in the parsed answer before it is freed. */
static void wipe(cJSON *body)
{
    cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "access_token");
    if (cJSON_IsString(t)) memset(t->valuestring, 0, strlen(t->valuestring));
}

int oauth_authorize(oauth_client *o, http_client *api, int force, char *err, size_t errlen)
{
    if (!force && o->expires > 0 && mono() < o->expires - o->margin) return 0;
    cJSON *body = http_json(o->login, "POST", o->url, "grant_type=client_credentials", check_token, NULL,
                            NULL, err, errlen);
    if (body == NULL) return -1;
    o->logins++;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "access_token");
    const cJSON *ttl = cJSON_GetObjectItemCaseSensitive(body, "expires_in");
    /* No expires_in: assume Genesys' usual day; a 401 renews it anyway. */
    double secs =
        cJSON_IsNumber(ttl) && isfinite(ttl->valuedouble) && ttl->valuedouble > 0 ? ttl->valuedouble : 86400;
    int rc = http_set_bearer(api, t->valuestring);
    wipe(body);
    cJSON_Delete(body);
    if (rc != 0) {
        snprintf(err, errlen, "the access token from the login is malformed or too long");
        return -1;
    }
    o->expires = mono() + secs;
    o->margin = secs > 600 ? 60 : secs / 10; /* a minute, or a tenth of a short life */
    return 0;
}
