/* csv.h — RFC 4180 CSV reader and writer.
 *
 * Owner: core/csv.c (scanner), core/csvio.c (input), core/csvwrite.c
 * (writer).  The reader streams: it reads the input in large
 * blocks, never per byte, and never allocates per field.  Every pointer a
 * csv_record hands out is BORROWED from the reader and stays valid only
 * until the next csv_read() or csv_reader_free().
 */
#ifndef CX_CSV_H
#define CX_CSV_H

#include <stddef.h>
#include <stdio.h>

/* Largest record the reader accepts (bytes of raw text).  A larger one is a
 * recoverable error: the record is skipped and reported, and its rec->raw
 * holds only its first 1024 bytes. */
#define CSV_MAX_RECORD (64u * 1024u * 1024u)
/* An oversized record is skipped to its end for at most this many bytes
 * past the limit; past that reading stops with a fatal error, so an
 * endless input (/dev/zero, a stream that never closes a quote) ends. */
#define CSV_MAX_SKIP ((size_t)2 * CSV_MAX_RECORD)

typedef struct csv_reader csv_reader;

typedef struct csv_record {
    size_t nfields;
    char **fields;   /* nfields NUL-terminated, unescaped values (borrowed) */
    size_t *lens;    /* byte length of each field (fields may hold NUL bytes) */
    long line;       /* 1-based physical line where the record starts */
    const char *raw; /* raw bytes of the record as in the file, without the
                           line terminator (borrowed, not NUL-terminated) */
    size_t raw_len;
} csv_record;

/* Opens PATH for reading ("-" is standard input, named "stdin" in
 * messages and not closed by csv_reader_free).  A directory, a missing
 * file or an unreadable one is an error: returns NULL and writes
 * "PATH: why" into err ("PATH: is a directory", "PATH: No such file or
 * directory", ...). */
csv_reader *csv_reader_open(const char *path, char *err, size_t errlen);

/* Wraps an already open descriptor; NAME is used in messages ("input" when
 * NULL).  The reader does not close FD.  A directory is refused as above. */
csv_reader *csv_reader_from_fd(int fd, const char *name, char *err, size_t errlen);

void csv_reader_free(csv_reader *r);

/* Name given at open, for messages (borrowed). */
const char *csv_reader_name(const csv_reader *r);
/* The descriptor read from (owned by the reader when it opened it). */
int csv_reader_fd(const csv_reader *r);

/* Byte offset in the input of the next record, counting from where the
 * descriptor stood at open (the LF of a CRLF just read is skipped first).
 * Physical lines before it go to *LINE (may be NULL).  -1 on a read error
 * (errno set).  Meaningful for regular files. */
long long csv_reader_tell(csv_reader *r, long *line);
/* Makes the next csv_read start at byte OFFSET of a regular file, which
 * must be the start of a record, on physical line LINE + 1 (LINE lines
 * come before it).  Buffered input is reused when it covers OFFSET.  A
 * reader that had ended or failed reads again.  0 ok, -1 with errno. */
int csv_reader_seek(csv_reader *r, long long offset, long line);

/* A tap: FN is handed every byte R reads from its input, in order, from
 * the input's first byte on (the bytes read before and still in R's
 * buffer at once), so that a caller may digest a file while it is parsed
 * instead of reading it twice.  A seek that leaves the buffer ends the
 * tap: FN is then called once with NULL, 0.  0, or -1 when bytes read
 * before are gone from the buffer (no tap set). */
typedef void (*csv_tap_fn)(void *ctx, const char *p, size_t n);
int csv_reader_tap(csv_reader *r, csv_tap_fn fn, void *ctx);

/* Reads the next record into *rec.
 *   1  a record was read
 *   0  end of input
 *  -1  fatal error (I/O error, an unterminated quoted field that runs to
 *      the end of the input, a record that goes on CSV_MAX_SKIP bytes
 *      past CSV_MAX_RECORD); err holds "NAME:LINE: why"; rec->raw and
 *      rec->line describe the failing text so it can be kept as a reject;
 *      every later call returns 0
 *  -2  recoverable error in one record (a character after a closing quote,
 *      a record over CSV_MAX_RECORD); err holds "NAME:LINE: why", rec->raw
 *      and rec->line describe the bad record, rec->nfields is 0; the next
 *      call continues with the following record.  After a junk character
 *      the rest of the record is read as unquoted text up to the next line
 *      break, so a stray quote cannot swallow the records that follow.
 * A UTF-8 byte-order mark at the start of the input is skipped; input
 * that starts like UTF-16 (its byte-order mark, or ASCII with NUL bytes
 * between) is a fatal error "the file is UTF-16: convert it to UTF-8".  Records
 * end at LF, CRLF or a lone CR outside quotes.  Quoted fields may contain
 * separators, doubled quotes and line breaks (kept as they are).  A quote
 * inside an unquoted field is taken literally.  A completely empty line is
 * returned as a record with one empty field (callers usually skip it).
 * rec->line counts physical lines: CR, LF and CRLF are one line each, also
 * inside quoted fields. */
int csv_read(csv_reader *r, csv_record *rec, char *err, size_t errlen);

/* The "why" part of an error message ERR that R wrote ("NAME:LINE: why"),
 * borrowed from ERR; ERR itself when it has another shape. */
const char *csv_error_reason(const csv_reader *r, const char *err);

/* 1 when S[0..len) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
 * (core/csvscan.c) */
int utf8_valid(const char *s, size_t len);
/* 1 when S starts with a bidi embedding, override or isolate control
 * (U+202A-U+202E, U+2066-U+2069): text from data that could turn the
 * text around it (the page's escaping, the charts' labels write U+FFFD). */
static inline int utf8_bidi_control(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    return u[0] == 0xe2 &&
           ((u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) || (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9));
}
/* 1 when S[0..len) is valid UTF-8 and holds no NUL byte: a field as a row
 * may hold it.  ASCII without a NUL (most fields of most files) is told
 * eight bytes at a time (csvs_ascii), the rest as utf8_valid.
 * (core/csvscan.c) */
int utf8_clean(const char *s, size_t len);

/* ---- writer ---- */

typedef struct csv_writer csv_writer;

/* Writes to F (not closed by the writer).  With FORMULA_ESCAPE, any text
 * field that begins with = + - @ TAB or CR gets a leading ' (spreadsheet
 * formula injection defence, docs/security.md), and so does one that
 * begins with ' (so the escape is one-to-one: dropping one leading ' gives
 * the value back).  Records end with CRLF (RFC 4180). */
csv_writer *csv_writer_new(FILE *f, int formula_escape);
/* 1 when a text cell starting with C gets a ' in front: the start of a
 * formula (= + - @ TAB CR), and ' itself, so that the escape can be undone
 * (one leading ' dropped) and two values never come out the same: -1 is
 * '-1 and '-1 is ''-1.  The one rule of every formula-escaped CSV. */
int csv_formula_lead(char c);
/* 1 when a text cell of LEN bytes (LEN > 0) is written in quotes: it holds
 * , " CR or LF, or begins or ends with a space (some readers trim them).
 * The other rule of every CSV writer, beside csv_formula_lead. */
int csv_needs_quotes(const char *s, size_t len);
void csv_writer_free(csv_writer *w);

/* Text field of LEN bytes: quoted when it holds , " CR or LF (or begins or
 * ends with a space), quotes doubled; formula-escaped if enabled. */
void csv_put_text_len(csv_writer *w, const char *s, size_t len);
void csv_put_text(csv_writer *w, const char *s); /* NULL = empty field */
/* Number: NaN or inf gives an empty field; otherwise "%.15g" in the C
 * locale (at least 6 significant digits, '.' decimal point); -0 is written
 * as 0.  Numbers are never formula-escaped. */
void csv_put_double(csv_writer *w, double v);
void csv_put_int(csv_writer *w, long long v);
void csv_put_empty(csv_writer *w);
/* N fields at once, as csv_put_double / csv_put_int / csv_put_text each;
 * CSV_DOUBLES(w, a, b, c) and the others list them in place. */
void csv_put_doubles(csv_writer *w, const double *v, size_t n);
void csv_put_ints(csv_writer *w, const long long *v, size_t n);
void csv_put_texts(csv_writer *w, const char *const *v, size_t n);
#define CSV_LIST_(fn, type, w, ...) \
    fn((w), (const type[]){__VA_ARGS__}, sizeof((const type[]){__VA_ARGS__}) / sizeof(type))
#define CSV_DOUBLES(w, ...) CSV_LIST_(csv_put_doubles, double, w, __VA_ARGS__)
#define CSV_INTS(w, ...) CSV_LIST_(csv_put_ints, long long, w, __VA_ARGS__)
#define CSV_TEXTS(w, ...) CSV_LIST_(csv_put_texts, char *const, w, __VA_ARGS__)
void csv_end_record(csv_writer *w);
/* N bytes that are whole records already written by a csv_writer (with
 * the same formula escaping), copied as they are; between records only. */
void csv_put_raw(csv_writer *w, const char *s, size_t n);

/* Nonzero once any write to the underlying FILE has failed. */
int csv_writer_failed(const csv_writer *w);

#endif
