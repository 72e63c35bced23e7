/* resp_runs.h — responses sorted by key outside the store: gathered in
 * memory, each run of them sorted by (source, response_id) as both stores
 * order keys (bytes, a text before a longer one it begins) and written to
 * a temporary file (in $TMPDIR, unlinked at once, past the page cache),
 * then merged by key, a key given twice settled as row-by-row upserts
 * into an empty store settle it.  Memory stays a run's rows and the
 * merge's buffers (16 MB in all), whatever the rows.
 *
 * The SQLite bulk upsert sorts a bulk of ids in random order with it
 * (store_sqlite_bulk_runs.c) and loads the merged rows straight; an
 * import into PostgreSQL, whose server merges rows without sorting them
 * for the client, sorts its rows with it for the analysis cache it
 * writes (run/run_cache_sort.c).
 *
 * Owner: core/store/resp_runs.c (the runs written), resp_runs_merge.c
 * (merged), resp_runs_head.c (a row's packed head in the file).  One
 * resp_runs per thread at a time; no global state but resp_run_rows.
 */
#ifndef CX_RESP_RUNS_H
#define CX_RESP_RUNS_H

#include "core/dstream.h"
#include "core/store/keybuf.h"
#include "core/store/store.h"
#include "core/store/store_sqlite_batch.h"

#include <stdint.h>

/* A run's rows, unless a test sets fewer before the runs open: many runs
 * from a few rows, so that the merge's heap is deep. */
#define RESP_RUN_ROWS 32768
extern size_t resp_run_rows;
/* A run also ends once its texts take this many bytes, whatever its rows:
 * rows of long comments do not take a run's memory past a few MB. */
#define RESP_RUN_BYTES (7u << 19) /* 3.5 MiB */
/* 1 when BT holds ROWS rows or BYTES bytes of texts. */
static inline int sqb_full(const sq_batch *bt, size_t rows, size_t bytes)
{
    return bt->n >= rows || bt->used >= bytes;
}

typedef struct resp_runs {
    sq_batch run; /* rows gathered for the next run */
    int open, fd;
    int ds_on; /* ds takes the runs' bytes, past the page cache */
    dstream ds;
    char path[40];      /* "/proc/self/fd/N": fd opened once more, O_DIRECT */
    char *io;           /* the write buffer */
    long long at, *off; /* the file's end; each run's start */
    size_t n, cap;
    /* What every run's keys share (note_keys): one source, and the first
     * head_len bytes of their ids (head's) */
    int one_source; /* -1 no run yet */
    keybuf head;    /* the first run's first key */
    size_t head_len;
    long long dup_replaced, dup_ignored; /* the merge's later rows of a key: replacing, ignored */
    char err[512];                       /* the last failure of these functions ("" when it was PUT's) */
} resp_runs;

/* R made ready, its temporary file created.  0, or -1 (r->err; R then
 * holds nothing to free but is safe to free). */
int resp_runs_open(resp_runs *r);
/* The rows of BT added: when BT holds a run's worth it is sorted and
 * written where it is (its order set; the caller resets it), else its
 * rows are copied into the run gathering.  0, or -1. */
int resp_runs_add(resp_runs *r, sq_batch *bt);
/* One row (H's numbers, TXT's texts) added to the run gathering.  0, or
 * -1. */
int resp_runs_add_raw(resp_runs *r, const sq_brow *h, const char *const txt[SQB_NTEXT]);
/* The runs merged by key, then file order (seq): each key's winner — the
 * first row, replaced by a later one whose updated_at is at least the
 * greatest before it — goes once to PUT when given (its head and texts,
 * NUL after each; nonzero stops the merge and is returned) and, when TELL is given
 * and has not stopped, to TELL as a response, as a store's scan would
 * read it back (TELL is first called with NULL: the rows start; nonzero
 * from TELL stops only TELL).  Counts in r->dup_replaced, dup_ignored.
 * 0, or -1. */
typedef int (*resp_runs_put)(void *ctx, const sq_brow *h, const char *const txt[SQB_NTEXT]);
int resp_runs_merge(resp_runs *r, resp_runs_put put, void *put_ctx, store_response_cb tell, void *tell_ctx);
/* R's memory and file freed; R as new (safe twice, or on a zeroed R). */
void resp_runs_free(resp_runs *r);
/* resp_runs.c, for resp_runs_merge.c: a failure of the runs' file, or
 * out of memory, into r->err (-1); the last run written, the gathering's
 * memory freed and every byte in the file (0, -1). */
int resp_runs_io_fail(resp_runs *r, const char *what);
int resp_runs_oom(resp_runs *r);
int resp_runs_close(resp_runs *r);

/* A row in a run file: its head, then its texts, SQB_NTEXT of them, each
 * followed by a NUL (so the merge shows them where they lie).  The
 * head is written packed (resp_run_head_put: a byte of metric and flag,
 * then varints, the handle time's 8 bytes when there is one): about 30
 * bytes a row instead of this struct's 88, a quarter less file to write
 * and read back (resp_runs_head.c). */
typedef struct run_rec {
    int64_t responded_at, updated_at, seq;
    double handle_time_s;
    int32_t month, score, metric;
    uint32_t has_handle_time;
    uint32_t len[SQB_NTEXT];
} run_rec;
#define RUN_IO (256 * 1024) /* the runs' write buffer, and the most a read buffer holds */
/* The most bytes a packed head takes. */
#define RUN_HEAD_MAX (1 + 4 * 10 + 5 + 8 + SQB_NTEXT * 5)
/* H packed into OUT (RUN_HEAD_MAX bytes at least): the bytes written. */
size_t resp_run_head_put(unsigned char *out, const run_rec *h);
/* The packed head at P (HAVE bytes) into H: the bytes it took, 0 when
 * HAVE does not hold it all, -1 when it is malformed. */
long resp_run_head_get(const unsigned char *p, size_t have, run_rec *h);

#endif
