/*
 * gen-sample — seeded synthetic survey / CRM / billing data for cxpulse.
 *
 *   gen-sample --rows N [--seed S] [--out DIR] [--responses-only]
 *              [--start YYYY-MM] [--months M] [--agents K] [--customers C]
 *
 * Writes responses.csv, customers.csv, spend.csv, agents_truth.csv and
 * truth.txt into DIR (default "."), or only responses.csv with
 * --responses-only, or responses.csv to stdout with "--out -".
 * The data model, the planted effects and their sizes are documented in
 * docs/sample-data.md; every planted parameter is also written to truth.txt.
 *
 * C11, libc + libm only.  Output is byte-identical for identical arguments
 * (own RNG, no clock, no locale); across different libm builds a last-bit
 * difference in log/exp could change a rare value.  Memory is proportional
 * to the number of customers and agents, never to the number of rows: rows
 * are generated in chronological order and formatted by hand into a large
 * buffer written in big blocks.  The phases, in this order (the RNG streams
 * depend on it): plan.c, responses.c, extras.c, truth.c; gs.h says who owns
 * what.
 */
#include "gs.h"
#include "out.h"

int main(int argc, char **argv)
{
    world_t w;
    memset(&w, 0, sizeof w);
    parse_args(argc, argv, &w.o);
    w.to_stdout = !strcmp(w.o.out, "-");
    w.full = !w.to_stdout && !w.o.responses_only;
    if (!w.to_stdout) mkdir_p(w.o.out);
    g_outbuf_mem = malloc(OB_CAP);
    if (!g_outbuf_mem) die("memory", strerror(ENOMEM));
    w.N = w.o.rows;
    w.C = w.o.customers;
    w.K = w.o.agents;
    w.M = w.o.months;

    plan(&w);
    write_responses(&w);
    if (!w.full) {
        if (!w.to_stdout)
            fprintf(stderr, PROG ": wrote %" PRIu64 " responses to %s/responses.csv\n", w.N, w.o.out);
    } else {
        write_customers(&w);
        write_spend(&w);
        write_agents(&w);
        write_truth(&w);
        fprintf(stderr,
                PROG ": wrote %" PRIu64 " responses, %" PRIu64 " customers, %" PRIu64
                     " spend rows, %d agents to %s\n",
                w.N, w.C, w.spend_rows, w.K, w.o.out);
    }
    free(w.mot_day);
    free(w.fen.cnt);
    free(w.ag);
    free(w.agcum);
    free(w.mstart);
    free(g_outbuf_mem);
    return 0;
}
