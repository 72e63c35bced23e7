/* respcsv_write.c — see respcsv.h: a responses export written, the
 * header (resp_write_header) and one record a response
 * (resp_write_record), in the columns respcsv.c reads back. */
#include "core/respcsv.h"
#include "core/num.h"
#include "core/timeparse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void resp_write_header(csv_writer *w, const char *const *attr_names, size_t n)
{
    for (int f = 0; f < CX_F_COUNT; f++) csv_put_text(w, cx_field_name((cx_field)f));
    for (size_t i = 0; i < n; i++) csv_put_text(w, attr_names[i]);
    csv_end_record(w);
}

/* Shortest of %.15g / %.17g that reads back as the same double. */
static void put_exact(csv_writer *w, double v)
{
    char buf[40];
    /* a whole number under 1e15 (a handle time in seconds, mostly): "%.15g"
     * writes its digits alone, and they read back exactly; -0 is "-0" below */
    if (v > -1e15 && v < 1e15 && v == (double)(long long)v && (v != 0 || !signbit(v))) {
        buf[cx_num_put_int(buf, (long long)v)] = '\0';
        csv_put_text(w, buf);
        return;
    }
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, sizeof buf, "%.17g", v);
    csv_put_text(w, buf);
}

void resp_write_record(csv_writer *w, const cx_response *r, const char *const *attr_names, size_t n)
{
    char ts[TIME_ISO_LEN], moments[CX_MAX_MOMENTS * 12];
    csv_put_text(w, r->source);
    csv_put_text(w, r->response_id);
    time_format_iso(r->responded_at, ts);
    csv_put_text(w, ts);
    time_format_iso(r->updated_at, ts);
    csv_put_text(w, ts);
    if (r->metric == CX_METRIC_CSAT_BINARY) csv_put_text(w, r->score ? "good" : "bad");
    else csv_put_int(w, r->score);
    CSV_TEXTS(w, r->comment, r->customer_id, r->agent_id, r->channel, r->product, r->interaction_type);
    if (r->has_handle_time) put_exact(w, r->handle_time_s);
    else csv_put_empty(w);
    cx_format_moments(r->moments, r->n_moments, moments, sizeof moments);
    csv_put_text(w, moments);
    csv_put_text(w, cx_metric_name(r->metric));
    for (size_t i = 0; i < n; i++) {
        const char *v = "";
        for (size_t k = 0; k < r->n_attrs; k++)
            if (strcmp(r->attrs[k].key, attr_names[i]) == 0) {
                v = r->attrs[k].value;
                break;
            }
        csv_put_text(w, v);
    }
    csv_end_record(w);
}
