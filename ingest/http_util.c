/* http_util.c — pure helpers of the HTTP client: HTTP dates, Retry-After,
 * backoff, status classes, vendor error messages, URL building.  No
 * network, no allocation that outlives a call; unit-tested in
 * tests/unit/test_http.c. */
#include "ingest/http.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "core/redact.h"
#include "core/timeparse.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Reads exactly N digits (N <= 4) at *P into *V. */
static int take_digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit((*p)[i])) return -1;
        x = x * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *v = x;
    return 0;
}

/* One or two digits (asctime pads the day with a space, not a zero). */
static int take_day(const char **p, int *v)
{
    if (**p == ' ') (*p)++;
    if (!is_digit(**p)) return -1;
    int x = *(*p)++ - '0';
    if (is_digit(**p)) x = x * 10 + (*(*p)++ - '0');
    *v = x;
    return 0;
}

static int take_char(const char **p, char c)
{
    if (**p != c) return -1;
    (*p)++;
    return 0;
}

static int take_month(const char **p, unsigned *m)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (unsigned i = 0; i < 12; i++) {
        if (strncmp(*p, names + 3 * i, 3) == 0) {
            *p += 3;
            *m = i + 1;
            return 0;
        }
    }
    return -1;
}

static int take_clock(const char **p, int *hh, int *mm, int *ss)
{
    if (take_digits(p, 2, hh) || take_char(p, ':') || take_digits(p, 2, mm) || take_char(p, ':') ||
        take_digits(p, 2, ss))
        return -1;
    return (*hh > 23 || *mm > 59 || *ss > 60) ? -1 : 0;
}

static int civil_ok(int y, unsigned m, int d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

int http_parse_date(const char *s, int64_t *out)
{
    const char *p = s;
    int y, d, hh, mm, ss;
    unsigned m;
    while (is_alpha(*p)) p++; /* weekday, short or long */
    if (p == s) return -1;
    if (*p == ',') {
        p++;
        if (take_char(&p, ' ') || take_digits(&p, 2, &d)) return -1;
        if (*p == '-') { /* RFC 850: 06-Nov-94 */
            p++;
            if (take_month(&p, &m) || take_char(&p, '-') || take_digits(&p, 2, &y)) return -1;
            y += y < 70 ? 2000 : 1900;
        } else if (take_char(&p, ' ') || take_month(&p, &m) || take_char(&p, ' ') ||
                   take_digits(&p, 4, &y)) { /* IMF-fixdate: 06 Nov 1994 */
            return -1;
        }
        if (take_char(&p, ' ') || take_clock(&p, &hh, &mm, &ss) || strcmp(p, " GMT") != 0) return -1;
    } else { /* asctime: Nov  6 08:49:37 1994 */
        if (take_char(&p, ' ') || take_month(&p, &m) || take_char(&p, ' ') || take_day(&p, &d) ||
            take_char(&p, ' ') || take_clock(&p, &hh, &mm, &ss) || take_char(&p, ' ') ||
            take_digits(&p, 4, &y) || *p != '\0')
            return -1;
    }
    if (!civil_ok(y, m, d)) return -1;
    *out = days_from_civil(y, m, (unsigned)d) * 86400 + hh * 3600 + mm * 60 + (ss > 59 ? 59 : ss);
    return 0;
}

int http_parse_retry_after(const char *v, int64_t now, double *secs)
{
    while (*v == ' ' || *v == '\t') v++;
    if (is_digit(*v)) {
        double x = 0;
        const char *p = v;
        while (is_digit(*p)) {
            x = x * 10 + (*p - '0');
            if (x > 1e9) return -1;
            p++;
        }
        while (*p == ' ' || *p == '\t') p++;
        if (*p != '\0') return -1;
        *secs = x;
        return 0;
    }
    int64_t t;
    size_t n = strlen(v);
    char buf[64];
    if (n >= sizeof buf) return -1;
    memcpy(buf, v, n + 1);
    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t')) buf[--n] = '\0';
    if (http_parse_date(buf, &t) != 0) return -1;
    *secs = t > now ? (double)(t - now) : 0.0;
    return 0;
}

double http_backoff_delay(int attempt, double base, double cap, double u)
{
    if (attempt < 0) attempt = 0;
    double ceiling = attempt > 60 ? cap : base * ldexp(1.0, attempt);
    if (ceiling > cap) ceiling = cap;
    if (u < 0) u = 0;
    if (u >= 1) u = nextafter(1.0, 0.0);
    return u * ceiling;
}

int http_status_retryable(long status)
{
    return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
}

/* Copies S into OUT (CAP bytes), control characters as spaces, cut on a
 * UTF-8 character boundary. */
static void put_clean(char *out, size_t cap, const char *s, size_t n)
{
    if (cap == 0) return;
    if (n > cap - 1) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* s[n] would start mid-character */
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (c < 0x20 || c == 0x7F) ? ' ' : (char)c;
    }
    out[n] = '\0';
}

static const char *json_str(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b != NULL) x = cJSON_GetObjectItemCaseSensitive(x, b);
    return cJSON_IsString(x) && x->valuestring[0] ? x->valuestring : NULL;
}

/* Delighted's 422 carries {"errors": {"field": ["why", ...]}}: name the first. */
static void delighted_detail(const cJSON *root, char *out, size_t cap)
{
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(root, "errors");
    const cJSON *first = cJSON_IsObject(errs) ? errs->child : NULL;
    if (first == NULL || first->string == NULL) return;
    const cJSON *why = cJSON_IsArray(first) ? cJSON_GetArrayItem(first, 0) : first;
    size_t n = strlen(out);
    if (n + 4 >= cap) return;
    char detail[256];
    if (cJSON_IsString(why)) snprintf(detail, sizeof detail, ": %s %s", first->string, why->valuestring);
    else snprintf(detail, sizeof detail, ": %s", first->string);
    put_clean(out + n, cap - n, detail, strlen(detail));
}

void http_error_message(const char *body, size_t len, char *out, size_t cap)
{
    if (cap == 0) return;
    out[0] = '\0';
    if (body == NULL || len == 0) return;
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (root != NULL) {
        const char *m =
            json_str(cJSON_GetObjectItemCaseSensitive(root, "meta"), "error", "errorMessage"); /* Qualtrics */
        if (m == NULL) m = json_str(root, "error", "message"); /* SurveyMonkey */
        if (m == NULL) m = json_str(root, "message", NULL);    /* Delighted */
        if (m == NULL) m = json_str(root, "error_description", NULL);
        if (m == NULL) m = json_str(root, "error", NULL);
        if (m != NULL) {
            put_clean(out, cap, m, strlen(m));
            delighted_detail(root, out, cap);
        }
        cJSON_Delete(root);
        return;
    }
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n')) i++;
    if (i == len || body[i] == '<' || body[i] == '{' || body[i] == '[')
        return; /* HTML page or broken JSON: nothing to say */
    size_t n = len - i;
    for (size_t k = 0; k < n; k++) {
        if (body[i + k] == '\n' || body[i + k] == '\0') {
            n = k;
            break;
        }
    }
    put_clean(out, cap < 161 ? cap : 161, body + i, n);
}

const char *http_url_path(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    p += strcspn(p, "/?#");
    size_t n = strcspn(p, "?#");
    if (n == 0) {
        p = "/";
        n = 1;
    }
    put_clean(out, cap, p, n);
    return out;
}

int http_url_add(char *buf, size_t cap, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n0 = strlen(buf), n = n0;
    if (n0 + 1 >= cap) return -1;
    int w = snprintf(buf + n, cap - n, "%c%s=", strchr(buf, '?') ? '&' : '?', name);
    if (w < 0 || (size_t)w >= cap - n) goto full;
    n += (size_t)w;
    for (const unsigned char *v = (const unsigned char *)value; *v; v++) {
        int plain = is_alpha((char)*v) || is_digit((char)*v) || strchr("-._~", *v);
        size_t need = plain ? 1 : 3;
        if (n + need >= cap) goto full;
        if (plain) {
            buf[n++] = (char)*v;
        } else {
            buf[n++] = '%';
            buf[n++] = hex[*v >> 4];
            buf[n++] = hex[*v & 15];
        }
    }
    buf[n] = '\0';
    return 0;
full:
    buf[n0] = '\0';
    return -1;
}

const char *http_url_origin(const char *url, char *out, size_t cap)
{
    if (cap == 0) return out;
    out[0] = '\0';
    const char *p = url ? strstr(url, "://") : NULL;
    if (p == NULL || p == url) return out;
    for (const char *s = url; s < p; s++)
        if (!is_alpha(*s) && !is_digit(*s) && !strchr("+-.", *s)) return out;
    const char *host = p + 3;
    size_t n = strcspn(host, "/?#");
    for (size_t i = n; i > 0; i--) /* user:password@ is never shown */
        if (host[i - 1] == '@') {
            host += i;
            n -= i;
            break;
        }
    if (n == 0) return out;
    for (size_t i = 0; i < n; i++)
        if (!is_alpha(host[i]) && !is_digit(host[i]) && !strchr(".-:[]", host[i])) return out;
    size_t scheme = (size_t)(p - url);
    if (scheme + 3 + n >= cap) return out;
    snprintf(out, cap, "%.*s://%.*s", (int)scheme, url, (int)n, host);
    return out;
}

void http_describe_status(long status, const char *body, size_t len, const char *token_env,
                          const char *moved_to, char *out, size_t cap)
{
    char msg[512], tail[256] = "", origin[128];
    http_error_message(body, len, msg, sizeof msg);
    http_url_origin(moved_to, origin, sizeof origin);
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
        snprintf(tail, sizeof tail, " (redirects are not followed: check base_url%s%s)",
                 origin[0] ? "; the answer points to " : "", origin);
    else if (status == 401) snprintf(tail, sizeof tail, " (check the token in $%s)", token_env);
    else if (status == 403)
        snprintf(tail, sizeof tail, " (check the token in $%s and its permissions)", token_env);
    else if (status == 404) snprintf(tail, sizeof tail, " (check survey_id and base_url)");
    snprintf(out, cap, "HTTP %ld%s%s%s", status, msg[0] ? ": " : "", msg, tail);
}

int http_curl_retryable(int code)
{
    switch ((CURLcode)code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2_STREAM: return 1;
    default: return 0;
    }
}

int http_header_value(const char *line, size_t n, const char *name, char *out, size_t cap)
{
    size_t k = strlen(name);
    if (cap == 0 || n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':') return -1;
    const char *v = line + k + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t')) end--;
    size_t m = (size_t)(end - v) < cap - 1 ? (size_t)(end - v) : cap - 1;
    memcpy(out, v, m);
    out[m] = '\0';
    return 0;
}

long http_parse_count(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return (errno || end == s || *end != '\0' || v < 0) ? -1 : v;
}

double http_parse_scale(const char *s)
{
    if (s == NULL || !*s) return 1.0;
    char *end;
    double v = strtod(s, &end);
    return (*end == '\0' && isfinite(v) && v >= 0) ? v : 1.0;
}

void http_redact(char *s, const char *secret)
{
    cx_redact *r = cx_redact_new(secret);
    if (r == NULL) {
        s[0] = '\0'; /* cannot check it: say nothing */
        return;
    }
    cx_redact_mask(r, s);
    cx_redact_free(r);
}
