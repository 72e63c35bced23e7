/* test_csv_input.c — unit tests for how core/csv.c's reader takes its
 * input: open and read errors, fields and records at the first read's
 * block boundary, many records, the record size limit, a pipe written a
 * byte at a time and inputs that never end.  The record syntax:
 * test_csv.c; shared checks: csv_fixture.h.
 */
#include "csv_fixture.h"

#include <signal.h>

START_TEST(test_open_errors)
{
    char path[] = "/tmp/cxpulse_test_dir_XXXXXX";
    char want[600], got[600];
    csv_reader *r;
    int fd;

    ck_assert_ptr_nonnull(mkdtemp(path));
    fd = open(path, O_RDONLY);
    r = csv_reader_open(path, got, sizeof got);
    rmdir(path); /* before any check can fail */
    ck_assert_ptr_null(r);
    snprintf(want, sizeof want, "%s: is a directory", path);
    ck_assert_str_eq(got, want);
    ck_assert_ptr_null(csv_reader_from_fd(fd, "dir.csv", err, sizeof err));
    ck_assert_str_eq(err, "dir.csv: is a directory");
    close(fd);
    ck_assert_ptr_null(csv_reader_open("/nonexistent/x.csv", err, sizeof err));
    ck_assert_str_eq(err, "/nonexistent/x.csv: No such file or directory");
    ck_assert_ptr_null(csv_reader_from_fd(-1, "bad.csv", err, sizeof err));
    ck_assert_str_eq(err, "bad.csv: Bad file descriptor");
}
END_TEST

START_TEST(test_read_error)
{
    int fd = open("/dev/null", O_WRONLY);
    csv_reader *r = csv_reader_from_fd(fd, "w.csv", err, sizeof err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(csv_reader_name(r), "w.csv");
    expect_fail(r, -1, 1, "w.csv:1: Bad file descriptor", "");
    expect_end(r);
    ck_assert_int_eq(close(fd), 0);   /* from_fd leaves FD open */
    fd = open("/dev/null", O_RDONLY); /* a known stdin in this forked test */
    ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    r = csv_reader_open("-", err, sizeof err);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(csv_reader_name(r), "stdin");
    csv_reader_free(r);
    ck_assert_int_ne(fcntl(STDIN_FILENO, F_GETFD), -1); /* stdin not closed */
}
END_TEST

START_TEST(test_big_field)
{
    size_t n = 1000 * 1000, k;
    char *data = malloc(2 * n + 16), *want = malloc(n + 1);
    csv_reader *r;
    csv_record rec;

    ck_assert(data && want);
    for (k = 0; k < n; k++) want[k] = (char)('a' + k % 26);
    want[n] = '\0';
    memcpy(data, want, n); /* unquoted 1 MB field */
    memcpy(data + n, ",x\n", 3);
    r = open_buf(data, n + 3);
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    ck_assert_int_eq(rec.nfields, 2);
    ck_assert_int_eq(rec.lens[0], n);
    ck_assert(memcmp(rec.fields[0], want, n) == 0);
    expect_end(r);
    for (k = 0; k < n; k++) /* quoted, quotes and newlines inside */
        want[k] = k % 1000 == 7 ? '"' : k % 1000 == 9 ? '\n' : (char)('a' + k % 26);
    data[0] = '"';
    for (k = 0, n = 1; k < 1000 * 1000; k++) {
        data[n++] = want[k];
        if (want[k] == '"') data[n++] = '"';
    }
    memcpy(data + n, "\"\nnext\n", 7);
    r = open_buf(data, n + 7);
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    ck_assert_int_eq(rec.nfields, 1);
    ck_assert_int_eq(rec.lens[0], 1000 * 1000);
    ck_assert(memcmp(rec.fields[0], want, 1000 * 1000) == 0);
    expect(r, 1002, "next"); /* 1000 embedded newlines */
    expect_end(r);
    free(data);
    free(want);
}
END_TEST

/* Puts the tricky records at every offset around the first read's end, so
 * the refill happens inside a quote, between "" and after a CR. */
START_TEST(test_block_boundary)
{
    static const char tricky[] = "x,\"a\"\"b\r\nc\",\r\nq\rend\n";
    size_t tlen = sizeof tricky - 1;
    char *data = malloc(BLOCK + 64);

    ck_assert_ptr_nonnull(data);
    for (size_t off = 0; off <= tlen + 1; off++) {
        size_t start = BLOCK - off, pad = start - 3;
        csv_reader *r;
        memcpy(data, "p,", 2);
        memset(data + 2, 'z', pad);
        data[start - 1] = '\n';
        memcpy(data + start, tricky, tlen);
        r = open_buf(data, start + tlen);
        {
            csv_record rec;
            ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
            ck_assert_int_eq(rec.lens[1], pad);
        }
        expect(r, 2, "x|a\"b\r\nc|");
        expect(r, 4, "q");
        expect(r, 5, "end");
        expect_end(r);
    }
    free(data);
}
END_TEST

/* 80,000 records (> 2 MiB) with quoted multi-line fields: every record,
 * including those cut by a refill, comes back whole with its line. */
START_TEST(test_many_records)
{
    size_t cap = 8u << 20, n = 0;
    char *data = malloc(cap), want[128];
    csv_reader *r;
    csv_record rec;
    int i;

    ck_assert_ptr_nonnull(data);
    for (i = 0; i < 80000; i++)
        n += (size_t)snprintf(data + n, cap - n, "%d,\"v\"\"%d\nline\",tail_%d%s", i, i, i,
                              i % 3 ? "\n" : "\r\n");
    ck_assert_int_gt(n, 2 * BLOCK);
    r = open_buf(data, n);
    for (i = 0; i < 80000; i++) {
        if (csv_read(r, &rec, err, sizeof err) != 1 || rec.nfields != 3 || rec.line != 1 + 2L * i)
            ck_abort_msg("record %d: %s", i, err);
        snprintf(want, sizeof want, "v\"%d\nline", i);
        if (strcmp(rec.fields[1], want) != 0 || strtol(rec.fields[0], NULL, 10) != i)
            ck_abort_msg("record %d: fields %s %s", i, rec.fields[0], rec.fields[1]);
    }
    expect_end(r);
    free(data);
}
END_TEST

/* A record of exactly CSV_MAX_RECORD bytes is read; one over it is
 * reported (-2) and skipped, even when it holds quoted line breaks. */
START_TEST(test_record_limit)
{
    size_t max = CSV_MAX_RECORD, over = max + 1000, k;
    char path[] = "/tmp/cxpulse_test_csv_XXXXXX", *chunk = malloc(BLOCK), want[600];
    int fd = mkstemp(path);
    csv_reader *r;
    csv_record rec;
    long breaks = 0;

    ck_assert(fd >= 0 && chunk);
    memset(chunk, 'a', BLOCK);
    for (k = 0; k < max; k += BLOCK) write_all(fd, chunk, BLOCK); /* line 1: max bytes, unquoted */
    write_all(fd, "\n\"", 2);                                     /* line 2: an oversized quoted field */
    chunk[BLOCK / 2] = '\n';
    chunk[BLOCK / 2 + 1] = '\r';
    for (k = 1; k < over; k += BLOCK, breaks += 2) write_all(fd, chunk, BLOCK);
    write_all(fd, "\"\r\nafter\n", 9);
    close(fd);
    r = csv_reader_open(path, err, sizeof err);
    unlink(path);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    ck_assert_int_eq(rec.lens[0], max);
    ck_assert_int_eq(rec.raw_len, max);
    snprintf(want, sizeof want, "%s:2: record longer than 67108864 bytes", path);
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), -2);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(rec.line, 2);
    ck_assert_int_eq(rec.raw_len, 1024); /* only the start is kept */
    ck_assert(rec.raw[0] == '"' && rec.raw[1] == 'a');
    expect(r, 3 + breaks, "after");
    expect_end(r);
    free(chunk);
}
END_TEST

/* The same input through a pipe written a byte at a time: reads end at
 * arbitrary places (inside the BOM, a "", a CRLF). */
START_TEST(test_pipe_trickle)
{
    static const char in[] = "\xEF\xBB\xBFh1,h2\r\n\"a\"\"\r\nb\",\"\"\rc,d\n\"q\"x\nlast";
    int p[2];
    pid_t pid;
    csv_reader *r;
    char want[600];

    ck_assert_int_eq(pipe(p), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(p[0]);
        for (size_t k = 0; k < sizeof in - 1; k++) {
            if (write(p[1], in + k, 1) != 1) _exit(1);
            usleep(200);
        }
        _exit(0);
    }
    close(p[1]);
    r = csv_reader_from_fd(p[0], "pipe", err, sizeof err);
    ck_assert_ptr_nonnull(r);
    expect(r, 1, "h1|h2");
    expect(r, 2, "a\"\r\nb|");
    expect(r, 4, "c|d");
    snprintf(want, sizeof want, "pipe:5: unexpected character after closing quote in field 1");
    expect_fail(r, -2, 5, want, "\"q\"x");
    expect(r, 6, "last");
    expect_end(r);
    close(p[0]);
    waitpid(pid, NULL, 0);
}
END_TEST

/* An endless input never ends a record: a child writes PATTERN to a pipe
 * until the reader stops; csv_read must fail with WANT_WHY (fatal, -1)
 * and not spin.  PREFIX goes first. */
static void endless(const char *prefix, const char *pattern, size_t plen, const char *want_why)
{
    int p[2];
    pid_t pid;
    csv_reader *r;
    csv_record rec;
    char chunk[1 << 16];

    for (size_t k = 0; k < sizeof chunk; k++) chunk[k] = pattern[k % plen];
    ck_assert_int_eq(pipe(p), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(p[0]);
        if (write(p[1], prefix, strlen(prefix)) < 0) _exit(1);
        for (;;)
            if (write(p[1], chunk, sizeof chunk - sizeof chunk % plen) < 0) _exit(0);
    }
    close(p[1]);
    r = csv_reader_from_fd(p[0], "pipe", err, sizeof err);
    ck_assert_ptr_nonnull(r);
    int rc;
    while ((rc = csv_read(r, &rec, err, sizeof err)) == 1)
        ;
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, want_why) != NULL, "%s", err);
    ck_assert_uint_le(rec.raw_len, 1024); /* the reject keeps only the start */
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 0);
    csv_reader_free(r);
    close(p[0]);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* /dev/zero and a quoted field that never closes: both end with an error. */
START_TEST(test_endless_record)
{
    endless("", "\0", 1, "pipe:1: record longer than the size limit does not end within the skip limit");
    endless("", "x", 1, "pipe:1: record longer than the size limit does not end within the skip limit");
    endless("id,comment\n1,\"", "y\n", 2,
            "pipe:2: record longer than the size limit does not end within the skip limit");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv_input");
    TCase *tc = tcase_create("csv_input");
    tcase_set_timeout(tc, 120); /* the record-limit test moves 130 MB, slow under ASan */
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_read_error);
    tcase_add_test(tc, test_big_field);
    tcase_add_test(tc, test_block_boundary);
    tcase_add_test(tc, test_many_records);
    tcase_add_test(tc, test_record_limit);
    tcase_add_test(tc, test_pipe_trickle);
    tcase_add_test(tc, test_endless_record);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
