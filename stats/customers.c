/* customers.c — see customers.h. */
#include "stats/customers.h"
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

struct cust_table {
    strmap *ids;        /* customer_id → index in recs */
    strmap *keys;       /* attribute key → column */
    cust_rec *recs;
    size_t n, cap;
};

cust_table *cust_table_new(void)
{
    cust_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->ids = strmap_new();
    t->keys = strmap_new();
    if (!t->ids || !t->keys) { cust_table_free(t); return NULL; }
    return t;
}

static void rec_free(cust_rec *r, size_t nkeys)
{
    free(r->id);
    if (r->attr_values)
        for (size_t k = 0; k < nkeys; k++) free(r->attr_values[k]);
    free(r->attr_values);
}

void cust_table_free(cust_table *t)
{
    if (!t) return;
    size_t nk = t->keys ? strmap_count(t->keys) : 0;
    for (size_t i = 0; i < t->n; i++) rec_free(&t->recs[i], nk);
    free(t->recs);
    strmap_free(t->ids);
    strmap_free(t->keys);
    free(t);
}

/* Widens every record's attribute array to the current number of keys. */
static int widen(cust_table *t, size_t old_nk, size_t nk)
{
    for (size_t i = 0; i < t->n; i++) {
        char **v = realloc(t->recs[i].attr_values, nk * sizeof *v);
        if (!v) return -1;
        for (size_t k = old_nk; k < nk; k++) v[k] = NULL;
        t->recs[i].attr_values = v;
    }
    return 0;
}

int cust_table_add(cust_table *t, const char *id, double annual_value,
                   const cx_attr *attrs, size_t n_attrs)
{
    size_t old_nk = strmap_count(t->keys);
    for (size_t i = 0; i < n_attrs; i++) {
        int added;
        if (strmap_put(t->keys, attrs[i].key, strmap_count(t->keys), &added) == (size_t)-1) return -1;
    }
    size_t nk = strmap_count(t->keys);
    if (nk != old_nk && widen(t, old_nk, nk) != 0) return -1;

    int added;
    size_t idx = strmap_put(t->ids, id, t->n, &added);
    if (idx == (size_t)-1) return -1;
    if (added) {
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 256;
            cust_rec *r = realloc(t->recs, cap * sizeof *r);
            if (!r) return -1;
            t->recs = r;
            t->cap = cap;
        }
        cust_rec *r = &t->recs[t->n++];
        memset(r, 0, sizeof *r);
        r->id = strdup(id);
        r->attr_values = calloc(nk ? nk : 1, sizeof *r->attr_values);
        if (!r->id || !r->attr_values) return -1;
    }
    cust_rec *r = &t->recs[idx];
    r->annual_value = annual_value;
    for (size_t k = 0; k < nk; k++) { free(r->attr_values[k]); r->attr_values[k] = NULL; }
    for (size_t i = 0; i < n_attrs; i++) {
        size_t k = strmap_get(t->keys, attrs[i].key);
        free(r->attr_values[k]);
        if (!(r->attr_values[k] = strdup(attrs[i].value))) return -1;
    }
    return 0;
}

const cust_rec *cust_table_get(const cust_table *t, const char *id)
{
    size_t i = strmap_get(t->ids, id);
    return i == (size_t)-1 ? NULL : &t->recs[i];
}

size_t cust_table_count(const cust_table *t) { return t->n; }
const cust_rec *cust_table_at(const cust_table *t, size_t i) { return i < t->n ? &t->recs[i] : NULL; }
int cust_table_has_key(const cust_table *t, const char *key) { return strmap_get(t->keys, key) != (size_t)-1; }

const char *cust_attr(const cust_table *t, const cust_rec *c, const char *key)
{
    size_t k = strmap_get(t->keys, key);
    if (k == (size_t)-1) return NULL;
    return c->attr_values[k] ? c->attr_values[k] : "";
}
