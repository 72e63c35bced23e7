/* store_open.c — opens a store: picks the backend from the target's form
 * (a path: SQLite; a connection string: PostgreSQL) and calls its
 * constructor (store_int.h).  The one file that names both backends.
 */
#include "core/store/store_int.h"

#include <stdio.h>
#include <string.h>

store *store_open_with(const char *target, const store_open_opts *o, char *err, size_t errlen)
{
    static const store_open_opts none = {NULL};
    if (!target || !*target) {
        snprintf(err, errlen, "store: no store given (--db or the config's \"store\")");
        return NULL;
    }
    if (store_target_is_pg(target)) return store_pg_open(target, o ? o : &none, err, errlen);
    return store_sqlite_open(target, err, errlen);
}

store *store_open(const char *target, char *err, size_t errlen)
{
    return store_open_with(target, NULL, err, errlen);
}
