/* spendtab.c — see spendtab.h.
 *
 * Each wanted response day of a customer is one entry with its two window
 * sums; a customer's entries are chained, so a spend row walks only its
 * customer's few entries.  A customer's rows often come together (a
 * billing export by customer, imported in its order), so the last
 * customer's look-up is kept.
 *
 * Sums are double-double numbers (Dekker 1971; Knuth TAOCP 2, §4.2.2
 * TwoSum), about 106 bits, rounded once to a double when read: a window
 * sum equals the correctly rounded sum of its rows (what math.fsum gives),
 * whatever the order of the rows, and two windows with the same spend
 * give the same double (a delta of exactly 0, neither "up" nor "down").
 * This needs IEEE double arithmetic without contraction into FMA, which
 * is what -std=c11 gives with GCC and Clang (-ffp-contract=off in ISO
 * mode). */
#include "stats/spendtab.h"

#include <stdlib.h>
#include <string.h>

#include "stats/idtab.h"

typedef struct dd {
    double hi, lo;
} dd;

/* a + b exactly as s + e. */
static dd two_sum(double a, double b)
{
    double s = a + b, bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}

static dd dd_add(dd x, double b)
{
    dd s = two_sum(x.hi, b);
    return two_sum(s.hi, s.lo + x.lo);
}

static double dd_round(dd x) { return x.hi + x.lo; }

#define NONE UINT32_MAX

typedef struct window { /* one wanted response day of a customer */
    dd pre, post;
    int32_t day;
    uint32_t next; /* the customer's next window, or NONE */
} window;

typedef struct customer {
    uint32_t first; /* first window, or NONE */
    uint32_t t1;    /* index into t1 when T1 is wanted, else NONE */
} customer;

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
    dd *t1; /* the T1 sums wanted (few customers lack an annual value) */
    size_t n_t1, cap_t1;
    window *win;
    size_t n_win, cap_win;
    int streaming; /* a row was added: no more wants */
    char *prev;    /* the previous row's customer_id (a copy) */
    size_t prev_cap;
    size_t prev_c; /* its index, or (size_t)-1 when not wanted */
};

spend_table *spend_table_new(int64_t window_days)
{
    spend_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->w = window_days;
    t->ids = idtab_new();
    if (!t->ids) {
        free(t);
        return NULL;
    }
    t->prev_c = (size_t)-1;
    return t;
}

void spend_table_free(spend_table *t)
{
    if (!t) return;
    idtab_free(t->ids);
    free(t->known_slot);
    free(t->own_slot);
    free(t->cust);
    free(t->t1);
    free(t->win);
    free(t->prev);
    free(t);
}

void spend_table_set_range(spend_table *t, int has, int64_t first, int64_t last)
{
    t->has = has;
    t->first = first;
    t->last = last;
}

int spend_table_range(const spend_table *t, int64_t *first, int64_t *last)
{
    if (!t->has) return 0;
    *first = t->first;
    *last = t->last;
    return 1;
}

int spend_table_use_customers(spend_table *t, const cust_table *cust)
{
    if (t->known == cust) return 0;
    if (t->streaming || t->n_cust || t->known) return -1;
    size_t n = cust_table_count(cust);
    if (!(t->known_slot = calloc(n ? n : 1, sizeof *t->known_slot))) return -1;
    t->known = cust;
    return 0;
}

/* The slot that holds CUSTOMER_ID's index + 1 (0: no record yet); NULL
 * when it is unknown and ADD is 0, or out of memory. */
static uint32_t *slot_of(spend_table *t, const char *customer_id, int add)
{
    size_t len = strlen(customer_id);
    if (t->known) {
        size_t k = cust_table_find(t->known, customer_id);
        if (k != (size_t)-1) return &t->known_slot[k];
    }
    if (!add) {
        size_t i = idtab_get(t->ids, customer_id, len);
        return i == (size_t)-1 ? NULL : &t->own_slot[i];
    }
    int added;
    size_t i = idtab_put(t->ids, customer_id, len, &added);
    if (i == (size_t)-1) return NULL;
    if (i >= t->cap_own) {
        size_t cap = t->cap_own ? 2 * t->cap_own : 1024;
        uint32_t *o = realloc(t->own_slot, cap * sizeof *o);
        if (!o) return NULL;
        t->own_slot = o;
        t->cap_own = cap;
    }
    if (added) t->own_slot[i] = 0;
    return &t->own_slot[i];
}

/* Index of CUSTOMER_ID's record, or (size_t)-1 when it has none. */
static size_t find(const spend_table *t, const char *customer_id)
{
    uint32_t *slot = slot_of((spend_table *)t, customer_id, 0);
    return slot && *slot ? (size_t)*slot - 1 : (size_t)-1;
}

/* Index of CUSTOMER_ID's record, made when new; (size_t)-1 when out of
 * memory. */
static size_t customer_of(spend_table *t, const char *customer_id)
{
    if (t->n_cust == t->cap_cust) {
        size_t cap = t->cap_cust ? 2 * t->cap_cust : 1024;
        customer *c = realloc(t->cust, cap * sizeof *c);
        if (!c) return (size_t)-1;
        t->cust = c;
        t->cap_cust = cap;
    }
    uint32_t *slot = slot_of(t, customer_id, 1);
    if (!slot || t->n_cust >= NONE - 1) return (size_t)-1;
    if (!*slot) {
        t->cust[t->n_cust] = (customer){NONE, NONE};
        *slot = (uint32_t)++t->n_cust;
    }
    return (size_t)*slot - 1;
}

long spend_table_want(spend_table *t, const char *customer_id, int64_t day)
{
    if (t->streaming || day < INT32_MIN || day > INT32_MAX) return -1;
    size_t c = customer_of(t, customer_id);
    if (c == (size_t)-1) return -1;
    uint32_t *link = &t->cust[c].first;
    for (uint32_t i = *link; i != NONE; i = t->win[i].next) {
        if (t->win[i].day == day) return (long)i;
        link = &t->win[i].next;
    }
    if (t->n_win >= NONE - 1) return -1;
    if (t->n_win == t->cap_win) {
        size_t cap = t->cap_win ? 2 * t->cap_win : 1024;
        window *w = realloc(t->win, cap * sizeof *w);
        if (!w) return -1;
        t->win = w;
        t->cap_win = cap;
        link = &t->cust[c].first; /* the chain moved with win */
        while (*link != NONE) link = &t->win[*link].next;
    }
    t->win[t->n_win] = (window){{0, 0}, {0, 0}, (int32_t)day, NONE};
    *link = (uint32_t)t->n_win;
    return (long)t->n_win++;
}

int spend_table_want_t1(spend_table *t, const char *customer_id)
{
    if (t->streaming) return -1;
    size_t c = customer_of(t, customer_id);
    if (c == (size_t)-1) return -1;
    if (t->cust[c].t1 != NONE) return 0;
    if (t->n_t1 == t->cap_t1) {
        size_t cap = t->cap_t1 ? 2 * t->cap_t1 : 256;
        dd *x = realloc(t->t1, cap * sizeof *x);
        if (!x) return -1;
        t->t1 = x;
        t->cap_t1 = cap;
    }
    t->t1[t->n_t1] = (dd){0, 0};
    t->cust[c].t1 = (uint32_t)t->n_t1++;
    return 0;
}

int spend_table_add(spend_table *t, const char *customer_id, int64_t day, double amount)
{
    if (day < INT32_MIN || day > INT32_MAX) return -1;
    t->streaming = 1;
    if (!t->prev || strcmp(t->prev, customer_id) != 0) {
        t->prev_c = find(t, customer_id);
        size_t n = strlen(customer_id) + 1;
        if (n > t->prev_cap) { /* without the copy, the next row looks up again */
            char *p = realloc(t->prev, n);
            if (p) {
                t->prev = p;
                t->prev_cap = n;
            } else {
                free(t->prev);
                t->prev = NULL;
                t->prev_cap = 0;
            }
        }
        if (t->prev) memcpy(t->prev, customer_id, n);
    }
    if (t->prev_c == (size_t)-1) return 0; /* nothing wanted of this customer */
    customer *c = &t->cust[t->prev_c];
    if (c->t1 != NONE && day >= t->last - 364 && day <= t->last) t->t1[c->t1] = dd_add(t->t1[c->t1], amount);
    for (uint32_t i = c->first; i != NONE; i = t->win[i].next) {
        window *w = &t->win[i];
        if (day < w->day) {
            if (day >= w->day - t->w) w->pre = dd_add(w->pre, amount);
        } else if (day > w->day && day <= w->day + t->w) {
            w->post = dd_add(w->post, amount);
        }
    }
    return 0;
}

void spend_table_windows(const spend_table *t, long handle, double *pre, double *post)
{
    if (handle < 0 || (size_t)handle >= t->n_win) {
        *pre = *post = 0;
        return;
    }
    *pre = dd_round(t->win[handle].pre);
    *post = dd_round(t->win[handle].post);
}

void spend_table_drop_windows(spend_table *t)
{
    free(t->win);
    t->win = NULL;
    t->n_win = t->cap_win = 0;
    for (size_t c = 0; c < t->n_cust; c++) t->cust[c].first = NONE;
}

double spend_table_t1(const spend_table *t, const char *customer_id)
{
    size_t c = find(t, customer_id);
    return c == (size_t)-1 || t->cust[c].t1 == NONE ? 0.0 : dd_round(t->t1[t->cust[c].t1]);
}

size_t spend_table_wanted(const spend_table *t) { return t->n_win + t->n_cust; }
