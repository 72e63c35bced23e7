/* extras.c — gen-sample's other files: customers.csv (attributes
 * re-derived per customer), spend.csv (purchases about weekly, raised or
 * lowered for the spend window after a moment of truth as planted by
 * responses.c) and agents_truth.csv (each agent's true skill).
 */
#include "gs.h"
#include "out.h"

void write_customers(world_t *w)
{
    const uint64_t C = w->C;
    ofile_t of;
    of_open(&of, w->o.out, "customers.csv");
    ob_puts(&of.ob, "customer_id,annual_value,tier,country\n");
    for (uint64_t i = 0; i < C; i++) {
        cust_t c;
        cust_attrs(w->o.seed, i, &c);
        w->total_value += c.value;
        char *p = ob_reserve(&of.ob);
        *p++ = 'c';
        p = put_u64(p, i + 1);
        *p++ = ',';
        if (!c.value_empty) p = put_money(p, (int64_t)floor(c.value * 100.0 + 0.5));
        *p++ = ',';
        p = put_str(p, TIER_NAME[c.tier]);
        *p++ = ',';
        p = put_str(p, COUNTRY_NAME[c.country]);
        *p++ = '\n';
        ob_commit(&of.ob, p);
    }
    of_close(&of);
}

void write_spend(world_t *w)
{
    const uint64_t C = w->C;
    const int64_t spend_first = w->spend_first, spend_last = w->spend_last;
    const int32_t *mot_day = w->mot_day;
    ofile_t of;
    of_open(&of, w->o.out, "spend.csv");
    ob_puts(&of.ob, "customer_id,date,amount\n");
    {
        const int64_t ndays = spend_last - spend_first + 1;
        char(*dstr)[11] = malloc(sizeof *dstr * (size_t)ndays);
        if (!dstr) die("memory", strerror(ENOMEM));
        for (int64_t d = 0; d < ndays; d++) put_date(dstr[d], spend_first + d);
        for (uint64_t i = 0; i < C; i++) {
            cust_t c;
            cust_attrs(w->o.seed, i, &c);
            rng_t r;
            rng_seed(&r, w->o.seed, ST_SPEND, i);
            const double daily = c.value / 365.0;
            const uint32_t sw = w->fen.cnt[i];
            const unsigned eff = (sw >> SW_EFF_SHIFT) & 3u;
            const int64_t md = eff ? (int64_t)mot_day[i] : INT64_MIN / 2;
            double fac = 1.0;
            if (eff)
                fac = (sw & SW_NEG) ? (eff == 1 ? MOT_NEG_UP : MOT_NEG_DOWN)
                                    : (eff == 1 ? MOT_POS_UP : MOT_POS_DOWN);
            int64_t prev = spend_first - (int64_t)rng_below(&r, SPEND_GAP_MIN + SPEND_GAP_SPAN);
            for (;;) {
                int64_t gap = SPEND_GAP_MIN + (int64_t)rng_below(&r, SPEND_GAP_SPAN);
                int64_t d = prev + gap;
                if (d > spend_last) break;
                double noise = exp(SPEND_NOISE * rng_norm(&r) - 0.5 * SPEND_NOISE * SPEND_NOISE);
                double amt = daily * (double)(d - prev) * noise;
                if (d > md && d <= md + SPEND_WINDOW) amt *= fac;
                prev = d;
                if (d < spend_first) continue;
                int64_t cents = (int64_t)floor(amt * 100.0 + 0.5);
                if (cents < 1) cents = 1;
                char *p = ob_reserve(&of.ob);
                *p++ = 'c';
                p = put_u64(p, i + 1);
                *p++ = ',';
                memcpy(p, dstr[d - spend_first], 10);
                p += 10;
                *p++ = ',';
                p = put_money(p, cents);
                *p++ = '\n';
                ob_commit(&of.ob, p);
                w->spend_rows++;
            }
        }
        free(dstr);
    }
    of_close(&of);
}

void write_agents(world_t *w)
{
    const int K = w->K;
    const agent_t *ag = w->ag;
    ofile_t of;
    of_open(&of, w->o.out, "agents_truth.csv");
    ob_puts(&of.ob, "agent_id,skill,aht_median_s,part_time\n");
    for (int a = 0; a < K; a++) {
        char line[128];
        snprintf(line, sizeof line, "%s,%.4f,%.0f,%d\n", ag[a].id, ag[a].skill, ag[a].aht, ag[a].part_time);
        ob_puts(&of.ob, line);
    }
    of_close(&of);
}
