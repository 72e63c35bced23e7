/* genesys_record.c — one Genesys Cloud survey as a record and as a
 * response: the survey object of a conversation of the details query,
 * flattened with its conversation's facts (genesys_record), and mapped
 * (genesys_map: vendor.h).  Pure JSON work, no HTTP (ingest/genesys.c).
 *
 * One response per finished survey: response_id = surveyId, score =
 * surveyPromoterScore, agent = the survey's userId, queue = queueId,
 * responded_at = surveyCompletedDate, updated_at = the later of it and
 * eventTime.  Surveys not finished yet are skipped; they are read once
 * finished, within the look-back.
 */
#include "ingest/genesys_record.h"

#include <string.h>
#include <strings.h>

int genesys_map(sync_ctx *c, const cJSON *rec, void *ctx, cx_response *r, map_buf *b, const char **why)
{
    const int64_t *done_before = ctx;
    if (map_record_id(rec, "surveyId", "survey is not an object", "survey has no surveyId", r, b, why) != 0)
        return -1;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(rec, "surveyStatus");
    if (!cJSON_IsString(st) || strcasecmp(st->valuestring, "Finished") != 0)
        return 1; /* not answered (yet) */
    if (json_time(cJSON_GetObjectItemCaseSensitive(rec, "surveyCompletedDate"), &r->responded_at, why) != 0) {
        *why = "surveyCompletedDate: missing or not a time";
        return -1;
    }
    r->updated_at = r->responded_at;
    int64_t ev;
    const char *ignored;
    if (json_time(cJSON_GetObjectItemCaseSensitive(rec, "eventTime"), &ev, &ignored) == 0 &&
        ev > r->updated_at)
        r->updated_at = ev;
    if (done_before != NULL && r->updated_at < *done_before) return 1;
    if (json_score(cJSON_GetObjectItemCaseSensitive(rec, "surveyPromoterScore"), &r->score, why) != 0)
        return -1;
    const cJSON *cm = cJSON_GetObjectItemCaseSensitive(rec, "surveyComment");
    r->comment = cJSON_IsString(cm) ? cm->valuestring : "";
    return map_fields(c, rec, vendor_defaults(c), NULL, r, b, why);
}

/* The survey's text: the NPS follow-up (npsTextAnswer), else the first
 * free-text answer; NULL when there is none. */
const char *genesys_survey_text(const cJSON *sv)
{
    const cJSON *g, *q;
    const char *first = NULL;
    cJSON_ArrayForEach (g, json_path(sv, "answers.questionGroupScores"))
        cJSON_ArrayForEach (q, cJSON_GetObjectItemCaseSensitive(g, "questionScores")) {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(q, "npsTextAnswer");
            const cJSON *f = cJSON_GetObjectItemCaseSensitive(q, "freeTextAnswer");
            if (cJSON_IsString(n) && n->valuestring[0]) return n->valuestring;
            if (first == NULL && cJSON_IsString(f) && f->valuestring[0]) first = f->valuestring;
        }
    return first;
}

/* The value of KEY of the first participant of PURPOSE ("agent", "customer")
 * or of its first session, or NULL. */
static const cJSON *participant_value(const cJSON *conv, const char *purpose, const char *key)
{
    const cJSON *p;
    cJSON_ArrayForEach (p, cJSON_GetObjectItemCaseSensitive(conv, "participants")) {
        const cJSON *pu = cJSON_GetObjectItemCaseSensitive(p, "purpose");
        if (!cJSON_IsString(pu) || strcmp(pu->valuestring, purpose) != 0) continue;
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(p, key);
        if (v == NULL)
            v = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "sessions"), 0), key);
        if (v != NULL) return v;
    }
    return NULL;
}

/* The handle time (tHandle, milliseconds, summed over the sessions) of
 * the agent participants of CONV that are USER (NULL: any agent), in
 * seconds; -1 when none is reported. */
static double handle_time(const cJSON *conv, const char *user)
{
    const cJSON *p, *s, *m;
    double ms = 0;
    int seen = 0;
    cJSON_ArrayForEach (p, cJSON_GetObjectItemCaseSensitive(conv, "participants")) {
        const cJSON *pu = cJSON_GetObjectItemCaseSensitive(p, "purpose");
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "userId");
        if (!cJSON_IsString(pu) || strcmp(pu->valuestring, "agent") != 0 ||
            (user && (!cJSON_IsString(id) || strcmp(id->valuestring, user) != 0)))
            continue;
        cJSON_ArrayForEach (s, cJSON_GetObjectItemCaseSensitive(p, "sessions"))
            cJSON_ArrayForEach (m, cJSON_GetObjectItemCaseSensitive(s, "metrics")) {
                const cJSON *n = cJSON_GetObjectItemCaseSensitive(m, "name");
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(m, "value");
                if (cJSON_IsString(n) && strcmp(n->valuestring, "tHandle") == 0 && cJSON_IsNumber(v) &&
                    v->valuedouble >= 0 && v->valuedouble < 1e12) {
                    ms += v->valuedouble;
                    seen = 1;
                }
            }
    }
    return seen ? ms / 1000 : -1;
}

cJSON *genesys_record(const cJSON *conv, const cJSON *survey)
{
    static const char *const copy[][3] = {
        {"conversationId", NULL, NULL},
        {"conversationStart", NULL, NULL},
        {"mediaType", "customer", "mediaType"},
        {"externalContactId", "customer", "externalContactId"},
    };
    cJSON *rec = cJSON_Duplicate(survey, 1);
    if (rec == NULL) return NULL;
    http_record_text_drop(rec); /* the survey's text, not the record's */
    for (size_t k = 0; k < sizeof copy / sizeof *copy; k++) {
        const cJSON *v = copy[k][1] ? participant_value(conv, copy[k][1], copy[k][2])
                                    : cJSON_GetObjectItemCaseSensitive(conv, copy[k][0]);
        cJSON *d = v && !cJSON_GetObjectItemCaseSensitive(rec, copy[k][0]) ? cJSON_Duplicate(v, 1) : NULL;
        if (d != NULL && !cJSON_AddItemToObject(rec, copy[k][0], d)) cJSON_Delete(d);
    }
    const cJSON *uid = cJSON_GetObjectItemCaseSensitive(rec, "userId");
    double ht = handle_time(conv, cJSON_IsString(uid) ? uid->valuestring : NULL);
    if (ht >= 0 && !cJSON_GetObjectItemCaseSensitive(rec, "handleTimeS"))
        cJSON_AddNumberToObject(rec, "handleTimeS", ht); /* no memory: no handle time */
    return rec;
}
