/* cache_wrows.c — rows of a block read added to the block being gathered
 * by code (cache.h cache_add_rows): what an extension whose new rows fall
 * among the old ones does with the old rows.  Their fixed columns go in
 * as runs; each text value of the old block is put in the new block's
 * dictionary once and its code remembered (the memo: one entry an old
 * code, valid while its tag is the writer's memo_tag), so an old row costs
 * no hash, no compare and no copy of its text. */
#include "core/store/cache_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A new memo for block B (the caller's SERIAL) in the block being
 * gathered: every entry stale, sized for B's dictionaries.  0, -1 OOM. */
static int memo_start(cache_writer *w, const cache_block *b, unsigned long long serial)
{
    if (++w->memo_tag == 0) { /* wrapped: stale tags could read as current */
        for (int c = 0; c < N_TEXT; c++)
            if (w->memo[c]) memset(w->memo[c], 0, w->memo_cap[c] * sizeof *w->memo[c]);
        w->memo_tag = 1;
    }
    for (int c = 0; c < N_TEXT; c++) {
        const cache_text *t = &b->text[c];
        if (t->n_dict > w->memo_cap[c]) {
            struct memo *m = realloc(w->memo[c], t->n_dict * sizeof *m);
            if (!m) return -1;
            memset(m + w->memo_cap[c], 0, (t->n_dict - w->memo_cap[c]) * sizeof *m);
            w->memo[c] = m;
            w->memo_cap[c] = t->n_dict;
        }
        /* mostly distinct values (ids, comments): as they are, no hash;
         * a value given again in another block then has two codes */
        size_t uses = c + CC_FIRST_TEXT >= CC_ATTR_KEY ? b->n_attrs : b->rows;
        w->as_is[c] = 2 * (size_t)t->n_dict > uses;
    }
    w->memo_of = serial;
    w->memo_block = w->head.blocks;
    return 0;
}

/* The new code of old code OC of column C (text T of the old block). */
static int memo_code(cache_writer *w, int c, const cache_text *t, uint32_t oc, uint32_t *code)
{
    struct memo *m = &w->memo[c][oc];
    if (m->tag == w->memo_tag) {
        *code = m->code;
        return 0;
    }
    size_t len = t->off[oc + 1] - t->off[oc] - 1;
    const char *v = cache_str(t, oc);
    int rc = w->as_is[c] ? text_entry(&w->text[c], v, len, code) : text_code(&w->text[c], v, len, code);
    if (rc != 0) return -1;
    *m = (struct memo){w->memo_tag, *code};
    return 0;
}

/* Codes FROM..TO-1 of column C of B appended to the column gathered. */
static int codes(cache_writer *w, int c, const cache_block *b, size_t from, size_t to)
{
    tcol *t = &w->text[c];
    const cache_text *s = &b->text[c];
    if (grow32(&t->code, &t->code_cap, t->n_code + (to - from)) != 0) return -1;
    for (size_t i = from; i < to; i++)
        if (memo_code(w, c, s, cache_code(s, i), &t->code[t->n_code++]) != 0) return -1;
    return 0;
}

/* The length of the value of code I of T. */
static size_t code_len(const cache_text *t, size_t i)
{
    uint32_t c = cache_code(t, i);
    return t->off[c + 1] - t->off[c] - 1;
}

/* Walks rows FROM..TO-1 of B (their attributes from *ACUR on, moved past
 * them) while they fit the block being gathered: the rows that do, their
 * texts' bytes into *BYTES, and *ENDS 1 when the last of them ends it. */
static size_t fit(const cache_writer *w, const cache_block *b, size_t from, size_t to, size_t *acur,
                  size_t *bytes, int *ends)
{
    const cache_text *key = &b->text[CC_ATTR_KEY - CC_FIRST_TEXT],
                     *val = &b->text[CC_ATTR_VALUE - CC_FIRST_TEXT];
    size_t sum = 0, i = from;
    *ends = 0;
    while (i < to && !*ends) {
        for (int c = 0; c < CC_ATTR_KEY - CC_FIRST_TEXT; c++) sum += code_len(&b->text[c], i);
        for (size_t a = 0; a < b->row_attrs[i]; a++, (*acur)++)
            sum += code_len(key, *acur) + code_len(val, *acur);
        i++;
        *ends = cache_block_full(w->rows + (i - from), w->bytes + sum);
    }
    *bytes = sum;
    return i - from;
}

size_t cache_rows_fit(const cache_writer *w, const cache_block *b, size_t from, size_t to, const size_t *cur,
                      int *ends)
{
    size_t acur = cur[0], bytes;
    return fit(w, b, from, to > b->rows ? b->rows : to, &acur, &bytes, ends);
}

int cache_add_rows(cache_writer *w, const cache_block *b, unsigned long long serial, size_t from, size_t to,
                   size_t *cur, char *err, size_t errlen)
{
    if (to <= from) return 0;
    size_t n = to - from, nm = 0, na = 0;
    if (to > b->rows) {
        snprintf(err, errlen, "cache: %s: %zu rows do not fit the block", w->tmp, n);
        return -1;
    }
    for (size_t i = from; i < to; i++) {
        nm += b->row_moments[i];
        na += b->row_attrs[i];
    }
    if (cur[1] + nm > b->n_moments || cur[0] + na > b->n_attrs) {
        snprintf(err, errlen, "cache: %s: rows past their block's moments or attributes", w->tmp);
        return -1;
    }
    size_t acur = cur[0], bytes;
    int ends;
    if (fit(w, b, from, to, &acur, &bytes, &ends) != n) {
        snprintf(err, errlen, "cache: %s: %zu rows do not fit the block", w->tmp, n);
        return -1;
    }
    if ((w->memo_tag == 0 || serial != w->memo_of || w->memo_block != w->head.blocks) &&
        memo_start(w, b, serial) != 0)
        goto oom;
    if (cbuf_put(&w->fixed[CC_RESPONDED], b->responded_at + from, n * 8) ||
        cbuf_put(&w->fixed[CC_UPDATED], b->updated_at + from, n * 8) ||
        cbuf_put(&w->fixed[CC_HANDLE], b->handle + from, n * 8) ||
        cbuf_put(&w->fixed[CC_MONTH], b->month + from, n * 4) ||
        cbuf_put(&w->fixed[CC_SCORE], b->score + from, n) ||
        cbuf_put(&w->fixed[CC_METRIC], b->metric + from, n) ||
        cbuf_put(&w->fixed[CC_HAS_HANDLE], b->has_handle + from, n) ||
        cbuf_put(&w->fixed[CC_N_MOMENTS], b->row_moments + from, n) ||
        cbuf_put(&w->fixed[CC_N_ATTRS], b->row_attrs + from, n))
        goto oom;
    cbuf *mo = &w->fixed[CC_MOMENTS];
    if (cbuf_reserve(mo, nm * 4) != 0) goto oom;
    for (size_t k = 0; k < nm; k++) {
        int32_t v = cache_moment(b, cur[1] + k);
        memcpy(mo->p + mo->n + 4 * k, &v, 4);
    }
    mo->n += nm * 4;
    for (int c = 0; c < CC_ATTR_KEY - CC_FIRST_TEXT; c++)
        if (codes(w, c, b, from, to) != 0) goto oom;
    for (int c = CC_ATTR_KEY - CC_FIRST_TEXT; c < N_TEXT; c++)
        if (codes(w, c, b, cur[0], cur[0] + na) != 0) goto oom;
    cur[0] += na;
    cur[1] += nm;
    w->head.rows += n;
    w->rows += n;
    w->bytes += bytes;
    return ends ? cache_flush_block(w, err, errlen) : 0;
oom:
    snprintf(err, errlen, "cache: out of memory");
    return -1;
}
