/* delighted_csv.h — the CSV export Delighted gave its customers, read by
 * `cxpulse import responses --format delighted FILE` (docs/formats.md
 * lists the column map).  Owner: ingest/delighted_csv.c.  It renames the
 * export's columns to the model's before the ordinary responses reader
 * (core/respcsv.h) sees the header, and fixes the export's timestamps
 * ("2026-05-04 13:02:11 -0700") row by row.
 */
#ifndef CX_DELIGHTED_CSV_H
#define CX_DELIGHTED_CSV_H

#include <stddef.h>
#include "core/csv.h"

typedef struct delighted_names {
    char *owned[256]; /* names made for columns that are attributes */
    size_t n_owned;
    int time_col[2]; /* columns of responded_at and updated_at, -1 = none */
} delighted_names;

/* The model field (or attribute name) for a Delighted export column NAME
 * ("Response ID" -> "response_id", "Person property: Region" -> "region"):
 * borrowed static text, or made into B (CAP bytes).  Only the column map
 * gives a model field: an attribute whose name would be one gets "attr_"
 * in front ("Person property: Source" -> "attr_source"). */
const char *delighted_column(const char *name, char *b, size_t cap);

/* Rewrites the header record H in place to the model's column names.
 * 0 ok; -1 with "why" in ERR (not a Delighted export, out of memory). */
int delighted_header(csv_record *h, delighted_names *dn, char *err, size_t errlen);
/* Normalises the timestamps of one data record in place. */
void delighted_row(const delighted_names *dn, csv_record *rec);
void delighted_names_free(delighted_names *dn);

#endif
