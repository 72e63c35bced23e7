/* agents_metric.c — agent scoring on CSAT and on CES (docs/methods.md,
 * "Agent scores on CSAT and CES"), a row of the table of analyses that
 * runs with the agents table.  The same empirical Bayes as the NPS
 * leaderboard with the prior that matches the metric: for the share
 * satisfied a beta-binomial (prior Beta(m·p̄, m·(1−p̄)), posterior
 * Beta(x + m·p̄, n − x + m·(1−p̄)), equal-tailed interval from its
 * quantiles); for the CES mean a normal prior (shrunk = (Σy + m·ȳ)/(n + m),
 * SD = sqrt(MSW/(n + m))).  m = (1−ρ)/ρ from the ANOVA intraclass
 * correlation of the satisfied indicator or of the CES scores across the
 * agents, or --prior-strength.  Ranked (1 = best: highest share, highest
 * CES on the 1-7 "easy" scale) beside handle time, with the Spearman of
 * the two rankings. */
#include "stats/analysis.h"
#include "stats/agents.h"
#include "stats/metric_stats.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "core/xsort.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct agent_sums {
    double n, x, s, ss;  /* answers, satisfied, sum and sum of squares of scores */
    double ht_sum, ht_n; /* handle times */
} agent_sums;

typedef struct kind {
    strmap *ids;
    agent_sums *a;
    size_t n, cap;
    agent_metric_row *rows;
} kind;

typedef struct am_acc {
    const stats_opts *o;
    kind csat, ces;
    agents_metric_result res;
} am_acc;

static agent_sums *sums_of(kind *k, const char *id)
{
    int added = 0;
    size_t i = strmap_put(k->ids, id, k->n, &added);
    if (i == (size_t)-1) return NULL;
    if (added) {
        if (k->n == k->cap) {
            size_t want = k->cap ? 2 * k->cap : 64;
            agent_sums *p = realloc(k->a, want * sizeof *p);
            if (!p) return NULL;
            k->a = p;
            k->cap = want;
        }
        memset(&k->a[k->n++], 0, sizeof *k->a);
    }
    return &k->a[i];
}

static void *am_create(const analysis_env *env)
{
    am_acc *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->o = env->o;
    if (!(a->csat.ids = strmap_new()) || !(a->ces.ids = strmap_new())) {
        strmap_free(a->csat.ids);
        free(a);
        return NULL;
    }
    return a;
}

static int am_add(void *acc, const cx_response *r, const char *const *seg)
{
    am_acc *a = acc;
    (void)seg;
    if (!r->agent_id[0] || !stats_in_window(a->o, time_month_key(r->responded_at))) return 0;
    kind *k = r->metric == CX_METRIC_CES                                          ? &a->ces
              : r->metric == CX_METRIC_CSAT || r->metric == CX_METRIC_CSAT_BINARY ? &a->csat
                                                                                  : NULL;
    if (!k) return 0;
    agent_sums *s = sums_of(k, r->agent_id);
    if (!s) return -1;
    double v = r->score;
    s->n += 1;
    s->x += r->metric == CX_METRIC_CSAT ? r->score >= 4 : r->score == 1;
    s->s += v;
    s->ss += v * v;
    if (r->has_handle_time) {
        s->ht_sum += r->handle_time_s;
        s->ht_n += 1;
    }
    return 0;
}

/* ANOVA intraclass correlation of continuous scores over the agents (the
 * NPS leaderboard's formula with MSW from the within-agent sums).  MSW is
 * set whenever N − K > 0, even for one agent (it is what the CES interval
 * needs under --prior-strength); ρ needs K ≥ 2. */
static double icc_scores(const kind *k, double *msw_out)
{
    double big_n = 0, big_s = 0, sum_n2 = 0, ssw = 0;
    *msw_out = NAN;
    for (size_t i = 0; i < k->n; i++) {
        big_n += k->a[i].n;
        big_s += k->a[i].s;
        sum_n2 += k->a[i].n * k->a[i].n;
    }
    if (!(big_n - (double)k->n > 0)) return NAN;
    for (size_t i = 0; i < k->n; i++) ssw += k->a[i].ss - k->a[i].s * k->a[i].s / k->a[i].n;
    double msw = ssw / (big_n - (double)k->n);
    *msw_out = msw;
    if (k->n < 2) return NAN;
    double mean = big_s / big_n, ssb = 0;
    for (size_t i = 0; i < k->n; i++) {
        const agent_sums *s = &k->a[i];
        double mi = s->s / s->n;
        ssb += s->n * (mi - mean) * (mi - mean);
    }
    double msb = ssb / (double)(k->n - 1);
    double n0 = (big_n - sum_n2 / big_n) / (double)(k->n - 1);
    double den = msb + (n0 - 1) * msw;
    if (!(den > 0)) return NAN;
    return agents_icc_is_zero(msb, msw) ? 0.0 : (msb - msw) / den;
}

/* Nonzero when gsl_cdf_beta_P puts X within 1e-9 of P. */
static int beta_hits(double x, double p, double a, double b)
{
    if (!isfinite(x)) return 0;
    double c = gsl_cdf_beta_P(x, a, b);
    return isfinite(c) && fabs(c - p) <= 1e-9;
}

double agents_beta_quantile(double p, double a, double b)
{
    if (!(p > 0 && p < 1 && a > 0 && b > 0) || !isfinite(a) || !isfinite(b)) return NAN;
    /* 1. GSL, wherever it works: the figures it gets right stay its own. */
    double x = gsl_cdf_beta_Pinv(p, a, b);
    if (beta_hits(x, p, a, b)) return x;
    /* 2. Bisection on GSL's CDF down to adjacent doubles.  GSL's Pinv gives
     * up (NaN) or stops short from a + b ≈ 3e4 on, while its CDF mostly
     * still works there. */
    double lo = 0, hi = 1;
    int ok = 1;
    for (int it = 0; it < 2200; it++) {
        double mid = lo + (hi - lo) / 2;
        if (!(mid > lo && mid < hi)) break;
        double c = gsl_cdf_beta_P(mid, a, b);
        if (!isfinite(c)) {
            ok = 0;
            break;
        }
        if (c < p) lo = mid;
        else hi = mid;
    }
    if (ok) {
        double clo = gsl_cdf_beta_P(lo, a, b), chi = gsl_cdf_beta_P(hi, a, b);
        x = fabs(chi - p) <= fabs(clo - p) ? hi : lo;
        if (beta_hits(x, p, a, b)) return x;
    }
    /* 3. Cornish–Fisher from the mean, SD, skewness γ1 and excess kurtosis
     * γ2 of Beta(a, b); its error is O((a + b)^-3/2) in SDs (4e-10
     * absolute at a + b = 5e4, 1e-13 at 1e8, against scipy.stats.beta.ppf),
     * the regime where steps 1 and 2 fail (GSL's CDF gives NaN in the
     * middle of the distribution at a + b ≈ 1e8). */
    double s = a + b, mu = a / s, sd = sqrt(a * b / (s * s * (s + 1)));
    double g1 = 2 * (b - a) * sqrt(s + 1) / ((s + 2) * sqrt(a * b));
    double g2 = 6 * ((a - b) * (a - b) * (s + 1) - a * b * (s + 2)) / (a * b * (s + 2) * (s + 3));
    double z = gsl_cdf_ugaussian_Pinv(p);
    double w =
        z + (z * z - 1) * g1 / 6 + (z * z * z - 3 * z) * g2 / 24 - (2 * z * z * z - 5 * z) * g1 * g1 / 36;
    x = mu + sd * w;
    return isnan(x) ? NAN : x < 0 ? 0 : x > 1 ? 1 : x;
}

static int cmp_rows(const void *pa, const void *pb)
{
    const agent_metric_row *a = pa, *b = pb;
    int ra = a->rank_feedback ? a->rank_feedback : 1 << 30,
        rb = b->rank_feedback ? b->rank_feedback : 1 << 30;
    if (ra != rb) return ra < rb ? -1 : 1;
    return strcmp(a->agent_id, b->agent_id);
}

/* Scores, intervals, ranks and the Spearman of table T from K. */
static int finish_kind(am_acc *a, kind *k, int is_csat, agent_metric_table *t)
{
    const stats_opts *o = a->o;
    double big_n = 0, big_x = 0, big_s = 0, msw = NAN;
    for (size_t i = 0; i < k->n; i++) {
        big_n += k->a[i].n;
        big_x += k->a[i].x;
        big_s += k->a[i].s;
    }
    double prior = big_n > 0 ? (is_csat ? big_x : big_s) / big_n : NAN, rho;
    if (is_csat) {
        int64_t *nn = malloc((k->n ? k->n : 1) * sizeof *nn), *xx = malloc((k->n ? k->n : 1) * sizeof *xx);
        if (!nn || !xx) {
            free(nn);
            free(xx);
            return -1;
        }
        for (size_t i = 0; i < k->n; i++) {
            nn[i] = (int64_t)k->a[i].n;
            xx[i] = (int64_t)k->a[i].x;
        }
        rho = agents_icc(nn, xx, k->n);
        free(nn);
        free(xx);
    } else {
        rho = icc_scores(k, &msw);
    }
    double m = isnan(o->prior_strength) ? agents_m_from_rho(rho) : o->prior_strength;
    double conf = o->confidence, z = gsl_cdf_ugaussian_Pinv((1 + conf) / 2);
    int lo_i, hi_i;
    cx_metric_range(CX_METRIC_CES, &lo_i, &hi_i);
    double ces_lo = lo_i, ces_hi = hi_i;
    if (!(k->rows = calloc(k->n ? k->n : 1, sizeof *k->rows))) return -1;
    double *fb = malloc((k->n ? k->n : 1) * sizeof *fb), *ht = malloc((k->n ? k->n : 1) * sizeof *ht);
    int *rf = malloc((k->n ? k->n : 1) * sizeof *rf), *rh = malloc((k->n ? k->n : 1) * sizeof *rh);
    if (!fb || !ht || !rf || !rh) {
        free(fb);
        free(ht);
        free(rf);
        free(rh);
        return -1;
    }
    for (size_t i = 0; i < k->n; i++) {
        const agent_sums *s = &k->a[i];
        agent_metric_row *r = &k->rows[i];
        r->agent_id = strmap_key(k->ids, i);
        r->n = (long long)s->n;
        r->satisfied = is_csat ? s->x : NAN;
        r->raw = (is_csat ? s->x : s->s) / s->n;
        r->aht_s = s->ht_n > 0 ? s->ht_sum / s->ht_n : NAN;
        if (isinf(m)) { /* no spread between agents: everyone the population */
            r->shrunk = r->ci_low = r->ci_high = prior;
            r->sd = 0;
        } else if (is_csat) {
            double al = s->x + m * prior, be = s->n - s->x + m * (1 - prior);
            r->shrunk = al / (al + be);
            r->sd = sqrt(al * be / ((al + be) * (al + be) * (al + be + 1))); /* Beta(al, be) */
            r->ci_low = al > 0 && be > 0 ? agents_beta_quantile((1 - conf) / 2, al, be) : r->shrunk;
            r->ci_high = al > 0 && be > 0 ? agents_beta_quantile((1 + conf) / 2, al, be) : r->shrunk;
        } else {
            r->shrunk = (s->s + m * prior) / (s->n + m);
            double sd = isnan(msw) ? NAN : sqrt(msw / (s->n + m));
            r->sd = sd;
            r->ci_low = r->shrunk - z * sd;
            r->ci_high = r->shrunk + z * sd;
            interval_clip(&r->ci_low, &r->ci_high, ces_lo, ces_hi); /* as the CES table's */
        }
        int ranked = s->n >= o->min_responses;
        /* Tiers as for NPS: a ranked agent whose whole interval lies on one
         * side of the population's score. */
        r->tier = !ranked ? 0 : r->ci_low > prior ? 1 : r->ci_high < prior ? -1 : 0;
        t->above += r->tier > 0;
        t->below += r->tier < 0;
        t->ranked += ranked;
        fb[i] = ranked ? r->shrunk : NAN;
        ht[i] = ranked ? r->aht_s : NAN;
    }
    int bad = agents_rank(fb, k->n, 1, rf) != 0 || agents_rank(ht, k->n, 0, rh) != 0;
    size_t nr = 0;
    for (size_t i = 0; !bad && i < k->n; i++) {
        k->rows[i].rank_feedback = rf[i];
        k->rows[i].rank_aht = rh[i];
        if (rf[i] && rh[i]) {
            fb[nr] = rf[i];
            ht[nr++] = rh[i];
        }
    }
    t->spearman_aht = bad ? NAN : agents_spearman(fb, ht, nr).r;
    free(fb);
    free(ht);
    free(rf);
    free(rh);
    if (bad) return -1;
    cx_qsort(k->rows, k->n, sizeof *k->rows, cmp_rows);
    /* Ranks inside each tier, as for NPS: rows are in rank_feedback order,
     * so an agent's rank is one more than the tier's agents ranked before
     * it, and a tie keeps the rank of the agent it ties with. */
    int seen[3] = {0, 0, 0}, last_rf[3] = {0, 0, 0}, last_rank[3] = {0, 0, 0};
    for (size_t i = 0; i < k->n; i++) {
        agent_metric_row *r = &k->rows[i];
        if (r->rank_feedback == 0) continue;
        int ti = r->tier + 1;
        seen[ti]++;
        if (r->rank_feedback != last_rf[ti]) last_rank[ti] = seen[ti];
        last_rf[ti] = r->rank_feedback;
        r->rank_in_tier = last_rank[ti];
    }
    t->rows = k->rows;
    t->n_rows = k->n;
    t->prior_mean = prior;
    t->m = m;
    return 0;
}

static int am_finish(void *acc, stats_result *out, char *err, size_t errlen)
{
    am_acc *a = acc;
    if (finish_kind(a, &a->csat, 1, &a->res.csat) != 0 || finish_kind(a, &a->ces, 0, &a->res.ces) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    out->agents_metric = &a->res;
    return 0;
}

static void kind_free(kind *k)
{
    strmap_free(k->ids);
    free(k->a);
    free(k->rows);
}

static void am_destroy(void *acc)
{
    am_acc *a = acc;
    if (!a) return;
    kind_free(&a->csat);
    kind_free(&a->ces);
    free(a);
}

const analysis analysis_agents_metric = {
    NULL, STATS_RUN_AGENTS, ANALYSIS_ANY_METRIC, am_create, am_add, am_finish, am_destroy, NULL,
};
