/* fenwick.c — gen-sample's customers: attributes re-derived from a
 * per-customer RNG stream (so nothing per customer is kept but a word),
 * and the draw of each response's customer without replacement from the
 * remaining counts (see gs.h).
 */
#include "gs.h"

void cust_attrs(uint64_t seed, uint64_t i, cust_t *c)
{
    rng_t r;
    rng_seed(&r, seed, ST_CUST, i);
    double z = rng_norm(&r);
    c->value = VALUE_FLOOR + exp(VALUE_MU + VALUE_SIGMA * z);
    c->tier = z > Z_ENTERPRISE ? TIER_ENTERPRISE : z > Z_BUSINESS ? TIER_BUSINESS : TIER_CONSUMER;
    c->value_empty = rng_unif(&r) < P_EMPTY_VALUE;
    c->country = rng_pick(&r, COUNTRY_P, N_COUNTRY);
}

/* takes ownership of cnt */
void fen_build(fenwick_t *f, uint32_t *cnt, size_t nslots)
{
    f->cnt = cnt;
    f->nslots = nslots;
    f->n = (nslots + FB_SIZE - 1) >> FB_SHIFT;
    f->t = calloc(f->n + 1, sizeof *f->t);
    if (!f->t) die("memory", strerror(ENOMEM));
    for (size_t i = 0; i < nslots; i++) f->t[(i >> FB_SHIFT) + 1] += cnt[i] & CNT_MASK;
    for (size_t i = 1; i <= f->n; i++) {
        size_t j = i + (i & (~i + 1));
        if (j <= f->n) f->t[j] += f->t[i];
    }
    f->top = 1;
    while (f->top * 2 <= f->n) f->top *= 2;
}

/* Step 1: the block holding the r-th remaining response (in slot order);
 * removes it from the block sums and leaves the offset in the block in *rem. */
size_t fen_block(fenwick_t *f, uint32_t r, uint32_t *rem)
{
    size_t pos = 0;
    for (size_t step = f->top; step; step >>= 1) {
        size_t nx = pos + step;
        if (nx <= f->n && f->t[nx] <= r) {
            pos = nx;
            r -= f->t[nx];
        }
    }
    for (size_t i = pos + 1; i <= f->n; i += i & (~i + 1)) f->t[i]--;
    *rem = r;
#if defined(__GNUC__)
    __builtin_prefetch(f->cnt + (pos << FB_SHIFT), 1);
#endif
    return pos;
}

/* Step 2 (calls in the same order as step 1): the slot; returns its word
 * after the decrement. */
uint32_t fen_slot(fenwick_t *f, size_t block, uint32_t r, size_t *slot_out)
{
    size_t slot = block << FB_SHIFT;
    while ((f->cnt[slot] & CNT_MASK) <= r) {
        r -= f->cnt[slot] & CNT_MASK;
        slot++;
    }
    *slot_out = slot;
    return --f->cnt[slot];
}
