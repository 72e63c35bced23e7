/* pagecache_fixture.h — what the tests of reads and writes past the page
 * cache (test_dstream.c, test_rahead.c, test_dspool.c) ask of a file:
 * whether its file system takes O_DIRECT, and how many of its pages the
 * page cache holds; and the bytes they write (a pattern no offset slip
 * keeps) in pieces of random sizes.
 */
#ifndef CX_PAGECACHE_FIXTURE_H
#define CX_PAGECACHE_FIXTURE_H

#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Whether PATH (made if missing) can be opened with O_DIRECT. */
static inline int direct_here(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_DIRECT, 0644);
    if (fd < 0) return 0;
    close(fd);
    return 1;
}

/* Pages of PATH's first SIZE bytes the page cache holds (mincore on a
 * mapping never touched). */
static inline size_t resident(const char *path, size_t size)
{
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    long ps = sysconf(_SC_PAGESIZE);
    size_t np = (size + (size_t)ps - 1) / (size_t)ps, n = 0;
    void *m = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    ck_assert(m != MAP_FAILED);
    unsigned char *v = malloc(np);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(mincore(m, size, v), 0);
    for (size_t i = 0; i < np; i++) n += v[i] & 1;
    free(v);
    munmap(m, size);
    close(fd);
    return n;
}

/* Byte I of a test's data. */
static inline unsigned char byte(size_t i) { return (unsigned char)((i * 2654435761u) >> 13); }

/* A number below N, the same sequence every run (xorshift). */
static inline size_t rnd(size_t n)
{
    static uint64_t rng = 88172645463325252ull;
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (size_t)(rng % n);
}

#endif
