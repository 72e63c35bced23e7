/* trend.c — see trend.h: the table as responses are added (its
 * finish and what it gives: trend_finish.c; the state both share:
 * trend_int.h). */
#include "stats/trend_int.h"
#include "core/strmap.h"
#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

nps_table *nps_table_new(size_t n_by)
{
    nps_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->n_by = n_by;
    t->g0 = (size_t)-1;
    t->seg = calloc(n_by + 1, sizeof *t->seg);
    t->shorts = calloc(n_by + 1, sizeof *t->shorts);
    if (!t->seg || !t->shorts) {
        free(t->seg);
        free(t->shorts);
        free(t);
        return NULL;
    }
    for (size_t d = 0; d <= n_by; d++)
        if (!(t->seg[d] = strmap_new())) {
            nps_table_free(t);
            return NULL;
        }
    return t;
}

void nps_table_free(nps_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->ng; i++) free(t->g[i].m);
    free(t->g);
    for (size_t d = 0; t->seg && d <= t->n_by; d++) strmap_free(t->seg[d]);
    free(t->seg);
    free(t->shorts);
    free(t->hists);
    free(t->rows);
    free(t->changes);
    free(t->months);
    free(t);
}

void nps_table_clear(nps_table *t)
{
    for (size_t i = 0; i < t->ng; i++) free(t->g[i].m);
    t->ng = 0;
    t->g0 = (size_t)-1;
    for (size_t d = 0; d <= t->n_by; d++) {
        strmap_clear(t->seg[d]);
        t->shorts[d].n = 0;
    }
    t->nh = t->hlast = 0;
}

static size_t group_new(nps_table *t, size_t dim, const char *seg, size_t len);

static int same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}

/* Group of (dim, SEG[0..len)), created on first use; NULL when OOM. */
static group *group_get(nps_table *t, size_t dim, const char *seg, size_t len)
{
    short_segs *c = &t->shorts[dim];
    for (size_t j = 0; j < c->n; j++)
        if (c->len[j] == len && same_bytes(c->key[j], seg, len)) return &t->g[c->group[j]];
    strmap *m = t->seg[dim];
    size_t i = strmap_get_n(m, seg, len);
    if (i == (size_t)-1) {
        if (!(i = group_new(t, dim, seg, len))) return NULL;
        i--;
    }
    if (c->n < SHORT_SEGS) {
        c->key[c->n] = t->g[i].segment;
        c->len[c->n] = len;
        c->group[c->n++] = i;
    }
    return &t->g[i];
}

/* A new group for (dim, SEG[0..len)): its index + 1, 0 when OOM. */
static size_t group_new(nps_table *t, size_t dim, const char *seg, size_t len)
{
    strmap *m = t->seg[dim];
    if (t->ng == t->gcap) {
        group *g = grow_array(t->g, &t->gcap, t->ng + 1, sizeof *g, 16, 0, 0);
        if (!g) return 0;
        t->g = g;
    }
    int added;
    if (strmap_put_n(m, seg, len, t->ng, &added) == (size_t)-1) return 0;
    group *g = &t->g[t->ng++];
    memset(g, 0, sizeof *g);
    g->dim = dim;
    g->segment = strmap_key(m, strmap_count(m) - 1);
    return t->ng;
}

static nps_counts *month_slot(group *g, int month)
{
    if (g->nm && g->m[g->last].month == month) return &g->m[g->last].c;
    for (size_t i = 0; i < g->nm; i++)
        if (g->m[i].month == month) {
            g->last = i;
            return &g->m[i].c;
        }
    if (g->nm == g->cap) {
        month_counts *m = grow_array(g->m, &g->cap, g->nm + 1, sizeof *m, 8, 0, 0);
        if (!m) return NULL;
        g->m = m;
    }
    memset(&g->m[g->nm], 0, sizeof g->m[g->nm]);
    g->m[g->nm].month = month;
    g->last = g->nm++;
    return &g->m[g->last].c;
}

static int add_to(group *g, int month, int score)
{
    if (!g) return -1;
    nps_counts *c = month_slot(g, month);
    if (!c) return -1;
    nps_counts_add(c, score);
    nps_counts_add(&g->all, score);
    return 0;
}

static hist *hist_slot(nps_table *t, int month)
{
    if (t->nh && t->hists[t->hlast].month == month) return &t->hists[t->hlast];
    for (size_t i = 0; i < t->nh; i++)
        if (t->hists[i].month == month) {
            t->hlast = i;
            return &t->hists[i];
        }
    if (t->nh == t->hcap) {
        hist *h = grow_array(t->hists, &t->hcap, t->nh + 1, sizeof *h, 16, 0, 0);
        if (!h) return NULL;
        t->hists = h;
    }
    memset(&t->hists[t->nh], 0, sizeof *t->hists);
    t->hists[t->nh].month = month;
    t->hlast = t->nh++;
    return &t->hists[t->hlast];
}

static group *overall(nps_table *t)
{
    if (t->g0 == (size_t)-1) {
        group *g = group_get(t, 0, "all", 3);
        if (!g) return NULL;
        t->g0 = (size_t)(g - t->g);
    }
    return &t->g[t->g0];
}

static int add_overall(nps_table *t, int month, int score)
{
    /* Every score is checked where it enters (input, store_check.h); this
     * keeps a missed one from being an index out of bounds. */
    if (score < 0 || score > 10) return -1;
    hist *h = hist_slot(t, month);
    if (!h || add_to(overall(t), month, score) != 0) return -1;
    h->h[score]++;
    return 0;
}

int nps_table_add(nps_table *t, int month, int score, const char *const *seg)
{
    if (add_overall(t, month, score) != 0) return -1;
    for (size_t d = 0; d < t->n_by; d++)
        if (seg[d] && seg[d][0] && add_to(group_get(t, d + 1, seg[d], strlen(seg[d])), month, score) != 0)
            return -1;
    return 0;
}

int nps_table_add_n(nps_table *t, int month, int score, const csv_span *seg)
{
    if (add_overall(t, month, score) != 0) return -1;
    for (size_t d = 0; d < t->n_by; d++)
        if (seg[d].len && add_to(group_get(t, d + 1, seg[d].p, seg[d].len), month, score) != 0) return -1;
    return 0;
}

int nps_table_add_hist(nps_table *t, int month, size_t dim, const char *seg, size_t len, const uint32_t h[11])
{
    nps_counts c = {0, 0, 0};
    for (int s = 0; s <= 10; s++) {
        int cls = cx_nps_class(s);
        *(cls > 0 ? &c.p : cls == 0 ? &c.a : &c.d) += h[s];
    }
    group *g = dim == 0 ? overall(t) : group_get(t, dim, seg, len);
    nps_counts *mc = g ? month_slot(g, month) : NULL;
    if (!mc) return -1;
    nps_counts_merge(mc, &c);
    nps_counts_merge(&g->all, &c);
    if (dim == 0) {
        hist *hs = hist_slot(t, month);
        if (!hs) return -1;
        for (int s = 0; s < 11; s++) hs->h[s] += h[s];
    }
    return 0;
}

int nps_table_merge(nps_table *into, const nps_table *part)
{
    for (size_t i = 0; i < part->ng; i++) {
        const group *pg = &part->g[i];
        group *g = group_get(into, pg->dim, pg->segment, strlen(pg->segment));
        if (!g) return -1;
        if (pg->dim == 0) into->g0 = (size_t)(g - into->g);
        for (size_t k = 0; k < pg->nm; k++) {
            nps_counts *c = month_slot(g, pg->m[k].month);
            if (!c) return -1;
            nps_counts_merge(c, &pg->m[k].c);
        }
        nps_counts_merge(&g->all, &pg->all);
    }
    for (size_t i = 0; i < part->nh; i++) {
        hist *h = hist_slot(into, part->hists[i].month);
        if (!h) return -1;
        for (int s = 0; s < 11; s++) h->h[s] += part->hists[i].h[s];
    }
    return 0;
}
