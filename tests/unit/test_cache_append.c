/* test_cache_append.c — core/store/cache_write.c cache_append and
 * cache_read.c cache_last_key: blocks added to a cache in its own file.
 * Committed, the file reads back as the old rows then the new ones, under
 * the new generation and row mark, and its last key is the new last row's;
 * while open, its head names no generation (a reader takes it for
 * another's); discarded, the file is byte for byte what it was.  Another
 * store's cache, or one whose build is under way (PATH.tmp locked), is
 * refused and left alone. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/store/cache.h"
#include "core/timeparse.h"
#include "tests/unit/cache_fixture.h"
#include "tests/unit/run_suite.h"

#define OLD (CACHE_BLOCK_ROWS + 300) /* two blocks, the second short */
#define NEW 500

static char path[256], tmp[264];

static void setup(void)
{
    snprintf(path, sizeof path, "/tmp/cx-test-append-%ld", (long)getpid());
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    unlink(path);
    unlink(tmp);
}

static void teardown(void)
{
    unlink(path);
    unlink(tmp);
}

/* Row I: ids rise with I. */
static void row(size_t i, cx_response *r, char *id)
{
    cx_response_clear(r);
    snprintf(id, 32, "r%07zu", i);
    r->source = "csv";
    r->response_id = id;
    r->comment = i % 2 ? "fine" : "";
    r->responded_at = 1767225600 + (int64_t)i * 60;
    r->updated_at = r->responded_at;
    r->score = (int)(i % 11);
}

static void add_rows(cache_writer *w, size_t from, size_t to)
{
    char err[512], id[32];
    for (size_t i = from; i < to; i++) {
        cx_response r;
        row(i, &r, id);
        ck_assert_msg(cache_add(w, &r, time_month_key(r.responded_at), err, sizeof err) == 0, "%s", err);
    }
}

static void write_old(void)
{
    char err[512];
    cache_writer *w = cache_create(path, "store-a", "7", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    add_rows(w, 0, OLD);
    cache_set_mark(w, OLD);
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
}

static char *slurp(size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc(*n ? *n : 1);
    ck_assert_uint_eq(fread(p, 1, *n, f), *n);
    fclose(f);
    return p;
}

/* Row I read back as written. */
static void same_row(size_t i, const cx_response *got, void *ctx)
{
    char id[32];
    cx_response want;
    (void)ctx;
    row(i, &want, id);
    ck_assert_str_eq(got->response_id, want.response_id);
    ck_assert_str_eq(got->comment, want.comment);
    ck_assert_int_eq(got->score, want.score);
    ck_assert_int_eq(got->responded_at, want.responded_at);
}

START_TEST(committed_reads_old_then_new)
{
    write_old();
    char err[512], key[64], id[32];
    cache_writer *w = cache_append(path, "store-a", "9", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    cache_reader *r;
    ck_assert_int_eq(cache_open(path, "store-a", "7", &r, err, sizeof err), 0); /* no generation meanwhile */
    add_rows(w, OLD, OLD + NEW);
    cache_set_mark(w, OLD + NEW);
    ck_assert_msg(cache_commit(w, err, sizeof err) == 0, "%s", err);
    ck_assert_msg(access(tmp, F_OK) != 0, "the lock file was left");
    ck_assert_int_eq(cache_open(path, "store-a", "9", &r, err, sizeof err), 1);
    ck_assert_int_eq(cache_rows(r), OLD + NEW);
    long long mark;
    ck_assert_int_eq(cache_mark(r, &mark), 1);
    ck_assert_int_eq(mark, OLD + NEW);
    ck_assert_int_eq(cache_last_key(r, key, sizeof key), 1);
    row(OLD + NEW - 1, &(cx_response){0}, id);
    ck_assert_str_eq(key, "csv");
    ck_assert_str_eq(key + 4, id);
    size_t rows;
    /* the old blocks as they were, the new one after */
    ck_assert_uint_eq(cache_each_row(r, same_row, NULL, &rows), 3);
    ck_assert_uint_eq(rows, OLD + NEW);
    cache_close(r);
}
END_TEST

START_TEST(discarded_is_as_before)
{
    write_old();
    size_t n0, n1;
    char *before = slurp(&n0), err[512];
    cache_writer *w = cache_append(path, "store-a", "9", err, sizeof err);
    ck_assert_msg(w != NULL, "%s", err);
    add_rows(w, OLD, OLD + 3 * CACHE_BLOCK_ROWS / 2); /* a block written, another gathered */
    cache_discard(w);
    char *after = slurp(&n1);
    ck_assert_uint_eq(n1, n0);
    ck_assert_msg(memcmp(before, after, n0) == 0, "the file differs from what it was");
    ck_assert_msg(access(tmp, F_OK) != 0, "the lock file was left");
    cache_reader *r;
    ck_assert_int_eq(cache_open(path, "store-a", "7", &r, err, sizeof err), 1);
    cache_close(r);
    free(before);
    free(after);
}
END_TEST

START_TEST(refused_and_left_alone)
{
    write_old();
    size_t n0, n1;
    char *before = slurp(&n0), err[512];
    ck_assert_ptr_null(cache_append(path, "store-b", "9", err, sizeof err)); /* another store's */
    ck_assert_msg(strstr(err, "not this store's") != NULL, "%s", err);
    int fd = open(tmp, O_WRONLY | O_CREAT, 0644); /* a build under way */
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    ck_assert_int_eq(fcntl(fd, F_SETLK, &lk), 0);
    pid_t pid = fork();
    if (pid == 0) { /* fcntl locks are per process: try from another */
        char e[512];
        _exit(cache_append(path, "store-a", "9", e, sizeof e) == NULL && strstr(e, "under way") ? 0 : 1);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a locked cache was taken");
    close(fd);
    char *after = slurp(&n1);
    ck_assert_uint_eq(n1, n0);
    ck_assert_msg(memcmp(before, after, n0) == 0, "a refused append changed the file");
    free(before);
    free(after);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cache_append");
    TCase *t = tcase_create("append");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, committed_reads_old_then_new);
    tcase_add_test(t, discarded_is_as_before);
    tcase_add_test(t, refused_and_left_alone);
    suite_add_tcase(s, t);
    return run_suite(s);
}
