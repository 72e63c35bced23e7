/* fuzz_output.c — the output escaping every report relies on, on arbitrary
 * bytes: html_text (report/html.c), the formula-escaping CSV writer
 * (core/csvwrite.c) and csv_put_text_utf8 (core/rejects.c).
 *
 * Properties checked: the HTML text is valid UTF-8 with no < > " ' or
 * control character other than TAB and LF, so no tag or attribute can open,
 * and no bidi embedding, override or isolate control;
 * a CSV cell written with formula escaping reads back as the input (up to
 * the first NUL) behind a ' when it began with = + - @ TAB or CR; the UTF-8
 * text writer always gives valid UTF-8 and leaves valid input unchanged.
 */
#include "tests/fuzz/fuzz.h"

#include "core/csv.h"
#include "core/rejects.h"
#include "report/html.h"

static char *write_to_memory(size_t *len, void (*fn)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    FUZZ_CHECK(f != NULL);
    fn(f, s);
    FUZZ_CHECK(fclose(f) == 0);
    return buf;
}

static void html(FILE *f, const char *s) { html_text(f, s); }

/* Each CSV starts with a fixed record, as every output starts with its
 * header: a cell at the very start of a file that begins with a UTF-8 BOM
 * would lose it to the reader's BOM skipping. */
static void csv_escaped(FILE *f, const char *s)
{
    csv_writer *w = csv_writer_new(f, 1);
    csv_put_text(w, "h");
    csv_end_record(w);
    csv_put_text(w, s);
    csv_end_record(w);
    csv_writer_free(w);
}

static void csv_utf8(FILE *f, const char *s)
{
    csv_writer *w = csv_writer_new(f, 0);
    csv_put_text(w, "h");
    csv_end_record(w);
    csv_put_text_utf8(w, s, strlen(s));
    csv_end_record(w);
    csv_writer_free(w);
}

/* The one field of the second (last) record of the CSV text BUF
 * (malloc'd copy). */
static char *read_cell(const char *buf, size_t len, size_t *cell_len)
{
    char err[256];
    int fd = fuzz_file(0, buf, len, NULL);
    FUZZ_CHECK(fd >= 0);
    csv_reader *r = csv_reader_from_fd(fd, "cell", err, sizeof err);
    FUZZ_CHECK(r != NULL);
    csv_record rec;
    FUZZ_CHECK(csv_read(r, &rec, err, sizeof err) == 1 && rec.nfields == 1); /* "h" */
    FUZZ_CHECK(csv_read(r, &rec, err, sizeof err) == 1 && rec.nfields == 1);
    char *cell = malloc(rec.lens[0] + 1);
    FUZZ_CHECK(cell != NULL);
    memcpy(cell, rec.fields[0], rec.lens[0] + 1);
    *cell_len = rec.lens[0];
    FUZZ_CHECK(csv_read(r, &rec, err, sizeof err) == 0);
    csv_reader_free(r);
    return cell;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    char *s = fuzz_cstr(data, size);
    size_t n = strlen(s), len;

    char *out = write_to_memory(&len, html, s);
    FUZZ_CHECK(utf8_valid(out, len));
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)out[i];
        FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'' && c != 0x7f);
        FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n');
        /* no bidi embedding, override or isolate (U+202A-E, U+2066-9) */
        if (c == 0xe2 && i + 2 < len) {
            unsigned char c1 = (unsigned char)out[i + 1], c2 = (unsigned char)out[i + 2];
            FUZZ_CHECK(!(c1 == 0x80 && c2 >= 0xaa && c2 <= 0xae) &&
                       !(c1 == 0x81 && c2 >= 0xa6 && c2 <= 0xa9));
        }
    }
    free(out);

    out = write_to_memory(&len, csv_escaped, s);
    size_t cl;
    char *cell = read_cell(out, len, &cl);
    int lead = n > 0 && strchr("=+-@\t\r'", s[0]) != NULL;
    FUZZ_CHECK(cl == n + (size_t)lead);
    if (lead) FUZZ_CHECK(cell[0] == '\'');
    FUZZ_CHECK(memcmp(cell + lead, s, n) == 0);
    free(cell);
    free(out);

    out = write_to_memory(&len, csv_utf8, s);
    FUZZ_CHECK(utf8_valid(out, len));
    if (utf8_valid(s, n)) {
        cell = read_cell(out, len, &cl);
        FUZZ_CHECK(cl == n && memcmp(cell, s, n) == 0);
        free(cell);
    }
    free(out);
    free(s);
    return 0;
}
