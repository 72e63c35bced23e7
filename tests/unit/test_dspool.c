/* test_dspool.c — a spool written through a stdio stream past the page
 * cache and read back past it (core/dspool.c, core/dsfile.c): every byte
 * comes back in order, in pieces of at most a MiB, as often as asked; the
 * file leaves no name behind and (where O_DIRECT is taken) almost none of
 * its pages in the page cache; where O_DIRECT is refused the bytes are
 * the same; a write the file system refuses is said at the finish with
 * its errno; the reader's nonzero stops the reading and is returned.  An
 * output written atomically (core/afile.c) holds every byte, its first
 * AFILE_PLAIN bytes in the page cache and the rest not; one the file
 * system refuses past that point fails at the commit and leaves the old
 * file whole and no temporary file.
 */
#define _GNU_SOURCE
#include "core/afile.h"
#include "core/dspool.h"
#include "pagecache_fixture.h"
#include "run_suite.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/cxsp.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("TMPDIR", dir, 1);
}

static void teardown(void)
{
    char probe[128];
    snprintf(probe, sizeof probe, "%s/probe", dir);
    unlink(probe);
    snprintf(probe, sizeof probe, "%s/out.csv", dir);
    unlink(probe);
    rmdir(dir);
}

#define TOTAL ((AFILE_PLAIN + (5u << 20)) + 777) /* past an output's plain head: chunks and a partial block */

/* TOTAL bytes of the pattern into stream F, in pieces of 1 byte to
 * 300 KB (some through fprintf); each write checked when CHECK. */
static void write_to(FILE *f, int check)
{
    unsigned char *b = malloc(TOTAL);
    ck_assert_ptr_nonnull(b);
    for (size_t i = 0; i < TOTAL; i++) b[i] = byte(i);
    for (size_t at = 0; at < TOTAL;) {
        size_t n = 1 + rnd(rnd(4) ? 300000 : 3);
        if (n > TOTAL - at) n = TOTAL - at;
        size_t put = n == 1 ? (size_t)fprintf(f, "%c", b[at]) : fwrite(b + at, 1, n, f);
        if (check) ck_assert_uint_eq(put, n);
        at += n;
    }
    free(b);
}

static void write_pattern(dspool *p, int check) { write_to(dspool_file(p), check); }

typedef struct got {
    unsigned char *b;
    size_t n, pieces, biggest;
    int stop_at; /* return 7 at this piece (0: never) */
} got;

static int collect(void *ctx, const char *b, size_t n)
{
    got *g = ctx;
    ck_assert_uint_le(g->n + n, TOTAL);
    memcpy(g->b + g->n, b, n);
    g->n += n;
    if (n > g->biggest) g->biggest = n;
    return ++g->pieces == (size_t)g->stop_at ? 7 : 0;
}

/* P read back whole: every byte as written, in pieces of at most a MiB. */
static void check_back(const dspool *p)
{
    got g = {malloc(TOTAL), 0, 0, 0, 0};
    ck_assert_ptr_nonnull(g.b);
    ck_assert_int_eq(dspool_each(p, collect, &g), 0);
    ck_assert_uint_eq(g.n, TOTAL);
    ck_assert_uint_le(g.biggest, 1u << 20);
    for (size_t i = 0; i < TOTAL; i++)
        if (g.b[i] != byte(i)) ck_abort_msg("byte %zu: %d, not %d", i, g.b[i], byte(i));
    free(g.b);
}

/* Entries in the spool's directory besides "." and "..". */
static int entries(void)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

START_TEST(every_byte_back_twice)
{
    dspool p;
    ck_assert_int_eq(dspool_open(&p, "t", 1u << 20), 0);
    ck_assert_int_eq(entries(), 0); /* unlinked at once */
    /* read before the finish: refused, nothing half-written handed out */
    ck_assert_int_eq(dspool_each(&p, collect, NULL), -1);
    write_pattern(&p, 1);
    ck_assert_int_eq(dspool_finish(&p), 0);
    ck_assert_ptr_null(dspool_file(&p));
    check_back(&p);
    check_back(&p);
    got g = {malloc(TOTAL), 0, 0, 0, 3};
    ck_assert_int_eq(dspool_each(&p, collect, &g), 7);
    ck_assert_uint_eq(g.pieces, 3);
    free(g.b);
    dspool_close(&p);
}
END_TEST

START_TEST(leaves_page_cache_alone)
{
    char probe[128];
    snprintf(probe, sizeof probe, "%s/probe", dir);
    if (!direct_here(probe)) return; /* nothing to ask of a file system without O_DIRECT */
    unlink(probe);
    dspool p;
    ck_assert_int_eq(dspool_open(&p, "t", 1u << 20), 0);
    write_pattern(&p, 1);
    ck_assert_int_eq(dspool_finish(&p), 0);
    /* the tail's last partial block goes through the page cache */
    ck_assert_uint_le(resident(p.out.path, TOTAL), 1);
    check_back(&p);
    ck_assert_uint_le(resident(p.out.path, TOTAL), 1);
    dspool_close(&p);
}
END_TEST

START_TEST(same_bytes_without_direct)
{
    /* tmpfs refuses O_DIRECT: the stream and the reads go plainly */
    if (!direct_here("/dev/shm/cxsp-probe")) {
        unlink("/dev/shm/cxsp-probe");
        setenv("TMPDIR", "/dev/shm", 1);
    } else {
        unlink("/dev/shm/cxsp-probe");
        return; /* no file system here refuses it */
    }
    dspool p;
    ck_assert_int_eq(dspool_open(&p, "t", 4096), 0);
    write_pattern(&p, 1);
    ck_assert_int_eq(dspool_finish(&p), 0);
    check_back(&p);
    dspool_close(&p);
}
END_TEST

START_TEST(refused_write_said_at_finish)
{
    /* files limited to 2 MiB: the stream's writes past it fail (EFBIG) */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {2u << 20, 2u << 20};
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    dspool p;
    ck_assert_int_eq(dspool_open(&p, "t", 1u << 20), 0);
    write_pattern(&p, 0);
    errno = 0;
    ck_assert_int_eq(dspool_finish(&p), -1);
    ck_assert_int_eq(errno, EFBIG);
    ck_assert_int_eq(dspool_each(&p, collect, NULL), -1);
    dspool_close(&p);
}
END_TEST

START_TEST(no_directory)
{
    setenv("TMPDIR", "/nonexistent/cxsp", 1);
    dspool p;
    ck_assert_int_eq(dspool_open(&p, "t", 0), -1);
    ck_assert_int_eq(errno, ENOENT);
    dspool_close(&p); /* safe: holds nothing */
}
END_TEST

/* Every byte of the pattern in the file at PATH. */
static void check_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if ((unsigned char)c != byte(n)) ck_abort_msg("%s: byte %zu: %d, not %d", path, n, c, byte(n));
        n++;
    }
    fclose(f);
    ck_assert_uint_eq(n, TOTAL);
}

START_TEST(output_head_plain_rest_past)
{
    char path[128], probe[128], err[256];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    snprintf(probe, sizeof probe, "%s/probe", dir);
    int direct = direct_here(probe);
    unlink(probe);
    afile a;
    ck_assert_int_eq(afile_open(&a, path, err, sizeof err), 0);
    write_to(a.f, 1);
    ck_assert_int_eq(afile_commit(&a, err, sizeof err), 0);
    ck_assert_int_eq(entries(), 1); /* the output, no temporary file */
    size_t pages = resident(path, TOTAL), head = (size_t)AFILE_PLAIN / 4096;
    /* the head as written through the page cache; the rest past it but
     * the last partial block (where O_DIRECT is refused: every page) */
    if (direct) ck_assert_uint_le(pages, head + 1);
    ck_assert_uint_ge(pages, direct ? head - 16 : TOTAL / 4096);
    check_file(path);
}
END_TEST

/* An output refused by the file system once it has LIMIT bytes. */
static void refused_at(rlim_t limit)
{
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    FILE *old = fopen(path, "w");
    ck_assert_ptr_nonnull(old);
    fputs("old\n", old);
    fclose(old);
    /* dropped before the commit: the old file as it was, nothing left */
    afile a;
    ck_assert_int_eq(afile_open(&a, path, err, sizeof err), 0);
    write_to(a.f, 1);
    afile_abort(&a);
    ck_assert_int_eq(entries(), 1);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {limit, limit};
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    ck_assert_int_eq(afile_open(&a, path, err, sizeof err), 0);
    write_to(a.f, 0);
    ck_assert_int_eq(afile_commit(&a, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "write failed: File too large") != NULL, "%s", err);
    ck_assert_int_eq(entries(), 1); /* the old file, no temporary file */
    FILE *f = fopen(path, "r");
    char line[16] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    ck_assert_str_eq(line, "old\n");
}

/* in the head written through the page cache, and past it */
START_TEST(output_refused_in_head) { refused_at(1u << 20); }
END_TEST

START_TEST(output_refused_past_head) { refused_at((rlim_t)AFILE_PLAIN + (2u << 20)); }
END_TEST

/* The write that meets the limit is one larger than the stream's buffer
 * (stdio hands it to the stream's write whole): short, the error kept,
 * and none of the bytes after the caller's read (fopencookie's write must
 * not return -1: glibc took it for a count and read on past them). */
START_TEST(big_write_refused)
{
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim = {1u << 20, 1u << 20};
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
    afile a;
    ck_assert_int_eq(afile_open(&a, path, err, sizeof err), 0);
    /* the bytes end where a page no one may read starts: a read past
     * them stops the test */
    size_t bign = 300000, span = (bign + 4095) / 4096 * 4096;
    char *map = mmap(NULL, span + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(map != MAP_FAILED);
    ck_assert_int_eq(mprotect(map + span, 4096, PROT_NONE), 0);
    char *big = map + span - bign;
    memset(big, 'x', bign);
    for (size_t at = 0; at + 1000 <= (1u << 20) - bign / 3; at += 1000)
        ck_assert_uint_eq(fwrite(big, 1, 1000, a.f), 1000);
    ck_assert_int_eq(fflush(a.f), 0);
    ck_assert_uint_lt(fwrite(big, 1, bign, a.f), bign);
    ck_assert(ferror(a.f));
    munmap(map, span + 4096);
    ck_assert_int_eq(afile_commit(&a, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "write failed: File too large") != NULL, "%s", err);
    ck_assert_int_eq(entries(), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dspool");
    TCase *tc = tcase_create("dspool");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_byte_back_twice);
    tcase_add_test(tc, leaves_page_cache_alone);
    tcase_add_test(tc, same_bytes_without_direct);
    tcase_add_test(tc, refused_write_said_at_finish);
    tcase_add_test(tc, no_directory);
    tcase_add_test(tc, output_head_plain_rest_past);
    tcase_add_test(tc, output_refused_in_head);
    tcase_add_test(tc, output_refused_past_head);
    tcase_add_test(tc, big_write_refused);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
