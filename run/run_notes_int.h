/* run_notes_int.h — the notes file's state and the functions its three
 * files share (run/run_notes_file.h): run_notes_file.c (the key, the
 * hashes, the run's side), run_notes_read.c (the old file walked),
 * run_notes_write.c (the new file written, on its own thread).
 *
 * File: a header (NF_MAGIC, a byte-order mark, the format, the key), then
 * records, each a uint32 length, its body and a 64-bit hash of the body
 * (notes_hash).  A body: the row's and the text's hashes (two uint64),
 * the charges (two doubles), language, routine and unlabelled moment of
 * truth (a byte each), the terms (a varint length and the bytes), the
 * token count (a varint), then each token as a varint CODE << 1 | brk:
 * CODE 0 a word outside the vocabulary (the reader's was full: its
 * length and bytes follow, and it packs as VOCAB_NONE), the next unused
 * code a new word (its length and bytes follow), else a word used before.
 * Integers as the machine writes them (the mark says which order).
 * Owner: run/run_notes_file.c.
 */
#ifndef CX_RUN_NOTES_INT_H
#define CX_RUN_NOTES_INT_H

#include "run/run_notes_file.h"
#include "core/dread.h"
#include "core/dstream.h"

#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define NF_MAGIC "CXNOTES\n"
#define NF_ORDER 0x01020304u
#define NF_FORMAT 1u
#define NF_HEAD 24
#define NF_BODY_MAX (16u << 20)
/* The reads of the file, its writes when they go through the page cache,
 * and a chunk of notes queued for the writer thread: a quarter of a MiB
 * each (a run of 600-byte comments peaks at 60 MB, the limit is 64) */
#define NF_IO (1u << 18)
/* Notes are kept only for comments of this many bytes on average, judged
 * on the first NF_PROBE a run reads (or all, when it reads fewer): for
 * shorter ones keeping the notes costs more than reading the comments
 * again (docs/performance.md, "Twentieth round": 10M rows of 23-byte
 * comments, the first run after an import 0.7 s slower for notes that
 * saved 0.2 s a run; 3M rows of 55-byte comments, 0.5 s a run saved) */
#define NF_MIN_COMMENT 40
#define NF_PROBE 4096
#define NF_QUEUE 2 /* chunks of notes waiting for the writer thread */
#define NONE UINT32_MAX
#define UNRESOLVED (UINT32_MAX - 1) /* a file word not yet looked up in the reader */

/* One token of a record as decoded: its bytes in the body (at) or the
 * file's vocabulary (word), its flag and its id in the reader. */
typedef struct nf_tok {
    uint32_t word, at, len, sid;
    uint8_t brk;
} nf_tok;

struct notes_file {
    char path[PATH_MAX], tmp[PATH_MAX + 8];
    uint64_t key;
    verb_acc *reader;
    /* the file read: ib[ipos..ilen) the bytes at offset ioff + ipos */
    int in_fd, in_ok;
    dread dr; /* in_fd read past the page cache, unless it holds the file */
    long long in_size;
    unsigned char *ib;
    size_t ilen, ipos, icap;
    long long ioff;
    /* its next record, checked (have_next): hashes, body, size */
    int have_next;
    uint64_t next_row, next_text;
    size_t next_body, next_size; /* the body's length; the record's bytes */
    /* its vocabulary so far: word c (1..wn) at warena + wo[c], wl[c]
     * bytes; its reader id wsid[c] (UNRESOLVED until needed) */
    uint32_t *wo, *wl, *wsid;
    size_t wn, wcap;
    char *warena;
    size_t walen, wacap;
    /* the file written anew (writing; failed: given up, or none to
     * write): the run's notes queued in chunks (cur filling, then q, a
     * ring of NF_QUEUE) for the writer thread (wth), which copies the old
     * file's first COPY bytes, then encodes and writes each note; its
     * codes of reader ids (ocode, 0 none), set here before it starts */
    int writing, out_fd, failed;
    pthread_t wth;
    int wth_on, q_end, wfail; /* wfail: its writes failed (its own; read after the join) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    note_buf cur, q[NF_QUEUE], carry; /* carry: a note passed over, packed */
    size_t q_head, q_n;
    long long copy;
    dread wdr;                  /* its reader of the old file */
    long long put_n, put_bytes; /* notes read by the run, their comments' bytes */
    long long taken_n;          /* notes taken from the file */
    dstream ds;                 /* out_fd's bytes past the page cache (ds_on), at out_at */
    int ds_on;
    long long out_at;
    unsigned char *ob, *body;
    size_t olen, bcap;
    uint32_t *ocode;
    size_t ocap;
    uint32_t onext;
    /* scratch: a record's tokens, packed for a note */
    nf_tok *tk;
    size_t tkcap;
    char *pk;
    size_t pkcap;
};

/* ---- run_notes_read.c ---- */
/* At least NEED bytes at ib + ipos: 0, or -1 (the file ends, or fails). */
int nf_in_fill(notes_file *nf, size_t need);
/* The next record read and checked (have_next), unless the file ended or
 * is damaged there (in_ok 0: read no further). */
void nf_peek(notes_file *nf);
/* Word C's id in the reader, looked up the first time. */
uint32_t nf_word_sid(notes_file *nf, size_t c);
/* The next record (checked by nf_peek) consumed: its new words defined
 * and, when F, its note into F (its tokens packed in nf->pk, ids the
 * reader's).  0, -1 malformed (read no further), -2 out of memory. */
int nf_consume(notes_file *nf, verb_flag *f);

/* ---- run_notes_write.c ---- */
/* From here on the file is written anew: its first records (those read
 * so far, every one taken) copied as they are, the codes of their words
 * kept; the writer thread started (else nf->failed). */
void nf_start_writing(notes_file *nf);
/* The note of N bytes at NOTE (as note_put packs it) of the row ROW, read
 * from TEXT, queued for the writer thread. */
void nf_queue(notes_file *nf, uint64_t row, uint64_t text, const char *note, size_t n);
/* The chunk being filled handed to the writer thread (waiting for room). */
void nf_hand_over(notes_file *nf);

#endif
