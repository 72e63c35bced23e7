/* fuzz_config.c — the config loader (core/config.c: config_load on a file)
 * on arbitrary bytes.
 *
 * Properties checked: a refused config gives a message that starts with
 * the file's path and never repeats the value of a literal secret
 * ("token", "api_key", "password" …); an accepted one has every source
 * complete (name, a known vendor, base_url, token_env), unique names,
 * numbers in their documented ranges, and a usable moment scale.
 */
#include "tests/fuzz/fuzz.h"

#include <cjson/cJSON.h>

#include "core/config.h"

static const char *const secret_keys[] = {"token", "api_key", "apikey", "password", "secret", "key"};

/* 1 when ERR holds the value of a secret key of any source in TEXT. */
static int err_has_secret(const char *text, const char *err)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *src, *it = NULL;
    int leak = 0;
    cJSON_ArrayForEach (src, cJSON_GetObjectItemCaseSensitive(root, "sources")) {
        for (size_t k = 0; k < sizeof secret_keys / sizeof *secret_keys; k++) {
            it = cJSON_GetObjectItemCaseSensitive(src, secret_keys[k]);
            if (cJSON_IsString(it) && strlen(it->valuestring) >= 6 && strstr(err, it->valuestring)) leak = 1;
        }
    }
    cJSON_Delete(root);
    return leak;
}

static void check_config(const cx_config *c)
{
    FUZZ_CHECK(c->store != NULL);
    FUZZ_CHECK(c->moment_lo < c->moment_hi);
    FUZZ_CHECK(c->confidence >= 0.5 && c->confidence <= 0.9999);
    FUZZ_CHECK(c->hic_top > 0 && c->hic_top <= 1);
    FUZZ_CHECK(c->spend_window_days >= 1 && c->spend_window_days <= 3660);
    FUZZ_CHECK(c->clv_years >= 0 && c->discount_rate >= 0);
    for (size_t i = 0; i < c->n_sources; i++) {
        const cx_source_cfg *s = &c->sources[i];
        FUZZ_CHECK(s->name && s->name[0] && s->base_url && s->base_url[0]);
        FUZZ_CHECK(s->token_env && s->token_env[0]);
        FUZZ_CHECK(!strcmp(s->vendor, "delighted") || !strcmp(s->vendor, "qualtrics") ||
                   !strcmp(s->vendor, "surveymonkey"));
        FUZZ_CHECK(s->per_page >= 1 && s->max_attempts >= 1 && s->timeout_s > 0);
        FUZZ_CHECK(config_source(c, s->name) == s);
        for (size_t k = 0; k < s->n_fields; k++)
            FUZZ_CHECK(s->fields[k].field != NULL && s->fields[k].path != NULL);
    }
    for (size_t i = 0; i < c->n_mot_types; i++)
        FUZZ_CHECK(config_is_mot(c, c->mot_types[i]) || !c->mot_types[i][0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024] = "";
    const char *path;
    if (fuzz_file(0, data, size, &path) < 0) return 0;
    cx_config *c = config_load(path, 0, err, sizeof err);
    if (c == NULL) {
        FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0);
        char *text = fuzz_cstr(data, size);
        FUZZ_CHECK(!err_has_secret(text, err));
        free(text);
        return 0;
    }
    check_config(c);
    config_free(c);
    return 0;
}
