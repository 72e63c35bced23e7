/* http.c — the libcurl client of ingest/http.h: one easy handle per source,
 * its options and headers (the token), what each answer's headers say
 * (Retry-After, rate limits, Date), waits and counters.  A request with its
 * retries: http_request.c. */
#include "ingest/http_int.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/redact.h"

#ifndef CX_VERSION
#define CX_VERSION "dev"
#endif

/* A rate-limit reset further away than this is not a number of seconds
 * any vendor means (SurveyMonkey's window is a minute): it is ignored, as a
 * Retry-After above it is (http_parse_retry_after).  A sane one that would
 * pass the deadline fails the request at once, like such a Retry-After. */
#define RESET_MAX_S 1000000000L

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    http_client *h = ctx;
    size_t add = size * n;
    if (add > BODY_LIMIT - h->len) {
        h->too_big = 1;
        return 0; /* curl aborts with CURLE_WRITE_ERROR */
    }
    if (h->len + add + 1 > h->alloc) {
        size_t want = h->alloc ? h->alloc : 65536;
        while (want < h->len + add + 1) want *= 2;
        char *p = realloc(h->body, want);
        if (p == NULL) return 0;
        h->body = p;
        h->alloc = want;
    }
    memcpy(h->body + h->len, data, add);
    h->len += add;
    h->body[h->len] = '\0';
    return add;
}

static size_t on_header(char *line, size_t size, size_t n, void *ctx)
{
    http_client *h = ctx;
    size_t len = size * n;
    char v[128];
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) { /* a new answer starts */
        h->retry_after[0] = '\0';
        h->rl_remaining = h->rl_reset = -1;
    } else if (http_header_value(line, len, "Retry-After", v, sizeof v) == 0) {
        snprintf(h->retry_after, sizeof h->retry_after, "%s", v);
    } else if (http_header_value(line, len, "X-Ratelimit-App-Global-Minute-Remaining", v, sizeof v) == 0) {
        h->rl_remaining = http_parse_count(v);
    } else if (http_header_value(line, len, "X-Ratelimit-App-Global-Minute-Reset", v, sizeof v) == 0) {
        h->rl_reset = http_parse_count(v);
        if (h->rl_reset > RESET_MAX_S) h->rl_reset = -1;
    } else if (http_header_value(line, len, "Date", v, sizeof v) == 0) {
        int64_t t;
        if (http_parse_date(v, &t) == 0) {
            h->date = t;
            h->date_seen = http_mono_now();
        }
    }
    return len;
}

#define SET(opt, val)                                                                     \
    do {                                                                                  \
        CURLcode rc_ = curl_easy_setopt(h->curl, opt, val);                               \
        if (rc_ != CURLE_OK) {                                                            \
            snprintf(err, errlen, "curl: setting %s: %s", #opt, curl_easy_strerror(rc_)); \
            return -1;                                                                    \
        }                                                                                 \
    } while (0)

static int add_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *l = curl_slist_append(*list, line);
    if (l == NULL) return -1;
    *list = l;
    return 0;
}

static int build_headers(http_client *h, const http_cfg *cfg)
{
    char line[1024];
    line[0] = '\0';
    if (cfg->auth == HTTP_AUTH_HEADER) snprintf(line, sizeof line, "%s: %s", cfg->auth_header, cfg->token);
    else if (cfg->auth == HTTP_AUTH_BEARER)
        snprintf(line, sizeof line, "Authorization: Bearer %s", cfg->token);
    char ctype[128];
    snprintf(ctype, sizeof ctype, "Content-Type: %s", h->post_type);
    int bad = add_header(&h->get_headers, "Accept: application/json") ||
              add_header(&h->post_headers, "Accept: application/json") ||
              add_header(&h->post_headers, ctype) || add_header(&h->post_headers, "Expect:");
    if (!bad && line[0]) bad = add_header(&h->get_headers, line) || add_header(&h->post_headers, line);
    memset(line, 0, sizeof line);
    return bad ? -1 : 0;
}

static int setup(http_client *h, const http_cfg *cfg, char *err, size_t errlen)
{
    long connect_ms = (long)(cfg->connect_timeout_s > 0 ? cfg->connect_timeout_s * 1000 : 15000);
    long low_time = (long)(h->timeout_s < 30 ? h->timeout_s : 30);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, h->errbuf);
    SET(CURLOPT_USERAGENT, "cxpulse/" CX_VERSION);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L); /* a redirect would carry the token elsewhere */
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    if (cfg->ca_file != NULL && cfg->ca_file[0]) SET(CURLOPT_CAINFO, cfg->ca_file);
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SET(CURLOPT_LOW_SPEED_LIMIT, 16L);                         /* bytes/s ... */
    SET(CURLOPT_LOW_SPEED_TIME, low_time > 0 ? low_time : 1L); /* ... for this long */
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, h);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, h);
    if (cfg->auth == HTTP_AUTH_BASIC_USER) {
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        SET(CURLOPT_USERNAME, cfg->token);
        SET(CURLOPT_PASSWORD, "");
    } else if (cfg->auth == HTTP_AUTH_BASIC) {
        SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        SET(CURLOPT_USERNAME, cfg->basic_user ? cfg->basic_user : "");
        SET(CURLOPT_PASSWORD, cfg->token);
    }
    return 0;
}

http_client *http_new(const http_cfg *cfg, char *err, size_t errlen)
{
    if (cfg->token == NULL || !cfg->token[0] || strpbrk(cfg->token, "\r\n") != NULL) {
        snprintf(err, errlen, "the token in $%s is empty or malformed", cfg->token_env);
        return NULL;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(err, errlen, "curl: global initialisation failed");
        return NULL;
    }
    http_client *h = calloc(1, sizeof *h);
    if (h == NULL || (h->red = cx_redact_new(cfg->token)) == NULL || (h->curl = curl_easy_init()) == NULL) {
        snprintf(err, errlen, "out of memory");
        http_free(h);
        if (h == NULL) curl_global_cleanup();
        return NULL;
    }
    snprintf(h->token_env, sizeof h->token_env, "%s", cfg->token_env ? cfg->token_env : "?");
    h->max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : 1;
    h->t0 = http_mono_now();
    h->deadline = h->t0 + (cfg->deadline_s > 0 ? cfg->deadline_s : 600);
    h->timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s : 60;
    h->on_retry = cfg->on_retry;
    h->retry_ctx = cfg->retry_ctx;
    h->base_s = cfg->backoff_base_s > 0 ? cfg->backoff_base_s : 0.5;
    h->cap_s = cfg->backoff_cap_s > 0 ? cfg->backoff_cap_s : 30;
    h->scale = cfg->sleep_scale >= 0 ? cfg->sleep_scale : http_parse_scale(getenv("CXPULSE_BACKOFF_SCALE"));
    h->rng = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32) ^
             (unsigned long long)(uintptr_t)h;
    if (h->rng == 0) h->rng = 88172645463325252ULL;
    h->rl_remaining = h->rl_reset = -1;
    snprintf(h->post_type, sizeof h->post_type, "%s", cfg->post_type ? cfg->post_type : "application/json");
    if (build_headers(h, cfg) != 0) {
        snprintf(err, errlen, "out of memory");
        http_free(h);
        return NULL;
    }
    if (setup(h, cfg, err, errlen) != 0) {
        http_free(h);
        return NULL;
    }
    return h;
}

static void free_headers(struct curl_slist *l)
{
    for (struct curl_slist *p = l; p; p = p->next) memset(p->data, 0, strlen(p->data));
    curl_slist_free_all(l);
}

void http_free(http_client *h)
{
    if (h == NULL) return;
    if (h->curl) {
        curl_easy_cleanup(h->curl);
        curl_global_cleanup();
    }
    free_headers(h->get_headers);
    free_headers(h->post_headers);
    cx_redact_free(h->red);
    free(h->body);
    free(h);
}

/* Drops the Authorization lines of L (wiped) and appends LINE. */
static int replace_auth(struct curl_slist **l, const char *line)
{
    struct curl_slist *keep = NULL;
    int bad = 0;
    for (struct curl_slist *p = *l; p && !bad; p = p->next)
        if (strncmp(p->data, "Authorization:", 14) != 0) bad = add_header(&keep, p->data);
    bad = bad || add_header(&keep, line);
    if (bad) {
        free_headers(keep);
        return -1;
    }
    free_headers(*l);
    *l = keep;
    return 0;
}

int http_set_bearer(http_client *h, const char *token)
{
    char line[4096];
    if (token == NULL || !token[0] || strpbrk(token, "\r\n") != NULL ||
        (size_t)snprintf(line, sizeof line, "Authorization: Bearer %s", token) >= sizeof line)
        return -1;
    /* masked from now on, in every form, like the configured token */
    int bad = cx_redact_add(h->red, token) || replace_auth(&h->get_headers, line) ||
              replace_auth(&h->post_headers, line);
    memset(line, 0, sizeof line);
    return bad ? -1 : 0;
}

int http_pause(http_client *h, double secs, int scaled)
{
    double d = scaled ? secs * h->scale : secs;
    if (http_mono_now() + d > h->deadline) return -1;
    h->st.waited_s += d;
    http_sleep(d);
    return 0;
}

int64_t http_server_date(const http_client *h) { return h->date; }

int64_t http_server_second_closed(http_client *h)
{
    if (h->date == 0) {
        if (http_pause(h, 1.0, 0) != 0) return -1;
        return (int64_t)time(NULL) - 1;
    }
    double wait = h->date_seen + 1.0 - http_mono_now();
    if (wait > 0 && http_pause(h, wait, 0) != 0) return -1;
    return h->date;
}

void http_get_stats(const http_client *h, http_stats *st) { *st = h->st; }

const cx_redact *http_redactor(const http_client *h) { return h->red; }
