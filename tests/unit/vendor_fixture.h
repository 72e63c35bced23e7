/* vendor_fixture.h — what the vendor mapping test programs (test_vendors.c,
 * test_vendor_props.c) share: one source and sync context, the map_buf and
 * response a mapping fills, and Delighted's mapping of a JSON text whose
 * parse is freed by the next call or the case's teardown (free_last).
 * Included by one .c file per program. */
#ifndef CX_VENDOR_FIXTURE_H
#define CX_VENDOR_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/http.h"
#include "ingest/vendor.h"

#include "run_suite.h"

static cx_source_cfg src;
static sync_ctx ctx;
static map_buf mb;
static cx_response resp;

static void setup_ctx(const char *vendor, cx_field_map *fields, size_t n)
{
    memset(&src, 0, sizeof src);
    memset(&ctx, 0, sizeof ctx);
    src.name = (char *)"test";
    src.vendor = (char *)vendor;
    src.fields = fields;
    src.n_fields = n;
    ctx.src = &src;
    mb.used = 0;
    cx_response_clear(&resp);
}

static const char *attr(const char *key)
{
    for (size_t i = 0; i < resp.n_attrs; i++)
        if (strcmp(resp.attrs[i].key, key) == 0) return resp.attrs[i].value;
    return NULL;
}

static cJSON *last_json; /* strings in resp are borrowed from it */

static void free_last(void)
{
    cJSON_Delete(last_json);
    last_json = NULL;
}

static int map_delighted(const char *json, const char **why)
{
    free_last();
    cJSON *j = last_json = cJSON_Parse(json);
    ck_assert_ptr_nonnull(j);
    mb.used = 0;
    cx_response_clear(&resp);
    return delighted_map(&ctx, j, NULL, &resp, &mb, why);
}

#endif
