/* run_notes_file.h — the notes of a cached run's comments (run_note.h:
 * language, charge, flags and tokens) kept beside the analysis cache for
 * the next run, which takes a row's note from there instead of reading
 * its comment again (docs/cache.md, "The comments' notes").
 *
 * The file (CACHE.notes) is a header naming what decided the notes (this
 * program's executable, whose bytes hold the tokeniser, the lexicons and
 * the rules; the configuration's moment-of-truth types; the format), then
 * one record a note in the cache's row order, each with a hash of its
 * row's key (source, response_id) and of what the note was read from (the
 * comment, the interaction type) and a hash of its own bytes.  A run
 * walks it beside the blocks: the next record is taken for a row when
 * both hashes are the row's, else the row's comment is read.  So a cache
 * merged with new rows (an extension) keeps the notes of its old rows,
 * and a note is never taken for a comment it was not read from; a file
 * of another program, configuration or format, or a damaged record,
 * is read no further.  Tokens are kept as codes of the file's own
 * vocabulary (each word's bytes where it is first used), mapped to the
 * run's reader's once a word.
 *
 * A run that read every note it needed from the file leaves it as it
 * is; one that read any comment writes the file anew (PATH.tmp, locked,
 * renamed when whole), the notes it took, read or passed over (a row of
 * another window) in row order, unless its comments are short (their
 * notes cost more to keep than to read again).  Deleting it loses
 * nothing.
 *
 * Owner: run/run_notes_file.c (with run_notes_read.c, run_notes_write.c:
 * run_notes_int.h).  One thread uses a notes file, in row
 * order (the thread that reads a run's notes). */
#ifndef CX_RUN_NOTES_FILE_H
#define CX_RUN_NOTES_FILE_H

#include "run/run_note.h"

#include <stdint.h>

typedef struct notes_file notes_file;

/* The key of the notes a run with options O reads: 0 when it cannot be
 * told (the executable unreadable: no notes file then). */
uint64_t notes_key(const stats_opts *o);
/* A 64-bit hash of N bytes at P under SEED: two lanes of eight bytes,
 * the tail in one load (a run hashes every comment it walks the notes
 * with; cache_hash, a byte at a time past the last eight, took a sixth of
 * the notes' thread).  A record's hash is notes_hash(body, its length,
 * NOTES_RECORD_SEED). */
#define NOTES_RECORD_SEED 3
uint64_t notes_hash(const void *p, size_t n, uint64_t seed);
/* A row's key hash, and the hash of what its note is read from (the
 * strings' lengths given): notes_hash of the response_id, and of the
 * comment, under the notes_hash of the source (NOTES_SOURCE_SEED), and of
 * the interaction type (NOTES_ITYPE_SEED), which a caller may keep. */
#define NOTES_SOURCE_SEED 1
#define NOTES_ITYPE_SEED 2
uint64_t notes_row_hash(const char *source, size_t slen, const char *response_id, size_t idlen);
uint64_t notes_text_hash(const char *comment, size_t clen, const char *itype, size_t ilen);

/* The notes at PATH opened for a run whose notes have KEY (read from
 * when the file is there with that key).  NULL out of memory. */
notes_file *notes_file_open(const char *path, uint64_t key);
/* The next row, of key hash ROW; WANT 1 when the run reads its note
 * (TEXT its notes_text_hash).  1: its note taken from the file into NB
 * (its offset in *AT; token ids READER's); 0: not there (the caller reads
 * it and gives it to notes_file_put), or not wanted.  -1 out of memory. */
int notes_file_take(notes_file *nf, verb_acc *reader, uint64_t row, uint64_t text, int want, note_buf *nb,
                    uint32_t *at);
/* The note just read for the row given to notes_file_take (at AT in NB,
 * from a comment of COMMENT_BYTES) recorded for the file written anew:
 * unless the comments the run reads are short (NF_MIN_COMMENT bytes on
 * average), whose notes cost more to keep than to read again. */
void notes_file_put(notes_file *nf, uint64_t row, uint64_t text, const note_buf *nb, uint32_t at,
                    size_t comment_bytes);
/* 0 when NF neither has notes left to give nor will write any: the run
 * reads its comments without it. */
int notes_file_busy(const notes_file *nf);
/* 1 when the file has a note left to walk past. */
int notes_file_pending(notes_file *nf);
/* The next note passed over, and left out of a file written anew, when
 * it is the row ROW's: a row that has no comment now (emptied in place)
 * would otherwise stop the walk there. */
void notes_file_drop(notes_file *nf, verb_acc *reader, uint64_t row);
/* Closed: when OK and a note was read, the file written anew renamed to
 * PATH; else it is left as it was.  NF freed (NULL is fine).  1 when a
 * file was written, else 0. */
int notes_file_close(notes_file *nf, int ok);

#endif
