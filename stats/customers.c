/* customers.c — see customers.h.  The ids and the distinct attribute
 * values live in two idtabs; a customer is a record (annual_value; its id is its number) and
 * one row of value numbers, one per attribute column (0 = empty), in an
 * array that is widened when a new column appears (at most a few dozen
 * times: the store holds at most 64 attribute names). */
#include "stats/customers.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strmap.h"
#include "stats/idtab.h"

struct cust_table {
    idtab *ids;   /* customer_id -> index in recs */
    idtab *vals;  /* distinct attribute values; 0 is "" */
    strmap *keys; /* attribute key -> column */
    cust_rec *recs;
    uint32_t *attr; /* cap x nk value numbers */
    size_t n, cap, nk;
};

cust_table *cust_table_new(void)
{
    cust_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->ids = idtab_new();
    t->vals = idtab_new();
    t->keys = strmap_new();
    int added;
    if (!t->ids || !t->vals || !t->keys || idtab_put(t->vals, "", 0, &added) != 0) {
        cust_table_free(t);
        return NULL;
    }
    return t;
}

void cust_table_free(cust_table *t)
{
    if (!t) return;
    free(t->recs);
    free(t->attr);
    idtab_free(t->ids);
    idtab_free(t->vals);
    strmap_free(t->keys);
    free(t);
}

/* Room for CAP records of NK columns each, the rows kept. */
static int resize(cust_table *t, size_t cap, size_t nk)
{
    if (cap != t->cap) {
        cust_rec *r = realloc(t->recs, cap * sizeof *r);
        if (!r) return -1;
        t->recs = r;
    }
    if (nk == t->nk && t->attr) {
        if (cap != t->cap && nk) {
            uint32_t *a = realloc(t->attr, cap * nk * sizeof *a);
            if (!a) return -1;
            t->attr = a;
        }
    } else { /* new columns: rows widen */
        uint32_t *a = calloc(cap * (nk ? nk : 1), sizeof *a);
        if (!a) return -1;
        for (size_t i = 0; i < t->n; i++)
            if (t->nk) memcpy(a + i * nk, t->attr + i * t->nk, t->nk * sizeof *a);
        free(t->attr);
        t->attr = a;
    }
    t->cap = cap;
    t->nk = nk;
    return 0;
}

int cust_table_add(cust_table *t, const char *id, double annual_value, const cx_attr *attrs, size_t n_attrs)
{
    for (size_t i = 0; i < n_attrs; i++) {
        int added;
        if (strmap_put(t->keys, attrs[i].key, strmap_count(t->keys), &added) == (size_t)-1) return -1;
    }
    size_t nk = strmap_count(t->keys);
    if (nk != t->nk && resize(t, t->cap ? t->cap : 256, nk) != 0) return -1;
    if (t->n == t->cap && resize(t, t->cap ? 2 * t->cap : 256, nk) != 0) return -1;

    int added;
    size_t idx = idtab_put(t->ids, id, strlen(id), &added);
    if (idx == (size_t)-1) return -1;
    if (added) t->n++;
    cust_rec *r = &t->recs[idx];
    r->annual_value = annual_value;
    uint32_t *row = t->attr + idx * nk;
    if (nk) memset(row, 0, nk * sizeof *row);
    for (size_t i = 0; i < n_attrs; i++) {
        size_t v = idtab_put(t->vals, attrs[i].value, strlen(attrs[i].value), &added);
        if (v == (size_t)-1) return -1;
        row[strmap_get(t->keys, attrs[i].key)] = (uint32_t)v;
    }
    return 0;
}

size_t cust_table_find(const cust_table *t, const char *id) { return idtab_get(t->ids, id, strlen(id)); }

const cust_rec *cust_table_get(const cust_table *t, const char *id)
{
    size_t i = cust_table_find(t, id);
    return i == (size_t)-1 ? NULL : &t->recs[i];
}

size_t cust_table_count(const cust_table *t) { return t->n; }
const cust_rec *cust_table_at(const cust_table *t, size_t i) { return i < t->n ? &t->recs[i] : NULL; }
const char *cust_table_id(const cust_table *t, size_t i) { return idtab_key(t->ids, i); }
int cust_table_has_key(const cust_table *t, const char *key)
{
    return strmap_get(t->keys, key) != (size_t)-1;
}

const char *cust_attr(const cust_table *t, const cust_rec *c, const char *key)
{
    size_t k = strmap_get(t->keys, key);
    if (k == (size_t)-1) return NULL;
    return idtab_key(t->vals, t->attr[(size_t)(c - t->recs) * t->nk + k]);
}

size_t cust_table_bytes(const cust_table *t)
{
    return t->cap * (sizeof *t->recs + t->nk * sizeof *t->attr) + idtab_bytes(t->ids) + idtab_bytes(t->vals);
}
