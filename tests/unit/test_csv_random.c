/* test_csv_random.c — core/csv.c's reader against a byte-at-a-time
 * reading of the rules in csv.h, on random small and large inputs (block
 * boundaries, quotes, line ends).  Shared checks: csv_fixture.h.
 */
#include "csv_fixture.h"

/* ---- differential test against a byte-at-a-time reading of csv.h ---- */

static void put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
    if (*o + n >= cap) ck_abort_msg("parse output too long"); /* ck_assert costs a write */
    memcpy(out + *o, s, n);
    *o += n;
    out[*o] = '\0';
}

/* Each record as "LINE:f1|f2#", a bad one as "LINE:BAD#", then
 * "LINE:UNTERMINATED" if the input ends inside quotes. */
static void ref_parse(const char *s, size_t n, char *out, size_t cap)
{
    size_t p = 0, o = 0, mark;
    long line = 1;
    char num[32], c = 0;

    out[0] = '\0';
    while (p < n) {
        int st = 0, bad = 0; /* 0 field start, 1 unquoted, 2 quoted, 3 closed, 4 skip */
        mark = o;
        put(out, cap, &o, num, (size_t)snprintf(num, sizeof num, "%ld:", line));
        for (;;) {
            if (p == n) {
                if (st == 2) {
                    o = mark;
                    put(out, cap, &o, num, strlen(num));
                    put(out, cap, &o, "UNTERMINATED", 12);
                    return;
                }
                break;
            }
            c = s[p++];
            if (st == 0) {
                if (c == '"') {
                    st = 2;
                    continue;
                }
                st = 1;
            }
            if (st == 2) {
                if (c == '"') {
                    st = 3;
                    continue;
                }
                if (c == '\r' || (c == '\n' && s[p - 2] != '\r')) line++;
                put(out, cap, &o, &c, 1);
                continue;
            }
            if (st == 3 && c == '"') {
                put(out, cap, &o, "\"", 1);
                st = 2;
                continue;
            }
            if (c == '\r' || c == '\n') break;
            if (st == 4) continue;
            if (c == ',') {
                put(out, cap, &o, "|", 1);
                st = 0;
                continue;
            }
            if (st == 3) {
                bad = 1;
                st = 4;
                continue;
            }
            put(out, cap, &o, &c, 1);
        }
        line++;
        if (c == '\r' && p < n && s[p] == '\n') p++;
        if (bad) {
            o = mark;
            put(out, cap, &o, num, strlen(num));
            put(out, cap, &o, "BAD", 3);
        }
        put(out, cap, &o, "#", 1);
    }
}

/* The reader's view of the input in ref_parse's notation. */
static void reader_parse(csv_reader *r, char *out, size_t cap)
{
    csv_record rec;
    size_t o = 0;
    char num[32];
    int rc;

    out[0] = '\0';
    while ((rc = csv_read(r, &rec, err, sizeof err)) != 0) {
        put(out, cap, &o, num, (size_t)snprintf(num, sizeof num, "%ld:", rec.line));
        if (rc == -1) {
            put(out, cap, &o, "UNTERMINATED", 12);
            break;
        }
        if (rc == -2) put(out, cap, &o, "BAD", 3);
        for (size_t k = 0; k < rec.nfields; k++) {
            if (k) put(out, cap, &o, "|", 1);
            put(out, cap, &o, rec.fields[k], rec.lens[k]);
        }
        put(out, cap, &o, "#", 1);
    }
    csv_reader_free(r);
}

/* Short random inputs over the bytes that matter, through a pipe. */
START_TEST(test_random_small)
{
    static const char alpha[] = "aab,,\"\"\"\r\n\n";
    char in[64], want[1024], got[1024];
    unsigned seed = 12345;

    for (int iter = 0; iter < 20000; iter++) {
        size_t n = (size_t)(rand_r(&seed) % 40);
        int p[2];
        for (size_t k = 0; k < n; k++) in[k] = alpha[rand_r(&seed) % (sizeof alpha - 1)];
        if (pipe(p) != 0) ck_abort_msg("pipe failed");
        write_all(p[1], in, n);
        close(p[1]);
        ref_parse(in, n, want, sizeof want);
        reader_parse(csv_reader_from_fd(p[0], "pipe", err, sizeof err), got, sizeof got);
        close(p[0]);
        if (strcmp(want, got) != 0) ck_abort_msg("input %d differs:\nwant %s\ngot  %s", iter, want, got);
    }
}
END_TEST

/* 4 MB of random records, mostly well formed, so that refills and scan
 * windows cut every kind of construct somewhere. */
START_TEST(test_random_large)
{
    static const char *pieces[] = {"abc",        "a\"b",     "\"x,y\"",   "\"q\"\"q\"",
                                   "\"l\r\nm\"", "\"n\no\"", "\"cr\rx\"", "",
                                   "\"\"",       "\"j\"k",   "\"\"\"\"",  "longer-unquoted-field-text"};
    static const char *terms[] = {"\n", "\r\n", "\r"};
    const char *term;
    size_t cap = 6u << 20, n = 0, outcap = 16u << 20;
    char *in = malloc(cap), *want = malloc(outcap), *got = malloc(outcap);
    unsigned seed = 99;

    ck_assert(in && want && got);
    while (n < (4u << 20)) {
        int nf = 1 + rand_r(&seed) % 6;
        for (int f = 0; f < nf; f++) {
            const char *pc = pieces[rand_r(&seed) % (sizeof pieces / sizeof *pieces)];
            if (f) in[n++] = ',';
            memcpy(in + n, pc, strlen(pc));
            n += strlen(pc);
        }
        term = terms[rand_r(&seed) % 3];
        memcpy(in + n, term, strlen(term));
        n += strlen(term);
    }
    ref_parse(in, n, want, outcap);
    reader_parse(open_buf(in, n), got, outcap);
    ck_assert_int_eq(strlen(got), strlen(want));
    ck_assert(strcmp(want, got) == 0);
    free(in);
    free(want);
    free(got);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("csv_random");
    TCase *tc = tcase_create("csv_random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_random_small);
    tcase_add_test(tc, test_random_large);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
