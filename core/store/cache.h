/* cache.h — the analysis cache beside the store (docs/cache.md): the
 * responses as the store's scan gives them, in the same order, in a
 * compact columnar file that `stats`, `report` and `agents` read instead
 * of scanning the store when it is exact.
 *
 * The file holds the store's id and generation (store_generation) it was
 * built from; it is used only when both match the store's now.  It is
 * written to a temporary file beside it and renamed when whole, so a
 * reader sees the old file, the new one or none.  Deleting it loses
 * nothing.  It is input like any other: every block carries a hash of each
 * column, every code and length is checked before use, and every row is
 * checked as a row read from the store is (store_check.h); a damaged file
 * is an error the caller answers by reading the store (and rebuilding).
 *
 * Layout (all integers little-endian, as the machine writes them; the
 * header names the byte order): a header of CACHE_HEAD bytes, then blocks
 * of at most CACHE_BLOCK_ROWS rows, fewer when their texts come to
 * CACHE_BLOCK_BYTES first.  A block is its head (magic, rows,
 * moments, attributes, and per column its offset, length and hash) and
 * the columns, each 8-byte aligned: fixed-width arrays (times, month,
 * score, metric, handle time, counts of moments and attributes), the
 * moments (one byte each when every one of the block fits, else four),
 * and the text columns, each a dictionary of the values of the block
 * (distinct, except that a column of mostly new values takes the rest of
 * a block as they are, and cache_add_rows the values of another block by
 * code: then one value may have two codes; a reader takes codes for
 * values, never for distinct values) and one code
 * a row (a code an attribute for attribute keys and values)
 * of one byte when the dictionary has at most 256 values, two up to
 * 65536, else four.  A reader reads a block's head, then only the columns
 * it needs (the NPS counts read five), into CACHE_READ_KEPT buffers of
 * one block.
 *
 * Owner: core/store/cache_write.c (the writer's blocks), cache_wtext.c
 * (their dictionaries), cache_wrows.c (rows taken by code), cache_wfile.c
 * (its file), core/store/cache_read.c (reader).  No global state; one writer or reader per object.
 */
#ifndef CX_CACHE_H
#define CX_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include "core/model.h"
#include "core/store/store.h"

#define CACHE_VERSION 4
#define CACHE_BLOCK_ROWS 16384
/* A block also ends with the row that takes its rows' texts (the eight
 * text fields, attribute names and values, as the rows give them) to
 * this many bytes: a block's memory, and that of the notes a run reads
 * from its comments, stays a few MB with long comments (1M rows of
 * 600-byte comments: 166 MB peak for the first stats after the import
 * without it).  Rows like those of `gen-sample` (about 85 bytes of
 * texts) end their blocks at CACHE_BLOCK_ROWS. */
#define CACHE_BLOCK_BYTES (2u << 20)
#define CACHE_READ_KEPT 4   /* blocks a reader keeps valid (cache_next) */
#define CACHE_WRITER_KEPT 4 /* blocks a writer keeps in memory (cache_view) */
/* A reader of whole blocks reads the file ahead in two windows of this
 * many bytes (core/dread.h dread_ahead): the first run after an import,
 * which wrote the cache past the page cache, waited for the disk at every
 * block (docs/performance.md, "Twenty-fifth round"). */
#define CACHE_READ_AHEAD (2u << 20)

/* The columns of a block. */
enum {
    CC_RESPONDED,
    CC_UPDATED,
    CC_HANDLE,
    CC_MONTH,
    CC_MOMENTS,
    CC_SCORE,
    CC_METRIC,
    CC_HAS_HANDLE,
    CC_N_MOMENTS,
    CC_N_ATTRS,
    CC_SOURCE,
    CC_RESPONSE_ID,
    CC_COMMENT,
    CC_CUSTOMER_ID,
    CC_AGENT_ID,
    CC_CHANNEL,
    CC_PRODUCT,
    CC_INTERACTION_TYPE,
    CC_ATTR_KEY,
    CC_ATTR_VALUE,
    CC_COUNT
};
#define CC_FIRST_TEXT CC_SOURCE
#define CACHE_ALL_COLS ((1u << CC_COUNT) - 1)

typedef struct cache_block cache_block; /* below */

/* ---- writing ---- */
typedef struct cache_writer cache_writer;
/* A new cache for PATH, recorded as built from the store ID at GEN: rows
 * go to PATH.tmp, locked (fcntl) against another builder, until
 * cache_commit renames it.  A PATH.tmp left by a killed build is reused.
 * Its blocks are written past the page cache where the file system allows
 * (core/dstream.h): its first reader reads them from the disk.  NULL with
 * ERR (also when another process is building). */
cache_writer *cache_create(const char *path, const char *id, const char *gen, char *err, size_t errlen);
/* The cache at PATH, of the store ID, opened to take more blocks after
 * its last (the store only gained rows, all with keys after its last
 * key): rows added as to a new writer go at its end; cache_commit writes
 * its head anew (GEN, the new counts and row mark), cache_discard puts
 * the file back as it was.  Meanwhile its head names no generation (a
 * reader does not use it; a kill leaves a cache that is rebuilt) and
 * PATH.tmp is held locked against builders.  No rename: no copy of the
 * old blocks.  NULL with ERR (another build under way, not this store's,
 * damaged heads). */
cache_writer *cache_append(const char *path, const char *id, const char *gen, char *err, size_t errlen);
/* The next response of the store's scan, with its stored MONTH.  0, or -1
 * with ERR (the writer then only takes cache_discard). */
int cache_add(cache_writer *w, const cx_response *r, int month, char *err, size_t errlen);
/* Rows FROM..TO-1 of block B (read with CACHE_ALL_COLS; CUR {attributes,
 * moments} of its rows before FROM, moved past TO-1, as cache_row's) added
 * as cache_add would add them, their values taken by code: each value of
 * B's dictionaries goes into the block being gathered once, the first
 * time one of its rows uses it, with no hash of it where B's values are
 * mostly distinct (then a dictionary may hold a value twice: one from B,
 * one from another block or a row of cache_add).  SERIAL is the caller's
 * number for B (a new one for each block read, so that its codes are not
 * taken for another's).  At most the rows that fit the block being
 * gathered (cache_rows_fit); it is written when they fill it.  The rows
 * are not checked (cache_row does, when they are read back).  0, or -1
 * with ERR (the writer then only takes cache_discard). */
int cache_add_rows(cache_writer *w, const cache_block *b, unsigned long long serial, size_t from, size_t to,
                   size_t *cur, char *err, size_t errlen);
/* 1 when cache_add of R ends a block (it then writes it). */
int cache_add_ends(const cache_writer *w, const cx_response *r);
/* Of rows FROM..TO-1 of block B (CUR as for cache_add_rows), how many
 * go into the block being gathered before it ends; *ENDS 1 when they end
 * it (by its rows or its texts' bytes), else 0 (all of them fit). */
size_t cache_rows_fit(const cache_writer *w, const cache_block *b, size_t from, size_t to, const size_t *cur,
                      int *ends);
/* Rows gathered, not yet written as a block. */
size_t cache_pending(const cache_writer *w);
typedef struct cache_reader cache_reader;
/* The block the reader R read last (with every column: CACHE_ALL_COLS)
 * written as it is, its hashes kept; none may be pending.  0, or -1 with
 * ERR (then only cache_discard). */
int cache_copy_block(cache_writer *w, const cache_reader *r, char *err, size_t errlen);
/* Writes the rows gathered so far as a block: 1, 0 when there were none,
 * -1 with ERR (then only cache_discard). */
int cache_flush(cache_writer *w, char *err, size_t errlen);
/* The block written last (by cache_add or cache_flush), read back from
 * memory with every column, as cache_next gives it: valid until
 * CACHE_WRITER_KEPT (or cache_defer_writes's KEPT) more blocks are
 * written.  0, -1 when there is none. */
int cache_view(const cache_writer *w, cache_block *b);
/* From now on a block made (by cache_add or cache_flush) is not written
 * at once but waits, in memory, for cache_write_block: another thread
 * may write it while this one gathers the next (a build's writes off
 * its builder thread).  The writer keeps KEPT blocks in memory (1 to
 * CACHE_WRITER_KEPT; an import's writer thread two, a run's build as
 * many as its slots): block K must be written before block K + KEPT is
 * made (its buffer is reused), and every block before cache_commit.
 * Called before the first block is made. */
void cache_defer_writes(cache_writer *w, unsigned kept);
/* Writes block K (0 the first) made while writes were deferred.  0, or -1
 * with ERR (then only cache_discard). */
int cache_write_block(cache_writer *w, size_t k, char *err, size_t errlen);
/* Records the store's row mark (store_row_mark) the rows were read at:
 * a later run may then extend the cache with the rows after it. */
void cache_set_mark(cache_writer *w, long long mark);
/* Records GEN instead of the generation given to cache_create: the rows
 * were gathered before the transaction that stored them had committed
 * (an import, run/run_cache_import.c). */
void cache_set_gen(cache_writer *w, const char *gen);
/* Finishes the file and renames it to PATH.  0, or -1 with ERR (the
 * temporary file removed).  Frees W either way. */
int cache_commit(cache_writer *w, char *err, size_t errlen);
/* As cache_commit, but renamed to PATH instead of the cache's own path
 * (a new writer's only): a cache of rows kept apart, which the caller
 * reads back and removes (run/run_cache_import.c: an import's rows in
 * order before some came again). */
int cache_commit_as(cache_writer *w, const char *path, char *err, size_t errlen);
/* Removes the temporary file and frees W (NULL is fine). */
void cache_discard(cache_writer *w);

/* ---- reading ---- */
typedef struct cache_reader cache_reader;
/* One block's columns as read (those asked for): pointers into the
 * reader's buffers, valid until the CACHE_READ_KEPT-th cache_next after
 * (so one thread may read a block while others use the ones before). */
typedef struct cache_text {
    const uint32_t *off; /* n_dict + 1 offsets into data */
    const char *data;    /* each value NUL-terminated */
    uint32_t n_dict;
    const void *code; /* one a row (attributes: one an attribute), of width bytes */
    unsigned width;   /* cache_code_width(n_dict) */
} cache_text;
typedef struct cache_block {
    size_t rows, n_moments, n_attrs;
    const int64_t *responded_at, *updated_at;
    const double *handle;
    const int32_t *month;
    const void *moments;   /* n_moments of moment_width bytes: cache_moment */
    unsigned moment_width; /* 1 (int8_t) or 4 (int32_t) */
    const uint8_t *score, *metric, *has_handle, *row_moments, *row_attrs;
    cache_text text[CC_COUNT - CC_FIRST_TEXT];
} cache_block;
/* The bytes of a code in a dictionary of N values. */
static inline unsigned cache_code_width(uint32_t n) { return n <= 256 ? 1 : n <= 65536 ? 2 : 4; }
/* Code I of T, and the value it stands for. */
static inline uint32_t cache_code(const cache_text *t, size_t i)
{
    switch (t->width) {
    case 1: return ((const uint8_t *)t->code)[i];
    case 2: return ((const uint16_t *)t->code)[i];
    default: return ((const uint32_t *)t->code)[i];
    }
}
static inline const char *cache_str(const cache_text *t, uint32_t code) { return t->data + t->off[code]; }
static inline const char *cache_text_at(const cache_text *t, size_t i)
{
    return cache_str(t, cache_code(t, i));
}
/* Moment J of B (its moments in row order). */
static inline int cache_moment(const cache_block *b, size_t j)
{
    return b->moment_width == 1 ? ((const int8_t *)b->moments)[j] : ((const int32_t *)b->moments)[j];
}

/* Opens PATH when it was built from the store ID at GEN (GEN NULL: at
 * any generation).  1 open (*OUT set), 0 when it does not exist or is for
 * another store or generation (nothing to say), -1 when it is damaged or
 * cannot be read (why in ERR). */
int cache_open(const char *path, const char *id, const char *gen, cache_reader **out, char *err,
               size_t errlen);
/* The file R reads (the path given to cache_open). */
const char *cache_file(const cache_reader *r);
/* Rows in the cache (from its header). */
long long cache_rows(const cache_reader *r);
/* The generation it was built from; the row mark set by cache_set_mark
 * (1: in *MARK; 0: none recorded). */
const char *cache_gen(const cache_reader *r);
int cache_mark(const cache_reader *r, long long *mark);
/* The key (source, NUL, response_id, NUL) of the last row of R's file
 * into KEY (CAP bytes), read apart from R's own reading: 1, or 0 when it
 * cannot be told (no block, bytes after the last one, a head or block
 * that does not read, too long). */
int cache_last_key(const cache_reader *r, char *key, size_t cap);
/* Reads the next block's columns COLS (bits 1u << CC_*; what the rows
 * need is added) into B and checks them.  1 read, 0 after the last, -1
 * damaged (why in ERR). */
int cache_next(cache_reader *r, unsigned cols, cache_block *b, char *err, size_t errlen);
void cache_close(cache_reader *r);
/* The blocks R keeps freed, once a run has read what it needs of them
 * (the next cache_next reads into new ones). */
void cache_drop_blocks(cache_reader *r);
/* Row I of B as a response (strings and attributes borrowed from B) —
 * B read with CACHE_ALL_COLS, its rows taken in order, CUR {attributes,
 * moments} of the rows before I ({0, 0} for the first) — checked as a row
 * read from the store is.  0, or -1 with ERR. */
int cache_row(const cache_block *b, size_t i, cx_response *r, size_t *cur, char *err, size_t errlen);

/* The cache column (CC_*) of a --by dimension that is a text field of
 * the model, or -1 (an attribute). */
int cache_dim_col(const char *name);
/* Of the N attributes of a block from index AT on (a row's: its
 * row_attrs, after those of the rows before it), the first named NAME —
 * the value cx_response_dim gives — as an index into the attribute
 * columns; SIZE_MAX when none is.  B read with CC_ATTR_KEY. */
size_t cache_attr_find(const cache_block *b, size_t at, size_t n, const char *name);

/* Where the cache of store TARGET lives, into BUF: "TARGET.cache" beside a
 * SQLite file; for PostgreSQL a file named by a hash of the target (its
 * password left out) in $XDG_CACHE_HOME/cxpulse or ~/.cache/cxpulse.  0, or
 * -1 when there is none (no home directory, or too long). */
int cache_path(const char *target, char *buf, size_t cap);

/* 64-bit hash of N bytes (FNV-1a, eight bytes at a time, then hash_fmix64). */
uint64_t cache_hash(const void *p, size_t n);

#endif
