/* attr_limit.c — see attr_limit.h. */
#include "ingest/attr_limit.h"
#include "core/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_name(const char *name, void *ctx)
{
    int added;
    strmap *m = ctx;
    return strmap_put(m, name, strmap_count(m), &added) == (size_t)-1 ? -2 : 0;
}

/* L with no names yet: 0, or -1 with ERR. */
static int names_new(attr_limit *l, char *err, size_t errlen)
{
    l->noted = NULL;
    if ((l->names = strmap_new())) return 0;
    snprintf(err, errlen, "out of memory");
    return -1;
}

int attr_limit_load(attr_limit *l, store *s, char *err, size_t errlen)
{
    if (names_new(l, err, errlen) != 0) return -1;
    int rc = store_attr_names(s, add_name, l->names);
    if (rc == -2) snprintf(err, errlen, "out of memory");
    else if (rc != 0) snprintf(err, errlen, "%s", store_error(s));
    return rc ? -1 : 0;
}

int attr_limit_load_noted(attr_limit *l, store *s, char *err, size_t errlen)
{
    if (names_new(l, err, errlen) != 0) return -1;
    int rc = store_attr_names_noted(s, add_name, l->names);
    if (rc == 1) {
        l->noted = s;
        return 0;
    }
    strmap_free(l->names);
    l->names = NULL;
    if (rc == 0) return attr_limit_load(l, s, err, errlen);
    snprintf(err, errlen, "%s", rc == -2 ? "out of memory" : store_error(s));
    return -1;
}

int attr_limit_note(const attr_limit *l, store *s)
{
    size_t n = strmap_count(l->names);
    const char **names = malloc((n ? n : 1) * sizeof *names);
    if (!names) return -1;
    for (size_t i = 0; i < n; i++) names[i] = strmap_key(l->names, i);
    int rc = store_attr_names_note(s, names, n);
    free(names);
    return rc;
}

static int admit(attr_limit *l, const char *const *names, size_t n, char *err, size_t errlen)
{
    strmap *fresh = strmap_new();
    if (!fresh) return -1;
    for (size_t i = 0; i < n; i++)
        if (strmap_get(l->names, names[i]) == (size_t)-1 && add_name(names[i], fresh) != 0) {
            strmap_free(fresh);
            return -1;
        }
    size_t have = strmap_count(l->names), add = strmap_count(fresh);
    if (have + add > CX_MAX_ATTRS) {
        size_t at =
            (size_t)snprintf(err, errlen,
                             "%zu attribute names in the store's responses would be more than the limit"
                             " of %d (it holds %zu; an export writes one column per name);"
                             " the %zu new: ",
                             have + add, CX_MAX_ATTRS, have, add);
        for (size_t i = 0; i < add && at < errlen; i++) {
            int w = snprintf(err + at, errlen - at, "%s'%s'", i ? ", " : "", strmap_key(fresh, i));
            if (w < 0) break;
            at += (size_t)w;
        }
        if (at >= errlen && errlen > 4) memcpy(err + errlen - 4, "...", 4);
        strmap_free(fresh);
        return 1;
    }
    for (size_t i = 0; i < add; i++)
        if (add_name(strmap_key(fresh, i), l->names) != 0) {
            strmap_free(fresh);
            return -1;
        }
    strmap_free(fresh);
    return 0;
}

int attr_limit_admit(attr_limit *l, const char *const *names, size_t n, char *err, size_t errlen)
{
    int rc = admit(l, names, n, err, errlen);
    if (rc == 1 && l->noted) { /* the note may count names the store no longer holds: read them */
        store *s = l->noted;
        attr_limit_free(l);
        if (attr_limit_load(l, s, err, errlen) != 0) return -1;
        rc = admit(l, names, n, err, errlen);
    }
    return rc;
}

void attr_limit_free(attr_limit *l)
{
    strmap_free(l->names);
    l->names = NULL;
    l->noted = NULL;
}
