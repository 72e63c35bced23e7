/* import.h — `cxpulse import responses|customers|spend FILE` (docs/formats.md, docs/cli.md).
 * Owner: ingest/import.c.  A file is imported in ONE store transaction:
 * either every good row of it lands or (on an I/O or store failure) none
 * does.  Bad rows are kept in the rejects table with file line and reason.
 */
#ifndef CX_IMPORT_H
#define CX_IMPORT_H

#include "core/config.h"
#include "core/progress.h"
#include "core/store/store.h"

typedef enum { IMPORT_RESPONSES, IMPORT_CUSTOMERS, IMPORT_SPEND } import_kind;

/* The layout of a responses file: ours (the column names of docs/formats.md) or the CSV
 * export of a vendor (column map in docs/formats.md). */
typedef enum { IMPORT_FORMAT_CXPULSE, IMPORT_FORMAT_DELIGHTED } import_format;

typedef struct import_opts {
    import_kind kind;
    const char *path;     /* "-" = standard input */
    const char *source;   /* --source NAME, NULL = default ("csv") */
    int quiet;            /* no progress line */
    import_format format; /* responses only */
    /* Called for each rejected row with "FILE:LINE" and the reason (may be
     * NULL); the caller decides what to show. */
    void (*on_reject)(const char *where, const char *reason, void *ctx);
    void *ctx;
    const cx_progress *progress; /* reading (percent of a regular file) and merging; may be NULL */
    /* Responses: called with each row handed to the store, in the file's
     * order, then with NULL when the rows ended, before the store merges
     * them (may be NULL; the analysis cache an import writes,
     * run/run_cache_import.c). */
    void (*on_row)(const cx_response *r, void *ctx);
    void *row_ctx;
} import_opts;

/* What an import did: the import log's counts (store_import_stats), for
 * responses the store's classification; held_elsewhere rows (their response_id is held
 * under another source, see store_allow_duplicate_ids) are among the
 * rejected ones. */
typedef struct import_summary {
    long long rows, inserted, replaced, ignored, rejected;
    long long unchanged; /* equal to the stored version (responses), customer or spend row */
    long long held_elsewhere;
    long long straight;          /* responses: store_bulk_counts.straight */
    char held_by[64];            /* the first source that held one of them */
    long long spend_removed;     /* spend: the source's earlier rows removed; -1 = none was
                              * accepted, so the source's spend is kept as it was */
    long long rejects_forgotten; /* rejects of an earlier import of this file, replaced */
    double seconds;
} import_summary;

/* Imports O->path in one transaction.  0 ok (rejected rows included),
 * -1 on failure with the reason in ERR (store unchanged). */
int import_file(store *s, const cx_config *cfg, const import_opts *o, import_summary *sum, char *err,
                size_t errlen);

#endif
