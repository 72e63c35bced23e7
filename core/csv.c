/* csv.c — RFC 4180 CSV reader and writer (see csv.h).
 *
 * Reader: the input is read with read(2) into one buffer of CSV_BLOCK
 * bytes that grows (doubling) only while a single record does not fit, up
 * to CSV_MAX_RECORD + 1 bytes.  A record is scanned in place, so its raw
 * bytes stay available for reject logging, and its fields are unescaped
 * into one separate growing buffer.  The scanner is a small state machine
 * whose state lives in the reader: a record cut by the end of the buffer is
 * resumed after the next read, never rescanned.  Once the buffers have
 * grown to fit the largest record, reading allocates nothing.
 */
#include "core/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_BLOCK    ((size_t)1 << 20)  /* first read size: big reads keep syscalls rare */
#define CSV_BUF_MAX  ((size_t)CSV_MAX_RECORD + 1)  /* one byte more than a record may hold */
#define CSV_RAW_KEEP 1024               /* bytes of an oversized record kept for its reject */

enum { ST_FIELD_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_SEEN, ST_SKIP };
enum { SCAN_MORE, SCAN_DONE, SCAN_NOMEM };

struct csv_reader {
    int fd, own_fd;
    char *name;
    char *buf;             /* unconsumed input is buf[pos..end) */
    size_t cap, pos, end;
    size_t scan;           /* next byte of the current record to scan */
    size_t rec_end;        /* offset of the current record's terminator */
    int eof, started, skip_lf, dead;
    long line;             /* physical lines fully consumed */
    long rec_line;
    int state;             /* scanner state, kept across refills */
    size_t bad_field;      /* 1-based field with junk after its closing quote; 0 none */
    int too_big;           /* record over CSV_MAX_RECORD: scan it, keep nothing */
    char *fbuf;            /* unescaped fields, each NUL-terminated */
    size_t fcap, flen, fstart;
    size_t nf, nfcap;
    size_t *foff, *flens;  /* offsets are kept, not pointers: fbuf may move */
    char **fields;
    char keep[CSV_RAW_KEEP];
    size_t keep_len;
};

/* Bytes that end an unquoted field. */
static const unsigned char ends_unquoted[256] = { [','] = 1, ['\r'] = 1, ['\n'] = 1 };

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0) return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static csv_reader *reader_new(int fd, int own_fd, const char *name, char *err, size_t errlen)
{
    struct stat st;
    size_t nlen = strlen(name);
    csv_reader *r;

    /* read() on a directory fails with a bare EISDIR in the first
     * csv_read(); saying so at open time is clearer. */
    if (fstat(fd, &st) != 0) { set_err(err, errlen, "%s: %s", name, strerror(errno)); return NULL; }
    if (S_ISDIR(st.st_mode)) { set_err(err, errlen, "%s: is a directory", name); return NULL; }
    r = calloc(1, sizeof *r);
    if (!r || !(r->name = malloc(nlen + 1)) || !(r->buf = malloc(CSV_BLOCK))) {
        if (r) free(r->name);
        free(r);
        set_err(err, errlen, "%s: out of memory", name);
        return NULL;
    }
    memcpy(r->name, name, nlen + 1);
    r->fd = fd;
    r->own_fd = own_fd;
    r->cap = CSV_BLOCK;
    return r;
}

csv_reader *csv_reader_open(const char *path, char *err, size_t errlen)
{
    int fd;
    csv_reader *r;

    if (strcmp(path, "-") == 0) return reader_new(STDIN_FILENO, 0, "stdin", err, errlen);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { set_err(err, errlen, "%s: %s", path, strerror(errno)); return NULL; }
    r = reader_new(fd, 1, path, err, errlen);
    if (!r) close(fd);
    return r;
}

csv_reader *csv_reader_from_fd(int fd, const char *name, char *err, size_t errlen)
{
    return reader_new(fd, 0, name ? name : "input", err, errlen);
}

void csv_reader_free(csv_reader *r)
{
    if (!r) return;
    if (r->own_fd) close(r->fd);
    free(r->name);
    free(r->buf);
    free(r->fbuf);
    free(r->foff);
    free(r->flens);
    free(r->fields);
    free(r);
}

const char *csv_reader_name(const csv_reader *r) { return r->name; }

/* Moves the unconsumed bytes to the front, grows the buffer if it is full,
 * and reads once.  1 bytes read, 0 end of input, -1 error (errno set). */
static int reader_fill(csv_reader *r)
{
    if (r->pos > 0) {
        size_t n = r->end - r->pos;
        memmove(r->buf, r->buf + r->pos, n);
        r->scan = r->scan >= r->pos ? r->scan - r->pos : 0;
        r->end = n;
        r->pos = 0;
    }
    if (r->end == r->cap) {
        size_t ncap = r->cap >= CSV_BUF_MAX / 2 ? CSV_BUF_MAX : r->cap * 2;
        char *nb = ncap > r->cap ? realloc(r->buf, ncap) : NULL;
        if (!nb) { errno = ENOMEM; return -1; }
        r->buf = nb;
        r->cap = ncap;
    }
    for (;;) {
        ssize_t k = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (k > 0) { r->end += (size_t)k; return 1; }
        if (k == 0) { r->eof = 1; return 0; }
        if (errno != EINTR) return -1;
    }
}

static int fbuf_append(csv_reader *r, const char *s, size_t n)
{
    if (r->too_big || n == 0) return 0;
    if (r->fcap - r->flen < n) {
        size_t ncap = r->fcap ? r->fcap : 4096;
        char *nb;
        while (ncap - r->flen < n) ncap *= 2;
        if (!(nb = realloc(r->fbuf, ncap))) return -1;
        r->fbuf = nb;
        r->fcap = ncap;
    }
    memcpy(r->fbuf + r->flen, s, n);
    r->flen += n;
    return 0;
}

static int field_end(csv_reader *r)
{
    if (r->too_big) return 0;
    if (r->nf == r->nfcap) {
        size_t ncap = r->nfcap ? r->nfcap * 2 : 16;
        size_t *o = realloc(r->foff, ncap * sizeof *o);
        size_t *l = o ? realloc(r->flens, ncap * sizeof *l) : NULL;
        char **f = l ? realloc(r->fields, ncap * sizeof *f) : NULL;
        /* Arrays that did grow are kept; nfcap moves only when all did. */
        if (o) r->foff = o;
        if (l) r->flens = l;
        if (!f) return -1;
        r->fields = f;
        r->nfcap = ncap;
    }
    r->foff[r->nf] = r->fstart;
    r->flens[r->nf++] = r->flen - r->fstart;
    if (fbuf_append(r, "", 1)) return -1;
    r->fstart = r->flen;
    return 0;
}

/* Physical line breaks inside a quoted span: CR, LF, or CRLF counted once.
 * b[i - 1] exists: the opening quote (or a kept byte) precedes the span. */
static void count_breaks(csv_reader *r, const char *b, size_t i, size_t j)
{
    for (size_t k = i; k < j; k++)
        if (b[k] == '\r' || (b[k] == '\n' && b[k - 1] != '\r')) r->line++;
}

static int record_end(csv_reader *r, size_t i)
{
    if (field_end(r)) return SCAN_NOMEM;
    r->line++;
    r->skip_lf = r->buf[i] == '\r';   /* a following LF belongs to this CR */
    r->rec_end = i;
    r->scan = i + 1;
    return SCAN_DONE;
}

/* Scans buf[scan..end) of the current record.  SCAN_DONE at its end,
 * SCAN_MORE when the buffer ran out first, SCAN_NOMEM on allocation failure. */
static int scan_record(csv_reader *r)
{
    const char *b = r->buf, *q;
    const size_t end = r->end;
    size_t i = r->scan, j;

    while (i < end) {
        switch (r->state) {
        case ST_FIELD_START:
            r->state = b[i] == '"' ? ST_QUOTED : ST_UNQUOTED;
            i += b[i] == '"';
            break;
        case ST_UNQUOTED:
            j = i;
            while (j < end && !ends_unquoted[(unsigned char)b[j]]) j++;
            if (fbuf_append(r, b + i, j - i)) return SCAN_NOMEM;
            if ((i = j) == end) break;
            if (b[i] != ',') return record_end(r, i);
            if (field_end(r)) return SCAN_NOMEM;
            r->state = ST_FIELD_START;
            i++;
            break;
        case ST_QUOTED:
            q = memchr(b + i, '"', end - i);
            j = q ? (size_t)(q - b) : end;
            count_breaks(r, b, i, j);
            if (fbuf_append(r, b + i, j - i)) return SCAN_NOMEM;
            i = q ? j + 1 : j;
            if (q) r->state = ST_QUOTE_SEEN;
            break;
        case ST_QUOTE_SEEN:
            if (b[i] == '"') {              /* "" is one literal quote */
                if (fbuf_append(r, "\"", 1)) return SCAN_NOMEM;
                r->state = ST_QUOTED;
                i++;
            } else if (b[i] == ',') {
                if (field_end(r)) return SCAN_NOMEM;
                r->state = ST_FIELD_START;
                i++;
            } else if (b[i] == '\r' || b[i] == '\n') {
                return record_end(r, i);
            } else {
                /* Junk after a closing quote: the record is bad.  Its rest
                 * is read as unquoted text up to the line end, so a stray
                 * quote cannot swallow the records that follow. */
                r->bad_field = r->nf + 1;
                r->state = ST_SKIP;
            }
            break;
        default: /* ST_SKIP */
            while (i < end && b[i] != '\r' && b[i] != '\n') i++;
            if (i < end) return record_end(r, i);
            break;
        }
    }
    r->scan = i;
    return SCAN_MORE;
}

/* Hands the current record (or, when !OK, just its raw text) to REC. */
static void fill_record(const csv_reader *r, csv_record *rec, int ok)
{
    rec->line = r->rec_line;
    rec->nfields = 0;
    rec->raw = r->too_big ? r->keep : r->buf + r->pos;
    rec->raw_len = r->too_big ? r->keep_len : r->rec_end - r->pos;
    if (!ok) return;
    for (size_t k = 0; k < r->nf; k++) r->fields[k] = r->fbuf + r->foff[k];
    rec->nfields = r->nf;
    rec->fields = r->fields;
    rec->lens = r->flens;
}

/* Drops the LF of a CRLF and, at the very start, a BOM; then makes sure
 * the buffer holds a byte unless the input has ended.  -1 on read error. */
static int reader_begin(csv_reader *r)
{
    if (r->skip_lf) {
        if (r->pos == r->end && !r->eof && reader_fill(r) < 0) return -1;
        if (r->pos < r->end && r->buf[r->pos] == '\n') r->pos++;
        r->skip_lf = 0;
    }
    while (!r->started && r->end - r->pos < 3 && !r->eof)
        if (reader_fill(r) < 0) return -1;
    if (!r->started && r->end - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
        r->pos += 3;
    r->started = 1;
    if (r->pos == r->end && !r->eof && reader_fill(r) < 0) return -1;
    return 0;
}

static int reader_fatal(csv_reader *r, csv_record *rec, char *err, size_t errlen, const char *why)
{
    r->rec_end = r->end;
    fill_record(r, rec, 0);
    set_err(err, errlen, "%s:%ld: %s", r->name, r->rec_line, why);
    r->dead = 1;     /* later calls return 0: a loop that goes on after -1 still ends */
    return -1;
}

int csv_read(csv_reader *r, csv_record *rec, char *err, size_t errlen)
{
    int rc;

    memset(rec, 0, sizeof *rec);
    if (r->dead) return 0;
    r->rec_line = r->line + 1;
    r->too_big = 0;
    if (reader_begin(r) < 0) return reader_fatal(r, rec, err, errlen, strerror(errno));
    if (r->pos == r->end) return 0;
    r->scan = r->pos;
    r->state = ST_FIELD_START;
    r->flen = r->fstart = r->nf = r->bad_field = 0;
    while ((rc = scan_record(r)) != SCAN_DONE) {
        if (rc == SCAN_NOMEM) return reader_fatal(r, rec, err, errlen, "out of memory");
        if (r->eof) {
            if (r->state == ST_QUOTED)
                return reader_fatal(r, rec, err, errlen, "unterminated quoted field");
            if (field_end(r)) return reader_fatal(r, rec, err, errlen, "out of memory");
            r->rec_end = r->scan = r->end;   /* last record without a line end */
            break;
        }
        if (!r->too_big && r->end - r->pos > CSV_MAX_RECORD) {
            r->keep_len = CSV_RAW_KEEP;
            memcpy(r->keep, r->buf + r->pos, CSV_RAW_KEEP);
            r->too_big = 1;
        }
        if (r->too_big)
            r->pos = r->end - 1;  /* drop what was scanned; count_breaks needs the last byte */
        if (reader_fill(r) < 0) return reader_fatal(r, rec, err, errlen, strerror(errno));
    }
    rc = r->too_big || r->bad_field ? -2 : 1;
    fill_record(r, rec, rc == 1);
    if (r->too_big)
        set_err(err, errlen, "%s:%ld: record longer than %lu bytes", r->name, r->rec_line,
                (unsigned long)CSV_MAX_RECORD);
    else if (r->bad_field)
        set_err(err, errlen, "%s:%ld: unexpected character after closing quote in field %zu",
                r->name, r->rec_line, r->bad_field);
    r->pos = r->scan;
    return rc;
}

/* Strict UTF-8 (RFC 3629): the lead byte fixes the range of the first
 * continuation byte, which rules out overlongs, surrogates and > U+10FFFF. */
int utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + len;

    while (p < e) {
        unsigned c = *p, lo = 0x80, hi = 0xBF;
        size_t n;
        if (c < 0x80) { p++; continue; }
        if (c < 0xC2 || c > 0xF4) return 0; /* continuation, C0/C1 overlong, > U+10FFFF */
        n = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
        if (c == 0xE0) lo = 0xA0;            /* E0 80..9F: overlong */
        if (c == 0xED) hi = 0x9F;            /* ED A0..BF: UTF-16 surrogates */
        if (c == 0xF0) lo = 0x90;            /* F0 80..8F: overlong */
        if (c == 0xF4) hi = 0x8F;            /* F4 90..BF: above U+10FFFF */
        if ((size_t)(e - p) <= n || p[1] < lo || p[1] > hi) return 0;
        for (size_t k = 2; k <= n; k++)
            if ((p[k] & 0xC0) != 0x80) return 0;
        p += n + 1;
    }
    return 1;
}

/* ---- writer ---- */

struct csv_writer {
    FILE *f;
    int formula_escape, failed;
    size_t nfield;         /* fields written in the current record */
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

static void put_bytes(csv_writer *w, const char *s, size_t n)
{
    if (n > 0 && fwrite(s, 1, n, w->f) != n) w->failed = 1;
}

static void put_sep(csv_writer *w)
{
    if (w->nfield++ > 0) put_bytes(w, ",", 1);
}

/* Lead characters a spreadsheet may read as the start of a formula. */
static int formula_lead(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void csv_put_text_len(csv_writer *w, const char *s, size_t len)
{
    const char *p, *e, *q;
    int quote;

    put_sep(w);
    if (!s || len == 0) return;
    /* Leading/trailing spaces are quoted because some readers trim them. */
    quote = s[0] == ' ' || s[len - 1] == ' ';
    for (size_t k = 0; k < len && !quote; k++)
        quote = s[k] == ',' || s[k] == '"' || s[k] == '\r' || s[k] == '\n';
    if (quote) put_bytes(w, "\"", 1);
    if (w->formula_escape && formula_lead(s[0])) put_bytes(w, "'", 1);
    if (!quote) { put_bytes(w, s, len); return; }
    for (p = s, e = s + len; (q = memchr(p, '"', (size_t)(e - p))) != NULL; p = q + 1) {
        put_bytes(w, p, (size_t)(q - p) + 1);
        put_bytes(w, "\"", 1);     /* the quote just written, doubled */
    }
    put_bytes(w, p, (size_t)(e - p));
    put_bytes(w, "\"", 1);
}

void csv_put_text(csv_writer *w, const char *s)
{
    csv_put_text_len(w, s, s ? strlen(s) : 0);
}

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
    if (v == 0) v = 0.0;   /* "-0" in a report reads as a sign error */
    put_number(w, buf, snprintf(buf, sizeof buf, "%.10g", v), sizeof buf);
}

void csv_put_int(csv_writer *w, long long v)
{
    char buf[32];

    put_sep(w);
    put_number(w, buf, snprintf(buf, sizeof buf, "%lld", v), sizeof buf);
}

void csv_put_empty(csv_writer *w) { put_sep(w); }

void csv_end_record(csv_writer *w)
{
    put_bytes(w, "\r\n", 2);
    w->nfield = 0;
}

int csv_writer_failed(const csv_writer *w)
{
    return w->failed || ferror(w->f);
}
