/* fuzz_delighted.c — Delighted's record mapper (ingest/delighted.c:
 * delighted_map, through ingest/fieldmap.c) on arbitrary JSON, and the
 * checkpoint parser (ingest/checkpoint.c) on the same bytes.
 * Properties: see tests/fuzz/vendor_fuzz.h. */
#include "tests/fuzz/vendor_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vfuzz v;
    static int ready;
    if (!ready++) vfuzz_init(&v, "delighted", "person_properties");
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    if (doc != NULL) {
        vfuzz_page(&v, doc, delighted_map, NULL);
        cJSON_Delete(doc);
    }
    /* The stored checkpoint text is read back the same way. */
    char *text = fuzz_cstr(data, size);
    checkpoint cp;
    if (checkpoint_parse(text, &cp) == 0) {
        char *again = checkpoint_format(&cp);
        FUZZ_CHECK(again != NULL);
        checkpoint_free(&cp);
        free(again);
    }
    free(text);
    return 0;
}
