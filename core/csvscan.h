/* csvscan.h — RFC 4180 records split in place in a memory buffer: the
 * zero-copy fast path of `stats --input`, which hands each thread a chunk
 * of the file (docs/performance.md).  The rules are csv_read()'s (csv.h):
 * quoted fields with doubled quotes and line breaks, a quote inside an
 * unquoted field taken literally, junk after a closing quote making the
 * rest of the line one bad record, physical lines counted as csv_read
 * counts them.  What csv_read does at the end of its input (a last record
 * without a line end, an unterminated quote) is left to it: such a record
 * is reported as not complete, and the caller reads it with csv_read.
 *
 * Owner: core/csvscan.c.  Nothing here allocates.
 */
#ifndef CX_CSVSCAN_H
#define CX_CSVSCAN_H

#include <stddef.h>

/* Readable bytes a buffer must have after its end (the scanner loads
 * whole 64-byte blocks and ignores what lies past the end). */
#define CSVS_PAD 64

typedef struct csv_span {
    const char *p; /* not NUL-terminated */
    size_t len;
} csv_span;

typedef struct csvs_rec {
    /* set by the caller */
    csv_span *f; /* room for CAP fields; the fast path wants 65 more
                               than a record has (else it leaves it to the slow) */
    size_t *esc; /* room for CAP indices: fields in f that hold "" pairs */
    size_t cap;
    /* set by csvs_next */
    size_t start, len; /* raw text: buffer[start .. start+len), no line end */
    long line;         /* 1-based physical line, counted from the buffer start */
    size_t nfields;    /* fields in the record; only the first CAP are in f */
    size_t bad_field;  /* 1-based field with junk after its closing quote; 0 none */
    size_t n_esc;      /* entries in esc (see csvs_unescape) */
    int ascii;         /* no byte of the record is NUL or above 0x7F */
} csvs_rec;

typedef struct csvs {
    const char *b;
    size_t end;                                /* text is b[0 .. end), then CSVS_PAD readable bytes */
    size_t pos;                                /* start of the next record */
    long lines;                                /* physical lines before pos */
    size_t base;                               /* the 64-byte block whose masks are loaded */
    unsigned long long comma, eol, quote, odd; /* its ',' / CR LF / '"' / NUL or >0x7F bytes */
    int nul;                                   /* the text holds a NUL byte somewhere */
    size_t rec;                                /* start of the record being scanned */
    unsigned long long rec_odd;                /* odd bytes seen in it so far */
} csvs;

/* Scans B[0..LEN): LEN must be 0, end right after an LF, or be the end of
 * the input.  B must stay unchanged from pos on while it is scanned. */
void csvs_init(csvs *s, const char *b, size_t len);

enum { CSVS_END = 0, CSVS_RECORD = 1, CSVS_BAD = -2, CSVS_PARTIAL = -3 };

/* The next record into R:
 *   CSVS_RECORD   fields in r->f (unquoted, but "" pairs not yet undone)
 *   CSVS_BAD      junk after a closing quote (csv_read's -2): raw, line and
 *                 bad_field are set, nfields is 0
 *   CSVS_PARTIAL  the record does not end inside the buffer (or ends with
 *                 the buffer's last byte in a way only csv_read may judge);
 *                 s->pos and s->lines stay at its start
 *   CSVS_END      nothing left */
int csvs_next(csvs *s, csvs_rec *r);

/* Undoes "" pairs of a quoted field in place; returns the new length. */
size_t csvs_unescape(char *p, size_t len);

/* 1 when none of the N bytes at P is NUL or above 0x7F (so every field in
 * them is valid UTF-8 without a NUL byte); csvs_rec.ascii says the same. */
int csvs_ascii(const char *p, size_t n);

#endif
