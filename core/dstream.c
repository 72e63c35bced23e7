/* dstream.c — a file written front to back past the page cache
 * (dstream.h).
 *
 * Why: on a machine where taking a new page-cache page is dear, writing a
 * large new file costs more in the kernel than making its bytes (10M
 * rows: the 750 MB analysis cache an import writes, about 3 s of system
 * time through the page cache, 0.1 s with O_DIRECT).  The price: the
 * file's first reader reads it from the disk.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include "core/dstream.h"

#include "core/dio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Written when this much is gathered: under a millisecond of the disk. */
#define DS_CHUNK (1u << 20)

int dstream_direct(const dstream *d) { return d->fd >= 0; }

long long dstream_end(const dstream *d) { return d->base + (long long)d->fill; }

int dstream_open(dstream *d, int plain, const char *path, long long at)
{
    memset(d, 0, sizeof *d);
    d->fd = -1;
    d->plain = plain;
    if (at < 0) {
        errno = EINVAL;
        return -1;
    }
    if (!(d->buf = dio_alloc(DS_CHUNK + DIO_ALIGN))) return -1;
    d->base = at - at % DIO_ALIGN;
    d->fill = (size_t)(at - d->base);
    if (d->fill) { /* the aligned block's head as the file has it (zeros past its end) */
        memset(d->buf, 0, d->fill);
        ssize_t got = pread(plain, d->buf, d->fill, d->base);
        if (got < 0) {
            int e = errno;
            free(d->buf);
            d->buf = NULL;
            errno = e;
            return -1;
        }
    }
    d->fd = dio_reopen(plain, path, O_WRONLY);
    /* refused (EINVAL: tmpfs, some network file systems): plain writes */
    return 0;
}

/* Writes buf's whole aligned blocks and keeps the rest at its front. */
static int drain(dstream *d)
{
    size_t n = d->fill - d->fill % DIO_ALIGN;
    if (!n) return 0;
    if (dio_pwrite(&d->fd, d->plain, d->buf, n, d->base) != 0) return -1;
    memmove(d->buf, d->buf + n, d->fill - n);
    d->fill -= n;
    d->base += (long long)n;
    return 0;
}

int dstream_put(dstream *d, const void *p, size_t n, long long at)
{
    if (!d->buf || at != dstream_end(d)) {
        errno = EINVAL;
        return -1;
    }
    const char *s = p;
    while (n) {
        size_t room = DS_CHUNK + DIO_ALIGN - d->fill, k = n < room ? n : room;
        memcpy(d->buf + d->fill, s, k);
        d->fill += k;
        s += k;
        n -= k;
        if (d->fill >= DS_CHUNK && drain(d) != 0) return -1;
    }
    return 0;
}

int dstream_finish(dstream *d)
{
    int rc = 0;
    if (d->buf && (drain(d) != 0 || (d->fill && file_pwrite_all(d->plain, d->buf, d->fill, d->base) != 0)))
        rc = -1;
    int e = errno;
    dstream_close(d);
    errno = e;
    return rc;
}

void dstream_close(dstream *d)
{
    if (d->fd >= 0) close(d->fd);
    d->fd = -1;
    free(d->buf);
    d->buf = NULL;
    d->fill = 0;
}
