/* respcsv.h — the responses CSV format (import, export, stats --input):
 * which column is which model field, and turning one record into a
 * cx_response view.  Column names are the model's (SPEC §3); any other
 * column is an attribute.  Owner: core/respcsv.c.
 */
#ifndef CX_RESPCSV_H
#define CX_RESPCSV_H

#include <stdio.h>
#include "core/csv.h"
#include "core/model.h"

typedef struct resp_header {
    int col[CX_F_COUNT];        /* column of each model field, -1 when absent */
    size_t attr_col[CX_MAX_ATTRS];
    const char *attr_name[CX_MAX_ATTRS];   /* owned copies */
    size_t n_attrs;
    size_t ncols;
} resp_header;

/* Reads the header record.  Requires response_id, responded_at and score;
 * rejects duplicate or empty column names and more than CX_MAX_ATTRS
 * extra columns.  0 ok; -1 with "why" in ERR. */
int resp_header_init(resp_header *h, const csv_record *rec, char *err, size_t errlen);
void resp_header_free(resp_header *h);

/* Fills R (borrowing the record's strings) from REC.  SOURCE is used when
 * the file has no source column or it is empty (FORCE_SOURCE: always).
 * On a bad row returns -1 with the failing column name in *field and the
 * reason in *why (static strings / header-owned). */
int resp_from_record(const resp_header *h, const csv_record *rec, const char *source,
                     int force_source, int moment_lo, int moment_hi,
                     cx_response *r, const char **field, const char **why);

/* Writes the header line of an export: every model field, then ATTR_NAMES. */
void resp_write_header(csv_writer *w, const char *const *attr_names, size_t n);
/* Writes R as one record; attribute values in the order of ATTR_NAMES
 * (empty where R lacks one). */
void resp_write_record(csv_writer *w, const cx_response *r, const char *const *attr_names, size_t n);

#endif
