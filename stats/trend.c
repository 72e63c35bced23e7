/* trend.c — see trend.h. */
#include "stats/trend.h"
#include "core/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct month_counts {
    int month;
    nps_counts c;
} month_counts;

typedef struct group {          /* one dimension × segment */
    size_t dim;
    const char *segment;        /* owned by the strmap key */
    nps_counts all;
    month_counts *m;
    size_t nm, cap;
    size_t last;                /* index of the last month hit (rows come in runs) */
} group;

typedef struct hist {
    int month;
    long long h[11];
} hist;

struct nps_table {
    size_t n_by;
    strmap *keys;               /* "dim\x1fsegment" → group index */
    group *g;
    size_t ng, gcap;
    char *kbuf;
    size_t kcap;
    hist *hists;
    size_t nh;
    nps_row *rows;
    size_t nrows;
    nps_change_row *changes;
    size_t nchanges;
    int *months;
    size_t nmonths;
};

nps_table *nps_table_new(size_t n_by)
{
    nps_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->n_by = n_by;
    if (!(t->keys = strmap_new())) { free(t); return NULL; }
    return t;
}

void nps_table_free(nps_table *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->ng; i++) free(t->g[i].m);
    free(t->g);
    strmap_free(t->keys);
    free(t->kbuf);
    free(t->hists);
    free(t->rows);
    free(t->changes);
    free(t->months);
    free(t);
}

/* Group of (dim, segment), created on first use. */
static group *group_get(nps_table *t, size_t dim, const char *seg)
{
    size_t len = strlen(seg);
    if (len + 24 > t->kcap) {
        size_t cap = len + 64;
        char *k = realloc(t->kbuf, cap);
        if (!k) return NULL;
        t->kbuf = k;
        t->kcap = cap;
    }
    int w = snprintf(t->kbuf, t->kcap, "%zu\x1f", dim);
    memcpy(t->kbuf + w, seg, len + 1);
    int added;
    size_t i = strmap_put(t->keys, t->kbuf, t->ng, &added);
    if (i == (size_t)-1) return NULL;
    if (added) {
        if (t->ng == t->gcap) {
            size_t cap = t->gcap ? t->gcap * 2 : 16;
            group *g = realloc(t->g, cap * sizeof *g);
            if (!g) return NULL;
            t->g = g;
            t->gcap = cap;
        }
        group *g = &t->g[t->ng++];
        memset(g, 0, sizeof *g);
        g->dim = dim;
        g->segment = strmap_key(t->keys, i) + w;
    }
    return &t->g[i];
}

static nps_counts *month_slot(group *g, int month)
{
    if (g->nm && g->m[g->last].month == month) return &g->m[g->last].c;
    for (size_t i = 0; i < g->nm; i++)
        if (g->m[i].month == month) { g->last = i; return &g->m[i].c; }
    if (g->nm == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 8;
        month_counts *m = realloc(g->m, cap * sizeof *m);
        if (!m) return NULL;
        g->m = m;
        g->cap = cap;
    }
    memset(&g->m[g->nm], 0, sizeof g->m[g->nm]);
    g->m[g->nm].month = month;
    g->last = g->nm++;
    return &g->m[g->last].c;
}

static int add_to(nps_table *t, size_t dim, const char *seg, int month, int score)
{
    group *g = group_get(t, dim, seg);
    if (!g) return -1;
    nps_counts *c = month_slot(g, month);
    if (!c) return -1;
    nps_counts_add(c, score);
    nps_counts_add(&g->all, score);
    return 0;
}

static int hist_add(nps_table *t, int month, int score)
{
    size_t i;
    for (i = 0; i < t->nh && t->hists[i].month != month; i++) {}
    if (i == t->nh) {
        hist *h = realloc(t->hists, (t->nh + 1) * sizeof *h);
        if (!h) return -1;
        t->hists = h;
        memset(&h[t->nh], 0, sizeof *h);
        h[t->nh++].month = month;
    }
    t->hists[i].h[score]++;
    return 0;
}

int nps_table_add(nps_table *t, int month, int score, const char *const *seg)
{
    if (add_to(t, 0, "all", month, score) != 0 || hist_add(t, month, score) != 0) return -1;
    for (size_t d = 0; d < t->n_by; d++)
        if (seg[d] && seg[d][0] && add_to(t, d + 1, seg[d], month, score) != 0) return -1;
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->dim != y->dim) return x->dim < y->dim ? -1 : 1;
    return strcmp(x->segment, y->segment);
}

static int cmp_mc(const void *a, const void *b)
{
    return cmp_int(&((const month_counts *)a)->month, &((const month_counts *)b)->month);
}

/* Distinct months over all groups of dim 0 (which sees every response). */
static int collect_months(nps_table *t)
{
    for (size_t i = 0; i < t->ng; i++) {
        if (t->g[i].dim != 0) continue;
        t->months = malloc((t->g[i].nm ? t->g[i].nm : 1) * sizeof *t->months);
        if (!t->months) return -1;
        for (size_t k = 0; k < t->g[i].nm; k++) t->months[k] = t->g[i].m[k].month;
        t->nmonths = t->g[i].nm;
        qsort(t->months, t->nmonths, sizeof *t->months, cmp_int);
    }
    return 0;
}

int nps_table_finish(nps_table *t, double confidence)
{
    double z = nps_z(confidence);
    /* Group order fixed by sorting; the strmap indices are no longer used. */
    qsort(t->g, t->ng, sizeof *t->g, cmp_group);
    size_t total = 0, nch = 0;
    for (size_t i = 0; i < t->ng; i++) {
        qsort(t->g[i].m, t->g[i].nm, sizeof *t->g[i].m, cmp_mc);
        total += t->g[i].nm + 1;
        nch += t->g[i].nm;
    }
    if (collect_months(t) != 0) return -1;
    t->rows = malloc((total ? total : 1) * sizeof *t->rows);
    t->changes = malloc((nch ? nch : 1) * sizeof *t->changes);
    if (!t->rows || !t->changes) return -1;
    /* Rows: each month ascending, then `all`; within it, groups in order. */
    for (size_t mi = 0; mi <= t->nmonths; mi++) {
        int month = mi < t->nmonths ? t->months[mi] : 0;
        for (size_t i = 0; i < t->ng; i++) {
            const group *g = &t->g[i];
            const nps_counts *c = NULL;
            if (month == 0) c = &g->all;
            else
                for (size_t k = 0; k < g->nm; k++)
                    if (g->m[k].month == month) { c = &g->m[k].c; break; }
            if (!c || nps_counts_n(c) == 0) continue;
            nps_row *r = &t->rows[t->nrows++];
            r->month = month;
            r->dim = g->dim;
            r->segment = g->segment;
            r->c = *c;
            r->e = nps_estimate(c, z);
        }
    }
    /* Changes: a month whose previous calendar month also has responses. */
    for (size_t i = 0; i < t->ng; i++) {
        const group *g = &t->g[i];
        for (size_t k = 1; k < g->nm; k++) {
            if (g->m[k - 1].month != g->m[k].month - 1) continue;
            nps_change_row *ch = &t->changes[t->nchanges++];
            ch->dim = g->dim;
            ch->segment = g->segment;
            ch->month = g->m[k].month;
            ch->prev_month = g->m[k - 1].month;
            ch->cur = nps_estimate(&g->m[k].c, z);
            ch->prev = nps_estimate(&g->m[k - 1].c, z);
            ch->ch = nps_compare(&ch->cur, &ch->prev, confidence);
        }
    }
    return 0;
}

size_t nps_table_rows(const nps_table *t, const nps_row **rows) { *rows = t->rows; return t->nrows; }
size_t nps_table_changes(const nps_table *t, const nps_change_row **rows) { *rows = t->changes; return t->nchanges; }
size_t nps_table_months(const nps_table *t, const int **months) { *months = t->months; return t->nmonths; }

void nps_table_histogram(const nps_table *t, int month, long long out[11])
{
    memset(out, 0, 11 * sizeof *out);
    for (size_t i = 0; i < t->nh; i++)
        if (month == 0 || t->hists[i].month == month)
            for (int s = 0; s < 11; s++) out[s] += t->hists[i].h[s];
}

const nps_row *nps_table_find(const nps_table *t, int month, size_t dim, const char *segment)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].month == month && t->rows[i].dim == dim && !strcmp(t->rows[i].segment, segment))
            return &t->rows[i];
    return NULL;
}
