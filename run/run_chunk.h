/* run_chunk.h — one chunk of a responses CSV read and checked by a worker
 * thread of `stats --input` (see docs/performance.md).
 *
 * A chunk is a nominal byte range [lo, hi) of the file.  Its worker reads
 * it with pread(2), starts at the first record boundary it can guess (just
 * after the first LF at or after lo; lo itself for the first chunk) and
 * scans records until the guessed start of the next chunk (just after the
 * first LF at or after hi).  It checks every record as resp_from_record
 * would, counts NPS into a table of its own, keeps rejects (with their raw
 * text) and, when asked, a compact row per response for the analyses that
 * must see responses in file order, its comment already read (the note:
 * language, charge, tokens) so that the thread feeding them in order does
 * not read it.  Whether the guessed start was a real
 * record boundary is only known once the chunk before is done: run_par.c
 * checks that, and reads with csv_read what no chunk could vouch for.
 *
 * Owner: run/run_chunk.c.  A chunk is reused job after job; it owns
 * every buffer in it.  Row strings point into the chunk's buffer.
 */
#ifndef CX_RUN_CHUNK_H
#define CX_RUN_CHUNK_H

#include <stdint.h>
#include "core/csvscan.h"
#include "core/respcsv.h"
#include "run/run_int.h"
#include "run/run_note.h"
#include "stats/npspart.h"

#define CHUNK_NO_TEXT UINT32_MAX /* a text field the file lacks */

/* What every worker reads: fixed before the threads start. */
typedef struct chunk_cfg {
    int fd;
    long long size; /* bytes in the file */
    const resp_header *h;
    const resp_dedup *dd; /* repeated ids (may be NULL): resp_dedup_class */
    run_dim dims[STATS_MAX_BY];
    size_t n_by;
    int moment_lo, moment_hi;
    int keep_rows;        /* fill rows for the in-order analyses */
    int keep_metric_rows; /* fill the csat and ces rows (for their tables) */
    int verbatims;        /* pick each chunk's verbatim candidates */
    int scope_month;      /* stats_opts.month: 0 = every month in scope */
    const stats_opts *o;  /* the run's options (the notes' window) */
    int notes;            /* read each kept NPS row's comment (the run's pre-step) */
    size_t n_text;        /* RT_ATTR0 + attributes */
    long text_col[RT_ATTR0 + CX_MAX_ATTRS];
} chunk_cfg;

typedef struct chunk_row {
    int64_t responded_at, updated_at;
    int month;
    double handle_time_s;
    uint32_t text;   /* first of its n_text entries in chunk.text */
    uint32_t moment; /* first of its moments in chunk.moments */
    uint32_t note;   /* its note in chunk.notes, NOTE_NONE none */
    uint8_t score, has_handle_time, n_moments, metric;
    uint8_t pend; /* CHUNK_PEND_*: a repeated id's row the merge settles */
} chunk_row;

enum { CHUNK_PEND_NONE, CHUNK_PEND_OPEN, CHUNK_PEND_KEPT, CHUNK_PEND_DROPPED };

/* A row whose fate rests on a row before the chunk's (resp_dedup.h): the
 * first row of KEY met here (WON or not), or a pending row (ROW). */
typedef struct chunk_dup {
    size_t key, row;
    int won;
} chunk_dup;

typedef struct chunk_rej {
    long line;               /* physical line, counted from the chunk's start */
    const char *field, *why; /* why NULL: junk after a closing quote in bad_field */
    size_t bad_field;
    size_t raw, raw_len; /* raw text in chunk.raw */
} chunk_rej;

typedef struct chunk {
    /* the job */
    long long lo, hi;
    int first;     /* starts exactly at lo */
    unsigned from; /* 1 + the worker's number: whose reader packed the notes'
                                       tokens (verb_flag.toks_from) */
    /* results: valid when ok */
    int ok;                     /* 0: left to csv_read (read error, a line too long, OOM) */
    long long start, stop, end; /* guessed start, guessed start of the next, scan end */
    long lines;                 /* physical lines in [start, end) */
    long long responses, missing[STATS_MAX_BY];
    nps_part *nps;
    chunk_row *rows;
    size_t n_rows, rows_cap;
    uint32_t *text; /* offsets in buf of NUL-terminated values */
    size_t n_tx, tx_cap;
    int *moments;
    size_t n_mom, mom_cap;
    chunk_rej *rej;
    size_t n_rej, rej_cap;
    chunk_dup *dfirst, *dpend; /* first rows of tracked keys, pending rows; in file order */
    size_t n_dfirst, dfirst_cap, n_dpend, dpend_cap;
    note_buf notes;            /* the rows' notes (chunk_note) */
    size_t verb[VERBATIM_MAX]; /* rows that may be verbatims, newest first */
    size_t n_verb;
    char *raw;
    size_t raw_len, raw_cap;
    char *buf; /* buf[0] is byte lo of the file */
    size_t buf_cap;
} chunk;

/* A worker's scratch space. */
typedef struct chunk_scratch {
    csv_span *f;
    size_t *esc;
    size_t cap; /* header columns + 1 */
    int moments[CX_MAX_MOMENTS];
    resp_cache cache;
    char *raw; /* a record's raw text before its quotes are undone */
    size_t raw_cap;
    verb_acc *reader; /* the notes' reader (chunk_cfg.notes) */
} chunk_scratch;

/* 0 ok, -1 OOM (then chunk_free / chunk_scratch_free still work);
 * chunk_scratch_init also -1 when the notes' reader cannot start (the
 * lexicons): one like the run NOTES's own (run_note_reader; NULL: no
 * notes). */
int chunk_init(chunk *c, size_t n_by, size_t buf_cap);
void chunk_free(chunk *c);
int chunk_scratch_init(chunk_scratch *w, size_t ncols, const run_state *notes);
void chunk_scratch_free(chunk_scratch *w);

/* Reads and scans C->lo..C->hi; sets C->ok and the results. */
void chunk_run(chunk *c, const chunk_cfg *cfg, chunk_scratch *w);

/* Row I's note (the run's pre-step, run.c), read by the worker: the
 * comment's language, charge and flag, and its tokens for the verbatim
 * analysis (verb_flag.toks, pointing into C).  NULL when it has none. */
const verb_flag *chunk_note(const chunk *c, size_t i, verb_flag *buf);

/* The text value at offset OFF of a row ("" for CHUNK_NO_TEXT). */
static inline const char *chunk_text(const chunk *c, uint32_t off)
{
    return off == CHUNK_NO_TEXT ? "" : c->buf + off;
}

#endif
