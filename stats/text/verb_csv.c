/* verb_csv.c — one row of verbatim_flags.csv (columns in docs/formats.md,
 * "Verbatim tables").  Owner of the row's text: both the statistics run's
 * flags spool (verb_run.c, written as the comments stream) and the
 * writers of report/csv_verbatims.c and `cxpulse verbatims` use it, so
 * the file is the same whichever writes it.
 */
#include "stats/text/verbatims.h"
#include "core/csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Most charges are 0 or whole: written without %.15g (a flags row per
 * comment makes this the file's hot path); the same text as
 * csv_put_double gives. */
static void put_charge(csv_writer *w, double v)
{
    if (v == 0) csv_put_text_len(w, "0", 1);
    else if (v > 0 && v < 1e6 && v == (double)(long long)v) csv_put_int(w, (long long)v);
    else csv_put_double(w, v);
}

void verb_flag_csv_row(csv_writer *w, const char *source, const char *response_id,
                       const char *interaction_type, const verb_flag *f)
{
    CSV_TEXTS(w, source, response_id, text_lang_code(f->lang));
    put_charge(w, f->charge_neg);
    put_charge(w, f->charge_pos);
    csv_put_text(w, f->terms);
    csv_put_text(w, interaction_type);
    if (f->unlabelled_mot) csv_put_text_len(w, "true", 4);
    else csv_put_text_len(w, "false", 5);
    csv_end_record(w);
}

/* ---- the same row built in a buffer, for the spool's hot path ---- */

typedef struct rowbuf {
    char *p;
    size_t len, cap;
    int full;
} rowbuf;

static void put(rowbuf *b, const char *s, size_t n)
{
    if (b->full || n > b->cap - b->len) {
        b->full = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* A text field as csv_put_text_len writes it with formula escaping, after
 * a comma unless FIRST. */
static void put_text(rowbuf *b, const char *s, int first)
{
    size_t len = strlen(s);
    if (!first) put(b, ",", 1);
    if (len == 0) return;
    int quote = csv_needs_quotes(s, len);
    if (quote) put(b, "\"", 1);
    if (csv_formula_lead(s[0])) put(b, "'", 1);
    if (!quote) {
        put(b, s, len);
        return;
    }
    const char *p = s, *e = s + len, *q;
    for (; (q = memchr(p, '"', (size_t)(e - p))) != NULL; p = q + 1) {
        put(b, p, (size_t)(q - p) + 1);
        put(b, "\"", 1);
    }
    put(b, p, (size_t)(e - p));
    put(b, "\"", 1);
}

/* A charge as put_charge writes it, after a comma. */
static void put_charge_text(rowbuf *b, double v)
{
    char num[64];
    int n = 0;
    put(b, ",", 1);
    if (v == 0) n = snprintf(num, sizeof num, "0");
    else if (v > 0 && v < 1e6 && v == (double)(long long)v)
        n = snprintf(num, sizeof num, "%lld", (long long)v);
    else if (isnan(v) || isinf(v)) return;
    else n = snprintf(num, sizeof num, "%.15g", v);
    if (n <= 0 || (size_t)n >= sizeof num) {
        b->full = 1;
        return;
    }
    put(b, num, (size_t)n);
}

size_t verb_flag_csv_text(char *buf, size_t cap, const char *source, const char *response_id,
                          const char *interaction_type, const verb_flag *f)
{
    rowbuf b = {buf, 0, cap, 0};
    put_text(&b, source ? source : "", 1);
    put_text(&b, response_id ? response_id : "", 0);
    put_text(&b, text_lang_code(f->lang), 0);
    put_charge_text(&b, f->charge_neg);
    put_charge_text(&b, f->charge_pos);
    put_text(&b, f->terms, 0);
    put_text(&b, interaction_type ? interaction_type : "", 0);
    put_text(&b, f->unlabelled_mot ? "true" : "false", 0);
    put(&b, "\r\n", 2);
    return b.full ? 0 : b.len;
}
