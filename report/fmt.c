/* fmt.c — see fmt.h. */
#include "report/fmt.h"
#include "report/html.h"
#include "core/timeparse.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define DASH "\xe2\x80\x93" /* U+2013 EN DASH */

/* |v| rounded, with a comma every three digits, into BUF. */
static void grouped(double v, char *buf, size_t len)
{
    char digits[64];
    int n = snprintf(digits, sizeof digits, "%.0f", fabs(v));
    if (n <= 0 || (size_t)n >= sizeof digits) {
        snprintf(buf, len, "%.0f", fabs(v));
        return;
    }
    char out[96];
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    snprintf(buf, len, "%s", out);
}

void fmt_count(double v, char *buf, size_t len)
{
    if (isnan(v) || isinf(v)) {
        snprintf(buf, len, DASH);
        return;
    }
    char g[96];
    grouped(v, g, sizeof g);
    snprintf(buf, len, "%s%s", v <= -0.5 ? "-" : "", g);
}

const char *fmt_n(double v, char *buf, size_t len)
{
    fmt_count(v, buf, len);
    return buf;
}

void fmt_money(double v, const char *currency, char *buf, size_t len)
{
    if (isnan(v) || isinf(v)) {
        snprintf(buf, len, DASH);
        return;
    }
    const char *c = currency ? currency : "";
    char g[96];
    grouped(v, g, sizeof g);
    size_t cl = strlen(c);
    int code = cl > 0 && ((c[cl - 1] >= 'A' && c[cl - 1] <= 'Z') || (c[cl - 1] >= 'a' && c[cl - 1] <= 'z'));
    snprintf(buf, len, "%s%s%s%s", v <= -0.5 ? "-" : "", c, code ? " " : "", g);
}

void fmt_p(double p, char *buf, size_t len)
{
    if (isnan(p)) {
        snprintf(buf, len, "p undefined");
        return;
    }
    if (p < 0.001) {
        snprintf(buf, len, "p < 0.001");
        return;
    }
    /* Two significant digits, without trailing zeros' exponent form. */
    char s[32];
    snprintf(s, sizeof s, "%.2g", p);
    if (strchr(s, 'e')) snprintf(s, sizeof s, "%.4f", p);
    snprintf(buf, len, "p = %s", s);
}

void fmt_mss(double secs, char *buf, size_t len)
{
    if (isnan(secs) || isinf(secs) || secs < 0) {
        snprintf(buf, len, DASH);
        return;
    }
    long long t = (long long)llround(secs);
    if (t >= 3600) snprintf(buf, len, "%lld:%02lld:%02lld", t / 3600, t / 60 % 60, t % 60);
    else snprintf(buf, len, "%lld:%02lld", t / 60, t % 60);
}

void html_money(FILE *f, double v, const char *currency)
{
    char b[160];
    fmt_money(v, currency, b, sizeof b);
    html_text(f, b);
}

void html_p(FILE *f, double p)
{
    char b[32];
    fmt_p(p, b, sizeof b);
    html_text(f, b);
}

void html_mss(FILE *f, double secs)
{
    char b[32];
    fmt_mss(secs, b, sizeof b);
    fputs(b, f);
}

void html_count(FILE *f, double v)
{
    char b[64];
    fmt_count(v, b, sizeof b);
    fputs(b, f);
}

static const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

void fmt_month(int key, char *buf, size_t len)
{
    if (key <= 0) {
        snprintf(buf, len, "all months");
        return;
    }
    snprintf(buf, len, "%s %d", month_names[key % 12], key / 12);
}

void html_month_short(FILE *f, int key) { fprintf(f, "%.3s&nbsp;%d", month_names[key % 12], key / 12); }

void fmt_months(int last, int n, char *buf, size_t len)
{
    if (n <= 1 || last <= 0) {
        fmt_month(last, buf, len);
        return;
    }
    int first = last - n + 1;
    if (first / 12 == last / 12)
        snprintf(buf, len, "%s" DASH "%s %d", month_names[first % 12], month_names[last % 12], last / 12);
    else
        snprintf(buf, len, "%s %d" DASH "%s %d", month_names[first % 12], first / 12, month_names[last % 12],
                 last / 12);
}

void fmt_day(long long day, char *buf, size_t len)
{
    int y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, len, "%u %s %d", d, month_names[(m - 1) % 12], y);
}

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 HORIZONTAL ELLIPSIS */

/* SRC into BUF (LEN > 0), '_' read as a space when SPACES.  A text that
 * does not fit is cut at a character boundary and ends with "…" (when BUF
 * has room for it): a label cut inside a UTF-8 sequence would make a
 * chart's SVG invalid XML. */
static void label_copy(const char *src, int spaces, char *buf, size_t len)
{
    size_t n = strlen(src), keep = n;
    int dots = 0;
    if (n >= len) {
        dots = len > sizeof ELLIPSIS; /* "…" and the NUL fit after a byte */
        keep = len - (dots ? sizeof ELLIPSIS : 1);
        while (keep > 0 && ((unsigned char)src[keep] & 0xC0) == 0x80) keep--;
    }
    for (size_t i = 0; i < keep; i++) buf[i] = spaces && src[i] == '_' ? ' ' : src[i];
    buf[keep] = '\0';
    if (dots) memcpy(buf + keep, ELLIPSIS, sizeof ELLIPSIS);
}

void fmt_label(const stats_result *r, const char *code, char *buf, size_t len)
{
    if (len == 0) return;
    for (size_t i = 0; r && code && i < r->n_labels; i++)
        if (strcmp(r->labels[i].code, code) == 0) {
            label_copy(r->labels[i].text, 0, buf, len);
            return;
        }
    label_copy(code ? code : "", 1, buf, len);
}

void html_label(FILE *f, const stats_result *r, const char *code)
{
    for (size_t i = 0; r && code && i < r->n_labels; i++)
        if (strcmp(r->labels[i].code, code) == 0) {
            html_text(f, r->labels[i].text);
            return;
        }
    for (const char *p = code ? code : ""; *p;) {
        size_t n = strcspn(p, "_");
        html_text_n(f, p, n);
        p += n;
        if (*p == '_') {
            fputc(' ', f);
            p++;
        }
    }
}

/* One month's row: counted when it is of LO..HI and has data. */
static void data_month(int mo, int has, int lo, int hi, size_t *k, int *first, int *last)
{
    if (!has || mo < lo || mo > hi) return;
    if ((*k)++ == 0 || mo < *first) *first = mo;
    if (*k == 1 || mo > *last) *last = mo;
}

size_t fmt_data_months(const nps_result *nps, const metrics_result *m, int which, int lo, int hi, int *first,
                       int *last)
{
    size_t k = 0;
    for (size_t i = 0; (which & FMT_NPS) && nps && i < nps->n_trend; i++)
        data_month(nps->trend[i].month, nps->trend[i].row != 0, lo, hi, &k, first, last);
    for (size_t i = 0; (which & FMT_CSAT) && m && i < m->n_csat; i++)
        data_month(m->csat[i].month, m->csat[i].dim == 0 && m->csat[i].n > 0, lo, hi, &k, first, last);
    for (size_t i = 0; (which & FMT_CES) && m && i < m->n_ces; i++)
        data_month(m->ces[i].month, m->ces[i].dim == 0 && m->ces[i].n > 0, lo, hi, &k, first, last);
    return k;
}

int fmt_first_with_data(const stats_result *r, int month, int n)
{
    int first = month, last = month;
    if (r) fmt_data_months(r->nps, r->metrics, FMT_ANY, month - n + 1, month, &first, &last);
    return first;
}

void html_findings_counts(FILE *f, const char *metric, const findings_counts *c)
{
    if (c->n_findings == 0)
        fprintf(f, "<p id=\"findings\">No statistically significant difference%s%s this month (",
                metric ? " in " : "", metric ? metric : "");
    else fputs("<p class=\"muted\">", f);
    html_count(f, (double)c->n_tests);
    fprintf(f, " %s tested", fmt_noun((double)c->n_tests, "comparison", "comparisons"));
    if (c->n_findings == 0) fputs(").", f);
    else {
        fputs(": ", f);
        html_count(f, (double)c->n_significant);
        fprintf(f,
                " %s significant, the %zu largest shown. With a false-discovery rate of %g%%, on average at "
                "most 1 in %g of the differences called significant this way are due to chance alone "
                "(Benjamini&ndash;Hochberg; p-values shown adjusted for the number of comparisons).",
                fmt_noun((double)c->n_significant, "is", "are"), c->n_findings, 100.0 * c->fdr,
                round(1.0 / c->fdr));
    }
    if (c->n_small > 0) {
        fputc(' ', f);
        html_count(f, (double)c->n_small);
        fprintf(f, " %s with fewer than %d %s on a side %s not tested.",
                fmt_noun((double)c->n_small, "comparison", "comparisons"), c->min,
                fmt_noun((double)c->min, "response", "responses"),
                fmt_noun((double)c->n_small, "was", "were"));
    }
    fputs("</p>\n", f);
}

int fmt_page_month(const stats_result *r) { return r->month ? r->month : r->nps ? r->nps->report_month : 0; }

int fmt_in_trend(int month, int page) { return month != 0 && (page == 0 || month <= page); }

void text_period(FILE *f, const stats_result *r)
{
    int m = fmt_page_month(r);
    char b[64];
    if (m == 0) {
        fputs("period: every month\n", f);
        return;
    }
    int n = r->window > 1 ? m - fmt_first_with_data(r, m, r->window) + 1 : 1;
    fmt_months(m, n, b, sizeof b);
    fprintf(f, "period: %s\n", b);
}

void html_period(FILE *f, const stats_result *r, int month, int n)
{
    char b[64];
    if (n > 1) n = month - fmt_first_with_data(r, month, n) + 1; /* the months that have data */
    fmt_months(month, n, b, sizeof b);
    fprintf(f, "<span class=\"period\">%s</span>", b);
}
