/* oauth.h — OAuth 2.0 client-credentials login for a vendor API client
 * (Genesys Cloud).  Owner: ingest/oauth.c.
 *
 * The client id and secret are sent to the token endpoint with HTTP Basic
 * auth and the body "grant_type=client_credentials"; the access token that
 * comes back is handed to the API's http_client as its bearer
 * (http_set_bearer) and nowhere else: never printed, logged or stored.  It
 * is renewed a minute before its expires_in runs out (a tenth of it when
 * that is under 10 minutes), and at once when the API answers 401.
 */
#ifndef CX_OAUTH_H
#define CX_OAUTH_H

#include <stddef.h>
#include "ingest/http.h"

typedef struct oauth_client oauth_client;

typedef struct oauth_cfg {
    const char *token_url;  /* e.g. https://login.mypurecloud.com/oauth/token */
    const char *client_id;  /* not a secret, but from the environment too */
    const char *secret;     /* borrowed for oauth_new only */
    const char *secret_env; /* NAME of its variable, for hints */
    int max_attempts;
    double deadline_s, timeout_s, connect_timeout_s;
    const char *ca_file;
} oauth_cfg;

/* NULL with the reason in ERR. */
oauth_client *oauth_new(const oauth_cfg *cfg, char *err, size_t errlen);
void oauth_free(oauth_client *o);

/* Makes sure API sends a valid access token: logs in when there is none,
 * when it is about to expire, or when FORCE (the API said 401).
 * 0 ok; -1 with ERR (bad credentials: HTTP 401 naming the variable). */
int oauth_authorize(oauth_client *o, http_client *api, int force, char *err, size_t errlen);

/* Logins made so far (for the progress line and tests). */
long oauth_logins(const oauth_client *o);

#endif
