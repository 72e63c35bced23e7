/* themes.c — verb_finish: for every scope and language, the terms whose
 * share of detractors' comments differs from their share of promoters'
 * (G² and log ratio), with the NPS of the responses that mention them
 * against the others and the change against the previous month
 * (verbatims.h; docs/methods.md, "Verbatims"). */
#include "stats/text/verb_int.h"
#include "core/xsort.h"
#include "core/grow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double xlogx_over(double o, double e) { return o > 0 ? o * log(o / e) : 0.0; }

double verb_g2(double a, double na, double b, double nb)
{
    double n = na + nb, k = a + b, r = n - k;
    if (n <= 0) return 0;
    double ea = na * k / n, eb = nb * k / n, fa = na * r / n, fb = nb * r / n;
    double g = xlogx_over(a, ea) + xlogx_over(b, eb) + xlogx_over(na - a, fa) + xlogx_over(nb - b, fb);
    return g > 0 ? 2 * g : 0;
}

double verb_log_ratio(double a, double na, double b, double nb)
{
    if (na <= 0 || nb <= 0) return NAN;
    return log2(((a > 0 ? a : 0.5) / na) / ((b > 0 ? b : 0.5) / nb));
}

typedef struct cand {
    uint32_t cn;          /* index in a->cn */
    uint32_t scope, term; /* copies: the comparison needs no context */
    uint32_t a, b;        /* the term's stems (b = VERB_UNIGRAM) */
    int lang, dir;
    double g2, lr, mentions;
} cand;

/* Within one group (scope, language, direction) sorted by G²: a word is
 * left out when a pair of words holding it is listed with at least 80% of
 * its mentions ("hidden" beside "hidden fees"), and a pair when a pair
 * ranked before it shares a word and has within 10% of its mentions (the
 * pieces of one longer phrase: "took far", "far long").  Only the first
 * GROUP_LOOK x top candidates of a group are looked at. */
#define GROUP_LOOK 10
static int redundant(const cand *g, size_t m, size_t i)
{
    const cand *c = &g[i];
    for (size_t j = 0; j < m; j++) {
        const cand *o = &g[j];
        if (j == i || o->b == VERB_UNIGRAM) continue;
        int shares = o->a == c->a || o->b == c->a || (c->b != VERB_UNIGRAM && (o->a == c->b || o->b == c->b));
        if (!shares) continue;
        if (c->b == VERB_UNIGRAM && o->mentions >= 0.8 * c->mentions) return 1;
        if (c->b != VERB_UNIGRAM && j < i && c->mentions >= 0.9 * o->mentions &&
            o->mentions >= 0.9 * c->mentions)
            return 1;
    }
    return 0;
}

/* By scope, language, direction (detractor themes first), G² descending. */
static int cmp_cand(const void *x, const void *y)
{
    const cand *p = x, *q = y;
    if (p->scope != q->scope) return p->scope < q->scope ? -1 : 1;
    if (p->lang != q->lang) return p->lang < q->lang ? -1 : 1;
    if (p->dir != q->dir) return p->dir < q->dir ? -1 : 1;
    if (p->g2 != q->g2) return p->g2 > q->g2 ? -1 : 1;
    return p->term < q->term ? -1 : p->term > q->term;
}

/* A stem as shown: its most frequent written form; *PRE is NULL for a
 * negated stem (the caller puts "not "/"no " there), else "". */
static void stem_text(const verb_acc *a, uint32_t s, const char **pre, const char **word)
{
    *pre = "";
    if (a->st[s].neg_of != VOCAB_NONE) {
        *pre = NULL;
        s = a->st[s].neg_of;
    }
    *word = a->st[s].best_surf != VOCAB_NONE ? strtab_str(&a->surf, a->st[s].best_surf)
                                             : strtab_str(&a->stems, s);
}

/* "word" or "word word", each stem as stem_text shows it. */
static char *theme_text(const verb_acc *a, const term_info *t)
{
    const char *neg = t->lang == TEXT_ES ? "no " : "not ";
    const char *p1, *w1, *p2 = "", *w2 = "";
    stem_text(a, t->a, &p1, &w1);
    if (t->b != VERB_UNIGRAM) stem_text(a, t->b, &p2, &w2);
    if (!p1) p1 = neg;
    if (!p2) p2 = neg;
    size_t n = strlen(p1) + strlen(w1) + 1 + strlen(p2) + strlen(w2) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    snprintf(s, n, "%s%s%s%s%s", p1, w1, t->b != VERB_UNIGRAM ? " " : "", p2, w2);
    return s;
}

static void fill_theme(verb_acc *a, verb_theme *th, const cand *c, double z, double confidence)
{
    const term_count *tc = &a->cn[c->cn];
    const term_info *t = &a->tm[tc->term];
    memset(th, 0, sizeof *th);
    th->scope = strtab_str(&a->scopes, tc->scope);
    th->lang = (text_lang)t->lang;
    th->direction = c->dir;
    th->detractor_mentions = tc->n[0];
    th->passive_mentions = tc->n[1];
    th->promoter_mentions = tc->n[2];
    th->mentions = (long long)tc->n[0] + tc->n[1] + tc->n[2];
    th->g2 = c->g2;
    th->log_ratio = c->lr;
    nps_counts with = {tc->n[2], tc->n[1], tc->n[0]};
    const nps_counts *all = &a->scope_all[tc->scope];
    nps_counts without = {all->p - with.p, all->a - with.a, all->d - with.d};
    nps_est ew = nps_estimate(&with, z), eo = nps_estimate(&without, z);
    th->nps_with = ew.nps;
    th->nps_with_low = ew.ci_low;
    th->nps_with_high = ew.ci_high;
    th->nps_without = eo.nps;
    th->p_value = nps_compare(&ew, &eo, confidence).p;
    th->prev_mentions = a->prev_month ? (long long)tc->prev : -1;
    const uint32_t *ex = tc->ex[c->dir > 0];
    for (int k = 0; k < VERB_EXAMPLES && ex[k]; k++) {
        const char *id = a->ex_arena + a->ex_off[ex[k] - 1];
        th->example_ids[k] = id;
        th->example_text[k] = id + strlen(id) + 1;
    }
}

const verb_result *verb_finish(verb_acc *a)
{
    if (a->finished) return &a->res;
    a->res.mot_est =
        nps_estimate(&a->res.mot_nps, nps_z(a->o.so && a->o.so->confidence > 0 ? a->o.so->confidence : 0.95));
    cand *cs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < a->n_cn; i++) {
        const term_count *tc = &a->cn[i];
        uint8_t l = a->tm[tc->term].lang;
        const nps_counts *tot = &a->scope_lang[tc->scope * TEXT_NLANG + l];
        double d = tc->n[0], p = tc->n[2], nd = (double)tot->d, np = (double)tot->p;
        if ((double)tc->n[0] + tc->n[1] + tc->n[2] < a->o.min_mentions || nd <= 0 || np <= 0) continue;
        double g2 = verb_g2(d, nd, p, np);
        if (g2 < a->o.min_g2) continue;
        if (n == cap) {
            cand *q = grow_array(cs, &cap, n + 1, sizeof *q, 256, 0, 0);
            if (!q) {
                free(cs);
                return NULL;
            }
            cs = q;
        }
        cs[n].cn = (uint32_t)i;
        cs[n].scope = tc->scope;
        cs[n].term = tc->term;
        cs[n].a = a->tm[tc->term].a;
        cs[n].b = a->tm[tc->term].b;
        cs[n].mentions = (double)tc->n[0] + tc->n[1] + tc->n[2];
        cs[n].lang = l;
        cs[n].g2 = g2;
        cs[n].lr = verb_log_ratio(d, nd, p, np);
        cs[n].dir = d / nd > p / np ? -1 : 1;
        n++;
    }
    cx_qsort(cs, n, sizeof *cs, cmp_cand);
    verb_theme *th = calloc(n ? n : 1, sizeof *th);
    if (!th) {
        free(cs);
        return NULL;
    }
    double conf = a->o.so && a->o.so->confidence > 0 ? a->o.so->confidence : 0.95;
    double z = nps_z(conf);
    size_t k = 0;
    for (size_t g0 = 0; g0 < n;) {
        size_t g1 = g0 + 1;
        while (g1 < n && cs[g1].scope == cs[g0].scope && cs[g1].lang == cs[g0].lang &&
               cs[g1].dir == cs[g0].dir)
            g1++;
        size_t m = g1 - g0, kept = 0;
        if (m > GROUP_LOOK * a->o.top) m = GROUP_LOOK * a->o.top;
        for (size_t i = 0; i < m && kept < a->o.top; i++) {
            if (redundant(cs + g0, m, i)) continue;
            fill_theme(a, &th[k], &cs[g0 + i], z, conf);
            char *text = theme_text(a, &a->tm[a->cn[cs[g0 + i].cn].term]);
            if (!text) {
                for (size_t j = 0; j < k; j++) free((char *)th[j].theme);
                free(cs);
                free(th);
                return NULL;
            }
            th[k++].theme = text; /* freed by verb_free */
            kept++;
        }
        g0 = g1;
    }
    free(cs);
    a->res.themes = th;
    a->res.n_themes = k;
    a->res.distinct_terms = a->n_terms;
    a->res.dropped_terms = a->dropped;
    a->finished = 1;
    return &a->res;
}
