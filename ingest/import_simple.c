/* import_simple.c — the customers and spend files of an import
 * (import_int.h simple_header, row_customer, row_spend): their header's
 * named columns and attributes, and each row checked and handed to the
 * store.  Owner: this file; the importer's state is import.c's. */
#include "ingest/import_int.h"
#include "core/model.h"
#include "core/timeparse.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int col_of(const csv_record *h, const char *name)
{
    for (size_t i = 0; i < h->nfields; i++)
        if (strcmp(h->fields[i], name) == 0) return (int)i;
    return -1;
}

/* Header of customers/spend files: named columns plus attributes. */
int simple_header(importer *im, const csv_record *h, char *err, size_t errlen)
{
    static const char *const cust[] = {"customer_id", NULL};
    static const char *const spend[] = {"customer_id", "date", "amount", NULL};
    const char *const *req = im->o->kind == IMPORT_SPEND ? spend : cust;
    for (size_t i = 0; req[i]; i++)
        if (col_of(h, req[i]) < 0) {
            snprintf(err, errlen, "missing required column '%s'", req[i]);
            return -1;
        }
    for (size_t i = 0; i < h->nfields; i++) {
        /* Names become attribute keys and --by labels: text, like values
         * (spend ignores its other columns, so an empty one is harmless). */
        if ((h->lens[i] == 0 && im->o->kind == IMPORT_CUSTOMERS) || memchr(h->fields[i], '\0', h->lens[i]) ||
            !utf8_valid(h->fields[i], h->lens[i])) {
            snprintf(err, errlen, "column %zu: the name is empty, not valid UTF-8 or holds a NUL byte",
                     i + 1);
            return -1;
        }
    }
    for (size_t i = 0; i < h->nfields; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(h->fields[i], h->fields[j]) == 0) {
                snprintf(err, errlen, "column '%s' appears twice", h->fields[i]);
                return -1;
            }
    im->n_cols = h->nfields;
    im->col_id = col_of(h, "customer_id");
    im->col_value = col_of(h, "annual_value");
    im->col_date = col_of(h, "date");
    im->col_amount = col_of(h, "amount");
    if (im->o->kind == IMPORT_CUSTOMERS)
        for (size_t i = 0; i < h->nfields; i++) {
            if ((int)i == im->col_id || (int)i == im->col_value) continue;
            if (im->n_attrs == CX_MAX_ATTRS) {
                snprintf(err, errlen, "more than %d attribute columns", CX_MAX_ATTRS);
                return -1;
            }
            im->attr_col[im->n_attrs] = i;
            im->attrs[im->n_attrs++].key = NULL;
        }
    return 0;
}

static int row_valid_utf8(const csv_record *rec, const char **why)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (memchr(rec->fields[i], '\0', rec->lens[i]) || !utf8_valid(rec->fields[i], rec->lens[i])) {
            *why = "invalid UTF-8 or NUL byte";
            return -1;
        }
    return 0;
}

/* A customers or spend row has the header's fields, as a responses row
 * must (core/respcsv.c): a short row's missing fields are not the row
 * before's, and an extra field is not silently dropped.  0, or -1 with
 * WHY. */
static int row_width(const importer *im, const csv_record *rec, const char **why)
{
    if (rec->nfields == im->n_cols) return 0;
    *why = rec->nfields < im->n_cols ? "too few fields for the header" : "too many fields for the header";
    return -1;
}

int row_customer(importer *im, const csv_record *rec, const char **field, const char **why)
{
    if (row_width(im, rec, why) != 0 || row_valid_utf8(rec, why) != 0) return -1;
    const char *id = rec->fields[im->col_id];
    *field = "customer_id";
    if (!*id) {
        *why = "customer_id is empty";
        return -1;
    }
    double v = NAN;
    if (im->col_value >= 0 && rec->fields[im->col_value][0]) {
        *field = "annual_value";
        if (cx_parse_number(rec->fields[im->col_value], 0, &v, why) != 0) return -1;
    }
    for (size_t a = 0; a < im->n_attrs; a++) im->attrs[a].value = rec->fields[im->attr_col[a]];
    if (store_upsert_customer(im->s, id, v, im->attrs, im->n_attrs) != 0) return -2;
    im->st.inserted++;
    return 0;
}

int row_spend(importer *im, const csv_record *rec, const char **field, const char **why)
{
    if (row_width(im, rec, why) != 0 || row_valid_utf8(rec, why) != 0) return -1;
    const char *id = rec->fields[im->col_id];
    *field = "customer_id";
    if (!*id) {
        *why = "customer_id is empty";
        return -1;
    }
    int32_t day;
    double amount;
    *field = "date";
    if (date_parse(rec->fields[im->col_date], &day, why) != 0) return -1;
    *field = "amount";
    if (cx_parse_number(rec->fields[im->col_amount], 1, &amount, why) != 0) return -1;
    /* The source's earlier rows go only once a row of the new file is
     * accepted: a file whose every row is rejected (or a header alone)
     * removes nothing. */
    if (im->removed < 0 && (im->removed = store_spend_clear(im->s, im->source)) < 0) return -2;
    if (store_add_spend(im->s, im->source, id, day, amount) != 0) return -2;
    im->st.inserted++;
    return 0;
}
