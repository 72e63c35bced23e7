/* cache_int.h — the on-disk heads of the analysis cache (cache.h), its
 * file I/O and the writer's state, shared by core/store/cache_write.c,
 * cache_wtext.c, cache_wrows.c, cache_wfile.c, cache_read.c and
 * cache_hash.c only. */
#ifndef CX_CACHE_INT_H
#define CX_CACHE_INT_H

#include "core/afile.h"
#include "core/dio.h"
#include "core/dread.h"
#include "core/dstream.h"
#include "core/store/cache.h"

#include <string.h>

#define CACHE_MAGIC "cxpulse cache\n\0\0"
#define CACHE_ENDIAN 0x01020304u
#define CACHE_BLOCK_MAGIC 0x4b425843u /* "CXBK" */

typedef struct cache_head {
    char magic[16];
    uint32_t version, endian;
    uint64_t rows, blocks;
    char id[STORE_GEN_MAX], gen[STORE_GEN_MAX];
    uint64_t mark; /* store_row_mark + 1 at the build; 0 none */
    uint64_t pad;
    uint64_t hash; /* of the bytes before it */
} cache_head;

typedef struct cache_col {
    uint32_t off, len; /* in the block's payload, off 8-aligned */
    uint64_t hash;     /* cache_hash of the column's bytes */
} cache_col;

typedef struct cache_bhead {
    uint32_t magic, rows, n_moments, n_attrs, payload, pad;
    cache_col col[CC_COUNT];
    uint64_t hash; /* of the bytes before it */
} cache_bhead;

#define CACHE_HEAD sizeof(cache_head)

/* cache_read.c: the columns COLS of a block (head H, payload P, both
 * checked for sizes already) into B: pointers into P, sizes and codes
 * checked.  0, or -1 when they are out of range. */
int cache_parse_block(const cache_bhead *h, const char *p, unsigned cols, cache_block *b);

/* cache_read.c: H as read from a file: 1 this version's head for the
 * store ID (of any generation), 0 another version's or store's, -1 not a
 * cache or damaged (WHY). */
int cache_head_check(const cache_head *h, const char *id, const char **why);
/* cache_read.c: the heads of BLOCKS blocks from CACHE_HEAD on, in FD of
 * SIZE bytes, each checked against its hash: where the last ends into
 * *END, its head and where its payload starts into *LAST and *LAST_AT
 * (untouched with no block).  0, or -1 when one does not read, match or
 * fit. */
int cache_walk_heads(int fd, uint64_t blocks, long long size, long long *end, cache_bhead *last,
                     long long *last_at);

/* cache_read.c: the head and payload of the block R read last (with
 * every column), for cache_copy_block.  0, -1 when there is none. */
int cache_last_raw(const cache_reader *r, const cache_bhead **h, const char **payload);

/* The file I/O: file_pread_all and file_pwrite_all (core/afile.h). */

/* The writer's state, shared by cache_write.c (the blocks) and
 * cache_wfile.c (the file). */
#define N_TEXT (CC_COUNT - CC_FIRST_TEXT)

typedef struct cbuf {
    char *p;
    size_t n, cap;
} cbuf;

typedef struct tcol {
    cbuf data;     /* distinct values, each NUL-terminated */
    uint32_t *off; /* n_dict + 1 */
    size_t n_dict, off_cap;
    uint32_t *code;
    size_t n_code, code_cap;
    struct tslot {
        uint32_t code1; /* dictionary index + 1, 0 empty */
        uint32_t hash;  /* the value's hash (low 32 bits): most misses need no memcmp */
    } * slot;           /* hash table */
    size_t n_slot;
    /* text_add: values found again among the block's first TEXT_PROBE;
     * with almost none (ids), the rest go in as they are */
    size_t hits;
    int as_is;
} tcol;

#define TEXT_PROBE 512

struct cache_writer {
    char *path, *tmp;
    int fd;
    /* cache_append: blocks added to PATH itself (fd), PATH.tmp held
     * locked (lock_fd, else -1) against builders; the file's end and head
     * before, put back by cache_discard */
    int append, lock_fd;
    long long base_at;
    cache_head old_head;
    cache_head head;
    long long at; /* file offset of the next block */
    size_t rows;  /* in the block being gathered */
    size_t bytes; /* their texts' bytes (CACHE_BLOCK_BYTES) */
    cbuf fixed[CC_FIRST_TEXT];
    tcol text[N_TEXT];
    cbuf outs[CACHE_WRITER_KEPT]; /* the last blocks as written (cache_view) */
    unsigned kept;                /* of them in turn: cache_defer_writes */
    cbuf narrow;                  /* scratch: a column written narrower than gathered */
    cbuf *out;                    /* the one being written */
    cache_bhead last;             /* the head of the last block written */
    /* cache_defer_writes: a block made (in outs[k % kept])
     * waits here, its head and place in the file, for cache_write_block */
    int defer;
    struct due {
        cache_bhead h;
        long long at;
        size_t k;
        int due;
    } due[CACHE_WRITER_KEPT];
    /* a new file's blocks go past the page cache (core/dstream.h): ds_on
     * while ds holds the file's end */
    int ds_on;
    dstream ds;
    /* cache_add_rows: per text column, the code in the block being
     * gathered of each code of the read block given last (valid where its
     * tag is memo_tag), and whether its values go in as they are */
    struct memo {
        uint32_t tag, code;
    } * memo[N_TEXT];
    size_t memo_cap[N_TEXT];
    int as_is[N_TEXT];
    uint32_t memo_tag;
    unsigned long long memo_of; /* the caller's number of that block */
    uint64_t memo_block;        /* head.blocks while the memo holds */
};

/* cache_wtext.c: the writer's buffers.  Room for N more bytes in B; N
 * bytes P appended to B; room for NEED in *A of *CAP.  0, or -1 OOM.
 * Called for every value of every row: the case with room is inline, the
 * growth in cache_wtext.c (cbuf_grow, grow32_slow). */
int cbuf_grow(cbuf *b, size_t n);
int grow32_slow(uint32_t **a, size_t *cap, size_t need);
/* 1 when a block of ROWS rows whose texts take BYTES is full: the rule
 * cache_add, cache_add_ends and cache_add_rows end a block by
 * (cache.h CACHE_BLOCK_ROWS, CACHE_BLOCK_BYTES). */
static inline int cache_block_full(size_t rows, size_t bytes)
{
    return rows == CACHE_BLOCK_ROWS || bytes >= CACHE_BLOCK_BYTES;
}

static inline int cbuf_reserve(cbuf *b, size_t n) { return b->n + n > b->cap ? cbuf_grow(b, n) : 0; }
static inline int cbuf_put(cbuf *b, const void *p, size_t n)
{
    if (!n) return 0;
    if (b->n + n > b->cap && cbuf_grow(b, n) != 0) return -1;
    memcpy(b->p + b->n, p, n);
    b->n += n;
    return 0;
}
static inline int grow32(uint32_t **a, size_t *cap, size_t need)
{
    return need <= *cap ? 0 : grow32_slow(a, cap, need);
}
/* cache_wtext.c: a block's text dictionary T.  V (LEN bytes) found in T or
 * added (text_code, its code into *CODE), added as a value of its own
 * even when T holds it (text_entry: not in the hash table, so never found
 * by text_code), or its code appended to the column (text_add: found or
 * added, or, once the block's first TEXT_PROBE values of the column were
 * almost all new, added as it is).  0, or -1 OOM or too big. */
int text_code(tcol *t, const char *v, size_t len, uint32_t *code);
int text_entry(tcol *t, const char *v, size_t len, uint32_t *code);
int text_add(tcol *t, const char *v, size_t len);
/* cache_wtext.c: T emptied for the next block. */
void text_reset(tcol *t);

/* cache_write.c: the rows gathered written as a block (none: 0).  0, or
 * -1 with ERR. */
int cache_flush_block(cache_writer *w, char *err, size_t errlen);
/* cache_write.c: what the deferred blocks' stream still holds written,
 * the stream ended (writes go through fd again).  0, or -1 with errno. */
int cache_end_stream(cache_writer *w);
/* cache_wfile.c: frees W and closes its files. */
void cache_writer_free(cache_writer *w);

#endif
