/* checkpoint.c — the per-source sync checkpoint as JSON (see vendor.h):
 * {"v":1,"updated_at":T,"ids":[...],"token":"..."}. */
#include "ingest/vendor.h"
#include "core/grow.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void checkpoint_free(checkpoint *cp)
{
    for (size_t i = 0; i < cp->n_ids; i++) free(cp->ids[i]);
    free(cp->ids);
    free(cp->token);
    memset(cp, 0, sizeof *cp);
}

static void clear_ids(checkpoint *cp)
{
    for (size_t i = 0; i < cp->n_ids; i++) free(cp->ids[i]);
    cp->n_ids = 0;
}

static int add_id(checkpoint *cp, const char *id)
{
    if (cp->n_ids == cp->cap_ids) {
        char **p = grow_array(cp->ids, &cp->cap_ids, cp->n_ids + 1, sizeof *p, 16, 0, 0);
        if (p == NULL) return -1;
        cp->ids = p;
    }
    if ((cp->ids[cp->n_ids] = strdup(id)) == NULL) return -1;
    cp->n_ids++;
    return 0;
}

int checkpoint_seen(const checkpoint *cp, const char *id, int64_t t)
{
    if (t != cp->updated_at || cp->updated_at == 0) return 0;
    for (size_t i = 0; i < cp->n_ids; i++)
        if (strcmp(cp->ids[i], id) == 0) return 1;
    return 0;
}

int checkpoint_observe(checkpoint *cp, const char *id, int64_t t)
{
    if (t < cp->updated_at || id[0] == '\0') return 0;
    if (t > cp->updated_at) {
        clear_ids(cp);
        cp->updated_at = t;
    } else if (checkpoint_seen(cp, id, t)) {
        return 0;
    }
    return add_id(cp, id);
}

void checkpoint_move(checkpoint *cp, int64_t t)
{
    clear_ids(cp);
    cp->updated_at = t;
}

int checkpoint_set_token(checkpoint *cp, const char *token)
{
    char *t = token ? strdup(token) : NULL;
    if (token && t == NULL) return -1;
    free(cp->token);
    cp->token = t;
    return 0;
}

int64_t checkpoint_token_time(const checkpoint *cp)
{
    const char *t = cp->token;
    char *end;
    if (t == NULL) return 0;
    errno = 0;
    long long v = strtoll(t, &end, 10);
    return end == t || *end || errno || v < 0 ? 0 : (int64_t)v;
}

int checkpoint_parse(const char *text, checkpoint *cp)
{
    memset(cp, 0, sizeof *cp);
    if (text == NULL || text[0] == '\0') return 0;
    cJSON *root = cJSON_Parse(text);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "updated_at");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(root, "ids");
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(root, "token");
    const cJSON *it;
    int rc = -1;
    /* A time out of 0000..9999 (a damaged store) must not reach the cast. */
    if (!cJSON_IsObject(root) || !cJSON_IsNumber(t) || !isfinite(t->valuedouble) ||
        t->valuedouble < -62167219200.0 || t->valuedouble > 253402300799.0 ||
        (ids != NULL && !cJSON_IsArray(ids)) || (tok != NULL && !cJSON_IsString(tok) && !cJSON_IsNull(tok)))
        goto out;
    cp->updated_at = (int64_t)t->valuedouble;
    cJSON_ArrayForEach (it, ids)
        if (!cJSON_IsString(it) || add_id(cp, it->valuestring) != 0) goto out;
    if (cJSON_IsString(tok) && checkpoint_set_token(cp, tok->valuestring) != 0) goto out;
    rc = 0;
out:
    cJSON_Delete(root);
    if (rc != 0) checkpoint_free(cp);
    return rc;
}

char *checkpoint_format(const checkpoint *cp)
{
    cJSON *root = cJSON_CreateObject(), *ids = cJSON_CreateArray();
    char *out = NULL;
    if (root == NULL || ids == NULL) {
        cJSON_Delete(ids);
        goto out;
    }
    cJSON_AddItemToObject(root, "ids", ids);
    for (size_t i = 0; i < cp->n_ids; i++) {
        cJSON *s = cJSON_CreateString(cp->ids[i]);
        if (s == NULL || !cJSON_AddItemToArray(ids, s)) {
            cJSON_Delete(s);
            goto out;
        }
    }
    if (cJSON_AddNumberToObject(root, "v", 1) == NULL ||
        cJSON_AddNumberToObject(root, "updated_at", (double)cp->updated_at) == NULL ||
        (cp->token && cJSON_AddStringToObject(root, "token", cp->token) == NULL))
        goto out;
    out = cJSON_PrintUnformatted(root);
out:
    cJSON_Delete(root);
    return out;
}
