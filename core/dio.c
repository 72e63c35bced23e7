/* dio.c — what O_DIRECT asks and what to do where it is refused (dio.h).
 */
#define _GNU_SOURCE /* O_DIRECT */
#include "core/dio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int dio_reopen(int fd, const char *path, int flags)
{
    struct stat a, b;
    int d = open(path, flags | O_CLOEXEC | O_DIRECT);
    if (d < 0) return -1;
    if (fstat(fd, &a) != 0 || fstat(d, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
        close(d);
        errno = ESTALE;
        return -1;
    }
    return d;
}

char *dio_alloc(size_t n)
{
    void *p = NULL;
    return posix_memalign(&p, DIO_ALIGN, n ? n : DIO_ALIGN) == 0 ? p : NULL;
}

/* *DFD refused the call: closed, -1 from now on. */
static void refused(int *dfd)
{
    close(*dfd);
    *dfd = -1;
}

long long dio_pread(int *dfd, int fd, char *buf, size_t n, long long at)
{
    size_t got = 0;
    int plain = *dfd < 0;
    while (got < n) {
        ssize_t k = pread(plain ? fd : *dfd, buf + got, n - got, at + (long long)got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && errno == EINVAL && !plain) {
            refused(dfd);
            plain = 1;
            continue;
        }
        if (k < 0) return -1;
        if (k == 0) break; /* the end of the file */
        got += (size_t)k;
        if (got % DIO_ALIGN) plain = 1; /* short inside a block: the rest through fd */
    }
    return (long long)got;
}

int dio_pwrite(int *dfd, int fd, const char *buf, size_t n, long long at)
{
    size_t done = 0;
    while (*dfd >= 0 && done < n) {
        ssize_t w = pwrite(*dfd, buf + done, n - done, at + (long long)done);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EINVAL) {
            refused(dfd);
            break;
        }
        if (w < 0) return -1;
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        done += (size_t)w;
        if (done % DIO_ALIGN) break; /* short inside a block: the rest through fd */
    }
    return done < n ? file_pwrite_all(fd, buf + done, n - done, at + (long long)done) : 0;
}

/* N bytes between B and FD at AT, read (WRITE 0: into B) or written. */
static int pio_all(int fd, char *b, size_t n, long long at, int write)
{
    while (n) {
        ssize_t k = write ? pwrite(fd, b, n, (off_t)at) : pread(fd, b, n, (off_t)at);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            if (k == 0) errno = EIO;
            return -1;
        }
        b += k;
        n -= (size_t)k;
        at += k;
    }
    return 0;
}

int file_pread_all(int fd, void *p, size_t n, long long at) { return pio_all(fd, p, n, at, 0); }

/* (B is only read from: pwrite's own pointer is const) */
int file_pwrite_all(int fd, const void *p, size_t n, long long at)
{
    return pio_all(fd, (char *)p, n, at, 1);
}
