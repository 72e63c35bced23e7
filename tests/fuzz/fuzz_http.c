/* fuzz_http.c — the pure HTTP helpers that read what a vendor's server
 * sends or what a config names (ingest/http_util.c): the error message of
 * an error body, the status description, the URL path shown in messages,
 * and query building.
 *
 * Properties checked: messages are NUL-terminated within their buffer and
 * hold no control characters (a vendor cannot draw on the terminal or
 * forge log lines); the 401 hint names the variable; a query value is
 * percent-encoded (no '&', '#', space or control byte survives).
 */
#include "tests/fuzz/fuzz.h"

#include "ingest/http.h"

static void no_controls(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    FUZZ_CHECK(n < cap);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        FUZZ_CHECK(c >= 0x20 && c != 0x7f);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* OUT as large as http.c's message buffer: there the 401/403 hint must
     * always fit after the longest vendor message (511 bytes). */
    char out[768], small[8], url[256];

    /* A body as received: not NUL-terminated, may hold NUL bytes. */
    char *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    http_error_message(copy, size, out, sizeof out);
    no_controls(out, sizeof out);
    http_error_message(copy, size, small, sizeof small);
    no_controls(small, sizeof small);
    http_describe_status(401, copy, size, "CX_TOKEN", NULL, out, sizeof out);
    no_controls(out, sizeof out);
    FUZZ_CHECK(strstr(out, "$CX_TOKEN") != NULL);
    http_describe_status(503, copy, size, "CX_TOKEN", NULL, small, sizeof small);
    no_controls(small, sizeof small);
    free(copy);

    char *s = fuzz_cstr(data, size);
    http_url_path(s, out, sizeof out);
    no_controls(out, sizeof out);
    FUZZ_CHECK(out[0] == '/');
    FUZZ_CHECK(strchr(out, '?') == NULL && strchr(out, '#') == NULL);

    snprintf(url, sizeof url, "https://example.invalid/v1/x");
    if (http_url_add(url, sizeof url, "since", s) == 0) {
        const char *v = strchr(url, '?');
        FUZZ_CHECK(v != NULL && strlen(url) < sizeof url);
        for (const char *p = v + 1; *p; p++)
            FUZZ_CHECK(*p != '&' && *p != '#' && *p != ' ' && *p != '?' && (unsigned char)*p > 0x20 &&
                       (unsigned char)*p < 0x7f);
    } else {
        FUZZ_CHECK(strcmp(url, "https://example.invalid/v1/x") == 0);
    }
    free(s);
    return 0;
}
