/* fuzz_csv.c — the CSV reader (core/csv.c, through csv_reader_from_fd on a
 * file descriptor) and the responses row mapper (core/respcsv.c) on
 * arbitrary bytes.
 *
 * Properties checked:
 *  - records come with increasing line numbers and raw text inside the input;
 *  - every good record, written back with the CSV writer, reads back with
 *    the same fields (bytes and lengths, NULs included);
 *  - taking the first record as a responses header, every row the mapper
 *    accepts has a non-empty id, a score 0..10, moments within the scale,
 *    timestamps in 0000..9999, and valid UTF-8 without NUL in every text
 *    value and attribute name;
 *  - export is a fixed point: the accepted rows exported, imported again
 *    and exported again give the same bytes (docs/formats.md "export": round trip);
 *  - csv_read's fast path (the block scanner over the buffer's whole
 *    lines) gives what its byte scanner alone gives, call by call: the
 *    return, the fields, the line, the raw text and the offset after.
 */
#include "tests/fuzz/fuzz.h"

#include "core/csv.h"
#include "core/csv_int.h"
#include "core/respcsv.h"
#include "core/timeparse.h"

#define MAX_RECORDS 2048
#define TIME_MIN CX_TIME_MIN
#define TIME_MAX 253402300799LL

typedef struct rec_copy {
    size_t n;
    char **f;
    size_t *len;
} rec_copy;

static void copy_record(rec_copy *c, const csv_record *rec)
{
    c->n = rec->nfields;
    c->f = calloc(c->n ? c->n : 1, sizeof *c->f);
    c->len = calloc(c->n ? c->n : 1, sizeof *c->len);
    if (!c->f || !c->len) fuzz_fail("out of memory");
    for (size_t i = 0; i < c->n; i++) {
        c->len[i] = rec->lens[i];
        c->f[i] = malloc(rec->lens[i] + 1);
        if (!c->f[i]) fuzz_fail("out of memory");
        memcpy(c->f[i], rec->fields[i], rec->lens[i] + 1);
    }
}

static void free_copy(rec_copy *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->f[i]);
    free(c->f);
    free(c->len);
}

/* Reads every byte (so the sanitizer checks that the range is valid). */
volatile unsigned fuzz_sink;
static void touch(const char *p, size_t n)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) x += (unsigned char)p[i];
    fuzz_sink = x;
}

static int text_ok(const char *s) { return s != NULL && utf8_valid(s, strlen(s)); }

static void check_response(const cx_response *r, int lo, int hi)
{
    FUZZ_CHECK(r->response_id && r->response_id[0]);
    FUZZ_CHECK(r->score >= 0 && r->score <= 10);
    FUZZ_CHECK(r->responded_at >= TIME_MIN && r->responded_at <= TIME_MAX);
    FUZZ_CHECK(r->updated_at >= TIME_MIN && r->updated_at <= TIME_MAX);
    FUZZ_CHECK(r->n_moments <= CX_MAX_MOMENTS && r->n_attrs <= CX_MAX_ATTRS);
    for (size_t i = 0; i < r->n_moments; i++) FUZZ_CHECK(r->moments[i] >= lo && r->moments[i] <= hi);
    FUZZ_CHECK(!r->has_handle_time || r->handle_time_s >= 0);
    const char *text[] = {r->source,   r->response_id, r->comment, r->customer_id,
                          r->agent_id, r->channel,     r->product, r->interaction_type};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++) FUZZ_CHECK(text_ok(text[i]));
    for (size_t i = 0; i < r->n_attrs; i++) {
        FUZZ_CHECK(text_ok(r->attrs[i].key) && r->attrs[i].key[0]);
        FUZZ_CHECK(text_ok(r->attrs[i].value));
    }
}

/* Reads the CSV text BUF back and compares it with the N records in WANT. */
static void check_reread(const char *buf, size_t len, const rec_copy *want, size_t n)
{
    char err[512];
    int fd = fuzz_file(1, buf, len, NULL);
    FUZZ_CHECK(fd >= 0);
    csv_reader *rd = csv_reader_from_fd(fd, "reread", err, sizeof err);
    FUZZ_CHECK(rd != NULL);
    csv_record rec;
    size_t k = 0;
    int rc;
    while ((rc = csv_read(rd, &rec, err, sizeof err)) == 1) {
        FUZZ_CHECK(k < n);
        FUZZ_CHECK(rec.nfields == want[k].n);
        for (size_t i = 0; i < rec.nfields; i++) {
            FUZZ_CHECK(rec.lens[i] == want[k].len[i]);
            FUZZ_CHECK(memcmp(rec.fields[i], want[k].f[i], rec.lens[i]) == 0);
        }
        k++;
    }
    FUZZ_CHECK(rc == 0 && k == n);
    csv_reader_free(rd);
}

/* Export → import → export of the accepted rows gives the same bytes. */
static void check_export_fixed_point(const char *exp, size_t len, const resp_header *h0)
{
    char err[512], *buf2 = NULL;
    size_t len2 = 0;
    int fd = fuzz_file(1, exp, len, NULL);
    FUZZ_CHECK(fd >= 0);
    csv_reader *rd = csv_reader_from_fd(fd, "export", err, sizeof err);
    FUZZ_CHECK(rd != NULL);
    FILE *out = open_memstream(&buf2, &len2);
    FUZZ_CHECK(out != NULL);
    csv_writer *w = csv_writer_new(out, 0);
    csv_record rec;
    resp_header h;
    FUZZ_CHECK(csv_read(rd, &rec, err, sizeof err) == 1);
    FUZZ_CHECK(resp_header_init(&h, &rec, err, sizeof err) == 0);
    FUZZ_CHECK(h.n_attrs == h0->n_attrs);
    resp_write_header(w, h.attr_name, h.n_attrs);
    while (csv_read(rd, &rec, err, sizeof err) == 1) {
        cx_response r;
        const char *field, *why;
        if (resp_from_record(&h, &rec, "csv", 0, 1, 5, &r, &field, &why) != 0) {
            fprintf(stderr, "export did not import: field '%s': %s\n", field, why);
            fuzz_fail("exported row rejected on import");
        }
        resp_write_record(w, &r, h.attr_name, h.n_attrs);
    }
    FUZZ_CHECK(!csv_writer_failed(w));
    csv_writer_free(w);
    fclose(out);
    if (len2 != len || memcmp(buf2, exp, len) != 0) fuzz_fail("export -> import -> export changed bytes");
    free(buf2);
    resp_header_free(&h);
    csv_reader_free(rd);
}

/* The input read with csv_read and with its byte scanner only: the
 * same, call by call. */
static void check_fast_path(const uint8_t *data, size_t size)
{
    char e1[512], e2[512];
    int f1 = fuzz_file(0, data, size, NULL), f2 = fuzz_file(1, data, size, NULL);
    FUZZ_CHECK(f1 >= 0 && f2 >= 0);
    csv_reader *fast = csv_reader_from_fd(f1, "fuzz", e1, sizeof e1),
               *slow = csv_reader_from_fd(f2, "fuzz", e2, sizeof e2);
    FUZZ_CHECK(fast && slow);
    csv_reader_no_fast_path(slow);
    for (int k = 0; k < MAX_RECORDS; k++) {
        csv_record a, b;
        int r1 = csv_read(fast, &a, e1, sizeof e1), r2 = csv_read(slow, &b, e2, sizeof e2);
        FUZZ_CHECK(r1 == r2);
        if (r1 == 0) break;
        FUZZ_CHECK(r1 > 0 || strcmp(e1, e2) == 0);
        FUZZ_CHECK(a.line == b.line && a.nfields == b.nfields && a.raw_len == b.raw_len);
        FUZZ_CHECK(memcmp(a.raw, b.raw, a.raw_len) == 0);
        for (size_t i = 0; i < a.nfields; i++)
            FUZZ_CHECK(a.lens[i] == b.lens[i] && memcmp(a.fields[i], b.fields[i], a.lens[i] + 1) == 0);
        if (r1 == -1) break;
        long l1, l2;
        FUZZ_CHECK(csv_reader_tell(fast, &l1) == csv_reader_tell(slow, &l2) && l1 == l2);
    }
    csv_reader_free(fast);
    csv_reader_free(slow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_fast_path(data, size);
    char err[512];
    int fd = fuzz_file(0, data, size, NULL);
    if (fd < 0) return 0;
    csv_reader *rd = csv_reader_from_fd(fd, "fuzz", err, sizeof err);
    FUZZ_CHECK(rd != NULL);

    rec_copy *saved = calloc(MAX_RECORDS + 1, sizeof *saved);
    size_t n_saved = 0;
    char *exp = NULL;
    size_t exp_len = 0;
    FILE *exp_f = open_memstream(&exp, &exp_len);
    FUZZ_CHECK(saved && exp_f);
    csv_writer *exp_w = csv_writer_new(exp_f, 0);
    resp_header h;
    int have_header = 0, header_failed = 0;
    long last_line = 0;
    size_t accepted = 0;

    /* A fixed first record: the re-read then never starts with a BOM. */
    saved[n_saved].n = 1;
    saved[n_saved].f = calloc(1, sizeof(char *));
    saved[n_saved].len = calloc(1, sizeof(size_t));
    FUZZ_CHECK(saved[n_saved].f && saved[n_saved].len);
    saved[n_saved].f[0] = fuzz_cstr((const uint8_t *)"h", 1);
    saved[n_saved].len[0] = 1;
    n_saved++;

    for (int k = 0; k < MAX_RECORDS; k++) {
        csv_record rec;
        int rc = csv_read(rd, &rec, err, sizeof err);
        if (rc == 0) break;
        FUZZ_CHECK(rec.line > last_line);
        last_line = rec.line;
        FUZZ_CHECK(rec.raw_len <= size);
        touch(rec.raw, rec.raw_len);
        if (rc < 0) {
            FUZZ_CHECK(rec.nfields == 0);
            FUZZ_CHECK(csv_error_reason(rd, err) != NULL);
            if (rc == -1) {
                FUZZ_CHECK(csv_read(rd, &rec, err, sizeof err) == 0);
                break;
            }
            continue;
        }
        FUZZ_CHECK(rc == 1 && rec.nfields >= 1);
        copy_record(&saved[n_saved++], &rec);
        if (!have_header && !header_failed) {
            if (resp_header_init(&h, &rec, err, sizeof err) == 0) {
                /* An accepted header has names that are whole C strings. */
                for (size_t i = 0; i < rec.nfields; i++)
                    FUZZ_CHECK(!memchr(rec.fields[i], '\0', rec.lens[i]));
                have_header = 1;
                resp_write_header(exp_w, h.attr_name, h.n_attrs);
            } else {
                header_failed = 1;
            }
            continue;
        }
        if (!have_header) continue;
        cx_response r;
        const char *field, *why;
        if (resp_from_record(&h, &rec, "csv", 0, 1, 5, &r, &field, &why) == 0) {
            check_response(&r, 1, 5);
            resp_write_record(exp_w, &r, h.attr_name, h.n_attrs);
            accepted++;
        } else {
            FUZZ_CHECK(field != NULL && why != NULL && why[0]);
        }
    }
    csv_reader_free(rd);

    /* Round trip of the records through the writer. */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    FUZZ_CHECK(out != NULL);
    csv_writer *w = csv_writer_new(out, 0);
    for (size_t k = 0; k < n_saved; k++) {
        for (size_t i = 0; i < saved[k].n; i++) csv_put_text_len(w, saved[k].f[i], saved[k].len[i]);
        csv_end_record(w);
    }
    FUZZ_CHECK(!csv_writer_failed(w));
    csv_writer_free(w);
    fclose(out);
    /* A text the reader refuses as UTF-16 (csv.h: its byte-order mark, or
     * ASCII with NUL bytes between, at the start) cannot be read back;
     * such a first field (NUL bytes) is no value a responses file keeps. */
    const unsigned char *u = (const unsigned char *)buf;
    int utf16 = len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
    utf16 |= len >= 4 && ((u[0] && u[0] < 0x80 && !u[1] && u[2] && u[2] < 0x80 && !u[3]) ||
                          (!u[0] && u[1] && u[1] < 0x80 && !u[2] && u[3] && u[3] < 0x80));
    if (!utf16) check_reread(buf, len, saved, n_saved);
    free(buf);

    FUZZ_CHECK(!csv_writer_failed(exp_w));
    csv_writer_free(exp_w);
    fclose(exp_f);
    if (have_header) {
        /* Attribute names (the header) must be clean text too. */
        for (size_t i = 0; i < h.n_attrs; i++) FUZZ_CHECK(text_ok(h.attr_name[i]));
        if (accepted) check_export_fixed_point(exp, exp_len, &h);
        resp_header_free(&h);
    }
    free(exp);
    for (size_t k = 0; k < n_saved; k++) free_copy(&saved[k]);
    free(saved);
    return 0;
}
