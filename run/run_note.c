/* run_note.c — the run's pre-step read on another thread and packed
 * (run_note.h). */
#include "run/run_note.h"
#include "core/model.h"
#include "core/grow.h"

#include <stdlib.h>
#include <string.h>

verb_acc *note_reader(const stats_opts *o, int pack_tokens, char *err, size_t errlen)
{
    verb_opts vo;
    memset(&vo, 0, sizeof vo);
    vo.so = o;
    vo.pack_tokens = pack_tokens;
    return verb_new(&vo, err, errlen);
}

/* A packed note: this head, then its terms and its tokens. */
typedef struct packed_note {
    double charge_neg, charge_pos;
    uint32_t terms_len, toks_len;
    uint8_t lang, routine, unlabelled_mot;
} packed_note;

int note_put(note_buf *nb, const verb_flag *f, uint32_t *at)
{
    packed_note h;
    memset(&h, 0, sizeof h);
    h.charge_neg = f->charge_neg;
    h.charge_pos = f->charge_pos;
    h.terms_len = (uint32_t)strnlen(f->terms, sizeof f->terms - 1);
    h.toks_len = (uint32_t)f->toks_len;
    h.lang = (uint8_t)f->lang;
    h.routine = (uint8_t)f->routine;
    h.unlabelled_mot = (uint8_t)f->unlabelled_mot;
    size_t need = sizeof h + h.terms_len + h.toks_len;
    if (nb->len + need >= UINT32_MAX) return -1;
    if (nb->len + need > nb->cap) {
        char *p = grow_array(nb->b, &nb->cap, nb->len + need, 1, 4096, 0, 0);
        if (!p) return -1;
        nb->b = p;
    }
    char *p = nb->b + nb->len;
    memcpy(p, &h, sizeof h);
    memcpy(p + sizeof h, f->terms, h.terms_len);
    if (h.toks_len) memcpy(p + sizeof h + h.terms_len, f->toks, h.toks_len);
    *at = (uint32_t)nb->len;
    nb->len += need;
    return 0;
}

int note_read(note_buf *nb, verb_acc *reader, const stats_opts *o, int month, const char *comment,
              const char *itype, uint32_t *at)
{
    *at = NOTE_NONE;
    if (!*comment || !note_wanted(o, month)) return 0;
    cx_response x;
    verb_flag f;
    cx_response_clear(&x);
    x.comment = comment;
    x.interaction_type = itype;
    int rc = verb_read(reader, &x, &f);
    if (rc <= 0) return rc;
    return note_put(nb, &f, at);
}

size_t note_size(const note_buf *nb, uint32_t at)
{
    packed_note h;
    memcpy(&h, nb->b + at, sizeof h);
    return sizeof h + h.terms_len + h.toks_len;
}

const verb_flag *note_get(const note_buf *nb, uint32_t at, verb_flag *f)
{
    if (at == NOTE_NONE) return NULL;
    packed_note h;
    memcpy(&h, nb->b + at, sizeof h);
    f->toks_from = 0; /* every field set: no memset of the terms' 512 bytes */
    f->lang = (text_lang)h.lang;
    f->charge_neg = h.charge_neg;
    f->charge_pos = h.charge_pos;
    f->routine = h.routine;
    f->unlabelled_mot = h.unlabelled_mot;
    memcpy(f->terms, nb->b + at + sizeof h, h.terms_len); /* shorter than terms: it came from one */
    f->terms[h.terms_len] = '\0';
    f->toks = nb->b + at + sizeof h + h.terms_len;
    f->toks_len = h.toks_len;
    return f;
}

void note_free(note_buf *nb)
{
    free(nb->b);
    memset(nb, 0, sizeof *nb);
}
