/* csvwrite.c — the RFC 4180 CSV writer of csv.h: quoting, CRLF record
 * ends, spreadsheet formula escaping of text fields, numbers in "%.15g". */
#include "core/csv.h"
#include "core/num.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct csv_writer {
    FILE *f;
    int formula_escape, failed;
    size_t nfield; /* fields written in the current record */
};

csv_writer *csv_writer_new(FILE *f, int formula_escape)
{
    csv_writer *w = f ? calloc(1, sizeof *w) : NULL;
    if (!w) return NULL;
    w->f = f;
    w->formula_escape = formula_escape;
    return w;
}

void csv_writer_free(csv_writer *w) { free(w); }

/* A writer's FILE is used by one thread: the stdio calls that take no
 * lock where there are (a flags row per comment makes this a hot path). */
static void put_bytes(csv_writer *w, const char *s, size_t n)
{
#ifdef __GLIBC__
    if (n == 1) {
        if (putc_unlocked((unsigned char)*s, w->f) == EOF) w->failed = 1;
        return;
    }
    if (n > 0 && fwrite_unlocked(s, 1, n, w->f) != n) w->failed = 1;
#else
    if (n > 0 && fwrite(s, 1, n, w->f) != n) w->failed = 1;
#endif
}

static void put_sep(csv_writer *w)
{
    if (w->nfield++ > 0) put_bytes(w, ",", 1);
}

int csv_formula_lead(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'';
}

int csv_needs_quotes(const char *s, size_t len)
{
    if (s[0] == ' ' || s[len - 1] == ' ') return 1;
    for (size_t k = 0; k < len; k++)
        if (s[k] == ',' || s[k] == '"' || s[k] == '\r' || s[k] == '\n') return 1;
    return 0;
}

void csv_put_text_len(csv_writer *w, const char *s, size_t len)
{
    const char *p, *e, *q;
    int quote;

    put_sep(w);
    if (!s || len == 0) return;
    quote = csv_needs_quotes(s, len);
    if (quote) put_bytes(w, "\"", 1);
    if (w->formula_escape && csv_formula_lead(s[0])) put_bytes(w, "'", 1);
    if (!quote) {
        put_bytes(w, s, len);
        return;
    }
    for (p = s, e = s + len; (q = memchr(p, '"', (size_t)(e - p))) != NULL; p = q + 1) {
        put_bytes(w, p, (size_t)(q - p) + 1);
        put_bytes(w, "\"", 1); /* the quote just written, doubled */
    }
    put_bytes(w, p, (size_t)(e - p));
    put_bytes(w, "\"", 1);
}

void csv_put_text(csv_writer *w, const char *s) { csv_put_text_len(w, s, s ? strlen(s) : 0); }

static void put_number(csv_writer *w, const char *buf, int n, size_t size)
{
    if (n > 0 && (size_t)n < size) put_bytes(w, buf, (size_t)n);
    else w->failed = 1;
}

void csv_put_double(csv_writer *w, double v)
{
    char buf[64];

    put_sep(w);
    if (isnan(v) || isinf(v)) return;
    if (v == 0) v = 0.0; /* "-0" in a report reads as a sign error */
    put_number(w, buf, snprintf(buf, sizeof buf, "%.15g", v), sizeof buf);
}

void csv_put_int(csv_writer *w, long long v)
{
    char buf[CX_NUM_INT_MAX + 1];

    put_sep(w);
    put_number(w, buf, (int)cx_num_put_int(buf, v), sizeof buf);
}

void csv_put_empty(csv_writer *w) { put_sep(w); }

void csv_put_doubles(csv_writer *w, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) csv_put_double(w, v[i]);
}

void csv_put_ints(csv_writer *w, const long long *v, size_t n)
{
    for (size_t i = 0; i < n; i++) csv_put_int(w, v[i]);
}

void csv_put_texts(csv_writer *w, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) csv_put_text(w, v[i]);
}

void csv_end_record(csv_writer *w)
{
    put_bytes(w, "\r\n", 2);
    w->nfield = 0;
}

void csv_put_raw(csv_writer *w, const char *s, size_t n) { put_bytes(w, s, n); }

int csv_writer_failed(const csv_writer *w) { return w->failed || ferror(w->f); }
