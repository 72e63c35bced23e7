/* test_dstream.c — a file written past the page cache (core/dstream.c)
 * holds exactly the bytes put, from an unaligned start after bytes it
 * keeps, whatever the pieces' sizes, and leaves (where O_DIRECT is taken)
 * almost none of its pages in the page cache; a put out of order is
 * refused.  Reading past the page cache (core/dread.c) gives the file's
 * bytes at any offset and length, from the disk when the page cache
 * lacks them and from the page cache when it holds them, and says EIO
 * past the end; read ahead, the same bytes front to back; and the bytes
 * of the file it opened when another is renamed over its name.
 */
#define _GNU_SOURCE
#include "core/dread.h"
#include "core/dstream.h"
#include "pagecache_fixture.h"
#include "run_suite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], path[128];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cxds.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f", dir);
}

static void teardown(void)
{
    unlink(path);
    rmdir(dir);
}

#define HEAD 300          /* bytes before the stream's start, kept */
#define TOTAL (11u << 20) /* written through the stream: more than two of its chunks */

START_TEST(writes_every_byte)
{
    int direct = direct_here(path);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    unsigned char head[HEAD];
    for (size_t i = 0; i < HEAD; i++) head[i] = (unsigned char)(0xa5 ^ i);
    ck_assert_int_eq(pwrite(fd, head, HEAD, 0), HEAD);
    unsigned char *want = malloc(TOTAL), *got = malloc(HEAD + TOTAL);
    ck_assert(want && got);
    for (size_t i = 0; i < TOTAL; i++) want[i] = byte(i);

    dstream d;
    ck_assert_int_eq(dstream_open(&d, fd, path, HEAD), 0);
    ck_assert_int_eq(dstream_direct(&d), direct);
    /* pieces of 1 byte to 5 MB, some crossing a chunk's end */
    size_t at = 0;
    while (at < TOTAL) {
        size_t k = rnd(4) == 0 ? 1 + rnd(5u << 20) : 1 + rnd(70000);
        if (k > TOTAL - at) k = TOTAL - at;
        ck_assert_int_eq(dstream_put(&d, want + at, k, HEAD + (long long)at), 0);
        at += k;
    }
    /* a put that does not start where the last ended */
    errno = 0;
    ck_assert_int_eq(dstream_put(&d, want, 10, HEAD + (long long)TOTAL + 1), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(dstream_end(&d), HEAD + (long long)TOTAL);
    ck_assert_int_eq(dstream_finish(&d), 0);

    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_eq(st.st_size, HEAD + (long long)TOTAL);
    ck_assert_int_eq(pread(fd, got, HEAD + TOTAL, 0), HEAD + TOTAL);
    ck_assert(memcmp(got, head, HEAD) == 0);
    ck_assert(memcmp(got + HEAD, want, TOTAL) == 0);
    close(fd);
    free(want);
    free(got);
}
END_TEST

/* Where O_DIRECT is taken, the pages went past the page cache: only the
 * head's page (read to be kept) and the tail's (written plainly) may be
 * there.  Fails when the stream writes through the page cache. */
START_TEST(leaves_page_cache_alone)
{
    if (!direct_here(path)) return;
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    char *p = malloc(TOTAL);
    ck_assert_ptr_nonnull(p);
    memset(p, 'x', TOTAL);
    dstream d;
    ck_assert_int_eq(dstream_open(&d, fd, path, 0), 0);
    ck_assert_int_eq(dstream_put(&d, p, TOTAL - 100, 0), 0);
    ck_assert_int_eq(dstream_finish(&d), 0);
    close(fd);
    free(p);
    ck_assert_uint_le(resident(path, TOTAL - 100), 2);
}
END_TEST

/* Writes N bytes of the pattern to PATH, synced and dropped from the
 * page cache. */
static void make_file(size_t n)
{
    unsigned char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < n; i++) p[i] = byte(i);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
    ck_assert_int_eq(fsync(fd), 0);
    ck_assert_int_eq(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
    close(fd);
    free(p);
}

#define RSIZE (3u << 20) + 1234

/* A file of RSIZE bytes not in the page cache, opened for D to read into
 * *BUF (RSIZE bytes); whether its file system takes O_DIRECT. */
static int open_cold(dread *d, int *fd, unsigned char **buf)
{
    int direct = direct_here(path);
    make_file(RSIZE);
    *fd = open(path, O_RDONLY);
    ck_assert_int_ge(*fd, 0);
    *buf = malloc(RSIZE);
    ck_assert_ptr_nonnull(*buf);
    dread_init(d, *fd, path);
    return direct;
}

START_TEST(reads_every_byte)
{
    dread d;
    unsigned char *buf;
    int fd, direct = open_cold(&d, &fd, &buf);
    /* the whole file, cold: from the disk where O_DIRECT is taken */
    ck_assert_int_eq(dread_at(&d, buf, RSIZE, 0), 0);
    for (size_t i = 0; i < RSIZE; i++)
        if (buf[i] != byte(i)) ck_abort_msg("byte %zu", i);
    if (direct) {
        ck_assert_int_eq(d.direct, RSIZE);
        ck_assert_uint_le(resident(path, RSIZE), 2);
    }
    /* ranges at any offset and length, the last byte among them */
    for (int k = 0; k < 200; k++) {
        size_t at = rnd(RSIZE), n = 1 + rnd(RSIZE - at < 300000 ? RSIZE - at : 300000);
        if (k == 0) at = RSIZE - 1, n = 1;
        memset(buf, 0, n);
        ck_assert_int_eq(dread_at(&d, buf, n, (long long)at), 0);
        for (size_t i = 0; i < n; i++)
            if (buf[i] != byte(at + i)) ck_abort_msg("range at %zu: byte %zu", at, i);
    }
    /* past the end: EIO */
    errno = 0;
    ck_assert_int_eq(dread_at(&d, buf, 10, RSIZE - 5), -1);
    ck_assert_int_eq(errno, EIO);
    /* held by the page cache: read from there */
    long long before = d.direct;
    ck_assert_int_eq(pread(fd, buf, RSIZE, 0), (ssize_t)RSIZE);
    ck_assert_int_eq(dread_at(&d, buf, 100000, 4000), 0);
    for (size_t i = 0; i < 100000; i++)
        if (buf[i] != byte(4000 + i)) ck_abort_msg("cached: byte %zu", i);
    ck_assert_int_eq(d.direct, before);
    dread_close(&d);
    close(fd);
    free(buf);
}
END_TEST

/* Read ahead (dread_ahead): a reader going front to back in pieces of any
 * size with gaps between them (as the cache's block heads leave) gets
 * every byte, most of them from the windows read on their thread, with
 * the page cache left alone; a piece longer than both windows, a jump
 * back and one forward start the windows again and read right; past the
 * end is EIO.  Fails when a window is queued again at the wrong offset
 * (a piece then falls between the windows and is read at once), or one
 * the reads have not left is reused. */
START_TEST(reads_ahead_front_to_back)
{
    dread d;
    unsigned char *buf;
    int fd, direct = open_cold(&d, &fd, &buf);
    ck_assert_int_eq(dread_ahead(&d, 64u << 10), 0);
    size_t at = 100, pieces = 0, first = 0;
    while (at < RSIZE) {
        size_t n = 1 + rnd(pieces % 7 == 6 ? 300000 : 90000); /* now and then past both windows */
        if (n > RSIZE - at) n = RSIZE - at;
        memset(buf, 0, n);
        ck_assert_int_eq(dread_at(&d, buf, n, (long long)at), 0);
        if (pieces == 0) first = n;
        for (size_t i = 0; i < n; i++)
            if (buf[i] != byte(at + i)) ck_abort_msg("piece %zu at %zu: byte %zu", pieces, at, i);
        at += n + rnd(3000); /* a gap: a block head read elsewhere */
        pieces++;
    }
    if (direct) {
        /* the first piece read at once, every later one from the windows */
        ck_assert_int_eq(d.direct - d.from_ra, (long long)first);
        ck_assert_int_gt(d.from_ra, (long long)(RSIZE) / 2);
        ck_assert_uint_le(resident(path, RSIZE), 2);
    }
    /* back, then forward past the windows: read at once, windows again after */
    static const size_t jumps[][2] = {{5000, 70000}, {2000000, 150000}, {40, 10}, {RSIZE - 9, 9}};
    for (size_t j = 0; j < sizeof jumps / sizeof jumps[0]; j++) {
        memset(buf, 0, jumps[j][1]);
        ck_assert_int_eq(dread_at(&d, buf, jumps[j][1], (long long)jumps[j][0]), 0);
        for (size_t i = 0; i < jumps[j][1]; i++)
            if (buf[i] != byte(jumps[j][0] + i)) ck_abort_msg("jump %zu: byte %zu", j, i);
    }
    errno = 0;
    ck_assert_int_eq(dread_at(&d, buf, 10, RSIZE - 5), -1);
    ck_assert_int_eq(errno, EIO);
    dread_close(&d);
    close(fd);
    free(buf);
}
END_TEST

/* Another program renames a new file over the name while the old one is
 * open (a run beside this one replacing the analysis cache): dread, read
 * ahead or not, still gives the bytes of the file it was given, never
 * the new file's (core/dio.c dio_reopen).  Fails when the O_DIRECT
 * descriptor is opened by name alone. */
START_TEST(reads_the_file_it_opened)
{
    for (int ahead = 0; ahead < 2; ahead++) {
        dread d;
        unsigned char *buf;
        int fd;
        (void)open_cold(&d, &fd, &buf);
        char other[160];
        snprintf(other, sizeof other, "%s.new", path);
        int nfd = open(other, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ck_assert_int_ge(nfd, 0);
        for (size_t i = 0; i < RSIZE; i++) buf[i] = (unsigned char)~byte(i);
        ck_assert_int_eq(write(nfd, buf, RSIZE), (ssize_t)RSIZE);
        ck_assert_int_eq(fsync(nfd), 0);
        ck_assert_int_eq(posix_fadvise(nfd, 0, 0, POSIX_FADV_DONTNEED), 0);
        close(nfd);
        ck_assert_int_eq(rename(other, path), 0);
        if (ahead) ck_assert_int_eq(dread_ahead(&d, 64u << 10), 0);
        for (size_t at = 0; at < RSIZE;) {
            size_t n = 1 + rnd(200000);
            if (n > RSIZE - at) n = RSIZE - at;
            ck_assert_int_eq(dread_at(&d, buf, n, (long long)at), 0);
            for (size_t i = 0; i < n; i++)
                if (buf[i] != byte(at + i))
                    ck_abort_msg("ahead %d, at %zu: byte %zu is the new file's", ahead, at, i);
            at += n;
        }
        dread_close(&d);
        close(fd);
        free(buf);
    }
}
END_TEST

/* Where the file cannot be opened with O_DIRECT (a file system that
 * refuses it: here, a name that does not open), every byte goes through
 * the ordinary descriptor, both ways.  Fails when a fallback loses or
 * misplaces bytes. */
START_TEST(plain_when_direct_refused)
{
    static const char nowhere[] = "/nonexistent-cxds/f";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    size_t n = (9u << 20) + 77;
    unsigned char *p = malloc(n), *q = malloc(n);
    ck_assert(p && q);
    for (size_t i = 0; i < n; i++) p[i] = byte(i);
    ck_assert_int_eq(pwrite(fd, "0123456789", 10, 0), 10);
    dstream d;
    ck_assert_int_eq(dstream_open(&d, fd, nowhere, 7), 0); /* keeps "0123456" */
    ck_assert_int_eq(dstream_direct(&d), 0);
    ck_assert_int_eq(dstream_put(&d, p, n / 2, 7), 0);
    ck_assert_int_eq(dstream_put(&d, p + n / 2, n - n / 2, 7 + (long long)(n / 2)), 0);
    ck_assert_int_eq(dstream_finish(&d), 0);
    dread r;
    dread_init(&r, fd, nowhere);
    ck_assert_int_eq(dread_at(&r, q, 7, 0), 0);
    ck_assert(memcmp(q, "0123456", 7) == 0);
    ck_assert_int_eq(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
    ck_assert_int_eq(dread_at(&r, q, n, 7), 0);
    ck_assert(memcmp(q, p, n) == 0);
    ck_assert_int_eq(r.direct, 0);
    dread_close(&r);
    close(fd);
    free(p);
    free(q);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dstream");
    TCase *tc = tcase_create("dstream");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, writes_every_byte);
    tcase_add_test(tc, leaves_page_cache_alone);
    tcase_add_test(tc, reads_every_byte);
    tcase_add_test(tc, reads_ahead_front_to_back);
    tcase_add_test(tc, reads_the_file_it_opened);
    tcase_add_test(tc, plain_when_direct_refused);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
