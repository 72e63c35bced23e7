/* recspool.c — see recspool.h.  One buffer serves in turn as the records'
 * home (up to its size), the write buffer of the file, and its read
 * buffer. */
#include "stats/recspool.h"
#include "core/afile.h"
#include "core/dio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF ((size_t)1 << 20)

struct recspool {
    size_t rec;     /* record size */
    size_t per_buf; /* records a buffer holds */
    unsigned char *buf;
    size_t count;   /* records put */
    int fd;         /* -1 until the records outgrow buf */
    size_t pending; /* records in buf not yet written to fd */
    int reading;
    size_t next;     /* the next record to read */
    size_t first, n; /* records in buf while reading from fd */
    int failed, err;
};

recspool *recspool_new(size_t rec_size) { return recspool_new_buf(rec_size, BUF); }

recspool *recspool_new_buf(size_t rec_size, size_t buf_bytes)
{
    if (rec_size == 0 || rec_size > 4096 || buf_bytes < rec_size) return NULL;
    recspool *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->rec = rec_size;
    s->per_buf = buf_bytes / rec_size;
    s->fd = -1;
    if (!(s->buf = malloc(s->per_buf * rec_size))) {
        free(s);
        return NULL;
    }
    return s;
}

void recspool_free(recspool *s)
{
    if (!s) return;
    if (s->fd >= 0) close(s->fd);
    free(s->buf);
    free(s);
}

static int fail(recspool *s, int err)
{
    if (!s->failed) {
        s->failed = 1;
        s->err = err;
    }
    return -1;
}

/* A temporary file, unlinked at once.  0 ok, -1. */
static int open_file(recspool *s)
{
    s->fd = temp_file("spool", NULL);
    return s->fd >= 0 ? 0 : fail(s, errno == ENOMEM ? 0 : errno);
}

static int write_all(recspool *s, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(s->fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return fail(s, errno);
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The records in buf into the file. */
static int flush(recspool *s)
{
    if (s->fd < 0 && open_file(s) != 0) return -1;
    int rc = write_all(s, s->buf, s->pending * s->rec);
    s->pending = 0;
    return rc;
}

int recspool_put(recspool *s, const void *rec)
{
    if (s->failed || s->reading) return -1;
    if (s->pending == s->per_buf && flush(s) != 0) return -1;
    memcpy(s->buf + s->pending * s->rec, rec, s->rec);
    s->pending++;
    s->count++;
    return 0;
}

size_t recspool_count(const recspool *s) { return s->count; }

int recspool_rewind(recspool *s)
{
    if (s->failed) return -1;
    if (!s->reading && s->fd >= 0 && s->pending && flush(s) != 0) return -1;
    s->reading = 1;
    s->next = 0;
    if (s->fd >= 0) s->first = s->n = 0; /* nothing read yet */
    else s->first = 0, s->n = s->count;  /* every record is in buf */
    return 0;
}

/* Records from NEXT on into buf. */
static int fill(recspool *s)
{
    size_t want = s->count - s->next;
    if (want > s->per_buf) want = s->per_buf;
    if (file_pread_all(s->fd, s->buf, want * s->rec, (long long)(s->next * s->rec)) != 0)
        return fail(s, errno); /* EIO at an early end */
    s->first = s->next;
    s->n = want;
    return 0;
}

int recspool_next(recspool *s, void *rec)
{
    if (s->failed || !s->reading) return -1;
    if (s->next >= s->count) return 0;
    if (s->next >= s->first + s->n && fill(s) != 0) return -1;
    memcpy(rec, s->buf + (s->next - s->first) * s->rec, s->rec);
    s->next++;
    return 1;
}

int recspool_errno(const recspool *s) { return s->err; }
