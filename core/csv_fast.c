/* csv_fast.c — csv_read's fast path (csv_int.h csv_fast_record): the
 * buffer's whole lines split by the block scanner of `stats --input`
 * (core/csvscan.h: csv_read's rules, 64 bytes a step) and a record copied
 * once into the reader's field buffer.  10M rows of 110 bytes read
 * through csv_read: 1.33-1.37 s -> 1.12-1.18 s of CPU.  What it leaves
 * goes to the byte scanner of core/csv.c; a record that one reads ends
 * where the block scanner's next one starts, so the two stay in step, and
 * when they are not (a record ending past the whole lines) the fast path
 * starts again from pos. */
#include "core/csv_int.h"

#include <stdlib.h>
#include <string.h>

void csv_reader_no_fast_path(csv_reader *r) { r->fs_never = 1; }

/* Room in the span arrays for N fields.  0, -1 OOM. */
static int fs_room(csv_reader *r, size_t n)
{
    if (n <= r->fs_cap) return 0;
    csv_span *f = realloc(r->fs_f, n * sizeof *f);
    if (f) r->fs_f = f;
    size_t *e = f ? realloc(r->fs_esc, n * sizeof *e) : NULL;
    if (!e) return -1;
    r->fs_esc = e;
    r->fs_cap = n;
    return 0;
}

/* The block scanner set up over the buffer's whole lines from pos.  0,
 * or -1 when there is none (or no room): the fast path is off until the
 * next fill. */
static int fs_start(csv_reader *r)
{
    size_t e = r->end;
    while (e > r->pos && r->buf[e - 1] != '\n') e--;
    if (e == r->pos || (!r->fs_f && fs_room(r, 128) != 0)) {
        r->fs_off = 1;
        return -1;
    }
    memset(r->buf + r->end, 0, CSV_BUF_PAD); /* the blocks read past the text */
    csvs_init(&r->fs, r->buf + r->pos, e - r->pos);
    r->fs_at = r->pos;
    r->fs_line = r->line;
    r->fs_on = 1;
    return 0;
}

/* The fields of record X (at pos) into fbuf, each followed by a NUL.  A
 * record with no field quoted (each starts right after the comma before
 * it, the last ends the record) is copied once, a NUL put at every comma;
 * any other field by field, its "" undone. */
static void copy_fields(csv_reader *r, const csvs_rec *x)
{
    const char *raw = r->buf + r->pos;
    const csv_span *f = x->f;
    size_t n = x->nfields;
    int plain = f[0].p == raw && f[n - 1].p + f[n - 1].len == raw + x->len;
    for (size_t i = 1; i < n && plain; i++) plain = f[i].p == f[i - 1].p + f[i - 1].len + 1;
    if (plain) {
        memcpy(r->fbuf, raw, x->len);
        for (size_t i = 0; i < n; i++) {
            size_t e = (size_t)(f[i].p - raw) + f[i].len;
            r->fbuf[e] = '\0';
            r->fend[i] = e;
        }
        r->nf = n;
        r->flen = x->len + 1;
        return;
    }
    size_t o = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = f[i].len;
        memcpy(r->fbuf + o, f[i].p, len);
        if (k < x->n_esc && x->esc[k] == i) {
            len = csvs_unescape(r->fbuf + o, len);
            k++;
        }
        r->fbuf[o + len] = '\0';
        r->fend[r->nf++] = o + len;
        o += len + 1;
    }
    r->flen = o;
}

int csv_fast_record(csv_reader *r)
{
    if (r->fs_off) return 0;
    if (r->fs_on && r->pos != r->fs_at + r->fs.pos) r->fs_on = 0;
    if (!r->fs_on && fs_start(r) != 0) return 0;
    csvs_rec x = {.f = r->fs_f, .esc = r->fs_esc, .cap = r->fs_cap};
    size_t at = r->fs.pos;
    long lines = r->fs.lines;
    int rc = csvs_next(&r->fs, &x);
    if (rc == CSVS_END || rc == CSVS_PARTIAL) {
        r->fs_off = rc == CSVS_END; /* the rest is the buffer's last line */
        return 0;
    }
    r->nf = r->flen = 0;
    if (rc == CSVS_RECORD && (x.nfields > x.cap || csv_reserve(r, x.len + 1) != 0)) {
        /* left to the byte scanner: room for the next such record, or
         * (out of memory) the fast path off until the next fill */
        r->fs.pos = at;
        r->fs.lines = lines;
        if (x.nfields <= x.cap || fs_room(r, x.nfields + 66) != 0) r->fs_off = 1;
        return 0;
    }
    if (rc == CSVS_RECORD) copy_fields(r, &x);
    r->rec_line = r->fs_line + x.line;
    r->bad_field = x.bad_field;
    r->rec_end = r->pos + x.len;
    r->scan = r->fs_at + r->fs.pos;
    r->line = r->fs_line + r->fs.lines;
    return 1;
}
