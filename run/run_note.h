/* run_note.h — the run's pre-step (each comment of an NPS response read
 * once for its language, charge and flag, and its tokens for the verbatim
 * thread: cx_response.note) and where it may run.  The feeding thread
 * reads it itself (run.c), or another thread reads the comments of the
 * rows it hands over and packs each note into a buffer the feeding thread
 * takes them from: a chunk worker of `stats --input` (run_chunk.c), the
 * analysis cache's reader thread (run_cache_feed.c).  Every reader is
 * made alike, so the notes are the same whoever reads them.
 * Owner: run/run_note.c. */
#ifndef CX_RUN_NOTE_H
#define CX_RUN_NOTE_H

#include <stddef.h>
#include <stdint.h>
#include "stats/stats.h"
#include "stats/text/verbatims.h"

#define NOTE_NONE UINT32_MAX /* a row whose comment was not read */

/* 1 when a comment of MONTH is read: an analysis may use it (the month is
 * in the trailing window, or is the month before --month, which the
 * verbatims compare with). */
static inline int note_wanted(const stats_opts *o, int month)
{
    return stats_in_window(o, month) || month == o->month - 1;
}

/* A reader of comments for the run's options O; PACK_TOKENS: the notes
 * carry the comments' tokens (for the verbatim thread).  NULL when it
 * cannot start (the lexicons; why in ERR). */
verb_acc *note_reader(const stats_opts *o, int pack_tokens, char *err, size_t errlen);

/* Notes packed one after another. */
typedef struct note_buf {
    char *b;
    size_t len, cap;
} note_buf;

/* The pre-step with READER on a response of MONTH whose comment is
 * COMMENT and interaction type ITYPE: its note appended to NB and its
 * offset in *AT, or NOTE_NONE when it is not read (an empty comment, a
 * month no analysis reads).  0 ok, -1 out of memory. */
int note_read(note_buf *nb, verb_acc *reader, const stats_opts *o, int month, const char *comment,
              const char *itype, uint32_t *at);
/* The note F (its terms, tokens, charge and flags, as verb_read leaves
 * them) appended to NB, its offset in *AT.  0, -1 out of memory. */
int note_put(note_buf *nb, const verb_flag *f, uint32_t *at);
/* The bytes of the note at AT (not NOTE_NONE) in NB. */
size_t note_size(const note_buf *nb, uint32_t at);
/* The note at AT into F, its tokens pointing into NB (toks_from 0: the
 * caller names the reader); NULL for NOTE_NONE. */
const verb_flag *note_get(const note_buf *nb, uint32_t at, verb_flag *f);
void note_free(note_buf *nb);

#endif
