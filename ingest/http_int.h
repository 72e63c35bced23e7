/* http_int.h — what the two files of the HTTP client share: the client's
 * state and its clock.  Not for use outside ingest/http.c (the client, its
 * options and headers) and ingest/http_request.c (a request with retries).
 */
#ifndef CX_HTTP_INT_H
#define CX_HTTP_INT_H

#include "ingest/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <time.h>

#include "core/redact.h"

/* The largest answer body kept; a larger one fails the request. */
#define BODY_LIMIT (256u * 1024u * 1024u)

struct http_client {
    CURL *curl;
    struct curl_slist *get_headers, *post_headers; /* hold the token: zeroed on free */
    char errbuf[CURL_ERROR_SIZE];
    char token_env[128];
    cx_redact *red; /* finds the token (and http_set_bearer's) in vendor text */
    char post_type[96];
    int max_attempts;
    double deadline, timeout_s, base_s, cap_s, scale;
    double t0, not_before; /* monotonic seconds */
    unsigned long long rng;
    char *body;
    size_t len, alloc;
    int too_big;
    char retry_after[128];       /* of the current answer, "" if none */
    long rl_remaining, rl_reset; /* -1 = not sent */
    int64_t date;
    double date_seen; /* monotonic time the Date header came */
    http_stats st;
    void (*on_retry)(const char *method, const char *path, long status, const char *why, double wait_s,
                     void *ctx);
    void *retry_ctx;
};

static inline double http_mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void http_sleep(double s)
{
    if (!(s > 0)) return;
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

#endif
