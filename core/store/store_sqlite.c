/* store_sqlite.c — the SQLite backend of store.h: opening and closing a
 * store, and its row-by-row writes (responses, customers, spend, rejects,
 * the import log, sync state).
 *
 * One file, WAL journal; the schema and its migrations are in
 * store_sqlite_schema.c, transactions in store_sqlite_tx.c, the bulk
 * upsert of an import in store_sqlite_bulk*.c.  Every statement is
 * prepared once and bound; no SQL is ever built from data.  Attributes
 * are kept as a JSON object (cJSON) so BI tools can read them too.
 */
#include "core/store/store_attrs.h"
#include "core/store/store_sqlite_int.h"
#include "core/timeparse.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void sq_close(store *base);
static const store_ops sqlite_ops;

static const char *const queries[Q_COUNT] = {
    /* bound like Q_UPSERT (sq_bind_response): the stored updated_at, and 1
     * when the stored row equals the new one */
    [Q_GET_UPDATED] =
        "SELECT updated_at, updated_at = ?4 AND (responded_at, score, comment, customer_id, agent_id,"
        " channel, product, interaction_type, handle_time_s, moments, attributes, metric) IS"
        " (?3, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
        " FROM responses WHERE source = ?1 AND response_id = ?2",
    [Q_UPSERT] = "INSERT INTO responses(" SQ_RESPONSE_COLS ")"
                 " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)" SQ_ON_CONFLICT,
    [Q_CUSTOMER] = "INSERT INTO customers(customer_id, annual_value, attributes) VALUES (?1, ?2, ?3)"
                   " ON CONFLICT(customer_id) DO UPDATE SET annual_value = excluded.annual_value,"
                   " attributes = excluded.attributes",
    [Q_CUSTOMER_SAME] =
        "SELECT annual_value IS ?2 AND attributes IS ?3 FROM customers WHERE customer_id = ?1",
    [Q_SPEND_CLEAR] = "DELETE FROM spend WHERE source = ?1",
    [Q_SPEND_ADD] = "INSERT INTO spend(source, customer_id, day, amount) VALUES (?1, ?2, ?3, ?4)",
    [Q_REJECT] = "INSERT INTO rejects(source, at, location, reason, raw) VALUES (?1, ?2, ?3, ?4, ?5)",
    /* ?2 is "FILE:": the rejects at "FILE:LINE" */
    [Q_REJECTS_FORGET] =
        "DELETE FROM rejects WHERE source = ?1 AND substr(location, 1, length(?2)) = ?2"
        " AND length(location) > length(?2) AND substr(location, length(?2) + 1) NOT GLOB '*[^0-9]*'",
    [Q_IMPORT_LOG] = "INSERT INTO imports(at, kind, file, rows, inserted, replaced, ignored, rejected,"
                     " unchanged) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_CKPT_GET] = "SELECT checkpoint FROM sync_state WHERE source = ?1",
    [Q_CKPT_PUT] = "INSERT INTO sync_state(source, checkpoint) VALUES (?1, ?2)"
                   " ON CONFLICT(source) DO UPDATE SET checkpoint = excluded.checkpoint",
    [Q_CKPT_CLEAR] = "UPDATE sync_state SET checkpoint = NULL WHERE source = ?1",
    [Q_SYNC_RECORD] =
        "INSERT INTO sync_state(source, last_sync, last_fetched, last_error)"
        " VALUES (?1, CASE WHEN ?4 IS NULL THEN ?2 END, ?3, ?4)"
        " ON CONFLICT(source) DO UPDATE SET last_sync = coalesce(excluded.last_sync, sync_state.last_sync),"
        " last_fetched = excluded.last_fetched, last_error = excluded.last_error",
};

int sq_fail(sq_store *s, const char *what)
{
    snprintf(s->base.err, sizeof s->base.err, "store: %s: %s", what, sqlite3_errmsg(s->db));
    return -1;
}

int sq_exec(sq_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(s->base.err, sizeof s->base.err, "store: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* WAL with synchronous NORMAL.  While another process loads an empty
 * store through a rollback journal (store_sqlite_tx.c, sq_begin_load),
 * SQLite refuses the switch to WAL at once ("locked", without waiting for
 * the busy timeout): this connection then works in rollback mode, with
 * synchronous FULL (what that mode needs to survive a power loss), and its
 * writes wait for that load like any writer's; the load switches the store
 * back to WAL at its end, or the next opening for writing does. */
static int wal(sq_store *s)
{
    if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) == SQLITE_OK)
        return sq_exec(s, "PRAGMA synchronous = NORMAL");
    int e = sqlite3_errcode(s->db);
    if (e != SQLITE_BUSY && e != SQLITE_LOCKED) return sq_fail(s, "journal");
    return sq_exec(s, "PRAGMA synchronous = FULL");
}

/* Opens (creating) TARGET for reading and writing, WAL, migrated.
 *
 * In SQLite's multi-thread mode (SQLITE_OPEN_NOMUTEX): each call on the
 * connection then takes no mutex (a re-import that compares a million
 * stored rows in C, drop_range, made about 40 column calls a row and spent
 * a fifth of its time locking).  So one thread at a time uses it: the bulk
 * upsert hands it to its writer thread and takes it back through its own
 * mutex and condition (store_sqlite_bulk.c; every other bulk call waits
 * for the writer to be idle first), the spend and customer scans of a run
 * use a connection of their own or, without one, the scanning thread
 * alone while the run's thread only sums what it is handed
 * (store_sqlite_read.c own_conn, run/run_spend.c); no other thread of the
 * program touches the store. */
static int open_read_write(sq_store *s, const char *target, char *err, size_t errlen)
{
    s->vfs = sqlite3_vfs_find(SQ_VFS_NAME) != NULL;
    if (sqlite3_open_v2(target, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        s->vfs ? SQ_VFS_NAME : NULL) != SQLITE_OK) {
        snprintf(err, errlen, "store: %s: %s", target, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        return -1;
    }
    sqlite3_busy_timeout(s->db, 10000);
    /* One helper thread for SQLite's sorts: the sorted insert that ends an
     * import of ids in random order sorts on two cores (1M rows: 4.6 s ->
     * 3.3 s; two helpers 3.6 s); a SQLite built without them ignores it. */
    sqlite3_exec(s->db, "PRAGMA threads = 1", NULL, NULL, NULL);
    /* 16 KiB pages for a new store (an existing one keeps its own: the
     * pragma does nothing there): fewer B-tree pages to split and write per
     * imported row than 4 KiB (docs/performance.md, "Import"). */
    if (sq_exec(s, "PRAGMA page_size = 16384") != 0 || wal(s) != 0 || sq_migrate(s) != 0) {
        snprintf(err, errlen, "%s (%s)", s->base.err, target);
        return -1;
    }
    return 0;
}

/* SQLite's allocation statistics take a global mutex around every
 * malloc and free; nothing reads them, and a bulk import's sorts allocate
 * a great deal (docs/performance.md, "Import").  Before SQLite starts. */
static void no_memstatus(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)sq_vfs_register(); /* without it, the default VFS */
}

store *store_sqlite_open(const char *target, char *err, size_t errlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, no_memstatus);
    sq_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "store: out of memory");
        return NULL;
    }
    s->base.ops = &sqlite_ops;
    s->lock_fd = -1;
    s->flush_fd = -1;
    s->changed_max = SQ_CHANGED_MAX;
    if (!(s->path = strdup(target))) {
        snprintf(err, errlen, "store: out of memory");
        goto fail;
    }
    snprintf(s->base.backend, sizeof s->base.backend, "sqlite %s", sqlite3_libversion());
    if (sq_read_only_target(target)) {
        if (sq_open_read_only(s, target) != 0) goto fail_msg;
    } else if (open_read_write(s, target, err, errlen) != 0) {
        goto fail;
    } else {
        sq_gen_triggers(s, 0); /* this program bumps at commit (store_sqlite_gen.c) */
        s->base.gen_at_commit = 1;
    }
    for (int i = 0; i < Q_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, queries[i], -1, SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL) !=
            SQLITE_OK) {
            sq_fail(s, "prepare");
            goto fail_msg;
        }
    return &s->base;
fail_msg:
    snprintf(err, errlen, "%s (%s)", s->base.err, target);
fail:
    sq_close(&s->base);
    return NULL;
}

static void sq_close(store *base)
{
    sq_store *s = SQ(base);
    if (!s) return;
    for (int i = 0; i < Q_COUNT; i++) sqlite3_finalize(s->q[i]);
    sq_bulk_close(s);
    sq_flush_close(s, sqlite3_close(s->db) == SQLITE_OK);
    sq_locks_close(s);
    free(s->changed);
    sq_days_forget(s);
    free(s->path);
    free(s);
}

int sq_step_done(sq_store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : sq_fail(s, what);
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

int sq_bind_response(sqlite3_stmt *u, const cx_response *r, char **attrs)
{
    char moments[CX_MAX_MOMENTS * 12];
    cx_format_moments(r->moments, r->n_moments, moments, sizeof moments);
    if (!(*attrs = attrs_to_json(r->attrs, r->n_attrs))) return -1;
    sq_bind_text(u, 1, r->source);
    sq_bind_text(u, 2, r->response_id);
    sqlite3_bind_int64(u, 3, r->responded_at);
    sqlite3_bind_int64(u, 4, r->updated_at);
    sqlite3_bind_int(u, 5, time_month_key(r->responded_at));
    sqlite3_bind_int(u, 6, r->score);
    sq_bind_text(u, 7, r->comment);
    sq_bind_text(u, 8, r->customer_id);
    sq_bind_text(u, 9, r->agent_id);
    sq_bind_text(u, 10, r->channel);
    sq_bind_text(u, 11, r->product);
    sq_bind_text(u, 12, r->interaction_type);
    if (r->has_handle_time) sqlite3_bind_double(u, 13, r->handle_time_s);
    else sqlite3_bind_null(u, 13);
    sqlite3_bind_text(u, 14, moments, -1, SQLITE_TRANSIENT);
    sq_bind_text(u, 15, *attrs);
    sqlite3_bind_text(u, 16, cx_metric_code(r->metric), -1, SQLITE_STATIC);
    return 0;
}

static int sq_upsert_response(store *base, const cx_response *r, store_upsert_result *res)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *g = s->q[Q_GET_UPDATED], *u = s->q[Q_UPSERT];
    char *attrs;
    if (sq_bind_response(g, r, &attrs) != 0) {
        snprintf(s->base.err, sizeof s->base.err, "store: out of memory");
        return -1;
    }
    int rc = sqlite3_step(g);
    int exists = rc == SQLITE_ROW;
    sqlite3_int64 old = exists ? sqlite3_column_int64(g, 0) : 0;
    int same = exists && sqlite3_column_int(g, 1);
    sqlite3_reset(g);
    free(attrs);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sq_fail(s, "upsert");
    /* older than the stored row, or equal to it: nothing to write */
    if (exists && (old > r->updated_at || same)) {
        *res = same ? STORE_UNCHANGED : STORE_IGNORED;
        return 0;
    }
    *res = exists ? STORE_REPLACED : STORE_INSERTED;
    if (sq_bind_response(u, r, &attrs) != 0) {
        snprintf(s->base.err, sizeof s->base.err, "store: out of memory");
        return -1;
    }
    rc = sq_step_done(s, u, "upsert");
    free(attrs);
    return rc;
}

static int sq_upsert_customer(store *base, const char *customer_id, double annual_value, const cx_attr *attrs,
                              size_t n_attrs)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st = s->q[Q_CUSTOMER];
    char *json = attrs_to_json(attrs, n_attrs);
    if (!json) {
        snprintf(s->base.err, sizeof s->base.err, "store: out of memory");
        return -1;
    }
    /* new, changed or the same as stored (store_customer_counts) */
    sqlite3_stmt *same = s->q[Q_CUSTOMER_SAME];
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *q = i ? st : same;
        sq_bind_text(q, 1, customer_id);
        if (isnan(annual_value)) sqlite3_bind_null(q, 2);
        else sqlite3_bind_double(q, 2, annual_value);
        sq_bind_text(q, 3, json);
    }
    int rc = sqlite3_step(same);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_int(same, 0)) s->base.cust.ignored++;
        else s->base.cust.replaced++;
    } else if (rc == SQLITE_DONE) {
        s->base.cust.inserted++;
    }
    sqlite3_reset(same);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? sq_step_done(s, st, "customer") : sq_fail(s, "customer");
    free(json);
    return rc;
}

static long long sq_spend_clear(store *base, const char *source)
{
    sq_store *s = SQ(base);
    if (sq_spend_keep_old(s, source) != 0 || sq_days_cleared(s, source) != 0) return -1;
    sq_bind_text(s->q[Q_SPEND_CLEAR], 1, source);
    if (sq_step_done(s, s->q[Q_SPEND_CLEAR], "spend") != 0) return -1;
    return sqlite3_changes(s->db); /* rows the DELETE removed */
}

static int sq_add_spend(store *base, const char *source, const char *customer_id, int64_t day, double amount)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st = s->q[Q_SPEND_ADD];
    if (sq_days_drop(s, source) != 0) return -1;
    sq_bind_text(st, 1, source);
    sq_bind_text(st, 2, customer_id);
    sqlite3_bind_int64(st, 3, day);
    sqlite3_bind_double(st, 4, amount);
    return sq_step_done(s, st, "spend");
}

static long long sq_rejects_forget(store *base, const char *source, const char *file)
{
    sq_store *s = SQ(base);
    size_t n = strlen(file);
    char *prefix = malloc(n + 2);
    if (!prefix) {
        snprintf(s->base.err, sizeof s->base.err, "store: rejects: out of memory");
        return -1;
    }
    memcpy(prefix, file, n);
    memcpy(prefix + n, ":", 2);
    sqlite3_stmt *st = s->q[Q_REJECTS_FORGET];
    sq_bind_text(st, 1, source);
    sqlite3_bind_text(st, 2, prefix, -1, SQLITE_TRANSIENT);
    free(prefix);
    if (sq_step_done(s, st, "rejects") != 0) return -1;
    return sqlite3_changes(s->db);
}

static int sq_add_reject(store *base, const char *source, const char *where, const char *reason,
                         const char *raw, size_t raw_len)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st = s->q[Q_REJECT];
    if (sq_bulk_wait(s) != 0) return -1;
    sq_bind_text(st, 1, source);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
    sq_bind_text(st, 3, where);
    sq_bind_text(st, 4, reason);
    sqlite3_bind_blob64(st, 5, raw ? raw : "", raw ? raw_len : 0, SQLITE_STATIC);
    return sq_step_done(s, st, "reject");
}

static int sq_log_import(store *base, const store_import_stats *x)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st = s->q[Q_IMPORT_LOG];
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    sq_bind_text(st, 2, x->kind);
    sq_bind_text(st, 3, x->file);
    const long long counts[] = {x->rows, x->inserted, x->replaced, x->ignored, x->rejected, x->unchanged};
    for (int i = 0; i < 6; i++) sqlite3_bind_int64(st, 4 + i, counts[i]);
    return sq_step_done(s, st, "import log");
}

static const store_ops sqlite_ops = {
    .read = &sq_read_ops,
    .grow = &sq_grow_ops,
    .close = sq_close,
    .begin = sq_begin,
    .begin_load = sq_begin_load,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .upsert_response = sq_upsert_response,
    .upsert_customer = sq_upsert_customer,
    .spend_clear = sq_spend_clear,
    .add_spend = sq_add_spend,
    .add_reject = sq_add_reject,
    .rejects_forget = sq_rejects_forget,
    .log_import = sq_log_import,
    .checkpoint_get = sq_checkpoint_get,
    .checkpoint_put = sq_checkpoint_put,
    .checkpoint_clear = sq_checkpoint_clear,
    .sync_record = sq_sync_record,
    .get_status = sq_get_status,
    .lock_source = sq_lock_source,
    .unlock_source = sq_unlock_source,
    .bulk_begin = sq_bulk_begin,
    .bulk_add = sq_bulk_add,
    .bulk_end = sq_bulk_end,
    .held_by = sq_held_by,
    .bulk_set_aside = sq_bulk_set_aside,
    .spend_counts = sq_spend_counts,
    .generation = sq_generation,
    .count_nps = sq_nps_counts,
    .score_counts = sq_score_counts,
    .has_customers = sq_has_customers,
    .import_seen_get = sq_import_seen_get,
    .import_seen_put = sq_import_seen_put,
    .attr_names_noted = sq_attr_names_noted,
    .attr_names_note = sq_attr_names_note,
    .rejects_again = sq_rejects_again,
};
