/* run_cache_notes.c — a cached block's notes (run_note.h), read from its
 * comments or taken from those an earlier run kept beside the cache
 * (run_notes_file.h), on whichever thread reads a run's notes
 * (run_cache_feed.h notes_on_second). */
#include "run/run_cache_feed.h"
#include "core/timeparse.h"

#include <string.h>

/* The hashes of a block's sources and interaction types (few values,
 * many rows), kept by code: notes_hash of value CODE under SEED. */
typedef struct seed_memo {
    uint32_t code[64];
    uint64_t h[64];
} seed_memo;

static uint64_t seed_of(seed_memo *m, const cache_text *t, size_t i, uint64_t seed)
{
    uint32_t code = cache_code(t, i), k = code & 63;
    if (m->code[k] != code) {
        m->code[k] = code;
        m->h[k] = notes_hash(cache_str(t, code), t->off[code + 1] - t->off[code] - 1, seed);
    }
    return m->h[k];
}

int feed_notes_slot(feeder *f, slot *s)
{
    seed_memo ms, mi; /* the block's sources and interaction types */
    memset(ms.code, 0xFF, sizeof ms.code);
    memset(mi.code, 0xFF, sizeof mi.code);
    const cache_block *b = &s->b;
    const cache_text *c = &b->text[CC_COMMENT - CC_FIRST_TEXT];
    const cache_text *t = &b->text[CC_INTERACTION_TYPE - CC_FIRST_TEXT];
    const cache_text *src = &b->text[CC_SOURCE - CC_FIRST_TEXT],
                     *id = &b->text[CC_RESPONSE_ID - CC_FIRST_TEXT];
    s->notes.len = 0;
    for (size_t i = 0; i < b->rows; i++) {
        s->note[i] = NOTE_NONE;
        csv_span cv = span_at(c, i);
        const char *comment = cv.p, *itype = cache_text_at(t, i);
        if (b->metric[i] != CX_METRIC_NPS) continue; /* no note, none kept */
        if (!comment[0]) { /* none either; an old one of the row (its comment emptied) passed over */
            if (f->nf && notes_file_pending(f->nf)) {
                csv_span iv = span_at(id, i);
                notes_file_drop(f->nf, f->reader,
                                notes_hash(iv.p, iv.len, seed_of(&ms, src, i, NOTES_SOURCE_SEED)));
            }
            continue;
        }
        int month = time_month_key(b->responded_at[i]);
        if (!f->nf || !notes_file_busy(f->nf)) {
            if (note_read(&s->notes, f->reader, f->o, month, comment, itype, &s->note[i]) != 0) return -1;
            f->notes_read += s->note[i] != NOTE_NONE;
            continue;
        }
        /* the note kept by an earlier run when it is this comment's */
        int want = note_wanted(f->o, month);
        csv_span iv = span_at(id, i); /* notes_row_hash, notes_text_hash */
        uint64_t row = notes_hash(iv.p, iv.len, seed_of(&ms, src, i, NOTES_SOURCE_SEED));
        uint64_t text = want ? notes_hash(cv.p, cv.len, seed_of(&mi, t, i, NOTES_ITYPE_SEED)) : 0;
        int rc = notes_file_take(f->nf, f->reader, row, text, want, &s->notes, &s->note[i]);
        if (rc < 0) return -1;
        f->notes_kept += rc == 1;
        if (rc == 1 || !want) continue;
        if (note_read(&s->notes, f->reader, f->o, month, comment, itype, &s->note[i]) != 0) return -1;
        f->notes_read += s->note[i] != NOTE_NONE;
        if (s->note[i] != NOTE_NONE) notes_file_put(f->nf, row, text, &s->notes, s->note[i], cv.len);
    }
    return 0;
}
