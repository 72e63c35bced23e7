/* store_pg_bulk.c — bulk upsert of responses on PostgreSQL: the rows are
 * streamed with COPY (store_pg_io.c's deferred buffer) into a
 * session-private staging table, cx_stage (temporary: no WAL), and merged
 * into `responses` at store_bulk_end by store_pg_merge.c.
 */
#include "core/store/keybuf.h"
#include "core/store/store_attrs.h"
#include "core/store/store_pg_int.h"
#include "core/timeparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CX_HAVE_LIBPQ

static const char stage_sql[] =
    "DROP INDEX IF EXISTS pg_temp.cx_stage_key;"
    "CREATE TEMP TABLE IF NOT EXISTS cx_stage (seq bigint NOT NULL,"
    " source text COLLATE \"C\" NOT NULL, response_id text COLLATE \"C\" NOT NULL,"
    " responded_at bigint NOT NULL, updated_at bigint NOT NULL, month integer NOT NULL,"
    " score smallint NOT NULL, comment text NOT NULL, customer_id text COLLATE \"C\" NOT NULL,"
    " agent_id text COLLATE \"C\" NOT NULL, channel text COLLATE \"C\" NOT NULL,"
    " product text COLLATE \"C\" NOT NULL, interaction_type text COLLATE \"C\" NOT NULL,"
    " handle_time_s double precision, moments text NOT NULL, attributes text NOT NULL,"
    " metric text COLLATE \"C\" NOT NULL);"
    "TRUNCATE cx_stage";

int pg_bulk_begin(store *base)
{
    pg_store *s = PG(base);
    if (pg_exec(s, stage_sql, "bulk upsert") != 0) return -1;
    pg_bulk_forget(s);
    s->bulk_unique = 0;
    s->bulk_on = 1;
    return 0;
}

void pg_bulk_forget(pg_store *s)
{
    store_srcset_clear(&s->bulk_src);
    s->bulk_on = 0;
    s->bulk_rows = 0;
    s->bulk_key.len = 0;
    s->bulk_ascending = 1;
}

/* Keeps s->bulk_ascending: 1 while each key came after the one before (in
 * byte order, as the COLLATE "C" key orders them).  0, or -1 out of
 * memory. */
static int note_order(pg_store *s, const cx_response *r)
{
    if (!s->bulk_ascending) return 0;
    size_t sl = strlen(r->source), il = strlen(r->response_id);
    if (s->bulk_key.len && keybuf_cmp(&s->bulk_key, r->source, sl, r->response_id, il) <= 0) {
        s->bulk_ascending = 0;
        return 0;
    }
    return keybuf_set(&s->bulk_key, r->source, sl, r->response_id, il);
}

int pg_bulk_add(store *base, const cx_response *r)
{
    pg_store *s = PG(base);
    if (!s->bulk_on) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: not begun");
        return -1;
    }
    if (store_srcset_note(&s->bulk_src, r->source) != 0 || note_order(s, r) != 0) return pg_oom(s);
    char moments[CX_MAX_MOMENTS * 12];
    cx_format_moments(r->moments, r->n_moments, moments, sizeof moments);
    char *attrs = attrs_to_json(r->attrs, r->n_attrs);
    if (!attrs) return pg_oom(s);
    pg_buf *b = &s->buf[B_STAGE];
    int bad = buf_ll(b, ++s->bulk_rows, '\t') || buf_text(b, r->source, '\t') ||
              buf_text(b, r->response_id, '\t') || buf_ll(b, (long long)r->responded_at, '\t') ||
              buf_ll(b, (long long)r->updated_at, '\t') || buf_ll(b, time_month_key(r->responded_at), '\t') ||
              buf_ll(b, r->score, '\t') || buf_text(b, r->comment, '\t') ||
              buf_text(b, r->customer_id, '\t') || buf_text(b, r->agent_id, '\t') ||
              buf_text(b, r->channel, '\t') || buf_text(b, r->product, '\t') ||
              buf_text(b, r->interaction_type, '\t') ||
              (r->has_handle_time ? buf_double(b, r->handle_time_s, '\t') : buf_null(b, '\t')) ||
              buf_text(b, moments, '\t') || buf_text(b, attrs, '\t') ||
              buf_text(b, cx_metric_code(r->metric), '\n');
    free(attrs);
    return bad ? pg_oom(s) : buf_row_done(s, B_STAGE);
}

int pg_bulk_end(store *base, store_bulk_counts *c)
{
    pg_store *s = PG(base);
    if (!s->bulk_on) {
        snprintf(s->base.err, sizeof s->base.err, "store: bulk upsert: not begun");
        return -1;
    }
    if (pg_flush(s) != 0) return -1;
    int rc = pg_merge_stage(s, c);
    pg_bulk_forget(s);
    return rc;
}

#endif /* CX_HAVE_LIBPQ */
