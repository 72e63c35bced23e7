/* store_sqlite_bulk_int.h — what the files of the SQLite bulk upsert
 * share: the bulk's state (one per connection, s->bulk) and the steps
 * each file owns.  store_sqlite_bulk.c: the bulk's life, its batches and
 * writer thread; store_sqlite_bulk_direct.c: loading straight into
 * responses; store_sqlite_bulk_drop.c: leaving unchanged rows of a
 * re-import out of the stage; store_sqlite_bulk_merge.c: the staged rows'
 * counts and merge at the end; store_sqlite_bulk_runs.c and
 * store_sqlite_bulk_sorted.c: shuffled ids into an empty store, sorted in
 * runs and merged; store_sqlite_bulk_head.c: a run row's packed head.
 * Not for use outside those files.
 */
#ifndef CX_STORE_SQLITE_BULK_INT_H
#define CX_STORE_SQLITE_BULK_INT_H

#include "core/dstream.h"
#include "core/store/store_sqlite_batch.h"
#include "core/store/store_sqlite_int.h"

#include <pthread.h>

#define SQ_BATCH_ROWS 8192
/* A sorted run's rows (store_sqlite_bulk_runs.c); once a bulk sorts in
 * runs, the reading thread hands over batches of this many rows, each
 * sorted and written as a run of its own by the writer thread. */
#define SQB_RUN_ROWS 32768
/* The rows of a run, SQB_RUN_ROWS unless a test sets fewer before a bulk
 * begins (store_sqlite_bulk_runs.c): many runs from a few rows, so that
 * the merge's heap is deep. */
extern size_t sqb_run_rows;
/* A batch is also handed over (a run also ends) once its texts take this
 * many bytes, whatever its rows: rows of long comments do not take a
 * batch's memory past a few MB (1M shuffled rows of 600-byte comments
 * imported with the cache off: 97 MB peak without it, 47 MB with it).
 * Rows like those of `gen-sample` (about 85 bytes of texts) never reach
 * it. */
#define SQ_BATCH_BYTES (3u << 19) /* 1.5 MiB */
#define SQB_RUN_BYTES (7u << 19)  /* 3.5 MiB */
/* 1 when BT holds ROWS rows or BYTES bytes of texts. */
static inline int sqb_full(const sq_batch *bt, size_t rows, size_t bytes)
{
    return bt->n >= rows || bt->used >= bytes;
}

enum { MODE_NONE, MODE_DIRECT, MODE_STAGE, MODE_RUNS };

/* A key kept across batches: source, NUL, response_id. */
typedef struct keybuf {
    char *k;
    size_t len, cap; /* len 0: none */
} keybuf;

typedef struct held_row {
    long long seq;
    char *id, *by;
} held_row;

typedef struct sq_bulk {
    int active, mode;
    int module;      /* cx_batch registered on this connection */
    sq_batch bat[2]; /* bat[fill] takes rows; the other may be with the writer */
    int fill;
    size_t batch_rows, batch_bytes; /* bat[fill] is handed over at these (reading thread's) */
    sq_batch *cur;                  /* the batch being written, shown by cx_batch; or NULL */
    /* The writer thread: it writes bat[!fill] while bat[fill] fills. */
    pthread_t th;
    int th_started, busy, quit, werr;
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
    /* MODE_RUNS (store_sqlite_bulk_runs.c): rows gathered for the next
     * run, the runs' temporary file, its size and each run's start */
    sq_batch run;
    int runs_open, run_fd;
    int run_ds_on; /* run_ds takes the runs' bytes, past the page cache */
    dstream run_ds;
    char run_path[40]; /* "/proc/self/fd/N": run_fd opened once more, O_DIRECT */
    char *run_io;
    long long run_at, *run_off;
    size_t n_runs, cap_runs;
    /* What every run's keys share (note_keys, store_sqlite_bulk_runs.c):
     * one source, and the first head_len bytes of their ids (head's) */
    int one_source; /* -1 no run yet */
    keybuf head;    /* the first run's first key */
    size_t head_len;
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
int sqb_key_keep(keybuf *kb, const char *src, size_t sl, const char *id, size_t il);

/* store_sqlite_bulk_drop.c */
int sqb_may_drop(sq_store *s);
int sqb_drop_batch(sq_store *s, long long *n);

/* store_sqlite_bulk_runs.c: turns a bulk loading straight into an empty
 * store (its current batch out of key order) to sorted runs; adds a
 * batch's rows to them; merges them by key, in file order for a key
 * twice, through PUT (0 or -1); frees them (and closes their file). */
int sqb_to_runs(sq_store *s);
int sqb_runs_add(sq_store *s, sq_batch *bt);
void sqb_runs_free(sq_bulk *b);
/* store_sqlite_bulk_runs.c: writes the last run and frees the gathering
 * buffers (0, -1); says a failure of the runs' file (-1). */
int sqb_runs_close(sq_store *s);
int sqb_runs_io_fail(sq_store *s, const char *what);
/* store_sqlite_bulk_sorted.c */
int sqb_runs_merge(sq_store *s, int (*put)(sq_store *s, const sq_brow *h, const char *const txt[SQB_NTEXT]));

#define RUN_IO (256 * 1024) /* the runs' write buffer, and the most a read buffer holds */
/* A row in a run file: its head, then its texts, SQB_NTEXT of them.  The
 * head is written packed (sqb_run_head_put: a byte of metric and flag,
 * then varints, the handle time's 8 bytes when there is one): about 30
 * bytes a row instead of this struct's 88, a quarter less file to write
 * and read back (store_sqlite_bulk_head.c). */
typedef struct run_rec {
    int64_t responded_at, updated_at, seq;
    double handle_time_s;
    int32_t month, score, metric;
    uint32_t has_handle_time;
    uint32_t len[SQB_NTEXT];
} run_rec;
/* The most bytes a packed head takes. */
#define RUN_HEAD_MAX (1 + 4 * 10 + 5 + 8 + SQB_NTEXT * 5)
/* H packed into OUT (RUN_HEAD_MAX bytes at least): the bytes written. */
size_t sqb_run_head_put(unsigned char *out, const run_rec *h);
/* The packed head at P (HAVE bytes) into H: the bytes it took, 0 when
 * HAVE does not hold it all, -1 when it is malformed. */
long sqb_run_head_get(const unsigned char *p, size_t have, run_rec *h);

/* store_sqlite_bulk_merge.c */
int sqb_stage_end(sq_store *s, int rc, store_bulk_counts *c);

#endif
