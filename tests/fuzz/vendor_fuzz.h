/* vendor_fuzz.h — shared by the vendor mapper targets (fuzz_delighted.c,
 * fuzz_qualtrics.c, fuzz_surveymonkey.c): a source with a field map, a
 * sync context with a checkpoint, and the checks on a mapped response.
 *
 * The input is a JSON document as a vendor would send it: an array is
 * taken as a page of records (each mapped, as sync_commit_page does), any
 * other value as one record.  No store and no network are touched: only
 * the mapper and ingest/fieldmap.c run.  The context is set up once per
 * process and kept (the checkpoint is reset for every input).
 */
#ifndef CX_VENDOR_FUZZ_H
#define CX_VENDOR_FUZZ_H

#include "tests/fuzz/fuzz.h"

#include "core/csv.h"
#include "ingest/vendor.h"

#define TIME_MIN (-62167219200LL)
#define TIME_MAX 253402300799LL

typedef struct vfuzz {
    cx_config *cfg;
    cx_source_cfg src;
    cx_field_map fields[4];
    sync_ctx c;
    map_buf *b;
    cx_response *r;
} vfuzz;

/* Sets up V for VENDOR; CONTAINER is where the vendor keeps custom fields
 * ("person_properties", "values", "custom_variables"). */
static void vfuzz_init(vfuzz *v, const char *vendor, const char *container)
{
    static char paths[4][64];
    memset(v, 0, sizeof *v);
    v->cfg = config_default();
    FUZZ_CHECK(v->cfg != NULL);
    v->src.name = (char *)"fuzz";
    v->src.vendor = (char *)vendor;
    v->src.base_url = (char *)"https://example.invalid";
    v->src.token_env = (char *)"CX_FUZZ_TOKEN";
    snprintf(paths[0], sizeof paths[0], "%s.Agent", container);
    snprintf(paths[1], sizeof paths[1], "%s.tier.name", container);
    snprintf(paths[2], sizeof paths[2], "%s.Moments", container);
    snprintf(paths[3], sizeof paths[3], "%s.aht", container);
    static const char *const names[4] = {"agent_id", "tier", "moments", "handle_time_s"};
    for (int i = 0; i < 4; i++) {
        v->fields[i].field = (char *)names[i];
        v->fields[i].path = paths[i];
    }
    v->src.fields = v->fields;
    v->src.n_fields = 4;
    v->c.cfg = v->cfg;
    v->c.src = &v->src;
    v->b = malloc(sizeof *v->b);
    v->r = malloc(sizeof *v->r);
    FUZZ_CHECK(v->b && v->r);
}

/* Text handed to the store: valid UTF-8 (what an import accepts). */
static void text_ok(const char *s)
{
    FUZZ_CHECK(s != NULL);
    FUZZ_CHECK(utf8_valid(s, strlen(s)));
}

/* What a mapper hands to the store. */
static void check_mapped(const vfuzz *v, int rc, const char *why)
{
    const cx_response *r = v->r;
    FUZZ_CHECK(rc >= -1 && rc <= 1);
    FUZZ_CHECK(v->b->used <= sizeof v->b->data);
    if (rc == -1) {
        FUZZ_CHECK(why != NULL && why[0]);
        FUZZ_CHECK(r->response_id != NULL);
        return;
    }
    if (rc == 1) return;
    FUZZ_CHECK(r->response_id && r->response_id[0]);
    FUZZ_CHECK(r->score >= 0 && r->score <= 10);
    /* Timestamps the rest of the program can format and re-read (docs/formats.md;
     * core/timeparse.h keeps every accepted time in 0000..9999). */
    FUZZ_CHECK(r->responded_at >= TIME_MIN && r->responded_at <= TIME_MAX);
    FUZZ_CHECK(r->updated_at >= TIME_MIN && r->updated_at <= TIME_MAX);
    FUZZ_CHECK(r->n_moments <= CX_MAX_MOMENTS && r->n_attrs <= CX_MAX_ATTRS);
    for (size_t i = 0; i < r->n_moments; i++)
        FUZZ_CHECK(r->moments[i] >= v->cfg->moment_lo && r->moments[i] <= v->cfg->moment_hi);
    FUZZ_CHECK(!r->has_handle_time || r->handle_time_s >= 0);
    const char *text[] = {r->source,   r->response_id, r->comment, r->customer_id,
                          r->agent_id, r->channel,     r->product, r->interaction_type};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++) text_ok(text[i]);
    for (size_t i = 0; i < r->n_attrs; i++) {
        text_ok(r->attrs[i].key);
        FUZZ_CHECK(r->attrs[i].key[0] != '\0');
        text_ok(r->attrs[i].value);
        for (size_t k = 0; k < i; k++) FUZZ_CHECK(strcmp(r->attrs[i].key, r->attrs[k].key) != 0);
    }
}

/* Maps REC with MAP as sync_commit_page does, then checks the result and
 * feeds the id to the checkpoint. */
static void vfuzz_map(vfuzz *v, const cJSON *rec, record_map_fn map, void *ctx)
{
    const char *why = "unreadable record";
    v->b->used = 0;
    cx_response_clear(v->r);
    v->r->source = v->src.name;
    int rc = map(&v->c, rec, ctx, v->r, v->b, &why);
    check_mapped(v, rc, why);
    if (rc != 1) FUZZ_CHECK(checkpoint_observe(&v->c.cp, v->r->response_id, v->r->updated_at) == 0);
}

/* Maps every record of DOC (an array = a page), from a fresh checkpoint
 * at one second with two ids seen (so that "skip" can happen). */
static void vfuzz_page(vfuzz *v, const cJSON *doc, record_map_fn map, void *ctx)
{
    const cJSON *it;
    checkpoint_free(&v->c.cp);
    FUZZ_CHECK(checkpoint_observe(&v->c.cp, "1", 1700000000) == 0);
    FUZZ_CHECK(checkpoint_observe(&v->c.cp, "abc", 1700000000) == 0);
    if (cJSON_IsArray(doc)) {
        int k = 0;
        cJSON_ArrayForEach (it, doc) {
            if (k++ == 1000) break;
            vfuzz_map(v, it, map, ctx);
        }
    } else {
        vfuzz_map(v, doc, map, ctx);
    }
    /* The checkpoint still formats and parses back. */
    char *text = checkpoint_format(&v->c.cp);
    FUZZ_CHECK(text != NULL);
    checkpoint back;
    FUZZ_CHECK(checkpoint_parse(text, &back) == 0);
    FUZZ_CHECK(back.updated_at == v->c.cp.updated_at && back.n_ids == v->c.cp.n_ids);
    checkpoint_free(&back);
    free(text);
}

#endif
