/* sync_page.c — the store-facing point of every vendor sync (vendor.h):
 * sync_commit_page writes a page's records, its rejects and the checkpoint
 * in ONE transaction, sync_commit_checkpoint the checkpoint alone.  Here
 * vendor text is made safe before the store sees it: record text fields
 * and reject raw text with the token masked (core/redact.h), a record
 * whose id holds the token rejected, a checkpoint holding it refused; and
 * here the page's ids are noted in the checkpoint only after the whole
 * page, so that no copy of an id hides another (see seen_list). */
#include "ingest/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/redact.h"

/* The masker of the source's token (NULL before the client exists, as in
 * the unit tests: then nothing is masked). */
static const cx_redact *redactor(const sync_ctx *c) { return c->http ? http_redactor(c->http) : NULL; }

static void count_upsert(sync_ctx *c, store_upsert_result res)
{
    if (res == STORE_INSERTED) c->inserted++;
    else if (res == STORE_REPLACED) c->replaced++;
    else if (res == STORE_UNCHANGED) c->unchanged++;
    else c->ignored++;
}

/* A rejected record's text as the store keeps it, masked (RAW; OWN, when
 * not NULL, is it and must be freed): the bytes the vendor sent
 * (http_record_text, borrowed from the record when they hold no form of
 * the token), unless decoding their escapes shows the token where those
 * bytes hide it; else cJSON's print of the record.  HASH: RAW's FNV-1a
 * hash, the key of a reject (the checkpoint's, the source's rejects').
 * HAS_OLD and OLD: the hash of that print, masked, when it is not RAW
 * (builds before kept the print: the key of the rejects they stored and
 * noted). */
typedef struct reject_text {
    const char *raw;
    size_t len; /* RAW's bytes: the vendor's are no C text */
    char *own;
    uint64_t hash;
    int has_old;
    uint64_t old;
} reject_text;

/* REC's reject_text into T (the print is not held past the call: a record
 * of 200 MB is held twice at most).  0, or -1 out of memory. */
static int reject_text_of(const cx_redact *red, const cJSON *rec, reject_text *t)
{
    memset(t, 0, sizeof *t);
    char *printed = cJSON_PrintUnformatted(rec);
    if (printed == NULL) return -1;
    size_t hid = cx_redact_mask(red, printed), n = 0, np = strlen(printed);
    const char *sent = http_record_text(rec, &n);
    char *copy = NULL;
    if (sent != NULL && cx_redact_find(red, sent, n, NULL, NULL)) {
        if ((copy = malloc(n + 1)) == NULL) {
            free(printed);
            return -1;
        }
        memcpy(copy, sent, n);
        copy[n] = '\0';
        if (cx_redact_mask(red, copy) >= hid) {
            sent = copy;
            n = strlen(copy);
        } else {
            sent = NULL; /* its bytes hide a form of the token the print shows */
        }
    } else if (sent != NULL && hid > 0) {
        sent = NULL;
    }
    if (sent == NULL) {
        free(copy);
        t->raw = t->own = printed;
        t->len = np;
        t->hash = hash_fnv1a(HASH_FNV_OFFSET, printed, np);
        return 0;
    }
    if (n != np || memcmp(sent, printed, n) != 0) {
        t->has_old = 1;
        t->old = hash_fnv1a(HASH_FNV_OFFSET, printed, np);
    }
    free(printed);
    t->raw = sent;
    t->len = n;
    t->own = copy;
    t->hash = hash_fnv1a(HASH_FNV_OFFSET, sent, n);
    return 0;
}

/* T: the record's text, masked (reject_text). */
static int put_reject(sync_ctx *c, const reject_text *t, long page, const char *why)
{
    char where[48];
    snprintf(where, sizeof where, "page %ld", page);
    int rc = store_add_reject(c->st, c->src->name, where, why, t->raw, t->len);
    c->rejected++;
    return rc;
}

/* The checkpoint's note of a rejected record: "\x1f" and a hash of its
 * whole text (never the id alone, which may be the token).  The checkpoint
 * second is read again by the next run: the SAME rejected record is then
 * skipped, not rejected twice, while another copy of its id -- a valid one
 * -- is still read and stored, as it is when both come in one page. */
static void reject_key(uint64_t hash, char out[18])
{
    snprintf(out, 18, "\x1f%016llx", (unsigned long long)hash);
}

/* Writes the checkpoint inside the open transaction; -1 with *WHY.  A
 * checkpoint that would hold the token (echoed into a continuation token or
 * an id) is refused: the store never keeps a credential. */
static int commit_checkpoint_in_tx(sync_ctx *c, const char **why)
{
    char *text = checkpoint_format(&c->cp);
    int rc = -1;
    if (text == NULL) *why = "out of memory";
    else if (cx_redact_has(redactor(c), text))
        *why = "the vendor's continuation token or an id holds the API token: checkpoint not saved";
    else if ((rc = store_checkpoint_put(c->st, c->src->name, text)) != 0) *why = store_error(c->st);
    free(text);
    return rc;
}

/* Text fields of a mapped record that hold the token are replaced by masked
 * copies, pushed on OWNED (freed by the caller).  0 ok, -1 out of memory. */
typedef struct owned_text {
    char *p[8 + 2 * CX_MAX_ATTRS];
    size_t n;
} owned_text;

static int mask_field(const cx_redact *red, const char **field, owned_text *o)
{
    int oom;
    char *m = cx_redact_dup(red, *field, &oom);
    if (m != NULL) {
        o->p[o->n++] = m;
        *field = m;
    }
    return oom ? -1 : 0;
}

static int mask_record(const cx_redact *red, cx_response *r, owned_text *o)
{
    const char **text[] = {&r->comment, &r->customer_id, &r->agent_id,
                           &r->channel, &r->product,     &r->interaction_type};
    int bad = 0;
    for (size_t i = 0; i < sizeof text / sizeof *text; i++) bad |= mask_field(red, text[i], o);
    for (size_t i = 0; i < r->n_attrs; i++)
        bad |= mask_field(red, &r->attrs[i].key, o) | mask_field(red, &r->attrs[i].value, o);
    return bad ? -1 : 0;
}

static void free_owned(owned_text *o)
{
    for (size_t i = 0; i < o->n; i++) free(o->p[i]);
    o->n = 0;
}

/* The (id, second) pairs of one page, noted in the checkpoint only after
 * the whole page: a copy of an id later in the same page must not be taken
 * for one seen at the checkpoint (it is the newer copy and replaces the
 * earlier one, as a later row of a CSV file does, even when the earlier
 * copy was rejected). */
typedef struct seen_list {
    char **id;
    int64_t *t;
    size_t n;
} seen_list;

static int seen_add(seen_list *s, size_t cap, const char *id, int64_t t)
{
    if (s->n == cap || (s->id[s->n] = strdup(id)) == NULL) return -1;
    s->t[s->n++] = t;
    return 0;
}

static int seen_apply(seen_list *s, checkpoint *cp)
{
    for (size_t i = 0; i < s->n; i++)
        if (checkpoint_observe(cp, s->id[i], s->t[i]) != 0) return -1;
    return 0;
}

static void seen_free(seen_list *s)
{
    for (size_t i = 0; s->id && i < s->n; i++) free(s->id[i]);
    free(s->id);
    free(s->t);
}

/* The record's attribute names (masked) may not take the store's responses
 * past CX_MAX_ATTRS distinct names (attr_limit.h): 0 admitted, 1 not (the
 * record is then rejected with the reason in WHY), -1 when the store
 * cannot be read (store_error), -2 out of memory.  A name is counted from
 * the record that brings it, even when the store then keeps the record
 * under another source or the page fails: the count errs on the safe side
 * until the next run reads the store again. */
static int names_fit(sync_ctx *c, const cx_response *r, char *why, size_t cap)
{
    const char *keys[CX_MAX_ATTRS];
    if (c->names.names == NULL && attr_limit_load(&c->names, c->st, why, cap) != 0) {
        int oom = c->names.names == NULL || strcmp(why, "out of memory") == 0;
        attr_limit_free(&c->names);
        return oom ? -2 : -1;
    }
    for (size_t i = 0; i < r->n_attrs; i++) keys[i] = r->attrs[i].key;
    char limit[900];
    int rc = attr_limit_admit(&c->names, keys, r->n_attrs, limit, sizeof limit);
    if (rc == 1) snprintf(why, cap, "its attribute names would take the store past the limit: %s", limit);
    return rc == 0 || rc == 1 ? rc : -2;
}

/* Whether T's text is a reject the source holds, or its print one stored
 * by an earlier build: 0 with *SEEN, -1 with *FAIL. */
static int known_reject(sync_ctx *c, const reject_text *t, int *seen, const char **fail)
{
    int rc = sync_rejects_seen(c, t->hash, seen);
    if (rc == 0 && !*seen && t->has_old) rc = sync_rejects_seen(c, t->old, seen);
    if (rc == 0) return 0;
    *fail = rc == -2 ? "out of memory" : store_error(c->st);
    return -1;
}

/* A rejected record's time moves the checkpoint only when it is no later
 * than a day past the vendor's clock (its Date header): a bad record dated
 * 2100 would otherwise put every later response out of reach of the next
 * runs, which ask for what changed since the checkpoint. */
static int plausible_time(const sync_ctx *c, int64_t t)
{
    int64_t now = c->http ? http_server_date(c->http) : 0;
    return now <= 0 || t <= now + 86400;
}

int sync_commit_page(sync_ctx *c, const cJSON *recs, int from, int to, long page, record_map_fn map,
                     void *ctx, char *err, size_t errlen)
{
    static const char nomem[] = "out of memory";
    const char *fail = NULL;
    char too_many[1024];
    const cx_redact *red = redactor(c);
    size_t cap = to > from ? (size_t)(to - from) : 1;
    seen_list seen_ids = {malloc(cap * sizeof *seen_ids.id), malloc(cap * sizeof *seen_ids.t), 0};
    owned_text *own = calloc(1, sizeof *own);
    map_buf *b = malloc(sizeof *b);
    cx_response *r = malloc(sizeof *r);
    if (b == NULL || r == NULL || own == NULL || seen_ids.id == NULL || seen_ids.t == NULL) {
        fail = nomem;
        goto out;
    }
    if (store_begin(c->st) != 0) {
        fail = store_error(c->st);
        goto out;
    }
    /* the records by their links: cJSON_GetArrayItem walks from the first
     * each time (a Qualtrics export of 200,000 rows in chunks of 500: 20
     * billion steps) */
    const cJSON *next = cJSON_GetArrayItem(recs, from);
    for (int i = from; i < to && fail == NULL; i++) {
        const cJSON *rec = next;
        next = rec ? rec->next : NULL;
        const char *why = "unreadable record";
        store_upsert_result res;
        b->used = 0;
        cx_response_clear(r);
        r->source = c->src->name;
        r->metric = c->metric; /* a mapper may refine it (good/bad CSAT) */
        int m = map(c, rec, ctx, r, b, &why);
        if (m == 0 && cx_metric_check(r->metric, r->score, &why) != 0)
            m = -1; /* on the 0..10 range but off its metric's scale */
        if (m == 0 && cx_redact_has(red, r->response_id)) {
            m = -1; /* an id is kept in the checkpoint: never the token */
            why = "the record's id holds the API token";
        }
        if (m == 0 && mask_record(red, r, own) != 0) {
            fail = nomem;
            break;
        }
        if (m == 0 && r->n_attrs > 0) {
            int fit = names_fit(c, r, too_many, sizeof too_many);
            if (fit < 0) {
                fail = fit == -2 ? nomem : store_error(c->st);
                break;
            }
            if (fit == 1) {
                m = -1; /* one limit on the store's attribute names */
                why = too_many;
            }
        }
        reject_text t = {NULL, 0, NULL, 0, 0, 0};
        char key[18], old_key[18];
        int seen = 0;
        if (m == -1) {
            if (reject_text_of(red, rec, &t) != 0) {
                fail = nomem;
                break;
            }
            reject_key(t.hash, key);
            if (t.has_old) reject_key(t.old, old_key);
            if (checkpoint_seen(&c->cp, key, r->updated_at) ||
                (t.has_old && checkpoint_seen(&c->cp, old_key, r->updated_at)))
                m = 1; /* rejected when this second was read before */
            else if (known_reject(c, &t, &seen, &fail) != 0) {
                free(t.own);
                break;
            } else if (seen) m = 1; /* rejected by an earlier run (read again: overlap, look-back, --full) */
        }
        if (m == 1) {
            free(t.own);
            c->skipped++;
            continue;
        }
        c->fetched++;
        if ((m == 0 || plausible_time(c, r->updated_at)) &&
            seen_add(&seen_ids, cap, m == 0 ? r->response_id : key, r->updated_at) != 0)
            fail = nomem;
        else if (m != 0 ? put_reject(c, &t, page, why) != 0 : store_upsert_response(c->st, r, &res) != 0)
            fail = store_error(c->st);
        else if (m == 0 && res == STORE_HELD_ELSEWHERE) {
            /* the same response under another source (a CSV import of this
             * survey): counted once, as a reject that names the holder */
            char held[512];
            snprintf(held, sizeof held, "response_id '%.100s' already held as source %.100s", r->response_id,
                     store_held_by(c->st));
            if (reject_text_of(red, rec, &t) != 0) {
                fail = nomem;
            } else {
                if (known_reject(c, &t, &seen, &fail) != 0) {
                    /* FAIL said why */
                } else if (seen) {
                    c->fetched--; /* held elsewhere, and said so by an earlier run */
                    c->skipped++;
                } else if (put_reject(c, &t, page, held) != 0) {
                    fail = store_error(c->st);
                }
            }
        } else if (m == 0) count_upsert(c, res);
        free(t.own);
        free_owned(own);
    }
    if (fail == NULL && seen_apply(&seen_ids, &c->cp) != 0) fail = nomem;
    if (c->open_from > 0 && c->cp.updated_at >= c->open_from)
        checkpoint_move(&c->cp, c->cp.updated_at); /* that second may still change */
    if (fail == NULL) commit_checkpoint_in_tx(c, &fail);
    if (fail == NULL && store_commit(c->st) != 0) fail = store_error(c->st);
out:
    if (own != NULL) free_owned(own);
    free(own);
    seen_free(&seen_ids);
    free(b);
    free(r);
    if (fail != NULL) {
        snprintf(err, errlen, "%s%s", fail == nomem || strstr(fail, "API token") ? "" : "store: ",
                 fail); /* before the rollback reuses the text */
        store_rollback(c->st);
        return -1;
    }
    c->pages++;
    sync_progress(c, 0);
    return 0;
}

int64_t sync_open_from(const sync_ctx *c)
{
    int64_t d = http_server_date(c->http);
    return d > 2 ? d - 2 : 1;
}

int sync_commit_checkpoint(sync_ctx *c, char *err, size_t errlen)
{
    const char *why = NULL;
    if (store_begin(c->st) != 0 || commit_checkpoint_in_tx(c, &why) != 0 || store_commit(c->st) != 0) {
        if (why != NULL && strstr(why, "API token") != NULL) snprintf(err, errlen, "%s", why);
        else snprintf(err, errlen, "store: %s", store_error(c->st)); /* before the rollback */
        store_rollback(c->st);
        return -1;
    }
    return 0;
}
