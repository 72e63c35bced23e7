/* gs.h — what gen-sample's files share: the world being generated (the
 * options, calendar, agents, the plan of responses per customer, the
 * tallies echoed in truth.txt), buffered output files, the comments, and
 * each phase.  Owners: main.c (order of the phases), plan.c (calendar,
 * agents, customers' response counts), responses.c (responses.csv),
 * extras.c (customers.csv, spend.csv, agents_truth.csv), truth.c
 * (truth.txt), fenwick.c (drawing customers), out.c (files: out.h),
 * comments.c, opts.c.
 */
#ifndef GS_H
#define GS_H

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "params.h"
#include "rng.h"

#define PROG "gen-sample"
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- out.c: the one way to fail, folders; the buffered output files
 * are out.h's ---- */
void die(const char *what, const char *why);
void mkdir_p(const char *dir);

/* ---- comments.c: comments pre-encoded as RFC 4180 fields ---- */
typedef struct {
    char *s;
    size_t n;
} enc_t;
typedef struct {
    enc_t *pro, *pas, *det, *spe; /* promoter, passive, detractor, special */
    int n_pro, n_pas, n_det, n_spe;
} comments_t;
void comments_load(comments_t *c);
void comments_free(comments_t *c);

/* ---- opts.c ---- */
typedef struct {
    uint64_t rows;
    uint64_t seed;
    const char *out;
    int responses_only;
    int start_y, start_m;
    int months;
    int agents;
    uint64_t customers;
    int customers_set;
    int verbatims; /* --verbatims: generated comments (verbatims.c) */
} opts_t;
void parse_args(int argc, char **argv, opts_t *o);

/* ---- fenwick.c: customers' attributes, and the remaining responses per
 * customer slot (counts in blocks of 64 slots plus a Fenwick tree over the
 * block sums, small enough for the cache) ---- */
typedef struct {
    double value; /* true annual value (also drives spend) */
    int tier;
    int country;
    int value_empty;
} cust_t;
void cust_attrs(uint64_t seed, uint64_t i, cust_t *c);

/* per-customer flags byte */
#define CF_TIER_MASK 0x03u
#define CF_MOT 0x04u

#define FB_SHIFT 6
#define FB_SIZE (1u << FB_SHIFT)
/* slot word: bits 0-25 remaining responses, 26-27 tier, 28 MoT customer,
 * 29 MoT outcome negative, 30-31 planted spend effect (0 none, 1 raised,
 * 2 lowered).  The count is decremented only while it is >= 1, so the
 * flags are never disturbed. */
#define CNT_BITS 26
#define CNT_MASK ((1u << CNT_BITS) - 1u)
#define SW_TIER_SHIFT 26
#define SW_MOT (1u << 28)
#define SW_NEG (1u << 29)
#define SW_EFF_SHIFT 30

typedef struct {
    uint32_t *cnt; /* per slot: count | flags */
    size_t nslots;
    uint32_t *t; /* 1-based Fenwick over blocks (total < 2^32) */
    size_t n;    /* number of blocks */
    size_t top;  /* highest power of two <= n */
} fenwick_t;

void fen_build(fenwick_t *f, uint32_t *cnt, size_t nslots);
size_t fen_block(fenwick_t *f, uint32_t r, uint32_t *rem);
uint32_t fen_slot(fenwick_t *f, size_t block, uint32_t r, size_t *slot_out);

/* ---- the world ---- */
typedef struct {
    char id[8];
    double skill;
    double aht;
    int part_time;
} agent_t;

typedef struct {
    uint64_t mot_rows, mot_pos, mot_neg, mot_none, mot_raised, mot_lowered;
    uint64_t c_pos, c_pos_up, c_neg, c_neg_down; /* complete-window MoT (known customers) */
    uint64_t incomplete;                         /* responses without complete windows  */
    uint64_t no_moments, empty_comment, offset_ts, updated, web_rows;
    uint64_t score_hist[11];
} tally_t;

typedef struct {
    opts_t o;
    int to_stdout, full; /* responses to stdout; all five files */
    uint64_t N, C;       /* rows, customers */
    int K, M;            /* agents, months */
    int64_t *mstart;     /* M + 1 month starts (unix seconds) */
    int64_t T0, T1, first_day, last_resp_day, spend_first, spend_last, last_complete, first_complete;
    agent_t *ag;
    double *agcum; /* cumulative agent weights, 1 at the end */
    int n_part;
    uint64_t n_unknown, n_known, Ca, Cm;
    fenwick_t fen;
    int32_t *mot_day; /* day of each MoT customer's response (full only) */
    tally_t tl;
    double total_value;
    uint64_t spend_rows;
} world_t;

static inline int digits_u64(uint64_t v)
{
    int n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

/* ---- verbatims.c: --verbatims comments and verbatims_truth.csv ---- */
typedef struct {
    rng_t r;
    FILE *f; /* verbatims_truth.csv (NULL with --out -) */
    char path[4096], tmp[4200];
} vgen_t;
void vg_open(vgen_t *g, const world_t *w);
/* Writes a generated comment for response ID as a CSV field at P; returns
 * the end.  At most about 2 KB. */
char *vg_comment(vgen_t *g, char *p, const char *id, int score, int routine);
void vg_close(vgen_t *g);

void plan(world_t *w);
void write_responses(world_t *w);
void write_customers(world_t *w);
void write_spend(world_t *w);
void write_agents(world_t *w);
void write_truth(world_t *w);

#endif
