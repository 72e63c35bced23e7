/* run.h — the input drivers: one statistics run streams every response
 * ONCE through every analysis asked for, from the store or straight from
 * a responses CSV (`stats --input`), and returns the finished result
 * (stats/result.h) that every output renders.
 *
 * Owner: run/run.c (shared driver, store scan), run/run_csv.c (CSV input),
 * run/run_par.c and run/run_chunk.c (CSV input on several threads),
 * run/run_push.c (the store's pushed-down counts).  Library code: errors
 * come back in ERR (the caller prints them), warnings in the result.
 */
#ifndef CX_RUN_H
#define CX_RUN_H

#include "core/csv.h"
#include "core/progress.h"
#include "core/rejects.h"
#include "core/store/store.h"
#include "stats/result.h"
#include "stats/stats.h"

/* From the store: loads customers and spend, then streams responses
 * through ANALYSES (STATS_RUN_*; the NPS table always runs).  NULL on
 * failure, with "what: why" in ERR. */
stats_result *run_store(store *s, const stats_opts *o, unsigned analyses, char *err, size_t errlen);
/* run_store telling P (may be NULL) what it is doing: loading customers
 * and spend, reading the store (rows of its total), computing. */
stats_result *run_store_shown(store *s, const stats_opts *o, unsigned analyses, const cx_progress *p,
                              char *err, size_t errlen);
/* run_store_shown through the analysis cache of the store at TARGET
 * (core/store/cache.h, docs/cache.md): read from the cache when it was
 * built from the store's present generation, else from the store while
 * the cache is rebuilt (when its place can be written).  A damaged cache
 * is rebuilt, and said in NOTE ("" when there is nothing to say), which
 * the caller shows.  A cache of an older generation is extended instead
 * when the store only gained rows since (store_appended).  TELL: NOTE
 * also says when the cache was built or extended (--verbose).
 * CXPULSE_CACHE=off in the environment reads the store and leaves the
 * cache alone. */
stats_result *run_store_cached(store *s, const char *target, const stats_opts *o, unsigned analyses,
                               const cx_progress *p, int tell, char *note, size_t notelen, char *err,
                               size_t errlen);
/* What the next run will do with the analysis cache of the store S at
 * TARGET, a phrase for `status` into OUT (CAP bytes): off, none, current,
 * behind the store (extended, with how many new and changed responses,
 * or rebuilt), damaged.  Reads the heads only; writes nothing. */
void run_cache_state(store *s, const char *target, char *out, size_t cap);
/* The NPS tables only (as run_store_nps) from the cache when it is exact
 * and every --by dimension is a text field of the response; else
 * run_store_nps.  NOTE as for run_store_cached. */
stats_result *run_store_nps_cached(store *s, const char *target, const stats_opts *o, char *note,
                                   size_t notelen, char *err, size_t errlen);
/* The analysis cache written by an import of responses into the empty
 * SQLite store S at TARGET (run/run_cache_import.c, docs/cache.md): begin
 * before the import (NULL: none to write — the store holds rows, has no
 * row numbers, the cache is off or cannot be written), give
 * run_import_cache_row with its context to the import's on_row, and end
 * after it (IMPORTED 1 when it committed, INSERTED the rows it inserted,
 * STRAIGHT those it loaded straight: store_bulk_counts).
 * Begin also asks S for the rows again in key order when it sorts them
 * itself (store_on_sorted; end stops it).  End: 1 when the cache was kept, exact for the store as it now is (NOTE then
 * says so, for --verbose), else 0.  Frees C (NULL is fine). */
typedef struct run_import_cache run_import_cache;
run_import_cache *run_import_cache_begin(store *s, const char *target);
void run_import_cache_row(const cx_response *r, void *ctx);
int run_import_cache_end(run_import_cache *c, store *s, int imported, long long inserted, long long straight,
                         char *note, size_t notelen);
/* nps.csv and nps_change.csv only, from group counts the store computes
 * (run/run_push.c); cx and agents stay NULL.  NULL on failure with ERR. */
stats_result *run_store_nps(store *s, const stats_opts *o, char *err, size_t errlen);
/* Adds what the store says about its data (status, sources, reasons of
 * rejected rows) to R's data quality.  0 ok, -1 with ERR. */
int run_store_quality(stats_result *r, store *s, char *err, size_t errlen);

/* The store's rejected rows (of SOURCE; NULL = all) into K.  0 ok, -1
 * with ERR. */
int run_store_rejects(store *s, const char *source, rejects_sink *k, char *err, size_t errlen);

/* From a responses CSV without a store, running the ANALYSES asked for.
 * Rejected rows are counted, the first ones kept as warnings, and written
 * to REJECTS (may be NULL) as source,where,reason,raw.  A regular file is
 * read by one thread per CPU in chunks split at record boundaries
 * (docs/performance.md); a pipe, or a single CPU, in one pass.  Both give
 * the same results and the same rejects in the same order.  SHOW (may
 * be NULL) hears how many rows were read, in a step named by PATH.  NULL
 * on failure with ERR. */
stats_result *run_csv(const char *path, const stats_opts *o, unsigned analyses, rejects_sink *rejects,
                      const cx_progress *show, char *err, size_t errlen);

#endif
