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
 * the decimals of the amounts are noted as they come (spend_table_add: D,
 * the most decimal places of an amount of a customer with windows, up to
 * SPEND_MAX_DECIMALS) and a window's two sums that differ in binary but
 * round to the same number of D decimals are both given that number's
 * double (spendtab_part.c window_sums): the delta is exactly 0.  A sum of
 * amounts of at most D decimals has at most D decimals, so a delta that
 * is not 0 in decimal is at least 10^-D, far above the binary residue
 * (2^-53 of the amounts' total): such sums are left as they are, bit for
 * bit (docs/methods.md, Spend deltas).
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

/* D of the decimal rule above: amounts with more decimal places (or no
 * short decimal at all, 1/3 say, or too many digits for a double to hold
 * at D places) set decimals to SPEND_MAX_DECIMALS + 1, which turns the
 * rule off: every sum is then the correctly rounded one. */
#define SPEND_MAX_DECIMALS 6

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

typedef struct window { /* one wanted response day of a customer */
    dd pre, post;
    int32_t day;
    uint32_t next; /* the customer's next window, or NONE */
} window;

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

/* A window's rounded sums, as spooled by a part. */
typedef struct sums_rec {
    double pre, post;
} sums_rec;

struct spend_table {
    int64_t w;
    int has;
    int decimals; /* D so far: 0 …SPEND_MAX_DECIMALS, or more (the rule off) */
    int64_t first, last;
    const cust_table *known; /* ids looked up here first, or NULL */
    uint32_t *known_slot;    /* per customer of known: index + 1 into cust, 0 none */
    idtab *ids;              /* the other ids */
    uint32_t *own_slot;      /* per id of ids: index + 1 into cust */
    size_t cap_own;
    customer *cust;
    size_t n_cust, cap_cust;
    dd *t1; /* the T1 sums wanted (few customers lack an annual value) */
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
