/* run_par_rows.h — what the threaded CSV pass does with a chunk it takes,
 * in file order.  Owner: run/run_par_rows.c; called by run/run_par.c. */
#ifndef CX_RUN_PAR_ROWS_H
#define CX_RUN_PAR_ROWS_H

#include "run/run_chunk.h"

/* The repeated ids of chunk C, in file order: the first rows met there
 * recorded, then each pending row settled, and counted (NPS) when it
 * stays.  0 ok, -1 out of memory. */
int run_par_settle(csv_run *x, chunk *c, const chunk_cfg *g);

/* Rows of chunk C as responses, in order, to the analyses besides NPS;
 * then its verbatim candidates, in file order too.  0 ok, -1 on failure. */
int run_par_feed(csv_run *x, const chunk *c, const chunk_cfg *g);

#endif
