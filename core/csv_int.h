/* csv_int.h — the CSV reader's state, shared by core/csv.c (the byte
 * scanner and csv_read), core/csv_fast.c (csv_read's fast path) and
 * core/csvio.c (opening, refilling, seeking).  Not for use outside those
 * files (but by the tests that compare the fast path with the byte
 * scanner).
 */
#ifndef CX_CSV_INT_H
#define CX_CSV_INT_H

#include <stddef.h>
#include "core/csv.h"
#include "core/csvscan.h"

#define CSV_BLOCK ((size_t)1 << 20)              /* first read size: big reads keep syscalls rare */
#define CSV_BUF_MAX ((size_t)CSV_MAX_RECORD + 1) /* one byte more than a record may hold */
#define CSV_RAW_KEEP 1024                        /* bytes of an oversized record kept for its reject */

struct csv_reader {
    int fd, own_fd;
    char *name;
    char *buf; /* unconsumed input is buf[pos..end) */
    size_t cap, pos, end;
    long long off;  /* file offset of buf[0] */
    size_t scan;    /* next byte of the current record to scan */
    size_t rec_end; /* offset of the current record's terminator */
    int eof, started, skip_lf, dead;
    int utf16; /* the input starts like UTF-16: refused */
    long line; /* physical lines fully consumed */
    long rec_line;
    int state;        /* scanner state, kept across refills */
    size_t bad_field; /* 1-based field with junk after its closing quote; 0 none */
    int too_big;      /* record over CSV_MAX_RECORD: scan it, keep nothing */
    size_t skipped;   /* bytes of a too_big record dropped so far */
    char *fbuf;       /* unescaped fields, each followed by a NUL */
    size_t fcap, flen;
    size_t *fend, fend_cap; /* offset in fbuf of each field's NUL (fbuf may move) */
    size_t nf;
    char **fields; /* handed out in csv_record */
    size_t *lens, fields_cap, lens_cap;
    char keep[CSV_RAW_KEEP];
    size_t keep_len;
    csv_tap_fn tap; /* csv_reader_tap */
    void *tap_ctx;
    /* The fast path (csv_fast.c): the block scanner of `stats --input`
     * (core/csvscan.h) over the buffer's whole lines. */
    csvs fs;        /* scans buf[fs_at..] while fs_on */
    int fs_on;      /* fs is set up for this buffer */
    int fs_off;     /* no fast path until the next fill: no whole line ahead */
    int fs_never;   /* csv_reader_no_fast_path (tests) */
    size_t fs_at;   /* where fs starts */
    long fs_line;   /* r->line at fs_at */
    csv_span *fs_f; /* csvs_rec's fields and escapes, fs_cap of each */
    size_t *fs_esc, fs_cap;
};

/* The buffer is allocated CSVS_PAD bytes past cap: the block scanner
 * reads whole 64-byte blocks past the text it scans. */
#define CSV_BUF_PAD CSVS_PAD

/* csv_fast.c: the record at pos split by the fast path: its fields in
 * fbuf (nf, flen, fend), rec_line, bad_field, rec_end, and scan and line
 * past it, as the byte scanner leaves them; 1, or 0 when the record is
 * left to the byte scanner.  And, for tests, csv_read without it (its
 * byte scanner only), so that the two can be compared record by record. */
int csv_fast_record(csv_reader *r);
void csv_reader_no_fast_path(csv_reader *r);

/* csv.c: room in fbuf and fend for the fields of N more input bytes.
 * 0, -1 out of memory. */
int csv_reserve(csv_reader *r, size_t n);

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void csv_set_err(char *err, size_t errlen, const char *fmt, ...);

/* Moves the unconsumed bytes to the front, grows the buffer if it is full,
 * and reads once.  1 bytes read, 0 end of input, -1 error (errno set). */
int csv_reader_fill(csv_reader *r);

#endif
