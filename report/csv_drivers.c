/* csv_drivers.c — drivers.csv: the rate and mix effects behind the change
 * of NPS from the month before the report month to the report month, per
 * --by segment (docs/formats.md).  Undefined values are empty fields.
 */
#include "report/outputs.h"
#include "report/csvout.h"
#include "core/timeparse.h"

static const char *const drivers_header[] = {
    "month", "prev_month",  "dimension",  "segment",      "n_prev",  "n",      "nps_prev",
    "nps",   "rate_effect", "mix_effect", "total_effect", "se_rate", "p_rate", NULL,
};

static void driver_rows(csv_writer *w, const stats_result *res)
{
    const drivers *d = res->drivers;
    char m1[16], m0[16];
    month_format(d->month, m1);
    month_format(d->prev_month, m0);
    for (size_t i = 0; i < d->nrows; i++) {
        const driver_row *r = &d->rows[i];
        CSV_TEXTS(w, m1, m0, stats_dim_name(res, r->dim), r->segment);
        csv_put_int(w, r->n_prev);
        csv_put_int(w, r->n);
        CSV_DOUBLES(w, r->nps_prev, r->nps, r->rate, r->mix, r->total, r->se_rate, r->p_rate);
        csv_end_record(w);
    }
}

const report_csv csv_drivers = {"drivers.csv", drivers_header, 0, driver_rows};
