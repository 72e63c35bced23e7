/* csvio.c — the CSV reader's input side (see csv.h): opening, reading in
 * large blocks, and seeking to a record start for callers that split a
 * file into chunks.  The scanner is in core/csv.c. */
#include "core/csv_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void csv_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0) return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static csv_reader *reader_new(int fd, int own_fd, const char *name, char *err, size_t errlen)
{
    struct stat st;
    size_t nlen = strlen(name);
    csv_reader *r;

    /* read() on a directory fails with a bare EISDIR in the first
     * csv_read(); saying so at open time is clearer. */
    if (fstat(fd, &st) != 0) {
        csv_set_err(err, errlen, "%s: %s", name, strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        csv_set_err(err, errlen, "%s: is a directory", name);
        return NULL;
    }
    r = calloc(1, sizeof *r);
    if (!r || !(r->name = malloc(nlen + 1)) || !(r->buf = malloc(CSV_BLOCK + CSV_BUF_PAD))) {
        if (r) free(r->name);
        free(r);
        csv_set_err(err, errlen, "%s: out of memory", name);
        return NULL;
    }
    memcpy(r->name, name, nlen + 1);
    r->fd = fd;
    r->own_fd = own_fd;
    r->cap = CSV_BLOCK;
    if (S_ISREG(st.st_mode)) {
        off_t at = lseek(fd, 0, SEEK_CUR);
        r->off = at > 0 ? (long long)at : 0;
    }
    return r;
}

csv_reader *csv_reader_open(const char *path, char *err, size_t errlen)
{
    int fd;
    csv_reader *r;

    if (strcmp(path, "-") == 0) return reader_new(STDIN_FILENO, 0, "stdin", err, errlen);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        csv_set_err(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    r = reader_new(fd, 1, path, err, errlen);
    if (!r) close(fd);
    return r;
}

csv_reader *csv_reader_from_fd(int fd, const char *name, char *err, size_t errlen)
{
    return reader_new(fd, 0, name ? name : "input", err, errlen);
}

void csv_reader_free(csv_reader *r)
{
    if (!r) return;
    if (r->own_fd) close(r->fd);
    free(r->name);
    free(r->buf);
    free(r->fbuf);
    free(r->fend);
    free(r->fields);
    free(r->lens);
    free(r->fs_f);
    free(r->fs_esc);
    free(r);
}

const char *csv_reader_name(const csv_reader *r) { return r->name; }

int csv_reader_fd(const csv_reader *r) { return r->fd; }

const char *csv_error_reason(const csv_reader *r, const char *err)
{
    size_t n = strlen(r->name);
    const char *p = err + n;
    if (strncmp(err, r->name, n) != 0 || *p != ':') return err;
    p++;
    while (*p >= '0' && *p <= '9') p++;
    return p[0] == ':' && p[1] == ' ' ? p + 2 : err;
}

int csv_reader_fill(csv_reader *r)
{
    r->fs_on = r->fs_off = 0; /* the buffer moves or grows */
    if (r->pos > 0) {
        size_t n = r->end - r->pos;
        memmove(r->buf, r->buf + r->pos, n);
        r->scan = r->scan >= r->pos ? r->scan - r->pos : 0;
        r->off += (long long)r->pos;
        r->end = n;
        r->pos = 0;
    }
    if (r->end == r->cap) {
        size_t ncap = r->cap >= CSV_BUF_MAX / 2 ? CSV_BUF_MAX : r->cap * 2;
        char *nb = ncap > r->cap ? realloc(r->buf, ncap + CSV_BUF_PAD) : NULL;
        if (!nb) {
            errno = ENOMEM;
            return -1;
        }
        r->buf = nb;
        r->cap = ncap;
    }
    for (;;) {
        ssize_t k = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (k > 0) {
            if (r->tap) r->tap(r->tap_ctx, r->buf + r->end, (size_t)k);
            r->end += (size_t)k;
            return 1;
        }
        if (k == 0) {
            r->eof = 1;
            return 0;
        }
        if (errno != EINTR) return -1;
    }
}

int csv_reader_tap(csv_reader *r, csv_tap_fn fn, void *ctx)
{
    if (r->off != 0) return -1;
    r->tap = fn;
    r->tap_ctx = ctx;
    if (r->end) fn(ctx, r->buf, r->end);
    return 0;
}

long long csv_reader_tell(csv_reader *r, long *line)
{
    if (r->skip_lf) {
        if (r->pos == r->end && !r->eof && csv_reader_fill(r) < 0) return -1;
        if (r->pos < r->end && r->buf[r->pos] == '\n') r->pos++;
        r->skip_lf = 0;
    }
    if (line) *line = r->line;
    return r->off + (long long)r->pos;
}

int csv_reader_seek(csv_reader *r, long long offset, long line)
{
    if (r->off + (long long)r->end >= offset && offset >= r->off + (long long)r->pos && !r->skip_lf) {
        r->pos = (size_t)(offset - r->off); /* still buffered: no system call */
    } else {
        if (r->tap) { /* the bytes from here on are not the input's in order */
            r->tap(r->tap_ctx, NULL, 0);
            r->tap = NULL;
        }
        if (lseek(r->fd, (off_t)offset, SEEK_SET) < 0) return -1;
        r->off = offset;
        r->pos = r->end = r->scan = 0;
        r->eof = 0;
    }
    r->skip_lf = 0;
    r->started = 1;
    r->dead = 0;
    r->line = line;
    r->fs_on = r->fs_off = 0;
    return 0;
}
