/* spendtab_int.h — the spend table's state (stats/spendtab.h), shared by
 * stats/spendtab.c (customers, wants, rows, T1) and stats/spendtab_part.c
 * (the windows summed in parts, their sums read back) only.
 *
 * Sums are double-double numbers (Dekker 1971; Knuth TAOCP 2, §4.2.2
 * TwoSum), about 106 bits, rounded once to a double when read: a window
 * sum equals the correctly rounded sum of its rows (what math.fsum gives),
 * whatever the order of the rows, and two windows with the same spend
 * give the same double (a delta of exactly 0, neither "up" nor "down").
 * Amounts are money in decimal, though, and a double holds 0.1 only
 * nearly: fsum(0.1, 0.2) is 0.30000000000000004 and the 0.3 of another
 * window 0.29999999999999999, a delta of 5.6e-17 for the same money.  So
 * each window notes the most decimal places of the amounts added to it
 * (its D, up to SPEND_MAX_DECIMALS), and so does each T1 sum: such a sum
 * has at most D places, so it is given the double of its value rounded to
 * D places (what the decimal money sums to), and a window's delta the
 * double of post - pre at D places, taken in integers of 10^-D
 * (spendtab_part.c window_sums).  The same money is then the same double
 * in every window and every delta, whatever the customer, the order of
 * the rows or the other amounts of the data: a delta of exactly 0, deltas
 * of one value with no variation, T1 ties that are ties
 * (docs/methods.md, Spend deltas).
 * This needs IEEE double arithmetic without contraction into FMA, which
 * is what -std=c11 gives with GCC and Clang (-ffp-contract=off in ISO
 * mode). */
#ifndef CX_SPENDTAB_INT_H
#define CX_SPENDTAB_INT_H

#include "stats/idtab.h"
#include "stats/recspool.h"
#include "stats/spendtab.h"

typedef struct dd {
    double hi, lo;
} dd;

/* a + b exactly as s + e. */
static inline dd two_sum(double a, double b)
{
    double s = a + b, bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}

static inline dd dd_add(dd x, double b)
{
    dd s = two_sum(x.hi, b);
    return two_sum(s.hi, s.lo + x.lo);
}

static inline double dd_round(dd x) { return x.hi + x.lo; }

/* D of the decimal rule above: an amount with more decimal places (or no
 * short decimal at all, 1/3 say, or too many digits for a double to hold
 * at D places) sets its window's (or T1's) D to SPEND_MAX_DECIMALS + 1,
 * which turns the rule off there: those sums are the correctly rounded
 * ones, the delta post - pre. */
#define SPEND_MAX_DECIMALS 6

/* The decimal places of AMOUNT (spendtab.c): 0 …SPEND_MAX_DECIMALS, or
 * SPEND_MAX_DECIMALS + 1 when it has more. */
int spend_decimals(double amount);

/* SUM, a sum of amounts of at most D places, as the double of its value at
 * D places; itself when D is past SPEND_MAX_DECIMALS or SUM too large to
 * hold at D places. */
double spend_at_decimals(double sum, int d);

/* 10^D, exactly (D ≤ 22). */
static inline double dec_scale(int d)
{
    double s = 1;
    while (d-- > 0) s *= 10;
    return s;
}

/* Windows held at once (40 bytes each): more are summed in parts. */
#define SPEND_PART_BYTES ((size_t)8 << 20)

#define NONE UINT32_MAX
#define ELSEWHERE (UINT32_MAX - 1) /* the customer's windows are in a later part */

#define WIN_DAY_LIMIT ((int64_t)1 << 27)

typedef struct window { /* one wanted response day of a customer */
    dd pre, post;
    signed int day : 28;  /* |day| < WIN_DAY_LIMIT (a response's: years 1 to 9999) */
    unsigned int dec : 4; /* D of the amounts summed into pre and post */
    uint32_t next;        /* the customer's next window, or NONE */
} window;
_Static_assert(sizeof(window) == 40, "a window is 40 bytes (SPEND_PART_BYTES)");

typedef struct customer {
    uint32_t first; /* first window of the part being summed, NONE, or ELSEWHERE */
    uint32_t t1;    /* index into t1 when T1 is wanted, else NONE */
} customer;

/* A want as spooled (handle = its place in the spool). */
typedef struct want_rec {
    uint32_t c; /* index into cust */
    int32_t day;
} want_rec;

/* A spend row of a later part, as spooled. */
typedef struct row_rec {
    uint32_t c;
    int32_t day;
    double amount;
} row_rec;

/* A window's rounded sums and its delta, as spooled by a part. */
typedef struct sums_rec {
    double pre, post, delta;
} sums_rec;

struct spend_table {
    int64_t w;
    int has;
    int64_t first, last;
    const cust_table *known; /* ids looked up here first, or NULL */
    uint32_t *known_slot;    /* per customer of known: index + 1 into cust, 0 none */
    idtab *ids;              /* the other ids */
    uint32_t *own_slot;      /* per id of ids: index + 1 into cust */
    size_t cap_own;
    customer *cust;
    size_t n_cust, cap_cust;
    dd *t1;                /* the T1 sums wanted (few customers lack an annual value) */
    unsigned char *t1_dec; /* D of each */
    size_t n_t1, cap_t1;
    recspool *wants; /* every want, in handle order */
    size_t part_bytes;
    size_t spool_buf; /* bytes of each part's spool buffers: a sixteenth of a part, 4 to 64 KiB */
    /* set when the rows start (spendtab_part.c) */
    size_t parts; /* 0 until then; customer c is in part c % parts */
    window *win;  /* the windows of the part being summed */
    size_t n_win, cap_win;
    recspool **part_wants; /* [1 …parts): each later part's wants */
    recspool **part_rows;  /* [1 …parts): each later part's rows */
    recspool **part_sums;  /* [0 …parts) once summed, when parts > 1 */
    int streaming;         /* a row was added: no more wants */
    int summed;            /* every part summed */
    size_t cursor;         /* handles read back so far */
    sums_rec cur;          /* the sums of handle cursor - 1 */
    int failed, err;       /* a spool failed (err: its errno, 0 for memory) */
    char *prev;            /* the previous row's customer_id (a copy) */
    size_t prev_cap;
    size_t prev_c; /* its index, or (size_t)-1 when not wanted */
};

/* spendtab_part.c: the windows' parts made from the wants, part 0's
 * windows built (called at the first row, or at the sums without rows).
 * 0, or -1 (t->failed). */
int spend_parts_start(spend_table *t);
/* spendtab_part.c: a row of customer C on DAY added to C's windows in
 * the part being summed. */
void spend_part_add(spend_table *t, const customer *c, int32_t day, double amount);
/* spendtab_part.c: -1 after noting the failure of spool S (or memory). */
int spend_fail(spend_table *t, const recspool *s);

#endif
