/* rejects.h — the one writer of rejected rows (rejects.csv, `export
 * rejects`) and the one wording of a reject, for every path that rejects
 * input: import, `stats --input`, report and export.
 *
 * Encoding rule (docs/formats.md): the file is UTF-8.  The raw text and
 * the reason are written with U+FFFD for every byte that starts no valid
 * UTF-8 sequence; the store keeps the raw bytes as they came.
 * Owner: core/rejects.c.
 */
#ifndef CX_REJECTS_H
#define CX_REJECTS_H

#include <stddef.h>
#include <stdio.h>

#include "core/afile.h"
#include "core/csv.h"

typedef struct rejects_sink {
    csv_writer *w;
    afile file; /* when writing OUTDIR/rejects.csv */
    int to_file;
} rejects_sink;

/* Buffer sizes for rejects_describe: a long path is kept whole. */
#define REJECTS_WHERE_MAX (4096 + 32)
#define REJECTS_REASON_MAX 512

/* Words one reject: WHERE = "PATH:LINE", REASON = "field 'FIELD': WHY"
 * (or WHY alone when FIELD is NULL or empty). */
void rejects_describe(const char *path, long line, const char *field, const char *why, char *where,
                      size_t where_len, char *reason, size_t reason_len);

/* OUTDIR/rejects.csv, written to a temporary file and renamed at
 * rejects_commit.  The header is written.  0 ok, -1 with ERR. */
int rejects_open(rejects_sink *k, const char *outdir, char *err, size_t errlen);
/* To a stream F (export); FORMULA_ESCAPE as for csv_writer_new.  The
 * header is written.  0 ok, -1 out of memory. */
int rejects_open_stream(rejects_sink *k, FILE *f, int formula_escape);
/* One rejected row; RAW is RAW_LEN bytes (may hold any bytes). */
void rejects_put(rejects_sink *k, const char *source, const char *where, const char *reason, const char *raw,
                 size_t raw_len);
/* Ends the sink: a file is renamed into place (0) or, on a failed write,
 * removed (-1 with ERR); a stream is flushed by its owner.  0 ok. */
int rejects_commit(rejects_sink *k, char *err, size_t errlen);
/* Ends a sink on a file without renaming it: the file is left whole and
 * open in K for the caller to put in a set of outputs (report_out_add,
 * afile_group_add), which empties it; rejects_abort still removes it if
 * it was not.  NULL (file removed) with ERR. */
afile *rejects_finish(rejects_sink *k, char *err, size_t errlen);
/* Ends the sink without keeping a file. */
void rejects_abort(rejects_sink *k);

/* Text that may hold bytes that are not UTF-8, written with U+FFFD for
 * each such byte, so the file stays UTF-8, and for each control character
 * but tab, CR and LF (C0, DEL, C1), so that a hostile row shown on a
 * terminal (`export rejects`) cannot retitle it, write its clipboard or
 * clear it. */
void csv_put_text_utf8(csv_writer *w, const char *s, size_t n);

#endif
