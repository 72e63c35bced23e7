/* delighted_csv.c — see delighted_csv.h.  The column map is written out in
 * docs/formats.md; a column the map does not name becomes an attribute
 * with its name in lower case and '_' for spaces, as the API connector
 * does with person properties.  Only the map makes model fields: an
 * attribute whose name would be a model field's ("Person property:
 * Source" -> "source") is named with ATTR_PREFIX in front instead
 * ("attr_source"), so the responses reader cannot take it for the field. */
#include "ingest/delighted_csv.h"
#include "core/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ATTR_PREFIX "attr_"

/* Delighted column (any case) -> model field. */
static const char *const column_map[][2] = {
    {"Response ID", "response_id"},
    {"ID", "response_id"},
    {"Score", "score"},
    {"Comment", "comment"},
    {"Response timestamp", "responded_at"},
    {"Created at", "responded_at"},
    {"Created", "responded_at"},
    {"Updated timestamp", "updated_at"},
    {"Updated at", "updated_at"},
    {"Last updated", "updated_at"},
    {"Customer ID", "customer_id"},
    {"Agent", "agent_id"},
    {"Channel", "channel"},
    {"Product", "product"},
    {"Interaction Type", "interaction_type"},
    {"Handle Time", "handle_time_s"},
    {"Moments", "moments"},
    {"Survey type", "survey_type"},
};

const char *delighted_column(const char *name, char *b, size_t cap)
{
    static const char prop[] = "Person property: ";
    for (size_t i = 0; i < sizeof column_map / sizeof *column_map; i++)
        if (strcasecmp(name, column_map[i][0]) == 0) return column_map[i][1];
    if (strncasecmp(name, prop, sizeof prop - 1) == 0) { /* "Person property: Agent" */
        const char *m = delighted_column(name + sizeof prop - 1, b, cap);
        if (m != b) return m;
        name += sizeof prop - 1;
    }
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < cap; p++) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        else if (ch == ' ' || ch == '-' || ch == '.') ch = '_';
        b[n++] = ch;
    }
    b[n] = '\0';
    if (cx_field_lookup(b) >= 0) { /* "source" -> "attr_source" (cut to CAP: still no field) */
        size_t pl = sizeof ATTR_PREFIX - 1 < cap ? sizeof ATTR_PREFIX - 1 : cap - 1;
        size_t keep = n + pl < cap ? n : cap - 1 - pl;
        memmove(b + pl, b, keep);
        memcpy(b, ATTR_PREFIX, pl);
        b[pl + keep] = '\0';
    }
    return b;
}

int delighted_header(csv_record *h, delighted_names *dn, char *err, size_t errlen)
{
    static const char *const need[] = {"response_id", "score", "responded_at"};
    static const char *const need_name[] = {"Response ID", "Score", "Response timestamp"};
    int have[3] = {0, 0, 0};
    char buf[256];
    memset(dn, 0, sizeof *dn);
    dn->time_col[0] = dn->time_col[1] = -1;
    for (size_t i = 0; i < h->nfields; i++) {
        const char *m = delighted_column(h->fields[i], buf, sizeof buf);
        for (int k = 0; k < 3; k++) have[k] |= strcmp(m, need[k]) == 0;
        if (strcmp(m, "responded_at") == 0) dn->time_col[0] = (int)i;
        if (strcmp(m, "updated_at") == 0) dn->time_col[1] = (int)i;
        if (dn->n_owned == sizeof dn->owned / sizeof *dn->owned) {
            snprintf(err, errlen, "more than %zu columns", sizeof dn->owned / sizeof *dn->owned);
            return -1;
        }
        char *copy = strdup(m);
        if (copy == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        dn->owned[dn->n_owned++] = copy;
        h->fields[i] = copy;
        h->lens[i] = strlen(copy);
    }
    for (int k = 0; k < 3; k++)
        if (!have[k]) {
            snprintf(err, errlen, "not a Delighted export: no '%s' column", need_name[k]);
            return -1;
        }
    return 0;
}

/* "2026-05-04 13:02:11 -0700" -> "2026-05-04 13:02:11-0700" (the space
 * before the offset is the only thing core/timeparse.c does not take). */
static void fix_time(char *s, size_t *len)
{
    if (*len < 6) return;
    char *p = s + *len - 6;
    if (p[0] == ' ' && (p[1] == '+' || p[1] == '-')) {
        memmove(p, p + 1, 6); /* five bytes and the NUL */
        (*len)--;
        return;
    }
    if (*len >= 4 && strcmp(s + *len - 4, " UTC") == 0) {
        s[*len - 4] = 'Z';
        s[*len - 3] = '\0';
        *len -= 3;
    }
}

void delighted_row(const delighted_names *dn, csv_record *rec)
{
    for (int k = 0; k < 2; k++) {
        int c = dn->time_col[k];
        if (c >= 0 && (size_t)c < rec->nfields) fix_time(rec->fields[c], &rec->lens[c]);
    }
}

void delighted_names_free(delighted_names *dn)
{
    for (size_t i = 0; i < dn->n_owned; i++) free(dn->owned[i]);
    dn->n_owned = 0;
}
