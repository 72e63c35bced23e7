/* dsfile.c — a stdio stream onto a file, written past the page cache
 * after its first bytes (dsfile.h).  glibc's fopencookie: the stream's
 * buffer handed, full, to a function of ours rather than to write(2).
 *
 * Why: writing a large new file through the page cache costs more of the
 * kernel's time than the disk's on a machine where a new page-cache page
 * is dear (10M rows: writing the 268 MB verbatim_flags.csv, 1.45 s of
 * `copy_folio_from_iter_atomic` on the main thread at the end of the run;
 * docs/performance.md, "Twelfth round").
 */
#define _GNU_SOURCE /* fopencookie */
#include "core/dsfile.h"

#include "core/dio.h"

#include <errno.h>
#include <string.h>

/* The first failure kept; errno set to it.  0: what a cookie's write
 * returns when it wrote nothing (fopencookie(3): never negative; glibc
 * takes a -1 from it for a count and reads past the caller's bytes). */
static int fail(dsfile *s, int err)
{
    if (!s->err) s->err = err ? err : EIO;
    errno = s->err;
    return 0;
}

static ssize_t ds_write(void *cookie, const char *b, size_t n)
{
    dsfile *s = cookie;
    if (s->err) return fail(s, s->err);
    size_t k = 0;
    if (s->at < s->plain) { /* the head, through the page cache */
        k = (size_t)(s->plain - s->at) < n ? (size_t)(s->plain - s->at) : n;
        if (file_pwrite_all(s->fd, b, k, s->at) != 0) return fail(s, errno);
        s->at += (long long)k;
    }
    if (k < n) {
        /* the rest past it (where O_DIRECT is refused, dstream writes
         * through fd) */
        if (!s->ds_on) {
            if (dstream_open(&s->ds, s->fd, s->path, s->at) != 0) return fail(s, errno);
            s->ds_on = 1;
        }
        if (dstream_put(&s->ds, b + k, n - k, s->at) != 0) return fail(s, errno);
        s->at += (long long)(n - k);
    }
    return (ssize_t)n;
}

static int ds_close(void *cookie)
{
    (void)cookie;
    return 0;
}

FILE *dsfile_open(dsfile *s, int fd, long long plain_first, size_t bufsz)
{
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->plain = plain_first < 0 ? 0 : plain_first;
    snprintf(s->path, sizeof s->path, "/proc/self/fd/%d", fd);
    cookie_io_functions_t io = {NULL, ds_write, NULL, ds_close};
    if (!(s->f = fopencookie(s, "w", io))) return NULL;
    if (bufsz) setvbuf(s->f, NULL, _IOFBF, bufsz);
    return s->f;
}

int dsfile_close(dsfile *s)
{
    if (s->f && fclose(s->f) != 0) fail(s, errno);
    s->f = NULL;
    if (s->ds_on) {
        s->ds_on = 0;
        if (dstream_finish(&s->ds) != 0) fail(s, errno);
    }
    if (s->err) errno = s->err;
    return s->err ? -1 : 0;
}
