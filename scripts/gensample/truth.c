/* truth.c — gen-sample's truth.txt: every planted parameter and the
 * realised counts, as key=value lines, for tests and docs/sample-data.md.
 */
#include "gs.h"
#include "out.h"

void write_truth(world_t *w)
{
    const uint64_t N = w->N, C = w->C;
    const int K = w->K, M = w->M, n_part = w->n_part;
    const uint64_t Ca = w->Ca, Cm = w->Cm, n_unknown = w->n_unknown;
    const int64_t spend_first = w->spend_first, spend_last = w->spend_last,
                  first_complete = w->first_complete, last_complete = w->last_complete;
    const opts_t o = w->o;
    ofile_t of;
    of_open(&of, w->o.out, "truth.txt");
    {
        char line[512], d1[16], d2[16], d3[16], d4[16];
        *put_date(d1, spend_first) = '\0';
        *put_date(d2, spend_last) = '\0';
        *put_date(d3, first_complete) = '\0';
        *put_date(d4, last_complete) = '\0';
        uint64_t prom = w->tl.score_hist[9] + w->tl.score_hist[10], det = 0;
        for (int k = 0; k <= 6; k++) det += w->tl.score_hist[k];
#define KV(...)                                   \
    do {                                          \
        snprintf(line, sizeof line, __VA_ARGS__); \
        ob_puts(&of.ob, line);                    \
    } while (0)
        KV("# gen-sample planted parameters and realised counts (docs/sample-data.md)\n");
        KV("seed=%" PRIu64 "\n", o.seed);
        KV("rows=%" PRIu64 "\n", N);
        KV("start=%04d-%02d\n", o.start_y, o.start_m);
        KV("months=%d\n", M);
        KV("agents=%d\n", K);
        KV("part_time_agents=%d\n", n_part);
        KV("part_time_weight=%.6f\n", PART_TIME_WEIGHT);
        KV("customers=%" PRIu64 "\n", C);
        KV("customers_with_responses=%" PRIu64 "\n", Ca);
        KV("mot_customers=%" PRIu64 "\n", Cm);
        KV("unknown_customer_rows=%" PRIu64 "\n", n_unknown);
        KV("nps_overall=%.2f\n", N ? 100.0 * ((double)prom - (double)det) / (double)N : 0.0);
        KV("score_model=round(base + pe_coef*(peak_end-3) + skill_score*skill + channel + region "
           "+ product + tier + trend*(month-(months-1)/2) + N(0,noise)) clamped to 0..10\n");
        KV("score_base=%.2f\n", SCORE_BASE);
        KV("pe_coef=%.2f\n", PE_COEF);
        KV("skill_score=%.2f\n", SKILL_SCORE);
        KV("skill_end_moment=%.2f\n", SKILL_END);
        KV("skill_second_last_moment=%.2f\n", SKILL_END2);
        KV("skill_mot_peak=%.2f\n", SKILL_MOT_PEAK);
        KV("score_noise=%.2f\n", SCORE_NOISE);
        KV("trend_score_per_month=%.3f\n", TREND_PER_MONTH);
        for (int k = 0; k < N_CH; k++) KV("channel_effect_%s=%.2f\n", CH_NAME[k], CH_EFF[k]);
        for (int k = 0; k < N_REG; k++) KV("region_effect_%s=%.2f\n", REG_NAME[k], REG_EFF[k]);
        for (int k = 0; k < N_PROD; k++) KV("product_effect_%s=%.2f\n", PROD_NAME[k], PROD_EFF[k]);
        for (int k = 0; k < N_TIER; k++) KV("tier_effect_%s=%.2f\n", TIER_NAME[k], TIER_EFF[k]);
        KV("value_model=%.0f + exp(%.2f + %.2f*z); enterprise z>%.4f (top 5%%), business "
           "z>%.4f (next 15%%)\n",
           VALUE_FLOOR, VALUE_MU, VALUE_SIGMA, Z_ENTERPRISE, Z_BUSINESS);
        KV("total_true_annual_value=%.2f\n", w->total_value);
        KV("mot_types=card_lost,fraud_alert,flight_cancelled,outage\n");
        KV("mot_pos_up_prob=%.2f\n", MOT_POS_UP_P);
        KV("mot_pos_up_factor=%.2f\n", MOT_POS_UP);
        KV("mot_pos_down_factor=%.2f\n", MOT_POS_DOWN);
        KV("mot_neg_down_prob=%.2f\n", MOT_NEG_DOWN_P);
        KV("mot_neg_down_factor=%.2f\n", MOT_NEG_DOWN);
        KV("mot_neg_up_factor=%.2f\n", MOT_NEG_UP);
        KV("routine_spend_effect=0\n");
        KV("spend_noise_sd=%.2f\n", SPEND_NOISE);
        KV("spend_first_date=%s\n", d1);
        KV("spend_last_date=%s\n", d2);
        KV("spend_window_days=%d\n", SPEND_WINDOW);
        KV("complete_window_first_day=%s\n", d3);
        KV("complete_window_last_day=%s\n", d4);
        KV("responses_incomplete_window=%" PRIu64 "\n", w->tl.incomplete);
        KV("spend_rows=%" PRIu64 "\n", w->spend_rows);
        KV("mot_rows_known_customers=%" PRIu64 "\n", w->tl.mot_rows);
        KV("mot_positive=%" PRIu64 "\n", w->tl.mot_pos);
        KV("mot_negative=%" PRIu64 "\n", w->tl.mot_neg);
        KV("mot_none=%" PRIu64 "\n", w->tl.mot_none);
        KV("mot_raised=%" PRIu64 "\n", w->tl.mot_raised);
        KV("mot_lowered=%" PRIu64 "\n", w->tl.mot_lowered);
        KV("mot_complete_positive=%" PRIu64 "\n", w->tl.c_pos);
        KV("mot_complete_positive_raised=%" PRIu64 "\n", w->tl.c_pos_up);
        KV("mot_complete_negative=%" PRIu64 "\n", w->tl.c_neg);
        KV("mot_complete_negative_lowered=%" PRIu64 "\n", w->tl.c_neg_down);
        KV("rows_without_moments=%" PRIu64 "\n", w->tl.no_moments);
        KV("rows_empty_comment=%" PRIu64 "\n", w->tl.empty_comment);
        KV("rows_offset_timestamp=%" PRIu64 "\n", w->tl.offset_ts);
        KV("rows_with_updated_at=%" PRIu64 "\n", w->tl.updated);
        KV("rows_web_no_agent=%" PRIu64 "\n", w->tl.web_rows);
#undef KV
    }
    of_close(&of);
}
