/* fuzz_qualtrics.c — Qualtrics' record mapper (ingest/qualtrics.c:
 * qualtrics_map, through ingest/fieldmap.c) on arbitrary JSON: a page is
 * {"responses": [...]} as in the export file, or a bare array or record.
 * Properties: see tests/fuzz/vendor_fuzz.h. */
#include "tests/fuzz/vendor_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vfuzz v;
    static int ready;
    if (!ready++) vfuzz_init(&v, "qualtrics", "values");
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    if (doc == NULL) return 0;
    const cJSON *page = cJSON_GetObjectItemCaseSensitive(doc, "responses");
    static const char *const custom[2] = {"QID7", "QID8_TEXT"};
    vfuzz_page(&v, cJSON_IsArray(page) ? page : doc, qualtrics_map, NULL);
    vfuzz_page(&v, cJSON_IsArray(page) ? page : doc, qualtrics_map, (void *)custom);
    cJSON_Delete(doc);
    return 0;
}
