/* csv_verbatims.c — themes.csv and verbatim_flags.csv (verbatims_out.h).
 * Columns as in docs/formats.md ("Verbatim tables"); formula escaping is the writer's. */
#include "report/verbatims_out.h"
#include "report/outputs.h"

#include <math.h>

static const char *const themes_header[] = {"scope", "language", "theme", "mentions",
                                            "detractor_mentions", "promoter_mentions", "g2",
                                            "log_ratio", "nps_with", "nps_without", "p_value",
                                            "prev_mentions", "example_ids", NULL};
static const char *const flags_header[] = {"source", "response_id", "language", "charge_neg",
                                           "charge_pos", "terms", "interaction_type",
                                           "unlabelled_mot", NULL};

static void put_header(csv_writer *w, const char *const *h)
{
    for (; *h; h++) csv_put_text(w, *h);
    csv_end_record(w);
}

static void theme_rows(csv_writer *w, const verb_result *res)
{
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

void verb_themes_csv(csv_writer *w, const verb_result *res)
{
    put_header(w, themes_header);
    theme_rows(w, res);
}

void verb_flags_csv_header(csv_writer *w)
{
    put_header(w, flags_header);
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

/* ---- as rows of the report's table of CSV files (report/outputs.c) ---- */

static void themes_rows_run(csv_writer *w, const stats_result *r)
{
    theme_rows(w, r->themes);
}

static void flag_row_cb(void *ctx, const verb_flag_row *row)
{
    cx_response r;
    cx_response_clear(&r);
    r.source = row->source;
    r.response_id = row->response_id;
    r.interaction_type = row->interaction_type;
    verb_flags_csv_row(ctx, &r, row->flag);
}

static void flags_rows_run(csv_writer *w, const stats_result *r)
{
    /* A read error of the temporary file shortens the file; the writer's
     * own failure flag is not reachable from here, so say it in the file. */
    if (verb_spool_each(r->verb_flags, flag_row_cb, w) != 0) {
        csv_put_text(w, "error: the temporary file of the flags could not be read back");
        csv_end_record(w);
    }
}

const report_csv csv_themes = { "themes.csv", themes_header, STATS_RUN_TEXT, themes_rows_run };
const report_csv csv_verbatim_flags = { "verbatim_flags.csv", flags_header, STATS_RUN_TEXT, flags_rows_run };
