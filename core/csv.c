/* csv.c — the RFC 4180 CSV reader's scanner and csv_read (see csv.h); its
 * input side is core/csvio.c, the writer core/csvwrite.c.
 *
 * Reader: the input is read with read(2) into one buffer of CSV_BLOCK
 * bytes that grows (doubling) only while a single record does not fit, up
 * to CSV_MAX_RECORD + 1 bytes.  A record is scanned in place, so its raw
 * bytes stay available for reject logging, and its fields are unescaped
 * into one separate growing buffer, NUL after NUL.  The scanner is a state
 * machine whose state lives in the reader: a record cut by the end of the
 * buffer is resumed after the next read, never rescanned.  Once the buffers
 * have grown to fit the largest record, reading allocates nothing.
 *
 * Most records take a fast path first (core/csv_fast.c): the buffer's
 * whole lines split by the block scanner of core/csvscan.c (the same
 * rules, 64 bytes a step).  What it leaves (the buffer's last line, a
 * record of more fields than its room) goes to the state machine, which
 * stops where the block scanner's next record starts.
 */
#include "core/csv_int.h"
#include "core/grow.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCAN_WINDOW ((size_t)1 << 14) /* input scanned per check for room */

enum { ST_FIELD_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_SEEN, ST_SKIP };
enum { SCAN_MORE, SCAN_DONE, SCAN_NOMEM };

/* Bytes that end an unquoted field. */
static const unsigned char ends_unquoted[256] = {[','] = 1, ['\r'] = 1, ['\n'] = 1};

/* P grown to hold NEED (>= 1) elements of SIZE bytes, *CAP updated; P
 * itself when it already does; NULL when out of memory (P still valid). */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return p;
    return grow_array(p, cap, need, size, 64, 0, 0);
}

/* Room for the fields of N more input bytes: a byte never gives more than
 * one byte of output (a separator gives the NUL) nor ends more than one
 * field; one more of each for the field closed at end of input. */
int csv_reserve(csv_reader *r, size_t n)
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
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
static inline uint64_t zero_bytes(uint64_t x) { return (x - ONES) & ~x & HIGHS; }
static inline uint64_t special_bytes(uint64_t v)
{
    return zero_bytes(v ^ (ONES * ',')) | zero_bytes(v ^ (ONES * '\r')) | zero_bytes(v ^ (ONES * '\n'));
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
            return k + ((size_t)__builtin_ctzll(m) >> 3); /* first byte = lowest */
#else
            (void)m; /* the byte loop below finds the position */
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

    if (r->too_big) r->flen = r->nf = 0; /* nothing is kept: reuse the room */
    if (csv_reserve(r, wend - i)) return SCAN_NOMEM;
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
        case ST_UNQUOTED: /* the hot path: most fields are unquoted */
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
            if (b[i] == '"') { /* "" is one literal quote */
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
record_end: /* b[i] is the CR or LF that ends the record */
    out[o] = '\0';
    ends[nf++] = o++;
    r->state = st;
    r->flen = o;
    r->nf = nf;
    r->line++;
    r->skip_lf = b[i] == '\r'; /* a following LF belongs to this CR */
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

/* 1 when the input starts like UTF-16 text: a UTF-16 byte-order mark, or
 * two ASCII characters each with a NUL byte beside it ("i\0d\0" or
 * "\0i\0d"), which no UTF-8 CSV begins with. */
static int looks_utf16(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) return 1;
    if (n < 4) return 0;
    int le = u[0] && u[0] < 0x80 && !u[1] && u[2] && u[2] < 0x80 && !u[3];
    int be = !u[0] && u[1] && u[1] < 0x80 && !u[2] && u[3] && u[3] < 0x80;
    return le || be;
}

/* Drops the LF of a CRLF and, at the very start, a BOM; then makes sure
 * the buffer holds a byte unless the input has ended.  -1 on read error. */
static int reader_begin(csv_reader *r)
{
    if (r->skip_lf) {
        if (r->pos == r->end && !r->eof && csv_reader_fill(r) < 0) return -1;
        if (r->pos < r->end && r->buf[r->pos] == '\n') r->pos++;
        r->skip_lf = 0;
    }
    while (!r->started && r->end - r->pos < 3 && !r->eof)
        if (csv_reader_fill(r) < 0) return -1;
    if (!r->started && r->end - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0) r->pos += 3;
    else if (!r->started && looks_utf16(r->buf + r->pos, r->end - r->pos)) r->utf16 = 1;
    r->started = 1;
    if (r->pos == r->end && !r->eof && csv_reader_fill(r) < 0) return -1;
    return 0;
}

static int reader_fatal(csv_reader *r, csv_record *rec, char *err, size_t errlen, const char *why)
{
    r->rec_end = r->end;
    fill_record(r, rec, 0);
    csv_set_err(err, errlen, "%s:%ld: %s", r->name, r->rec_line, why);
    r->dead = 1; /* later calls return 0: a loop that goes on after -1 still ends */
    return -1;
}

/* The record at pos read by the byte scanner, refilling the buffer as it
 * goes (the fields into fbuf, rec_end, scan past it).  0, or -1 when
 * reading must stop (REC and ERR say why, as csv_read). */
static int scan_whole_record(csv_reader *r, csv_record *rec, char *err, size_t errlen)
{
    int rc;
    r->scan = r->pos;
    r->state = ST_FIELD_START;
    r->flen = r->nf = r->bad_field = 0;
    while ((rc = scan_record(r)) != SCAN_DONE) {
        if (rc == SCAN_NOMEM) return reader_fatal(r, rec, err, errlen, "out of memory");
        if (r->eof) {
            if (r->state == ST_QUOTED) return reader_fatal(r, rec, err, errlen, "unterminated quoted field");
            if (csv_reserve(r, 0)) return reader_fatal(r, rec, err, errlen, "out of memory");
            r->fbuf[r->flen] = '\0'; /* close the last field */
            r->fend[r->nf++] = r->flen++;
            r->rec_end = r->scan = r->end; /* last record without a line end */
            break;
        }
        if (!r->too_big && r->end - r->pos > CSV_MAX_RECORD) {
            r->keep_len = CSV_RAW_KEEP;
            memcpy(r->keep, r->buf + r->pos, CSV_RAW_KEEP);
            r->too_big = 1;
            r->skipped = 0;
        }
        if (r->too_big) {
            r->skipped += r->end - 1 - r->pos;
            r->pos = r->end - 1; /* drop what was scanned; count_breaks needs the last byte */
            /* An endless input (/dev/zero, a quote never closed on a
             * stream) would be skipped forever: the skip is bounded. */
            if (r->skipped > CSV_MAX_SKIP)
                return reader_fatal(r, rec, err, errlen,
                                    "record longer than the size limit does not end "
                                    "within the skip limit: not a CSV file?");
        }
        if (csv_reader_fill(r) < 0) return reader_fatal(r, rec, err, errlen, strerror(errno));
    }
    return 0;
}

int csv_read(csv_reader *r, csv_record *rec, char *err, size_t errlen)
{
    int rc;

    memset(rec, 0, sizeof *rec);
    if (r->dead) return 0;
    r->rec_line = r->line + 1;
    r->too_big = 0;
    if (reader_begin(r) < 0) return reader_fatal(r, rec, err, errlen, strerror(errno));
    if (r->utf16) {
        r->rec_end = r->pos; /* no raw text: it would be half NUL bytes */
        fill_record(r, rec, 0);
        csv_set_err(err, errlen, "%s:%ld: the file is UTF-16: convert it to UTF-8", r->name, r->rec_line);
        r->dead = 1;
        return -1;
    }
    if (r->pos == r->end) return 0;
    if ((r->fs_never || !csv_fast_record(r)) && scan_whole_record(r, rec, err, errlen) != 0) return -1;
    rc = r->too_big || r->bad_field ? -2 : 1;
    if (fill_record(r, rec, rc == 1)) return reader_fatal(r, rec, err, errlen, "out of memory");
    if (r->too_big)
        csv_set_err(err, errlen, "%s:%ld: record longer than %lu bytes", r->name, r->rec_line,
                    (unsigned long)CSV_MAX_RECORD);
    else if (r->bad_field)
        csv_set_err(err, errlen, "%s:%ld: unexpected character after closing quote in field %zu", r->name,
                    r->rec_line, r->bad_field);
    r->pos = r->scan;
    return rc;
}
