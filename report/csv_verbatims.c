/* csv_verbatims.c — themes.csv and verbatim_flags.csv (verbatims_out.h).
 * Columns as in docs/formats.md ("Verbatim tables"); formula escaping is the writer's. */
#include "report/verbatims_out.h"
#include "report/outputs.h"

#include <math.h>

static const char *const themes_header[] = {
    "scope",     "language", "theme",       "mentions", "detractor_mentions", "promoter_mentions", "g2",
    "log_ratio", "nps_with", "nps_without", "p_value",  "prev_mentions",      "example_ids",       NULL};
static const char *const flags_header[] = {"source",           "response_id",    "language",
                                           "charge_neg",       "charge_pos",     "terms",
                                           "interaction_type", "unlabelled_mot", NULL};

static void put_header(csv_writer *w, const char *const *h)
{
    for (; *h; h++) csv_put_text(w, *h);
    csv_end_record(w);
}

static void theme_rows(csv_writer *w, const verb_result *res)
{
    for (size_t i = 0; i < res->n_themes; i++) {
        const verb_theme *t = &res->themes[i];
        CSV_TEXTS(w, t->scope, text_lang_code(t->lang), t->theme);
        CSV_INTS(w, t->mentions, t->detractor_mentions, t->promoter_mentions);
        CSV_DOUBLES(w, t->g2, t->log_ratio, t->nps_with, t->nps_without, t->p_value);
        if (t->prev_mentions >= 0) csv_put_int(w, t->prev_mentions);
        else csv_put_empty(w);
        char ids[1024];
        size_t k = 0;
        ids[0] = '\0';
        for (int e = 0; e < VERB_EXAMPLES && t->example_ids[e]; e++) {
            int n = snprintf(ids + k, sizeof ids - k, "%s%s", k ? ";" : "", t->example_ids[e]);
            if (n < 0 || (size_t)n >= sizeof ids - k) break; /* ids that long: fewer examples */
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

void verb_flags_csv_header(csv_writer *w) { put_header(w, flags_header); }

void verb_flags_csv_row(csv_writer *w, const cx_response *r, const verb_flag *f)
{
    verb_flag_csv_row(w, r->source, r->response_id, r->interaction_type, f);
}

/* ---- as rows of the report's table of CSV files (report/outputs.c) ---- */

static void themes_rows_run(csv_writer *w, const stats_result *r) { theme_rows(w, r->themes); }

static void flags_rows_run(csv_writer *w, const stats_result *r)
{
    /* The rows were written as the comments streamed (stats/text/verb_run.c).
     * A read error of the temporary file shortens the file; the writer's
     * own failure flag is not reachable from here, so say it in the file. */
    if (verb_spool_copy(r->verb_flags, w) != 0) {
        csv_put_text(w, "error: the temporary file of the flags could not be read back");
        csv_end_record(w);
    }
}

const report_csv csv_themes = {"themes.csv", themes_header, STATS_RUN_TEXT, themes_rows_run};
const report_csv csv_verbatim_flags = {"verbatim_flags.csv", flags_header, STATS_RUN_TEXT, flags_rows_run};
