/* cx.h — customer-experience analytics over one stats run: peak-end scores,
 * moments of truth (MoT), spend deltas with significance, high-impact
 * customers (HIC), Pareto shares and CLV (docs/methods.md, docs/formats.md).
 *
 * Owner: stats/cx.c (the accumulator the driver calls), built from
 * stats/peakend.c, stats/mot.c, stats/spend.c, stats/hic.c.  Its result
 * (stats/cx_result.h) is read by report/csv_cx.c, report/charts_cx.c and
 * report/html_cx.c, which never compute a statistic.
 *
 * Life cycle: cxa_new → cxa_add for EVERY response (all months; the
 * accumulator keeps the --month ones itself) → cxa_finish → cxa_results /
 * read the result → cxa_free.  Memory grows with groups and customers, not rows,
 * except for the spend deltas kept per group for the medians (one double
 * per response and group).
 */
#ifndef CX_CX_H
#define CX_CX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/model.h"
#include "stats/customers.h"
#include "stats/cx_result.h"
#include "stats/nps.h"
#include "stats/peakend.h"
#include "stats/spendtab.h"
#include "stats/stats.h"

typedef struct cxa cxa;

/* O, CUST and SPEND are borrowed and must outlive the accumulator (CUST
 * and SPEND may be NULL; SPEND without a range means no spend data: every
 * response is then left out of the spend analysis).  SPEND's range must
 * be set before; cxa_new asks it for the T1 of every customer without an
 * annual_value, cxa_add for the windows of each response, and the spend
 * rows are added after the last cxa_add and before cxa_finish, which
 * sums the spend deltas.  NULL when out of memory. */
cxa *cxa_new(const stats_opts *o, const cust_table *cust, spend_table *spend);

/* Adds one response.  SEG[i] is its value for o->by[i], NULL (or "") when
 * missing — it then counts in `all` only.  R and SEG are borrowed for the
 * call.  Responses outside --month are ignored.  0 ok, -1 out of memory. */
int cxa_add(cxa *a, const cx_response *r, const char *const *seg);

/* Computes every table.  0 ok, -1 with the reason in ERR. */
int cxa_finish(cxa *a, char *err, size_t errlen);
void cxa_free(cxa *a);

/* Data-quality counts (valid at any time). */
long long cxa_responses(const cxa *a);  /* in scope (--month) */
long long cxa_spend_used(const cxa *a); /* in the spend analysis */
/* Left out of the spend analysis because their windows fall outside the
 * spend data's date range (every response when there is no spend data). */
long long cxa_spend_excluded(const cxa *a);
/* Left out of the spend analysis because their customer_id is empty. */
long long cxa_spend_no_customer(const cxa *a);

/* NULL before cxa_finish succeeded. */
const cx_results *cxa_results(const cxa *a);

/* ---- the statistics, as pure functions (unit-tested) ---- */

/* Wilson score interval of K successes in N at quantile Z. */
cx_share cx_wilson(int64_t k, int64_t n, double z);

/* One group of spend deltas: n, means, median, sample SD, t-based CI at
 * CONFIDENCE, shares up/down, one-sample t-test against 0.  SORTS D in
 * place.  PRE and POST are the sums of the windows (means are taken). */
void cx_spend_group(double *d, size_t n, double sum_pre, double sum_post, double confidence,
                    cx_spend_row *out);
/* Welch's t-test, A minus B. */
cx_spend_test cx_welch(const double *a, size_t na, const double *b, size_t nb, double confidence);

/* ⌈share·n⌉ without floating-point surprises (0.2·10 is 2), in [0, n]. */
size_t cx_top_count(double share, size_t n);
/* CLV of a yearly value T1 over YEARS (may be fractional) at discount RATE:
 * T1·YEARS when RATE is 0, else T1·(1 − (1+RATE)^−YEARS)/RATE, which is
 * T1·Σ_{k=1..YEARS} (1+RATE)^−k for whole YEARS (docs/methods.md, "High-impact customers"). */
double cx_clv(double t1, double years, double rate);
/* Spend of the customer of handle CUST in the 365 days ending on LAST. */
double cx_t1_from_spend(const spend_table *s, const char *customer_id);

/* Peak-end value and outcome of a MoT response (docs/methods.md): positive when
 * peak_end >= neutral, else negative; without moments promoter positive,
 * detractor negative, passive none. */
typedef enum { CX_OUT_POSITIVE, CX_OUT_NEGATIVE, CX_OUT_NONE } cx_outcome;
cx_outcome cx_mot_outcome(size_t n_moments, double peak_end, int lo, int hi, int nps_class);

/* ---- the parts of the accumulator (used by stats/cx.c only): the
 * slots and the peak-end table in stats/peakend.h ---- */

typedef struct mot_acc mot_acc;
mot_acc *mot_acc_new(const cx_config *cfg);
void mot_acc_free(mot_acc *m);
/* Index of TYPE in mot_types, or -1 for a routine response. */
long mot_acc_type(const mot_acc *m, const char *type);
/* TYPE from mot_acc_type; PEAK_END NaN without moments; HAS_SPEND with
 * DELTA when the windows are complete; UNLABELLED when a routine response
 * (TYPE < 0) is an unlabelled moment of truth (its comment's charge). */
void mot_acc_add(mot_acc *m, long type, int score, double peak_end, cx_outcome out, int has_spend,
                 double delta, int unlabelled);
/* The spend part of mot_acc_add for a response added with HAS_SPEND 0,
 * once its spend DELTA is known. */
void mot_acc_spend(mot_acc *m, long type, cx_outcome out, double delta, int unlabelled);
int mot_acc_finish(const mot_acc *m, double confidence, cx_results *r);

/* Spend groups: 0..2 promoter, passive, detractor; 3..6 positive,
 * negative, none, routine; CX_SPEND_SEG0 + slot − 1 for segment slots. */
#define CX_SPEND_SEG0 7
typedef struct spend_acc spend_acc;
spend_acc *spend_acc_new(void);
void spend_acc_free(spend_acc *s);
/* One response's windows: its DELTA (spend_table_windows') is kept, and PRE and POST are added
 * to the sums of each of its N_GROUPS GROUPS (SIZE_MAX: none). */
int spend_acc_add(spend_acc *s, const size_t *groups, size_t n_groups, double pre, double post, double delta);
/* The group of the K-th response added in family F (0 NPS class, 1 MoT
 * outcome, 2 + i the i-th --by dimension), or SIZE_MAX when it has none;
 * each group belongs to one family.  Called for k = 0, 1, …, n − 1 in
 * turn, in several passes (so the caller may read its records from a
 * file, in order). */
typedef size_t (*spend_group_fn)(void *ctx, size_t k, size_t f);
/* Fills r->spend (fixed groups always, segments with n ≥ 1) and r->tests,
 * a family at a time (N_FAMILIES of them, GROUP_OF(CTX, k, f) says where
 * each response goes). */
int spend_acc_finish(spend_acc *s, size_t n_families, spend_group_fn group_of, void *ctx,
                     const cx_slot_label *order, size_t n_order, double confidence, cx_results *r);

typedef struct hic_acc hic_acc;
/* CUST may be NULL (no customers).  N_BY = number of --by dimensions. */
hic_acc *hic_acc_new(const cust_table *cust, size_t n_by);
void hic_acc_free(hic_acc *h);
/* SLOTS[i] = segment slot of the response for dimension i, 0 = missing. */
int hic_acc_add(hic_acc *h, const cx_response *r, const size_t *slots);
/* No more responses until hic_acc_back: the per-customer state goes to a
 * temporary file (stays when it cannot: this only saves memory). */
void hic_acc_rest(hic_acc *h);
/* The state back from hic_acc_rest (nothing when it is not away).  0, or
 * -1 with errno (ENOMEM, or the file's read error). */
int hic_acc_back(hic_acc *h);
/* N_SLOTS = number of slots (segments + 1); SPEND may be NULL.  After
 * hic_acc_back when the state was put away. */
int hic_acc_finish(const hic_acc *h, const stats_opts *o, const spend_table *spend, size_t n_slots,
                   const cx_slot_label *order, size_t n_order, cx_results *r);

#endif
