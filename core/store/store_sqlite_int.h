/* store_sqlite_int.h — internals shared by the SQLite backend's files:
 * store_sqlite.c (open, writes), store_sqlite_read.c and store_sqlite_scan.c (scans),
 * store_sqlite_bulk.c (bulk upserts), store_sqlite_counts.c (NPS counts),
 * store_sqlite_agg.c (score counts, sync locks), store_sqlite_status.c
 * (status), store_sqlite_ro.c (opening a store read-only),
 * store_sqlite_seen.c (a file imported again unchanged).
 * Not for use outside core/store/store_sqlite*.c.
 */
#ifndef CX_STORE_SQLITE_INT_H
#define CX_STORE_SQLITE_INT_H

#include <sqlite3.h>
#include "core/store/store_int.h"

enum {
    Q_GET_UPDATED,
    Q_UPSERT,
    Q_CUSTOMER,
    Q_SPEND_CLEAR,
    Q_SPEND_ADD,
    Q_REJECT,
    Q_REJECTS_FORGET,
    Q_IMPORT_LOG,
    Q_CKPT_GET,
    Q_CKPT_PUT,
    Q_CKPT_CLEAR,
    Q_SYNC_RECORD,
    Q_CUSTOMER_SAME,
    Q_COUNT
};

typedef struct sq_store {
    store base; /* first: a store * is a sq_store * */
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    char *path;            /* the database file, for the sync lock file */
    int lock_fd;           /* "<path>-sync", -1 until a source is locked */
    struct sq_bulk *bulk;  /* the running bulk upsert's state (store_sqlite_bulk.c), or NULL */
    long long bulk_rows;   /* rows staged by it */
    store_srcset bulk_src; /* their sources */
    int gen_dirty;         /* SQ_GEN_*: what the open transaction changed (store_sqlite_gen.c) */
    long long *changed;    /* the rowids of the responses it updated (n_changed of them) */
    size_t n_changed, cap_changed;
    size_t changed_max; /* keys noted at most, in a transaction and in cx_changed (SQ_CHANGED_MAX) */
    int flush_fd;       /* store_sqlite_flush.c: -1, or the store file opened once more */
    /* the rows of responses the open transaction inserted less those it
     * deleted (the update hook), and the same of the last one committed
     * (last_net_known: 0 when none, or the hook is blind) */
    long long net_rows, last_net;
    int net_updated, net_rewrite, last_net_known;
    int bulk_unique;  /* the last bulk ended with no key twice (store_sqlite_seen.c) */
    int load_journal; /* store_begin_load left WAL for a rollback journal: back at the end */
    int vfs;          /* opened through SQ_VFS_NAME (store_sqlite_vfs.c) */
    /* store_sqlite_days.c: the spend source whose row of cx_spend_days this
     * transaction dropped, and the one it replaced (noted at commit) */
    char *days_dropped, *days_cleared;
} sq_store;

static inline sq_store *SQ(store *s) { return (sq_store *)s; }

static inline const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* The content of a response in table T but its key and updated_at (month
 * follows responded_at). */
#define SQ_CONTENT(t)                                                                                       \
    "(" t ".responded_at, " t ".score, " t ".comment, " t ".customer_id, " t ".agent_id, " t ".channel, " t \
    ".product, " t ".interaction_type, " t ".handle_time_s, " t ".moments, " t ".attributes, " t ".metric)"
/* The columns of responses in the order sq_bind_response binds them, and
 * the upsert's conflict clause: newer-or-equal updated_at wins, but a row
 * equal to the stored one is not written again (an UPDATE would tell the
 * generation a response changed: store_sqlite_gen.c). */
#define SQ_RESPONSE_COLS                                                                 \
    "source, response_id, responded_at, updated_at, month, score, comment, customer_id," \
    " agent_id, channel, product, interaction_type, handle_time_s, moments, attributes, metric"
#define SQ_ON_CONFLICT                                                                                 \
    " ON CONFLICT(source, response_id) DO UPDATE SET responded_at = excluded.responded_at,"            \
    " updated_at = excluded.updated_at, month = excluded.month, score = excluded.score,"               \
    " comment = excluded.comment, customer_id = excluded.customer_id,"                                 \
    " agent_id = excluded.agent_id, channel = excluded.channel, product = excluded.product,"           \
    " interaction_type = excluded.interaction_type, handle_time_s = excluded.handle_time_s,"           \
    " moments = excluded.moments, attributes = excluded.attributes, metric = excluded.metric"          \
    " WHERE excluded.updated_at > responses.updated_at OR (excluded.updated_at = responses.updated_at" \
    " AND " SQ_CONTENT("excluded") " IS NOT " SQ_CONTENT("responses") ")"

/* store_sqlite.c: runs a prepared write statement to completion and
 * resets it (0, or -1 with s->err for WHAT); binds V ("" for NULL) to
 * parameter I, not copied. */
int sq_step_done(sq_store *s, sqlite3_stmt *st, const char *what);
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* store_sqlite_sync.c: the sync state ops of store.h. */
int sq_checkpoint_get(store *base, const char *source, char **out);
int sq_checkpoint_put(store *base, const char *source, const char *checkpoint);
int sq_checkpoint_clear(store *base, const char *source);
int sq_sync_record(store *base, const char *source, int64_t at, long long fetched, const char *error);
/* store_sqlite.c: sets s->err to "store: WHAT: <SQLite's message>"; -1. */
int sq_fail(sq_store *s, const char *what);
/* store_sqlite.c: runs SQL (no rows); 0, or -1 with s->err set. */
int sq_exec(sq_store *s, const char *sql);
/* store_sqlite_schema.c: 1 when the store has table NAME, 0 when not, -1
 * (WHAT names the step in the error). */
int sq_have_table(sq_store *s, const char *name, const char *what);

/* store_sqlite_schema.c: migrates the store forward to
 * STORE_SCHEMA_VERSION (nothing, and no write lock, when it is there). */
int sq_migrate(sq_store *s);

/* store_sqlite_tx.c: the transaction ops of store.h. */
int sq_begin(store *base);
int sq_begin_load(store *base);
int sq_commit(store *base);
int sq_rollback(store *base);

/* store_sqlite.c: binds R to the 16 parameters of an insert into
 * responses (the order of Q_UPSERT); *ATTRS gets the attribute JSON, bound
 * without a copy: free it after the step.  -1 when out of memory. */
int sq_bind_response(sqlite3_stmt *u, const cx_response *r, char **attrs);

/* store_sqlite_read.c */
/* One row of a statement, in sq_each_row: 0 goes on, anything else ends
 * the statement with that value. */
typedef int (*sq_row_fn)(sq_store *s, sqlite3_stmt *st, void *ctx);
/* Steps ST (prepared and bound) to its end, giving each row to ROW until
 * one returns nonzero, and finalizes it: that value, -1 when a step failed
 * (sq_fail with WHAT), else 0. */
int sq_each_row(sq_store *s, sqlite3_stmt *st, const char *what, sq_row_fn row, void *ctx);
/* A read-only connection of a scan's own, or NULL: the scan then uses
 * the store's (store_sqlite_read.c says when). */
sqlite3 *sq_own_conn(sq_store *s);
extern const store_read_ops sq_read_ops; /* store_sqlite_read.c */
/* store_sqlite_scan.c: the responses in key order (store.h
 * store_scan_responses). */
int sq_scan_responses(store *s, const store_filter *f, store_response_cb cb, void *ctx);

/* store_sqlite_status.c */
int sq_get_status(store *s, store_status *st);
int sq_has_customers(store *s);

/* store_sqlite_agg.c */
int sq_lock_source(store *s, const char *source, int wait);
int sq_unlock_source(store *s, const char *source);
void sq_locks_close(sq_store *s);
int sq_score_counts(store *s, const store_filter *f, store_score_cb cb, void *ctx);

/* store_sqlite_bulk.c */
int sq_bulk_begin(store *s);
int sq_bulk_add(store *s, const cx_response *r);
int sq_bulk_end(store *s, store_bulk_counts *c);
/* Writes the bulk's rows added so far (the held check of set-aside rows
 * included); 0 or -1. */
int sq_bulk_flush(sq_store *s);
/* The rows set aside before store_bulk_end while loading straight into
 * responses: each passed to CB in order; *N their number.  0 or -1. */
int sq_bulk_direct_held(sq_store *s, store_held_cb cb, void *ctx, long long *n);
/* Waits for the bulk's writer thread to be idle (its rows written); every
 * other use of the connection during a bulk calls it first.  0, or -1
 * when the writer failed. */
int sq_bulk_wait(sq_store *s);
/* 1 when the running bulk stages its rows in temp.cx_stage. */
int sq_bulk_staging(const sq_store *s);
/* store_sqlite_held.c */
int sq_held_by(store *s, const char *source, const char *response_id, char *buf, size_t cap);
int sq_bulk_set_aside(store *s, store_held_cb cb, void *ctx, long long *n);
/* store_sqlite_spend.c */
int sq_spend_keep_old(sq_store *s, const char *source);
int sq_spend_counts(store *s, const char *source, store_bulk_counts *c);
void sq_bulk_close(sq_store *s);

/* store_sqlite_seen.c */
int sq_import_seen_get(store *s, const char *source, const char *file, const char *digest,
                       store_import_seen *v);
int sq_import_seen_put(store *s, const char *source, const char *file, const char *digest,
                       const store_import_seen *v);
/* store_sqlite_names.c: store_attr_names_noted/note. */
int sq_attr_names_noted(store *s, store_name_cb cb, void *ctx);
int sq_attr_names_note(store *s, const char *const *names, size_t n);
long long sq_rejects_again(store *s, const char *source, const char *file, store_reject_cb cb, void *ctx);

/* store_sqlite_ro.c */
int sq_read_only_target(const char *path);
int sq_open_read_only(sq_store *s, const char *path);

/* store_sqlite_counts.c */
int sq_nps_counts(store *s, const store_filter *f, const char *const *dims, size_t n_dims, store_nps_cb cb,
                  void *ctx);

/* store_sqlite_gen.c: the generation (store.h store_generation).  The
 * migration that adds it; a bump (in the open transaction); this
 * connection's triggers on (1) or off (0, for good once opened for
 * writing): another program's write bumps the generation once per row
 * through them, this program's transactions once at their commit (and
 * store.c runs its writes outside one in one of their own). */
#define SQ_GENERATION_MIGRATION                                                                         \
    "CREATE TABLE cx_generation (one INTEGER PRIMARY KEY CHECK (one = 1), n INTEGER NOT NULL,"          \
    " store_id TEXT NOT NULL);"                                                                         \
    "INSERT INTO cx_generation VALUES (1, 0, lower(hex(randomblob(16))));" SQ_GEN_TRIGGERS("responses") \
        SQ_GEN_TRIGGERS("customers") SQ_GEN_TRIGGERS("spend")
#define SQ_GEN_TRIGGERS(t) SQ_GEN_TRIGGER(t, "insert") SQ_GEN_TRIGGER(t, "update") SQ_GEN_TRIGGER(t, "delete")
#define SQ_GEN_TRIGGER(t, op) \
    "CREATE TRIGGER cx_gen_" t "_" op " AFTER " op " ON " t " BEGIN UPDATE cx_generation SET n = n + 1; END;"
/* What a transaction changed, as the update hook saw it: a row of
 * responses (the generation moves only then). */
#define SQ_GEN_CHANGED 1
/* Bumps the generation when the open transaction changed a row the
 * analyses read (nothing when it changed none: an unchanged re-import
 * keeps the cache), and forgets what it saw.  0, or -1 with the error. */
#define SQ_GEN_REWRITE 2 /* a row of responses deleted, or updated beyond the keys noted */
#define SQ_GEN_BLIND 4   /* the hook cannot see responses: every commit bumps, as a rewrite */
int sq_gen_bump(sq_store *s);
/* store_sqlite_flush.c: S's descriptor of its store file on which
 * sq_flush_start asks the kernel to start writing its dirty pages back,
 * opened on first use and kept until sq_flush_close, after sqlite3_close
 * (-1 where it cannot be had). */
int sq_flush_fd(sq_store *s);
void sq_flush_start(int fd);
void sq_flush_close(sq_store *s, int db_closed);
/* store_sqlite_vfs.c: the VFS of the writing connection (the default one,
 * passed through) and the file control that turns the store file's
 * deferred writes on (*(int *)arg: a descriptor of the file, opened for
 * writing, that the thread writes through with O_DIRECT) or off (-1,
 * after writing them).
 * sq_defer sends it to S's store file; nothing when it fails. */
#define SQ_VFS_NAME "cxpulse"
#define SQ_FCNTL_DEFER 0x43580001
/* *(long long *)arg: the pages the writing thread has written into the
 * file since it was opened (tests). */
#define SQ_FCNTL_DEFERRED 0x43580002
/* *(long long *)arg: reads answered from the kept interior pages since
 * the deferral began (sqd_forget; tests). */
#define SQ_FCNTL_KEPT_READS 0x43580003
int sq_vfs_register(void);
void sq_defer(sq_store *s, int on);
/* store_sqlite_defer.c: the slots and the thread of a deferral.  begin:
 * REAL's pages to be written through FD with O_DIRECT (NULL: no
 * deferral, O_DIRECT refused or no memory or thread).  write: SQLITE_OK
 * (the page waits), SQLITE_NOTFOUND (not a page that may wait: write it
 * straight after drain), else a failed write's code, which every later
 * write and drain returns too.  drain: waits until every page given is
 * written.  end: drain, the thread stopped, FD's flags put back, the
 * pages written added to *PAGES, D freed.  pages: written so far. */
typedef struct sq_defer_q sq_defer_q;
sq_defer_q *sqd_begin(sqlite3_file *real, int fd);
int sqd_write(sq_defer_q *d, const void *p, int n, sqlite3_int64 off);
int sqd_drain(sq_defer_q *d);
/* A read of N bytes at OFF within one page, where pages wait: SQLITE_OK
 * with the bytes of the latest write of that page still waiting or being
 * written; SQLITE_DONE when none is (the file holds the page's last
 * write: read it there at once, nothing drained, then call sqd_read_end);
 * SQLITE_NOTFOUND when the read is not within one page of the waiting
 * size, or the thread writes through the root VFS (drain, then read); or
 * a failed write's code. */
int sqd_read(sq_defer_q *d, void *p, int n, sqlite3_int64 off);
void sqd_read_end(sq_defer_q *d);
/* Interior B-tree pages are also kept in memory as last given, and read
 * from there (the file does not hold them in the page cache).  forget: a
 * write straight through the root VFS over N bytes at OFF (N < 0: a
 * truncation at OFF) makes them forget those pages.  kept_reads: reads
 * answered from them (tests). */
void sqd_forget(sq_defer_q *d, sqlite3_int64 off, sqlite3_int64 n);
long long sqd_kept_reads(sq_defer_q *d);
int sqd_end(sq_defer_q *d, long long *pages);
long long sqd_pages(sq_defer_q *d);
/* Forgets what the transaction changed (after a rollback). */
void sq_gen_forget(sq_store *s);
/* After the COMMIT: the rows it added, net, kept for store_last_net_rows. */
void sq_gen_committed(sq_store *s);
/* After a DELETE of rows of responses this transaction inserted itself (a
 * bulk taking back what it loaded straight, to sort or stage it): that is
 * no rewrite of the store as it was, so the rewrite mark goes back to what
 * it was before it (WAS: s->gen_dirty then), and a cache of the store
 * before may still be extended. */
void sq_gen_own_delete(sq_store *s, int was);
/* Turns this connection's triggers off for good and watches its writes
 * (sqlite3_update_hook) instead. */
void sq_gen_triggers(sq_store *s, int on);
/* Around a statement that only inserts rows into responses (a bulk's
 * load straight): the watch off (1 when it was on), then on again, noting
 * the INSERTED rows as it would have one by one (0 when the statement was
 * undone).  The hook's two strcmp a row were a percent of a load. */
int sq_gen_watch_off(sq_store *s);
void sq_gen_watch_on(sq_store *s, int was, long long inserted);
int sq_generation(store *s, char *id, char *gen);
/* Generation GEN (as sq_generation writes it) into *G: 0, or -1 when it is
 * not a number. */
int sq_gen_number(const char *gen, long long *g);
/* 8 -> 9: cx_generation.salt, a random number each generation takes, and
 * cx_lineage, the (n, salt) of the recent generations (store_sqlite_gen.c);
 * the triggers that move the generation take a salt and note it too. */
#define SQ_LINEAGE_KEEP "100000" /* generations of the lineage kept */
#define SQ_LINEAGE_NOTE \
    "INSERT OR REPLACE INTO cx_lineage (n, salt) SELECT n, salt FROM cx_generation WHERE one = 1;"
#define SQ_SALT_MIGRATION                                                                     \
    "ALTER TABLE cx_generation ADD COLUMN salt INTEGER NOT NULL DEFAULT 0;"                   \
    "UPDATE cx_generation SET salt = random();"                                               \
    "CREATE TABLE cx_lineage (n INTEGER PRIMARY KEY, salt INTEGER NOT NULL);" SQ_LINEAGE_NOTE \
    "DROP TRIGGER cx_gen_responses_insert; DROP TRIGGER cx_gen_responses_update;"             \
    "DROP TRIGGER cx_gen_responses_delete; DROP TRIGGER cx_changed_update;"                   \
    "DROP TRIGGER cx_changed_delete;"                                                         \
    "CREATE TRIGGER cx_gen_responses_insert AFTER insert ON responses"                        \
    " BEGIN UPDATE cx_generation SET n = n + 1, salt = random(); " SQ_LINEAGE_NOTE            \
    " END;" SQ_SALT_TRIGGER("cx_gen_responses_update", "update", "responses")                 \
        SQ_SALT_TRIGGER("cx_gen_responses_delete", "delete", "responses")                     \
            SQ_SALT_TRIGGER("cx_changed_update", "update", "cx_changed")                      \
                SQ_SALT_TRIGGER("cx_changed_delete", "delete", "cx_changed")
#define SQ_SALT_TRIGGER(name, op, t)                                                          \
    "CREATE TRIGGER " name " AFTER " op " ON " t " BEGIN UPDATE cx_generation SET n = n + 1," \
    " rewritten = n + 1, salt = random(); " SQ_LINEAGE_NOTE " END;"
/* 3 -> 4: cx_generation.rewritten, the generation of the last update or
 * delete of a response (this program's at commit, another's through its
 * triggers); customers and spend no longer move the generation (the
 * cache holds only responses). */
#define SQ_REWRITTEN_MIGRATION                                                                             \
    "ALTER TABLE cx_generation ADD COLUMN rewritten INTEGER NOT NULL DEFAULT 0;"                           \
    "UPDATE cx_generation SET rewritten = n;"                                                              \
    "DROP TRIGGER cx_gen_responses_update; DROP TRIGGER cx_gen_responses_delete;"                          \
    "DROP TRIGGER cx_gen_customers_insert; DROP TRIGGER cx_gen_customers_update;"                          \
    "DROP TRIGGER cx_gen_customers_delete; DROP TRIGGER cx_gen_spend_insert;"                              \
    "DROP TRIGGER cx_gen_spend_update; DROP TRIGGER cx_gen_spend_delete;" SQ_GEN_REWRITE_TRIGGER("update") \
        SQ_GEN_REWRITE_TRIGGER("delete")
#define SQ_GEN_REWRITE_TRIGGER(op)                                     \
    "CREATE TRIGGER cx_gen_responses_" op " AFTER " op " ON responses" \
    " BEGIN UPDATE cx_generation SET n = n + 1, rewritten = n + 1; END;"
/* store_sqlite_days.c: each spend source's first and last day
 * (cx_spend_days).  sq_days_drop: the first spend write of a transaction
 * to SOURCE drops its row; sq_days_cleared: the transaction replaces
 * SOURCE's rows (its row noted again by sq_days_commit, just before the
 * commit); sq_days_forget: at the transaction's end.  sq_spend_range:
 * store.h store_spend_range.  0, -1 with the error. */
int sq_days_drop(sq_store *s, const char *source);
int sq_days_cleared(sq_store *s, const char *source);
int sq_days_commit(sq_store *s);
void sq_days_forget(sq_store *s);
int sq_spend_range(store *base, int64_t *first, int64_t *last);
/* 5 -> 6: cx_spend_days, and the triggers that drop a source's row when
 * another program writes its spend (cxpulse's connection runs none). */
#define SQ_DAYS_MIGRATION                                                                                  \
    "CREATE TABLE cx_spend_days (source TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL);" \
    "CREATE TRIGGER cx_spend_days_insert AFTER INSERT ON spend"                                            \
    " BEGIN DELETE FROM cx_spend_days WHERE source = NEW.source; END;"                                     \
    "CREATE TRIGGER cx_spend_days_update AFTER UPDATE ON spend"                                            \
    " BEGIN DELETE FROM cx_spend_days WHERE source IN (OLD.source, NEW.source); END;"                      \
    "CREATE TRIGGER cx_spend_days_delete AFTER DELETE ON spend"                                            \
    " BEGIN DELETE FROM cx_spend_days WHERE source = OLD.source; END;"
/* 4 -> 5: cx_changed, the keys of the responses this program updated in
 * place, with the generation that did (store_sqlite_gen.c): a cache of
 * an older generation is patched with their rows instead of rebuilt.
 * Another program that deletes or edits a noted key makes every older
 * cache be rebuilt (its triggers; this program's connection has none). */
#define SQ_CHANGED_MIGRATION                                                                                               \
    "CREATE TABLE cx_changed (gen INTEGER NOT NULL, source TEXT NOT NULL, response_id TEXT NOT NULL);" SQ_CHANGED_TRIGGER( \
        "update") SQ_CHANGED_TRIGGER("delete")
#define SQ_CHANGED_TRIGGER(op)                                    \
    "CREATE TRIGGER cx_changed_" op " AFTER " op " ON cx_changed" \
    " BEGIN UPDATE cx_generation SET n = n + 1, rewritten = n + 1; END;"
/* A condition on a row of responses: its key was noted after generation
 * G (an SQL expression). */
#define SQ_CHANGED_SINCE(g) \
    "(source, response_id) IN (SELECT source, response_id FROM cx_changed WHERE gen > " g ")"
/* The rows a cache of generation ?2 with row mark ?1 lacks or holds in
 * an older state (store_appended): those after the mark, and those at or
 * before it whose key was noted since, each once; their columns COLS,
 * sorted apart by the caller ("+source, +response_id": not by walking the
 * key's index, which SQLite would read whole, the old rows' entries too). */
#define SQ_APPENDED_ROWS(cols)                                                                  \
    "(SELECT " cols " FROM responses WHERE rowid > ?1 UNION ALL SELECT " cols " FROM responses" \
    " WHERE rowid <= ?1 AND " SQ_CHANGED_SINCE("?2") ")"
/* The keys noted at most, in one transaction and in cx_changed: past it a
 * transaction counts as a rewrite (and empties cx_changed). */
#define SQ_CHANGED_MAX 100000
/* store.h store_row_mark, store_appended, store_scan_appended. */
extern const store_grow_ops sq_grow_ops;
/* store_sqlite_scan.c: the responses after rowid MARK and those changed
 * since generation GEN, as sq_scan_responses; every response in the
 * table's order (STORE_SCAN_DISORDER at the first out of key order). */
int sq_scan_appended(store *s, const char *gen, long long mark, store_response_cb cb, void *ctx);
int sq_scan_table(store *s, store_response_cb cb, void *ctx);

#endif
