/* npspart.c — see npspart.h. */
#include "stats/npspart.h"
#include "stats/stats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PART_MONTHS 32 /* distinct months a part holds in its arrays */
#define PART_SEGS 64   /* distinct segments per dimension */

typedef uint32_t hist11[11];

typedef struct pseg {
    char *key;
    size_t len;
    hist11 *h; /* PART_MONTHS histograms; kept across clears */
} pseg;

typedef struct pdim {
    size_t n;
    /* segment index + 1 at hash_of(), or at a later slot when taken (linear
     * probing); 0 = none.  PART_SEGS keys in 256 slots: a lookup, found or
     * not, probes about one slot, whatever the number of segments. */
    unsigned char slot[256];
    pseg seg[PART_SEGS];
} pdim;

struct nps_part {
    size_t n_by;
    int month[PART_MONTHS];
    size_t nm, last;
    pdim *dim;       /* n_by + 1; dimension 0 holds only "all" */
    nps_table *rest; /* responses that do not fit the arrays */
};

nps_part *nps_part_new(size_t n_by)
{
    nps_part *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->n_by = n_by;
    p->dim = calloc(n_by + 1, sizeof *p->dim);
    p->rest = nps_table_new(n_by);
    if (!p->dim || !p->rest) {
        nps_part_free(p);
        return NULL;
    }
    return p;
}

void nps_part_free(nps_part *p)
{
    if (!p) return;
    for (size_t d = 0; p->dim && d <= p->n_by; d++)
        for (size_t s = 0; s < PART_SEGS; s++) {
            free(p->dim[d].seg[s].key);
            free(p->dim[d].seg[s].h);
        }
    free(p->dim);
    nps_table_free(p->rest);
    free(p);
}

void nps_part_clear(nps_part *p)
{
    for (size_t d = 0; d <= p->n_by; d++) {
        pdim *dm = &p->dim[d];
        for (size_t s = 0; s < dm->n; s++) {
            memset(dm->seg[s].h, 0, p->nm * sizeof *dm->seg[s].h);
            free(dm->seg[s].key);
            dm->seg[s].key = NULL;
        }
        dm->n = 0;
        memset(dm->slot, 0, sizeof dm->slot);
    }
    p->nm = p->last = 0;
    nps_table_clear(p->rest);
}

static int same_key(const pseg *k, csv_span v)
{
    if (k->len != v.len || (v.len && k->key[0] != v.p[0])) return 0;
    for (size_t i = 1; i < v.len; i++)
        if (k->key[i] != v.p[i]) return 0;
    return 1;
}

/* A slot from all of a segment's bytes (FNV-1a): values that share their
 * length and ends ("q001" .. "q119") spread over the slots. */
static unsigned hash_of(csv_span v)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < v.len; i++) h = (h ^ (unsigned char)v.p[i]) * 16777619u;
    return (h ^ h >> 8 ^ h >> 16 ^ h >> 24) & 255u;
}

/* Index of segment V in DM, added when new; PART_SEGS when the arrays are
 * full; (size_t)-1 when out of memory. */
static size_t seg_index(pdim *dm, csv_span v)
{
    unsigned h = hash_of(v);
    for (; dm->slot[h]; h = (h + 1) & 255u)
        if (same_key(&dm->seg[dm->slot[h] - 1], v)) return dm->slot[h] - 1u;
    if (dm->n == PART_SEGS) return PART_SEGS;
    pseg *n = &dm->seg[dm->n];
    if (!n->h && !(n->h = calloc(PART_MONTHS, sizeof *n->h))) return (size_t)-1;
    if (!(n->key = malloc(v.len + 1))) return (size_t)-1;
    memcpy(n->key, v.p, v.len);
    n->key[v.len] = '\0';
    n->len = v.len;
    dm->slot[h] = (unsigned char)(dm->n + 1);
    return dm->n++;
}

/* Index of MONTH; PART_MONTHS when the arrays are full. */
static size_t month_index(nps_part *p, int month)
{
    if (p->nm && p->month[p->last] == month) return p->last;
    for (size_t m = 0; m < p->nm; m++)
        if (p->month[m] == month) return p->last = m;
    if (p->nm == PART_MONTHS) return PART_MONTHS;
    p->month[p->nm] = month;
    return p->last = p->nm++;
}

int nps_part_add(nps_part *p, int month, int score, const csv_span *seg)
{
    static const csv_span all = {"all", 3};
    uint32_t *cell[STATS_MAX_BY + 1];
    size_t m = month_index(p, month), k = 0, s;

    if (m == PART_MONTHS) return nps_table_add_n(p->rest, month, score, seg);
    if (p->dim[0].n == 0 && seg_index(&p->dim[0], all) == (size_t)-1) return -1;
    cell[k++] = p->dim[0].seg[0].h[m];
    for (size_t d = 0; d < p->n_by; d++) {
        if (seg[d].len == 0) continue;
        s = seg_index(&p->dim[d + 1], seg[d]);
        if (s == (size_t)-1) return -1;
        if (s == PART_SEGS) return nps_table_add_n(p->rest, month, score, seg);
        cell[k++] = p->dim[d + 1].seg[s].h[m];
    }
    for (size_t i = 0; i < k; i++) cell[i][score]++;
    return 0;
}

int nps_part_merge(nps_table *t, const nps_part *p)
{
    for (size_t d = 0; d <= p->n_by; d++) {
        const pdim *dm = &p->dim[d];
        for (size_t s = 0; s < dm->n; s++)
            for (size_t m = 0; m < p->nm; m++) {
                const uint32_t *h = dm->seg[s].h[m];
                uint32_t any = 0;
                for (int k = 0; k < 11; k++) any |= h[k];
                if (any && nps_table_add_hist(t, p->month[m], d, dm->seg[s].key, dm->seg[s].len, h) != 0)
                    return -1;
            }
    }
    return nps_table_merge(t, p->rest);
}
