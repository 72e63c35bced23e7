/* store_sqlite_bulk_runs.c — a bulk of ids in random order into an empty
 * store, sorted outside SQLite (owned by the SQLite bulk upsert,
 * store_sqlite_bulk.c).
 *
 * Loading straight, a batch whose keys start below those loaded before
 * (ids in random order) turns a bulk into an empty store to runs instead
 * of staging: the rows loaded so far are taken back out of `responses`,
 * and every row goes, on the writer thread while the reading thread
 * parses the next batch, into runs of SQB_RUN_ROWS rows, each sorted by
 * key and written to a temporary file (in $TMPDIR, unlinked at once).
 * From then on the reading thread hands over batches of SQB_RUN_ROWS
 * rows, each sorted and written where it is: a batch copied into a run
 * of 65,536 rows left the writer idle for eight batches and then busy
 * sorting and writing while the reading thread, one batch ahead, waited
 * (1M rows: both threads about 60% busy while the file was read).  At the
 * end the runs are merged by key on the reading thread and handed to the
 * writer thread in batches, which it loads straight into `responses` in
 * key order, as an import in id order is: one pass over the rows and their
 * B-trees, no staged copy and no sort inside SQLite, and the table's rows
 * in key order for the analysis cache's scan.  A key given twice (or
 * more) is settled in the merge as row-by-row upserts would settle it,
 * and loaded once.
 * The merge is store_sqlite_bulk_sorted.c; the merged rows are also
 * shown, as responses in key order, to the store_on_sorted callback (the
 * analysis cache an import writes).
 */
#include "core/store/store_sqlite_bulk_int.h"
#include "core/afile.h"
#include "core/dio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sqb_runs_io_fail(sq_store *s, const char *what)
{
    snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: %s the temporary file of sorted runs: %s",
             what, strerror(errno ? errno : EIO));
    return -1;
}

/* N bytes of P at the end of the runs' file (b->run_at): past the page
 * cache while it can (a new page-cache page costs more of the kernel's
 * time than the disk's write of it: docs/performance.md, "Eleventh
 * round").  0, or -1 with errno. */
static int run_put(sq_bulk *b, const void *p, size_t n)
{
    if (b->run_ds_on) return dstream_put(&b->run_ds, p, n, b->run_at);
    return file_pwrite_all(b->run_fd, p, n, b->run_at);
}

/* What sorted run R shares with the runs before it, into b->one_source
 * and b->head_len: one source, and the head of the ids (R's own, from its
 * sort, cut to what its first id shares with the first run's first id).
 * 0, or -1 out of memory. */
static int note_keys(sq_bulk *b, const sq_batch *r)
{
    const sq_brow *f = &r->row[r->order[0]];
    const char *src = sq_brow_text(r, f, SQB_SOURCE), *id = sq_brow_text(r, f, SQB_ID);
    size_t sl = f->len[SQB_SOURCE], il = f->len[SQB_ID];
    if (b->one_source < 0) { /* the first run: its first key is the head to share */
        if (sqb_key_keep(&b->head, src, sl, id, il) != 0) return -1;
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
static int write_run(sq_store *s, sq_batch *r)
{
    sq_bulk *b = s->bulk;
    if (r->n == 0) return 0;
    if (sq_batch_sort(r) < 0) return sqb_oom(s);
    if (!b->run_io && !(b->run_io = malloc(RUN_IO))) return sqb_oom(s);
    if (b->n_runs + 2 > b->cap_runs) {
        size_t cap = b->cap_runs ? b->cap_runs * 2 : 64;
        long long *o = realloc(b->run_off, cap * sizeof *o);
        if (!o) return sqb_oom(s);
        b->run_off = o;
        b->cap_runs = cap;
    }
    b->run_off[b->n_runs] = b->run_at;
    if (note_keys(b, r) != 0) return sqb_oom(s);
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
        size_t nh = sqb_run_head_put(head, &h), need = nh;
        for (int t = 0; t < SQB_NTEXT; t++) need += w->len[t];
        /* a row past the buffer goes alone, unbuffered */
        if (k + need > RUN_IO || need > RUN_IO) {
            if (run_put(b, b->run_io, k) != 0) return sqb_runs_io_fail(s, "writing");
            b->run_at += (long long)k;
            k = 0;
        }
        if (need > RUN_IO) {
            if (run_put(b, head, nh) != 0) return sqb_runs_io_fail(s, "writing");
            b->run_at += (long long)nh;
            for (int t = 0; t < SQB_NTEXT; t++) {
                if (run_put(b, sq_brow_text(r, w, t), w->len[t]) != 0) return sqb_runs_io_fail(s, "writing");
                b->run_at += w->len[t];
            }
            continue;
        }
        memcpy(b->run_io + k, head, nh);
        k += nh;
        for (int t = 0; t < SQB_NTEXT; t++) {
            memcpy(b->run_io + k, sq_brow_text(r, w, t), w->len[t]);
            k += w->len[t];
        }
    }
    if (run_put(b, b->run_io, k) != 0) return sqb_runs_io_fail(s, "writing");
    b->run_at += (long long)k;
    b->n_runs++;
    b->run_off[b->n_runs] = b->run_at;
    return 0;
}

size_t sqb_run_rows = SQB_RUN_ROWS;

/* The rows gathered in b->run written as a run.  0, or -1. */
static int write_gathered(sq_store *s)
{
    sq_batch *r = &s->bulk->run;
    int rc = write_run(s, r);
    sq_batch_reset(r);
    return rc;
}

int sqb_runs_add(sq_store *s, sq_batch *bt)
{
    sq_bulk *b = s->bulk;
    /* a run's worth: sorted and written where it is, after the rows
     * gathered before it (the rows taken back, the batch that turned) */
    if (sqb_full(bt, sqb_run_rows, SQB_RUN_BYTES)) return write_gathered(s) == 0 ? write_run(s, bt) : -1;
    for (size_t i = 0; i < bt->n; i++) {
        const sq_brow *w = &bt->row[i];
        const char *txt[SQB_NTEXT];
        for (int t = 0; t < SQB_NTEXT; t++) txt[t] = sq_brow_text(bt, w, t);
        if (sq_batch_add_raw(&b->run, w, txt) != 0) return sqb_oom(s);
        if (sqb_full(&b->run, sqb_run_rows, SQB_RUN_BYTES) && write_gathered(s) != 0) return -1;
    }
    return 0;
}

static const char loaded_sql[] =
    "SELECT " SQ_RESPONSE_COLS " FROM responses WHERE source = ?1 ORDER BY rowid";
static const char unload_sql[] = "DELETE FROM responses WHERE source = ?1";

/* The rows loaded straight so far (every one the bulk's: the store was
 * empty) back out of responses into the runs, numbered 1.. in key order
 * (they are the bulk's first rows, each key once: their order among
 * themselves does not matter).  0, or -1. */
static int take_back(sq_store *s)
{
    sq_bulk *b = s->bulk;
    sqlite3_stmt *q = NULL, *del = NULL;
    int ret = 0;
    if (sqlite3_prepare_v2(s->db, loaded_sql, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, unload_sql, -1, &del, NULL) != SQLITE_OK)
        ret = sq_fail(s, "bulk upsert");
    long long seq = 0;
    for (int i = 0; ret == 0 && i < s->bulk_src.n; i++) {
        sqlite3_bind_text(q, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
        int rc;
        while (ret == 0 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
            static const int col[SQB_NTEXT] = {0, 1, 6, 7, 8, 9, 10, 11, 13, 14};
            const char *txt[SQB_NTEXT];
            sq_brow h;
            memset(&h, 0, sizeof h);
            for (int t = 0; t < SQB_NTEXT; t++) {
                txt[t] = col_text(q, col[t]);
                h.len[t] = (uint32_t)sqlite3_column_bytes(q, col[t]);
            }
            h.responded_at = sqlite3_column_int64(q, 2);
            h.updated_at = sqlite3_column_int64(q, 3);
            h.month = sqlite3_column_int(q, 4);
            h.score = sqlite3_column_int(q, 5);
            h.has_handle_time = sqlite3_column_type(q, 12) != SQLITE_NULL;
            h.handle_time_s = h.has_handle_time ? sqlite3_column_double(q, 12) : 0;
            h.metric = cx_metric_from_code(col_text(q, 15));
            h.seq = ++seq;
            if (h.metric < 0) {
                snprintf(s->base.err, sizeof s->base.err,
                         "store: bulk upsert: a loaded row's metric is unknown");
                ret = -1;
            } else if (sq_batch_add_raw(&b->run, &h, txt) != 0) {
                ret = sqb_oom(s);
            } else if (sqb_full(&b->run, sqb_run_rows, SQB_RUN_BYTES)) {
                ret = write_gathered(s);
            }
        }
        if (ret == 0 && rc != SQLITE_DONE) ret = sq_fail(s, "bulk upsert");
        sqlite3_reset(q);
        sqlite3_bind_text(del, 1, s->bulk_src.name[i], -1, SQLITE_STATIC);
        int was = s->gen_dirty;
        if (ret == 0 && sqb_step(s, del, 0) != 0) ret = -1;
        sq_gen_own_delete(s, was); /* the bulk's own rows: no rewrite */
        sqlite3_reset(del);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(del);
    if (ret == 0 && seq != b->direct) {
        snprintf(s->base.err, sizeof s->base.err,
                 "store: bulk upsert: %lld rows loaded, %lld found again to sort", b->direct, seq);
        ret = -1;
    }
    return ret;
}

int sqb_to_runs(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if ((b->run_fd = temp_file("sort", NULL)) < 0) return sqb_runs_io_fail(s, "creating");
    b->runs_open = 1;
    b->run_at = 0;
    snprintf(b->run_path, sizeof b->run_path, "/proc/self/fd/%d", b->run_fd);
    b->run_ds_on = dstream_open(&b->run_ds, b->run_fd, b->run_path, 0) == 0; /* else plain writes */
    b->n_runs = 0;
    if (b->direct > 0 && take_back(s) != 0) return -1;
    b->direct = 0;
    b->last.len = 0;
    b->mode = MODE_RUNS;
    return sqb_runs_add(s, b->cur);
}

int sqb_runs_close(sq_store *s)
{
    sq_bulk *b = s->bulk;
    if (write_gathered(s) != 0) return -1;
    if (b->run_ds_on) { /* every byte in the file before the merge reads it */
        b->run_ds_on = 0;
        if (dstream_finish(&b->run_ds) != 0) return sqb_runs_io_fail(s, "writing");
    }
    free(b->run_io);
    b->run_io = NULL;
    sq_batch_free(&b->run);
    /* the reading thread's batches of a run each, empty now (the bulk
     * flushed, its writer idle): the merge fills SQ_BATCH_ROWS at a time */
    sq_batch_free(&b->bat[0]);
    sq_batch_free(&b->bat[1]);
    return 0;
}

void sqb_runs_free(sq_bulk *b)
{
    free(b->head.k);
    memset(&b->head, 0, sizeof b->head);
    b->one_source = -1;
    b->head_len = 0;
    if (b->run_ds_on) dstream_close(&b->run_ds);
    b->run_ds_on = 0;
    if (b->runs_open) close(b->run_fd);
    b->runs_open = 0;
    free(b->run_io);
    b->run_io = NULL;
    free(b->run_off);
    b->run_off = NULL;
    b->n_runs = b->cap_runs = 0;
    b->run_at = 0;
    sq_batch_free(&b->run);
}
