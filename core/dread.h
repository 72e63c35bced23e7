/* dread.h — reading a large file without filling the page cache with it:
 * a range the page cache holds whole is copied from there, any other
 * read from the disk past it (O_DIRECT, through an aligned buffer; which
 * pages are held: mincore(2) on a mapping of the file that is never
 * touched).  For the analysis cache, which an import writes past the page
 * cache (core/dstream.h) and every stats reads whole
 * (docs/performance.md, "Eleventh round").  Owner: core/dread.c.
 */
#ifndef CX_DREAD_H
#define CX_DREAD_H

#include <stddef.h>

#include "core/rahead.h"

typedef struct dread {
    int fd;           /* the caller's descriptor (not owned) */
    const char *path; /* the file's name (not owned), to open it once more */
    int dfd;          /* opened with O_DIRECT; -1: not (yet, or refused) */
    int tried;        /* the O_DIRECT open was tried */
    int mapped;       /* 0 not yet, 1 map is the file's, -1 cannot: every read through fd */
    void *map;        /* the file mapped, never read through (mincore) */
    size_t map_len;
    unsigned char *vec; /* mincore's answer, vec_cap pages */
    size_t vec_cap;
    char *buf; /* cap bytes, aligned (core/dio.h) */
    size_t cap;
    long long direct; /* bytes read past the page cache (for tests) */
    /* read ahead (dread_ahead): two windows of win bytes, one after the
     * other from the stream's start on; end: where the next one goes */
    rahead *ra;
    ra_req win[2];
    size_t win_len;
    long long end;
    int streaming;     /* the windows are queued or done */
    long long from_ra; /* bytes given from the windows (for tests) */
} dread;

void dread_init(dread *d, int fd, const char *path);
/* Reads ahead, for a caller that reads the file front to back (with gaps:
 * the analysis cache's block heads are read through fd): from the first
 * read past the page cache on, the bytes after it are read on a thread of
 * their own (core/rahead.h) into two windows of WIN bytes (a multiple of
 * DIO_ALIGN), each queued again past the other once the reads have gone
 * by it, so that such a caller waits for the disk only when it outruns
 * it.  A read outside the windows is done at once, as without, and starts
 * them again after it.  0, or -1 (out of memory, no thread): reads as
 * without. */
int dread_ahead(dread *d, size_t win);
/* N bytes of the file at offset AT into P.  0, or -1 with errno set
 * (EIO at an early end of file). */
int dread_at(dread *d, void *p, size_t n, long long at);
void dread_close(dread *d);

#endif
