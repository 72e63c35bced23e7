/* dspool.c — a temporary spool written and read past the page cache
 * (dspool.h).
 *
 * Why: every run with comments spooled its flags rows (268 MB at 10M
 * rows) into a temporary file through the page cache, and on a machine
 * where a new page-cache page is dear that was the verbatim thread's
 * largest cost: 2.4-2.9 s of system time in `copy_folio_from_iter_atomic`
 * of a 10M `stats --input` (docs/performance.md, "Twelfth round").
 */
#define _GNU_SOURCE /* O_DIRECT */
#include "core/dspool.h"

#include "core/afile.h"
#include "core/dio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PIECE (1u << 20) /* read back a MiB at a time */

int dspool_open(dspool *p, const char *tag, size_t bufsz)
{
    memset(p, 0, sizeof *p);
    if ((p->fd = temp_file(tag, NULL)) < 0) return -1;
    if (!dsfile_open(&p->out, p->fd, 0, bufsz)) {
        int e = errno;
        dspool_close(p);
        errno = e;
        return -1;
    }
    return 0;
}

FILE *dspool_file(const dspool *p) { return p->out.f; }

int dspool_finish(dspool *p) { return dsfile_close(&p->out); }

int dspool_each(const dspool *p, int (*fn)(void *ctx, const char *b, size_t n), void *ctx)
{
    if (p->out.err || p->out.f || p->fd < 0) { /* failed, or not finished */
        errno = p->out.err ? p->out.err : EINVAL;
        return -1;
    }
    char *buf = dio_alloc(PIECE);
    if (!buf) return -1;
    int dfd = dio_reopen(p->fd, p->out.path, O_RDONLY); /* -1: plain reads */
    int rc = 0;
    for (long long at = 0; at < p->out.at && rc == 0;) {
        long long got = dio_pread(&dfd, p->fd, buf, PIECE, at);
        if (got <= 0) {
            if (got == 0) errno = EIO; /* shorter than written */
            rc = -1;
            break;
        }
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
    (void)dsfile_close(&p->out); /* nothing when finished, or never opened */
    if (p->fd >= 0) close(p->fd);
    p->fd = -1;
}
