/* import_int.h — what the files of an import share: the importer's state
 * (one file being imported) and the steps of import_again.c that import.c
 * calls.  Owner: ingest/import.c. */
#ifndef CX_IMPORT_INT_H
#define CX_IMPORT_INT_H

#include "ingest/import.h"
#include "ingest/attr_limit.h"
#include "ingest/delighted_csv.h"
#include "ingest/import_digest.h"
#include "core/csv.h"
#include "core/respcsv.h"

#include <stdio.h>
#include <sys/stat.h>

/* Rows store_bulk_end set aside as held by another source (held_row):
 * each one's line and reason, gathered in memory up to a bound and then
 * written to a temporary file as a run sorted by line, so that their raw
 * text is read back in one more pass over the file, in line order, with
 * memory bounded whatever their number (import.c held_*). */
typedef struct held_spool {
    char *buf; /* packed entries: line (long long), reason length (uint16_t), reason */
    size_t used, cap;
    struct held_at {
        long long line;
        size_t off;
    } * at; /* each entry's line and offset in buf */
    size_t n, cap_at;
    FILE *f;         /* the runs written, each sorted by line; NULL: none yet */
    long long *ends; /* each run's end in f */
    size_t n_runs, cap_runs;
    long long written; /* f's bytes */
} held_spool;

typedef struct importer {
    store *s;
    const cx_config *cfg;
    /* The caller's options, but o->path is the file's key: how the store
     * knows the file (the rejects' "FILE:LINE", store_rejects_forget, the
     * note of import_again.c).  A regular file's canonical path (one file
     * under every spelling of its name, two files of one name in two
     * folders apart), "-" for standard input, else the name as typed;
     * "customers:" or "spend:" before it for those kinds, so that their
     * rejects and a responses file's are never taken for each other's.
     * (A responses file's key is a name it opens by: import_again.c reads
     * the file by it.) */
    const import_opts *o;
    import_opts opts;  /* what o points to */
    char *key;         /* opts.path (malloc'd) */
    const char *path;  /* the file as the caller named it: what is opened and named in messages */
    struct stat in_st; /* the file as opened (in_regular: a regular file, read again for held rows) */
    int in_regular;
    const char *source;
    csv_reader *rd;
    resp_header rh;                              /* responses */
    delighted_names dn;                          /* --format delighted */
    int col_id, col_value, col_date, col_amount; /* customers / spend */
    size_t n_cols;                               /* their header's fields: every row has as many */
    cx_attr attrs[CX_MAX_ATTRS];
    size_t attr_col[CX_MAX_ATTRS], n_attrs;
    char *keys[CX_MAX_ATTRS]; /* owned copies of the attribute column names */
    store_import_stats st;
    /* The file line of each row handed to store_bulk_add, as line = index +
     * offset: one entry (first index, offset) each time the offset changes
     * (a record over several lines, a rejected or blank line), not one per
     * row, so memory stays bounded by the file's irregularities. */
    struct line_run {
        long long index, offset;
    } * runs;
    size_t n_runs, cap_runs;
    long long n_added;
    long long held; /* rows whose id another source holds */
    char held_by[64];
    held_spool hs;      /* their lines and reasons, until their raw text is read back */
    char held_err[256]; /* why they could not be spooled ("" when they could) */
    long long removed;  /* spend: the source's earlier rows removed; -1 not yet */
    long long straight; /* store_bulk_counts.straight */
    /* Responses from a regular file: its fingerprint, for the store's note
     * of a file imported again unchanged (store_import_seen_get). */
    int digested; /* 1 digest holds it; 0 not (yet: job may be computing it) */
    char digest[IMPORT_DIGEST_LEN];
    struct stat digest_st;
    char settings[512];
    import_digest_job job;
    /* Responses: the store's attribute names and the file's, admitted
     * (names_fit), noted for the next import once the rows are in. */
    attr_limit names;
    /* The progress of reading: its step's name, the file's size (0 not
     * known). */
    char phase[300];
    double size;
} importer;

/* import.c, for import_par.c: the progress shown, AT bytes read. */
void import_progress(importer *im, long long at);

/* import.c: record REC as csv_read gave it (BROKEN: it could not be
 * read, ERR holding the reader's message) counted and taken: a row to the
 * store, or a reject kept with its raw text.  CHK: a responses record
 * checked already, with its MOMENTS (resp_check_record), else NULL.  0, or -1 with ERR (out of
 * memory, or the store's error).  A blank line is not a record. */
int import_record(importer *im, csv_record *rec, int broken, const resp_checked *chk, const int *moments,
                  char *err, size_t errlen);

/* import_par.c: the records of a responses file read and split on a
 * thread of their own while this one takes each (import_record), in file
 * order: the same rows, rejects and errors as the loop of import.c.  0
 * done, -1 with ERR, 1 not done (one CPU, or no thread could start: the
 * caller reads the rows itself). */
int import_rows_par(importer *im, char *err, size_t errlen);

/* The file as it was imported into the store as it is now (the store's
 * note, store_import_seen_get): what reading it again would find, and its
 * rejects written again through the caller's on_reject, without reading a
 * row; *FORGOT: the earlier rejects of the file replaced.  1 done, 0 not
 * noted (the file's digest may then be computing on a thread of its own),
 * -1 on error.  (import_again.c) */
int import_again(importer *im, long long *forgot);

/* After the bulk: the store notes the file and what importing it again
 * would report; or drops its note when the file changed while it was read
 * or its digest could not be read.  0 ok.  (import_again.c) */
int import_note(importer *im);

/* import_simple.c: the header of a customers or spend file H (its
 * columns into IM; 0, or -1 with ERR), and one row of it into the store:
 * 0, -1 rejected (*FIELD, *WHY), -2 the store failed. */
int simple_header(importer *im, const csv_record *h, char *err, size_t errlen);
int row_customer(importer *im, const csv_record *rec, const char **field, const char **why);
int row_spend(importer *im, const csv_record *rec, const char **field, const char **why);

/* import_held.c: a row store_bulk_end set aside (store_on_held's
 * callback, CTX the importer): spooled, 0, or -1 with held_err; then, once
 * the bulk has ended and before the commit, their rejects written in line
 * order with the raw text read back (0, or -1 with ERR or the store's
 * error); held_free at the import's end. */
int held_row(long long index, const char *response_id, const char *held_by, void *ctx);
int held_rejects(importer *im, char *err, size_t errlen);
void held_free(held_spool *h);

#endif
