/* spendtab.h — spend data (billing export: customer_id, date, amount)
 * summed over exactly the windows the analyses ask for (docs/methods.md,
 * Spend deltas and T1), as the rows stream by: memory grows with the
 * customers and windows asked for, never with the spend rows.
 *
 * Owner: stats/spendtab.c.  Life cycle: spend_table_new; the whole spend
 * data's date range (spend_table_set_range, from the store); the windows
 * wanted (spend_table_want for each response with complete windows,
 * spend_table_want_t1 for each customer whose T1 comes from spend); then
 * every spend row once, in any order (spend_table_add); then
 * spend_table_finish and the sums (spend_table_windows, spend_table_t1).
 * A window wanted after the first row is an error: its sums would miss
 * the rows already gone by.
 *
 * Memory: the wants are spooled (stats/recspool.h) and the windows
 * summed in parts of at most SPEND_PART_BYTES each (8 MiB, 40 bytes a
 * window: spendtab_part.c), the rows of the later parts' customers kept
 * in temporary files meanwhile; so what stays grows with the customers
 * (8 bytes each, 4 more per customer of the customers table), not with
 * the responses.
 */
#ifndef CX_SPENDTAB_H
#define CX_SPENDTAB_H

#include <stddef.h>
#include <stdint.h>

#include "stats/customers.h"

typedef struct spend_table spend_table;

/* WINDOW_DAYS: W of the pre and post windows (≥ 1).  NULL out of memory. */
spend_table *spend_table_new(int64_t window_days);
void spend_table_free(spend_table *t);

/* Customers of CUST are found through CUST's own index instead of a copy
 * of their ids (4 bytes a customer of CUST; others get ids of their own).
 * CUST must not change while T lives.  Before any want; 0 ok (or CUST is
 * used already), -1 when out of memory or too late (T then works as
 * before: this only saves memory). */
int spend_table_use_customers(spend_table *t, const cust_table *cust);

/* The earliest and latest date of the whole spend data (days since
 * 1970-01-01); HAS = 0 when there is none.  Before any want or row. */
void spend_table_set_range(spend_table *t, int has, int64_t first, int64_t last);
/* The range set; 0 (outputs untouched) when there is no spend data. */
int spend_table_range(const spend_table *t, int64_t *first, int64_t *last);

/* The pre window (DAY − W … DAY − 1) and post window (DAY + 1 … DAY + W)
 * of CUSTOMER_ID's response on DAY are wanted.  Handles are 0, 1, 2, …
 * in the order asked (the same customer and day asked twice get two
 * handles with the same sums).  Handle ≥ 0, or -1 when out of memory or
 * the wants' temporary file failed (spend_table_errno), DAY is out of
 * range (±2^31), or rows were added already. */
long spend_table_want(spend_table *t, const char *customer_id, int64_t day);
/* CUSTOMER_ID's T1 from spend (the 365 days ending with the latest spend
 * date) is wanted.  0 ok, -1 as above. */
int spend_table_want_t1(spend_table *t, const char *customer_id);

/* Windows held at once: at most BYTES worth (tests make it small to sum
 * in many parts).  Before the first row; ignored after. */
void spend_table_set_part_bytes(spend_table *t, size_t bytes);

/* One spend row: added to every wanted window it falls in (or kept for
 * its part); a row of a customer with nothing wanted costs one look-up.
 * 0 ok, -1 when DAY is out of range, out of memory, a temporary file
 * failed (spend_table_errno), or after spend_table_finish. */
int spend_table_add(spend_table *t, const char *customer_id, int64_t day, double amount);
/* Every part summed, after the last row (spend_table_windows does it when
 * it was not).  0 ok, -1 as spend_table_add. */
int spend_table_finish(spend_table *t);

/* The window sums of HANDLE into *PRE and *POST (0 when no row), each the
 * double of its decimal value at the window's amounts' decimal places, and
 * into *DELTA (unless NULL) POST - PRE at those places, so that the same
 * money is the same double (spendtab_int.h); past 6 places, the correctly
 * rounded sums and their difference.  Cheapest in handle order.  0 ok, -1
 * when a temporary file failed or out of memory (all then 0). */
int spend_table_windows(spend_table *t, long handle, double *pre, double *post, double *delta);
/* Frees the windows once their sums are read (every handle then reads 0);
 * the T1 sums stay. */
void spend_table_drop_windows(spend_table *t);
/* CUSTOMER_ID's T1 from spend (the double of its decimal value at its
 * amounts' places, as a window sum); 0 when it has no spend in the 365
 * days or T1 was not wanted for it. */
double spend_table_t1(const spend_table *t, const char *customer_id);
/* Windows and customers wanted (for the memory figures). */
size_t spend_table_wanted(const spend_table *t);
/* errno of the first temporary-file failure; 0 for none or memory. */
int spend_table_errno(const spend_table *t);

#endif
