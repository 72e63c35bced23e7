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

static void windows_drop(dread *d)
{
    if (d->ra) ra_stop(d->ra); /* waits for the read under way, drops the rest */
    d->ra = NULL;
    for (int i = 0; i < 2; i++) {
        free(d->win[i].buf);
        d->win[i].buf = NULL;
    }
    d->streaming = 0;
}

int dread_ahead(dread *d, size_t win)
{
    windows_drop(d);
    for (int i = 0; i < 2; i++) {
        memset(&d->win[i], 0, sizeof d->win[i]);
        if (!(d->win[i].buf = dio_alloc(win))) break;
        d->win[i].cap = win;
    }
    if (d->win[0].buf && d->win[1].buf && (d->ra = ra_start(d->fd, d->path, 1)) != NULL) {
        d->win_len = win;
        return 0;
    }
    windows_drop(d);
    return -1;
}

void dread_close(dread *d)
{
    windows_drop(d);
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
        d->dfd = dio_reopen(d->fd, d->path, O_RDONLY);
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

/* The window holding offset AT, or NULL. */
static ra_req *window_of(dread *d, long long at)
{
    for (int i = 0; i < 2; i++)
        if (d->win[i].at <= at && at < d->win[i].at + (long long)d->win[i].cap) return &d->win[i];
    return NULL;
}

/* [AT, AT + N) from the windows: 0; 1 when they do not hold its start
 * (nothing copied); -1 with errno.  A window the reads have gone past is
 * queued again at the end of the stream. */
static int from_windows(dread *d, char *p, size_t n, long long at)
{
    if (!d->streaming || !window_of(d, at)) return 1;
    while (n > 0) {
        for (int i = 0; i < 2; i++) {
            ra_req *w = &d->win[i];
            if (w->at + (long long)w->cap > at) continue;
            (void)ra_wait(d->ra, w); /* (its bytes are behind the reads: a failure there is no matter) */
            ra_submit(d->ra, w, d->end);
            d->end += (long long)d->win_len;
        }
        ra_req *w = window_of(d, at);
        if (!w) return 1; /* (cannot be: the two follow each other from at on) */
        if (ra_wait(d->ra, w) != 0) return -1;
        size_t off = (size_t)(at - w->at);
        if (off >= w->got) {
            errno = EIO; /* the file ends before the range */
            return -1;
        }
        size_t k = w->got - off < n ? w->got - off : n;
        memcpy(p, w->buf + off, k);
        p += k;
        at += (long long)k;
        n -= k;
        d->from_ra += (long long)k;
        d->direct += (long long)k;
    }
    return 0;
}

/* The windows queued again from AT on (aligned down): the two reads
 * under way, if any, waited for first (a request is queued once). */
static void windows_from(dread *d, long long at)
{
    for (int i = 0; d->streaming && i < 2; i++) (void)ra_wait(d->ra, &d->win[i]);
    long long a0 = at - at % DIO_ALIGN;
    for (int i = 0; i < 2; i++) ra_submit(d->ra, &d->win[i], a0 + (long long)i * (long long)d->win_len);
    d->end = a0 + 2 * (long long)d->win_len;
    d->streaming = 1;
}

int dread_at(dread *d, void *p, size_t n, long long at)
{
    if (!held(d, at, n)) {
        if (d->ra) {
            int rc = from_windows(d, p, n, at);
            if (rc <= 0) return rc;
        }
        int rc = direct(d, p, n, at);
        if (rc == 0 && d->ra && d->dfd >= 0) windows_from(d, at + (long long)n);
        if (rc <= 0) return rc;
    }
    return file_pread_all(d->fd, p, n, at);
}
