/* csv_verbatims.c — themes.csv and verbatim_flags.csv (verbatims_out.h).
 * Columns as in the verbatims issue; formula escaping is the writer's. */
#include "report/verbatims_out.h"

#include <math.h>

void verb_themes_csv(csv_writer *w, const verb_result *res)
{
    static const char *const head[] = {"scope", "language", "theme", "mentions",
                                       "detractor_mentions", "promoter_mentions", "g2", "log_ratio",
                                       "nps_with", "nps_without", "p_value", "prev_mentions",
                                       "example_ids"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++) csv_put_text(w, head[i]);
    csv_end_record(w);
    for (size_t i = 0; i < res->n_themes; i++) {
        const verb_theme *t = &res->themes[i];
        csv_put_text(w, t->scope);
        csv_put_text(w, text_lang_code(t->lang));
        csv_put_text(w, t->theme);
        csv_put_int(w, t->mentions);
        csv_put_int(w, t->detractor_mentions);
        csv_put_int(w, t->promoter_mentions);
        csv_put_double(w, t->g2);
        csv_put_double(w, t->log_ratio);
        csv_put_double(w, t->nps_with);
        csv_put_double(w, t->nps_without);
        csv_put_double(w, t->p_value);
        if (t->prev_mentions >= 0) csv_put_int(w, t->prev_mentions);
        else csv_put_empty(w);
        char ids[1024];
        size_t k = 0;
        ids[0] = '\0';
        for (int e = 0; e < VERB_EXAMPLES && t->example_ids[e]; e++) {
            int n = snprintf(ids + k, sizeof ids - k, "%s%s", k ? ";" : "", t->example_ids[e]);
            if (n < 0 || (size_t)n >= sizeof ids - k) break;   /* ids that long: fewer examples */
            k += (size_t)n;
        }
        csv_put_text(w, ids);
        csv_end_record(w);
    }
}

void verb_flags_csv_header(csv_writer *w)
{
    static const char *const head[] = {"source", "response_id", "language", "charge_neg",
                                       "charge_pos", "terms", "interaction_type", "unlabelled_mot"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++) csv_put_text(w, head[i]);
    csv_end_record(w);
}

/* Most charges are 0 or whole: written without %.15g (a flags row per
 * comment makes this the file's hot path); the same text as
 * csv_put_double gives. */
static void put_charge(csv_writer *w, double v)
{
    if (v == 0) csv_put_text(w, "0");
    else if (v > 0 && v < 1e6 && v == (double)(long long)v) csv_put_int(w, (long long)v);
    else csv_put_double(w, v);
}

void verb_flags_csv_row(csv_writer *w, const cx_response *r, const verb_flag *f)
{
    csv_put_text(w, r->source);
    csv_put_text(w, r->response_id);
    csv_put_text(w, text_lang_code(f->lang));
    put_charge(w, f->charge_neg);
    put_charge(w, f->charge_pos);
    csv_put_text(w, f->terms);
    csv_put_text(w, r->interaction_type);
    csv_put_text(w, f->unlabelled_mot ? "true" : "false");
    csv_end_record(w);
}
