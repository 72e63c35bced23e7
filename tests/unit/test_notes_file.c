/* test_notes_file.c — the comments' notes kept beside the analysis cache
 * (run/run_notes_file.h): written by a run that read the comments, read
 * back by the next as the same notes (charges, flags, terms, tokens and
 * their ids), the file left alone then; a note not taken for another
 * comment, another row or another key; records whose hash holds but
 * whose contents do not read (a language out of range, a word code not
 * yet defined, a length past the record, too many terms' bytes or tokens,
 * bytes after the last token) stop the reading there and never crash; no
 * notes kept for short comments; the notes of rows a run does not read
 * kept when it writes the file anew.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/store/cache.h"
#include "core/varint.h"
#include "run/run_notes_file.h"

#include "run_suite.h"

#define ROWS 300
static const char *const words[] = {"the",   "agent",    "never", "called",     "back", "terrible", "service",
                                    "great", "thanks",   "la",    "aplicación", "no",   "funcionó", "muy",
                                    "buena", "atención", "Don't", "PANIC",      "card", "lost",     "refund"};
static const char *const seps[] = {" ", " ", " ", ", ", ". ", "! ", " 😀 ", "\n"};

static char comment[ROWS][512], id[ROWS][16];
static const char *itype(int i) { return i % 3 ? "card_lost" : ""; }

static void make_rows(void)
{
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (int i = 0; i < ROWS; i++) {
        size_t len = 0;
        for (int w = 0, n = 1 + i % 23; w < n; w++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            len += (size_t)snprintf(comment[i] + len, sizeof comment[i] - len, "%s%s",
                                    words[x % (sizeof words / sizeof *words)],
                                    seps[(x >> 20) % (sizeof seps / sizeof *seps)]);
        }
        snprintf(id[i], sizeof id[i], "r%05d", i);
    }
}

static uint64_t rh(const char *source, const char *rid)
{
    return notes_row_hash(source, strlen(source), rid, strlen(rid));
}
static uint64_t th(const char *c, const char *it) { return notes_text_hash(c, strlen(c), it, strlen(it)); }

static char path[256];
static stats_opts so;

static verb_acc *reader(void)
{
    char err[256];
    verb_acc *r = note_reader(&so, 1, err, sizeof err);
    ck_assert_msg(r != NULL, "%s", err);
    return r;
}

/* The notes of every row read with R into NB (AT[i] each), and given to
 * NF, if any, as a run gives them. */
static void read_all(verb_acc *r, notes_file *nf, note_buf *nb, uint32_t *at)
{
    for (int i = 0; i < ROWS; i++) {
        uint64_t row = rh("s", id[i]), text = th(comment[i], itype(i));
        if (nf) ck_assert_int_eq(notes_file_take(nf, r, row, text, 1, nb, &at[i]), 0);
        ck_assert_int_eq(note_read(nb, r, &so, 0, comment[i], itype(i), &at[i]), 0);
        ck_assert_uint_ne(at[i], NOTE_NONE);
        if (nf) notes_file_put(nf, row, text, nb, at[i], strlen(comment[i]));
    }
}

static void same_note(const note_buf *a, uint32_t at, const note_buf *b, uint32_t bt)
{
    verb_flag fa, fb;
    ck_assert_ptr_nonnull(note_get(a, at, &fa));
    ck_assert_ptr_nonnull(note_get(b, bt, &fb));
    ck_assert_int_eq(fa.lang, fb.lang);
    ck_assert(fa.charge_neg == fb.charge_neg && fa.charge_pos == fb.charge_pos);
    ck_assert_int_eq(fa.routine, fb.routine);
    ck_assert_int_eq(fa.unlabelled_mot, fb.unlabelled_mot);
    ck_assert_str_eq(fa.terms, fb.terms);
    ck_assert_uint_eq(fa.toks_len, fb.toks_len);
    ck_assert(memcmp(fa.toks, fb.toks, fa.toks_len) == 0); /* counts, words, ids and bytes */
}

static void setup(void)
{
    make_rows();
    memset(&so, 0, sizeof so);
    snprintf(path, sizeof path, "/tmp/test_notes_file.%d", (int)getpid());
    unlink(path);
}

static void teardown(void) { unlink(path); }

START_TEST(notes_read_back_as_written)
{
    verb_acc *r = reader();
    note_buf nb1 = {0}, nb2 = {0};
    uint32_t at1[ROWS], at2[ROWS];
    notes_file *nf = notes_file_open(path, 42);
    ck_assert_ptr_nonnull(nf);
    read_all(r, nf, &nb1, at1);
    ck_assert_int_eq(notes_file_close(nf, 1), 1);
    /* a run with a reader of its own takes every note, writes nothing */
    verb_acc *r2 = reader();
    nf = notes_file_open(path, 42);
    for (int i = 0; i < ROWS; i++)
        ck_assert_int_eq(notes_file_take(nf, r2, rh("s", id[i]), th(comment[i], itype(i)), 1, &nb2, &at2[i]),
                         1);
    ck_assert_int_eq(notes_file_close(nf, 1), 0);
    /* the same notes as the reader reads: ids its own (the same reader
     * built the same way gives the same ids to the same words) */
    note_buf nb3 = {0};
    uint32_t at3[ROWS];
    verb_acc *r3 = reader();
    read_all(r3, NULL, &nb3, at3);
    for (int i = 0; i < ROWS; i++) same_note(&nb1, at1[i], &nb2, at2[i]);
    (void)nb3;
    note_free(&nb1);
    note_free(&nb2);
    note_free(&nb3);
    verb_free(r);
    verb_free(r2);
    verb_free(r3);
}
END_TEST

START_TEST(notes_kept_for_their_comment_row_and_key_alone)
{
    verb_acc *r = reader();
    note_buf nb = {0};
    uint32_t at[ROWS], a;
    notes_file *nf = notes_file_open(path, 42);
    read_all(r, nf, &nb, at);
    ck_assert_int_eq(notes_file_close(nf, 1), 1);
    /* another key: nothing taken */
    nf = notes_file_open(path, 43);
    ck_assert_int_eq(notes_file_take(nf, r, rh("s", id[0]), th(comment[0], itype(0)), 1, &nb, &a), 0);
    ck_assert_int_eq(notes_file_close(nf, 0), 0);
    /* another comment or interaction type of the row: not taken, and the
     * next row's note still is; a row the file does not hold: not taken,
     * the next is */
    nf = notes_file_open(path, 42);
    ck_assert_int_eq(notes_file_take(nf, r, rh("s", id[0]), th("other", itype(0)), 1, &nb, &a), 0);
    ck_assert_int_eq(notes_file_take(nf, r, rh("s", id[1]), th(comment[1], "x"), 1, &nb, &a), 0);
    ck_assert_int_eq(notes_file_take(nf, r, rh("s", "new"), th(comment[2], itype(2)), 1, &nb, &a), 0);
    ck_assert_int_eq(notes_file_take(nf, r, rh("s", id[2]), th(comment[2], itype(2)), 1, &nb, &a), 1);
    same_note(&nb, at[2], &nb, a);
    /* another source's row of the same id */
    ck_assert_int_eq(notes_file_take(nf, r, rh("t", id[3]), th(comment[3], itype(3)), 1, &nb, &a), 0);
    ck_assert_int_eq(notes_file_close(nf, 0), 0);
    note_free(&nb);
    verb_free(r);
}
END_TEST

/* ---- records whose hash holds and whose contents do not read ---- */

/* The file: the header, a record whose body is BODY (LEN bytes after the
 * two hashes, which are row 0's). */
static void write_file(const unsigned char *body, size_t len)
{
    unsigned char rec[4096];
    uint64_t row = rh("s", id[0]), text = th(comment[0], itype(0));
    memcpy(rec, &row, 8);
    memcpy(rec + 8, &text, 8);
    memcpy(rec + 16, body, len);
    uint32_t blen = (uint32_t)(16 + len);
    uint64_t h = notes_hash(rec, blen, NOTES_RECORD_SEED);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    uint32_t order = 0x01020304u, format = 1;
    uint64_t key = 42;
    fwrite("CXNOTES\n", 1, 8, f);
    fwrite(&order, 4, 1, f);
    fwrite(&format, 4, 1, f);
    fwrite(&key, 8, 1, f);
    fwrite(&blen, 4, 1, f);
    fwrite(rec, 1, blen, f);
    fwrite(&h, 8, 1, f);
    fclose(f);
}

/* A body after the hashes: charges, LANG, flags, TERMS bytes of terms,
 * N tokens (TOK, TOKLEN bytes of them), then EXTRA bytes. */
static size_t body_of(unsigned char *b, int lang, size_t terms, uint64_t n, const unsigned char *tok,
                      size_t toklen, size_t extra)
{
    double c = 1.5;
    memcpy(b, &c, 8);
    memcpy(b + 8, &c, 8);
    b[16] = (unsigned char)lang;
    b[17] = 1;
    b[18] = 0;
    size_t k = 19 + varint_put(b + 19, terms);
    memset(b + k, 'a', terms);
    k += terms;
    k += varint_put(b + k, n);
    memcpy(b + k, tok, toklen);
    k += toklen;
    memset(b + k, 0, extra);
    return k + extra;
}

START_TEST(records_that_do_not_read)
{
    verb_acc *r = reader();
    unsigned char b[2048], tok[64];
    size_t tl = varint_put(tok, 1u << 1) + varint_put(tok + 1, 3); /* word 1, new: 3 bytes */
    memcpy(tok + tl, "abc", 3);
    tl += 3;
    struct {
        const char *what;
        int lang;
        size_t terms;
        uint64_t n;
        const unsigned char *t;
        size_t tl, extra;
        int taken;
    } c[] = {
        {"a good record", 1, 4, 1, tok, tl, 0, 1},
        {"a language out of range", 7, 4, 1, tok, tl, 0, 0},
        {"terms of 512 bytes", 1, 512, 1, tok, tl, 0, 0},
        {"more tokens than a comment has", 1, 4, 5000, tok, tl, 0, 0},
        {"a token past the record", 1, 4, 2, tok, tl, 0, 0},
        {"bytes after the last token", 1, 4, 1, tok, tl, 3, 0},
        {"a word not yet defined", 1, 4, 1, (const unsigned char *)"\x06", 1, 0, 0},
        {"a length past the record", 1, 4, 1,
         (const unsigned char *)"\x02\x7f"
                                "ab",
         4, 0, 0},
    };
    for (size_t k = 0; k < sizeof c / sizeof *c; k++) {
        size_t len = body_of(b, c[k].lang, c[k].terms, c[k].n, c[k].t, c[k].tl, c[k].extra);
        write_file(b, len);
        note_buf nb = {0};
        uint32_t at;
        notes_file *nf = notes_file_open(path, 42);
        int got = notes_file_take(nf, r, rh("s", id[0]), th(comment[0], itype(0)), 1, &nb, &at);
        ck_assert_msg(got == c[k].taken, "%s: %d", c[k].what, got);
        if (got) {
            verb_flag f;
            ck_assert_ptr_nonnull(note_get(&nb, at, &f));
            ck_assert_str_eq(f.terms, "aaaa");
            ck_assert_uint_eq(f.toks_len, 4 + 8 + 3);
        }
        notes_file_close(nf, 0);
        note_free(&nb);
    }
    verb_free(r);
}
END_TEST

/* Comments shorter than NF_MIN_COMMENT bytes on average: no notes kept,
 * whether the run reads fewer than NF_PROBE of them or more (then the
 * file is of no more use to it: busy 0). */
START_TEST(short_comments_keep_no_notes)
{
    verb_acc *r = reader();
    for (int rows = 300; rows <= 6000; rows += 5700) {
        note_buf nb = {0};
        notes_file *nf = notes_file_open(path, 42);
        ck_assert_int_eq(notes_file_busy(nf), 1);
        for (int i = 0; i < rows; i++) {
            char rid[16];
            uint32_t at;
            snprintf(rid, sizeof rid, "r%05d", i);
            const char *c = i % 2 ? "ok thanks" : "great service, thanks a lot";
            uint64_t row = rh("s", rid), text = th(c, "");
            ck_assert_int_eq(notes_file_take(nf, r, row, text, 1, &nb, &at), 0);
            ck_assert_int_eq(note_read(&nb, r, &so, 0, c, "", &at), 0);
            notes_file_put(nf, row, text, &nb, at, strlen(c));
        }
        ck_assert_int_eq(notes_file_busy(nf), rows < 4096);
        ck_assert_int_eq(notes_file_close(nf, 1), 0);
        ck_assert_int_eq(access(path, F_OK), -1);
        note_free(&nb);
    }
    verb_free(r);
}
END_TEST

/* A run that writes the file anew keeps the notes of rows it does not
 * read (another window's): read back by the next run as they were. */
START_TEST(notes_of_rows_not_read_are_carried)
{
    verb_acc *r = reader();
    note_buf nb = {0}, nb2 = {0}, nb3 = {0};
    uint32_t at[ROWS], at3[ROWS], a;
    notes_file *nf = notes_file_open(path, 42);
    read_all(r, nf, &nb, at);
    ck_assert_int_eq(notes_file_close(nf, 1), 1);
    /* row 0's comment changed (the file is written anew from there); the
     * odd rows not read */
    nf = notes_file_open(path, 42);
    const char *changed = "the refund never came, terrible service";
    uint64_t row0 = rh("s", id[0]), text0 = th(changed, itype(0));
    ck_assert_int_eq(notes_file_take(nf, r, row0, text0, 1, &nb2, &a), 0);
    ck_assert_int_eq(note_read(&nb2, r, &so, 0, changed, itype(0), &a), 0);
    notes_file_put(nf, row0, text0, &nb2, a, strlen(changed));
    for (int i = 1; i < ROWS; i++)
        ck_assert_int_eq(
            notes_file_take(nf, r, rh("s", id[i]), th(comment[i], itype(i)), i % 2 == 0, &nb2, &a),
            i % 2 == 0);
    ck_assert_int_eq(notes_file_close(nf, 1), 1);
    /* every note there, the odd rows' as the first run read them */
    nf = notes_file_open(path, 42);
    ck_assert_int_eq(notes_file_take(nf, r, row0, text0, 1, &nb3, &at3[0]), 1);
    for (int i = 1; i < ROWS; i++) {
        ck_assert_int_eq(notes_file_take(nf, r, rh("s", id[i]), th(comment[i], itype(i)), 1, &nb3, &at3[i]),
                         1);
        same_note(&nb, at[i], &nb3, at3[i]);
    }
    ck_assert_int_eq(notes_file_close(nf, 1), 0);
    note_free(&nb);
    note_free(&nb2);
    note_free(&nb3);
    verb_free(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("notes_file");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, notes_read_back_as_written);
    tcase_add_test(tc, notes_kept_for_their_comment_row_and_key_alone);
    tcase_add_test(tc, records_that_do_not_read);
    tcase_add_test(tc, short_comments_keep_no_notes);
    tcase_add_test(tc, notes_of_rows_not_read_are_carried);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
