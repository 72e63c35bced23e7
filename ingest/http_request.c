/* http_request.c — one request of the HTTP client (ingest/http.h) with its
 * retries: full-jitter backoff, Retry-After, the vendor's rate-limit window,
 * the deadline; the answer's JSON checked by the caller's function.  Every
 * message has the token masked. */
#include "ingest/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SurveyMonkey-style headers: at or below this many requests left in the
 * window, wait for the reset before sending the next request. */
#define RATE_LOW_WATER 2

/* xorshift64*: jitter only, seeded per client (no global state). */
static double rand01(http_client *h)
{
    h->rng ^= h->rng >> 12;
    h->rng ^= h->rng << 25;
    h->rng ^= h->rng >> 27;
    return (double)((h->rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* "HTTP 401: vendor message (hint)" of the current answer into OUT; for a
 * redirect, where it points (curl's reading of Location, never followed). */
static void describe_status(http_client *h, long status, char *out, size_t cap)
{
    char *moved_to = NULL;
    if (status >= 300 && status < 400 &&
        curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &moved_to) != CURLE_OK)
        moved_to = NULL;
    http_describe_status(status, h->body, h->len, h->token_env, moved_to, out, cap);
    cx_redact_mask(h->red, out);
}

/* One attempt: 0 when an answer came (*status set), else the curl code. */
static CURLcode perform(http_client *h, const char *method, const char *url, const char *body, long *status,
                        char *err, size_t errlen)
{
    double left = h->deadline - http_mono_now();
    double t = left < h->timeout_s ? left : h->timeout_s;
    long post = strcmp(method, "POST") == 0;
    CURLcode rc;
    h->len = 0;
    h->too_big = 0;
    h->errbuf[0] = '\0';
    h->retry_after[0] = '\0';
    h->rl_remaining = h->rl_reset = -1;
    *status = 0;
#define TRY(opt, val) \
    if ((rc = curl_easy_setopt(h->curl, opt, val)) != CURLE_OK) goto bad_opt
    TRY(CURLOPT_URL, url);
    TRY(CURLOPT_TIMEOUT_MS, (long)(t > 0.001 ? t * 1000 : 1));
    TRY(CURLOPT_HTTPHEADER, post ? h->post_headers : h->get_headers);
    if (post) {
        TRY(CURLOPT_POST, 1L);
        TRY(CURLOPT_POSTFIELDS, body ? body : "");
        TRY(CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
    } else {
        TRY(CURLOPT_HTTPGET, 1L);
    }
#undef TRY
    rc = curl_easy_perform(h->curl);
    h->st.requests++;
    h->st.bytes += (long long)h->len;
    if (curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status) != CURLE_OK) *status = 0;
    if (h->body) /* NULL when no byte came: len is 0 */
        h->body[h->len] = '\0';
    return rc;
bad_opt:
    snprintf(err, errlen, "curl: %s", curl_easy_strerror(rc));
    return rc;
}

/* After an answer: when few requests are left in the vendor's window,
 * the next request waits for the window to reset. */
static void note_rate_limit(http_client *h)
{
    if (h->rl_remaining >= 0 && h->rl_remaining <= RATE_LOW_WATER && h->rl_reset >= 0)
        h->not_before = http_mono_now() + (double)h->rl_reset; /* the server's clock: never scaled */
}

/* Seconds to wait before retrying the answer just received. */
static double retry_delay(http_client *h, int attempt, long status)
{
    double ra;
    if (h->retry_after[0] && http_parse_retry_after(h->retry_after, (int64_t)time(NULL), &ra) == 0)
        return (ra + rand01(h) * 0.1 * (ra > 1 ? ra : 1)) * h->scale;
    /* SurveyMonkey sends no Retry-After: when its window is spent, wait for
     * the reset; a 429 with quota left gets the ordinary backoff. */
    if (status == 429 && h->rl_reset >= 0 && h->rl_remaining <= RATE_LOW_WATER)
        return (double)h->rl_reset + rand01(h) * 0.5;
    return http_backoff_delay(attempt, h->base_s, h->cap_s, rand01(h)) * h->scale;
}

/* The body as one JSON value and nothing after it but white space: a
 * page with an error or a proxy's HTML after its JSON is no page. */
static cJSON *parse_whole(const char *body, size_t len)
{
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (json == NULL) return NULL;
    for (const char *p = end; p < body + len; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '\0') {
            cJSON_Delete(json);
            return NULL;
        }
    return json;
}

static cJSON *request_json(http_client *h, const char *method, const char *url, const char *json_body,
                           http_check_fn check, void *check_ctx, long *status_out, char *err, size_t errlen)
{
    char path[256], last[768] = "no attempt made";
    long status = 0;
    http_url_path(url, path, sizeof path);
    for (int attempt = 0;; attempt++) {
        double wait = h->not_before - http_mono_now();
        if (wait > 0 && http_mono_now() + wait > h->deadline) {
            snprintf(err, errlen,
                     "%s %s: the vendor's rate-limit window resets in %.0f s, after the deadline", method,
                     path, wait);
            break;
        }
        if (wait > 0) {
            h->st.waited_s += wait;
            http_sleep(wait);
        }
        if (http_mono_now() >= h->deadline) {
            snprintf(err, errlen, "%s %s: deadline exceeded (last: %s)", method, path, last);
            break;
        }
        CURLcode rc = perform(h, method, url, json_body, &status, err, errlen);
        if (status_out) *status_out = status;
        note_rate_limit(h);
        if (rc != CURLE_OK) {
            if (h->too_big)
                snprintf(err, errlen, "%s %s: body larger than %u MiB", method, path, BODY_LIMIT >> 20);
            else if (!http_curl_retryable((int)rc))
                snprintf(err, errlen, "%s %s: %s", method, path,
                         h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
            if (h->too_big || !http_curl_retryable((int)rc)) return NULL;
            snprintf(last, sizeof last, "%s", h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
        } else if (status >= 200 && status < 300) {
            const char *why = NULL;
            /* The body as sent, for its records' raw text (http_keep_text):
             * a copy when mending changes it, else the body itself, which
             * the tree then owns (the next answer gets a buffer of its own). */
            size_t got = h->len;
            int mends = http_json_would_mend(h->body, h->len);
            char *sent = mends ? malloc(got + 1) : NULL;
            if (mends && sent == NULL) {
                snprintf(err, errlen, "%s %s: out of memory keeping the body", method, path);
                return NULL;
            }
            if (sent != NULL) {
                memcpy(sent, h->body, got);
                sent[got] = '\0';
            }
            h->len = http_json_mend(h->body, h->len);
            cJSON *json = parse_whole(h->body, h->len);
            if (json != NULL && sent == NULL && h->body != NULL) {
                sent = h->body;
                h->body = NULL;
                h->alloc = h->len = 0;
            }
            int kept = json == NULL || sent == NULL || http_keep_text(json, sent, got) == 0;
            if (json == NULL) free(sent);
            if (!kept) {
                cJSON_Delete(json);
                snprintf(err, errlen, "%s %s: out of memory reading the numbers and records of the body",
                         method, path);
                return NULL;
            }
            if (json != NULL && (check == NULL || check(json, check_ctx, &why) == 0)) return json;
            cJSON_Delete(json);
            snprintf(last, sizeof last, "%s body (%zu bytes)%s%s", json ? "unexpected" : "unparsable JSON",
                     got, why ? ": " : "", why ? why : "");
        } else {
            describe_status(h, status, last, sizeof last);
            if (!http_status_retryable(status)) {
                snprintf(err, errlen, "%s %s: %s", method, path, last);
                return NULL;
            }
        }
        if (attempt + 1 >= h->max_attempts) {
            snprintf(err, errlen, "%s %s: gave up after %d %s (last: %s)", method, path, attempt + 1,
                     attempt == 0 ? "attempt" : "attempts", last);
            break;
        }
        double d = retry_delay(h, attempt, status);
        if (http_mono_now() + d > h->deadline) {
            snprintf(err, errlen, "%s %s: deadline would pass before the next attempt (last: %s)", method,
                     path, last);
            break;
        }
        h->st.retries++;
        h->st.waited_s += d;
        if (h->on_retry) {
            cx_redact_mask(h->red, path); /* a vendor's id in the path, its text in LAST */
            cx_redact_mask(h->red, last);
            h->on_retry(method, path, rc != CURLE_OK ? 0 : status, last, d, h->retry_ctx);
        }
        http_sleep(d);
    }
    return NULL;
}

/* Every message may quote the vendor (and curl the URL): the token masked. */
cJSON *http_json(http_client *h, const char *method, const char *url, const char *json_body,
                 http_check_fn check, void *check_ctx, long *status_out, char *err, size_t errlen)
{
    cJSON *json = request_json(h, method, url, json_body, check, check_ctx, status_out, err, errlen);
    if (json == NULL && errlen > 0) cx_redact_mask(h->red, err);
    return json;
}
