/* trend_int.h — what the files of the NPS table share (stats/trend.h):
 * its groups (one a dimension and segment), their monthly counts and the
 * score histograms.  Owner: stats/trend.c (adding, merging);
 * stats/trend_finish.c (the rows, the changes, the lookups).  Not for use
 * outside them.
 */
#ifndef CX_STATS_TREND_INT_H
#define CX_STATS_TREND_INT_H

#include "stats/trend.h"
#include "core/strmap.h"

#include <stddef.h>

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

#endif
