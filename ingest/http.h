/* http.h — one vendor connection over libcurl (docs/vendors.md, "HTTP behaviour").
 *
 * Owner: ingest/http.c (the client) and ingest/http_util.c (the pure
 * helpers below the client, unit-tested without a network).
 *
 * An http_client wraps ONE curl easy handle reused for every request of a
 * source, so the connection is kept alive.  Every request is retried with
 * exponential backoff and full jitter on 429, 5xx, connection resets,
 * timeouts and truncated or unparsable bodies; Retry-After (seconds or an
 * HTTP date) is honoured; SurveyMonkey-style rate-limit headers make the
 * client wait for the window to reset BEFORE it is refused.  400, 401, 403,
 * 404, 422 and other 4xx fail at once with the vendor's own message and a
 * hint naming the token's environment variable — never its value.
 *
 * The token is handed only to curl (a Basic-auth user name or a request
 * header); it is never put into a URL or a message, and CURLOPT_VERBOSE is
 * never enabled.
 */
#ifndef CX_HTTP_H
#define CX_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

typedef enum {
    HTTP_AUTH_BASIC_USER, /* Delighted: the key is the Basic-auth user, empty password */
    HTTP_AUTH_HEADER,     /* Qualtrics: "X-API-TOKEN: <token>" (auth_header names it) */
    HTTP_AUTH_BEARER,     /* SurveyMonkey: "Authorization: Bearer <token>" */
    HTTP_AUTH_BASIC,      /* Basic auth: basic_user, the token as the password
                               * (Zendesk "email/token", an OAuth client's id) */
    HTTP_AUTH_NONE        /* the caller sets a bearer with http_set_bearer (OAuth) */
} http_auth;

typedef struct http_cfg {
    const char *token;     /* the secret; borrowed for http_new only (curl copies it) */
    const char *token_env; /* NAME of its environment variable, for hints */
    http_auth auth;
    const char *auth_header; /* HTTP_AUTH_HEADER: header name, e.g. "X-API-TOKEN" */
    const char *basic_user;  /* HTTP_AUTH_BASIC: the user name (not a secret) */
    const char *post_type;   /* Content-Type of POST bodies; NULL = application/json */
    int max_attempts;        /* per request, >= 1 */
    double deadline_s;       /* total for the client's lifetime (one source's sync) */
    double timeout_s;        /* one attempt */
    double connect_timeout_s;
    const char *ca_file;   /* extra CA bundle or NULL; verification is always on */
    double backoff_base_s; /* 0 = 0.5 s */
    double backoff_cap_s;  /* 0 = 30 s */
    /* Multiplies the backoff and Retry-After sleeps and polling intervals
     * (not the waits for a rate-limit window to reset, which follow the
     * server's clock).
     * < 0 = take it from the environment variable CXPULSE_BACKOFF_SCALE
     * (a test hook read once here; default 1, i.e. real waits). */
    double sleep_scale;
    /* Called before each retry's wait (may be NULL): the request's method
     * and URL path, the HTTP status (0 when no answer came), why it is
     * retried (tokens redacted) and the wait in seconds. */
    void (*on_retry)(const char *method, const char *path, long status, const char *why, double wait_s,
                     void *ctx);
    void *retry_ctx;
} http_cfg;

typedef struct http_client http_client;

/* Returns NULL with the reason in ERR. */
http_client *http_new(const http_cfg *cfg, char *err, size_t errlen);
void http_free(http_client *h);

/* Optional check of a parsed 2xx body: return 0 when usable, else nonzero
 * with *why set; the body then counts as unparsable and is retried. */
typedef int (*http_check_fn)(const cJSON *body, void *ctx, const char **why);

/* Sends METHOD ("GET" or "POST") to URL with JSON_BODY (POST only, may be
 * NULL) and returns the parsed JSON body (caller frees with cJSON_Delete),
 * retrying as described above.  NULL on failure with "why" in ERR; the
 * message names the URL path (no host, no query) and, for 401/403/404, a
 * hint.  *STATUS (may be NULL) receives the last HTTP status (0 when no
 * answer came). */
cJSON *http_json(http_client *h, const char *method, const char *url, const char *json_body,
                 http_check_fn check, void *check_ctx, long *status, char *err, size_t errlen);

/* Sends "Authorization: Bearer TOKEN" from now on (an OAuth access token
 * that changes during a sync); the old one is wiped.  TOKEN is redacted
 * from messages like the client's own.  0 ok, -1 out of memory or a
 * malformed token. */
int http_set_bearer(http_client *h, const char *token);

/* Sleeps SECS — times the sleep scale when SCALED (polling intervals);
 * unscaled for waits on the server's clock.  0 ok, -1 when that would pass
 * the deadline (no sleep then). */
int http_pause(http_client *h, double secs, int scaled);

/* Server time from the last answer's Date header (UTC seconds), 0 if none. */
int64_t http_server_date(const http_client *h);

/* Waits (unscaled, at most a second) until the second of the last answer's
 * Date is surely over at the server, so nothing can be stamped with it any
 * more, and returns that second (the local clock when no Date came).
 * -1 when the wait would pass the deadline. */
int64_t http_server_second_closed(http_client *h);

typedef struct http_stats {
    long long requests; /* attempts sent */
    long long retries;  /* attempts that were retried */
    long long bytes;    /* body bytes received */
    double waited_s;    /* time slept in backoff and rate-limit waits */
} http_stats;
void http_get_stats(const http_client *h, http_stats *st);

/* The masker of this client's token (borrowed; valid until http_free). */
const struct cx_redact *http_redactor(const http_client *h);

/* A 2xx body mended in place before it is parsed (ingest/http_jsontext.c):
 * a "\u0000" escape and a UTF-16 surrogate escape without its pair are
 * written as bytes that are not UTF-8, so that the record holding one is
 * rejected (the NUL would cut its text, the surrogate fail the page).
 * Returns the new length (at most LEN). */
size_t http_json_mend(char *body, size_t len);
/* 1 when http_json_mend may change BODY (it holds a "\u0000" or a
 * surrogate escape), else 0: the caller keeps the text as sent first. */
int http_json_would_mend(const char *body, size_t len);

/* ---- pure helpers (ingest/http_util.c) ---- */

/* Parses an HTTP date (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", and the
 * obsolete RFC 850 and asctime forms) into UTC seconds.  0 ok, -1 error. */
int http_parse_date(const char *s, int64_t *out);

/* Retry-After value V (delta-seconds or HTTP date) as seconds to wait from
 * NOW (UTC seconds); a date in the past gives 0.  0 ok, -1 unparsable. */
int http_parse_retry_after(const char *v, int64_t now, double *secs);

/* Full-jitter exponential backoff: U * min(CAP, BASE * 2^ATTEMPT), with
 * ATTEMPT counted from 0 and U uniform in [0, 1). */
double http_backoff_delay(int attempt, double base, double cap, double u);

/* 1 when a request answered with STATUS is worth retrying (408, 425, 429,
 * 500, 502, 503, 504 and other 5xx), else 0. */
int http_status_retryable(long status);

/* Extracts the vendor's own error message from an error BODY of LEN bytes:
 * Delighted {"message", "errors"}, Qualtrics meta.error.errorMessage,
 * SurveyMonkey error.message, or a short printable excerpt of a non-JSON,
 * non-HTML body.  Writes "" when there is nothing useful.  Control
 * characters are replaced by spaces. */
void http_error_message(const char *body, size_t len, char *out, size_t cap);

/* "HTTP 401: <vendor message> (check the token in $TOKEN_ENV)" for an
 * error answer: the hint names the variable, never its value; 404 hints at
 * survey_id and base_url; a redirect (301, 302, 303, 307, 308) says that
 * redirects are not followed and to check base_url, naming the scheme and
 * host of MOVED_TO, where the answer points (NULL = unknown; see
 * http_url_origin).  The caller masks OUT like other vendor text. */
void http_describe_status(long status, const char *body, size_t len, const char *token_env,
                          const char *moved_to, char *out, size_t cap);

/* "scheme://host[:port]" of URL into OUT, without user, password, path or
 * query; "" when URL has none or it holds any other character (vendor text,
 * shown only when plain).  Returns OUT. */
const char *http_url_origin(const char *url, char *out, size_t cap);

/* 1 when a libcurl error CODE (a CURLcode) is transient: connection
 * refused or reset, timeouts, a body cut short, an empty reply. */
int http_curl_retryable(int code);

/* The path of URL without scheme, host and query ("/v1/survey_responses.json"),
 * for messages.  Returns OUT. */
const char *http_url_path(const char *url, char *out, size_t cap);

/* Appends "NAME=VALUE" to the query of the URL being built in BUF (CAP
 * bytes, NUL-terminated), choosing '?' or '&' and percent-encoding VALUE.
 * 0 ok, -1 when it does not fit. */
int http_url_add(char *buf, size_t cap, const char *name, const char *value);

/* Value of header NAME (case-insensitive) in the raw header LINE of N
 * bytes ("Name: value\r\n") into OUT, trimmed.  0 ok, -1 another header. */
int http_header_value(const char *line, size_t n, const char *name, char *out, size_t cap);

/* A non-negative decimal count ("57"), or -1. */
long http_parse_count(const char *s);

/* The sleep scale from the text of CXPULSE_BACKOFF_SCALE: a finite number
 * >= 0, else (also for NULL or "") 1. */
double http_parse_scale(const char *s);

/* Masks every form of SECRET in S with "***" (core/redact.h: raw, any
 * case, percent-encoded, base64, runs of 8+ characters); a SECRET shorter
 * than 4 bytes is left alone. */
void http_redact(char *s, const char *secret);

/* Gives every integer literal of 16 digits or more in the JSON TEXT (LEN
 * bytes) that ROOT was parsed from its exact text as the number item's
 * valuestring, so that ids above 2^53 stay apart; and every record (an
 * object that is an array's element, within no other such object) its
 * place in TEXT (http_record_text).  TEXT (malloc'd, LEN bytes and a NUL)
 * is ROOT's from the call on, freed with it by cJSON_Delete (at once when
 * ROOT is no object or array).  TEXT may be the body as sent when ROOT was
 * parsed from it mended (http_json_mend changes no structure).  0 ok, -1
 * when out of memory or TEXT is not what ROOT was parsed from
 * (ingest/http_numtext.c). */
int http_keep_text(cJSON *root, char *text, size_t len);
/* The LEN bytes REC was parsed from, as the vendor sent them (not
 * NUL-terminated; owned by the tree's root), when http_keep_text kept them;
 * else NULL (an item made by the program, a text holding a NUL byte). */
const char *http_record_text(const cJSON *rec, size_t *len);
/* Forgets REC's text (a copy of a record, cJSON_Duplicate, shares its
 * place in a text that the copy may outlive; a record made of a record and
 * more is not the vendor's bytes). */
void http_record_text_drop(cJSON *rec);

#endif
