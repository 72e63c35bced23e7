/* cache_int.h — the on-disk heads of the analysis cache (cache.h) and its
 * file I/O, shared by core/store/cache_write.c, cache_read.c and
 * cache_hash.c only. */
#ifndef CX_CACHE_INT_H
#define CX_CACHE_INT_H

#include "core/store/cache.h"

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

/* cache_read.c: the head and payload of the block R read last (with
 * every column), for cache_copy_block.  0, -1 when there is none. */
int cache_last_raw(const cache_reader *r, const cache_bhead **h, const char **payload);

/* cache_hash.c: N bytes between P and FD at offset AT, read (WRITE 0,
 * pread) or written (pwrite), through short counts and EINTR.  0, or -1
 * (errno set; EIO at an early end of file). */
int cache_pio(int fd, void *p, size_t n, long long at, int write);

#endif
