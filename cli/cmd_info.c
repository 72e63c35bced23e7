/* cmd_info.c — export, sources, status. */
#include "cli/cli.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/nearest.h"
#include "core/respcsv.h"
#include "core/store/store.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "core/rejects.h"
#include "ingest/ingest.h"
#include "report/noun.h"
#include "run/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first pass of export responses: the attribute names (the
 * header's columns) and how many responses are in scope. */
typedef struct export_names {
    strmap *names;
    long long rows;
} export_names;

static int collect_attr_names(const cx_response *r, void *ctx)
{
    export_names *x = ctx;
    x->rows++;
    for (size_t i = 0; i < r->n_attrs; i++) {
        int added;
        if (strmap_put(x->names, r->attrs[i].key, strmap_count(x->names), &added) == (size_t)-1) return -1;
    }
    return 0;
}

typedef struct export_ctx {
    csv_writer *w;
    const char *const *names;
    size_t n;
} export_ctx;

static int export_one(const cx_response *r, void *ctx)
{
    export_ctx *x = ctx;
    resp_write_record(x->w, r, x->names, x->n);
    return csv_writer_failed(x->w) ? 1 : 0; /* stops the scan: close_stdout says why */
}

static int export_reject(const char *source, const char *where, const char *reason, const char *raw,
                         size_t raw_len, void *ctx)
{
    rejects_sink *k = ctx;
    rejects_put(k, source, where, reason, raw, raw_len);
    return csv_writer_failed(k->w) ? 1 : 0;
}

/* 0 when --source names a source the store knows (its responses, rejects
 * or syncs: status' sources), or none was given; else it is taken for a
 * typo, as a --by dimension is: the closest name or the list, and 2. */
static int check_source(const cli *c, const store_status *st)
{
    if (!c->source) return 0;
    for (size_t i = 0; i < st->n_sources; i++)
        if (!strcmp(st->sources[i].source, c->source)) return 0;
    const char *cand[64] = {NULL};
    char list[512];
    size_t k = 0, len = 0;
    list[0] = '\0';
    for (size_t i = 0; i < st->n_sources && k < sizeof cand / sizeof *cand; i++) {
        cand[k++] = st->sources[i].source;
        int w = len < sizeof list
                    ? snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", st->sources[i].source)
                    : -1;
        if (w > 0) len += (size_t)w;
    }
    const char *best = nearest_name(c->source, cand, k);
    if (best)
        cx_msg("export: --source %s: the store holds no such source; did you mean %s?", c->source, best);
    else if (k) cx_msg("export: --source %s: the store holds no such source (sources: %s)", c->source, list);
    else cx_msg("export: --source %s: the store holds no source yet", c->source);
    return 2;
}

/* The months of the responses a scan reads. */
typedef struct month_span {
    long long n;
    int first, last;
} month_span;

static int span_add(const cx_response *r, void *ctx)
{
    month_span *m = ctx;
    int month = time_month_key(r->responded_at);
    if (m->n++ == 0 || month < m->first) m->first = month;
    if (month > m->last) m->last = month;
    return 0;
}

/* export responses found nothing in --source and --month: says why as
 * stats and report do (docs/cli.md, "Empty is an error"): a source the
 * store does not know (2), else the months the store, or the source,
 * holds (1).  Only with --source or --month: the export of an empty store
 * is its header, the whole of what it holds. */
static int export_empty(cli *c, store *s, const store_filter *f)
{
    store_status st;
    if (store_get_status(s, &st) != 0) {
        cx_msg("export: %s", store_error(s));
        return 1;
    }
    int rc = check_source(c, &st);
    if (rc == 0) {
        month_span sp = {0, 0, 0};
        char holder[300];
        c->so.month = f->month_from;
        if (c->source) {
            store_filter all = {c->source, 0, 0};
            if (store_scan_responses(s, &all, span_add, &sp) != 0) {
                cx_msg("export: %s", store_error(s));
                store_status_free(&st);
                return 1;
            }
            snprintf(holder, sizeof holder, "source %.200s", c->source);
        } else {
            sp.n = st.responses;
            sp.first = st.responses ? time_month_key(st.first_at) : 0;
            sp.last = st.responses ? time_month_key(st.last_at) : 0;
            snprintf(holder, sizeof holder, "the store");
        }
        rc = cli_check_range(c, "export", "", sp.n > 0, sp.first, sp.last, 0, holder);
    }
    store_status_free(&st);
    return rc;
}

/* export rejects: every reject, or --source's, as rejects.csv has them.
 * 0, 2 for a source the store does not know, -1 with store_error. */
static int export_rejects(const cli *c, store *s, csv_writer **w)
{
    if (c->source) {
        store_status st;
        if (store_get_status(s, &st) != 0) return -1;
        int rc = check_source(c, &st);
        store_status_free(&st);
        if (rc) return rc;
    }
    rejects_sink k;
    /* Always spreadsheet-safe, the same bytes as rejects.csv: rejects are
     * read by people, never imported again (docs/formats.md). */
    if (rejects_open_stream(&k, stdout, 1) != 0) return -1;
    *w = k.w;
    return store_scan_rejects(s, c->source, export_reject, &k);
}

/* export responses: the header (one column per attribute name in scope),
 * then every response of --source and --month.  0; 1 or 2 after a
 * message when the scope is empty (export_empty); -1 with store_error. */
static int export_responses(cli *c, store *s, const store_filter *f, csv_writer **w)
{
    export_names x = {strmap_new(), 0};
    int rc = x.names ? store_scan_responses(s, f, collect_attr_names, &x) : -1;
    if (rc == 0 && x.rows == 0 && (c->source || c->month)) {
        strmap_free(x.names);
        return export_empty(c, s, f);
    }
    if (rc == 0) {
        size_t n = strmap_count(x.names);
        const char **list = malloc((n ? n : 1) * sizeof *list);
        for (size_t i = 0; list && i < n; i++) list[i] = strmap_key(x.names, i);
        *w = csv_writer_new(stdout, c->spreadsheet_safe);
        export_ctx e = {*w, list, n};
        if (list && *w) {
            resp_write_header(*w, list, n);
            rc = store_scan_responses(s, f, export_one, &e);
        } else {
            rc = -1;
        }
        free(list);
    }
    strmap_free(x.names);
    return rc;
}

int cmd_export(cli *c)
{
    if (cli_need_operands(c, 1)) return 2;
    if (strcmp(c->pos[1], "responses") && strcmp(c->pos[1], "rejects")) {
        cx_msg("export: unknown kind '%s' (responses or rejects)", c->pos[1]);
        return 2;
    }
    int rejects = !strcmp(c->pos[1], "rejects");
    if (rejects && c->month) {
        /* the store keeps when a row was rejected, not a response month:
         * a rejected row may have none (a bad responded_at is a reason
         * to reject it), so a month would drop rejects unsaid */
        cx_msg("export rejects: --month applies to responses only: a rejected row has no month the store "
               "can trust (its responded_at may be what was wrong); export every reject, or one source's "
               "with --source");
        return 2;
    }
    store_filter f = {c->source, 0, 0};
    if (c->month) {
        if (month_parse(c->month, &f.month_from) != 0) {
            cx_msg("%s: --month: '%s' is not a month (YYYY-MM, 1900-01 to 9999-12)", c->pos[0], c->month);
            return 2;
        }
        f.month_to = f.month_from;
    }
    store *s = cli_open_store(c, CLI_STORE_READ);
    if (!s) return 1;
    csv_writer *w = NULL;
    int rc = rejects ? export_rejects(c, s, &w) : export_responses(c, s, &f, &w);
    if (rc == -1) cx_msg("export: %s", store_error(s)[0] ? store_error(s) : "out of memory");
    csv_writer_free(w);
    store_close(s);
    return rc == 2 ? 2 : rc ? 1 : 0; /* 2: a source the store does not know (check_source) */
}

/* Writes data text to the terminal with control characters (C0, DEL and
 * the C1 range U+0080..U+009F) as '?', so a source name or a vendor's
 * message cannot move the cursor, recolour or retitle the terminal. */
static void put_data(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            putchar('?');
        } else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            putchar('?');
            p++;
        } else {
            putchar(*p);
        }
    }
}

/* put_data padded with spaces to WIDTH bytes (on the left for RIGHT). */
static void put_data_w(const char *s, int width, int right)
{
    int n = (int)strlen(s);
    if (right) printf("%*s", n < width ? width - n : 0, "");
    put_data(s);
    if (!right) printf("%*s", n < width ? width - n : 0, "");
}

static void print_iso(int64_t t)
{
    char buf[TIME_ISO_LEN];
    time_format_iso(t, buf);
    fputs(buf, stdout);
}

/* One line per configured source whose credentials are not all in the
 * environment (ingest_missing_env: token_env, and client_id_env for
 * Genesys): which variables are missing, by name only. */
static void print_missing_credentials(const cx_config *cfg)
{
    for (size_t i = 0; i < cfg->n_sources; i++) {
        char names[512];
        int n = ingest_missing_env(&cfg->sources[i], names, sizeof names);
        if (n == 0) continue;
        fputs("source ", stdout);
        put_data(cfg->sources[i].name);
        fputs(": not set: ", stdout);
        put_data(names);
        putchar('\n');
    }
}

/* A sync or import time: 0 is "never" (they are clock times, after 1970). */
static void print_time(int64_t t)
{
    if (t == 0) fputs("never", stdout);
    else print_iso(t);
}

int cmd_sources(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    if (c->cfg->n_sources == 0) {
        printf("no sources configured in %s\n", c->cfg->path ? c->cfg->path : c->config_path);
        return 0;
    }
    store *s = cli_open_store(c, CLI_STORE_READ_QUIET);
    store_status st;
    int have = s && store_get_status(s, &st) == 0;
    printf("%-16s %-13s %-11s %10s  %-20s %s\n", "SOURCE", "VENDOR", "CREDENTIALS", "RESPONSES", "LAST SYNC",
           "LAST ERROR");
    for (size_t i = 0; i < c->cfg->n_sources; i++) {
        const cx_source_cfg *src = &c->cfg->sources[i];
        const store_source_status *x = NULL;
        for (size_t k = 0; have && k < st.n_sources; k++)
            if (!strcmp(st.sources[k].source, src->name)) x = &st.sources[k];
        put_data_w(src->name, 16, 0);
        putchar(' ');
        put_data_w(src->vendor, 13, 0);
        char names[512];
        printf(" %-11s %10lld  ", ingest_missing_env(src, names, sizeof names) ? "MISSING" : "set",
               x ? x->responses : 0LL);
        print_time(x ? x->last_sync : 0);
        printf("%*s ", x && x->last_sync ? 0 : 15, "");
        put_data(x && x->last_error ? x->last_error : "");
        putchar('\n');
    }
    print_missing_credentials(c->cfg);
    if (have) store_status_free(&st);
    store_close(s);
    return 0;
}

int cmd_status(cli *c)
{
    if (cli_need_operands(c, 0)) return 2;
    store *s = cli_open_store(c, CLI_STORE_READ);
    if (!s) return 1;
    store_status st;
    if (store_get_status(s, &st) != 0) {
        cx_msg("%s", store_error(s));
        store_close(s);
        return 1;
    }
    if (store_schema(s) != STORE_SCHEMA_VERSION) /* read-only: read as it is */
        printf("store:      %s (%s, schema %d; open it once with write access to migrate it to %d)\n",
               cli_store_target(c), store_backend(s), store_schema(s), STORE_SCHEMA_VERSION);
    else
        printf("store:      %s (%s, schema %d)\n", cli_store_target(c), store_backend(s),
               STORE_SCHEMA_VERSION);
    printf("responses:  %lld", st.responses);
    if (st.responses) {
        fputs(" (", stdout);
        print_iso(st.first_at); /* response times may lie before 1970 */
        fputs(" to ", stdout);
        print_iso(st.last_at);
        fputs(")", stdout);
    }
    printf("\ncustomers:  %lld\nspend rows: %lld\nrejects:    %lld\n", st.customers, st.spend_rows,
           st.rejects);
    printf("imports:    %lld %s read, %lld replaced, %lld unchanged, %lld older ignored", st.imported_rows,
           fmt_noun((double)st.imported_rows, "row", "rows"), st.replaced, st.unchanged, st.ignored);
    if (st.imports_before > 0) /* logged before the log told them apart */
        printf(
            ", %lld already held (replaced, unchanged or older) by %lld %s logged before these were told apart",
            st.held_before, st.imports_before, fmt_noun((double)st.imports_before, "import", "imports"));
    fputs("; last ", stdout);
    print_time(st.last_import);
    putchar('\n');
    char cache[8192];
    run_cache_state(s, cli_store_target(c), cache, sizeof cache);
    fputs("cache:      ", stdout);
    put_data(cache);
    putchar('\n');
    for (size_t i = 0; i < st.n_sources; i++) {
        const store_source_status *x = &st.sources[i];
        fputs("source ", stdout);
        put_data_w(x->source, 12, 0);
        printf(" %lld %s, %lld %s, last sync ", x->responses,
               fmt_noun((double)x->responses, "response", "responses"), x->rejects,
               fmt_noun((double)x->rejects, "reject", "rejects"));
        print_time(x->last_sync);
        if (x->last_sync) printf(" (%lld fetched)", x->last_fetched);
        if (x->last_error) {
            fputs(", last error: ", stdout);
            put_data(x->last_error);
        }
        putchar('\n');
    }
    print_missing_credentials(c->cfg);
    store_status_free(&st);
    store_close(s);
    return 0;
}
