/* fuzz_surveymonkey.c — SurveyMonkey's survey-details reader and record
 * mapper (ingest/surveymonkey.c: sm_survey_from_details, surveymonkey_map,
 * through ingest/fieldmap.c) on arbitrary JSON.
 *
 * An input {"details": D, "data": [...]} gives both; otherwise the whole
 * input is tried as details and, mapped against a fixed survey, as a page
 * (a bare array or a bulk page {"data": [...]}).
 * Properties: see tests/fuzz/vendor_fuzz.h; details that are accepted name
 * 11 distinct, non-empty choice ids.
 */
#include "tests/fuzz/vendor_fuzz.h"

static void fixed_survey(sm_survey *sv)
{
    memset(sv, 0, sizeof *sv);
    snprintf(sv->nps_id, sizeof sv->nps_id, "101");
    snprintf(sv->comment_id, sizeof sv->comment_id, "102");
    for (int i = 0; i <= 10; i++) snprintf(sv->choice_ids[i], sizeof sv->choice_ids[i], "90%02d", i);
}

static void check_survey(const sm_survey *sv)
{
    FUZZ_CHECK(sv->nps_id[0] != '\0');
    for (int i = 0; i <= 10; i++) {
        FUZZ_CHECK(sv->choice_ids[i][0] != '\0');
        for (int k = 0; k < i; k++) FUZZ_CHECK(strcmp(sv->choice_ids[i], sv->choice_ids[k]) != 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vfuzz v;
    static int ready;
    if (!ready++) vfuzz_init(&v, "surveymonkey", "custom_variables");
    cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
    if (doc == NULL) return 0;
    char err[512];
    static const char *const questions[][2] = {{NULL, NULL}, {"Q1", "Q2"}, {"101", "102"}};
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(doc, "details");
    if (details == NULL) details = doc;
    sm_survey sv;
    int have = 0;
    for (size_t q = 0; q < sizeof questions / sizeof *questions; q++) {
        err[0] = '\0';
        if (sm_survey_from_details(details, questions[q][0], questions[q][1], &sv, err, sizeof err) == 0) {
            check_survey(&sv);
            have = 1;
        } else {
            FUZZ_CHECK(err[0] != '\0');
        }
    }
    if (!have) fixed_survey(&sv);
    const cJSON *page = cJSON_GetObjectItemCaseSensitive(doc, "data");
    vfuzz_page(&v, cJSON_IsArray(page) ? page : doc, surveymonkey_map, &sv);
    cJSON_Delete(doc);
    return 0;
}
