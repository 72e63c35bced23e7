/* verbatims.c — the verbatim accumulator's streaming part: each
 * response's comment tokenised once, its language found, its charge
 * measured (charge.c) and its terms counted per scope (verb_terms.c;
 * verbatims.h).  The vocabulary it interns into: verb_vocab.c.
 */
#include "stats/text/verb_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/timeparse.h"

/* The scopes of R: "all", then DIM=VALUE for each --by dimension R has a
 * value for.  The last few values of each dimension and their scopes are
 * kept: a dimension rarely has many values among the rows in a row. */
static int find_scopes(verb_acc *a, const cx_response *r, const char *const *seg)
{
    a->n_cur_scopes = 0;
    a->cur_scopes[a->n_cur_scopes++] = 0;
    const stats_opts *so = a->o.so;
    for (size_t i = 0; so && i < so->n_by; i++) {
        const char *v = seg ? seg[i] : cx_response_dim(r, so->by[i]);
        if (!v || !*v) continue;
        size_t vl = strlen(v);
        scope_memo *m = a->memo[i];
        size_t k = 0;
        while (k < VERB_SCOPE_MEMO && !(m[k].len == vl + 1 && memcmp(m[k].val, v, vl) == 0)) k++;
        if (k < VERB_SCOPE_MEMO) {
            a->cur_scopes[a->n_cur_scopes++] = m[k].scope;
            continue;
        }
        char key[512];
        int n = snprintf(key, sizeof key, "%s=%s", so->by[i], v);
        if (n < 0 || (size_t)n >= sizeof key) continue; /* a segment name that long is left out */
        uint32_t id = verb_scope_intern(a, key, (size_t)n);
        if (id == VOCAB_NONE) continue;
        a->cur_scopes[a->n_cur_scopes++] = id;
        /* remembered only when interned: a full table may take later a
         * value it refused now, as interning would */
        if (vl < sizeof m->val) {
            scope_memo *e = &m[a->memo_next[i]++ % VERB_SCOPE_MEMO];
            memcpy(e->val, v, vl);
            e->len = vl + 1;
            e->scope = id;
        }
    }
    return 0;
}

/* A flagged comment for the report: id, type, score, charges and the
 * comment masked and cut (as the themes' examples). */
static int keep_mot_example(verb_acc *a, const cx_response *r, const verb_flag *f)
{
    uint32_t e = verb_current_example(a);
    if (!e) return -1;
    const char *id = a->ex_arena + a->ex_off[e - 1];
    verb_mot_example *m = &a->res.mot_ex[a->res.n_mot_ex];
    m->response_id = strdup(id);
    m->text = strdup(id + strlen(id) + 1);
    m->interaction_type = strdup(r->interaction_type);
    m->score = r->score;
    m->charge_neg = f->charge_neg;
    m->charge_pos = f->charge_pos;
    a->res.n_mot_ex++; /* counted now: verb_free frees what is there */
    return m->response_id && m->text && m->interaction_type ? 0 : -1;
}

static int is_routine(const verb_acc *a, const char *type)
{
    if (!*type) return 1;
    const cx_config *cfg = a->o.so ? a->o.so->cfg : NULL;
    return !cfg || !config_is_mot(cfg, type);
}

int verb_add(verb_acc *a, const cx_response *r, int month, verb_flag *flag)
{
    return verb_add_seg(a, r, month, NULL, flag);
}

/* FLAG of a comment read into A (verb_read_comment) in language L: its charge,
 * and whether it is an unlabelled moment of truth. */
static void fill_flag(verb_acc *a, const cx_response *r, text_lang l, verb_flag *flag)
{
    memset(flag, 0, sizeof *flag);
    flag->lang = l;
    if (l != TEXT_UND) {
        verb_charge(a, l, flag);
    } else {
        /* neither language won: each lexicon on its own, the stronger kept */
        verb_flag fe, fs;
        memset(&fe, 0, sizeof fe);
        memset(&fs, 0, sizeof fs);
        verb_charge(a, TEXT_EN, &fe);
        verb_charge(a, TEXT_ES, &fs);
        const verb_flag *w = fe.charge_neg + fe.charge_pos >= fs.charge_neg + fs.charge_pos ? &fe : &fs;
        flag->charge_neg = w->charge_neg;
        flag->charge_pos = w->charge_pos;
        memcpy(flag->terms, w->terms, sizeof flag->terms);
    }
    flag->routine = is_routine(a, r->interaction_type);
    double thr = a->o.mot_threshold;
    flag->unlabelled_mot = flag->routine && (flag->charge_neg >= thr || flag->charge_pos >= thr);
}

int verb_read(verb_acc *a, const cx_response *r, verb_flag *flag)
{
    if (!*r->comment) return 0;
    text_lang l;
    if (verb_read_comment(a, r->comment, &l) != 0) return -1;
    fill_flag(a, r, l, flag);
    return a->o.pack_tokens && verb_pack_tokens(a, flag) != 0 ? -1 : 1;
}

int verb_add_seg(verb_acc *a, const cx_response *r, int month, const char *const *seg, verb_flag *flag)
{
    const verb_flag *f = flag;
    int rc = verb_add_seg_ref(a, r, month, seg, flag, &f);
    if (rc == 1 && f != flag) *flag = *f;
    return rc;
}

int verb_add_seg_ref(verb_acc *a, const cx_response *r, int month, const char *const *seg, verb_flag *buf,
                     const verb_flag **out)
{
    verb_flag *flag = buf;
    *out = buf;
    const stats_opts *so = a->o.so;
    int in_scope = !so || !so->month || month == so->month;
    int in_prev = a->prev_month && month == a->prev_month;
    if (!in_scope && !in_prev) return 0;
    find_scopes(a, r, seg);
    /* themes and NPS need the 0-10 scale; a CSAT or CES comment is still
     * read for its charge */
    int nps = r->metric == CX_METRIC_NPS;
    int cls = cx_nps_class(r->score);
    if (in_scope && nps)
        for (size_t s = 0; s < a->n_cur_scopes; s++)
            nps_counts_add(&a->scope_all[a->cur_scopes[s]], r->score);
    if (!*r->comment) return 0;
    /* the run read the comment once already (r->note): its language and
     * charge are taken from there, the words read again only for themes */
    const verb_flag *note = r->note;
    text_lang l = note ? note->lang : TEXT_UND;
    if (!note || (l != TEXT_UND && nps)) {
        text_lang seen = TEXT_UND;
        if (note && note->toks) { /* the tokens the note was read from */
            if (verb_unpack_tokens(a, note->toks, note->toks_len, note->toks_from) != 0) return -1;
        } else if (verb_read_comment(a, r->comment, &seen) != 0) {
            return -1;
        }
        if (!note) l = seen;
    }
    a->cur = r;
    a->cur_ex = 0;
    if (l != TEXT_UND && nps) {
        if (verb_collect_terms(a, l) != 0) return -1;
        if (verb_count_terms(a, in_scope, cls) != 0) return -1;
    }
    if (!in_scope) return 0;
    for (size_t s = 0; nps && s < a->n_cur_scopes; s++)
        nps_counts_add(&a->scope_lang[a->cur_scopes[s] * TEXT_NLANG + l], r->score);
    a->res.comments[l]++;
    if (note) *out = note; /* not copied: a flag row per comment */
    else fill_flag(a, r, l, flag);
    const verb_flag *f = *out;
    if (f->routine) a->res.routine_comments++;
    if (f->unlabelled_mot) {
        a->res.flagged++;
        if (nps) nps_counts_add(&a->res.mot_nps, r->score);
        if (a->res.n_mot_ex < VERB_MOT_EXAMPLES && keep_mot_example(a, r, f) != 0) return -1;
    }
    return 1;
}
