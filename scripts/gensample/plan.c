/* plan.c — what gen-sample fixes before any row: the calendar, the
 * agents (skill, handle time, part-time), and how many responses each
 * customer gets (moment-of-truth customers one each, routine customers a
 * lognormal share), all from the setup RNG stream in a fixed order.
 */
#include "gs.h"

void plan(world_t *world)
{
    const opts_t o = world->o;
    const uint64_t N = world->N, C = world->C;
    const int K = world->K, M = world->M;
    const int full = world->full;

    /* calendar */
    int64_t *mstart = malloc(sizeof *mstart * (size_t)(M + 1));
    if (!mstart) die("memory", strerror(ENOMEM));
    for (int k = 0; k <= M; k++) {
        int mm = o.start_m - 1 + k;
        mstart[k] = days_from_civil(o.start_y + mm / 12, mm % 12 + 1, 1) * 86400;
    }
    const int64_t T0 = mstart[0], T1 = mstart[M];
    const int64_t first_day = T0 / 86400, last_resp_day = T1 / 86400 - 1;
    const int64_t spend_first = first_day - SPEND_BEFORE_DAYS;
    const int64_t spend_last = last_resp_day + SPEND_AFTER_DAYS;
    const int64_t last_complete = spend_last - SPEND_WINDOW;
    const int64_t first_complete = spend_first + SPEND_WINDOW;

    rng_t rs;
    rng_seed(&rs, o.seed, ST_SETUP, 0);

    /* agents */
    agent_t *ag = calloc((size_t)K, sizeof *ag);
    double *agcum = calloc((size_t)K, sizeof *agcum);
    if (!ag || !agcum) die("memory", strerror(ENOMEM));
    const int n_part = K / 4;
    const int aw = K < 100 ? 2 : digits_u64((uint64_t)K);
    {
        int need = n_part, left = K;
        double cum = 0;
        for (int a = 0; a < K; a++) {
            char *p = ag[a].id;
            *p++ = 'a';
            p = put_u64w(p, (uint64_t)(a + 1), aw);
            *p = '\0';
            ag[a].skill = rng_norm(&rs);
            ag[a].aht = 200.0 + 700.0 * rng_unif(&rs);
            ag[a].part_time = rng_unif(&rs) * left < need;
            if (ag[a].part_time) need--;
            left--;
            cum += ag[a].part_time ? PART_TIME_WEIGHT : 1.0;
            agcum[a] = cum;
        }
        for (int a = 0; a < K; a++) agcum[a] /= cum;
    }

    /* customers: response counts, MoT customers */
    const uint64_t n_unknown = (uint64_t)floor((double)N * P_UNKNOWN_CUSTOMER + 0.5);
    const uint64_t n_known = N - n_unknown;
    const uint64_t Ca = C < n_known ? C : n_known; /* customers with >= 1 response */
    uint64_t Cm = (uint64_t)floor((double)n_known * P_MOT_ROWS + 0.5);
    if (Cm > Ca / 2) /* at least as many routine customers as MoT ones */
        Cm = Ca / 2;
    uint8_t *cflag = calloc((size_t)C, 1);
    uint32_t *cnt = calloc((size_t)C + 1, sizeof *cnt);
    if (!cflag || !cnt) die("memory", strerror(ENOMEM));
    for (uint64_t i = 0; i < C; i++) {
        cust_t c;
        cust_attrs(o.seed, i, &c);
        cflag[i] = (uint8_t)c.tier;
    }
    {
        /* MoT customers: exactly Cm of the first Ca, by selection sampling */
        uint64_t need = Cm;
        for (uint64_t i = 0; i < Ca; i++) {
            if (rng_unif(&rs) * (double)(Ca - i) < (double)need) {
                cflag[i] |= CF_MOT;
                cnt[i] = 1;
                need--;
            }
        }
        /* routine customers: 1 + a lognormal-weighted share of the extras */
        const uint64_t Cr = Ca - Cm;
        const uint64_t routine_rows = n_known - Cm;
        if (Cr > 0) {
            uint64_t extra = routine_rows - Cr;
            float *w = malloc(sizeof *w * (size_t)Ca);
            if (!w) die("memory", strerror(ENOMEM));
            double W = 0;
            for (uint64_t i = 0; i < Ca; i++) {
                if (cflag[i] & CF_MOT) {
                    w[i] = 0;
                    continue;
                }
                w[i] = (float)exp(1.1 * rng_norm(&rs));
                W += w[i];
            }
            uint64_t given = 0;
            for (uint64_t i = 0; i < Ca; i++) {
                if (cflag[i] & CF_MOT) continue;
                uint64_t e = (uint64_t)floor((double)extra * w[i] / W);
                if (given + e > extra) /* guard against rounding */
                    e = extra - given;
                if (e > CNT_MASK) die("--rows", "too many responses for one customer; raise --customers");
                cnt[i] = (uint32_t)(1 + e);
                given += e;
            }
            uint64_t rest = extra - given, pool = Cr;
            for (uint64_t i = 0; i < Ca && rest; i++) {
                if (cflag[i] & CF_MOT) continue;
                if (rng_unif(&rs) * (double)pool < (double)rest) {
                    cnt[i]++;
                    rest--;
                }
                pool--;
            }
            free(w);
        }
        cnt[C] = (uint32_t)n_unknown; /* slot C: ids not in customers.csv */
        for (uint64_t i = 0; i <= C; i++) {
            if (cnt[i] > CNT_MASK) die("--rows", "too many responses for one customer; raise --customers");
            if (i < C)
                cnt[i] |= ((cflag[i] & CF_TIER_MASK) << SW_TIER_SHIFT) | ((cflag[i] & CF_MOT) ? SW_MOT : 0u);
        }
    }
    free(cflag);
    cflag = NULL;
    fenwick_t fen;
    fen_build(&fen, cnt, (size_t)C + 1);

    int32_t *mot_day = NULL;
    if (full) {
        mot_day = malloc(sizeof *mot_day * (size_t)(C ? C : 1));
        if (!mot_day) die("memory", strerror(ENOMEM));
    }

    world->mstart = mstart;
    world->T0 = T0;
    world->T1 = T1;
    world->first_day = first_day;
    world->last_resp_day = last_resp_day;
    world->spend_first = spend_first;
    world->spend_last = spend_last;
    world->last_complete = last_complete;
    world->first_complete = first_complete;
    world->ag = ag;
    world->agcum = agcum;
    world->n_part = n_part;
    world->n_unknown = n_unknown;
    world->n_known = n_known;
    world->Ca = Ca;
    world->Cm = Cm;
    world->fen = fen;
    world->mot_day = mot_day;
}
