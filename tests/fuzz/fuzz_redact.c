/* fuzz_redact.c — the credential masker (core/redact.c) and the exact
 * number texts of a vendor body (ingest/http_numtext.c).
 *
 * Input: a secret up to the first newline (at most 64 bytes), then text.
 * Properties checked: masking never lengthens the text and leaves no form
 * of the secret that cx_redact_has finds; no run of 8 characters of the
 * secret survives in any letter case (checked here by a plain search, not
 * by the masker's own index); when the text parses as JSON, every number
 * literal given its own text reads back (strtod) as the double cJSON made
 * of it, and only integer literals of 16 digits or more get one.
 */
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <strings.h>

#include "core/redact.h"
#include "ingest/http.h"

static int holds_run(const char *text, const char *secret)
{
    size_t n = strlen(secret), t = strlen(text), run = n < 8 ? n : 8;
    if (n < 4) return 0;
    for (size_t i = 0; i + run <= n; i++)
        for (size_t j = 0; j + run <= t; j++)
            if (strncasecmp(text + j, secret + i, run) == 0) return 1;
    return 0;
}

static void check_numbers(const cJSON *v)
{
    for (; v != NULL; v = v->next) {
        if (cJSON_IsNumber(v) && v->valuestring != NULL) {
            const char *p = v->valuestring + (v->valuestring[0] == '-');
            FUZZ_CHECK(strlen(p) >= 16 && strspn(p, "0123456789") == strlen(p));
            FUZZ_CHECK(strtod(v->valuestring, NULL) == v->valuedouble);
        }
        check_numbers(v->child);
    }
}

/* Every record's kept text parses to the record itself (printed alike:
 * cJSON_Compare never finds 1e400, an infinity, equal to itself). */
static void check_records(const cJSON *v)
{
    for (; v != NULL; v = v->next) {
        size_t n = 0;
        const char *t = http_record_text(v, &n);
        if (t != NULL) {
            cJSON *again = cJSON_ParseWithLength(t, n);
            FUZZ_CHECK(again != NULL);
            char *a = cJSON_PrintUnformatted(again), *b = cJSON_PrintUnformatted(v);
            FUZZ_CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
            free(a);
            free(b);
            cJSON_Delete(again);
        }
        check_records(v->child);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    char *nl = strchr(s, '\n'), *text = nl ? nl + 1 : s + strlen(s);
    if (nl) *nl = '\0';
    if (strlen(s) > 64) s[64] = '\0';
    cx_redact *r = cx_redact_new(s);
    FUZZ_CHECK(r != NULL);
    char *masked = strdup(text);
    FUZZ_CHECK(masked != NULL);
    size_t before = strlen(masked);
    cx_redact_mask(r, masked);
    FUZZ_CHECK(strlen(masked) <= before);
    FUZZ_CHECK(!cx_redact_has(r, masked));
    FUZZ_CHECK(!holds_run(masked, s));
    free(masked);
    cx_redact_free(r);

    cJSON *j = cJSON_ParseWithLength(text, strlen(text));
    if (j != NULL) {
        char *own = strdup(text); /* the tree's from now on */
        FUZZ_CHECK(own != NULL && http_keep_text(j, own, strlen(text)) == 0);
        check_numbers(j);
        check_records(j);
        cJSON_Delete(j);
    }
    free(s);
    return 0;
}
