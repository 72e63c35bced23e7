/* import.h — `cxpulse import responses|customers|spend FILE` (SPEC §5).
 * Owner: ingest/import.c.  A file is imported in ONE store transaction:
 * either every good row of it lands or (on an I/O or store failure) none
 * does.  Bad rows are kept in the rejects table with file line and reason.
 */
#ifndef CX_IMPORT_H
#define CX_IMPORT_H

#include "core/config.h"
#include "core/store/store.h"

typedef enum { IMPORT_RESPONSES, IMPORT_CUSTOMERS, IMPORT_SPEND } import_kind;

/* The layout of a responses file: ours (SPEC §3 column names) or the CSV
 * export of a vendor (column map in docs/formats.md). */
typedef enum { IMPORT_FORMAT_CXPULSE, IMPORT_FORMAT_DELIGHTED } import_format;

typedef struct import_opts {
    import_kind kind;
    const char *path;        /* "-" = standard input */
    const char *source;      /* --source NAME, NULL = default ("csv") */
    int quiet;
    import_format format;    /* responses only */
} import_opts;

/* Returns 0 ok, 3 when some rows were rejected, 1 on failure (message
 * printed, store unchanged). */
int import_file(store *s, const cx_config *cfg, const import_opts *o);

#endif
