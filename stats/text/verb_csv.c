/* verb_csv.c — one row of verbatim_flags.csv (columns in docs/formats.md,
 * "Verbatim tables").  Owner of the row's text: both the statistics run's
 * flags spool (verb_run.c, written as the comments stream) and the
 * writers of report/csv_verbatims.c and `cxpulse verbatims` use it, so
 * the file is the same whichever writes it.
 */
#include "stats/text/verbatims.h"
#include "core/csv.h"

/* Most charges are 0 or whole: written without %.15g (a flags row per
 * comment makes this the file's hot path); the same text as
 * csv_put_double gives. */
static void put_charge(csv_writer *w, double v)
{
    if (v == 0) csv_put_text_len(w, "0", 1);
    else if (v > 0 && v < 1e6 && v == (double)(long long)v) csv_put_int(w, (long long)v);
    else csv_put_double(w, v);
}

void verb_flag_csv_row(csv_writer *w, const char *source, const char *response_id,
                       const char *interaction_type, const verb_flag *f)
{
    csv_put_text(w, source);
    csv_put_text(w, response_id);
    csv_put_text(w, text_lang_code(f->lang));
    put_charge(w, f->charge_neg);
    put_charge(w, f->charge_pos);
    csv_put_text(w, f->terms);
    csv_put_text(w, interaction_type);
    if (f->unlabelled_mot) csv_put_text_len(w, "true", 4);
    else csv_put_text_len(w, "false", 5);
    csv_end_record(w);
}
