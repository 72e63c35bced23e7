/* agents_fixture.h — what the agent-scoring test programs that run the
 * accumulator (test_agents_acc.c, test_agents_write.c) share: a roster of
 * agents with known counts and the expected rows for it, the options and
 * config they run with, and helpers that add responses.  Expected values:
 * see test_agents.c.  Included by one .c file per program.
 */
#ifndef CX_AGENTS_FIXTURE_H
#define CX_AGENTS_FIXTURE_H

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/model.h"
#include "core/timeparse.h"
#include "stats/agents.h"

#include "run_suite.h"

#define TOL 1e-9
#define Z95 1.959963984540054 /* scipy.stats.norm.ppf(0.975) */

/* ---- the accumulator end to end ---- */

typedef struct test_agent {
    const char *id;
    int p, a, d;
    double aht; /* NaN: no handle times */
} test_agent;

static const test_agent roster[] = {
    {"a01", 12, 3, 1, 300}, {"a02", 5, 5, 6, 200}, {"a03", 9, 2, 1, 250},  {"a04", 2, 1, 0, 100},
    {"a05", 20, 6, 4, 400}, {"a06", 3, 4, 8, 200}, {"a07", 12, 3, 1, 350}, {"b08", 0, 0, 1, NAN},
};

typedef struct want_row {
    const char *id;
    long long n;
    double nps, lo, hi, pe;
    long long mot_n;
    double mot, aht;
    int rf, ra;
} want_row;

/* /usr/bin/python3: the roster expanded into responses exactly as
 * add_roster() does, then: π = shares, ρ = mean of the two numpy-ANOVA
 * ICCs, m = (1−ρ)/ρ, posteriors from scipy.stats.dirichlet, peak-end by
 * hand, MoT the same on MoT responses only, ranks with
 * scipy.stats.rankdata(method='min') over n ≥ 10.  In output order. */
static const want_row want[] = {
    {"a01", 16, 61.67591419595973, 34.25955735783666, 89.09227103408278, 3.6875, 8, 50.308852328458755, 300.0,
     1, 4},
    {"a07", 16, 61.67591419595973, 34.25955735783666, 89.09227103408278, 3.6875, 8, 50.308852328458755, 350.0,
     1, 5},
    {"a03", 12, 58.48529111708305, 26.34049158704235, 90.63009064712375, 3.4166666666666665, 6,
     55.706960804715656, 250.0, 3, 3},
    {"a05", 30, 51.20270582516218, 27.20864595219297, 75.19676569813139, 3.7666666666666666, 14,
     46.48545648493199, 400.0, 4, 6},
    {"a02", 16, 3.716253480830228, -31.660349471554117, 39.09285643321457, 3.6875, 8, 30.92847903837631,
     200.0, 5, 1},
    {"a06", 15, -16.39553303413121, -52.88321015645364, 20.09214408819123, 3.6875, 7, 22.31970282449094,
     200.0, 6, 1},
    {"a04", 3, 48.92767756442132, 2.1232173445568847, 95.73213778428575, 3.0, 2, 50.43543601666143, 100.0, 0,
     0},
    {"b08", 1, 13.488915693348652, -54.22606024400715, 81.20389163070445, 3.0, 1, 32.13815894426137, NAN, 0,
     0},
};

static inline cx_config *test_config(void)
{
    cx_config *c = config_default();
    ck_assert_ptr_nonnull(c);
    c->mot_types = calloc(2, sizeof *c->mot_types);
    ck_assert_ptr_nonnull(c->mot_types);
    c->mot_types[0] = strdup("card_lost");
    c->mot_types[1] = strdup("outage");
    ck_assert(c->mot_types[0] && c->mot_types[1]);
    c->n_mot_types = 2;
    return c;
}

static inline stats_opts test_opts(const cx_config *cfg, int month, double m)
{
    stats_opts o;
    memset(&o, 0, sizeof o);
    o.cfg = cfg;
    o.month = month;
    o.confidence = 0.95;
    o.prior_strength = m;
    o.min_responses = 10;
    return o;
}

static inline int64_t march_2026(void) { return days_from_civil(2026, 3, 15) * 86400 + 3600; }

/* Response j of an agent: scores P×10, A×8, D×3; type card_lost when
 * j%3 == 0, outage when j%7 == 1, else billing; moments (1+j%5, 3, 5−j%4)
 * on even j; handle time = the agent's AHT, except odd j of a03. */
static inline void add_roster(agents_acc *acc, int64_t at)
{
    for (size_t k = 0; k < sizeof roster / sizeof *roster; k++) {
        const test_agent *t = &roster[k];
        int total = t->p + t->a + t->d;
        for (int j = 0; j < total; j++) {
            cx_response r;
            cx_response_clear(&r);
            r.agent_id = t->id;
            r.responded_at = at;
            r.score = j < t->p ? 10 : (j < t->p + t->a ? 8 : 3);
            r.interaction_type = j % 3 == 0 ? "card_lost" : (j % 7 == 1 ? "outage" : "billing");
            if (j % 2 == 0) {
                r.moments[0] = 1 + j % 5;
                r.moments[1] = 3;
                r.moments[2] = 5 - j % 4;
                r.n_moments = 3;
            }
            if (!isnan(t->aht) && !(strcmp(t->id, "a03") == 0 && j % 2 == 1)) {
                r.has_handle_time = 1;
                r.handle_time_s = t->aht;
            }
            ck_assert_int_eq(agents_add(acc, &r), 0);
        }
    }
}

static inline void add_noise(agents_acc *acc, int64_t at)
{
    cx_response r;
    cx_response_clear(&r);
    r.responded_at = at;
    r.score = 0;
    ck_assert_int_eq(agents_add(acc, &r), 0); /* no agent: ignored */
    r.agent_id = "a06";
    r.responded_at = at - 40 * 86400; /* February: out of scope */
    ck_assert_int_eq(agents_add(acc, &r), 0);
}

static inline void add_counts(agents_acc *acc, const char *id, int p, int a, int d)
{
    cx_response r;
    cx_response_clear(&r);
    r.agent_id = id;
    r.responded_at = march_2026();
    for (int j = 0; j < p + a + d; j++) {
        r.score = j < p ? 9 : (j < p + a ? 7 : 6);
        ck_assert_int_eq(agents_add(acc, &r), 0);
    }
}

#endif
