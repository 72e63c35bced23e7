/* responses.csv — gen-sample's rows in time order: each draws its
 * customer (fenwick.c), channel, agent, product, moments, score from the
 * planted model (params.h), comment, handle time and timestamps, and
 * plants a moment of truth's spend effect for spend.csv.  Also tallies
 * what truth.txt reports.
 */
#include "gs.h"
#include "out.h"

void write_responses(world_t *w)
{
    const uint64_t N = w->N, C = w->C;
    const int K = w->K, M = w->M;
    const int64_t T0 = w->T0, T1 = w->T1, first_complete = w->first_complete,
                  last_complete = w->last_complete;
    const int64_t *mstart = w->mstart;
    const agent_t *ag = w->ag;
    const double *agcum = w->agcum;
    int32_t *mot_day = w->mot_day;
    comments_t cmt;
    comments_load(&cmt);
    vgen_t vg;
    if (w->o.verbatims) vg_open(&vg, w);
    ofile_t of;
    of_open(&of, w->to_stdout ? NULL : w->o.out, "responses.csv");
    ob_puts(&of.ob, "response_id,responded_at,updated_at,score,comment,customer_id,agent_id,"
                    "channel,product,interaction_type,handle_time_s,moments,region\n");
    {
        rng_t r;
        rng_seed(&r, w->o.seed, ST_ROWS, 0);
        const int idw = digits_u64(N) < 6 ? 6 : digits_u64(N);
        const double span = (double)(T1 - T0);
        const double mid = (M - 1) / 2.0;
        double logx = 0.0;
        int mi = 0;
        uint64_t remaining = N;
        uint32_t blk_rem = 0;
        rng_t rc; /* customer selection has its own stream (drawn one row ahead) */
        rng_seed(&rc, w->o.seed, ST_PICK, 0);
        size_t blk = N ? fen_block(&w->fen, (uint32_t)rng_below(&rc, remaining), &blk_rem) : 0;
        for (uint64_t k = 0; k < N; k++) {
            /* ascending uniform order statistics: 1 - (descending ones) */
            logx += log(rng_unif_pos(&r)) / (double)(N - k);
            double y = -expm1(logx);
            int64_t t = T0 + (int64_t)(y * span);
            if (t >= T1) t = T1 - 1;
            while (mi + 1 < M && t >= mstart[mi + 1]) mi++;
            const int64_t day = t / 86400;

            /* customer */
            /* customer: this row's slot, then the next row's block (prefetched) */
            size_t slot;
            const uint32_t sw = fen_slot(&w->fen, blk, blk_rem, &slot);
            if (--remaining) blk = fen_block(&w->fen, (uint32_t)rng_below(&rc, remaining), &blk_rem);
            const int known = slot < C;
            uint64_t cust_no = known ? slot + 1 : C + 1 + rng_below(&r, C ? C : 1);
            int is_mot = known ? (sw & SW_MOT) != 0 : rng_unif(&r) < P_MOT_ROWS;
            int tier = known ? (int)((sw >> SW_TIER_SHIFT) & 3u) : TIER_CONSUMER;
            int itype = is_mot ? rng_pick(&r, MOT_P, N_MOT) : rng_pick(&r, ROUTINE_P, N_ROUTINE);

            int ch = rng_pick(&r, CH_P, N_CH);
            int agent = -1;
            double skill = 0.0;
            if (ch != CH_WEB) {
                double u = rng_unif(&r);
                int lo = 0, hi = K - 1;
                while (lo < hi) {
                    int md = (lo + hi) / 2;
                    if (u < agcum[md]) hi = md;
                    else lo = md + 1;
                }
                agent = lo;
                skill = ag[agent].skill;
            }
            int prod = rng_pick(&r, PROD_P, N_PROD);
            int reg = rng_pick(&r, REG_P, N_REG);

            /* moments */
            int nm = 2 + (int)rng_below(&r, 5);
            int mv[6] = {3, 3, 3, 3, 3, 3};
            double q = MOMENT_SHIFT + MOMENT_Q_SD * rng_norm(&r);
            for (int j = 0; j < nm; j++) {
                double x = 3.0 + q + MOMENT_SD * rng_norm(&r);
                if (j == nm - 1) x += SKILL_END * skill;
                else if (j == nm - 2) x += SKILL_END2 * skill;
                int v = (int)floor(x + 0.5);
                mv[j] = v < 1 ? 1 : v > 5 ? 5 : v;
            }
            if (is_mot && rng_unif(&r) < MOT_PEAK_PROB) {
                int j = (int)rng_below(&r, (uint64_t)(nm - 1));
                int good = q + SKILL_MOT_PEAK * skill + 0.8 * rng_norm(&r) > -0.1;
                mv[j] = good ? 5 : (rng_unif(&r) < 0.7 ? 1 : 2);
            }
            int peak = mv[0], dev = abs(mv[0] - 3);
            for (int j = 1; j < nm; j++) {
                if (abs(mv[j] - 3) > dev) {
                    dev = abs(mv[j] - 3);
                    peak = mv[j];
                }
            }
            double pe = (peak + mv[nm - 1]) / 2.0;

            double lat = SCORE_BASE + PE_COEF * (pe - 3.0) + SKILL_SCORE * skill + CH_EFF[ch] + REG_EFF[reg] +
                         PROD_EFF[prod] + TIER_EFF[tier] + TREND_PER_MONTH * (mi - mid) +
                         SCORE_NOISE * rng_norm(&r);
            int score = (int)floor(lat + 0.5);
            score = score < 0 ? 0 : score > 10 ? 10 : score;
            w->tl.score_hist[score]++;
            int has_moments = rng_unif(&r) >= P_NO_MOMENTS;

            /* comment */
            const enc_t *cm = NULL;
            int special = 0;
            if (rng_unif(&r) >= P_EMPTY_COMMENT) {
                if ((special = rng_unif(&r) < P_SPECIAL_COMMENT))
                    cm = &cmt.spe[rng_below(&r, (uint64_t)cmt.n_spe)];
                else if (score >= 9) cm = &cmt.pro[rng_below(&r, (uint64_t)cmt.n_pro)];
                else if (score >= 7) cm = &cmt.pas[rng_below(&r, (uint64_t)cmt.n_pas)];
                else cm = &cmt.det[rng_below(&r, (uint64_t)cmt.n_det)];
            } else {
                w->tl.empty_comment++;
            }
            int64_t ht = 0;
            if (agent >= 0) {
                ht = (int64_t)floor(ag[agent].aht * exp(HT_SD * rng_norm(&r)) + 0.5);
                if (ht < 10) ht = 10;
            }
            int blank_ch = rng_unif(&r) < P_EMPTY_CHANNEL;
            int blank_reg = rng_unif(&r) < P_EMPTY_REGION;
            int off = rng_unif(&r) < P_OFFSET_TS ? OFFSET_MIN[rng_below(&r, N_OFFSET)] : 0;
            int64_t upd = -1;
            if (rng_unif(&r) < P_UPDATED) upd = t + 3600 + (int64_t)rng_below(&r, 5 * 86400);

            /* MoT outcome and its planted spend effect */
            if (is_mot) {
                int outcome; /* 1 positive, -1 negative, 0 none */
                if (has_moments) outcome = pe >= 3.0 ? 1 : -1;
                else outcome = score >= 9 ? 1 : score <= 6 ? -1 : 0;
                int eff = 0; /* 1 raised, 2 lowered */
                double u = rng_unif(&r);
                if (outcome > 0) eff = u < MOT_POS_UP_P ? 1 : 2;
                else if (outcome < 0) eff = u < MOT_NEG_DOWN_P ? 2 : 1;
                if (known) {
                    w->tl.mot_rows++;
                    w->tl.mot_pos += outcome > 0;
                    w->tl.mot_neg += outcome < 0;
                    w->tl.mot_none += outcome == 0;
                    w->tl.mot_raised += eff == 1;
                    w->tl.mot_lowered += eff == 2;
                    if (day <= last_complete && day >= first_complete) {
                        if (outcome > 0) {
                            w->tl.c_pos++;
                            w->tl.c_pos_up += eff == 1;
                        } else if (outcome < 0) {
                            w->tl.c_neg++;
                            w->tl.c_neg_down += eff == 2;
                        }
                    }
                    w->fen.cnt[slot] |= (outcome < 0 ? SW_NEG : 0u) | ((uint32_t)eff << SW_EFF_SHIFT);
                    if (mot_day) mot_day[slot] = (int32_t)day;
                }
            }
            if (day > last_complete || day < first_complete) w->tl.incomplete++;

            /* ---- write the row ---- */
            char *p = ob_reserve(&of.ob);
            *p++ = 'r';
            p = put_u64w(p, k + 1, idw);
            *p++ = ',';
            if (off) {
                p = put_datetime(p, t + off * 60);
                int a = off < 0 ? -off : off;
                *p++ = off < 0 ? '-' : '+';
                p = put2(p, a / 60);
                *p++ = ':';
                p = put2(p, a % 60);
                w->tl.offset_ts++;
            } else {
                p = put_datetime(p, t);
                *p++ = 'Z';
            }
            *p++ = ',';
            if (upd >= 0) {
                p = put_datetime(p, upd);
                *p++ = 'Z';
                w->tl.updated++;
            }
            *p++ = ',';
            p = put_u64(p, (uint64_t)score);
            *p++ = ',';
            if (cm && w->o.verbatims && !special) {
                char id[32];
                id[0] = 'r';
                *put_u64w(id + 1, k + 1, idw) = '\0';
                p = vg_comment(&vg, p, id, score, !is_mot);
            } else if (cm) {
                memcpy(p, cm->s, cm->n);
                p += cm->n;
            }
            *p++ = ',';
            *p++ = 'c';
            p = put_u64(p, cust_no);
            *p++ = ',';
            if (agent >= 0) p = put_str(p, ag[agent].id);
            else w->tl.web_rows++;
            *p++ = ',';
            if (!blank_ch) p = put_str(p, CH_NAME[ch]);
            *p++ = ',';
            p = put_str(p, PROD_NAME[prod]);
            *p++ = ',';
            p = put_str(p, is_mot ? MOT_NAME[itype] : ROUTINE_NAME[itype]);
            *p++ = ',';
            if (agent >= 0) p = put_u64(p, (uint64_t)ht);
            *p++ = ',';
            if (has_moments) {
                for (int j = 0; j < nm; j++) {
                    if (j) *p++ = ';';
                    *p++ = (char)('0' + mv[j]);
                }
            } else {
                w->tl.no_moments++;
            }
            *p++ = ',';
            if (!blank_reg) p = put_str(p, REG_NAME[reg]);
            *p++ = '\n';
            ob_commit(&of.ob, p);
        }
    }
    of_close(&of);
    if (w->o.verbatims) vg_close(&vg);
    free(w->fen.t);
    w->fen.t = NULL;
    comments_free(&cmt);
}
