/* spendtab.h — spend data (billing export: customer_id, date, amount) in
 * memory, for spend windows and T1 (docs/methods.md), and the small string
 * table it interns customer ids with.
 *
 * Owner: stats/spendtab.c.  Rows may be added in any order; the table is
 * sorted by customer then day once, at spend_table_finish(), and keeps
 * per-customer running sums so that the sum over any day range is two
 * binary searches, never a rescan.  Memory: 32 bytes per row (day,
 * amount, customer, running sum) plus one entry per distinct customer.
 */
#ifndef CX_SPENDTAB_H
#define CX_SPENDTAB_H

#include <stddef.h>
#include <stdint.h>

/* ---- spend_table ---- */
typedef struct spend_table spend_table;

spend_table *spend_table_new(void);
void spend_table_free(spend_table *t);
/* Adds one spend row; DAY is days since 1970-01-01 (UTC date), within
 * ±2^31.  Copies CUSTOMER_ID.  0 ok, -1 out of memory (or DAY out of
 * range).  A row added after spend_table_finish() makes the next finish
 * sort again. */
int spend_table_add(spend_table *t, const char *customer_id, int64_t day, double amount);
/* Sorts and builds the running sums.  Idempotent.  0 ok, -1 out of
 * memory (the table is then still usable for adding rows). */
int spend_table_finish(spend_table *t);

/* Everything below needs a finished table. */
size_t spend_table_rows(const spend_table *t);
/* Earliest and latest date of the whole spend data; returns 0 (and leaves
 * the outputs alone) when the table is empty, 1 otherwise. */
int spend_table_range(const spend_table *t, int64_t *first, int64_t *last);
/* Handle of CUSTOMER_ID for spend_table_sum, or -1 when it has no row. */
long spend_table_customer(const spend_table *t, const char *customer_id);
/* Sum of the customer's amounts on days FROM..TO (both inclusive); 0 when
 * CUST is -1 or no row falls in the range. */
double spend_table_sum(const spend_table *t, long cust, int64_t from, int64_t to);

#endif
