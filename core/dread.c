/* dread.c — reading a large file without filling the page cache with it
 * (dread.h).
 *
 * Why: on a machine where taking a new page-cache page is dear, the
 * first reader of a file written past the page cache paid for every
 * page it brought in; read past it, the pages cost nothing but the
 * disk's time.  A range the page cache holds is read from there as
 * before.  (RWF_NOWAIT does not tell: a read that fails with it has
 * already started the readahead that fills the page cache.)
 */
#define _GNU_SOURCE /* O_DIRECT, mincore */
#include "core/dread.h"

#include "core/dio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void dread_init(dread *d, int fd, const char *path)
{
    memset(d, 0, sizeof *d);
    d->fd = fd;
    d->path = path;
    d->dfd = -1;
}

void dread_close(dread *d)
{
    if (d->dfd >= 0) close(d->dfd);
    d->dfd = -1;
    free(d->buf);
    d->buf = NULL;
    d->cap = 0;
    if (d->mapped > 0) munmap(d->map, d->map_len);
    d->mapped = 0;
    d->map = NULL;
    free(d->vec);
    d->vec = NULL;
    d->vec_cap = 0;
}

/* 1 when the page cache holds every page of [AT, AT + N) or this file
 * cannot tell (read through fd), 0 when it lacks one. */
static int held(dread *d, long long at, size_t n)
{
    long ps = sysconf(_SC_PAGESIZE);
    if (!d->mapped) {
        struct stat st;
        d->mapped = -1;
        if (ps > 0 && fstat(d->fd, &st) == 0 && st.st_size > 0) {
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, d->fd, 0);
            if (m != MAP_FAILED) {
                d->map = m;
                d->map_len = (size_t)st.st_size;
                d->mapped = 1;
            }
        }
    }
    if (d->mapped < 0 || ps <= 0 || n == 0 || at < 0 || (unsigned long long)at + n > d->map_len) return 1;
    size_t p0 = (size_t)at / (size_t)ps, p1 = ((size_t)at + n - 1) / (size_t)ps, np = p1 - p0 + 1;
    if (np > d->vec_cap) {
        unsigned char *v = realloc(d->vec, np);
        if (!v) return 1;
        d->vec = v;
        d->vec_cap = np;
    }
    if (mincore((char *)d->map + p0 * (size_t)ps, np * (size_t)ps, d->vec) != 0) return 1;
    for (size_t i = 0; i < np; i++)
        if (!(d->vec[i] & 1)) return 0;
    return 1;
}

/* [AT, AT + N) read past the page cache into P: 0, 1 when this file
 * cannot be read so (then through fd), or -1 with errno. */
static int direct(dread *d, char *p, size_t n, long long at)
{
    if (!d->tried) {
        d->tried = 1;
        d->dfd = open(d->path, O_RDONLY | O_CLOEXEC | O_DIRECT);
    }
    if (d->dfd < 0) return 1;
    long long a0 = at - at % DIO_ALIGN, a1 = at + (long long)n;
    a1 += (DIO_ALIGN - a1 % DIO_ALIGN) % DIO_ALIGN;
    size_t len = (size_t)(a1 - a0), skip = (size_t)(at - a0);
    if (len > d->cap) {
        free(d->buf);
        d->cap = 0;
        if (!(d->buf = dio_alloc(len))) return -1;
        d->cap = len;
    }
    long long got = dio_pread(&d->dfd, d->fd, d->buf, len, a0);
    if (got < 0) return -1;
    if ((size_t)got < skip + n) {
        errno = EIO; /* the file ends before the range */
        return -1;
    }
    memcpy(p, d->buf + skip, n);
    if (d->dfd >= 0) d->direct += (long long)n; /* not when refused on the way */
    return 0;
}

int dread_at(dread *d, void *p, size_t n, long long at)
{
    if (!held(d, at, n)) {
        int rc = direct(d, p, n, at);
        if (rc <= 0) return rc;
    }
    return file_pread_all(d->fd, p, n, at);
}
