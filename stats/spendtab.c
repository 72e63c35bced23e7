/* spendtab.c — see spendtab.h. */
#include "stats/spendtab.h"
#include "core/xsort.h"

#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"

/* Window sums are differences of running sums.  Plain double running sums
 * would turn two windows with the same spend into a delta of ±1e-13, which
 * then counts as "up" or "down"; so the running sums are kept as
 * double-double numbers (Dekker 1971; Knuth TAOCP 2, §4.2.2 TwoSum), about
 * 106 bits, and each window sum is rounded once to a double: it equals the
 * correctly rounded sum of its rows (what math.fsum gives).  This needs
 * IEEE double arithmetic without contraction into FMA, which is what
 * -std=c11 gives with GCC and Clang (-ffp-contract=off in ISO mode). */
typedef struct dd {
    double hi, lo;
} dd;

/* a + b exactly as s + e. */
static dd two_sum(double a, double b)
{
    double s = a + b, bb = s - a;
    return (dd){ s, (a - (s - bb)) + (b - bb) };
}

static dd dd_add(dd x, double b)
{
    dd s = two_sum(x.hi, b);
    return two_sum(s.hi, s.lo + x.lo);
}

/* x − y rounded to a double. */
static double dd_diff(dd x, dd y)
{
    dd s = two_sum(x.hi, -y.hi);
    return s.hi + (s.lo + (x.lo - y.lo));
}

typedef struct spend_row {       /* 16 bytes: days fit in 32 bits */
    double amount;
    int32_t day;
    uint32_t cust;
} spend_row;

struct spend_table {
    strmap *ids;          /* customer_id -> customer index */
    spend_row *rows;      /* as added; sorted by (cust, day) at finish */
    size_t n, cap;
    int finished;
    size_t *start;        /* customer c owns sorted rows start[c] .. start[c+1]-1 */
    dd *cum;              /* customer c, row i: cum[i + c] = sum of c's rows
                             before row i; cum[end + c] = c's total */
    int64_t first, last;
};

spend_table *spend_table_new(void)
{
    spend_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->ids = strmap_new();
    if (!t->ids) { free(t); return NULL; }
    return t;
}

void spend_table_free(spend_table *t)
{
    if (!t) return;
    strmap_free(t->ids);
    free(t->rows);
    free(t->start);
    free(t->cum);
    free(t);
}

int spend_table_add(spend_table *t, const char *customer_id, int64_t day, double amount)
{
    if (day < INT32_MIN || day > INT32_MAX) return -1;
    int added;
    size_t c = strmap_put(t->ids, customer_id, strmap_count(t->ids), &added);
    if (c == (size_t)-1 || c >= UINT32_MAX) return -1;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        spend_row *rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows) return -1;
        t->rows = rows;
        t->cap = cap;
    }
    t->rows[t->n++] = (spend_row){ amount, (int32_t)day, (uint32_t)c };
    if (t->n == 1 || day < t->first) t->first = day;
    if (t->n == 1 || day > t->last) t->last = day;
    t->finished = 0;
    return 0;
}

static int row_cmp(const void *pa, const void *pb)
{
    const spend_row *a = pa, *b = pb;
    if (a->cust != b->cust) return a->cust < b->cust ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

int spend_table_finish(spend_table *t)
{
    if (t->finished) return 0;
    size_t nc = strmap_count(t->ids);
    size_t *start = calloc(nc + 1, sizeof *start);
    dd *cum = malloc((t->n + nc + 1) * sizeof *cum);
    if (!start || !cum) {
        free(start);
        free(cum);
        return -1;
    }
    if (t->n) {
        cx_qsort(t->rows, t->n, sizeof *t->rows, row_cmp);
        /* Give back the slack of the doubling growth (up to half). */
        spend_row *fit = realloc(t->rows, t->n * sizeof *t->rows);
        if (fit) { t->rows = fit; t->cap = t->n; }
    }
    for (size_t i = 0; i < t->n; i++) start[t->rows[i].cust + 1]++;
    for (size_t c = 0; c < nc; c++) start[c + 1] += start[c];
    for (size_t c = 0; c < nc; c++) {
        dd run = { 0, 0 };
        for (size_t i = start[c]; i < start[c + 1]; i++) {
            cum[i + c] = run;
            run = dd_add(run, t->rows[i].amount);
        }
        cum[start[c + 1] + c] = run;
    }
    free(t->start);
    free(t->cum);
    t->start = start;
    t->cum = cum;
    t->finished = 1;
    return 0;
}

size_t spend_table_rows(const spend_table *t) { return t->n; }

int spend_table_range(const spend_table *t, int64_t *first, int64_t *last)
{
    if (t->n == 0) return 0;
    *first = t->first;
    *last = t->last;
    return 1;
}

long spend_table_customer(const spend_table *t, const char *customer_id)
{
    size_t c = strmap_get(t->ids, customer_id);
    return c == (size_t)-1 ? -1 : (long)c;
}

/* First row in [lo, hi) whose day is >= DAY (hi when none). */
static size_t lower_bound(const spend_row *rows, size_t lo, size_t hi, int64_t day)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].day < day) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

double spend_table_sum(const spend_table *t, long cust, int64_t from, int64_t to)
{
    if (cust < 0 || !t->finished || from > to) return 0.0;
    size_t c = (size_t)cust, s = t->start[c], e = t->start[c + 1];
    size_t lo = lower_bound(t->rows, s, e, from);
    size_t hi = to == INT64_MAX ? e : lower_bound(t->rows, lo, e, to + 1);
    if (hi <= lo) return 0.0;
    return dd_diff(t->cum[hi + c], t->cum[lo + c]);
}
