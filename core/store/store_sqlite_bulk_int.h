/* store_sqlite_bulk_int.h — what the files of the SQLite bulk upsert
 * share: the bulk's state (one per connection, s->bulk) and the steps
 * each file owns.  store_sqlite_bulk.c: the bulk's life, its batches and
 * writer thread; store_sqlite_bulk_direct.c: loading straight into
 * responses; store_sqlite_bulk_drop.c: leaving unchanged rows of a
 * re-import out of the stage; store_sqlite_bulk_merge.c: the staged rows'
 * counts and merge at the end; store_sqlite_bulk_runs.c:
 * shuffled ids into an empty store, sorted in
 * runs (core/store/resp_runs.h) and merged.
 * Not for use outside those files.
 */
#ifndef CX_STORE_SQLITE_BULK_INT_H
#define CX_STORE_SQLITE_BULK_INT_H

#include "core/store/resp_runs.h"
#include "core/store/store_sqlite_batch.h"
#include "core/store/store_sqlite_int.h"

#include <pthread.h>

#define SQ_BATCH_ROWS 8192
/* While the runs merge, a batch is handed over at this many rows: up to
 * five batches are out then (SQ_BATCHES), in the memory of three of
 * SQ_BATCH_ROWS (10M shuffled rows: 65.3 MB at the peak with five of
 * 8192 rows, 57 MB with five of 4096; docs/performance.md,
 * "Twenty-eighth round"). */
#define SQ_MERGE_ROWS 4096
#define SQ_MERGE_BYTES (1u << 20) /* and at 1 MiB of texts (long comments) */
/* A batch is also handed over (a run also ends) once its texts take this
 * many bytes, whatever its rows: rows of long comments do not take a
 * batch's memory past a few MB (1M shuffled rows of 600-byte comments
 * imported with the cache off: 97 MB peak without it, 47 MB with it).
 * Rows like those of `gen-sample` (about 85 bytes of texts) never reach
 * it. */
#define SQ_BATCH_BYTES (3u << 19) /* 1.5 MiB */

/* The batches: one filling, up to four with the writer thread (while the
 * runs merge: store_sqlite_bulk.c hand_over). */
#define SQ_BATCHES 5

enum { MODE_NONE, MODE_DIRECT, MODE_STAGE, MODE_RUNS };

typedef struct held_row {
    long long seq;
    char *id, *by;
} held_row;

typedef struct sq_bulk {
    int active, mode;
    int module; /* cx_batch registered on this connection */
    /* bat[fill] takes rows while the writer thread writes those handed
     * over: one at a time (the reading thread waits for the writer before
     * it hands over another, and may then read the writer's mode), up to
     * SQ_BATCHES - 1 while the runs are merged (store_sqlite_bulk.c
     * hand_over) */
    sq_batch bat[SQ_BATCHES];
    int fill;
    size_t batch_rows, batch_bytes; /* bat[fill] is handed over at these (reading thread's) */
    sq_batch *cur;                  /* the batch being written, shown by cx_batch; or NULL */
    /* The writer thread: it writes bat[q[qh]], then the next of the
     * QUEUED handed over, in order. */
    pthread_t th;
    int q[SQ_BATCHES], qh, queued;
    int th_started, quit, werr;
    int flush;        /* a first load: its writeback started as it goes (sq_flush_fd) */
    long long handed; /* batches handed to the writer thread */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long long seq;    /* rows added */
    long long direct; /* rows loaded straight into responses */
    int empty;        /* the store held no response when the bulk began loading straight */
    int check_held;   /* stored rows of other sources to check against */
    keybuf last;      /* the greatest key loaded straight */
    keybuf prev;      /* the last key added, while every key came greater than the one before */
    int ascending;    /* 1 while they do (no key twice, staged rows in key order) */
    /* Staging a source the store has, keys ascending: rows equal to or
     * older than their stored row are counted, their keys kept in
     * temp.cx_dropped, and not staged (re-importing an unchanged export). */
    int drop_ok; /* -1 not decided yet */
    long long drop_older, drop_equal;
    sqlite3_stmt *classify_q, *drop_q, *range_q;
    held_row *held; /* rows set aside while loading straight */
    size_t n_held, cap_held;
    sqlite3_stmt *ins_direct, *ins_stage, *held_q;
    resp_runs runs;                      /* MODE_RUNS (store_sqlite_bulk_runs.c): the sorted runs */
    long long dup_replaced, dup_ignored; /* the merge's later rows of a key: replacing, ignored */
    int merging;                         /* the runs are being merged */
    long long late; /* rows staged while loading straight (sqb_flush_direct): a key again, or below */
} sq_bulk;

/* A batch's rows (those cx_batch shows) into the staging table. */
#define SQB_STAGE_BATCH_SQL \
    "INSERT INTO temp.cx_stage (seq, " SQ_RESPONSE_COLS ") SELECT seq, " SQ_RESPONSE_COLS " FROM cx_batch"

/* store_sqlite_bulk.c.  "store: out of memory": -1. */
int sqb_oom(sq_store *s);
/* Prepares SQL into *ST once (persistent): 0, -1. */
int sqb_prepare(sq_store *s, sqlite3_stmt **st, const char *sql);
/* Steps ST to its end over the current batch: 0, 1 on a PRIMARY KEY or
 * UNIQUE constraint when DUP_OK (the statement undone), -1. */
int sqb_step(sq_store *s, sqlite3_stmt *st, int dup_ok);
/* Forgets the set-aside rows numbered FROM_SEQ and after. */
void sqb_held_pop(sq_bulk *b, long long from_seq);

/* store_sqlite_bulk_direct.c */
int sqb_direct_start(sq_store *s);
int sqb_sources_old(sq_store *s);
void sqb_note_ascending(sq_bulk *b, const sq_batch *bt);
int sqb_flush_direct(sq_store *s);
int sqb_to_stage(sq_store *s);
int sqb_sources_are_new(sq_store *s);
/* The key SRC (SL bytes), ID (IL bytes) into KB: 0, or -1 out of memory
 * (KB then empty). */

/* store_sqlite_bulk_drop.c */
int sqb_may_drop(sq_store *s);
int sqb_drop_batch(sq_store *s, long long *n);

/* store_sqlite_bulk_runs.c: turns a bulk loading straight into an empty
 * store (its current batch out of key order) to sorted runs (0, -1); adds
 * a batch's rows to them (0, -1); merges them by key, each key's winner
 * through PUT into responses (0, -1); frees them. */
int sqb_to_runs(sq_store *s);
int sqb_runs_add(sq_store *s, sq_batch *bt);
int sqb_runs_merge(sq_store *s, resp_runs_put put);
void sqb_runs_free(sq_bulk *b);

/* store_sqlite_bulk_merge.c */
int sqb_stage_end(sq_store *s, int rc, store_bulk_counts *c);

#endif
