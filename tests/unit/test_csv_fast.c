/* test_csv_fast.c — csv_read's fast path (the block scanner over the
 * buffer's whole lines, core/csv.c fast_record) against csv_read without
 * it, call by call: the same return, message, fields (bytes and lengths),
 * line, raw text, and the reader's offset and line after each record.
 * Random inputs of several MB (refills cut records of every kind), with
 * NUL bytes, UTF-8, quoted line breaks of every kind, junk after a
 * closing quote, empty lines, a byte-order mark, records of many fields
 * and long ones; read from files and from pipes fed in small pieces
 * (other buffer ends).  Shared checks: csv_fixture.h.
 */
#include "core/csv_int.h"
#include "csv_fixture.h"

#include <stdio.h>

static unsigned next(unsigned *seed) { return (unsigned)rand_r(seed); }

/* A random input of about N bytes into OUT (room for N + 1 MB). */
static size_t make_input(char *out, size_t n, unsigned seed, int bom)
{
    static const char *pieces[] = {"abc",          "a\"b",     "\"x,y\"",   "\"q\"\"q\"",
                                   "\"l\r\nm\"",   "\"n\no\"", "\"cr\rx\"", "",
                                   "\"\"",         "\"j\"k",   "\"\"\"\"",  "caf\xc3\xa9",
                                   "n\0ul",        "\"a\0\"",  "12.5",      "2026-03-01T10:00:00Z",
                                   "\"\r\n\r\n\"", "\xff\xfe", "\"\n\""};
    static const size_t plen[] = {3, 3, 5, 6, 6, 5, 6, 0, 2, 4, 4, 5, 4, 4, 4, 20, 6, 2, 3};
    static const char *terms[] = {"\n", "\r\n", "\r", "\n\n", "\r\n\r\n"};
    size_t o = 0;
    if (bom) {
        memcpy(out, "\xEF\xBB\xBF", 3);
        o = 3;
    }
    memcpy(out + o, "id,score,comment\n", 17); /* no UTF-16 look at the start */
    o += 17;
    while (o < n) {
        unsigned kind = next(&seed) % 100;
        int nf = kind < 3 ? 200 + (int)(next(&seed) % 200) : 1 + (int)(next(&seed) % 14);
        for (int f = 0; f < nf; f++) {
            if (f) out[o++] = ',';
            if (kind >= 3 && kind < 5 && f == 0) { /* a long field, sometimes quoted */
                size_t len = 1000 + next(&seed) % 70000;
                int q = next(&seed) % 2;
                if (q) out[o++] = '"';
                for (size_t k = 0; k < len; k++) out[o++] = (char)('a' + k % 26);
                if (q) out[o++] = '"';
                continue;
            }
            unsigned pc = next(&seed) % (sizeof pieces / sizeof *pieces);
            memcpy(out + o, pieces[pc], plen[pc]);
            o += plen[pc];
        }
        const char *t = terms[next(&seed) % (sizeof terms / sizeof *terms)];
        memcpy(out + o, t, strlen(t));
        o += strlen(t);
    }
    if (next(&seed) % 2) out[o++] = 'z'; /* a last record without a line end */
    return o;
}

/* The two readers, call by call. */
static void compare(csv_reader *fast, csv_reader *slow, const char *what)
{
    char e1[512], e2[512];
    long n = 0;
    for (;; n++) {
        csv_record a, b;
        e1[0] = e2[0] = '\0';
        int r1 = csv_read(fast, &a, e1, sizeof e1), r2 = csv_read(slow, &b, e2, sizeof e2);
        if (r1 != r2) ck_abort_msg("%s: record %ld: %d against %d (%s / %s)", what, n, r1, r2, e1, e2);
        if (r1 == 0) break;
        if (r1 < 0 && strcmp(csv_error_reason(fast, e1), csv_error_reason(slow, e2)) != 0)
            ck_abort_msg("%s: record %ld: \"%s\" against \"%s\"", what, n, e1, e2);
        if (a.line != b.line || a.nfields != b.nfields || a.raw_len != b.raw_len ||
            memcmp(a.raw, b.raw, a.raw_len) != 0)
            ck_abort_msg("%s: record %ld: line %ld/%ld, %zu/%zu fields, raw %zu/%zu bytes", what, n, a.line,
                         b.line, a.nfields, b.nfields, a.raw_len, b.raw_len);
        for (size_t k = 0; k < a.nfields; k++)
            if (a.lens[k] != b.lens[k] || memcmp(a.fields[k], b.fields[k], a.lens[k] + 1) != 0)
                ck_abort_msg("%s: record %ld line %ld: field %zu differs", what, n, a.line, k);
        if (r1 == -1) break;
        long l1, l2;
        long long t1 = csv_reader_tell(fast, &l1), t2 = csv_reader_tell(slow, &l2);
        if (t1 != t2 || l1 != l2)
            ck_abort_msg("%s: after record %ld: at %lld line %ld against %lld line %ld", what, n, t1, l1, t2,
                         l2);
    }
    ck_assert_int_gt(n, 0);
}

START_TEST(test_fast_files)
{
    size_t cap = 7u << 20;
    char *in = malloc(cap), what[64];
    ck_assert_ptr_nonnull(in);
    for (unsigned seed = 1; seed <= 6; seed++) {
        size_t n = make_input(in, (size_t)(1u << 20) * (seed % 3 + 2) + seed * 4099, seed, seed == 4);
        csv_reader *slow = open_buf(in, n), *fast = open_buf(in, n);
        csv_reader_no_fast_path(slow);
        snprintf(what, sizeof what, "file %u", seed);
        compare(fast, slow, what);
        csv_reader_free(fast);
        csv_reader_free(slow);
    }
    free(in);
}
END_TEST

/* The input through a pipe in pieces of 1 to 5,000 bytes: every read
 * ends somewhere else in a record. */
static csv_reader *open_trickle(const char *in, size_t n, unsigned seed, pid_t *pid)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    *pid = fork();
    ck_assert_int_ge(*pid, 0);
    if (*pid == 0) {
        close(p[0]);
        for (size_t o = 0; o < n;) {
            size_t k = 1 + next(&seed) % 5000;
            if (k > n - o) k = n - o;
            write_all(p[1], in + o, k);
            o += k;
            if (next(&seed) % 8 == 0) usleep(50);
        }
        _exit(0);
    }
    close(p[1]);
    csv_reader *r = csv_reader_from_fd(p[0], "pipe", err, sizeof err);
    ck_assert_ptr_nonnull(r);
    return r;
}

START_TEST(test_fast_pipes)
{
    size_t cap = 3u << 20;
    char *in = malloc(cap), what[64];
    ck_assert_ptr_nonnull(in);
    for (unsigned seed = 11; seed <= 13; seed++) {
        size_t n = make_input(in, (size_t)(1u << 20) + seed * 811, seed, 0);
        pid_t p1, p2;
        csv_reader *fast = open_trickle(in, n, seed, &p1), *slow = open_trickle(in, n, seed * 7, &p2);
        csv_reader_no_fast_path(slow);
        snprintf(what, sizeof what, "pipe %u", seed);
        compare(fast, slow, what);
        close(csv_reader_fd(fast));
        close(csv_reader_fd(slow));
        csv_reader_free(fast);
        csv_reader_free(slow);
        waitpid(p1, NULL, 0);
        waitpid(p2, NULL, 0);
    }
    free(in);
}
END_TEST

/* A seek into the buffer (as the chunked reader's resync does) and reads
 * on from there: the same records as a reader without the fast path. */
START_TEST(test_fast_seek)
{
    size_t cap = 4u << 20;
    char *in = malloc(cap);
    ck_assert_ptr_nonnull(in);
    size_t n = make_input(in, (size_t)(2u << 20), 77, 0);
    csv_reader *fast = open_buf(in, n), *slow = open_buf(in, n);
    csv_reader_no_fast_path(slow);
    csv_record rec;
    for (int i = 0; i < 3000; i++) {
        ck_assert_int_ne(csv_read(fast, &rec, err, sizeof err), 0);
        ck_assert_int_ne(csv_read(slow, &rec, err, sizeof err), 0);
    }
    long line;
    long long at = csv_reader_tell(slow, &line);
    for (int i = 0; i < 500; i++) ck_assert_int_ne(csv_read(fast, &rec, err, sizeof err), 0);
    ck_assert_int_eq(csv_reader_seek(fast, at, line), 0);
    compare(fast, slow, "seek");
    csv_reader_free(fast);
    csv_reader_free(slow);
    free(in);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv_fast");
    TCase *tc = tcase_create("csv_fast");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fast_files);
    tcase_add_test(tc, test_fast_pipes);
    tcase_add_test(tc, test_fast_seek);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
