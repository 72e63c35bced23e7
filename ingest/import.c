/* import.c — see import.h: a CSV file's rows read, checked and handed to
 * the store (customers and spend rows: import_simple.c; rows another
 * source holds: import_held.c); a file imported before, unchanged, is
 * answered from the store's note of it (import_again.c). */
#include "ingest/import_int.h"
#include "ingest/delighted_csv.h"
#include "ingest/import_digest.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/rejects.h"
#include "core/model.h"
#include "core/respcsv.h"
#include "core/grow.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* One row of a responses file (record REC) read into R, borrowing REC's
 * strings: 0, or -1 rejected (*FIELD, *WHY).  CHK: REC checked already on
 * the reading thread (resp_check_record), its MOMENTS with it. */
static int import_row_read(importer *im, csv_record *rec, const resp_checked *chk, const int *moments,
                           cx_response *r, const char **field, const char **why)
{
    if (chk)
        return resp_from_checked(&im->rh, rec, chk, moments, im->source, im->o->source != NULL, r, field,
                                 why);
    if (im->o->format == IMPORT_FORMAT_DELIGHTED) delighted_row(&im->dn, rec);
    return resp_from_record(&im->rh, rec, im->source, im->o->source != NULL, im->cfg->moment_lo,
                            im->cfg->moment_hi, r, field, why);
}

/* A response read from line LINE into the bulk: its line remembered, the
 * store given it, the caller shown it.  0, -2 the store failed, -3 out of
 * memory. */
static int import_row_add(importer *im, const cx_response *r, long line)
{
    /* Classified (new / replaced / older ignored / held elsewhere) at
     * store_bulk_end, which numbers the rows from 0: remember their lines. */
    long long offset = (long long)line - im->n_added;
    if (im->n_runs == 0 || im->runs[im->n_runs - 1].offset != offset) {
        if (im->n_runs == im->cap_runs) {
            struct line_run *l = grow_array(im->runs, &im->cap_runs, im->n_runs + 1, sizeof *l, 256, 0, 0);
            if (!l) return -3;
            im->runs = l;
        }
        im->runs[im->n_runs++] = (struct line_run){im->n_added, offset};
    }
    im->n_added++;
    if (store_bulk_add(im->s, r) != 0) return -2;
    /* A bulk that sorts its rows merges them once they are read, the
     * store's thread the bound, the other core with time to spare: the
     * file's digest is read there, no longer beside the reading. */
    if ((im->n_added & 4095) == 0 && store_bulk_sorting(im->s)) import_digest_detach(&im->job);
    if (im->o->on_row) im->o->on_row(r, im->o->row_ctx);
    return 0;
}

static int row_response(importer *im, csv_record *rec, const resp_checked *chk, const int *moments,
                        const char **field, const char **why)
{
    cx_response r;
    if (import_row_read(im, rec, chk, moments, &r, field, why) != 0) return -1;
    int rc = import_row_add(im, &r, rec->line);
    if (rc == -3) *why = "out of memory";
    return rc;
}

/* The step after reading: says the store merges what it was given.  0. */
static int import_merging(importer *im)
{
    cx_progress_say(im->o->progress, "merging into the store", 0, 0, NULL);
    return 0;
}

/* Ends the bulk upsert of a responses file and takes its counts; the
 * rows it set aside as held elsewhere become rejects.  0, or -1 with ERR
 * (empty: the store's error). */
static int bulk_end(importer *im, char *err, size_t errlen)
{
    store_bulk_counts bc;
    import_merging(im);
    if (im->o->on_row) im->o->on_row(NULL, im->o->row_ctx); /* the rows ended */
    if (store_bulk_end(im->s, &bc) != 0) {
        if (im->held_err[0]) snprintf(err, errlen, "%s", im->held_err);
        return -1;
    }
    if (held_rejects(im, err, errlen) != 0) return -1;
    im->st.inserted = bc.inserted;
    im->st.replaced = bc.replaced;
    im->st.unchanged = bc.unchanged;
    im->st.ignored = bc.ignored;
    im->straight = bc.straight;
    return 0;
}

/* A row rejected, kept with its raw text: 0, or -1 the store failed. */
static int import_reject(importer *im, long line, const char *raw, size_t raw_len, const char *field,
                         const char *why)
{
    char where[REJECTS_WHERE_MAX], reason[REJECTS_REASON_MAX];
    rejects_describe(im->o->path, line, field, why, where, sizeof where, reason, sizeof reason);
    im->st.rejected++;
    if (im->o->on_reject) im->o->on_reject(where, reason, im->o->ctx);
    return store_add_reject(im->s, im->source, where, reason, raw, raw_len);
}

static int header(importer *im, csv_record *rec, char *err, size_t errlen)
{
    char why[256];
    int rc = csv_read(im->rd, rec, err, errlen);
    if (rc == 0) {
        snprintf(err, errlen, "%s: empty file (no header row)", im->path);
        return -1;
    }
    if (rc < 0) return -1;
    if (im->o->kind == IMPORT_RESPONSES && im->o->format == IMPORT_FORMAT_DELIGHTED &&
        delighted_header(rec, &im->dn, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s:%ld: %s", im->path, rec->line, why);
        return -1;
    }
    int bad = im->o->kind == IMPORT_RESPONSES ? resp_header_init(&im->rh, rec, why, sizeof why)
                                              : simple_header(im, rec, why, sizeof why);
    if (bad) {
        snprintf(err, errlen, "%s:%ld: %s", im->path, rec->line, why);
        return -1;
    }
    for (size_t a = 0; a < im->n_attrs; a++) {
        size_t n = rec->lens[im->attr_col[a]] + 1;
        if (!(im->keys[a] = malloc(n))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        memcpy(im->keys[a], rec->fields[im->attr_col[a]], n);
        im->attrs[a].key = im->keys[a];
    }
    return 0;
}

void import_progress(importer *im, long long at)
{
    char count[48];
    snprintf(count, sizeof count, "%lld rows", im->st.rows);
    cx_progress_say(im->o->progress, im->phase, at > 0 ? (double)at : 0, im->size, count);
}

int import_record(importer *im, csv_record *rec, int broken, const resp_checked *chk, const int *moments,
                  char *err, size_t errlen)
{
    im->st.rows++;
    const char *field = "", *why = "";
    int r = -1;
    if (broken) why = csv_error_reason(im->rd, err); /* kept as it was read */
    else
        r = im->o->kind == IMPORT_RESPONSES   ? row_response(im, rec, chk, moments, &field, &why)
            : im->o->kind == IMPORT_CUSTOMERS ? row_customer(im, rec, &field, &why)
                                              : row_spend(im, rec, &field, &why);
    if (r == -3) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (r == -2 || (r == -1 && import_reject(im, rec->line, rec->raw, rec->raw_len, field, why) != 0)) {
        snprintf(err, errlen, "%s", store_error(im->s));
        return -1;
    }
    return 0;
}

static int rows(importer *im, char *err, size_t errlen)
{
    csv_record rec;
    struct stat sb;
    im->size = fstat(csv_reader_fd(im->rd), &sb) == 0 && S_ISREG(sb.st_mode) ? (double)sb.st_size : 0;
    snprintf(im->phase, sizeof im->phase, "reading %.250s", im->path);
    if (im->o->kind == IMPORT_RESPONSES) { /* read on a thread of their own */
        int rc = import_rows_par(im, err, errlen);
        if (rc <= 0) return rc;
    }
    for (;;) {
        int rc = csv_read(im->rd, &rec, err, errlen);
        if (rc == 0) break;
        if (rc > 0 && rec.nfields == 1 && rec.lens[0] == 0) continue; /* blank line */
        if (import_record(im, &rec, rc < 0, NULL, NULL, err, errlen) != 0) return -1;
        if (rc == -1) break; /* a broken record the reader cannot go on after */
        if (rc > 0 && im->o->progress && (im->st.rows & 4095) == 0)
            import_progress(im, im->size > 0 ? csv_reader_tell(im->rd, NULL) : 0);
    }
    return 0;
}

/* The file's attribute columns may not take the store's responses past
 * CX_MAX_ATTRS distinct names (attr_limit.h): else the whole file is
 * refused before any row is read.  Checked in the import's transaction,
 * from the last import's note of the names when it still holds (else a
 * pass over every stored response: 1.4 s at 10M rows); the names are
 * noted again once the rows are in (names_note). */
static int names_fit(importer *im, char *err, size_t errlen)
{
    char why[900] = "";
    int rc = attr_limit_load_noted(&im->names, im->s, why, sizeof why);
    if (rc == 0) rc = attr_limit_admit(&im->names, im->rh.attr_name, im->rh.n_attrs, why, sizeof why);
    if (rc == 1) snprintf(err, errlen, "%s: nothing imported: %s", im->path, why);
    else if (rc != 0) snprintf(err, errlen, "%s", rc == -1 && why[0] ? why : "out of memory");
    return rc;
}

/* After the rows: the store's names and the file's, as the next import's
 * starting count (store_attr_names_note).  0, or -1. */
static int names_note(importer *im) { return im->names.names ? attr_limit_note(&im->names, im->s) : 0; }

/* The file's key (import_int.h importer.o), malloc'd; IM->in_st and
 * in_regular say what was opened.  NULL when out of memory. */
static char *file_key(importer *im)
{
    static const char *const kind[] = {"", "customers:", "spend:"};
    struct stat sb;
    char *real = NULL;
    im->in_regular = strcmp(im->path, "-") != 0 && fstat(csv_reader_fd(im->rd), &im->in_st) == 0 &&
                     S_ISREG(im->in_st.st_mode);
    /* the name resolved, when it still names the file opened */
    if (im->in_regular && (real = realpath(im->path, NULL)) &&
        (stat(real, &sb) != 0 || sb.st_dev != im->in_st.st_dev || sb.st_ino != im->in_st.st_ino)) {
        free(real);
        real = NULL;
    }
    const char *name = real ? real : im->path, *pre = kind[im->o->kind];
    size_t p = strlen(pre), n = strlen(name);
    char *key = malloc(p + n + 1);
    if (key) {
        memcpy(key, pre, p);
        memcpy(key + p, name, n + 1);
    }
    free(real);
    return key;
}

int import_file(store *s, const cx_config *cfg, const import_opts *o, import_summary *sum, char *err,
                size_t errlen)
{
    static const char *const kinds[] = {"responses", "customers", "spend"};
    importer im;
    double t0 = now_seconds();
    memset(&im, 0, sizeof im);
    memset(sum, 0, sizeof *sum);
    err[0] = '\0';
    im.s = s;
    im.cfg = cfg;
    im.path = o->path;
    im.opts = *o;
    im.o = &im.opts;
    /* A Delighted export lands under "delighted", beside (and upserting)
     * what a source of that name synced from the API: the ids are the same. */
    im.source = o->source ? o->source : o->format == IMPORT_FORMAT_DELIGHTED ? "delighted" : "csv";
    im.st.kind = kinds[o->kind];
    im.st.file = o->path;
    im.removed = -1;
    if (!(im.rd = csv_reader_open(o->path, err, errlen))) return -1;
    if (!(im.key = file_key(&im))) {
        csv_reader_free(im.rd);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    im.opts.path = im.key;
    csv_record rec;
    int ok = header(&im, &rec, err, errlen) == 0 &&
             (o->kind == IMPORT_RESPONSES ? store_begin_load(s) : store_begin(s)) == 0;
    /* A re-import of this file replaces its rejects instead of repeating
     * them (in the same transaction: a failed import keeps the old ones). */
    long long forgot = 0;
    int seen = 0; /* 1: imported before into the store as it is (again) */
    if (ok) ok = (seen = import_again(&im, &forgot)) >= 0;
    if (ok && seen == 0) ok = (forgot = store_rejects_forget(s, im.source, im.key)) >= 0;
    if (ok && seen == 0 && o->kind == IMPORT_RESPONSES) ok = names_fit(&im, err, errlen) == 0;
    if (ok && seen == 0 && o->kind == IMPORT_RESPONSES) {
        store_on_held(s, held_row, &im);
        ok = store_bulk_begin(s) == 0;
    }
    if (ok && seen == 1) {
        ok = import_merging(&im) == 0 && import_note(&im) == 0 && store_log_import(s, &im.st) == 0 &&
             store_commit(s) == 0;
    } else if (ok && o->kind == IMPORT_CUSTOMERS) {
        /* Customers are classified by the store (new, changed, unchanged);
         * PostgreSQL merges them at its next flush, so the counts come after
         * the commit and the import log entry is written after them. */
        store_bulk_counts cc;
        ok = store_customer_counts(s, &cc) == 0 && rows(&im, err, errlen) == 0 && import_merging(&im) == 0 &&
             store_commit(s) == 0 && store_customer_counts(s, &cc) == 0;
        if (ok) {
            im.st.inserted = cc.inserted;
            im.st.replaced = cc.replaced;
            im.st.unchanged = cc.ignored; /* equal to the stored customer */
            ok = store_log_import(s, &im.st) == 0;
            if (!ok) snprintf(err, errlen, "%s (the customers were imported)", store_error(s));
        }
    } else if (ok && o->kind == IMPORT_SPEND) {
        /* The file replaces the source's spend rows: new rows, old rows
         * gone (replaced), rows given again unchanged. */
        store_bulk_counts sc;
        memset(&sc, 0, sizeof sc);
        ok = rows(&im, err, errlen) == 0 && import_merging(&im) == 0 &&
             (im.removed < 0 || store_spend_counts(s, im.source, &sc) == 0); /* < 0: nothing replaced */
        if (ok) {
            im.st.inserted = sc.inserted;
            im.st.replaced = sc.replaced;
            im.st.unchanged = sc.ignored; /* rows given again */
        }
        ok = ok && store_log_import(s, &im.st) == 0 && store_commit(s) == 0;
    } else if (ok) {
        ok = rows(&im, err, errlen) == 0 &&
             (o->kind != IMPORT_RESPONSES ||
              (bulk_end(&im, err, errlen) == 0 && import_note(&im) == 0 && names_note(&im) == 0)) &&
             store_log_import(s, &im.st) == 0 && store_commit(s) == 0;
    }
    store_on_held(s, NULL, NULL);
    if (im.job.thread) import_digest_wait(&im.job);
    cx_progress_end(o->progress);
    if (!ok) {
        if (!err[0]) snprintf(err, errlen, "%s", store_error(s));
        store_rollback(s);
    }
    csv_reader_free(im.rd);
    resp_header_free(&im.rh);
    delighted_names_free(&im.dn);
    for (size_t a = 0; a < im.n_attrs; a++) free(im.keys[a]);
    free(im.runs);
    held_free(&im.hs);
    free(im.key);
    attr_limit_free(&im.names);
    if (!ok) return -1;
    sum->rows = im.st.rows;
    sum->inserted = im.st.inserted;
    sum->replaced = im.st.replaced;
    sum->unchanged = im.st.unchanged;
    sum->ignored = im.st.ignored;
    sum->rejected = im.st.rejected;
    sum->held_elsewhere = im.held;
    sum->straight = im.straight;
    snprintf(sum->held_by, sizeof sum->held_by, "%s", im.held_by);
    sum->spend_removed = im.removed;
    sum->rejects_forgotten = forgot;
    sum->seconds = now_seconds() - t0;
    return 0;
}
