/* csv.c — RFC 4180 CSV reader and writer (see csv.h).
 *
 * Reader: the input is read with read(2) into one buffer of CSV_BLOCK
 * bytes that grows (doubling) only while a single record does not fit, up
 * to CSV_MAX_RECORD + 1 bytes.  A record is scanned in place, so its raw
 * bytes stay available for reject logging, and its fields are unescaped
 * into one separate growing buffer, NUL after NUL.  The scanner is a state
 * machine whose state lives in the reader: a record cut by the end of the
 * buffer is resumed after the next read, never rescanned.  Once the buffers
 * have grown to fit the largest record, reading allocates nothing.
 */
#include "core/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_BLOCK    ((size_t)1 << 20)  /* first read size: big reads keep syscalls rare */
#define CSV_BUF_MAX  ((size_t)CSV_MAX_RECORD + 1)  /* one byte more than a record may hold */
#define CSV_RAW_KEEP 1024               /* bytes of an oversized record kept for its reject */
#define SCAN_WINDOW  ((size_t)1 << 14)  /* input scanned per check for room */

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
    char *fbuf;            /* unescaped fields, each followed by a NUL */
    size_t fcap, flen;
    size_t *fend, fend_cap;  /* offset in fbuf of each field's NUL (fbuf may move) */
    size_t nf;
    char **fields;         /* handed out in csv_record */
    size_t *lens, fields_cap, lens_cap;
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
    free(r->fend);
    free(r->fields);
    free(r->lens);
    free(r);
}

const char *csv_reader_name(const csv_reader *r) { return r->name; }

const char *csv_error_reason(const csv_reader *r, const char *err)
{
    size_t n = strlen(r->name);
    const char *p = err + n;
    if (strncmp(err, r->name, n) != 0 || *p != ':') return err;
    p++;
    while (*p >= '0' && *p <= '9') p++;
    return p[0] == ':' && p[1] == ' ' ? p + 2 : err;
}

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

/* P grown to hold NEED (>= 1) elements of SIZE bytes, *CAP updated; P
 * itself when it already does; NULL when out of memory (P still valid). */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    size_t ncap = *cap ? *cap : 64;

    if (need <= *cap) return p;
    while (ncap < need) ncap *= 2;
    if (!(p = realloc(p, ncap * size))) return NULL;
    *cap = ncap;
    return p;
}

/* Room for the fields of N more input bytes: a byte never gives more than
 * one byte of output (a separator gives the NUL) nor ends more than one
 * field; one more of each for the field closed at end of input. */
static int reserve(csv_reader *r, size_t n)
{
    char *f = grow(r->fbuf, &r->fcap, r->flen + n + 1, 1);
    size_t *e = f ? grow(r->fend, &r->fend_cap, r->nf + n + 1, sizeof *e) : NULL;

    if (f) r->fbuf = f;
    if (!e) return -1;
    r->fend = e;
    return 0;
}

/* Eight bytes at a time: a mask with the top bit set in each byte of V
 * that is ',', CR or LF.  The lowest flagged byte is always exact (the
 * classic "has zero byte" test can only misflag bytes above a real hit). */
#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
static inline uint64_t zero_bytes(uint64_t x) { return (x - ONES) & ~x & HIGHS; }
static inline uint64_t special_bytes(uint64_t v)
{
    return zero_bytes(v ^ (ONES * ',')) | zero_bytes(v ^ (ONES * '\r')) |
           zero_bytes(v ^ (ONES * '\n'));
}

/* Copies the unquoted-field bytes at S (at most N) to OUT and returns how
 * many there were.  Whole words are copied first; bytes copied past the
 * field stay inside the N reserved and are overwritten later. */
static inline size_t span_unquoted(const char *s, size_t n, char *out)
{
    size_t k = 0;
    uint64_t v, m;

    for (; n - k >= 8; k += 8) {
        memcpy(&v, s + k, 8);
        memcpy(out + k, &v, 8);
        if ((m = special_bytes(v)) != 0) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return k + ((size_t)__builtin_ctzll(m) >> 3);   /* first byte = lowest */
#else
            (void)m;    /* the byte loop below finds the position */
            break;
#endif
        }
    }
    for (; k < n && !ends_unquoted[(unsigned char)s[k]]; k++) out[k] = s[k];
    return k;
}

/* Physical line breaks inside a quoted span: CR, LF, or CRLF counted once.
 * b[i - 1] exists: the opening quote (or a kept byte) precedes the span. */
static void count_breaks(csv_reader *r, const char *b, size_t i, size_t j)
{
    for (size_t k = i; k < j; k++)
        if (b[k] == '\r' || (b[k] == '\n' && b[k - 1] != '\r')) r->line++;
}

/* Scans buf[i..wend) of the current record, unescaping into fbuf.  Room
 * is reserved first, so the loops store without checks; hot values live
 * in locals because every char store could alias the reader's fields. */
static int scan_window(csv_reader *r, size_t i, const size_t wend)
{
    const char *b = r->buf, *q;
    char *out;
    size_t *ends, o, nf, j;
    int st = r->state;

    if (r->too_big) r->flen = r->nf = 0;   /* nothing is kept: reuse the room */
    if (reserve(r, wend - i)) return SCAN_NOMEM;
    out = r->fbuf;
    ends = r->fend;
    o = r->flen;
    nf = r->nf;
    while (i < wend) {
        switch (st) {
        case ST_FIELD_START:
            if (b[i] == '"') {
                st = ST_QUOTED;
                i++;
                break;
            }
            /* fall through */
        case ST_UNQUOTED:       /* the hot path: most fields are unquoted */
            j = span_unquoted(b + i, wend - i, out + o);
            i += j;
            o += j;
            st = ST_UNQUOTED;
            if (i == wend) break;
            if (b[i] != ',') goto record_end;
            out[o] = '\0';
            ends[nf++] = o++;
            st = ST_FIELD_START;
            i++;
            break;
        case ST_QUOTED:
            q = memchr(b + i, '"', wend - i);
            j = q ? (size_t)(q - b) : wend;
            count_breaks(r, b, i, j);
            memcpy(out + o, b + i, j - i);
            o += j - i;
            i = q ? j + 1 : j;
            if (q) st = ST_QUOTE_SEEN;
            break;
        case ST_QUOTE_SEEN:
            if (b[i] == '"') {              /* "" is one literal quote */
                out[o++] = '"';
                st = ST_QUOTED;
                i++;
            } else if (b[i] == ',') {
                out[o] = '\0';
                ends[nf++] = o++;
                st = ST_FIELD_START;
                i++;
            } else if (b[i] == '\r' || b[i] == '\n') {
                goto record_end;
            } else {
                /* Junk after a closing quote: the record is bad.  Its rest
                 * is read as unquoted text up to the line end, so a stray
                 * quote cannot swallow the records that follow. */
                r->bad_field = nf + 1;
                st = ST_SKIP;
            }
            break;
        default: /* ST_SKIP */
            while (i < wend && b[i] != '\r' && b[i] != '\n') i++;
            if (i < wend) goto record_end;
            break;
        }
    }
    r->state = st;
    r->flen = o;
    r->nf = nf;
    r->scan = i;
    return SCAN_MORE;
record_end:                     /* b[i] is the CR or LF that ends the record */
    out[o] = '\0';
    ends[nf++] = o++;
    r->state = st;
    r->flen = o;
    r->nf = nf;
    r->line++;
    r->skip_lf = b[i] == '\r';   /* a following LF belongs to this CR */
    r->rec_end = i;
    r->scan = i + 1;
    return SCAN_DONE;
}

/* Scans buf[scan..end) of the current record.  SCAN_DONE at its end,
 * SCAN_MORE when the buffer ran out first, SCAN_NOMEM on allocation failure.
 * Windows bound the room reserved ahead. */
static int scan_record(csv_reader *r)
{
    while (r->scan < r->end) {
        size_t w = r->end - r->scan < SCAN_WINDOW ? r->end - r->scan : SCAN_WINDOW;
        int rc = scan_window(r, r->scan, r->scan + w);
        if (rc != SCAN_MORE) return rc;
    }
    return SCAN_MORE;
}

/* The record's raw text, and when OK its fields, into REC.  -1 on ENOMEM. */
static int fill_record(csv_reader *r, csv_record *rec, int ok)
{
    size_t start = 0, *l;
    char **f;

    rec->line = r->rec_line;
    rec->nfields = 0;
    rec->raw = r->too_big ? r->keep : r->buf + r->pos;
    rec->raw_len = r->too_big ? r->keep_len : r->rec_end - r->pos;
    if (!ok) return 0;
    if (!(f = grow(r->fields, &r->fields_cap, r->nf + 1, sizeof *f))) return -1;
    r->fields = f;
    if (!(l = grow(r->lens, &r->lens_cap, r->nf + 1, sizeof *l))) return -1;
    r->lens = l;
    for (size_t k = 0; k < r->nf; k++) {
        r->fields[k] = r->fbuf + start;
        r->lens[k] = r->fend[k] - start;
        start = r->fend[k] + 1;
    }
    rec->nfields = r->nf;
    rec->fields = r->fields;
    rec->lens = r->lens;
    return 0;
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
    r->flen = r->nf = r->bad_field = 0;
    while ((rc = scan_record(r)) != SCAN_DONE) {
        if (rc == SCAN_NOMEM) return reader_fatal(r, rec, err, errlen, "out of memory");
        if (r->eof) {
            if (r->state == ST_QUOTED)
                return reader_fatal(r, rec, err, errlen, "unterminated quoted field");
            if (reserve(r, 0)) return reader_fatal(r, rec, err, errlen, "out of memory");
            r->fbuf[r->flen] = '\0';               /* close the last field */
            r->fend[r->nf++] = r->flen++;
            r->rec_end = r->scan = r->end;         /* last record without a line end */
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
    if (fill_record(r, rec, rc == 1)) return reader_fatal(r, rec, err, errlen, "out of memory");
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
