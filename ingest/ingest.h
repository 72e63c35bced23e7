/* ingest.h — pulling survey responses from vendor APIs into the store
 * (docs/vendors.md).  Owner: ingest/sync.c drives ingest/http.c and one file per
 * vendor (delighted.c, qualtrics.c, surveymonkey.c).
 */
#ifndef CX_INGEST_H
#define CX_INGEST_H

#include <stdint.h>
#include "core/config.h"
#include "core/progress.h"
#include "core/store/store.h"

/* What one source's sync did (ingest_opts.on_source). */
typedef struct ingest_source_summary {
    const char *source, *vendor;  /* borrowed for the call */
    long long fetched;            /* records read from the vendor */
    long long inserted, replaced; /* new and updated responses */
    long long unchanged;          /* already held as read, or an older edit than the stored one */
    long long rejected;           /* kept in the rejects table (bad record, id held elsewhere) */
    long long retries;            /* HTTP attempts retried */
    double seconds;
    const char *error; /* NULL when the sync succeeded */
    int retired;       /* the vendor answered 410 Gone: said in one line already */
} ingest_source_summary;

typedef struct ingest_opts {
    const char *source;          /* NULL = every configured source */
    int64_t since;               /* 0 = from the checkpoint; else re-read from this time */
    int full;                    /* re-read everything (still no duplicates) */
    int max_attempts;            /* 0 = the source's config */
    double deadline_s;           /* 0 = the source's config */
    const cx_progress *progress; /* pages and responses per source as they come; may be NULL */
    /* Called after each source's sync (may be NULL). */
    void (*on_source)(const ingest_source_summary *sum, void *ctx);
    /* Called before each retry's wait (may be NULL); see http_cfg.on_retry. */
    void (*on_retry)(const char *source, const char *method, const char *path, long status, const char *why,
                     double wait_s, void *ctx);
    /* Each line a user must see, without the program's name ("ingest:
     * SOURCE: why"), in the order things happen: WARNING 1 for a note the
     * sync goes on after (an unreadable checkpoint, a wait for another
     * ingest's lock, a refused continuation token), 0 for an error (a source
     * failed, the store refused, an unknown source name).  May be NULL.
     * Library code prints nothing itself. */
    void (*on_message)(int warning, const char *text, void *ctx);
    void *ctx;
} ingest_opts;

/* How a run of ingest_run went (cli/ turns it into an exit code). */
typedef enum ingest_status {
    INGEST_OK,      /* every source synced, no record rejected */
    INGEST_PARTIAL, /* some sources failed and others synced, or records were rejected */
    INGEST_FAILED,  /* every selected source failed */
    INGEST_USAGE    /* an unknown source name, or no sources configured */
} ingest_status;

/* Syncs the selected sources into S (see docs/vendors.md).  Per-source errors
 * go to o->on_message as "ingest: SOURCE: why" and are recorded with
 * store_sync_record.  Tokens are read from the environment variables the
 * config names and never put into a message. */
ingest_status ingest_run(const cx_config *cfg, store *s, const ingest_opts *o);

/* Checks every source of CFG against the vendor table: a known vendor, the
 * keys it needs (survey_id, email, client_id_env, login_url) and a metric
 * it can supply.  0 ok; -1 with "source NAME: KEY: why" in ERR. */
int ingest_check_config(const cx_config *cfg, char *err, size_t errlen);

/* How many of the environment variables that source S's credentials come
 * from (the vendor row's keys: token_env, and client_id_env for Genesys)
 * are not set or empty; their names go to OUT as "$NAME (key), ...".  Only the
 * variables' names are written, never their values. */
int ingest_missing_env(const cx_source_cfg *s, char *out, size_t cap);

#endif
