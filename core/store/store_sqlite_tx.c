/* store_sqlite_tx.c — the SQLite store's transactions: begin, commit,
 * rollback, and the first load of an empty store through a rollback
 * journal (store.h store_begin_load; docs/performance.md, "Import").
 * The bulk's writer thread is off the connection before a commit or
 * rollback; the generation is bumped at commit (store_sqlite_gen.c).
 */
#include "core/store/store_sqlite_int.h"

#include <stdio.h>

int sq_begin(store *base)
{
    sq_store *s = SQ(base);
    s->bulk_unique = 0; /* store_sqlite_seen.c: nothing known of this transaction yet */
    s->net_rows = 0;
    s->net_updated = s->net_rewrite = 0;
    s->last_net_known = 0;
    return sq_exec(s, "BEGIN IMMEDIATE");
}

/* PRAGMA journal_mode = MODE: 0 when the store is in MODE after it, else
 * -1 (another connection has the store open: WAL stays). */
static int journal(sq_store *s, const char *mode)
{
    char sql[64];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "PRAGMA journal_mode = %s", mode);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return -1;
    int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
             sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), mode) == 0;
    sqlite3_finalize(st);
    return ok ? 0 : -1;
}

/* Back to WAL after a load through the rollback journal.  When another
 * process holds the store just then, it stays in rollback mode until the
 * next opening for writing (open_read_write) switches it back. */
static void load_end(sq_store *s)
{
    if (!s->load_journal) return;
    s->load_journal = 0;
    sq_defer(s, 0);
    journal(s, "WAL");
    sq_exec(s, "PRAGMA synchronous = NORMAL");
}

/* A store with no response yet takes a load through a rollback journal:
 * the new pages go once into the store file (the journal keeps only the
 * few pages that existed), where WAL writes them twice, into the WAL and
 * at the checkpoint into the store (docs/performance.md, "Import").
 * synchronous FULL meanwhile: what rollback mode needs to survive a power
 * loss.  Readers wait meanwhile, but an empty store has nothing to read. */
int sq_begin_load(store *base)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    int empty = 0;
    if (s->base.gen_at_commit &&
        sqlite3_prepare_v2(s->db, "SELECT 1 FROM responses LIMIT 1", -1, &st, NULL) == SQLITE_OK) {
        empty = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    if (empty && journal(s, "DELETE") == 0) {
        s->load_journal = 1;
        sq_defer(s, 1);
        if (sq_exec(s, "PRAGMA synchronous = FULL") != 0) {
            load_end(s);
            return -1;
        }
    }
    int rc = sq_begin(base);
    if (rc != 0) load_end(s);
    return rc;
}
/* A transaction bumps the generation once, at its commit (store_sqlite_gen.c). */
int sq_commit(store *base)
{
    sq_store *s = SQ(base);
    if (sq_bulk_wait(s) != 0) return -1;
    if (sq_days_commit(s) != 0 || sq_gen_bump(s) != 0 || sq_exec(s, "COMMIT") != 0)
        return -1; /* the caller rolls back */
    sq_gen_committed(s);
    sq_days_forget(s);
    load_end(s);
    return 0;
}
int sq_rollback(store *base)
{
    sq_store *s = SQ(base);
    sq_bulk_wait(s); /* the bulk's writer thread must be off the connection */
    sq_gen_forget(s);
    sq_days_forget(s);
    int rc = sqlite3_get_autocommit(s->db) ? 0 : sq_exec(s, "ROLLBACK");
    load_end(s);
    return rc;
}
