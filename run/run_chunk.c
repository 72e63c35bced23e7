/* run_chunk.c — see run_chunk.h. */
#include "run/run_chunk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOOK_AHEAD ((size_t)64 << 10) /* read past hi to find the next line end */
#define LOOK_MAX ((size_t)1 << 20)    /* a longer line: the chunk is left to csv_read */
#define REJECTS_MAX 4096              /* more: the chunk is left to csv_read */

/* P grown to hold NEED elements of SIZE bytes (*CAP updated); NULL when
 * out of memory, P still valid. */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    size_t ncap = *cap ? *cap : 256;
    if (need <= *cap) return p;
    while (ncap < need) ncap += ncap / 4; /* a chunk's slots are reused: little slack, few reallocs */
    if (!(p = realloc(p, ncap * size))) return NULL;
    *cap = ncap;
    return p;
}

#define GROW(arr, cap, need) \
    ((tmp = grow((arr), &(cap), (need), sizeof *(arr))) != NULL ? ((arr) = tmp, 0) : -1)

int chunk_init(chunk *c, size_t n_by, size_t buf_cap)
{
    memset(c, 0, sizeof *c);
    c->nps = nps_part_new(n_by);
    c->buf = malloc(buf_cap);
    c->buf_cap = buf_cap;
    return c->nps && c->buf ? 0 : -1;
}

void chunk_free(chunk *c)
{
    nps_part_free(c->nps);
    free(c->rows);
    free(c->text);
    free(c->moments);
    free(c->rej);
    free(c->raw);
    note_free(&c->notes);
    free(c->dfirst);
    free(c->dpend);
    free(c->buf);
    memset(c, 0, sizeof *c);
}

int chunk_scratch_init(chunk_scratch *w, size_t ncols, const run_state *notes)
{
    memset(w, 0, sizeof *w);
    char why[256];
    if (notes && !(w->reader = run_note_reader(notes, why, sizeof why))) return -1;
    w->cap = ncols + 66; /* csvs_next's fast path; and F[ncols] for resp_check */
    w->f = malloc(w->cap * sizeof *w->f);
    w->esc = malloc(w->cap * sizeof *w->esc);
    return w->f && w->esc ? 0 : -1;
}

void chunk_scratch_free(chunk_scratch *w)
{
    free(w->f);
    free(w->esc);
    free(w->raw);
    verb_free(w->reader);
    memset(w, 0, sizeof *w);
}

/* Reads file bytes [lo + have, lo + want) into the buffer (grown to hold
 * them and CSVS_PAD more).  Bytes read, which is less at end of file;
 * -1 on error. */
static long long read_more(chunk *c, const chunk_cfg *g, size_t have, size_t want)
{
    void *tmp;
    if (GROW(c->buf, c->buf_cap, want + CSVS_PAD) != 0) return -1;
    while (have < want) {
        ssize_t k = pread(g->fd, c->buf + have, want - have, (off_t)(c->lo + (long long)have));
        if (k == 0) break;
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        have += (size_t)k;
    }
    memset(c->buf + have, 0, CSVS_PAD); /* the scanner reads whole blocks */
    return (long long)have;
}

/* Reads the chunk and sets start and stop.  0 ok, -1 when the chunk is
 * left to csv_read. */
static int read_chunk(chunk *c, const chunk_cfg *g)
{
    size_t span = (size_t)(c->hi - c->lo), want, have;
    long long n;

    want = c->hi >= g->size ? span : span + LOOK_AHEAD;
    if ((long long)want > g->size - c->lo) want = (size_t)(g->size - c->lo);
    if ((n = read_more(c, g, 0, want)) < 0) return -1;
    have = (size_t)n;
    if (c->hi >= g->size || have < span) {
        c->stop = c->lo + (long long)have;
    } else {
        const char *lf;
        size_t from = span;
        while (!(lf = memchr(c->buf + from, '\n', have - from))) {
            if (c->lo + (long long)have >= g->size) break;
            if (have - span >= LOOK_MAX) return -1;
            from = have;
            if ((n = read_more(c, g, have, have + LOOK_AHEAD)) < 0 || (size_t)n == have) return -1;
            have = (size_t)n;
        }
        c->stop = lf ? c->lo + (lf - c->buf) + 1 : c->lo + (long long)have;
    }
    if (c->first) {
        c->start = c->lo;
    } else {
        const char *lf = memchr(c->buf, '\n', (size_t)(c->stop - c->lo));
        c->start = lf ? c->lo + (lf - c->buf) + 1 : c->stop;
    }
    return 0;
}

/* Keeps a reject of the chunk.  -1 when out of memory, or when the chunk
 * has too many: its guessed start most likely fell inside a quoted field
 * (say a long multi-line comment), and csv_read is better at it. */
static int add_reject(chunk *c, long line, const char *field, const char *why, size_t bad_field,
                      const char *raw, size_t len)
{
    void *tmp;
    if (c->n_rej >= REJECTS_MAX || GROW(c->rej, c->rej_cap, c->n_rej + 1) != 0 ||
        GROW(c->raw, c->raw_cap, c->raw_len + len + 1) != 0)
        return -1;
    chunk_rej *j = &c->rej[c->n_rej++];
    j->line = line;
    j->field = field;
    j->why = why;
    j->bad_field = bad_field;
    j->raw = c->raw_len;
    j->raw_len = len;
    memcpy(c->raw + c->raw_len, raw, len);
    c->raw_len += len;
    return 0;
}

/* The value of --by dimension D in fields F: len 0 when missing. */
static csv_span dim_value(const chunk_cfg *g, size_t d, const csv_span *f)
{
    static const csv_span none = {"", 0}, csv = {"csv", 3};
    const run_dim *dim = &g->dims[d];
    if (dim->kind == DIM_NONE) return none;
    long col = g->text_col[dim->text];
    if (dim->kind == DIM_SOURCE) return col >= 0 && f[col].len ? f[col] : csv;
    return col >= 0 ? f[col] : none;
}

/* Row I as a verbatim candidate: the chunk keeps the VERBATIM_MAX rows
 * the run's verbatim_add would keep from it alone (most recent first, the
 * earlier row first among equal times); no other row of the chunk can be
 * among the run's. */
static void offer_verbatim(chunk *c, size_t i)
{
    int64_t at = c->rows[i].responded_at;
    size_t n = c->n_verb, k = n;
    if (n && at > c->rows[c->verb[0]].responded_at) k = 0; /* the newest: rows often come in time order */
    while (k > 0 && c->rows[c->verb[k - 1]].responded_at < at) k--;
    if (k >= VERBATIM_MAX) return;
    if (n == VERBATIM_MAX) n--;
    memmove(&c->verb[k + 1], &c->verb[k], (n - k) * sizeof *c->verb);
    c->verb[k] = i;
    c->n_verb = n + 1;
}

const verb_flag *chunk_note(const chunk *c, size_t i, verb_flag *f)
{
    return note_get(&c->notes, c->rows[i].note, f);
}

/* The row of a checked response; its text fields are NUL-terminated in
 * place (the byte after a field is its separator, line end or closing
 * quote, all of which the scanner has left behind). */
static int keep_row(chunk *c, const chunk_cfg *g, chunk_scratch *w, const csv_span *f, const resp_vals *v,
                    int pend)
{
    void *tmp;
    if (GROW(c->rows, c->rows_cap, c->n_rows + 1) != 0 ||
        GROW(c->text, c->tx_cap, c->n_tx + g->n_text) != 0 ||
        GROW(c->moments, c->mom_cap, c->n_mom + v->n_moments + 1) != 0)
        return -1;
    chunk_row *r = &c->rows[c->n_rows++];
    r->responded_at = v->responded_at;
    r->updated_at = v->updated_at;
    r->handle_time_s = v->handle_time_s;
    r->has_handle_time = (uint8_t)v->has_handle_time;
    r->score = (uint8_t)v->score;
    r->n_moments = (uint8_t)v->n_moments;
    r->metric = (uint8_t)v->metric;
    r->text = (uint32_t)c->n_tx;
    r->moment = (uint32_t)c->n_mom;
    for (size_t k = 0; k < g->n_text; k++) {
        long col = g->text_col[k];
        if (col < 0) {
            c->text[c->n_tx++] = CHUNK_NO_TEXT;
            continue;
        }
        size_t off = (size_t)(f[col].p - c->buf);
        c->buf[off + f[col].len] = '\0';
        c->text[c->n_tx++] = (uint32_t)off;
    }
    memcpy(c->moments + c->n_mom, w->moments, v->n_moments * sizeof *w->moments);
    c->n_mom += v->n_moments;
    r->month = v->month;
    r->pend = pend ? CHUNK_PEND_OPEN : CHUNK_PEND_NONE;
    r->note = NOTE_NONE;
    if (g->notes && r->metric == CX_METRIC_NPS &&
        note_read(&c->notes, w->reader, g->o, r->month, chunk_text(c, c->text[r->text + RT_COMMENT]),
                  chunk_text(c, c->text[r->text + RT_INTERACTION_TYPE]), &r->note) != 0)
        return -1;
    if (!pend && g->verbatims && r->metric == CX_METRIC_NPS &&
        c->text[r->text + RT_COMMENT] != CHUNK_NO_TEXT && c->buf[c->text[r->text + RT_COMMENT]] &&
        stats_month_in_scope(g->scope_month, v->month))
        offer_verbatim(c, c->n_rows - 1);
    return 0;
}

/* One complete record R of the chunk.  0 ok, -1 OOM. */
static int take_record(chunk *c, const chunk_cfg *g, chunk_scratch *w, const char *text, const csvs_rec *r)
{
    void *tmp;
    const char *raw = text + r->start, *field, *why;
    csv_span *f = w->f;
    size_t nf = r->nfields;
    resp_vals v;

    if (nf == 1 && f[0].len == 0) return 0; /* an empty line */
    if (r->n_esc) {                         /* keep the raw text for a reject, then undo "" in place */
        if (GROW(w->raw, w->raw_cap, r->len + 1) != 0) return -1;
        memcpy(w->raw, raw, r->len);
        raw = w->raw;
        for (size_t k = 0; k < r->n_esc; k++) {
            csv_span *x = &f[r->esc[k]];
            x->len = csvs_unescape(c->buf + (x->p - c->buf), x->len);
        }
    }
    if (resp_check(g->h, &w->cache, f, nf, r->ascii, g->moment_lo, g->moment_hi, w->moments, &v, &field,
                   &why) != 0)
        return add_reject(c, r->line, field, why, 0, raw, r->len);
    size_t key = 0;
    int dup = resp_dedup_class(g->dd, f[g->h->at[CX_F_SOURCE]].p, f[g->h->at[CX_F_SOURCE]].len,
                               f[g->h->at[CX_F_RESPONSE_ID]].p, f[g->h->at[CX_F_RESPONSE_ID]].len,
                               c->start + (long long)r->start, v.updated_at, &key);
    if (dup == DEDUP_DROP) return 0;                         /* a later or newer row of its id counts */
    if (dup == DEDUP_FIRST_WON || dup == DEDUP_FIRST_LOST) { /* the merge records it */
        if (GROW(c->dfirst, c->dfirst_cap, c->n_dfirst + 1) != 0) return -1;
        c->dfirst[c->n_dfirst++] = (chunk_dup){key, 0, dup == DEDUP_FIRST_WON};
        if (dup == DEDUP_FIRST_LOST) return 0;
    }
    if (dup == DEDUP_PENDING) { /* kept, not counted: the merge settles it in file order */
        if (v.metric != CX_METRIC_NPS && !g->keep_metric_rows) return 0;
        if (GROW(c->dpend, c->dpend_cap, c->n_dpend + 1) != 0) return -1;
        c->dpend[c->n_dpend++] = (chunk_dup){key, c->n_rows, 0};
        return keep_row(c, g, w, f, &v, 1);
    }
    if (v.metric != CX_METRIC_NPS) /* not in the NPS tables: kept for CSAT and CES */
        return g->keep_metric_rows ? keep_row(c, g, w, f, &v, 0) : 0;
    csv_span seg[STATS_MAX_BY];
    for (size_t d = 0; d < g->n_by; d++) {
        seg[d] = dim_value(g, d, f);
        c->missing[d] += seg[d].len == 0;
    }
    c->responses++;
    if (nps_part_add(c->nps, v.month, v.score, seg) != 0) return -1;
    return g->keep_rows ? keep_row(c, g, w, f, &v, 0) : 0;
}

void chunk_run(chunk *c, const chunk_cfg *g, chunk_scratch *w)
{
    csvs s;
    csvs_rec r = {.f = w->f, .esc = w->esc, .cap = w->cap};
    int rc;

    c->ok = 0;
    c->lines = 0;
    c->responses = 0;
    memset(c->missing, 0, sizeof c->missing);
    nps_part_clear(c->nps);
    c->n_rows = c->n_tx = c->n_mom = c->n_rej = c->raw_len = c->n_verb = c->notes.len = 0;
    c->n_dfirst = c->n_dpend = 0;
    if (read_chunk(c, g) != 0) return;
    const char *text = c->buf + (c->start - c->lo);
    csvs_init(&s, text, (size_t)(c->stop - c->start));
    while ((rc = csvs_next(&s, &r)) != CSVS_END && rc != CSVS_PARTIAL) {
        if (rc == CSVS_BAD ? add_reject(c, r.line, "", NULL, r.bad_field, text + r.start, r.len)
                           : take_record(c, g, w, text, &r))
            return;
    }
    c->end = c->start + (long long)s.pos;
    c->lines = s.lines;
    c->ok = 1;
}
