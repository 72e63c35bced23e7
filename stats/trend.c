/* trend.c — see trend.h. */
#include "stats/trend.h"
#include "core/xsort.h"
#include "core/strmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct month_counts {
    int month;
    nps_counts c;
} month_counts;

typedef struct group { /* one dimension × segment */
    size_t dim;
    const char *segment; /* owned by the dimension's strmap */
    nps_counts all;
    month_counts *m;
    size_t nm, cap;
    size_t last; /* index of the last month hit (rows come in runs) */
} group;

typedef struct hist {
    int month;
    long long h[11];
} hist;

/* The first segments of a dimension with their group: most --by
 * dimensions have a handful of values, found here without hashing. */
#define SHORT_SEGS 16
typedef struct short_segs {
    size_t n;
    const char *key[SHORT_SEGS]; /* the strmap's copy */
    size_t len[SHORT_SEGS], group[SHORT_SEGS];
} short_segs;

/* Groups are found through one strmap per dimension (0 = overall, whose
 * only segment is "all"), keyed by the segment's bytes: no key is built
 * per response. */
struct nps_table {
    size_t n_by;
    strmap **seg;       /* n_by + 1 maps: segment → group index */
    short_segs *shorts; /* n_by + 1 caches in front of them */
    group *g;
    size_t ng, gcap;
    size_t g0; /* the overall group; (size_t)-1 before the first add */
    hist *hists;
    size_t nh, hcap, hlast;
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
        size_t cap = t->gcap ? t->gcap * 2 : 16;
        group *g = realloc(t->g, cap * sizeof *g);
        if (!g) return 0;
        t->g = g;
        t->gcap = cap;
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
        size_t cap = t->hcap ? t->hcap * 2 : 16;
        hist *h = realloc(t->hists, cap * sizeof *h);
        if (!h) return NULL;
        t->hists = h;
        t->hcap = cap;
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
        cx_qsort(t->months, t->nmonths, sizeof *t->months, cmp_int);
    }
    return 0;
}

int nps_table_finish(nps_table *t, double confidence)
{
    double z = nps_z(confidence);
    /* Group order fixed by sorting; the strmap indices are no longer used. */
    cx_qsort(t->g, t->ng, sizeof *t->g, cmp_group);
    size_t total = 0, nch = 0;
    for (size_t i = 0; i < t->ng; i++) {
        cx_qsort(t->g[i].m, t->g[i].nm, sizeof *t->g[i].m, cmp_mc);
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
                    if (g->m[k].month == month) {
                        c = &g->m[k].c;
                        break;
                    }
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

size_t nps_table_rows(const nps_table *t, const nps_row **rows)
{
    *rows = t->rows;
    return t->nrows;
}
size_t nps_table_changes(const nps_table *t, const nps_change_row **rows)
{
    *rows = t->changes;
    return t->nchanges;
}
size_t nps_table_months(const nps_table *t, const int **months)
{
    *months = t->months;
    return t->nmonths;
}

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
