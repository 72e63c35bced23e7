/* test_rahead.c — reads done ahead on a thread (core/rahead.c): many
 * requests queued at once, at aligned offsets all over a file, each gives
 * exactly the file's bytes (fewer at its end, none past it), read past
 * the page cache where O_DIRECT is taken and through the descriptor where
 * it cannot be, one at a time or gathered 16 at a time; a request
 * resubmitted after its wait reads its new place;
 * stopping with requests still queued drops them and returns.
 */
#define _GNU_SOURCE
#include "core/rahead.h"
#include "pagecache_fixture.h"
#include "run_suite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], path[128];
#define SIZE ((5u << 20) + 1000) /* not a multiple of DIO_ALIGN */
#define N_REQ 64

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cxra.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f", dir);
    unsigned char *p = malloc(SIZE);
    ck_assert_ptr_nonnull(p);
    for (size_t i = 0; i < SIZE; i++) p[i] = byte(i);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, p, SIZE), (ssize_t)SIZE);
    ck_assert_int_eq(fsync(fd), 0);
    ck_assert_int_eq(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
    close(fd);
    free(p);
}

static void teardown(void)
{
    unlink(path);
    rmdir(dir);
}

/* R's bytes against the file's: the count expected from its offset. */
static void check(const ra_req *r)
{
    size_t want = r->at >= (long long)SIZE ? 0 : SIZE - (size_t)r->at;
    if (want > r->cap) want = r->cap;
    ck_assert_uint_eq(r->got, want);
    for (size_t i = 0; i < r->got; i++)
        if ((unsigned char)r->buf[i] != byte((size_t)r->at + i)) ck_abort_msg("at %lld: byte %zu", r->at, i);
}

static void many(const char *name, int gather)
{
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    rahead *ra = ra_start(fd, name, gather);
    ck_assert_ptr_nonnull(ra);
    ra_req r[N_REQ];
    memset(r, 0, sizeof r);
    for (int i = 0; i < N_REQ; i++) {
        r[i].cap = (size_t)(1 + i % 5) * DIO_ALIGN * 3;
        ck_assert_ptr_nonnull(r[i].buf = dio_alloc(r[i].cap));
        long long at = (long long)((size_t)i * 331 % (SIZE / DIO_ALIGN)) * DIO_ALIGN;
        if (i == 0) at = (SIZE / DIO_ALIGN) * DIO_ALIGN;                /* the last, partial block */
        if (i == 1) at = ((long long)SIZE / DIO_ALIGN + 2) * DIO_ALIGN; /* past the end */
        ra_submit(ra, &r[i], at);
    }
    for (int i = N_REQ - 1; i >= 0; i--) { /* waited for in another order */
        ck_assert_int_eq(ra_wait(ra, &r[i]), 0);
        ck_assert_int_eq(r[i].state, RA_DONE);
        check(&r[i]);
    }
    /* again, further on */
    ra_submit(ra, &r[5], 40 * DIO_ALIGN);
    ck_assert_int_eq(ra_wait(ra, &r[5]), 0);
    check(&r[5]);
    /* never queued: an error, not a hang */
    ra_req idle;
    memset(&idle, 0, sizeof idle);
    errno = 0;
    ck_assert_int_eq(ra_wait(ra, &idle), -1);
    ck_assert_int_eq(errno, EINVAL);
    /* stopped with requests queued */
    for (int i = 0; i < N_REQ; i++) ra_submit(ra, &r[i], (long long)i * DIO_ALIGN);
    ra_stop(ra);
    for (int i = 0; i < N_REQ; i++) {
        ck_assert(r[i].state == RA_DONE || r[i].state == RA_IDLE);
        if (r[i].state == RA_DONE) check(&r[i]);
        free(r[i].buf);
    }
    close(fd);
}

START_TEST(direct_reads) { many(path, 1); }
END_TEST

/* A name that does not open: every read through the descriptor. */
START_TEST(plain_reads) { many("/nonexistent-cxra/f", 1); }
END_TEST

/* Requests gathered before they are read (handed to the disk together
 * where AIO is open): the same bytes; a request waited for while fewer
 * than 16 are queued (the one "again, further on") is read, not left
 * waiting for others. */
START_TEST(gathered_reads) { many(path, 16); }
END_TEST

START_TEST(gathered_plain_reads) { many("/nonexistent-cxra/f", 16); }
END_TEST

/* Read past the page cache: the file's pages stay out of it (where
 * O_DIRECT is taken).  Fails when the reads go through the page cache. */
START_TEST(leaves_page_cache_alone)
{
    if (!direct_here(path)) return;
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    rahead *ra = ra_start(fd, path, 1);
    ck_assert_ptr_nonnull(ra);
    ra_req r;
    memset(&r, 0, sizeof r);
    r.cap = 1u << 20;
    ck_assert_ptr_nonnull(r.buf = dio_alloc(r.cap));
    for (long long at = 0; at < (long long)SIZE; at += (long long)r.cap) {
        ra_submit(ra, &r, at);
        ck_assert_int_eq(ra_wait(ra, &r), 0);
        check(&r);
    }
    ra_stop(ra);
    free(r.buf);
    ck_assert_uint_le(resident(path, SIZE), 1);
    close(fd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rahead");
    TCase *tc = tcase_create("rahead");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, direct_reads);
    tcase_add_test(tc, plain_reads);
    tcase_add_test(tc, gathered_reads);
    tcase_add_test(tc, gathered_plain_reads);
    tcase_add_test(tc, leaves_page_cache_alone);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
