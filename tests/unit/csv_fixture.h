/* csv_fixture.h — what the CSV test programs (test_csv.c, test_csv_random.c,
 * test_csv_write.c) share: inputs written to mkstemp files under /tmp,
 * opened and unlinked at once (nothing is left behind even when a test
 * fails), and checks of the records a reader gives.  Included by one .c
 * file per program.
 */
#ifndef CX_CSV_FIXTURE_H
#define CX_CSV_FIXTURE_H

#include "core/csv.h"

#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_suite.h"

#define BLOCK ((size_t)1 << 20) /* the reader's first read size (CSV_BLOCK in csv.c) */

static char err[512];

static inline void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k <= 0) ck_abort_msg("write failed");
        p += k;
        n -= (size_t)k;
    }
}

/* A reader on a temp file holding DATA[0..n); the file is already unlinked. */
static inline csv_reader *open_buf(const char *data, size_t n)
{
    char path[] = "/tmp/cxpulse_test_csv_XXXXXX";
    int fd = mkstemp(path);
    csv_reader *r;

    ck_assert_int_ge(fd, 0);
    write_all(fd, data, n);
    close(fd);
    r = csv_reader_open(path, err, sizeof err);
    unlink(path);
    ck_assert_msg(r != NULL, "open: %s", err);
    return r;
}

static inline csv_reader *open_str(const char *s) { return open_buf(s, strlen(s)); }

/* Reads one record and checks its line and fields, given as "a|b|c". */
static inline void expect(csv_reader *r, long line, const char *joined)
{
    csv_record rec;
    const char *p = joined;
    size_t k = 0;

    ck_assert_msg(csv_read(r, &rec, err, sizeof err) == 1, "want record \"%s\": %s", joined, err);
    ck_assert_int_eq(rec.line, line);
    for (;; k++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        ck_assert_msg(k < rec.nfields, "\"%s\": only %zu fields", joined, rec.nfields);
        ck_assert_int_eq(rec.lens[k], n);
        ck_assert_msg(memcmp(rec.fields[k], p, n) == 0 && rec.fields[k][n] == '\0',
                      "\"%s\": field %zu is \"%s\"", joined, k, rec.fields[k]);
        if (!bar) break;
        p = bar + 1;
    }
    ck_assert_int_eq(rec.nfields, k + 1);
}

static inline void expect_end(csv_reader *r)
{
    csv_record rec;
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 0);
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), 0);
    csv_reader_free(r);
}

/* Reads one record that must fail with RC, message WHY and raw text RAW. */
static inline void expect_fail(csv_reader *r, int rc, long line, const char *why, const char *raw)
{
    csv_record rec;
    ck_assert_int_eq(csv_read(r, &rec, err, sizeof err), rc);
    ck_assert_str_eq(err, why);
    ck_assert_int_eq(rec.line, line);
    ck_assert_int_eq(rec.nfields, 0);
    if (raw) {
        ck_assert_int_eq(rec.raw_len, strlen(raw));
        ck_assert(memcmp(rec.raw, raw, rec.raw_len) == 0);
    }
}

#endif
