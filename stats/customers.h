/* customers.h — the customers table in memory (CRM export: customer_id,
 * annual_value, attributes), for segment joins, high-impact customers and
 * CLV.  Memory grows with customers, not responses: per customer its id
 * (stats/idtab.h), a record of 8 bytes and 4 bytes per attribute column
 * (attribute values are numbers into one table of distinct values).
 * Owner: stats/customers.c.  The table owns every string in it.
 */
#ifndef CX_CUSTOMERS_H
#define CX_CUSTOMERS_H

#include <stddef.h>
#include "core/model.h"

typedef struct cust_rec {
    const char *id;
    double annual_value; /* NaN when empty in the file */
} cust_rec;

typedef struct cust_table cust_table;

cust_table *cust_table_new(void);
void cust_table_free(cust_table *t);
/* Adds (or replaces) a customer; copies everything.  0 ok, -1 out of memory. */
int cust_table_add(cust_table *t, const char *id, double annual_value, const cx_attr *attrs, size_t n_attrs);
/* Borrowed record, or NULL. */
const cust_rec *cust_table_get(const cust_table *t, const char *id);
/* Position of ID in insertion order (as cust_table_at), or (size_t)-1. */
size_t cust_table_find(const cust_table *t, const char *id);
size_t cust_table_count(const cust_table *t);
/* Records in insertion order (borrowed; valid until the next add). */
const cust_rec *cust_table_at(const cust_table *t, size_t i);
/* The id of record I (borrowed; valid until cust_table_free), or NULL. */
const char *cust_table_id(const cust_table *t, size_t i);
/* 1 when KEY is an attribute column of the customers data. */
int cust_table_has_key(const cust_table *t, const char *key);
/* Value of attribute KEY for C (borrowed; "" when empty), or NULL when KEY
 * is not a customer attribute. */
const char *cust_attr(const cust_table *t, const cust_rec *c, const char *key);
/* Bytes held (for the memory figures). */
size_t cust_table_bytes(const cust_table *t);

#endif
