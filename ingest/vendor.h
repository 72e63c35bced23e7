/* vendor.h — what ingest/sync.c shares with the per-vendor files
 * (delighted.c, qualtrics.c, surveymonkey.c, formbricks.c, zendesk.c,
 * genesys.c) and ingest/fieldmap.c, and the vendor table (ingest/vendors.c),
 * the one place that lists the vendors.  Internal to ingest/: the public
 * entry point is ingest/ingest.h.
 */
#ifndef CX_VENDOR_H
#define CX_VENDOR_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "core/config.h"
#include "core/log.h"
#include "core/model.h"
#include "core/strmap.h"
#include "core/store/store.h"
#include "ingest/attr_limit.h"
#include "ingest/http.h"
#include "ingest/ingest.h"

/* ---- checkpoint (the opaque text of store_checkpoint_get/put) ----
 * {"v":1,"updated_at":T,"ids":["..."],"token":"..."}: the newest update
 * time seen, the ids seen at exactly that second (vendors' lower bounds are
 * inclusive, so the next run re-reads that second and skips these; kept
 * only when the second was over at the vendor, see sync_open_from), and
 * for Qualtrics the export continuation token. */
typedef struct checkpoint {
    int64_t updated_at; /* 0 = never synced */
    char **ids;         /* owned */
    size_t n_ids, cap_ids;
    char *token; /* owned, NULL = none */
} checkpoint;

/* Parses TEXT (NULL = empty checkpoint) into CP, which is overwritten (free
 * a used one first).  0 ok, -1 malformed (CP empty). */
int checkpoint_parse(const char *text, checkpoint *cp);
/* malloc'd JSON text, NULL when out of memory. */
char *checkpoint_format(const checkpoint *cp);
/* Notes a record (ID, T) as seen: a newer T starts a new second. 0/-1 (memory). */
int checkpoint_observe(checkpoint *cp, const char *id, int64_t t);
/* 1 when (ID, T) was already seen at the checkpoint's second. */
int checkpoint_seen(const checkpoint *cp, const char *id, int64_t t);
/* Moves the checkpoint to second T with no ids seen (everything before T
 * is complete). */
void checkpoint_move(checkpoint *cp, int64_t t);
int checkpoint_set_token(checkpoint *cp, const char *token);
/* The token read as a time in unix seconds (windowed vendors keep the start
 * of their last complete walk there); 0 when there is none or it is not a
 * whole number >= 0. */
int64_t checkpoint_token_time(const checkpoint *cp);
void checkpoint_free(checkpoint *cp);

/* ---- one source's sync ---- */
typedef struct sync_ctx sync_ctx;

/* A vendor's sync of one source: 0 ok, -1 with ERR. */
typedef int vendor_sync(sync_ctx *c, char *err, size_t errlen);

/* One row of the vendor table: everything that differs between vendors
 * outside their own file.  A new vendor is its file plus one row. */
typedef struct vendor_def {
    const char *name;               /* "vendor" in the config */
    http_auth auth;                 /* how the token is sent (HTTP_AUTH_NONE: the sync logs in) */
    const char *auth_header;        /* HTTP_AUTH_HEADER: its name */
    const char *const *required;    /* config keys it needs, NULL-terminated */
    const char *const *credentials; /* config keys naming the environment variables its
                                       credentials come from, NULL-terminated */
    const char *const *metrics;     /* metrics it can supply, NULL-terminated; the first is the default */
    vendor_sync *sync;
    const char *const *defaults; /* default field paths: field, path pairs, NULL-terminated */
    const char *container;       /* object whose other keys become attributes, or NULL */
    int windowed;                /* re-reads lookback_days on every incremental sync */
} vendor_def;

/* The row of vendor NAME, or NULL. */
const vendor_def *vendor_find(const char *name);
/* The default field paths of the source's vendor (NULL when unknown). */
const char *const *vendor_defaults(const sync_ctx *c);

/* The rejects a source holds, by a hash of their raw text
 * (ingest/sync_rejects.c): an open-addressed set, read at the first
 * reject of a run. */
typedef struct sync_rejects {
    uint64_t *slot; /* 0: empty */
    size_t n, cap;
    int loaded;
} sync_rejects;

struct sync_ctx {
    const cx_config *cfg;
    const cx_source_cfg *src;
    store *st;
    http_client *http;
    const ingest_opts *o;
    checkpoint cp;     /* where this run resumes, updated page by page */
    int fresh;         /* 1 = --full or --since: ignore the stored checkpoint */
    int64_t open_from; /* seconds >= this may still change at the vendor (0 = none):
                               * the checkpoint keeps no ids for them (see sync_open_from) */
    char base[512];    /* base_url without a trailing '/' */
    int per_page;
    long long pages, fetched, inserted, replaced, unchanged, ignored, rejected, skipped;
    double t0, last_draw; /* progress line */
    long last_status;     /* HTTP status of the last answer (0 = none) */
    int metric;           /* cx_metric of the source's responses (config, else the vendor's) */
    int retired;          /* the vendor answered 410 Gone */
    attr_limit names;     /* the store's attribute names, read at the first page and kept
                               * up to date by sync_page.c; freed by sync.c */
    sync_rejects rej;     /* the source's rejects (sync_rejects_seen); freed by sync.c */
};

/* Whether a rejected record whose raw text (masked, as the store keeps it)
 * has the FNV-1a hash HASH (core/hash.h) is among the source's rejects
 * already: *SEEN 1, else 0 and it is noted as one.  0 ok, -1 the store
 * could not be read (store_error), -2 out of memory. */
int sync_rejects_seen(sync_ctx *c, uint64_t hash, int *seen);
void sync_rejects_free(sync_rejects *r);

/* Scratch space for text made while mapping one record (numbers printed,
 * attribute names normalised); reset per record. */
typedef struct map_buf {
    char data[16384];
    size_t used;
} map_buf;

/* Copies N bytes of S into B, NUL-terminated; NULL when B is full. */
const char *map_buf_put(map_buf *b, const char *s, size_t n);

/* Maps one vendor record into R (strings borrowed from REC or B).
 * Returns 0 to store it, 1 to skip it (already seen at the checkpoint's
 * second), -1 to reject it with *WHY.  Even on -1, R->response_id and
 * R->updated_at are set when the record had them (the checkpoint moves past
 * a rejected record too). */
typedef int record_map(sync_ctx *c, const cJSON *rec, void *ctx, cx_response *r, map_buf *b,
                       const char **why);
typedef record_map *record_map_fn;

/* Writes records [FROM, TO) of the array RECS — mapped rows, rejects
 * ("page PAGE") and then the checkpoint — in ONE store transaction
 * (ingest/sync_page.c).  When the checkpoint's second is >= c->open_from,
 * its ids are dropped, so the next read of that second upserts its rows
 * again.  Text holding the token is masked, a record whose id holds it
 * rejected; a later copy of an id in the page replaces an earlier one.
 * 0 ok, -1 with ERR (also when the checkpoint would hold the token). */
int sync_commit_page(sync_ctx *c, const cJSON *recs, int from, int to, long page, record_map_fn map,
                     void *ctx, char *err, size_t errlen);

/* The first second that may still change at the vendor, judged from the
 * last answer's Date: a row read at a second already over when it was
 * served cannot change without getting a later time, so its (id, second)
 * may be skipped when re-read; one read in a second still running may be
 * edited again within that second (same time, new content), so it must be
 * read and upserted again.  A margin of 2 s covers a Date stamped a little
 * after the data was read; with no Date every second counts as open. */
int64_t sync_open_from(const sync_ctx *c);

/* Writes the checkpoint alone (its own transaction). */
int sync_commit_checkpoint(sync_ctx *c, char *err, size_t errlen);

/* Redraws the progress line (when enabled) at most 5 times a second. */
void sync_progress(sync_ctx *c, int force);

/* Hands one line (printf FMT) to the caller's on_message: WARNING 1 for a
 * note the sync goes on after, 0 for an error.  Nothing when no callback. */
void sync_say(const ingest_opts *o, int warning, const char *fmt, ...) CX_PRINTF(3, 4);

/* ---- no progress (ingest/sync_guard.c) ----
 * What a walk has read, to stop when the server serves it again (it ignores
 * page, skip, pageNumber or repeats links.next): the walk would otherwise
 * only end at the deadline.  Zero-initialise; page_seen_free at the end. */
typedef struct page_seen {
    strmap *m;
} page_seen;

/* 1 when the ids (ID_KEY of each record of ROWS, in order) equal those of a
 * page noted before in this walk; 0 new (now noted) or no ids; -1 out of
 * memory. */
int page_seen_repeat(page_seen *ps, const cJSON *rows, const char *id_key);
/* The same for any text (a URL, say) of LEN bytes, under KIND. */
int page_seen_note(page_seen *ps, char kind, const char *text, size_t len);
/* Before following NEXT (a links.next) after page PAGE (its ROWS): 0 when
 * it moves on (NEXT is noted); -1 with ERR when NEXT holds the API token,
 * was followed before in this walk, ROWS repeat an earlier page, or ROWS is
 * empty (an empty page with a next never ends). */
int page_seen_next(page_seen *ps, const sync_ctx *c, const char *next, const cJSON *rows, const char *id_key,
                   long page, char *err, size_t errlen);
void page_seen_free(page_seen *ps);

/* ---- field maps (ingest/fieldmap.c; JSON scalars: ingest/fieldjson.c) ---- */

/* The JSON value at dotted PATH under REC ("person_properties.Agent"),
 * or NULL. */
const cJSON *json_path(const cJSON *rec, const char *path);

/* Text of a scalar JSON value: strings as they are, numbers printed
 * ("%.17g" trimmed), booleans "true"/"false"; NULL for null, absent,
 * objects, or when B is full. */
const char *json_text(const cJSON *v, map_buf *b);

/* A timestamp: unix seconds as a number or a string, or ISO 8601 text.
 * 0 ok, -1 with *why. */
int json_time(const cJSON *v, int64_t *out, const char **why);

/* The head of every vendor's record: REC must be an object (else *WHY =
 * NOT_OBJECT) whose KEY holds a non-empty scalar (else *WHY = NO_ID), which
 * becomes r->response_id (kept in B).  0 ok, -1 with *why. */
int map_record_id(const cJSON *rec, const char *key, const char *not_object, const char *no_id,
                  cx_response *r, map_buf *b, const char **why);

/* r->responded_at from REC's CREATED (required, else *WHY = CREATED_WHY),
 * r->updated_at from UPDATED when present and not null (a bad one: *WHY =
 * UPDATED_WHY), else the responded_at.  0 ok, -1 with *why. */
int map_record_times(const cJSON *rec, const char *created, const char *created_why, const char *updated,
                     const char *updated_why, cx_response *r, const char **why);

/* A 0..10 score given as a number or as text ("9").  0 ok, -1 with *why. */
int json_score(const cJSON *v, int *score, const char **why);

/* Applies the source's field map, then the vendor's DEFAULTS (pairs of
 * field, path; NULL-terminated) for fields the config does not map, to REC.
 * Text model fields are set, handle_time_s and moments parsed, others
 * become attributes.  Then every key of the object at CONTAINER (e.g.
 * "person_properties"; NULL = none) that no mapping used becomes an
 * attribute named in lower case with '_' for spaces, or fills the model
 * text field of that name when it is still empty.
 * 0 ok, -1 with *why (a bad handle time or moments list). */
int map_fields(sync_ctx *c, const cJSON *rec, const char *const *defaults, const char *container,
               cx_response *r, map_buf *b, const char **why);

/* ---- vendors ---- */
/* Message of a vendor that retired its API (HTTP 410); sets c->retired. */
int sync_retired(sync_ctx *c, char *err, size_t errlen);

vendor_sync delighted_sync, qualtrics_sync, surveymonkey_sync, formbricks_sync, genesys_sync, zendesk_sync;

/* Per-record mappers, exposed for the unit tests. */
record_map delighted_map;
/* CTX: the question ids (const char *[2]: NPS, comment) or NULL for the
 * source's nps_question / comment_question (defaults QID1, QID2_TEXT). */
record_map qualtrics_map;

/* SurveyMonkey: what the survey's details say about its questions. */
typedef struct sm_survey {
    char nps_id[64], comment_id[64];
    char choice_ids[11][64]; /* choice id of score 0..10 */
} sm_survey;
/* Reads the details JSON: finds the NPS question (the configured id, "Qn"
 * for the n-th question, or the first with 11 choices) and maps its choices
 * to 0..10 by position, and the comment question.  0 ok, -1 with ERR. */
int sm_survey_from_details(const cJSON *details, const char *nps_question, const char *comment_question,
                           sm_survey *sv, char *err, size_t errlen);
record_map surveymonkey_map;

/* One satisfaction rating.  CTX: NULL, or an int64_t: ratings updated
 * before it are skipped. */
record_map zendesk_map;
/* One flattened survey (the survey object with conversationId,
 * conversationStart, mediaType, externalContactId, handleTimeS (the
 * agent's tHandle in seconds) and surveyComment added).
 * CTX: NULL, or an int64_t: surveys completed before it are skipped. */
record_map genesys_map;
/* CTX: NULL, or an int64_t: rows updated before it are skipped (read by the
 * last complete walk). */
record_map formbricks_map;

#endif
