/* test_peakend_order.c — the peak-end table (stats/peakend.c) does not
 * depend on the order the responses come in (the store gives key order,
 * `stats --input` file order), and each of its values is the exact one
 * at the 15 significant digits peak_end.csv prints.
 *
 * The responses come from a small generator (lcg_next below); the
 * expected rows were computed independently with Debian's python3: the
 * same generator, exact arithmetic (fractions.Fraction) for the means and
 * co-moments, r = Sxy/√(Sxx·Syy) and the Fisher-z ends tanh(atanh r ∓
 * z/√(n−3)) with mpmath at 60 digits, z = 0x1.f5c0331eeff82p+0 (what
 * nps_z(0.95) gives, GSL), each value rounded once to 15 significant
 * digits in decimal (round half even), as "%.15g" prints it:
 *
 *   rows: k = 1 + next(kmax); k moments lo + next(hi − lo + 1); score =
 *   (10·(last − lo) // (hi − lo) + next(5)) % 11 when CORR, else next(11);
 *   segment 1 + next(3); next(b) = (x ← x·6364136223846793005 +
 *   1442695040888963407 mod 2^64) >> 33, mod b.
 */
#include "stats/peakend.h"
#include "core/model.h"

#include <check.h>

#include "run_suite.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pe_case {
    uint64_t seed;
    int n, lo, hi, kmax, corr;
} pe_case;

/* Per case, slots 0 (all) and 1–3: n, then mean_peak_end, mean_moments,
 * r_peak_end and its ends, r_mean and its ends ("" = empty). */
typedef struct want_row {
    int64_t n;
    const char *v[8];
} want_row;

static const pe_case cases[] = {
    {1, 300, 1, 5, 6, 1},         /* the default scale, up to 6 moments */
    {2, 200, -1000, 1000, 64, 0}, /* the widest scale and moment count: lcm(1..64) > 2^64 */
};

static const want_row want[][4] = {
    {
        {300,
         {"2.965", "2.98088888888889", "0.154611392170168", "0.0421077898575816", "0.263243282673377",
          "0.152212385212972", "0.0396550669169806", "0.260955228262118"}},
        {97,
         {"3.06701030927835", "3.01701030927835", "0.1038445574635", "-0.0976226759956161",
          "0.297135824054895", "0.202516438588459", "0.00320036473479518", "0.386356469583237"}},
        {99,
         {"2.91414141414141", "2.97171717171717", "0.118528561873146", "-0.0807732737295866",
          "0.3087167439578", "0.148182499693157", "-0.050712828175317", "0.335771995540024"}},
        {104,
         {"2.91826923076923", "2.95592948717949", "0.227302488186167", "0.0363034762136438",
          "0.402280566559647", "0.108657621210638", "-0.0857244898176193", "0.295071135055719"}},
    },
    {
        {200,
         {"-55.71", "-2.77792550862136", "0.077087338227417", "-0.0623202024922869", "0.213544457971087",
          "-0.0250581659422173", "-0.163231690613162", "0.114079457385289"}},
        {74,
         {"-112.783783783784", "17.2589572963451", "0.00175518601528732", "-0.226834527824598",
          "0.230161617989473", "0.0741376019575373", "-0.157021130827311", "0.29759497933872"}},
        {60,
         {"-142.383333333333", "-25.8587823311559", "0.016608215593699", "-0.238321545060833",
          "0.269396808029089", "-0.152836453772597", "-0.391564931907715", "0.105169777375529"}},
        {66,
         {"87.0757575757576", "-4.26092426946142", "0.247180455805075", "0.00547524238853345",
          "0.46159778618555", "-0.0582868901032653", "-0.29614189046329", "0.186375140965348"}},
    },
};

typedef struct row {
    int m[CX_MAX_MOMENTS];
    size_t k;
    int score;
    size_t seg;
} row;

static uint64_t lcg_next(uint64_t *x, uint64_t bound)
{
    *x = *x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (*x >> 33) % bound;
}

static row *make_rows(const pe_case *c)
{
    row *r = calloc((size_t)c->n, sizeof *r);
    ck_assert_ptr_nonnull(r);
    uint64_t x = c->seed;
    for (int i = 0; i < c->n; i++) {
        r[i].k = 1 + (size_t)lcg_next(&x, (uint64_t)c->kmax);
        for (size_t j = 0; j < r[i].k; j++)
            r[i].m[j] = c->lo + (int)lcg_next(&x, (uint64_t)(c->hi - c->lo + 1));
        int last = r[i].m[r[i].k - 1];
        r[i].score = c->corr ? (10 * (last - c->lo) / (c->hi - c->lo) + (int)lcg_next(&x, 5)) % 11
                             : (int)lcg_next(&x, 11);
        r[i].seg = 1 + (size_t)lcg_next(&x, 3);
    }
    return r;
}

/* The table of the rows taken in the order IDX. */
static cx_results table(const pe_case *c, const row *rows, const size_t *idx)
{
    static const cx_slot_label order[] = {{0, "all", "all"}, {1, "s", "1"}, {2, "s", "2"}, {3, "s", "3"}};
    pe_acc *p = pe_acc_new(c->lo, c->hi);
    ck_assert_ptr_nonnull(p);
    for (int i = 0; i < c->n; i++) {
        const row *r = &rows[idx[i]];
        double pe = peakend_value(r->m, r->k, c->lo, c->hi), mean = moments_mean(r->m, r->k);
        ck_assert_int_eq(pe_acc_add(p, 0, pe, mean, r->score), 0);
        ck_assert_int_eq(pe_acc_add(p, r->seg, pe, mean, r->score), 0);
    }
    cx_results res;
    memset(&res, 0, sizeof res);
    ck_assert_int_eq(pe_acc_finish(p, order, 4, 0x1.f5c0331eeff82p+0, &res), 0);
    pe_acc_free(p);
    return res;
}

static void values_of(const cx_peak_row *p, double v[8])
{
    const double got[8] = {p->mean_peak_end, p->mean_moments, p->r_peak_end.r, p->r_peak_end.lo,
                           p->r_peak_end.hi, p->r_mean.r,     p->r_mean.lo,    p->r_mean.hi};
    memcpy(v, got, sizeof got);
}

START_TEST(order_independent_and_exact)
{
    const pe_case *c = &cases[_i];
    row *rows = make_rows(c);
    size_t *idx = malloc((size_t)c->n * sizeof *idx);
    ck_assert_ptr_nonnull(idx);
    cx_results first;
    memset(&first, 0, sizeof first);
    /* file order, reversed, then shuffles (Fisher–Yates on the generator) */
    for (int ord = 0; ord < 6; ord++) {
        for (int i = 0; i < c->n; i++) idx[i] = ord == 1 ? (size_t)(c->n - 1 - i) : (size_t)i;
        uint64_t x = (uint64_t)ord * 977;
        for (int i = c->n - 1; ord >= 2 && i > 0; i--) {
            size_t j = (size_t)lcg_next(&x, (uint64_t)i + 1), t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        cx_results res = table(c, rows, idx);
        ck_assert_uint_eq(res.n_peak, 4);
        if (ord == 0) {
            first = res;
            continue;
        }
        for (size_t s = 0; s < 4; s++) {
            double a[8], b[8];
            values_of(&first.peak[s], a);
            values_of(&res.peak[s], b);
            ck_assert_int_eq(res.peak[s].n, first.peak[s].n);
            for (int k = 0; k < 8; k++)
                ck_assert_msg(memcmp(&a[k], &b[k], sizeof a[k]) == 0,
                              "case %d order %d slot %zu value %d: %.17g here, %.17g in file order", _i, ord,
                              s, k, b[k], a[k]);
        }
        ck_assert_uint_eq(res.n_bins, first.n_bins);
        ck_assert(res.n_bins == 0 || memcmp(res.bins, first.bins, res.n_bins * sizeof *res.bins) == 0);
        free(res.peak);
        free(res.bins);
    }
    for (size_t s = 0; s < 4; s++) {
        const want_row *w = &want[_i][s];
        double v[8];
        values_of(&first.peak[s], v);
        ck_assert_int_eq(first.peak[s].n, w->n);
        for (int k = 0; k < 8; k++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.15g", v[k]);
            ck_assert_msg(isnan(v[k]) ? !w->v[k][0] : !strcmp(buf, w->v[k]),
                          "case %d slot %zu value %d: %s, want %s", _i, s, k, buf, w->v[k]);
            /* the double read from those digits, bit for bit */
            ck_assert(isnan(v[k]) || v[k] == strtod(w->v[k], NULL));
        }
    }
    free(first.peak);
    free(first.bins);
    free(idx);
    free(rows);
}
END_TEST

/* The defect's example: a mean peak-end of 1009/294 = 3.43197278911564|62
 * (python: Fraction(1009, 294)), which a running mean printed as ...564
 * in some orders.  147 responses: peak-end 3.5 ×125, 4 ×1, 3 ×21 (their
 * moments' means the same), in ascending, descending and interleaved
 * order. */
START_TEST(mean_is_the_exact_one)
{
    double v[147];
    for (int i = 0; i < 147; i++) v[i] = i < 21 ? 3.0 : i < 146 ? 3.5 : 4.0;
    static const cx_slot_label all = {0, "all", "all"};
    for (int ord = 0; ord < 3; ord++) {
        pe_acc *p = pe_acc_new(1, 5);
        ck_assert_ptr_nonnull(p);
        for (int j = 0; j < 147; j++) {
            int i = ord == 0 ? j : ord == 1 ? 146 - j : (j * 2) % 147; /* 2 is prime to 147 */
            ck_assert_int_eq(pe_acc_add(p, 0, v[i], v[i], 7), 0);
        }
        cx_results res;
        memset(&res, 0, sizeof res);
        ck_assert_int_eq(pe_acc_finish(p, &all, 1, 1.96, &res), 0);
        char buf[64];
        snprintf(buf, sizeof buf, "%.15g", res.peak[0].mean_peak_end);
        ck_assert_msg(!strcmp(buf, "3.43197278911565"), "order %d: mean_peak_end %s", ord, buf);
        snprintf(buf, sizeof buf, "%.15g", res.peak[0].mean_moments);
        ck_assert_msg(!strcmp(buf, "3.43197278911565"), "order %d: mean_moments %s", ord, buf);
        free(res.peak);
        free(res.bins);
        pe_acc_free(p);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("peakend_order");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, order_independent_and_exact, 0, (int)(sizeof cases / sizeof *cases));
    tcase_add_test(tc, mean_is_the_exact_one);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
