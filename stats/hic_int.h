/* hic_int.h — the high-impact customers' state (stats/cx.h hic_acc_*),
 * shared by stats/hic.c (the state and the tables) and stats/hic_rest.c
 * (the state put away while the run does not need it) only. */
#ifndef CX_HIC_INT_H
#define CX_HIC_INT_H

#include "stats/cx.h"

/* The state of a customer with a response in scope.  A latest
 * response_id of up to 15 bytes is kept in the record (gen-sample's and
 * most vendors' ids), a longer one in an allocation of its own. */
typedef struct hic_cust {
    int64_t latest_at, latest_upd;
    union {
        char in[16];
        char *heap; /* owned */
    } u;
    uint32_t p, a, d;    /* NPS counts (nps_counts at the end) */
    int8_t latest_class; /* cx_nps_class of the latest response */
    uint8_t long_id;     /* the id is in u.heap */
} hic_cust;

struct hic_acc {
    const cust_table *cust;
    size_t n, n_by;
    uint32_t *state; /* per customer (cust_table order): index + 1 into c, 0 none */
    hic_cust *c;     /* customers with a response, as they come */
    uint32_t *slots; /* n_c × n_by: segment slot of the latest response */
    size_t n_c, cap_c;
    int away; /* c and slots are in the file fd (hic_rest.c) */
    int fd;
};

#endif
