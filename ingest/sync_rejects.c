/* sync_rejects.c — the rejects a source already holds, by a hash of their
 * raw text (vendor.h: sync_rejects_*), so that a sync reading a rejected
 * record again (the next run's overlap, a windowed vendor's look-back,
 * --full, a record whose time could not be read and so never moves the
 * checkpoint) skips it instead of rejecting it once more: the rejects and
 * their count stay those of the distinct bad records.  Read from the store
 * at the first reject of a run; memory grows with the source's rejects. */
#include "ingest/vendor.h"

#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/hash.h"

static uint64_t key_of(uint64_t h) { return h ? h : 1; /* 0 marks an empty slot */ }

static int put(sync_rejects *r, uint64_t k);

static int grow(sync_rejects *r)
{
    size_t cap = r->cap ? 2 * r->cap : 256;
    uint64_t *old = r->slot;
    size_t old_cap = r->cap;
    if (!(r->slot = calloc(cap, sizeof *r->slot))) {
        r->slot = old;
        return -1;
    }
    r->cap = cap;
    r->n = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i]) (void)put(r, old[i]);
    free(old);
    return 0;
}

/* 1 when K is there, else 0 after adding it; -1 out of memory. */
static int put(sync_rejects *r, uint64_t k)
{
    if ((r->n + 1) * 2 > r->cap && grow(r) != 0) return -1;
    size_t i = (size_t)(k & (r->cap - 1));
    while (r->slot[i]) {
        if (r->slot[i] == k) return 1;
        i = (i + 1) & (r->cap - 1);
    }
    r->slot[i] = k;
    r->n++;
    return 0;
}

static int on_reject(const char *source, const char *where, const char *reason, const char *raw, size_t len,
                     void *ctx)
{
    (void)source;
    (void)reason;
    if (strncmp(where, "page ", 5) != 0) return 0; /* a file's rejects: other rows */
    return put(ctx, key_of(hash_fnv1a(HASH_FNV_OFFSET, raw, len))) < 0 ? -1 : 0;
}

int sync_rejects_seen(sync_ctx *c, uint64_t hash, int *seen)
{
    sync_rejects *r = &c->rej;
    if (!r->loaded) {
        if (store_scan_rejects(c->st, c->src->name, on_reject, r) != 0) return -1;
        r->loaded = 1;
    }
    int k = put(r, key_of(hash));
    if (k < 0) return -2;
    *seen = k;
    return 0;
}

void sync_rejects_free(sync_rejects *r)
{
    free(r->slot);
    memset(r, 0, sizeof *r);
}
