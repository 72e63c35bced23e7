/* store_sqlite_gen.c — the SQLite backend's generation (store.h
 * store_generation, docs/cache.md): a one-row table cx_generation holding
 * the store's random id and a counter.  This program's transactions bump
 * the counter once, just before their COMMIT (store_sqlite.c); writes by
 * any other program (the sqlite3 shell, a BI tool) bump it through per-row
 * triggers, which this program's connection turns off, so an import pays
 * one UPDATE, not one per row.  This program's writes made outside a
 * transaction get one of their own from store.c (gen_at_commit), so they
 * bump too.  The cache holds only the responses (customers and spend are
 * read from the store on every run), so a transaction of this program
 * that changed no row of responses (an unchanged re-import: it writes
 * only its log line; an import of customers or spend) does not bump:
 * SQLite's update hook says which tables a statement changed a row of
 * (responses is a rowid table, written without REPLACE and never emptied
 * by a DELETE without WHERE, the cases the hook does not see).  A bulk's
 * load straight, which only inserts rows of responses, turns the hook off
 * and notes them by SQLite's count of the statement's changes
 * (sq_gen_watch_off).
 *
 * cx_generation.rewritten is the generation of the last transaction that
 * deleted a response, or updated one without noting its key (the hook's
 * DELETE, more updates than SQ_CHANGED_MAX, the other programs' update and
 * delete triggers).  The keys of the responses this program updates in
 * place (an import's newer rows) are noted in cx_changed with the
 * generation of their transaction: the hook keeps their rowids, and the
 * bump reads their keys (an upsert never changes a key).  A cache built at
 * generation G, when the store's rewritten is still <= G, lacks only the
 * rows inserted since — those after the greatest rowid it saw (SQLite
 * numbers a new row after the greatest), checked by counting — and holds
 * an older state of the rows whose keys were noted after G.
 */
#include "core/store/store_sqlite_int.h"
#include "core/xsort.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rowid_cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* The keys of the rows the transaction updated into cx_changed, with the
 * generation it is about to take.  0, 1 when there are more than
 * changed_max in all (a rewrite then), or -1 with the error. */
static int note_changed(sq_store *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(
            s->db,
            "INSERT INTO cx_changed (gen, source, response_id) SELECT g.n + 1, r.source,"
            " r.response_id FROM cx_generation g, responses r WHERE g.one = 1 AND r.rowid = ?1",
            -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "generation");
    cx_qsort(s->changed, s->n_changed, sizeof *s->changed, rowid_cmp);
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < s->n_changed && rc == SQLITE_DONE; i++) {
        if (i && s->changed[i] == s->changed[i - 1]) continue;
        sqlite3_bind_int64(st, 1, s->changed[i]);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return sq_fail(s, "generation");
    long long n;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM cx_changed", -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "generation");
    rc = sqlite3_step(st);
    n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return sq_fail(s, "generation");
    return n > (long long)s->changed_max;
}

int sq_gen_bump(sq_store *s)
{
    char *msg = NULL;
    int dirty = s->gen_dirty;
    s->gen_dirty &= SQ_GEN_BLIND;
    if (dirty & SQ_GEN_BLIND) dirty |= SQ_GEN_CHANGED | SQ_GEN_REWRITE;
    int noted = dirty & SQ_GEN_CHANGED && !(dirty & SQ_GEN_REWRITE) && s->n_changed ? note_changed(s) : 0;
    s->n_changed = 0;
    if (noted < 0) return -1;
    if (noted) dirty |= SQ_GEN_REWRITE;
    s->net_rewrite = (dirty & SQ_GEN_REWRITE) != 0; /* sq_gen_committed */
    if (!(dirty & SQ_GEN_CHANGED)) return 0;
        /* after a rewrite every older cache is rebuilt: the keys noted
     * before it are read no more */
        /* each generation a salt of its own, noted in the lineage (kept for
     * the last SQ_LINEAGE_KEEP generations: an older cache is rebuilt) */
#define SQ_GEN_SALTED                                                                                       \
    ", salt = random(); " SQ_LINEAGE_NOTE " DELETE FROM cx_lineage WHERE n <= (SELECT n FROM cx_generation" \
    " WHERE one = 1) - " SQ_LINEAGE_KEEP ";"
    const char *sql = dirty & SQ_GEN_REWRITE
                          ? "UPDATE cx_generation SET n = n + 1, rewritten = n + 1" SQ_GEN_SALTED
                            " DELETE FROM cx_changed"
                          : "UPDATE cx_generation SET n = n + 1" SQ_GEN_SALTED;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(s->base.err, sizeof s->base.err, "store: generation: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

void sq_gen_forget(sq_store *s)
{
    s->gen_dirty &= SQ_GEN_BLIND;
    s->n_changed = 0;
    s->net_rows = 0;
    s->net_updated = s->net_rewrite = 0;
    s->last_net_known = 0;
}

void sq_gen_committed(sq_store *s)
{
    s->last_net = s->net_rows;
    /* the hook on, and the transaction only inserted rows or deleted its
     * own (no update, no rewrite): the store holds LAST_NET more */
    s->last_net_known =
        s->base.gen_at_commit && !(s->gen_dirty & SQ_GEN_BLIND) && !s->net_updated && !s->net_rewrite;
    s->net_rows = 0;
    s->net_updated = s->net_rewrite = 0;
}

/* The hook sees every row this connection inserts or deletes in
 * responses (a rowid table, never written with REPLACE nor emptied by a
 * DELETE without WHERE: the cases it does not see). */
static int sq_net_rows(store *base, long long *net)
{
    sq_store *s = SQ(base);
    if (!s->last_net_known) return 1;
    *net = s->last_net;
    return 0;
}

void sq_gen_own_delete(sq_store *s, int was)
{
    if (!(was & SQ_GEN_REWRITE)) s->gen_dirty &= ~SQ_GEN_REWRITE;
}

/* ROWID, an updated row, kept for note_changed: 0, or -1 when there are
 * changed_max already (or no memory). */
static int keep_changed(sq_store *s, long long rowid)
{
    if (s->n_changed >= s->changed_max) return -1;
    if (s->n_changed == s->cap_changed) {
        size_t cap = s->cap_changed ? 2 * s->cap_changed : 256;
        if (cap > s->changed_max) cap = s->changed_max;
        long long *p = realloc(s->changed, cap * sizeof *p);
        if (!p) return -1;
        s->changed = p;
        s->cap_changed = cap;
    }
    s->changed[s->n_changed++] = rowid;
    return 0;
}

/* The update hook: a row of TABLE in DB changed (on the thread that
 * stepped the statement: the bulk's writer, which store_commit waits
 * for).  An insert moves the generation; an update too, its rowid kept
 * (its key is noted at the commit); a delete, or an update past the
 * keys that may be noted, is a rewrite. */
static void watch(void *arg, int op, const char *db, const char *table, sqlite3_int64 rowid)
{
    sq_store *s = arg;
    if (strcmp(db, "main") != 0 || strcmp(table, "responses") != 0) return;
    s->gen_dirty |= SQ_GEN_CHANGED;
    s->net_rows += op == SQLITE_INSERT ? 1 : op == SQLITE_DELETE ? -1 : 0;
    if (op == SQLITE_UPDATE) s->net_updated = 1;
    if (op == SQLITE_INSERT) return;
    if (op == SQLITE_UPDATE && !(s->gen_dirty & SQ_GEN_REWRITE) && keep_changed(s, rowid) == 0) return;
    s->gen_dirty |= SQ_GEN_REWRITE;
}

int sq_gen_watch_off(sq_store *s) { return sqlite3_update_hook(s->db, NULL, NULL) != NULL; }

void sq_gen_watch_on(sq_store *s, int was, long long inserted)
{
    if (!was) return;
    sqlite3_update_hook(s->db, watch, s);
    if (inserted <= 0) return;
    s->gen_dirty |= SQ_GEN_CHANGED;
    s->net_rows += inserted;
}

void sq_gen_triggers(sq_store *s, int on)
{
    int now = -1;
    sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, &now);
    if (on) return;
    sqlite3_update_hook(s->db, watch, s);
    /* The hook does not see a WITHOUT ROWID table: were responses made
     * one, every commit would bump (and forbid extending), never miss a
     * change.  So too when SQLite cannot say (pragma_table_list, 3.37). */
    sqlite3_stmt *st;
    int rowid = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = 'responses'",
                           -1, &st, NULL) == SQLITE_OK) {
        rowid = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
        sqlite3_finalize(st);
    }
    if (!rowid) s->gen_dirty |= SQ_GEN_BLIND;
}

/* Whether a store of S's schema salts its generations (9 on; a read-only
 * store of an older one is read as it stands). */
static int salted(const sq_store *s) { return s->base.schema == 0 || s->base.schema >= 9; }

int sq_generation(store *base, char *id, char *gen)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           salted(s) ? "SELECT store_id, n, salt FROM cx_generation WHERE one = 1"
                                     : "SELECT store_id, n, 0 FROM cx_generation WHERE one = 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "generation");
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 1) == SQLITE_INTEGER &&
        sqlite3_column_type(st, 0) == SQLITE_TEXT && sqlite3_column_bytes(st, 0) < STORE_GEN_MAX) {
        snprintf(id, STORE_GEN_MAX, "%s", col_text(st, 0));
        /* "N:SALT": the counter and this generation's salt (two histories
         * that reach the same N from one copy of the store differ in it) */
        if (salted(s))
            snprintf(gen, STORE_GEN_MAX, "%lld:%lld", (long long)sqlite3_column_int64(st, 1),
                     (long long)sqlite3_column_int64(st, 2));
        else snprintf(gen, STORE_GEN_MAX, "%lld", (long long)sqlite3_column_int64(st, 1));
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        snprintf(s->base.err, sizeof s->base.err,
                 "store: cx_generation: missing or not a text id and an integer");
        ret = -1;
    } else {
        ret = sq_fail(s, "generation");
    }
    sqlite3_finalize(st);
    return ret;
}

/* One integer the statement SQL (binding A to ?1 when not NULL, B to ?2)
 * gives.  0, or -1 with the error. */
static int one_int2(sq_store *s, const char *sql, const long long *a, long long b, long long *out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) return sq_fail(s, "generation");
    if (a) sqlite3_bind_int64(st, 1, *a);
    sqlite3_bind_int64(st, 2, b);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : sq_fail(s, "generation");
}

static int one_int(sq_store *s, const char *sql, const long long *a, long long *out)
{
    return one_int2(s, sql, a, 0, out);
}

/* GEN (as sq_generation writes it: "N" or "N:SALT") into its counter *G
 * and, when it has one, its salt (*HAS_SALT, *SALT).  0, or -1 when GEN
 * is neither. */
static int gen_parse(const char *gen, long long *g, int *has_salt, long long *salt)
{
    char *end;
    errno = 0;
    *g = strtoll(gen, &end, 10);
    if (errno || end == gen) return -1;
    *has_salt = *end == ':';
    if (*has_salt) {
        const char *at = end + 1;
        *salt = strtoll(at, &end, 10);
        if (errno || end == at) return -1;
    }
    return *end ? -1 : 0;
}

int sq_gen_number(const char *gen, long long *g)
{
    int has_salt;
    long long salt;
    return gen_parse(gen, g, &has_salt, &salt);
}

/* 1 when the store's history passed through generation GEN (as
 * sq_generation wrote it): its lineage holds GEN's counter with GEN's
 * salt.  A store put back from a copy and written again reaches the same
 * counter with another salt: 0, and a cache of the other history is built
 * again, never extended.  A generation without a salt (a cache of a store
 * before schema 9) is not taken as one of a salted store's.  -1 on error. */
static int sq_in_lineage(sq_store *s, const char *gen)
{
    if (!salted(s)) return 1;
    long long n, salt, hit;
    int has_salt;
    if (gen_parse(gen, &n, &has_salt, &salt) != 0 || !has_salt) return 0;
    if (one_int2(s, "SELECT count(*) FROM cx_lineage WHERE n = ?1 AND salt = ?2", &n, salt, &hit) != 0)
        return -1;
    return hit > 0;
}

static int sq_row_mark(store *base, long long *mark)
{
    return one_int(SQ(base), "SELECT coalesce(max(rowid), 0) FROM responses", NULL, mark);
}

static int sq_appended(store *base, const char *gen, long long mark, long long rows, long long *added,
                       long long *changed)
{
    sq_store *s = SQ(base);
    long long g, rewritten, total;
    if (sq_gen_number(gen, &g) != 0) return 0;
    int in = sq_in_lineage(s, gen);
    if (in <= 0) return in;
    if (one_int(s, "SELECT rewritten FROM cx_generation WHERE one = 1", NULL, &rewritten) != 0 ||
        one_int(s, "SELECT count(*) FROM responses WHERE rowid > ?1", &mark, added) != 0)
        return -1;
    if (rewritten > g) return 0;
    /* the counts rule out rows renumbered (a VACUUM may): every row of
     * generation G is still there, so the new ones are those after MARK
     * only when the totals add up.  Unless the cache's rows were numbered
     * 1..MARK (as many as its mark, and no row below 1 now: none was
     * deleted since, so none was then): with no row deleted or updated
     * since, they are all still there, no new row can have a number up to
     * MARK (all taken), and a VACUUM keeps the rows' order; then the
     * table is not counted (a pass over its key index, 1.2 s at 10M rows
     * when the index is not in the page cache, as after an import) */
    long long low = 0;
    if (rows == mark && rows > 0) {
        if (one_int(s, "SELECT min(rowid) FROM responses", NULL, &low) != 0) return -1;
    }
    if (low >= 1) total = rows + *added;
    else if (one_int(s, "SELECT count(*) FROM responses", NULL, &total) != 0) return -1;
    if (total != rows + *added) return 0;
    if (one_int2(s, "SELECT count(*) FROM responses WHERE rowid <= ?1 AND " SQ_CHANGED_SINCE("?2"), &mark, g,
                 changed) != 0)
        return -1;
    *added += *changed;
    return 1;
}

/* LIMIT 1 over an expression, not the key's index: SQLite keeps the
 * smallest row while it reads the rows after MARK and the changed ones,
 * and no other. */
static int sq_first_appended(store *base, const char *gen, long long mark, char *key, size_t cap)
{
    sq_store *s = SQ(base);
    sqlite3_stmt *st;
    long long g;
    if (sq_gen_number(gen, &g) != 0) return 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT source, response_id FROM " SQ_APPENDED_ROWS(
                               "source, response_id") " ORDER BY +source, +response_id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "generation");
    sqlite3_bind_int64(st, 1, mark);
    sqlite3_bind_int64(st, 2, g);
    int rc = sqlite3_step(st), ret = 0;
    if (rc == SQLITE_ROW) {
        const unsigned char *src = sqlite3_column_text(st, 0), *id = sqlite3_column_text(st, 1);
        size_t sl = (size_t)sqlite3_column_bytes(st, 0), il = (size_t)sqlite3_column_bytes(st, 1);
        if (src && id && sl + il + 2 <= cap && !memchr(src, 0, sl) && !memchr(id, 0, il)) {
            memcpy(key, src, sl);
            key[sl] = '\0';
            memcpy(key + sl + 1, id, il);
            key[sl + 1 + il] = '\0';
            ret = 1;
        }
    } else if (rc != SQLITE_DONE) {
        ret = sq_fail(s, "generation");
    }
    sqlite3_finalize(st);
    return ret;
}

/* One bump a transaction of this program; others' writes bump a row. */
static long long sq_moves(const char *from, const char *to)
{
    long long f, t;
    return sq_gen_number(from, &f) == 0 && sq_gen_number(to, &t) == 0 && t >= f ? t - f : -1;
}

const store_grow_ops sq_grow_ops = {
    .mark = sq_row_mark,
    .appended = sq_appended,
    .scan_appended = sq_scan_appended,
    .scan_table = sq_scan_table,
    .first_appended = sq_first_appended,
    .moves = sq_moves,
    .net_rows = sq_net_rows,
};
