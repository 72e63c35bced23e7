/* cache_fixture.h — what the analysis cache's unit tests (test_cache.c,
 * test_cache_append.c, test_cache_import.c, test_cache_rows.c,
 * test_cache_widths.c) share: every row of a cache
 * read back, block by block, in order.  Included by one .c file per
 * program (static functions). */
#ifndef CX_CACHE_FIXTURE_H
#define CX_CACHE_FIXTURE_H

#include <check.h>

#include "core/store/cache.h"

/* Row I (from 0) of the cache as cache_row reads it. */
typedef void (*cache_row_cb)(size_t i, const cx_response *got, void *ctx);

/* Every row of R, in order, to CB; each must read and the walk end well.
 * The number of blocks; *ROWS (when not NULL) the number of rows. */
static inline size_t cache_each_row(cache_reader *r, cache_row_cb cb, void *ctx, size_t *rows)
{
    char err[512];
    cache_block b;
    size_t i = 0, blocks = 0;
    int rc;
    while ((rc = cache_next(r, CACHE_ALL_COLS, &b, err, sizeof err)) > 0) {
        blocks++;
        size_t cur[2] = {0, 0};
        for (size_t k = 0; k < b.rows; k++, i++) {
            cx_response got;
            cx_response_clear(&got);
            ck_assert_msg(cache_row(&b, k, &got, cur, err, sizeof err) == 0, "row %zu: %s", i, err);
            cb(i, &got, ctx);
        }
    }
    ck_assert_msg(rc == 0, "%s", err);
    if (rows) *rows = i;
    return blocks;
}

/* The cache at PATH (of the store ID at GEN) read back whole: every row
 * to CB, in BLOCKS blocks and ROWS rows. */
static inline void cache_read_back(const char *path, const char *id, const char *gen, cache_row_cb cb,
                                   void *ctx, size_t blocks, size_t rows)
{
    char err[512];
    cache_reader *r;
    ck_assert_int_eq(cache_open(path, id, gen, &r, err, sizeof err), 1);
    ck_assert_int_eq(cache_rows(r), (long long)rows);
    size_t n;
    ck_assert_uint_eq(cache_each_row(r, cb, ctx, &n), blocks);
    ck_assert_uint_eq(n, rows);
    cache_close(r);
}

#endif
