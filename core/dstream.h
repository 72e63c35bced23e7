/* dstream.h — a file written front to back past the page cache: bytes
 * gathered in an aligned buffer and written with O_DIRECT a MiB at a
 * time, the unaligned tail through the file's ordinary descriptor at the
 * end.  For a large new file that no one reads while it is written (the
 * analysis cache an import writes: docs/performance.md, "Eleventh
 * round"); where O_DIRECT is refused, every write goes through the
 * ordinary descriptor.  Owner: core/dstream.c.
 */
#ifndef CX_DSTREAM_H
#define CX_DSTREAM_H

#include <stddef.h>

typedef struct dstream {
    int fd;         /* the file opened once more with O_DIRECT; -1: not */
    int plain;      /* the caller's descriptor of the same file (not owned) */
    char *buf;      /* DS_CHUNK + DIO_ALIGN bytes, aligned (core/dio.h) */
    size_t fill;    /* bytes in buf */
    long long base; /* the file offset of buf[0], a multiple of DIO_ALIGN */
} dstream;

/* Starts D on PATH, already open as PLAIN, its next byte at offset AT
 * (the bytes before AT in AT's aligned block are read from PLAIN, so
 * that they are written back as they are).  0, or -1 with errno set.  A
 * file system that refuses O_DIRECT is not an error: D then writes
 * through PLAIN. */
int dstream_open(dstream *d, int plain, const char *path, long long at);
/* N bytes of P at offset AT, which must be where the last put ended
 * (else EINVAL).  0, or -1 with errno set. */
int dstream_put(dstream *d, const void *p, size_t n, long long at);
/* The offset the next put must start at. */
long long dstream_end(const dstream *d);
/* The bytes still held written (the last partial block through PLAIN),
 * D closed.  0, or -1 with
 * errno set (D closed either way). */
int dstream_finish(dstream *d);
/* D closed, the bytes it holds not written. */
void dstream_close(dstream *d);
/* Whether D writes past the page cache (for tests). */
int dstream_direct(const dstream *d);

#endif
