/* store_sqlite_names.c — the attribute names of the stored responses as
 * an import noted them, on SQLite (store.h store_attr_names_noted/note;
 * docs/performance.md, "The attribute-name limit on import").
 *
 * Reading the names from the responses is a pass over every row (1.4 s at
 * 10M rows), and every import into a store with rows made it to hold the
 * store to CX_MAX_ATTRS names (ingest/attr_limit.h).  The table
 * cx_attr_names (made by the first import that notes) holds the names the
 * last import counted, each with the generation its transaction committed
 * as, and a row named '' (no attribute name is empty) that says the note
 * is whole.  The note holds while the generation has not moved: this
 * program's transactions bump it at their commit when they changed a
 * response, another program's writes through the triggers
 * (store_sqlite_gen.c), as for cx_import_seen (store_sqlite_seen.c).  The
 * note takes the present generation, plus one when this transaction has
 * changed a response; a connection with its triggers on notes nothing,
 * nor does a store whose responses hold an empty name (another program's:
 * an import refuses one).
 */
#include "core/store/store_sqlite_int.h"

#include <string.h>

static const char table_sql[] = "CREATE TABLE IF NOT EXISTS cx_attr_names (name TEXT PRIMARY KEY,"
                                " generation INTEGER NOT NULL)";
static const char get_sql[] = "SELECT name FROM cx_attr_names"
                              " WHERE generation = (SELECT n FROM cx_generation WHERE one = 1) ORDER BY name";
static const char put_sql[] = "INSERT INTO cx_attr_names (name, generation)"
                              " SELECT ?1, n + ?2 FROM cx_generation WHERE one = 1";

int sq_attr_names_noted(store *base, store_name_cb cb, void *ctx)
{
    sq_store *s = SQ(base);
    int have = sq_have_table(s, "cx_attr_names", "attribute names");
    if (have <= 0) return have;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, get_sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "attribute names");
    int rc = sqlite3_step(st), ret = 0;
    /* '' sorts first: without it the note is not whole (or not of now) */
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 0) {
        ret = 1;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int stop = cb((const char *)sqlite3_column_text(st, 0), ctx);
            if (stop) {
                sqlite3_finalize(st);
                return stop;
            }
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) ret = sq_fail(s, "attribute names");
    sqlite3_finalize(st);
    return ret;
}

int sq_attr_names_note(store *base, const char *const *names, size_t n)
{
    sq_store *s = SQ(base);
    int empty = 0; /* a name '' (another program's) would read as the note's mark */
    for (size_t i = 0; i < n; i++) empty |= names[i][0] == '\0';
    if (!s->base.gen_at_commit || empty) { /* its generation unknown at the commit: no note */
        int have = sq_have_table(s, "cx_attr_names", "attribute names");
        if (have <= 0) return have;
        return sq_exec(s, "DELETE FROM cx_attr_names");
    }
    if (sq_exec(s, table_sql) != 0 || sq_exec(s, "DELETE FROM cx_attr_names") != 0) return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, put_sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "attribute names");
    int ret = 0;
    for (size_t i = 0; i <= n && ret == 0; i++) { /* '' first: the note is whole */
        sqlite3_bind_text(st, 1, i == 0 ? "" : names[i - 1], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, (s->gen_dirty & SQ_GEN_CHANGED) != 0); /* sq_gen_bump at the commit */
        if (sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(s->db) != 1)
            ret = sq_fail(s, "attribute names");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return ret;
}
