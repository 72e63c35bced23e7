/* spendtab.c — see spendtab.h: the customers, the wants (spooled, so
 * that they do not stay in memory while the responses go by), the rows
 * and T1.  The windows, summed in parts: spendtab_part.c.
 *
 * Each wanted response day of a customer is one window with its two sums;
 * a customer's windows are chained, so a spend row walks only its
 * customer's few windows.  A customer's rows often come together (a
 * billing export by customer, imported in its order), so the last
 * customer's look-up is kept. */
#include "stats/spendtab_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    t->wants = recspool_new(sizeof(want_rec));
    if (!t->wants) {
        idtab_free(t->ids);
        free(t);
        return NULL;
    }
    t->part_bytes = SPEND_PART_BYTES;
    t->prev_c = (size_t)-1;
    return t;
}

void spend_table_free(spend_table *t)
{
    if (!t) return;
    spend_table_drop_windows(t);
    recspool_free(t->wants);
    idtab_free(t->ids);
    free(t->known_slot);
    free(t->own_slot);
    free(t->cust);
    free(t->t1);
    free(t->t1_dec);
    free(t->prev);
    free(t);
}

void spend_table_set_part_bytes(spend_table *t, size_t bytes)
{
    if (!t->streaming && !t->parts) t->part_bytes = bytes ? bytes : 1;
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
    if (t->streaming || t->parts || day <= -WIN_DAY_LIMIT || day >= WIN_DAY_LIMIT) return -1;
    size_t c = customer_of(t, customer_id);
    if (c == (size_t)-1) return -1;
    size_t h = recspool_count(t->wants);
    if (h >= NONE - 1) return -1;
    want_rec w = {(uint32_t)c, (int32_t)day};
    if (recspool_put(t->wants, &w) != 0) return spend_fail(t, t->wants);
    return (long)h;
}

int spend_table_want_t1(spend_table *t, const char *customer_id)
{
    if (t->streaming || t->parts) return -1;
    size_t c = customer_of(t, customer_id);
    if (c == (size_t)-1) return -1;
    if (t->cust[c].t1 != NONE) return 0;
    if (t->n_t1 == t->cap_t1) {
        size_t cap = t->cap_t1 ? 2 * t->cap_t1 : 256;
        dd *x = realloc(t->t1, cap * sizeof *x);
        if (!x) return -1;
        t->t1 = x;
        unsigned char *d = realloc(t->t1_dec, cap);
        if (!d) return -1;
        t->t1_dec = d;
        t->cap_t1 = cap;
    }
    t->t1[t->n_t1] = (dd){0, 0};
    t->t1_dec[t->n_t1] = 0;
    t->cust[c].t1 = (uint32_t)t->n_t1++;
    return 0;
}

/* AMOUNT is the double of a decimal of at most D places (what strtod gives
 * for it): m / 10^D with m an integer, |m| < 2^50 (so that AMOUNT·10^D
 * rounds to m and the decimal has at most 15 digits). */
static int has_decimals(double amount, int d)
{
    double s = dec_scale(d), m = amount * s;
    return fabs(m) < 0x1p50 && round(m) / s == amount;
}

int spend_decimals(double amount)
{
    int d = 0;
    while (d <= SPEND_MAX_DECIMALS && !has_decimals(amount, d)) d++;
    return d;
}

double spend_at_decimals(double sum, int d)
{
    if (d > SPEND_MAX_DECIMALS) return sum;
    double s = dec_scale(d), m = sum * s;
    return fabs(m) < 0x1p50 ? round(m) / s : sum;
}

int spend_table_add(spend_table *t, const char *customer_id, int64_t day, double amount)
{
    if (day < INT32_MIN || day > INT32_MAX || t->failed || t->summed) return -1;
    if (!t->parts && spend_parts_start(t) != 0) return -1;
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
    if (c->t1 != NONE && day >= t->last - 364 && day <= t->last) {
        t->t1[c->t1] = dd_add(t->t1[c->t1], amount);
        int d = spend_decimals(amount);
        if (d > t->t1_dec[c->t1]) t->t1_dec[c->t1] = (unsigned char)d;
    }
    if (c->first != ELSEWHERE) {
        spend_part_add(t, c, (int32_t)day, amount);
        return 0;
    }
    row_rec r = {(uint32_t)t->prev_c, (int32_t)day, amount};
    recspool *s = t->part_rows[t->prev_c % t->parts];
    return recspool_put(s, &r) == 0 ? 0 : spend_fail(t, s);
}

double spend_table_t1(const spend_table *t, const char *customer_id)
{
    size_t c = find(t, customer_id);
    if (c == (size_t)-1 || t->cust[c].t1 == NONE) return 0.0;
    uint32_t k = t->cust[c].t1;
    return spend_at_decimals(dd_round(t->t1[k]), t->t1_dec[k]);
}

size_t spend_table_wanted(const spend_table *t) { return recspool_count(t->wants) + t->n_cust; }

int spend_table_errno(const spend_table *t) { return t->err; }
