/* run_cache_feed.c — the analysis cache's blocks through a run, on two
 * threads, three when reading (run_cache_int.h feed_cache; docs/cache.md).
 *
 * A second thread produces blocks into slots: it reads them from the
 * cache (F_READ, here, three slots), or writes them from the store's scan
 * (F_BUILD) or from the old cache merged in key order with the store's
 * new rows (F_EXTEND, old blocks no new row falls among copied whole),
 * each block written parsed back from memory (cache_view):
 * run_cache_build.c, two slots.  When every --by dimension is a text
 * field of the response it also counts each block's NPS answers into a
 * part (stats/npspart.h), and when reading or extending (not building:
 * there the builder thread is the longer) also reads each NPS comment's
 * note (run_note.h), as run_par.c's chunk workers do.  The calling thread
 * merges the parts and feeds the rows, in order, to the analyses fed row
 * by row (run_par.c's split), then hands a read block to the verbatim
 * analysis's thread where it is; otherwise every row goes through
 * run_feed.
 */
#include "run/run_cache_feed.h"
#include "core/store/store_check.h"
#include "core/timeparse.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading: a reader thread, blocks handed over two at a time ---- */

/* The value of dimension D for row I of B, whose attributes start at AT:
 * a text column's, or the attribute's (f->attr[d]), or, when the row has
 * no such attribute, its customer's (f->cust), as run.c segments takes
 * it; empty when none. */
static csv_span text_of(const feeder *f, const cache_block *b, size_t d, size_t i, size_t at)
{
    if (f->attr[d]) {
        const char *v = run_cache_attr(b, f->cust, f->attr[d], i, at);
        csv_span s = {v ? v : "", v ? strlen(v) : 0};
        return s;
    }
    return span_at(&b->text[f->col[d] - CC_FIRST_TEXT], i);
}

int feed_count_slot(feeder *f, slot *s, char *why, size_t whylen)
{
    const cache_block *b = &s->b;
    nps_part_clear(s->part);
    s->responses = 0;
    memset(s->missing, 0, sizeof s->missing);
    for (size_t i = 0, at = 0; i < b->rows; at += b->row_attrs[i], i++) {
        if (b->metric[i] != CX_METRIC_NPS) continue;
        int64_t score = b->score[i];
        if (store_check_group(b->month[i], &score, why, whylen) != 0) return -1;
        csv_span seg[STATS_MAX_BY];
        for (size_t d = 0; d < f->n_by; d++) {
            seg[d] = text_of(f, b, d, i, at);
            s->missing[d] += seg[d].len == 0;
        }
        s->responses++;
        if (nps_part_add(s->part, b->month[i], b->score[i], seg) != 0) return -2;
    }
    return 0;
}

/* The reader thread: cache_next keeps CACHE_READ_KEPT (SLOTS) blocks of
 * buffers, so a block is read only once the one before it in that slot
 * was fed and read by the verbatim thread (vheld). */
static void *read_blocks(void *arg)
{
    feeder *f = arg;
    for (size_t k = 0;; k++) {
        slot *s = &f->s[k % SLOTS];
        pthread_mutex_lock(&f->mu);
        while ((s->state != 0 || s->vheld) && !f->stop) pthread_cond_wait(&f->cv, &f->mu);
        int stop = f->stop;
        pthread_mutex_unlock(&f->mu);
        if (stop) return NULL;
        char why[512];
        int rc = cache_next(f->in.r, CACHE_ALL_COLS, &s->b, why, sizeof why);
        if (rc > 0 && f->counts && (rc = feed_count_slot(f, s, why, sizeof why)) == 0) rc = 1;
        if (rc > 0 && f->reader && feed_notes_slot(f, s) != 0) rc = -2;
        pthread_mutex_lock(&f->mu);
        if (rc == -1) memcpy(f->why, why, sizeof why);
        s->state = rc > 0 ? 1 : rc == 0 ? 2 : rc == -1 ? 3 : 4;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
        if (rc <= 0) return NULL;
    }
}

/* The --by values of row I of B (f->counts), its attributes from AT on;
 * NULL when empty. */
static void segments(const feeder *f, const cache_block *b, size_t i, size_t at, const char **seg)
{
    for (size_t d = 0; d < f->n_by; d++) {
        csv_span v = text_of(f, b, d, i, at);
        seg[d] = v.len ? v.p : NULL;
    }
}

#define NOTE_ORIGIN 1 /* the reader thread's reader: verb_flag.toks_from */

/* On the verbatim thread: the NPS rows of the block in slot ARG, as
 * feed_row gives them to the analyses fed row by row, with their notes. */
static int verb_each(void *arg, verb_pipe_fn fn, void *ctx)
{
    const slot *s = arg;
    const cache_block *b = &s->b;
    const feeder *f = s->f;
    cx_response r;
    verb_flag note;
    const char *seg[STATS_MAX_BY];

    cx_response_clear(&r);
    for (size_t i = 0, at = 0; i < b->rows; at += b->row_attrs[i], i++) {
        if (b->metric[i] != CX_METRIC_NPS) continue;
        const cache_text *t = b->text;
#define TXT(c) cache_text_at(&t[(c)-CC_FIRST_TEXT], i)
        r.source = TXT(CC_SOURCE);
        r.response_id = TXT(CC_RESPONSE_ID);
        r.comment = TXT(CC_COMMENT);
        r.interaction_type = TXT(CC_INTERACTION_TYPE);
        r.channel = TXT(CC_CHANNEL);
#undef TXT
        segments(f, b, i, at, seg);
        r.responded_at = b->responded_at[i];
        r.score = b->score[i];
        r.metric = CX_METRIC_NPS;
        r.note = note_get(&s->notes, s->note[i], &note);
        if (r.note) note.toks_from = NOTE_ORIGIN;
        if (fn(ctx, &r, VERB_PIPE_NO_MONTH, seg) != 0) return -1;
    }
    return 0;
}

/* On the verbatim thread: the slot ARG may be read into again. */
static void verb_done(void *arg)
{
    slot *s = arg;
    feeder *f = s->f;
    pthread_mutex_lock(&f->mu);
    s->vheld = 0;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

/* Row I of block B (its attributes from AT on), already a response R,
 * into the run: with the NPS counts taken from the reader thread, as
 * run_par.c feeds a chunk's rows (the analyses fed row by row; the
 * verbatims offered the rows they may keep); else every analysis through
 * run_feed.  0, -1 OOM. */
static int feed_row(run_state *st, const feeder *f, const slot *s, size_t i, size_t at, cx_response *r,
                    int verbatims)
{
    const cache_block *b = &s->b;
    if (!f->counts) return run_feed(st, r);
    const char *seg[STATS_MAX_BY];
    segments(f, b, i, at, seg);
    if (r->metric != CX_METRIC_NPS) return run_feed_metric(st, r, seg);
    verb_flag note;
    if (f->reader) r->note = note_get(&s->notes, s->note[i], &note);
    if ((f->reader ? run_feed_rest_noted(st, r, seg) : run_feed_rest(st, r, seg)) != 0) return -1;
    if (verbatims && r->comment[0] && stats_month_in_scope(st->o->month, b->month[i]))
        return run_verbatim(st, r);
    return 0;
}

static void feeder_free(feeder *f)
{
    notes_file_close(f->nf, 0);
    for (size_t k = 0; k < SLOTS; k++) {
        nps_part_free(f->s[k].part);
        note_free(&f->s[k].notes);
    }
    verb_free(f->reader);
    free(f);
}

int feed_cache(run_state *st, feed_from *from, double total, const cx_progress *p, int *damaged, char *err,
               size_t errlen)
{
    const stats_opts *o = st->o;
    feeder *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "stats: out of memory");
        return -1;
    }
    f->in = *from;
    f->n_by = o->n_by;
    f->counts = 1;
    /* a dimension that is no text field: the response's attribute, or,
     * when it has none, its customer's (run.c segments; the customers
     * table only read meanwhile, on every thread) */
    f->cust = cust_table_count(st->own->cust) ? st->own->cust : NULL;
    run_cache_dims(o, f->col, f->attr);
    for (size_t k = 0; f->counts && k < SLOTS; k++)
        if (!(f->s[k].part = nps_part_new(o->n_by))) f->counts = -1;
    int verbatims = run_has(st, ANALYSIS_RECENT);
    char why[256];
    /* the notes on the second thread when it is the shorter: reading the
     * cache, or adding blocks in place (old blocks read as they are); an
     * extension that merges (old blocks copied or merged by code and
     * written) reads them on this thread as it takes each block; a
     * build's builder thread steps the store's scan, the longer, and
     * leaves them and the verbatims to this one */
    if (f->counts > 0 && f->in.mode != F_BUILD && st->reader) {
        if (!(f->reader = run_note_reader(st, why, sizeof why))) f->counts = -1;
        /* the notes an earlier run kept beside the cache it reads */
        char path[PATH_MAX];
        if (f->reader && f->in.r &&
            snprintf(path, sizeof path, "%s.notes", cache_file(f->in.r)) < (int)sizeof path)
            f->nf = notes_file_open(path, notes_key(o));
        /* the blocks' rows handed to the verbatim thread as they are (no
         * copy): their slots are waited for until that thread is done with
         * them (read_blocks, run_cache_build.c wait_free), so neither a
         * reader's buffer nor a writer's block is reused under it */
        f->vp = run_verb_pipe(st, &f->vacc);
    }
    f->o = o;
    for (size_t k = 0; k < SLOTS; k++) f->s[k].f = f;
    pthread_t tid;
    int started = f->counts >= 0;
    if (f->in.mode == F_BUILD)
        cache_defer_writes(f->in.w, CACHE_WRITER_KEPT); /* written below, off the builder thread */
    if (started) {
        pthread_mutex_init(&f->mu, NULL);
        pthread_cond_init(&f->cv, NULL);
        void *(*fn)(void *) = f->in.mode == F_READ     ? read_blocks
                              : f->in.mode == F_BUILD  ? feed_scan_blocks
                              : f->in.mode == F_APPEND ? feed_append_blocks
                                                       : feed_extend_blocks;
        if (pthread_create(&tid, NULL, fn, f) != 0) {
            pthread_cond_destroy(&f->cv);
            pthread_mutex_destroy(&f->mu);
            started = 0;
        }
    }
    if (!started) {
        feeder_free(f);
        snprintf(err, errlen, "stats: out of memory, or cannot start a thread");
        return -1;
    }
    cx_response resp;
    long long done = 0;
    int rc = 0;
    cx_progress_say(p, "reading the store", 0, total, "0 responses"); /* its cache: the user's words */
    for (size_t k = 0; rc == 0; k++) {
        slot *s = &f->s[k % SLOTS];
        pthread_mutex_lock(&f->mu);
        while (s->state == 0) pthread_cond_wait(&f->cv, &f->mu);
        int state = s->state;
        pthread_mutex_unlock(&f->mu);
        if (state == S_END) break;
        if (state != S_FULL) {
            if (state == S_OOM) snprintf(err, errlen, "stats: out of memory");
            else if (state == S_STORE) snprintf(err, errlen, "stats: %s", f->why);
            else snprintf(err, errlen, "%s", f->why);
            if (state == S_DAMAGED || state == S_WRITER)
                *damaged = f->in.mode != F_BUILD && state == S_DAMAGED ? 1 : 2;
            if (state == S_DISORDER) *damaged = 3;
            rc = -1;
            break;
        }
        if (f->reader && !notes_on_second(f) && feed_notes_slot(f, s) != 0) {
            snprintf(err, errlen, "stats: out of memory");
            rc = -1;
            break;
        }
        if (f->counts) {
            stats_result *res = st->out;
            if (nps_part_merge(run_nps_table(st), s->part) != 0) {
                snprintf(err, errlen, "stats: out of memory");
                rc = -1;
            }
            res->responses += s->responses;
            for (size_t d = 0; d < f->n_by; d++) res->missing_segment[d] += s->missing[d];
        }
        size_t cur[2] = {0, 0};
        st->skip = f->vp ? f->vacc : NULL; /* its rows go to the verbatim thread at once */
        for (size_t i = 0; i < s->b.rows && rc == 0; i++) {
            cx_response_clear(&resp);
            if (cache_row(&s->b, i, &resp, cur, err, errlen) != 0) {
                /* the store's rows were checked by its scan: a row of
                 * the old cache (read, or merged in by code) */
                *damaged = f->in.mode == F_BUILD ? 2 : 1;
                rc = -1;
            } else if (feed_row(st, f, s, i, cur[0] - s->b.row_attrs[i], &resp, verbatims) != 0) {
                snprintf(err, errlen, "stats: out of memory");
                rc = -1;
            }
        }
        st->skip = NULL;
        if (rc == 0 && f->vp) {
            pthread_mutex_lock(&f->mu);
            s->vheld = 1;
            pthread_mutex_unlock(&f->mu);
            if (verb_pipe_push_batch(f->vp, verb_each, verb_done, s) != 0) {
                snprintf(err, errlen, "stats: out of memory");
                rc = -1;
            }
        }
        /* a build's block into the file here: the builder thread, the
         * longer of the two, makes the next meanwhile */
        if (rc == 0 && f->in.mode == F_BUILD && cache_write_block(f->in.w, k, err, errlen) != 0) {
            *damaged = 2;
            rc = -1;
        }
        done += (long long)s->b.rows;
        if (p) {
            char count[48];
            snprintf(count, sizeof count, "%lld responses", done);
            cx_progress_say(p, "reading the store", (double)done, total, count);
        }
        pthread_mutex_lock(&f->mu);
        s->state = 0;
        pthread_cond_broadcast(&f->cv);
        pthread_mutex_unlock(&f->mu);
    }
    if (f->vp) verb_pipe_sync(f->vp); /* no batch reads a slot past here */
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(tid, NULL);
    from->added = f->in.added;
    from->replaced = f->in.replaced;
    from->notes_kept = f->notes_kept;
    from->notes_read = f->notes_read;
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    notes_file_close(f->nf, rc == 0); /* written anew when a comment was read */
    f->nf = NULL;
    feeder_free(f);
    return rc;
}
