/* test_import_digest.c — ingest/import_digest.c: a file's digest made from
 * the bytes a CSV reader hands its tap (core/csvio.c csv_reader_tap) is
 * the digest made by reading the file (import_digest), for files that fill
 * the feed's slots many times over, end inside one, or are empty past the
 * header; a tap set after the reader dropped bytes is refused; a seek
 * away from the buffered bytes, a file whose last bytes were never read,
 * or one that grew after it was opened, give no digest.  A job detached
 * from the reader reads the rest itself, with the same digest.  The SHA-256 of a small file
 * is checked against a value computed once with Python's hashlib:
 *   hashlib.sha256(b"settings\0" + b"a,b\n1,2\n").hexdigest()
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/csv.h"
#include "ingest/import_digest.h"
#include "tests/unit/run_suite.h"

static char path[64];

static void write_file(size_t rows, size_t width)
{
    snprintf(path, sizeof path, "/tmp/cxpulse_digest_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs("a,b\n", f);
    for (size_t i = 0; i < rows; i++) {
        fprintf(f, "%zu,", i);
        for (size_t k = 0; k < width; k++) fputc('a' + (int)((i * 7 + k) % 26), f);
        fputc('\n', f);
    }
    ck_assert_int_eq(fclose(f), 0);
}

/* The digest of PATH through a reader's tap, every record read (or the
 * first STOP when > 0); SEEK: a seek to the start once past the first
 * MiB; DETACH > 0: the job detached once that many records are read (-1:
 * before the first).  0 and HEX, or -1. */
static int fed_detached(const char *settings, char hex[IMPORT_DIGEST_LEN], long stop, int seek, long detach)
{
    char err[256];
    csv_reader *r = csv_reader_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    csv_record rec;
    ck_assert_int_ge(csv_read(r, &rec, err, sizeof err), 0); /* the header, as the import reads it first */
    import_digest_job j;
    struct stat st;
    ck_assert_int_eq(import_digest_fed(&j, csv_reader_fd(r), settings, hex, &st), 0);
    ck_assert_int_eq(csv_reader_tap(r, import_digest_feed, &j), 0);
    long n = 0;
    int rc;
    if (detach < 0) import_digest_detach(&j);
    while ((rc = csv_read(r, &rec, err, sizeof err)) == 1) {
        ++n;
        if (n == detach) import_digest_detach(&j);
        if (stop > 0 && n == stop) break;
        if (seek && csv_reader_tell(r, NULL) > (1 << 20)) {
            ck_assert_int_eq(csv_reader_seek(r, 4, 1), 0);
            seek = 0;
        }
    }
    int got = import_digest_wait(&j);
    csv_reader_free(r);
    return got;
}

static int fed(const char *settings, char hex[IMPORT_DIGEST_LEN], long stop, int seek)
{
    return fed_detached(settings, hex, stop, seek, 0);
}

START_TEST(fed_is_read)
{
    static const size_t rows[] = {0, 1, 3000, 52000, 150000};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        write_file(rows[i], 10 + i * 9);
        char a[IMPORT_DIGEST_LEN], b[IMPORT_DIGEST_LEN];
        struct stat st;
        ck_assert_int_eq(import_digest(path, "cxpulse settings", a, &st), 0);
        ck_assert_int_eq(fed("cxpulse settings", b, 0, 0), 0);
        ck_assert_str_eq(a, b);
        /* not read to its end (past the reader's first read of 1 MiB): no
         * digest; a smaller file was handed over whole by that read */
        ck_assert_int_eq(fed("cxpulse settings", b, 5, 0), st.st_size > (2 << 20) ? -1 : 0);
        /* a seek that leaves the buffer ends the tap: no digest */
        if (st.st_size > (2 << 20)) ck_assert_int_eq(fed("cxpulse settings", b, 0, 1), -1);
        unlink(path);
    }
}
END_TEST

/* A job detached (import_digest_detach) reads the rest of the file
 * itself: the same digest whenever it is detached, before the first
 * record, among them or after the last; and, the reader stopped early,
 * still the whole file's; none for a file that grew. */
START_TEST(detached_is_read)
{
    static const size_t rows[] = {0, 1, 3000, 150000};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        write_file(rows[i], 10 + i * 9);
        char a[IMPORT_DIGEST_LEN], b[IMPORT_DIGEST_LEN];
        struct stat st;
        ck_assert_int_eq(import_digest(path, "cxpulse settings", a, &st), 0);
        long at[] = {-1, 1, (long)rows[i] / 2, (long)rows[i]};
        for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
            if (at[k] == 0) continue;
            memset(b, 0, sizeof b);
            ck_assert_int_eq(fed_detached("cxpulse settings", b, 0, 0, at[k]), 0);
            ck_assert_str_eq(a, b);
        }
        memset(b, 0, sizeof b);
        ck_assert_msg(fed_detached("cxpulse settings", b, 5, 0, 2) == 0, "rows %zu",
                      rows[i]); /* read 5 records only */
        ck_assert_str_eq(a, b);
        unlink(path);
    }
    /* detached, then the file grows: no digest */
    write_file(150000, 30);
    char err[256], hex[IMPORT_DIGEST_LEN];
    csv_reader *r = csv_reader_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    import_digest_job j;
    struct stat st;
    ck_assert_int_eq(import_digest_fed(&j, csv_reader_fd(r), "s", hex, &st), 0);
    ck_assert_int_eq(csv_reader_tap(r, import_digest_feed, &j), 0);
    csv_record rec;
    for (int n = 0; n < 10 && csv_read(r, &rec, err, sizeof err) == 1; n++) continue;
    import_digest_detach(&j);
    FILE *f = fopen(path, "a");
    ck_assert_ptr_nonnull(f);
    fputs("9,late\n", f);
    fclose(f);
    while (csv_read(r, &rec, err, sizeof err) == 1) continue;
    ck_assert_int_eq(import_digest_wait(&j), -1);
    csv_reader_free(r);
    unlink(path);
}
END_TEST

START_TEST(known_value)
{
    snprintf(path, sizeof path, "/tmp/cxpulse_digest_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "a,b\n1,2\n", 8), 8);
    close(fd);
    char hex[IMPORT_DIGEST_LEN];
    ck_assert_int_eq(fed("settings", hex, 0, 0), 0);
    ck_assert_str_eq(hex, "fb129bc288ce143ff2e95d0d528cd8feab19a454080880221b36065d07b58a35");
    unlink(path);
}
END_TEST

START_TEST(tap_refused_after_bytes_dropped)
{
    write_file(200000, 20); /* several MiB: the reader's buffer moves on */
    char err[256];
    csv_reader *r = csv_reader_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    csv_record rec;
    for (int i = 0; i < 100000; i++) ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 1);
    import_digest_job j;
    struct stat st;
    char hex[IMPORT_DIGEST_LEN];
    ck_assert_int_eq(import_digest_fed(&j, csv_reader_fd(r), "s", hex, &st), 0);
    ck_assert_int_eq(csv_reader_tap(r, import_digest_feed, &j), -1);
    ck_assert_int_eq(import_digest_wait(&j), -1); /* fed nothing: not the file */
    csv_reader_free(r);
    unlink(path);
}
END_TEST

START_TEST(grown_file_no_digest)
{
    write_file(3000, 30);
    char err[256];
    csv_reader *r = csv_reader_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(r);
    import_digest_job j;
    struct stat st;
    char hex[IMPORT_DIGEST_LEN];
    ck_assert_int_eq(import_digest_fed(&j, csv_reader_fd(r), "s", hex, &st), 0);
    ck_assert_int_eq(csv_reader_tap(r, import_digest_feed, &j), 0);
    FILE *f = fopen(path, "a"); /* more bytes than the size it was opened with */
    ck_assert_ptr_nonnull(f);
    fputs("9,late\n", f);
    fclose(f);
    csv_record rec;
    while (csv_read(r, &rec, err, sizeof err) == 1) continue;
    ck_assert_int_eq(import_digest_wait(&j), -1);
    csv_reader_free(r);
    unlink(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("import_digest");
    TCase *t = tcase_create("import_digest");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, fed_is_read);
    tcase_add_test(t, detached_is_read);
    tcase_add_test(t, known_value);
    tcase_add_test(t, tap_refused_after_bytes_dropped);
    tcase_add_test(t, grown_file_no_digest);
    suite_add_tcase(s, t);
    return run_suite(s);
}
