/* resp_runs.c — responses gathered and written as sorted runs to a
 * temporary file (core/store/resp_runs.h; merged by resp_runs_merge.c).
 *
 * Each run is sorted in memory (sq_batch_sort, the stores' byte order of
 * keys) and written row by row in key order, a packed head
 * (resp_runs_head.c) and the texts, each with its NUL as the batch holds
 * them, through a buffer of RUN_IO bytes, past the page cache while the
 * file system allows.  A batch of a run's worth is sorted
 * and written where it is: a batch copied into a run of 65,536 rows left
 * the SQLite bulk's writer idle for eight batches and then busy sorting
 * and writing while its reading thread, one batch ahead, waited (1M rows:
 * both threads about 60% busy while the file was read).  What every run's
 * keys share (one source, the head of their ids) is noted for the merge,
 * which then orders most rows by 8 bytes of their ids.
 */
#include "core/store/resp_runs.h"
#include "core/afile.h"
#include "core/dio.h"
#include "core/grow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t resp_run_rows = RESP_RUN_ROWS;

int resp_runs_oom(resp_runs *b)
{
    snprintf(b->err, sizeof b->err, "store: out of memory");
    return -1;
}

int resp_runs_io_fail(resp_runs *b, const char *what)
{
    snprintf(b->err, sizeof b->err, "store: bulk upsert: %s the temporary file of sorted runs in %s: %s",
             what, temp_dir(), strerror(errno ? errno : EIO));
    return -1;
}

/* N bytes of P at the end of the runs' file (b->at): past the page
 * cache while it can (a new page-cache page costs more of the kernel's
 * time than the disk's write of it: docs/performance.md, "Eleventh
 * round").  0, or -1 with errno. */
static int run_put(resp_runs *b, const void *p, size_t n)
{
    if (b->ds_on) return dstream_put(&b->ds, p, n, b->at);
    return file_pwrite_all(b->fd, p, n, b->at);
}

/* What sorted run R shares with the runs before it, into b->one_source
 * and b->head_len: one source, and the head of the ids (R's own, from its
 * sort, cut to what its first id shares with the first run's first id).
 * 0, or -1 out of memory. */
static int note_keys(resp_runs *b, const sq_batch *r)
{
    const sq_brow *f = &r->row[r->order[0]];
    const char *src = sq_brow_text(r, f, SQB_SOURCE), *id = sq_brow_text(r, f, SQB_ID);
    size_t sl = f->len[SQB_SOURCE], il = f->len[SQB_ID];
    if (b->one_source < 0) { /* the first run: its first key is the head to share */
        if (keybuf_set(&b->head, src, sl, id, il) != 0) return -1;
        b->one_source = 1;
        b->head_len = il;
    }
    size_t hs = strlen(b->head.k), hl = b->head.len - hs - 1, c = 0; /* a source holds no NUL byte */
    const char *hid = b->head.k + hs + 1;
    if (r->head == (size_t)-1 || sl != hs || memcmp(src, b->head.k, hs) != 0) b->one_source = 0;
    while (c < hl && c < il && hid[c] == id[c]) c++;
    if (c < b->head_len) b->head_len = c;
    if (r->head < b->head_len) b->head_len = r->head; /* (size_t)-1: several sources, above */
    return 0;
}

/* Writes the rows of R as one run, sorted by key (R's order set; its
 * rows left for the caller to reset).  0, or -1. */
static int write_run(resp_runs *b, sq_batch *r)
{
    if (r->n == 0) return 0;
    if (sq_batch_sort(r) < 0) return resp_runs_oom(b);
    if (!b->io && !(b->io = malloc(RUN_IO))) return resp_runs_oom(b);
    if (b->n + 2 > b->cap) {
        long long *o = grow_array(b->off, &b->cap, b->n + 2, sizeof *o, 64, 0, 0);
        if (!o) return resp_runs_oom(b);
        b->off = o;
    }
    b->off[b->n] = b->at;
    if (note_keys(b, r) != 0) return resp_runs_oom(b);
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++) {
        const sq_brow *w = &r->row[r->order[i]];
        /* the rows are gathered in key order, so each one is a random
         * place in the batch (32,768 rows, 3-4 MB): asked for a few rows
         * ahead (a prefetch never faults), 10M shuffled rows took 1.5 s
         * less CPU (23.3-23.7 s against 24.8-25.9 s, three pairs) */
        if (i + 8 < r->n) __builtin_prefetch(&r->row[r->order[i + 8]]);
        if (i + 4 < r->n) {
            const sq_brow *a = &r->row[r->order[i + 4]];
            __builtin_prefetch(r->arena + a->off[0]);
            __builtin_prefetch(r->arena + a->off[0] + 64);
        }
        run_rec h = {w->responded_at, w->updated_at,      w->seq, w->handle_time_s, w->month, w->score,
                     w->metric,       w->has_handle_time, {0}};
        unsigned char head[RUN_HEAD_MAX];
        for (int t = 0; t < SQB_NTEXT; t++) h.len[t] = w->len[t];
        size_t nh = resp_run_head_put(head, &h), block = sq_brow_block(w), need = nh + block;
        /* a row past the buffer goes alone, unbuffered */
        if (k + need > RUN_IO || need > RUN_IO) {
            if (run_put(b, b->io, k) != 0) return resp_runs_io_fail(b, "writing");
            b->at += (long long)k;
            k = 0;
        }
        if (need > RUN_IO) {
            if (run_put(b, head, nh) != 0) return resp_runs_io_fail(b, "writing");
            b->at += (long long)nh;
            if (run_put(b, sq_brow_text(r, w, 0), block) != 0) return resp_runs_io_fail(b, "writing");
            b->at += (long long)block;
            continue;
        }
        memcpy(b->io + k, head, nh);
        k += nh;
        memcpy(b->io + k, sq_brow_text(r, w, 0), block);
        k += block;
    }
    if (run_put(b, b->io, k) != 0) return resp_runs_io_fail(b, "writing");
    b->at += (long long)k;
    b->n++;
    b->off[b->n] = b->at;
    return 0;
}

/* The rows gathered in b->run written as a run.  0, or -1. */
static int write_gathered(resp_runs *b)
{
    int rc = write_run(b, &b->run);
    sq_batch_reset(&b->run);
    return rc;
}

int resp_runs_add_raw(resp_runs *b, const sq_brow *h, const char *const txt[SQB_NTEXT])
{
    if (sq_batch_add_raw(&b->run, h, txt) != 0) return resp_runs_oom(b);
    return sqb_full(&b->run, resp_run_rows, RESP_RUN_BYTES) ? write_gathered(b) : 0;
}

int resp_runs_add(resp_runs *b, sq_batch *bt)
{
    /* a run's worth: sorted and written where it is, after the rows
     * gathered before it */
    if (sqb_full(bt, resp_run_rows, RESP_RUN_BYTES)) return write_gathered(b) == 0 ? write_run(b, bt) : -1;
    for (size_t i = 0; i < bt->n; i++) {
        const sq_brow *w = &bt->row[i];
        const char *txt[SQB_NTEXT];
        for (int t = 0; t < SQB_NTEXT; t++) txt[t] = sq_brow_text(bt, w, t);
        if (resp_runs_add_raw(b, w, txt) != 0) return -1;
    }
    return 0;
}

int resp_runs_open(resp_runs *b)
{
    resp_runs_free(b);
    if ((b->fd = temp_file("sort", NULL)) < 0) {
        snprintf(b->err, sizeof b->err,
                 "store: bulk upsert: creating the temporary file of sorted runs in %s: %s", temp_dir(),
                 strerror(errno ? errno : EIO));
        return -1;
    }
    b->open = 1;
    snprintf(b->path, sizeof b->path, "/proc/self/fd/%d", b->fd);
    b->ds_on = dstream_open(&b->ds, b->fd, b->path, 0) == 0; /* else plain writes */
    return 0;
}

/* resp_runs_merge.c: the last run written and the gathering's memory
 * freed, every byte in the file.  0, or -1. */
int resp_runs_close(resp_runs *b)
{
    if (write_gathered(b) != 0) return -1;
    if (b->ds_on) {
        b->ds_on = 0;
        if (dstream_finish(&b->ds) != 0) return resp_runs_io_fail(b, "writing");
    }
    free(b->io);
    b->io = NULL;
    sq_batch_free(&b->run);
    return 0;
}

void resp_runs_free(resp_runs *b)
{
    free(b->head.k);
    memset(&b->head, 0, sizeof b->head);
    if (b->ds_on) dstream_close(&b->ds);
    if (b->open) close(b->fd);
    free(b->io);
    free(b->off);
    sq_batch_free(&b->run);
    memset(b, 0, sizeof *b);
    b->one_source = -1;
    b->fd = -1;
}
