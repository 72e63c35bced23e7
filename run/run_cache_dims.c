/* run_cache_dims.c — the --by dimensions of a run through the analysis
 * cache (run_cache_int.h): each a text column of the cache, or an
 * attribute found among a row's attributes, else its customer's, as
 * run/run.c segments takes it from a response.  For the NPS tables from
 * the cache's columns (run_cache_nps.c) and the cached run's threads
 * (run_cache_feed.c). */
#include "run/run_cache_int.h"

#include <stdint.h>

int run_cache_dims(const stats_opts *o, int *col, const char **attr)
{
    int any = 0;
    for (size_t d = 0; d < o->n_by; d++) {
        attr[d] = NULL;
        if ((col[d] = cache_dim_col(o->by[d])) >= 0) continue;
        attr[d] = o->by[d];
        col[d] = CC_ATTR_VALUE;
        any = 1;
    }
    return any;
}

const char *run_cache_attr(const cache_block *b, const cust_table *ct, const char *name, size_t i, size_t at)
{
    size_t a = cache_attr_find(b, at, b->row_attrs[i], name);
    if (a != SIZE_MAX) return cache_text_at(&b->text[CC_ATTR_VALUE - CC_FIRST_TEXT], a);
    const char *id = cache_text_at(&b->text[CC_CUSTOMER_ID - CC_FIRST_TEXT], i);
    const cust_rec *c = ct && id[0] ? cust_table_get(ct, id) : NULL;
    return c ? cust_attr(ct, c, name) : NULL;
}
