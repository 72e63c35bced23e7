/* respcsv.h — the responses CSV format (import, export, stats --input):
 * which column is which model field, and turning one record into a
 * cx_response view.  Column names are the model's (docs/formats.md); any other
 * column is an attribute.  Owner: core/respcsv.c (reading, checking);
 * core/respcsv_write.c (an export's header and records).
 */
#ifndef CX_RESPCSV_H
#define CX_RESPCSV_H

#include <stdint.h>
#include <stdio.h>
#include "core/csv.h"
#include "core/csvscan.h"
#include "core/model.h"

typedef struct resp_header {
    int col[CX_F_COUNT];   /* column of each model field, -1 when absent */
    size_t at[CX_F_COUNT]; /* the same, ncols when absent (resp_check) */
    size_t attr_col[CX_MAX_ATTRS];
    const char *attr_name[CX_MAX_ATTRS]; /* owned copies */
    size_t n_attrs;
    size_t ncols;
} resp_header;

/* Reads the header record.  Requires response_id, responded_at and score;
 * rejects duplicate or empty column names and more than CX_MAX_ATTRS
 * extra columns.  0 ok; -1 with "why" in ERR. */
int resp_header_init(resp_header *h, const csv_record *rec, char *err, size_t errlen);
void resp_header_free(resp_header *h);

/* What resp_check parses out of a record. */
typedef struct resp_vals {
    int64_t responded_at, updated_at;
    int month; /* time_month_key(responded_at) */
    int score;
    int metric; /* cx_metric: "" or no metric column = nps */
    int has_handle_time;
    double handle_time_s;
    size_t n_moments; /* moments written to the caller's array */
} resp_vals;

/* Per-thread parse state: the last minute parsed per time column (rows
 * usually come in time order, so most timestamps share it).  Zero it to
 * start. */
typedef struct resp_day {
    uint64_t w0, w1; /* "YYYY-MM-DDTHH:MM" as loaded (w0 and the low
                                   16 bits of w1: the date) */
    uint16_t d2;
    int valid, month;
    int64_t days, minute; /* the date's days since the epoch; the minute's UTC seconds */
} resp_day;
typedef struct resp_cache {
    resp_day responded, updated; /* one per column: they alternate */
} resp_cache;

/* Checks a record given as NF field spans (quotes undone) and parses its
 * times, score, handle time and moments, with the same rules, the same
 * order of checks and the same messages as resp_from_record.  F has room
 * for NF + 1 spans: F[NF] is set to an empty one, which stands for the
 * columns the file lacks.  ASCII: the caller has seen that no field holds
 * a NUL or a byte above 0x7F, so the UTF-8 checks are skipped.  MOMENTS
 * has room for CX_MAX_MOMENTS.  CACHE may be NULL.  0 ok; -1 with *field
 * and *why as for resp_from_record. */
int resp_check(const resp_header *h, resp_cache *cache, csv_span *f, size_t nf, int ascii, int moment_lo,
               int moment_hi, int *moments, resp_vals *v, const char **field, const char **why);

/* Fills R (borrowing the record's strings) from REC.  SOURCE is used when
 * the file has no source column or it is empty (FORCE_SOURCE: always).
 * On a bad row returns -1 with the failing column name in *field and the
 * reason in *why (static strings / header-owned). */
int resp_from_record(const resp_header *h, const csv_record *rec, const char *source, int force_source,
                     int moment_lo, int moment_hi, cx_response *r, const char **field, const char **why);

/* A record checked by resp_check_record: its verdict (RC 0, or -1 with
 * FIELD and WHY as resp_from_record gives them) and values.  So that one
 * thread checks the records another takes (ingest/import_par.c). */
typedef struct resp_checked {
    resp_vals v;
    const char *field, *why;
    int rc;
} resp_checked;

/* Checks REC as resp_from_record does (the same rules, order of checks
 * and messages) into *C, its moments into MOMENTS (room for
 * CX_MAX_MOMENTS).  CACHE may be NULL. */
void resp_check_record(const resp_header *h, const csv_record *rec, resp_cache *cache, int moment_lo,
                       int moment_hi, int *moments, resp_checked *c);

/* Fills R from REC as resp_from_record does, REC having been checked into
 * C with its moments at MOMENTS (resp_check_record): 0, or -1 with *field
 * and *why. */
int resp_from_checked(const resp_header *h, const csv_record *rec, const resp_checked *c, const int *moments,
                      const char *source, int force_source, cx_response *r, const char **field,
                      const char **why);

/* Writes the header line of an export: every model field, then ATTR_NAMES. */
void resp_write_header(csv_writer *w, const char *const *attr_names, size_t n);
/* Writes R as one record; attribute values in the order of ATTR_NAMES
 * (empty where R lacks one). */
void resp_write_record(csv_writer *w, const cx_response *r, const char *const *attr_names, size_t n);

#endif
