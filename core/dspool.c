/* dspool.c — a temporary spool written and read past the page cache
 * (dspool.h).
 *
 * Why: every run with comments spooled its flags rows (268 MB at 10M
 * rows) into a temporary file through the page cache, and on a machine
 * where a new page-cache page is dear that was the verbatim thread's
 * largest cost: 2.4-2.9 s of system time in `copy_folio_from_iter_atomic`
 * of a 10M `stats --input` (docs/performance.md, "Twelfth round").
 */
#define _GNU_SOURCE /* O_DIRECT, fopencookie */
#include "core/dspool.h"

#include "core/afile.h"
#include "core/dio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PIECE (1u << 20) /* read back a MiB at a time */

static ssize_t pool_write(void *cookie, const char *b, size_t n)
{
    dspool *p = cookie;
    if (p->err) {
        errno = p->err;
        return -1;
    }
    if (dstream_put(&p->ds, b, n, p->at) != 0) {
        p->err = errno ? errno : EIO;
        return -1;
    }
    p->at += (long long)n;
    return (ssize_t)n;
}

static int pool_close(void *cookie)
{
    (void)cookie;
    return 0;
}

int dspool_open(dspool *p, const char *tag, size_t bufsz)
{
    memset(p, 0, sizeof *p);
    if ((p->fd = temp_file(tag, NULL)) < 0) return -1;
    int e;
    snprintf(p->path, sizeof p->path, "/proc/self/fd/%d", p->fd);
    /* where O_DIRECT is refused, dstream writes through p->fd */
    if (dstream_open(&p->ds, p->fd, p->path, 0) != 0) goto fail;
    p->ds_on = 1;
    cookie_io_functions_t io = {NULL, pool_write, NULL, pool_close};
    if (!(p->f = fopencookie(p, "w", io))) goto fail;
    if (bufsz) setvbuf(p->f, NULL, _IOFBF, bufsz);
    return 0;
fail:
    e = errno;
    dspool_close(p);
    errno = e;
    return -1;
}

FILE *dspool_file(const dspool *p) { return p->f; }

int dspool_finish(dspool *p)
{
    if (p->f) {
        if (fclose(p->f) != 0 && !p->err) p->err = errno ? errno : EIO;
        p->f = NULL;
    }
    if (p->ds_on) {
        p->ds_on = 0;
        if (dstream_finish(&p->ds) != 0 && !p->err) p->err = errno ? errno : EIO;
    }
    if (p->err) errno = p->err;
    return p->err ? -1 : 0;
}

int dspool_each(const dspool *p, int (*fn)(void *ctx, const char *b, size_t n), void *ctx)
{
    if (p->err || p->ds_on || p->fd < 0) {
        errno = p->err ? p->err : EINVAL;
        return -1;
    }
    char *buf = dio_alloc(PIECE);
    if (!buf) return -1;
    int dfd = open(p->path, O_RDONLY | O_CLOEXEC | O_DIRECT); /* -1: plain reads */
    int rc = 0;
    for (long long at = 0; at < p->at && rc == 0;) {
        long long got = dio_pread(&dfd, p->fd, buf, PIECE, at);
        if (got <= 0) {
            if (got == 0) errno = EIO; /* shorter than written */
            rc = -1;
            break;
        }
        if (got > p->at - at) got = p->at - at;
        rc = fn(ctx, buf, (size_t)got);
        at += got;
    }
    int e = errno;
    if (dfd >= 0) close(dfd);
    free(buf);
    errno = e;
    return rc;
}

void dspool_close(dspool *p)
{
    if (p->f) fclose(p->f);
    p->f = NULL;
    if (p->ds_on) dstream_close(&p->ds);
    p->ds_on = 0;
    if (p->fd >= 0) close(p->fd);
    p->fd = -1;
}
